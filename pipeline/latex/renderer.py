"""The LaTeX renderer: one method per mistune token type, ``(token)`` in, LaTeX out.

Block output is prefixed with a sentinel naming its Markdown line; ``finish`` strips the
sentinels and turns their positions into the source map that maps LaTeX errors back to the
post. Unknown tokens give a located warning, never a crash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mdpaper.errors import Diagnostics
from mdpaper.latex import code as codeblocks
from mdpaper.latex.citations import CitationsMixin
from mdpaper.latex.citations_pandoc import PandocCitationsMixin
from mdpaper.latex.escape import TextEscaper
from mdpaper.latex.figures import FiguresMixin
from mdpaper.latex.headings import HeadingPlan, plain_text, plan_headings
from mdpaper.latex.inline import InlineMixin
from mdpaper.latex.tables import TablesMixin
from mdpaper.markdown.shortcodes import EMBED_NAMES
from mdpaper.model import BibliographyPlacement, RenderResult, SourceMap
from mdpaper.tex.engines import DEFAULT_ENGINE

Token = dict[str, Any]
_SENTINEL = re.compile("\x00L(\\d+)\x00")
#: What a consumed top-level token is replaced with (see ``blocks``).
_RENDERED: Token = {"type": "blank_line"}


@dataclass
class RenderContext:
    """What the renderer needs to know about the post and its surroundings."""

    post_path: Path
    site_root: Path
    post_dir: Path
    bibliography: Any = None  # mdpaper.bibliography.database.Bibliography, when the post has one
    engine: str = DEFAULT_ENGINE
    parser: Any = None  # the PostMarkdown, to parse captions given as shortcode arguments
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    #: Hugo's autoHeadingIDType: github, github-ascii or blackfriday
    heading_ids: str = "github"
    #: highlighted code blocks of the last build (mdpaper.latex.code.HighlightCache)
    highlight_cache: Any = None


class LatexRenderer(InlineMixin, TablesMixin, FiguresMixin, CitationsMixin,
                    PandocCitationsMixin):
    def __init__(self, ctx: RenderContext):
        self.ctx = ctx
        self.diag = ctx.diagnostics
        self.escape = TextEscaper(ctx.engine, self._unsupported_char)
        self.features: set[str] = set()
        self.cite_keys: dict[str, int] = {}
        self.figures: dict[str, Path] = {}
        self.footnotes: dict[str, list[Token]] = {}
        self.footnotes_used: set[str] = set()
        self.bibliography: BibliographyPlacement | None = None
        self.plan = HeadingPlan()
        self.line: int | None = None  # Markdown line of the block being rendered
        self.list_depth = 0
        self.tight_list = False
        self.max_list_depth = 0
        # Inside a macro argument (footnote, table cell, caption) verbatim cannot work.
        self.in_argument = 0
        self.open_shortcodes: list[str] = []
        self._reported_chars: set[str] = set()

    # --- driver -----------------------------------------------------------------------
    def render(self, tokens: list[Token], footnotes: dict[str, list[Token]]) -> RenderResult:
        self.footnotes = footnotes
        self.plan = plan_headings(tokens, self.ctx.heading_ids)
        for ident, line in self.plan.duplicate_explicit:
            self.diag.warn(f"duplicate heading id '{ident}'", line)
        for title, line in self.plan.empty:
            self.diag.warn(f"section '{title}' is empty", line)
        body = self.blocks(tokens, consume=True)
        while self.open_shortcodes:
            body += self._close_shortcode(self.open_shortcodes.pop())
        if self.cite_keys and self.bibliography is None:
            self.bibliography = BibliographyPlacement(cited_only=True)
            body += "\n" + self.bibliography_commands()
        for key in footnotes:
            if key not in self.footnotes_used:
                self.diag.warn(f"footnote [^{key}] is defined but never referenced",
                               _first_line(footnotes[key]))
        text, source_map = finish(body)
        return RenderResult(body=text, features=self.features, cite_keys=self.cite_keys,
                            bibliography=self.bibliography, figures=self.figures,
                            source_map=source_map, diagnostics=list(self.diag.items))

    def blocks(self, tokens: list[Token], separator: str = "\n\n", *,
               consume: bool = False) -> str:
        """Render block tokens; ``consume`` drops each from the list once rendered (the
        top level of a post: its AST need not outlive its LaTeX)."""
        out = []
        for i, tok in enumerate(tokens):
            line = tok.get("_line")
            if line:
                self.line = line
            rendered = self.block(tok)
            if rendered:
                out.append((f"\x00L{line}\x00" if line else "") + rendered)
            if consume:
                tokens[i] = _RENDERED
        return separator.join(out)

    def block(self, tok: Token) -> str:
        method = getattr(self, "block_" + tok["type"], None)
        if method is None:
            self.diag.warn(f"unsupported Markdown element '{tok['type']}' left out", self.line)
            return ""
        return method(tok)

    def _unsupported_char(self, ch: str) -> None:
        if ch not in self._reported_chars:
            self._reported_chars.add(ch)
            import unicodedata

            name = unicodedata.name(ch, f"U+{ord(ch):04X}")
            self.diag.warn(f"character '{ch}' ({name}) cannot be typeset by {self.ctx.engine}; "
                           "replaced (use --engine xelatex or lualatex to keep it)", self.line)

    # --- blocks -------------------------------------------------------------------------
    def block_paragraph(self, tok: Token) -> str:
        children = tok["children"]
        if len(children) == 1 and children[0]["type"] == "image":
            return self.figure_from_image(children[0])
        return self.inlines(children)

    def block_block_text(self, tok: Token) -> str:
        return self.inlines(tok["children"])

    def block_blank_line(self, tok: Token) -> str:
        return ""

    def block_heading(self, tok: Token) -> str:
        if id(tok) in self.plan.bibliography_headings:
            self.pending_bibliography_title = self.inlines(tok["children"]).strip()
            return ""
        level = tok["attrs"]["level"]
        command = self.plan.command(level)
        title = self.inlines(tok["children"]).strip()
        short = self.short_title(tok["children"], title)
        label = self.label_for(self.plan.ids[id(tok)])
        opt = f"[{short}]" if short != title else ""
        if "\\url{" in short or "\\href{" in short:
            # Links cannot go into PDF bookmarks ("File ended while scanning use of
            # \@@BOOKMARK" on the next run): the bookmark gets their plain text.
            kept = [t for t in tok["children"] if t["type"] not in ("footnote_ref", "shortcode")]
            bookmark = self.escape(plain_text(kept), typographic=False).strip()
            opt = f"[\\texorpdfstring{{{short}}}{{{bookmark}}}]"
        return f"\\{command}{opt}{{{title}}}\\label{{{label}}}"

    def block_thematic_break(self, tok: Token) -> str:
        return "\\begin{center}\\rule{0.5\\linewidth}{0.4pt}\\end{center}"

    def block_block_quote(self, tok: Token) -> str:
        return "\\begin{quote}\n" + self.blocks(tok["children"]) + "\n\\end{quote}"

    def block_list(self, tok: Token) -> str:
        ordered = tok["attrs"].get("ordered")
        env = "enumerate" if ordered else "itemize"
        self.features.add("lists")
        self.list_depth += 1
        self.max_list_depth = max(self.max_list_depth, self.list_depth)
        options = []
        if ordered and tok["attrs"].get("start", 1) != 1:
            options.append(f"start={int(tok['attrs']['start'])}")
        if tok.get("tight"):
            options.append("noitemsep")
        items = []
        for item in tok["children"]:
            self.tight_list = bool(tok.get("tight"))
            items.append(self.block(item))
        self.list_depth -= 1
        opt = f"[{','.join(options)}]" if options else ""
        return f"\\begin{{{env}}}{opt}\n" + "\n".join(items) + f"\n\\end{{{env}}}"

    def block_list_item(self, tok: Token) -> str:
        # In a tight list a nested list follows its item's text without a paragraph break.
        return "\\item " + self.blocks(tok["children"], "\n" if self.tight_list else "\n\n")

    def block_task_list_item(self, tok: Token) -> str:
        self.features.add("amssymb")
        box = "$\\boxtimes$" if tok["attrs"].get("checked") else "$\\square$"
        return f"\\item[{box}] " + self.blocks(tok["children"], "\n" if self.tight_list else "\n\n")

    def block_block_code(self, tok: Token) -> str:
        raw = tok["raw"].replace("{{</*", "{{<").replace("*/>}}", ">}}")
        raw = raw.replace("{{%/*", "{{%").replace("*/%}}", "%}}")
        if self.in_argument:
            # \footnote{...} and table cells cannot hold a Verbatim environment.
            lines = [self.code_text(line) or "~" for line in raw.rstrip("\n").split("\n")]
            return "{\\ttfamily\\small " + "\\\\\n".join(lines) + "}"
        self.features.add("code")
        language = codeblocks.language_of(tok.get("attrs", {}).get("info"))
        return codeblocks.highlight(raw.rstrip("\n"), language, self.escape.character,
                                    self.ctx.highlight_cache)

    def block_block_math(self, tok: Token) -> str:
        return self.display_math(tok)

    def block_block_html(self, tok: Token) -> str:
        raw = tok["raw"].strip()
        if raw.startswith("<!--"):
            return ""  # comments and <!--more--> are for the blog, not the paper
        self.diag.warn("raw HTML block left out of the paper: " + _preview(raw), self.line)
        return ""

    def block_shortcode_block(self, tok: Token) -> str:
        call = tok["call"]
        if call.name == "figure":
            return self.figure_shortcode(call)
        if call.name == "bibliography":
            return self.bibliography_shortcode(call)
        if call.name == "toc":
            return "\\tableofcontents"
        if call.name in EMBED_NAMES:
            self.diag.warn(f"shortcode '{call.name}' embeds web content; a paper shows only a link",
                           call.line)
            return self.embed_link(call)
        self.diag.warn(f"unknown shortcode '{call.name}' left out", call.line)
        return ""

    def block_shortcode_open(self, tok: Token) -> str:
        call = tok["call"]
        self.open_shortcodes.append(call.name)
        title = call.get("title", 1) or call.get("type", 0) or call.name
        self.features.add("boxes")
        return f"\\begin{{mdpaperbox}}{{{self.escape(title.capitalize())}}}"

    def block_shortcode_close(self, tok: Token) -> str:
        name = tok["call"].name
        if name in self.open_shortcodes:
            out = []
            while self.open_shortcodes:
                opened = self.open_shortcodes.pop()
                out.append(self._close_shortcode(opened))
                if opened == name:
                    break
            return "\n".join(out)
        return ""  # the closer of an unknown paired shortcode (already warned about)

    def _close_shortcode(self, name: str) -> str:
        return "\\end{mdpaperbox}"

    def block_footnotes(self, tok: Token) -> str:
        return ""

    # --- shared helpers ---------------------------------------------------------------
    def label_for(self, ident: str) -> str:
        from mdpaper.latex.escape import label

        return "sec:" + label(ident)

    def display_math(self, tok: Token) -> str:
        raw = self.checked_math(tok["raw"], tok.get("_line") or self.line)
        self.features.add("math")
        if tok.get("env"):
            return raw
        body = raw.strip()
        if "\\label" in body:
            return "\\begin{equation}\n" + _multiline(body) + "\n\\end{equation}"
        return "\\[\n" + _multiline(body) + "\n\\]"


_ENV_SPAN = re.compile(r"\\begin\{(\w+\*?)\}[\s\S]*?\\end\{\1\}")


def _multiline(body: str) -> str:
    """MathJax accepts ``\\\\`` and ``&`` directly in ``$$…$$``; LaTeX needs an environment."""
    top = body
    while True:
        stripped = _ENV_SPAN.sub("", top)
        if stripped == top:
            break
        top = stripped
    top = re.sub(r"\\&", "", top)
    if "&" in top:
        return "\\begin{aligned}\n" + body + "\n\\end{aligned}"
    if "\\\\" in top:
        return "\\begin{gathered}\n" + body + "\n\\end{gathered}"
    return body


def _preview(raw: str) -> str:
    one = " ".join(raw.split())
    return one if len(one) <= 60 else one[:57] + "..."


def _first_line(tokens: list[Token]) -> int | None:
    for tok in tokens:
        if tok.get("_line"):
            return tok["_line"]
    return None


#: TeX reads a source line into a buffer of 200,000 characters ("Unable to read an entire
#: line"); a one-line paragraph with thousands of footnotes or a 5 MB post gets there.
_LONG_LINE = 2000
_BREAKABLE_SPACE = re.compile(r"(?<=[^\\\s]) (?=[^\s])")


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
    parts = _SENTINEL.split(wrap_long_lines(body))
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
