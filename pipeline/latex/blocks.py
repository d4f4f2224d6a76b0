"""Block tokens: paragraphs, headings, quotes, lists, code, display math, raw HTML and
block shortcodes. Each handler takes the renderer and its token and returns LaTeX."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mdpaper.latex import code as codeblocks
from mdpaper.latex import html
from mdpaper.latex.boxes import (
    CLOSE_BOX,
    box,
    card,
    note_tab_labels,
    open_box,
    shown_title,
    transparent_open,
)
from mdpaper.latex.citations import bibliography_shortcode
from mdpaper.latex.data_tables import data_table, is_data_table
from mdpaper.latex.escape import shield_argument
from mdpaper.latex.figures import (
    figure_from_image,
    figure_shortcode,
    site_image_shortcode,
    site_image_source,
)
from mdpaper.latex.headings import plain_text, section_label, short_title
from mdpaper.latex.inline import code_text
from mdpaper.latex.math import block_math, display_math
from mdpaper.latex.page_values import code_as_shown, embed_link
from mdpaper.latex.qr import qr_code
from mdpaper.latex.quotes import CLOSE_QUOTE, open_quote
from mdpaper.latex.theorems import CLOSE_THEOREM, OPEN_MARK, open_theorem, title_with_math
from mdpaper.latex.unknown_shortcodes import note_unknown_shortcode, unknown_shortcode
from mdpaper.markdown.emoji import emojify
from mdpaper.markdown.flanking import unflanked_emphasis
from mdpaper.markdown.shortcode_names import (
    EMBED_NAMES,
    PAIRED_NAMES,
    QUOTE_NAMES,
    TRANSPARENT_NAMES,
)
from mdpaper.markdown.shortcodes import theorem_kind
from mdpaper.patterns import lazy_pattern

if TYPE_CHECKING:  # the renderer imports this module for its handler table
    from mdpaper.latex.renderer import LatexRenderer

Token = dict[str, Any]


def paragraph(r: LatexRenderer, tok: Token) -> str:
    _literal_markers(r, tok)
    children = tok["children"]
    if len(children) == 1 and children[0]["type"] == "image":
        return figure_from_image(r, children[0])
    lone = _lone_formula(children)
    if lone is not None and r.state.ctx.lone_formulas_display and not r.state.in_argument:
        # The page shows it on a line of its own; a paper sets it as display math, with
        # its trailing punctuation inside the display.
        return anchor(tok) + display_math(r, {"raw": lone, "_line": tok.get("_line")})
    return anchor(tok) + r.inlines(children, paragraph=True)


_TRAILING_PUNCTUATION = lazy_pattern(r"\s*([.,;:!?]?)\s*")


def _lone_formula(children: list[Token]) -> str | None:
    """The formula of a paragraph that holds one inline formula and nothing but trailing
    punctuation (``$E = mc^2$.``), with that punctuation; None for any other paragraph."""
    kinds = [c["type"] for c in children]
    if not kinds or kinds[0] != "inline_math" or kinds.count("inline_math") != 1:
        return None
    rest = children[1:]
    if any(c["type"] != "text" for c in rest):
        return None
    m = _TRAILING_PUNCTUATION.fullmatch("".join(c.get("raw", "") for c in rest))
    if m is None:
        return None
    return str(children[0]["raw"]) + (m.group(1) and " " + m.group(1))


def anchor(tok: Token) -> str:
    """A link target for a block given an id by a block attribute (``{#id}``)."""
    block_id = (dict.get(tok, "attrs") or {}).get("block_id")
    return f"\\phantomsection\\label{{{section_label(block_id)}}}" if block_id else ""


def block_text(r: LatexRenderer, tok: Token) -> str:
    _literal_markers(r, tok)
    # (a tight list item's text: right-to-left text stays beside its marker)
    return r.inlines(tok["children"])


def _literal_markers(r: LatexRenderer, tok: Token) -> None:
    """Warn of emphasis markers the page prints as text (``markdown.flanking``)."""
    marker = unflanked_emphasis(tok.get("text") or "")
    if marker is not None:
        example = "**注意：**这里" if marker[0] == "*" else "这是_强调_的"
        r.state.diag.warn(f"the web page shows '{marker}' as text here, not emphasis: "
                          "CommonMark neither opens it between a letter and punctuation nor "
                          f"closes it between punctuation and a letter ({example}); put a "
                          f"space beside the '{marker}' or the punctuation outside it",
                          tok.get("_line") or r.state.line)


def nothing(r: LatexRenderer, tok: Token) -> str:
    """Blank lines, and the footnotes list (each note is rendered where it is cited)."""
    return ""


def heading(r: LatexRenderer, tok: Token) -> str:
    state = r.state
    if id(tok) in state.plan.bibliography_headings:
        state.pending_bibliography_title = r.inlines(tok["children"]).strip()
        return ""
    if state.plan.notes_heading and state.plan.notes_heading[2] == id(tok):
        return ""
    if id(tok) not in state.plan.ids:  # in a footnote (the page shows it there): no
        return "\\textbf{" + r.inlines(tok["children"]).strip() + "}"  # section can go
    command = state.plan.command(tok["attrs"]["level"])
    state.heading_targets = []
    try:
        title = r.inlines(tok["children"]).strip()
        more = "".join(f"\\label{{{section_label(t)}}}" for t in
                       dict.fromkeys(state.heading_targets) if t not in state.placed_targets)
        state.placed_targets.update(state.heading_targets)
    finally:
        state.heading_targets = None
    short = short_title(r, tok["children"], title)
    label = section_label(state.plan.ids[id(tok)])
    opt = f"[{short}]" if short != title else ""
    if "\\url{" in short or "\\href{" in short:
        # Links cannot go into PDF bookmarks ("File ended while scanning use of
        # \@@BOOKMARK" on the next run): the bookmark gets their plain text.
        kept = [t for t in tok["children"] if t["type"] not in ("footnote_ref", "shortcode")]
        bookmark = r.escape(plain_text(kept), typographic=False).strip()
        opt = f"[\\texorpdfstring{{{short}}}{{{bookmark}}}]"
    return f"\\{command}{opt}{{{title}}}\\label{{{label}}}{more}"


def thematic_break(r: LatexRenderer, tok: Token) -> str:
    return "\\begin{center}\\rule{0.5\\linewidth}{0.4pt}\\end{center}"


def block_quote(r: LatexRenderer, tok: Token) -> str:
    return anchor(tok) + "\\begin{quote}\n" + r.blocks(tok["children"]) + "\n\\end{quote}"


def alert(r: LatexRenderer, tok: Token) -> str:
    """A GitHub-style alert (``> [!NOTE]``): a box titled by the author's title or the kind.
    A foldable one is shown open: paper cannot fold."""
    title = tok["attrs"]["title"]
    if r.state.ctx.emoji:  # the title is the alert's text to Goldmark, emoji and all
        title = emojify(title, keep_variation=r.state.escape.unicode_engine)
    return box(r, r.escape(title), r.blocks(tok["children"]))


def definition_list(r: LatexRenderer, tok: Token) -> str:
    """``Term`` / ``: definition`` (Goldmark's definition lists) as a description list."""
    items = []
    for child in tok["children"]:
        if child["type"] == "def_list_head":
            # \item[...] takes an optional argument: brackets inside it need braces
            items.append(f"\\item[{{{r.inlines(child['children']).strip()}}}]")
        else:
            items.append(r.blocks(child["children"]))
    return "\\begin{description}\n" + "\n".join(items) + "\n\\end{description}"


def list_block(r: LatexRenderer, tok: Token) -> str:
    state = r.state
    ordered = tok["attrs"].get("ordered")
    env = "enumerate" if ordered else "itemize"
    state.use_package("enumitem")  # start=, noitemsep, and lists deeper than four levels
    state.list_depth += 1
    state.max_list_depth = max(state.max_list_depth, state.list_depth)
    options = []
    if ordered and tok["attrs"].get("start", 1) != 1:
        options.append(f"start={int(tok['attrs']['start'])}")
    if tok.get("tight"):
        options.append("noitemsep")
    items = []
    for item in tok["children"]:
        state.tight_list = bool(tok.get("tight"))
        items.append(r.block(item))
    state.list_depth -= 1
    opt = f"[{','.join(options)}]" if options else ""
    return (anchor(tok) + f"\\begin{{{env}}}{opt}\n" + "\n".join(items)
            + f"\n\\end{{{env}}}")


def list_item(r: LatexRenderer, tok: Token) -> str:
    # In a tight list a nested list follows its item's text without a paragraph break.
    return "\\item " + _heading_start(tok) + shield_argument(
        r.blocks(tok["children"], "\n" if r.state.tight_list else "\n\n"))


def task_list_item(r: LatexRenderer, tok: Token) -> str:
    r.state.use_package("amssymb")  # \boxtimes, \square
    box = "$\\boxtimes$" if tok["attrs"].get("checked") else "$\\square$"
    return f"\\item[{box}] " + r.blocks(tok["children"], "\n" if r.state.tight_list else "\n\n")


def _heading_start(item: Token) -> str:
    """An item opening with a heading (``- ### Left``, hugo-book's columns) starts its
    paragraph first: a section command right at ``\\item`` leaves LaTeX's item label
    pending, and after a heading above the list the next ``\\item`` stops TeX ("perhaps a
    missing \\item"). The page, too, shows the bullet and the heading beside it."""
    children = [c for c in item.get("children") or [] if c["type"] != "blank_line"]
    return "\\leavevmode" if children and children[0]["type"] == "heading" else ""


def block_code(r: LatexRenderer, tok: Token) -> str:
    state = r.state
    raw = code_as_shown(r, tok["raw"])
    if state.in_argument:
        # \footnote{...} and table cells cannot hold a Verbatim environment.
        lines = [code_text(r, line) or "~" for line in raw.rstrip("\n").split("\n")]
        return "{\\ttfamily\\small " + "\\\\\n".join(lines) + "}"
    cache = state.ctx.highlight_cache
    if codeblocks.STYLE_DEFINITIONS not in state.requirements:
        for requirement in codeblocks.requirements(cache):
            state.use(requirement)
    language = codeblocks.language_of(tok.get("attrs", {}).get("info"))
    if language == "mermaid":
        state.diag.warn("a Mermaid diagram is drawn by the page's JavaScript; the paper shows "
                        "its source", state.line)
    verbatim = codeblocks.highlight(raw.rstrip("\n"), language, state.code_character, cache)
    options = codeblocks.verbatim_options(tok.get("attrs", {}).get("info"))
    if options:  # line numbers, highlighted lines: options of the Verbatim it opens with
        verbatim = verbatim.replace("]", "," + ",".join(options) + "]", 1)
    return verbatim


def shortcode_block(r: LatexRenderer, tok: Token) -> str:
    call = tok["call"]
    diag = r.state.diag
    if call.name == "figure":
        return figure_shortcode(r, call)
    if is_data_table(call):
        return data_table(r, call)
    if call.name == "bibliography":
        return bibliography_shortcode(r, call)
    if call.name == "toc":
        return "\\tableofcontents"
    if call.name == "qr":
        return qr_code(r, call, tok.get("inner"))
    if call.name == "card":
        return card(r, call)
    if call.name == "chart":  # Blowfish's and Congo's: Chart.js settings, no text to show
        diag.warn("shortcode 'chart' is a chart the page's JavaScript draws from its "
                  "settings; the paper leaves it out", call.line)
        return ""
    if call.name in EMBED_NAMES:
        diag.warn(f"shortcode '{call.name}' embeds web content; a paper shows only a link",
                  call.line)
        return embed_link(r, call)
    if site_image_source(call):  # (a paired one's content follows it)
        return "\n\n".join([site_image_shortcode(r, call), r.blocks(tok.get("children", []))])
    if call.self_closing and call.name in PAIRED_NAMES \
            and theorem_kind(call) is None:  # {{< admonition title="Why?" />}}: its title
        return box(r, title_with_math(r, shown_title(r, call), call.line), "")
    return unknown_shortcode(r, tok, block=True)


def shortcode_open(r: LatexRenderer, tok: Token) -> str:
    call = tok["call"]
    if (kind := theorem_kind(call)) is not None:
        r.state.open_shortcodes.append(OPEN_MARK + call.name)
        return open_theorem(r, call, kind)
    r.state.open_shortcodes.append(call.name)
    note_tab_labels(r, call)
    if call.name in TRANSPARENT_NAMES:
        return transparent_open(r, call)
    if call.name in QUOTE_NAMES:
        return open_quote(r, call)
    return open_box(r, title_with_math(r, shown_title(r, call), call.line))


def shortcode_close(r: LatexRenderer, tok: Token) -> str:
    name = tok["call"].name
    opened = r.state.open_shortcodes
    if OPEN_MARK + name in opened:
        name = OPEN_MARK + name
    if name not in opened:
        note_unknown_shortcode(r.state, tok["call"])  # an unknown paired shortcode's
        return ""
    out = []
    while opened:
        top = opened.pop()
        out.append(close_shortcode(top))
        if top == name:
            break
    return "\n".join(out)


def close_shortcode(name: str) -> str:
    if name.startswith(OPEN_MARK):
        return CLOSE_THEOREM
    if name in QUOTE_NAMES:
        return CLOSE_QUOTE
    return "" if name in TRANSPARENT_NAMES else CLOSE_BOX


HANDLERS = {
    "paragraph": paragraph,
    "block_text": block_text,
    "blank_line": nothing,
    "heading": heading,
    "thematic_break": thematic_break,
    "block_quote": block_quote,
    "alert": alert,
    "def_list": definition_list,
    "list": list_block,
    "list_item": list_item,
    "task_list_item": task_list_item,
    "block_code": block_code,
    "block_math": block_math,
    "block_html": html.block_html,
    "details_html": html.details_html,
    "shortcode_block": shortcode_block,
    "shortcode_open": shortcode_open,
    "shortcode_close": shortcode_close,
    "footnotes": nothing,
}
