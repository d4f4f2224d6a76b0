"""Hugo pairs shortcode tags before Goldmark reads the text: the lines of a pair, moved
to where that pairing puts them in Markdown's terms (their indentation only, so line
numbers stay as written)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mdpaper.markdown.shortcodes import ARG_TEXT, RAW_NAMES
from mdpaper.patterns import lazy_pattern

_INDENTED_RAW_PAIR = lazy_pattern(
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


_TAG_ALONE = lazy_pattern(r"(?P<indent>[ \t]*)(?P<item>(?:[-*+]|\d{1,9}[.)])[ \t]+)?\{\{[<%]\s*"
                        r"(?P<close>/\s*)?(?P<name>[\w./-]+)" + ARG_TEXT
                        + r"(?P<self>/)?[>%]\}\}[ \t]*")


Tag = re.Match[str]


def _closed_pairs(lines: list[str], *, items: bool) -> Iterator[tuple[Tag, int, Tag, int]]:
    """Each pair whose tags stand alone on their lines, as Hugo pairs them (the last opening
    of the name; openings never closed, such as a figure's, are dropped when an outer pair
    closes): (opening, its line index, closing, its line index). ``items``: an opening may
    be a list item's first line (``2. {{< exercise >}}``)."""
    opened: list[tuple[Tag, int]] = []
    for i, line in enumerate(lines):
        m = _TAG_ALONE.fullmatch(line) if "{{" in line else None
        if m is None or m["self"] or m["item"] and (m["close"] or not items):
            continue
        if not m["close"]:
            opened.append((m, i))
            continue
        at = next((j for j in range(len(opened) - 1, -1, -1)
                   if opened[j][0]["name"] == m["name"]), None)
        if at is not None:
            opening, start = opened[at]
            del opened[at:]
            yield opening, start, m, i


def _width(m: Tag) -> int:
    return len(m["indent"].expandtabs(4))


def align_closing_tags(body: str) -> str:
    """A closing tag alone on its line, at another indentation than its opening: Hugo pairs
    the tags before Markdown reads the text, so the pair holds what lies between whatever
    Markdown makes of the lines. Indented under the last item of a list in the pair's
    content (``   {{< /proof >}}``), it would be a line of that item; flush left after an
    item that opens the pair (``2. {{< exercise >}}``) and lines that continue it, it would
    end the list inside the pair. It gets its opening's indentation (an item's content's)."""
    if "{{" not in body:
        return body
    lines = body.split("\n")
    for opening, start, closing, i in _closed_pairs(lines, items=True):
        indent = _width(opening) + len(opening["item"] or "")
        if _width(closing) > indent + 1 or _width(closing) < indent and all(
                lines[k].strip() for k in range(start, i)):
            lines[i] = " " * indent + lines[i].lstrip(" \t")
    return "\n".join(lines)


def dedent_inner_tags(body: str) -> str:
    """Shortcode tags written indented on their own lines inside a ``{{< >}}`` pair
    (hextra's ``cards`` around its ``card``s, Docsy's ``tabpane`` around ``tab``s): Hugo
    renders the pair, nested calls included, before Goldmark reads the text, so the page
    shows the inner shortcodes, never an indented code block. They get the opening
    line's indentation; lines stay as they are in number. (One pass over the tag lines: a
    pattern from each opening to its closing rescanned the rest of the post for every
    shortcode that has none, such as each figure.)"""
    if "{{<" not in body:
        return body
    lines = body.split("\n")
    for opening, start, _, end in _closed_pairs(lines, items=False):
        angle = opening.group(0).lstrip()[2] == "<"
        if not angle or opening["name"] in RAW_NAMES:  # code or math: shown as written
            continue
        deep = _width(opening) + 4
        for k in range(start + 1, end):
            m = _TAG_ALONE.fullmatch(lines[k]) if "{{" in lines[k] else None
            if m is not None and not m["item"] and _width(m) >= deep:
                lines[k] = opening["indent"] + lines[k].lstrip(" \t")
    return "\n".join(lines)
