"""Hugo pairs shortcode tags before Goldmark reads the text: the lines of a pair, moved
to where that pairing puts them in Markdown's terms (their indentation only, so line
numbers stay as written)."""

from __future__ import annotations

import re

from mdpaper.markdown.shortcodes import ARG_TEXT, RAW_NAMES

_INDENTED_RAW_PAIR = re.compile(
    r"(?m)^(?P<indent> +)\{\{[<%]\s*(?P<name>" + "|".join(RAW_NAMES) + r")\b[^\n]*?[>%]\}\}"
    r"[ \t]*\n(?P<rest>[\s\S]*?^[ \t]*\{\{[<%]\s*/\s*(?P=name)\s*[>%]\}\})")


def indent_raw_pairs(body: str) -> str:
    """A code (or math) shortcode opened indented, in a list item, with its lines written
    flush left: Hugo swaps the whole pair for its output before Markdown sees the text, so
    the page shows the code inside the item; to Markdown, the flush-left lines would end
    the list. They get the opening line's indentation (as if written inside the item; the
    item's own indentation comes off again). Lines stay as they are in number."""
    if "{{" not in body:
        return body

    def indented(m: re.Match[str]) -> str:
        indent, rest = m.group("indent"), m.group("rest")
        lines = rest.split("\n")
        if all(line.startswith(indent) or not line.strip() for line in lines):
            return m.group(0)  # written inside the item already
        start = m.start("rest") - m.start()
        return m.group(0)[:start] + "\n".join(indent + line for line in lines)

    return _INDENTED_RAW_PAIR.sub(indented, body)


_TAG_ALONE = re.compile(r"(?P<indent>[ \t]*)(?P<item>(?:[-*+]|\d{1,9}[.)])[ \t]+)?\{\{[<%]\s*"
                        r"(?P<close>/\s*)?(?P<name>[\w./-]+)" + ARG_TEXT
                        + r"(?P<self>/)?[>%]\}\}[ \t]*")


def align_closing_tags(body: str) -> str:
    """A closing tag alone on its line, at another indentation than its opening: Hugo pairs
    the tags before Markdown reads the text, so the pair holds what lies between whatever
    Markdown makes of the lines. Indented under the last item of a list in the pair's
    content (``   {{< /proof >}}``), it would be a line of that item; flush left after an
    item that opens the pair (``2. {{< exercise >}}``) and lines that continue it, it would
    end the list inside the pair. It gets its opening's indentation (an item's content's)."""
    if "{{" not in body:
        return body
    lines, opened = body.split("\n"), []
    for i, line in enumerate(lines):
        m = _TAG_ALONE.fullmatch(line) if "{{" in line else None
        if m is None or m["self"] or (m["close"] and m["item"]):
            continue
        width = len(m["indent"].expandtabs(4)) + len(m["item"] or "")
        if not m["close"]:
            opened.append((m["name"], width, i))
            continue
        at = next((j for j in range(len(opened) - 1, -1, -1) if opened[j][0] == m["name"]), None)
        if at is None:
            continue
        _, indent, opening = opened[at]
        del opened[at:]
        closing = len(m["indent"].expandtabs(4))
        if closing > indent + 1 or closing < indent and all(
                lines[k].strip() for k in range(opening, i)):
            lines[i] = " " * indent + line.lstrip(" \t")
    return "\n".join(lines)


_ANGLE_PAIR = re.compile(
    r"(?m)^(?P<indent>[ \t]*)\{\{<\s*(?P<name>[\w.-]+)\b" + ARG_TEXT + r"(?<!/)>\}\}[ \t]*\n"
    r"(?P<inner>[\s\S]*?)^[ \t]*\{\{[<%]\s*/\s*(?P=name)\s*[>%]\}\}")
_INDENTED_TAG = re.compile(r"(?m)^(?P<lead>[ \t]+)(?=\{\{[<%](?!/\*)" + ARG_TEXT
                           + r"[>%]\}\}[ \t]*$)")


def dedent_inner_tags(body: str) -> str:
    """Shortcode tags written indented on their own lines inside a ``{{< >}}`` pair
    (hextra's ``cards`` around its ``card``s, Docsy's ``tabpane`` around ``tab``s): Hugo
    renders the pair, nested calls included, before Goldmark reads the text, so the page
    shows the inner shortcodes, never an indented code block. They get the opening
    line's indentation; lines stay as they are in number."""
    if "{{<" not in body:
        return body

    def dedented(m: re.Match[str]) -> str:
        if m.group("name") in RAW_NAMES:  # code or math: its lines are shown as written
            return m.group(0)
        indent = m.group("indent")
        deep = len(indent.expandtabs(4)) + 4
        inner = _INDENTED_TAG.sub(lambda t: indent if len(t.group("lead").expandtabs(4))
                                  >= deep else t.group("lead"), m.group("inner"))
        start, end = m.start("inner") - m.start(), m.end("inner") - m.start()
        return m.group(0)[:start] + inner + m.group(0)[end:]

    return _ANGLE_PAIR.sub(dedented, body)
