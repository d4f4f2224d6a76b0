"""Heading ids and levels, decided before rendering so links can point forward.

Ids follow Hugo's default (Goldmark, ``autoHeadingIDType = "github"``): lower-case, spaces
and hyphens become ``-``, other punctuation is dropped, duplicates get ``-1``, ``-2``...
An explicit ``{#id}`` attribute at the end of the heading wins.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mdpaper.latex.escape import label
from mdpaper.markdown.goldmark import trailing_attributes
from mdpaper.markdown.shortcode_names import ANCHOR_NAMES
from mdpaper.markdown.shortcodes import TIKZ_NAMES, theorem_id, theorem_kind
from mdpaper.patterns import lazy_pattern
from mdpaper.source.heading_ids import heading_slug

if TYPE_CHECKING:  # the renderer imports this module
    from mdpaper.latex.renderer import LatexRenderer

Token = dict[str, Any]

COMMANDS = ("section", "subsection", "subsubsection", "paragraph", "subparagraph")
BIBLIOGRAPHY_TITLES = {"references", "bibliography", "literature", "works cited", "sources"}


def section_label(ident: str) -> str:
    """The ``\\label`` of the section whose heading has id ``ident``."""
    return "sec:" + label(ident)


def link_target(ident: str | None, placed: set[str]) -> str:
    """A place links to ``#ident`` lead to (an id raw HTML or an anchor shortcode gives),
    unless one is ``placed`` already: a page may repeat an id (the same inline SVG twice,
    each ``id="Layer_1"``), and its links go to the first; a second label only makes TeX
    warn of labels "multiply defined"."""
    if not ident or ident in placed:
        return ""
    placed.add(ident)
    return f"\\phantomsection\\label{{{section_label(ident)}}}"


def plain_text(tokens: list[Token]) -> str:
    parts = []
    for tok in tokens:
        kind = tok["type"]
        if kind in ("text", "codespan", "inline_math"):
            parts.append(tok.get("raw", ""))
        elif kind in ("softbreak", "linebreak"):
            parts.append(" ")
        elif "children" in tok and kind not in ("footnote_ref", "image"):
            parts.append(plain_text(tok["children"]))
    return "".join(parts)


def take_explicit_id(heading: Token) -> str | None:
    """Remove a trailing attribute list (``{#id .class}``, ``{id="x" class="y"}``) from the
    heading's text and return its id."""
    children = heading.get("children") or []
    if not children or children[-1]["type"] != "text":
        return None
    text, attrs = trailing_attributes(children[-1]["raw"])
    if attrs is None:
        return None
    children[-1]["raw"] = text
    return attrs.get("id")


@dataclass
class HeadingPlan:
    ids: dict[int, str] = field(default_factory=dict)  # id(token) -> heading id
    known: set[str] = field(default_factory=set)
    #: id -> kind of the theorem-like statements that give one (a site's own ref names them)
    statements: dict[str, str] = field(default_factory=dict)
    duplicate_explicit: list[tuple[str, int | None]] = field(default_factory=list)
    #: (title, line) of headings with nothing under them before the next heading
    empty: list[tuple[str, int | None]] = field(default_factory=list)
    top_level: int = 1
    #: id(token) of headings that only introduce the bibliography
    bibliography_headings: set[int] = field(default_factory=set)
    #: the last heading, when only footnote definitions follow it (``## Notes``): on the
    #: page it titles the footnotes, listed right below; in the paper each note is at the
    #: foot of its page, so it is left out. (title, line, id(token))
    notes_heading: tuple[str, int | None, int] | None = None

    def command(self, level: int) -> str:
        index = max(0, level - self.top_level)
        return COMMANDS[min(index, len(COMMANDS) - 1)]


def _walk_blocks(tokens: list[Token]) -> Iterator[Token]:
    for tok in tokens:
        yield tok
        if tok["type"] in ("block_quote", "list", "list_item", "task_list_item"):
            yield from _walk_blocks(tok.get("children") or [])


def plan_headings(tokens: list[Token], id_type: str = "github", raw_html: bool = False,
                  footnote_lines: Collection[int] = ()) -> HeadingPlan:
    """Ids (Hugo's ``autoHeadingIDType``: github, github-ascii, blackfriday) and levels;
    ``footnote_lines``: where the post defines its footnotes."""
    plan = HeadingPlan()
    headings = [t for t in _walk_blocks(tokens) if t["type"] == "heading"]
    explicit = {id(h): take_explicit_id(h) for h in headings}
    seen: dict[str, int] = {}
    for h in headings:
        ident = explicit[id(h)]
        if ident:
            if ident in plan.known:
                plan.duplicate_explicit.append((ident, h.get("_line")))
            plan.known.add(ident)
            plan.ids[id(h)] = ident
    for h in headings:
        if explicit[id(h)]:
            continue
        base = heading_slug(plain_text(h.get("children") or []), id_type) or "section"
        ident, n = base, seen.get(base, 0)
        while ident in plan.known:
            n += 1
            ident = f"{base}-{n}"
        seen[base] = n
        plan.known.add(ident)
        plan.ids[id(h)] = ident
    for tok in _walk_blocks(tokens):  # ids given by block attributes ({#id}) are targets too
        block_id = (dict.get(tok, "attrs") or {}).get("block_id")
        if block_id and tok["type"] != "heading":
            plan.known.add(block_id)
    plan.known.update(_anchor_ids(tokens, raw_html, plan.statements))
    plan.bibliography_headings = _bibliography_headings(tokens)
    levels = [h["attrs"]["level"] for h in headings if id(h) not in plan.bibliography_headings]
    plan.top_level = min(levels) if levels else 1
    plan.empty = _empty_sections(tokens, plan.bibliography_headings)
    last = next((t for t in reversed(tokens) if t["type"] not in _NO_BLOCK), None)
    if (last is not None and last["type"] == "heading" and plan.empty
            and plan.empty[-1][1] == last.get("_line")
            and any(n > (last.get("_line") or n) for n in footnote_lines)):
        title, line = plan.empty.pop()
        plan.notes_heading = (title, line, id(last))
    return plan


#: tokens that are no block of the text (the footnotes list is set note by note)
_NO_BLOCK = ("blank_line", "footnotes")


#: An id an HTML element gives itself (``<a name="x">``, ``<span id="x">``): a link target.
HTML_ID = lazy_pattern(r"""<[A-Za-z][^>]*?\s(?:id|name)\s*=\s*["']?([^"'\s>]+)""")


#: an anchor shortcode in a block's unparsed text (``{{< anchor "name" >}}``)
_ANCHOR_CALL = lazy_pattern(r"""\{\{[<%]\s*anchor\s+(?:name\s*=\s*)?["`]?([^"`\s>%]+)""")


def _anchor_ids(tokens: list[Token], raw_html: bool,
                statements: dict[str, str]) -> Iterator[str]:
    """Ids that anchor shortcodes and (on a site whose page shows it) raw HTML give; those
    of theorem-like statements go into ``statements`` too, with their kind.

    A block whose inline text is not parsed yet is scanned as text: parsing it here would
    keep every block's inline tokens in memory at once (``markdown.fastparse``)."""
    for tok in tokens:
        kind = tok["type"]
        text = dict.get(tok, "text")
        if isinstance(text, str):
            yield from _ANCHOR_CALL.findall(text)
            if raw_html:
                yield from HTML_ID.findall(text)
        elif kind in ("shortcode", "shortcode_block") and tok["call"].name in TIKZ_NAMES:
            if tok["call"].get("id"):  # a picture's id= (themes' tikz shortcodes take one)
                yield tok["call"].get("id")
        elif kind == "shortcode" and tok["call"].name in ANCHOR_NAMES:
            ident = tok["call"].get("name", 0)
            if ident:
                yield ident
        elif kind == "shortcode_open" and (statement := theorem_kind(tok["call"])):
            ident = theorem_id(tok["call"])
            if ident:
                statements[ident] = statement
                yield ident
        elif kind in ("inline_html", "block_html") and raw_html:
            yield from HTML_ID.findall(tok.get("raw", ""))
        children = dict.get(tok, "children")
        if isinstance(children, list):
            yield from _anchor_ids(children, raw_html, statements)


def _empty_sections(tokens: list[Token], skip: set[int]) -> list[tuple[str, int | None]]:
    """Headings followed by a heading of the same or a higher level (or the end), with
    nothing in between: usually a section still to be written."""
    blocks = [t for t in tokens if t["type"] != "blank_line"]
    found = []
    for i, tok in enumerate(blocks):
        if tok["type"] != "heading" or id(tok) in skip:
            continue
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if nxt is None or (nxt["type"] == "heading"
                           and nxt["attrs"]["level"] <= tok["attrs"]["level"]):
            found.append((plain_text(tok.get("children") or []).strip(), tok.get("_line")))
    return found


def _bibliography_headings(tokens: list[Token]) -> set[int]:
    """Headings directly followed by ``{{< bibliography >}}`` name the bibliography."""
    found = set()
    blocks = [t for t in tokens if t["type"] != "blank_line"]
    for tok, nxt in zip(blocks, blocks[1:], strict=False):
        if (tok["type"] == "heading" and nxt["type"] == "shortcode_block"
                and nxt["call"].name == "bibliography"):
            found.add(id(tok))
    return found


def short_title(r: LatexRenderer, tokens: list[Token], full: str) -> str:
    """A heading or caption without citations and footnotes (for the TOC/bookmarks)."""
    if not any(_has_moving_trouble(t) for t in tokens):
        return full
    kept = [t for t in tokens if not _has_moving_trouble(t)]
    return r.inlines(kept).strip()


def _has_moving_trouble(tok: Token) -> bool:
    if tok["type"] in ("footnote_ref", "shortcode"):
        return True
    return any(_has_moving_trouble(c) for c in tok.get("children") or ())
