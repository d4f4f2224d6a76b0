"""The LaTeX renderer: a table of handlers, one per mistune token type, ``(renderer, token)``
in, LaTeX out, all sharing one ``RenderState``.

Callers can extend or override the tables (``LatexRenderer(ctx, block_handlers={**BLOCK_HANDLERS,
"admonition": my_handler})``). Block output is prefixed with a sentinel naming its Markdown
line; ``finish`` strips the sentinels and turns their positions into the source map that
maps LaTeX errors back to the post. Unknown tokens give a located warning, never a crash.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from mdpaper.latex import blocks, citations_pandoc, direction, figures, inline, math, tables
from mdpaper.latex.boxes import group_details
from mdpaper.latex.citations import bibliography_commands, reference_lists_named
from mdpaper.latex.headings import plan_headings
from mdpaper.latex.line_marks import LINE_MARK, line_mark
from mdpaper.latex.state import RenderContext, RenderState
from mdpaper.latex.unknown_shortcodes import report_unknown_shortcodes
from mdpaper.model import BibliographyPlacement, RenderResult, SourceMap
from mdpaper.patterns import lazy_pattern

__all__ = ["BLOCK_HANDLERS", "INLINE_HANDLERS", "Handler", "LatexRenderer", "RenderContext",
           "finish"]

Token = dict[str, Any]
Handler = Callable[["LatexRenderer", Token], str]
T = TypeVar("T")

BLOCK_HANDLERS: dict[str, Handler] = {**blocks.HANDLERS, **tables.HANDLERS}
INLINE_HANDLERS: dict[str, Handler] = {**inline.HANDLERS, **math.INLINE_HANDLERS,
                                       **figures.INLINE_HANDLERS,
                                       **citations_pandoc.INLINE_HANDLERS,
                                       **direction.INLINE_HANDLERS}

#: What a consumed top-level token is replaced with (see ``blocks``).
_RENDERED: Token = {"type": "blank_line"}
# ulem's \sout/\uline take their argument apart word by word: a citation or footnote in
# there fails ("Extra }, or forgotten \endgroup"), unless it is boxed.
_BOX_IN_ULEM = {"footnote_ref", "shortcode", "block_math"}


class LatexRenderer:
    def __init__(self, ctx: RenderContext, *,
                 block_handlers: Mapping[str, Handler] = BLOCK_HANDLERS,
                 inline_handlers: Mapping[str, Handler] = INLINE_HANDLERS):
        self.state = RenderState(ctx)
        self.block_handlers = block_handlers
        self.inline_handlers = inline_handlers

    def escape(self, text: str, *, typographic: bool = True) -> str:
        return self.state.escape(text, typographic=typographic)

    # --- driver -----------------------------------------------------------------------
    def render(self, tokens: list[Token], footnotes: dict[str, list[Token]]) -> RenderResult:
        state = self.state
        state.footnotes = footnotes
        if state.ctx.bibliography is not None:
            reference_lists_named(tokens)
        state.plan = plan_headings(tokens, state.ctx.heading_ids, state.ctx.raw_html,
                                   [n for v in footnotes.values() if (n := _first_line(v))])
        state.placed_targets.update(state.plan.ids.values())
        if figures.hugo_blox_figures(state):  # links to its figures' ids, wherever they stand
            state.plan.known.update(figures.hugo_blox_figure_id(tok["call"], state.ctx.heading_ids)
                                    for tok in tokens if tok["type"] == "shortcode_block"
                                    and tok["call"].name == "figure")
        for ident, line in state.plan.duplicate_explicit:
            state.diag.warn(f"duplicate heading id '{ident}'", line)
        for title, line in state.plan.empty:
            state.diag.warn(f"section '{title}' is empty", line)
        if state.plan.notes_heading:
            title, line, _ = state.plan.notes_heading
            state.diag.warn(f"heading '{title}' titles only the footnotes, which the paper "
                            "sets at the foot of their pages: it is left out", line)
        body = self.blocks(tokens, consume=True)
        while state.open_shortcodes:
            body += blocks.close_shortcode(state.open_shortcodes.pop())
        if state.cite_keys and state.bibliography is None:
            state.bibliography = BibliographyPlacement(cited_only=True)
            body += "\n" + bibliography_commands(state)
        report_unknown_shortcodes(state)
        for key in footnotes:
            if key not in state.footnotes_used:
                state.diag.warn(f"footnote [^{key}] is defined but never referenced",
                                _first_line(footnotes[key]))
        text, source_map = finish(body)
        return RenderResult(body=text, requirements=state.requirements,
                            cite_keys=state.cite_keys, bibliography=state.bibliography,
                            figures=state.figures, unshown_images=state.unshown_images,
                            shown_files=state.shown_files,
                            source_map=source_map,
                            diagnostics=list(state.diag.items))

    def blocks(self, tokens: list[Token], separator: str = "\n\n", *,
               consume: bool = False) -> str:
        """Render block tokens; ``consume`` drops each from the list once rendered (the
        top level of a post: its AST need not outlive its LaTeX)."""
        if self.state.ctx.raw_html:
            group_details(tokens)
        # (blocks inside a run of inlines, a footnote's, are paragraphs of their own)
        directing, self.state.directing = self.state.directing, False
        out = []
        for i, tok in enumerate(tokens):
            line = tok.get("_line")
            if line:
                self.state.line = line
            rendered = self.block(tok)
            if rendered:
                out.append((line_mark(line) if line else "") + rendered)
            if consume:
                tokens[i] = _RENDERED
        self.state.directing = directing
        return separator.join(out)

    def block(self, tok: Token) -> str:
        handler = self.block_handlers.get(tok["type"])
        if handler is None:
            self.state.diag.warn(f"unsupported Markdown element '{tok['type']}' left out",
                                 self.state.line)
            return ""
        return handler(self, tok)

    def inlines(self, tokens: list[Token], *, paragraph: bool = False) -> str:
        """Render a run of inline tokens; HTML tags left open at its end are closed.
        ``paragraph``: the run is a whole paragraph (``direction.marked``)."""
        state = self.state
        directing = state.directing  # (the runs inside this one are marked with it)
        if state.ctx.right_to_left and not directing:
            marked = direction.marked(tokens, paragraph=paragraph)
            if marked is not tokens:
                state.define("mdpaperdirections", direction.DEFINITION)
                tokens, state.directing = marked, True
        outer_html = state.html_stack
        outer_ulem = int(any(t in inline.ULEM_TAGS for t in outer_html))
        state.ulem_depth += outer_ulem
        state.html_stack = []
        state.inline_depth += 1
        out = [self.inline(tok) for tok in tokens]
        state.inline_depth -= 1
        out += inline.close_html(state.html_stack, None)
        state.html_stack, state.directing = outer_html, directing
        state.ulem_depth -= outer_ulem
        return "".join(out)

    def inline(self, tok: Token) -> str:
        kind = tok["type"]
        if kind == "text":  # most tokens: skip the table lookup
            raw = tok["raw"]
            if ("www." in raw or "@" in raw or "&" in raw
                    or (":" in raw and self.state.ctx.emoji)):
                # maybe an address Goldmark's linkify links, an emoji name, an &entity;
                return inline.text(self, tok)
            return self.state.escape(raw)
        handler = self.inline_handlers.get(kind)
        if handler is None:
            if "children" in tok:
                return self.inlines(tok["children"])
            self.state.diag.warn(f"unsupported inline element '{kind}' left out",
                                 self.state.line)
            return ""
        if kind in _BOX_IN_ULEM and self.in_ulem():
            return "\\mbox{" + handler(self, tok).strip("\n") + "}"
        return handler(self, tok)

    def in_ulem(self) -> bool:
        state = self.state
        return state.ulem_depth > 0 or any(t in inline.ULEM_TAGS for t in state.html_stack)

    def in_argument(self, render: Callable[[], T]) -> T:
        """``render()`` inside a macro argument, where verbatim code cannot go."""
        self.state.in_argument += 1
        try:
            return render()
        finally:
            self.state.in_argument -= 1


def _first_line(tokens: list[Token]) -> int | None:
    for tok in tokens:
        if tok.get("_line"):
            return tok["_line"]
    return None


#: TeX reads a source line into a buffer of 200,000 characters ("Unable to read an entire
#: line"); a one-line paragraph with thousands of footnotes or a 5 MB post gets there.
_LONG_LINE = 2000
_BREAKABLE_SPACE = lazy_pattern(r"(?<=[^\\\s]) (?=[^\s])")


def wrap_long_lines(body: str) -> str:
    """Break lines longer than ``_LONG_LINE`` at spaces (a newline is a space to TeX), except
    in ``Verbatim`` code, where every line is printed as it is."""
    out, verbatim = [], False
    for line in body.split("\n"):
        if "\\begin{Verbatim}" in line:
            verbatim = True
        if verbatim:
            verbatim = not line.startswith("\\end{Verbatim}")
            out.append(line)
            continue
        while len(line) > _LONG_LINE:
            m = _BREAKABLE_SPACE.search(line, _LONG_LINE // 2)
            if not m:
                break
            out.append(line[: m.start()])
            line = line[m.end():]
        out.append(line)
    return "\n".join(out)


def finish(body: str) -> tuple[str, SourceMap]:
    """Strip line sentinels; return the clean text and (tex_line, md_line) pairs."""
    parts = LINE_MARK.split(wrap_long_lines(body))
    out: list[str] = [parts[0]]
    entries: list[tuple[int, int]] = []
    tex_line = 1 + parts[0].count("\n")
    for i in range(1, len(parts), 2):
        md_line = int(parts[i])
        if not entries or entries[-1] != (tex_line, md_line):
            if entries and entries[-1][0] == tex_line:
                entries[-1] = (tex_line, md_line)
            else:
                entries.append((tex_line, md_line))
        text = parts[i + 1]
        out.append(text)
        tex_line += text.count("\n")
    return "".join(out), SourceMap(entries)
