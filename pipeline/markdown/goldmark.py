"""What Hugo's Markdown (Goldmark, with the extensions Hugo turns on) adds to CommonMark and
GitHub's tables, strikethrough and task lists, made into mistune rules:

* definition lists (``Term`` then ``: definition``), with mistune's own plugin;
* strikethrough with one tilde, ``~x~``, as well as two (unless the site turns it off);
* the extras a site turns on (``markup.goldmark.extensions.extras``): ``x^2^``, ``H~2~O``
  (only where strikethrough is off: it wins ``~``), ``==mark==``, ``++insert++``, and
  ``~~delete~~`` where strikethrough is off;
* the typographer's guillemets: ``<<x>>`` is «x», not an HTML tag;
* GitHub-style alerts, ``> [!NOTE]`` (five kinds, an optional title, ``+``/``-`` for
  foldable ones): the block quote becomes an ``alert`` token with its kind and title.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

import mistune
from mistune.core import InlineState
from mistune.plugins import import_plugin

from mdpaper.patterns import lazy_pattern

Token = dict[str, Any]

#: Alert kinds and the title each shows when the author gives none.
ALERT_TITLES = {"note": "Note", "tip": "Tip", "important": "Important", "warning": "Warning",
                "caution": "Caution"}
_ALERT = lazy_pattern(r"\A[ \t]*\[!(?P<kind>[A-Za-z]+)\](?P<fold>[+-]?)[ \t]*(?P<title>[^\n]*)"
                      r"(?:\n|\Z)")
#: The extras' delimiters, and the token each makes.
_EXTRAS = {"superscript": "^", "subscript": "~", "mark": "==", "insert": "++"}


@dataclass(frozen=True)
class Syntax:
    """The Goldmark extensions a site turns on or off (Hugo's defaults: strikethrough on,
    no extras)."""

    strikethrough: bool = True
    extras: frozenset[str] = frozenset()

    @property
    def double_tilde(self) -> bool:
        """``~~x~~`` is struck out: by strikethrough, or by the extras' delete."""
        return self.strikethrough or "delete" in self.extras

    def delimited(self) -> dict[str, str]:
        """Token type -> the opening delimiter (a pattern) of the spans the site's Goldmark
        reads besides ``~~x~~``; the closing one is the same text."""
        spans = {name: re.escape(d) for name, d in _EXTRAS.items() if name in self.extras}
        if self.strikethrough:  # (it takes ~ from subscript, as Hugo's page shows)
            spans["strikethrough"] = "~"
            spans.pop("subscript", None)
        elif "subscript" in spans and not self.double_tilde:
            spans["subscript"] = "~~?"  # ~~x~~ is a subscript too then (checked with Hugo)
        return spans

_GUILLEMETS = r"<<|>>"


#: MathJax turns ``\eqref{x}`` and ``\ref{x}`` in the page's text into links to the
#: equations labelled x (its processRefs): the same in prose here. A label is plain text.
_MATH_REF = r"\\(?P<ref_cmd>eqref|ref)\{(?P<ref_label>[^{}\\\n%#]+)\}"


def register(md: mistune.Markdown, syntax: Syntax) -> None:
    """Add Goldmark's extras (and MathJax's references in prose) to a parser made by
    ``markdown.parser.create_parser``."""
    md.inline.register("math_ref", _MATH_REF, _parse_math_ref, before="escape",
                       start_chars=("\\",))
    import_plugin("def_list")(md)
    for kind, opening in syntax.delimited().items():
        char = opening.lstrip("\\")[0]
        md.inline.register(f"{kind}_span", rf"(?<!{re.escape(char)}){opening}(?=[^\s{char}])",
                           functools.partial(_parse_delimited, kind=kind),
                           before="link", start_chars=(char,))
    md.inline.register("guillemets", _GUILLEMETS, _parse_guillemets, before="inline_html",
                       start_chars=("<", ">"))


def _parse_delimited(inline: Any, m: re.Match[str], state: InlineState,
                     kind: str) -> int | None:
    """A span between two delimiters (``~x~``, ``x^2^``, ``==m==``): the closing one is the
    opening text, after text, and (for a one-character delimiter) no longer run, as in
    Goldmark."""
    if state.depth >= inline.max_nested_level:
        return None
    start, delimiter = m.end(), m.group(0)
    char = delimiter[0]
    close = state.src.find(delimiter, start)
    while close != -1 and (state.src[close - 1].isspace() or (
            char * 2 not in delimiter and state.src[close + len(delimiter):][:1] == char)):
        close = state.src.find(delimiter, close + 1)
    if close == -1:
        return None
    child = state.copy()
    child.src = state.src[start:close]
    state.append_token({"type": kind, "children": inline.render(child)})
    return close + len(delimiter)


def _parse_math_ref(inline: Any, m: re.Match[str], state: InlineState) -> int:
    state.append_token({"type": "math_ref", "attrs": {"command": m["ref_cmd"],
                                                      "label": m["ref_label"].strip()}})
    return m.end()


def _parse_guillemets(inline: Any, m: re.Match[str], state: InlineState) -> int:
    state.append_token({"type": "text", "raw": "«" if m.group(0) == "<<" else "»"})
    return m.end()


def mark_alerts(tokens: list[Token]) -> None:
    """Turn block quotes that open with ``[!KIND]`` into ``alert`` tokens (in place, at any
    depth). An unknown kind stays a block quote, as on GitHub."""
    for tok in tokens:
        # dict.get: a paragraph's inline children are parsed on first access (LazyInline);
        # only block children, which are already there, matter here.
        children = dict.get(tok, "children")
        if tok.get("type") == "block_quote" and children:
            _mark_alert(tok, children)
        if isinstance(children, list):
            mark_alerts(children)


def _mark_alert(quote: Token, children: list[Token]) -> None:
    first = children[0]
    text = dict.get(first, "text") if first.get("type") == "paragraph" else None
    if not isinstance(text, str):
        return
    m = _ALERT.match(text)
    if m is None or m["kind"].lower() not in ALERT_TITLES:
        return
    kind = m["kind"].lower()
    quote["type"] = "alert"
    quote["attrs"] = {"kind": kind, "title": m["title"].strip() or ALERT_TITLES[kind],
                      "foldable": bool(m["fold"])}
    rest = text[m.end():]
    if rest.strip():
        dict.__setitem__(first, "text", rest)
        if "_line" in first and first["_line"] is not None:
            dict.__setitem__(first, "_line", first["_line"] + 1)
    else:
        children.pop(0)


_ATTRIBUTE = lazy_pattern(r'\s*(?:#(?P<id>[^\s#.{}="]+)|\.(?P<cls>[^\s#.{}="]+)'
                          r'|(?P<key>[A-Za-z_:][\w:.-]*)\s*=\s*(?:"(?P<dq>[^"]*)"|'
                          r"'(?P<sq>[^']*)'|(?P<bare>[^\s\"'{}]+)))")
_ATTRIBUTE_LIST = lazy_pattern(r"\{(?P<inner>[^{}\n]*)\}")


def parse_attributes(text: str) -> dict[str, str] | None:
    """Goldmark's attribute list ``{#id .class key=value key="v"}`` (the braces included):
    the attributes, or None when ``text`` is not one (``{a, b}`` is text, not attributes).
    Classes are joined by spaces under ``class``, as Goldmark does."""
    m = _ATTRIBUTE_LIST.fullmatch(text.strip())
    if m is None or not m["inner"].strip():
        return None
    found: dict[str, str] = {}
    pos, inner = 0, m["inner"]
    while pos < len(inner.rstrip()):
        a = _ATTRIBUTE.match(inner, pos)
        if a is None:
            return None
        pos = a.end()
        if a["id"]:
            found["id"] = a["id"]
        elif a["cls"]:
            found["class"] = f"{found['class']} {a['cls']}" if "class" in found else a["cls"]
        else:
            value = next(v for v in (a["dq"], a["sq"], a["bare"]) if v is not None)
            found[a["key"]] = value
    return found


def trailing_attributes(text: str) -> tuple[str, dict[str, str] | None]:
    """``text`` without a trailing attribute list, and its attributes (None: there is none).
    Used for headings (``## Title {#id}``) and, where the site enables block attributes,
    the line after a paragraph."""
    start = text.rfind("{")
    if start == -1 or not text.rstrip().endswith("}"):
        return text, None
    attrs = parse_attributes(text[start:])
    if attrs is None:
        return text, None
    return text[:start].rstrip(), attrs


def take_block_attributes(tokens: list[Token]) -> None:
    """Where the site enables block attributes (``markup.goldmark.parser.attribute.block``),
    an attribute line after a paragraph, list, quote, table or rule belongs to that block:
    the page never shows it. It is taken out of the text; an ``id`` is kept as the block's
    ``block_id`` (a link target). Where the site does not enable them, the page shows the
    line as text, and so does the paper (this is not called)."""
    previous: Token | None = None
    for tok in tokens:
        children = dict.get(tok, "children")
        text = dict.get(tok, "text")
        if tok.get("type") in ("paragraph", "block_text") and isinstance(text, str):
            lines = text.rstrip("\n").split("\n")
            attrs = parse_attributes(lines[-1])
            if attrs is not None:
                owner = tok if len(lines) > 1 else previous
                dict.__setitem__(tok, "text", "\n".join(lines[:-1]) + "\n")
                if len(lines) == 1:
                    tok["type"] = "blank_line"  # the line only dressed the block above
                if owner is not None and "id" in attrs:
                    owner.setdefault("attrs", {})["block_id"] = attrs["id"]
        if isinstance(children, list):
            take_block_attributes(children)
        if tok.get("type") != "blank_line":
            previous = tok
