"""Raw HTML blocks, shown as the web page shows them.

On a site that renders raw HTML (``markup.goldmark.renderer.unsafe = true``) the page shows
its text and its images, so the paper does: text with its emphasis, links and line breaks,
``<img>`` and ``<figure>`` as figures (confined to the site like Markdown images),
``<details>`` as a box titled by its ``<summary>``, lists as lists; scripts and styles are
dropped (but for TikZJax's ``<script type="text/tikz">``, drawn by TikZ: ``latex.tikz``);
an ``<iframe>``, ``<video>`` or ``<audio>`` stands as a link with a warning. On a
site that does not (Hugo's default), the page omits the block, and so does the paper, with
a warning that says why.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from mdpaper.latex.boxes import box
from mdpaper.latex.escape import escape_url
from mdpaper.latex.figures import figure_from_image, inline_graphic
from mdpaper.latex.headings import link_target, section_label
from mdpaper.latex.html_table import HtmlTable
from mdpaper.latex.page_values import media_link
from mdpaper.latex.pseudocode import is_pseudocode, pseudocode_algorithm
from mdpaper.latex.tables import longtable
from mdpaper.latex.tikz import tikz_script
from mdpaper.markdown import shortcodes
from mdpaper.markdown.math_syntax import INLINE_MATH, math_token, text_with_math
from mdpaper.patterns import lazy_pattern

if TYPE_CHECKING:  # the renderer imports this module through its handler table
    from mdpaper.latex.renderer import LatexRenderer

Token = dict[str, Any]

#: Tags whose content the page never shows.
HIDDEN = {"script", "style", "template", "noscript", "head", "title"}
#: Web media a paper cannot play: a link to them stands in.
MEDIA = {"iframe", "video", "audio", "object", "embed"}
_WRAP = {"b": ("\\textbf{", "}"), "strong": ("\\textbf{", "}"), "i": ("\\emph{", "}"),
         "em": ("\\emph{", "}"), "code": ("\\texttt{", "}"), "kbd": ("\\texttt{", "}"),
         "sup": ("\\textsuperscript{", "}"), "sub": ("\\textsubscript{", "}"),
         "h1": ("\\par\\textbf{\\Large ", "}\\par "), "h2": ("\\par\\textbf{\\large ", "}\\par "),
         "h3": ("\\par\\textbf{", "}\\par "), "h4": ("\\par\\textbf{", "}\\par "),
         "small": ("{\\small ", "}"), "center": ("\\begin{center}", "\\end{center}"),
         "ul": ("\\begin{itemize}", "\\end{itemize}"),
         "ol": ("\\begin{enumerate}", "\\end{enumerate}")}
#: ``<ol type>``: enumitem's counter style for the browser's a, A, i, I (1 is the default)
_OL_LABELS = {"a": "\\alph*", "A": "\\Alph*", "i": "\\roman*", "I": "\\Roman*"}
_PARAGRAPH = {"p", "div", "section", "article", "header", "footer", "aside", "main",
              "blockquote", "figure", "table", "tr", "dl", "dt", "dd", "pre", "nav"}
#: The parts of a <table> read into its rows and cells.
_TABLE_PARTS = {"thead", "tbody", "tfoot", "tr", "td", "th", "caption"}
_MATH = lazy_pattern("\x00HELD\\d+\x00|" + INLINE_MATH)
#: ox-hugo writes math \\(x\\) and \\[x\\] so that Goldmark's escapes leave \(x\); in raw
#: HTML Goldmark leaves them doubled, and the page's renderer finds the inner \( with a
#: stray backslash before it and one in the formula: the formula the author wrote
_DOUBLED_MATH = lazy_pattern(r"\\\\(?:\((?P<inline>[\s\S]+?)\\\\\)|\[(?P<display>[\s\S]+?)\\\\\])")


def _undoubled_math(text: str) -> str:
    if "\\\\" not in text:
        return text
    return _DOUBLED_MATH.sub(lambda m: f"\\({m['inline']}\\)" if m["inline"] is not None
                             else f"\\[{m['display']}\\]", text)


_SAFE_SCHEMES = lazy_pattern(r"(?i)^(?:https?:|mailto:|ftp:|#|/|\.|[^:]*$)")


class _Converter(HTMLParser):
    """One HTML block to LaTeX, tag by tag; unknown tags keep their text."""

    def __init__(self, r: LatexRenderer) -> None:
        super().__init__(convert_charrefs=True)
        self.r = r
        self.out: list[str] = []
        self.closers: list[tuple[str, str]] = []
        self.hidden = 0
        self.summary: list[str] | None = None
        self.caption: list[str] | None = None
        self.images: list[Token] = []
        self.tables: list[HtmlTable] = []
        #: what the shortcodes the block held (``_hold_shortcodes``) render to
        self.held: list[str] = []
        #: the <table> being read, and how deep in tables the parser is
        self.table: HtmlTable | None = None
        self.table_depth = 0
        #: the post line of the block's first line, and the TikZJax script or the
        #: pseudocode.js algorithm being read: its attributes, the post line its text starts
        #: on, its text
        self.line = r.state.line or 1
        self.source: tuple[dict[str, str], int, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if ident := found.get("id") or (found.get("name") if tag == "a" else None):
            # a place links to #ident lead to
            self.out.append(link_target(ident, self.r.state.placed_targets))
        if tag == "table" or (self.table_depth == 1 and tag in _TABLE_PARTS):
            self._table_start(tag, found)
        elif tag in HIDDEN:
            self.hidden += 1
            if tag == "script" and found.get("type", "").strip().lower() == "text/tikz":
                self._read_source(found)  # TikZJax draws the picture from the script's text
        elif is_pseudocode(tag, found):
            self.hidden += 1
            self._read_source(found)  # pseudocode.js draws the algorithm from the text
        elif tag in MEDIA:
            self._media(tag, found)
        elif tag == "img":
            self._image(found)
        elif tag == "br":
            # \mbox{} first: a break right after a paragraph ends would be "There's no line
            # here to end"
            self.out.append("\\mbox{}\\\\\n" if "".join(self.out).strip() else "")
        elif tag == "a":
            self._open_link(found)
        elif tag == "details":
            self.out.append("\x00DETAILS\x00")
            self.closers.append((tag, "\x00/DETAILS\x00"))
        elif tag == "summary":
            self.summary = []
        elif tag == "figcaption":
            self.caption = []
        elif tag == "li":
            if not any(name in ("ul", "ol") for name, _ in self.closers):
                # an <li> block after a blank line: the browser puts it in the list the
                # block before opened; here it opens a list of its own
                self.out.append("\\begin{itemize}")
                self.closers.append(("ul", "\\end{itemize}"))
                self._list_opened()
            self.out.append("\\item{} ")  # (text in [ ] after it is not its label)
            self._number_from(found.get("value"))
        elif tag in _WRAP:
            opening, closing = _WRAP[tag]
            if tag == "ol" and found.get("type") in _OL_LABELS:  # a., A., i., I. as shown
                self.r.state.use_package("enumitem")
                opening += f"[label={_OL_LABELS[found['type']]}.]"
            self.out.append(opening)
            self.closers.append((tag, closing))
            self._list_opened()
            if tag == "ol":
                self._number_from(found.get("start"), item=False)
        elif tag in _PARAGRAPH:
            self.out.append("\n\n")

    def _list_opened(self) -> None:  # (after any tag of _WRAP: a list's depth is the same)
        state = self.r.state  # (its depth counts the Markdown lists around it too)
        state.note_list_depth(state.list_depth + sum(n in ("ul", "ol") for n, _ in self.closers))

    def _number_from(self, number: str | None, *, item: bool = True) -> None:
        """``<ol start="5">``, ``<li value="5">``: the list counts on from there, as the
        browser numbers it (an ``enumerate``'s own counter, whatever its depth)."""
        lists = [name for name, _ in self.closers if name in ("ul", "ol")]
        if number is None or not number.strip().lstrip("-").isdigit() or lists[-1:] != ["ol"]:
            return
        # (\item steps the counter before it prints it: set one less, before the \item)
        setting = f"\\setcounter{{\\csname @enumctr\\endcsname}}{{{int(number) - 1}}}"
        self.out.insert(len(self.out) - 1 if item else len(self.out), setting)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" or (self.table_depth == 1 and tag in _TABLE_PARTS):
            self._table_end(tag)
        elif tag in HIDDEN:
            self.hidden = max(0, self.hidden - 1)
            if tag == "script" and self.source is not None:
                attrs, line, script = self.source
                self.out.append(hold(self.held, tikz_script(self.r, "".join(script), line,
                                                            attrs)))
                self.source = None
        elif tag == "pre" and self.source is not None:
            self.hidden = max(0, self.hidden - 1)
            attrs, line, source = self.source
            self.out.append(hold(self.held, pseudocode_algorithm(self.r, "".join(source), line,
                                                                 attrs)))
            self.source = None
        elif tag == "summary":
            self.summary, title = None, "".join(self.summary or [])
            self.out.append(f"\x00TITLE{title}\x00")
        elif tag == "figcaption":
            self.caption, text = None, "".join(self.caption or [])
            if self.images:
                self.images[-1]["children"] = self._caption_tokens(text)
        elif any(name == tag for name, _ in self.closers):
            while self.closers:
                name, closing = self.closers.pop()
                self.out.append(closing)
                if name == tag:
                    break
        elif tag in _PARAGRAPH:
            self.out.append("\n\n")

    def _read_source(self, attrs: dict[str, str]) -> None:
        start = self.getpos()[0] + (self.get_starttag_text() or "").count("\n")
        self.source = (attrs, self.line + start - 1, [])

    def handle_data(self, data: str) -> None:
        if self.source is not None:
            self.source[2].append(data)
        if self.hidden or (self.table is not None and self.table.start is None
                           and not data.strip()):
            return  # (the white space between a table's rows and cells is not shown)
        text = self._text(data)
        target = self.caption if self.caption is not None else self.summary
        if target is not None:
            # (the parser has already turned &amp; and the like into characters)
            target.append(data if self.caption is not None else text)
        else:
            self.out.append(text)

    def _caption_tokens(self, text: str) -> list[Token]:
        """A figcaption's text as the figure's caption tokens, its math typeset as on the
        page (KaTeX and MathJax render math in captions too)."""
        return text_with_math(_undoubled_math(text), self.r.state.line)

    def _text(self, data: str) -> str:
        """Text as the page shows it: MathJax and KaTeX typeset the math in HTML too."""
        out, start = [], 0
        data = _undoubled_math(data)
        for m in _MATH.finditer(data):
            out.append(self.r.escape(re.sub(r"\s+", " ", data[start:m.start()])))
            held = m.group(0).startswith("\x00")  # a held shortcode's mark, for _finish
            out.append(m.group(0) if held else self.r.inline(math_token(m, self.r.state.line)))
            start = m.end()
        out.append(self.r.escape(re.sub(r"\s+", " ", data[start:])))
        return "".join(out)

    def _table_start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "table":
            self.table_depth += 1
            if self.table_depth == 1:
                self.table = HtmlTable()
            return  # a table in a cell is flattened into the cell's text
        table = self.table
        assert table is not None
        if tag in ("thead", "tbody", "tfoot"):
            table.in_head = tag == "thead"
            return
        table.close(self.out)
        if tag == "tr":
            table.row()
        elif tag in ("td", "th"):
            table.cell(tag, attrs, len(self.out))
        elif tag == "caption":
            table.start = len(self.out)

    def _table_end(self, tag: str) -> None:
        table = self.table
        if tag == "table":
            self.table_depth = max(0, self.table_depth - 1)
            if self.table_depth == 0 and table is not None:
                table.close(self.out)
                self.tables.append(table)
                self.out.append(f"\x00TABLE{len(self.tables) - 1}\x00")
                self.table = None
        elif table is not None and tag in ("td", "th", "caption"):
            table.close(self.out)
        elif table is not None and tag == "thead":
            table.in_head = False

    def _open_link(self, attrs: dict[str, str]) -> None:
        href = attrs.get("href", "").strip()
        if href.startswith("#"):  # a place in the post: a link to its label, where it has one
            ident = unquote(href[1:])
            if ident in self.r.state.plan.known:
                self.r.state.use_package("hyperref")
                self.out.append(f"\\hyperref[{section_label(ident)}]{{")
                self.closers.append(("a", "}"))
            return
        if href and _SAFE_SCHEMES.match(href):
            self.out.append(f"\\href{{{escape_url(href.strip())}}}{{")
            self.closers.append(("a", "}"))
        # javascript: and other active links keep only their text, as a paper has no script

    def _media(self, tag: str, attrs: dict[str, str]) -> None:
        self.out.append(media_link(self.r, tag, attrs.get("src", "")))

    def _image(self, attrs: dict[str, str]) -> None:
        if not attrs.get("src"):
            return
        alt = attrs.get("alt", "")
        tok = {"type": "image", "attrs": {"url": attrs["src"], "title": attrs.get("title")},
               "children": [{"type": "text", "raw": alt}] if alt else []}
        self.images.append(tok)
        self.out.append(f"\x00IMAGE{len(self.images) - 1}\x00")


_MARK = lazy_pattern("\x00(DETAILS|/DETAILS|TITLE([^\x00]*)|IMAGE(\\d+)|TABLE(\\d+)"
                     "|HELD(\\d+))\x00")


def block_html(r: LatexRenderer, tok: Token) -> str:
    raw = tok["raw"].strip()
    if raw.startswith("<!--"):
        return ""  # comments and <!--more--> are for the blog, not the paper
    if not r.state.ctx.raw_html:
        r.state.diag.warn("raw HTML block left out, as on the web page (the site does not "
                          "set markup.goldmark.renderer.unsafe = true): " + _preview(raw),
                          r.state.line)
        return ""
    return html_latex(r, raw)


def details_html(r: LatexRenderer, tok: Token) -> str:
    """``<details>`` opened and closed by HTML blocks with Markdown between
    (``latex.boxes.group_details``): a box holding that Markdown."""
    held: list[str] = []
    body = hold(held, r.blocks(tok["children"]))
    r.state.line = tok["_line"] or r.state.line
    return html_latex(r, tok["open"] + "\n" + body + "\n" + tok["close"], held)


def html_latex(r: LatexRenderer, raw: str, held: list[str] | None = None,
               line: int | None = None) -> str:
    """HTML as the page shows it, in LaTeX; ``held``: LaTeX already rendered, which the HTML
    marks where it goes (``hold``); ``line``: the post line of its first line, when it is
    not the block's (a shortcode template's output, from the call's line)."""
    converter = _Converter(r)
    converter.line = line or converter.line
    converter.held = held if held is not None else []
    raw = _hold_shortcodes(r, raw, converter.held)
    converter.feed(raw)
    converter.close()
    body = "".join(converter.out) + "".join(c for _, c in reversed(converter.closers))
    return _finish(r, body, converter).strip()


def hold(held: list[str], latex: str) -> str:
    """A mark for HTML given to ``html_latex`` with ``held``: ``latex`` goes there."""
    held.append(latex)
    return f"\x00HELD{len(held) - 1}\x00"


_SHORTCODE = lazy_pattern(shortcodes.INLINE_PATTERN)


def _hold_shortcodes(r: LatexRenderer, raw: str, held: list[str]) -> str:
    """The block with a mark for each shortcode whose inner text is raw (math, code): the
    page shows what its template outputs there (the HTML reader would split it at its
    ``<``); its output, rendered, goes to ``held``."""

    def held_mark(m: re.Match[str]) -> str:
        if m.group("sc_raw_name") is None:
            return m.group(0)
        token = shortcodes.raw_pair_token(m, "sc_raw_", r.state.line, inline=True)
        return hold(held, r.inline(token) if token is not None else "")

    return _SHORTCODE.sub(held_mark, raw)


def _finish(r: LatexRenderer, body: str, converter: _Converter) -> str:
    """Put the pieces that need the renderer (figures, tables, boxes) in place of marks."""
    def in_cell(m: re.Match[str]) -> str:  # an image in a table cell: an icon
        if m.group(3) is not None:
            return inline_graphic(r, converter.images[int(m.group(3))])
        if m.group(5) is not None:
            return converter.held[int(m.group(5))]
        return m.group(0)

    def replace(m: re.Match[str]) -> str:
        if m.group(3) is not None:
            return figure_from_image(r, converter.images[int(m.group(3))])
        if m.group(4) is not None:
            table = _table(r, converter.tables[int(m.group(4))])
            return "\n\n" + _MARK.sub(in_cell, table) + "\n\n"
        if m.group(5) is not None:
            return converter.held[int(m.group(5))]
        return m.group(0)

    body = _MARK.sub(replace, body)
    # <details><summary>S</summary> text </details>: a box titled S.
    pattern = re.compile("\x00DETAILS\x00(?:\\s*\x00TITLE([^\x00]*)\x00)?([\\s\\S]*?)"
                         "\x00/DETAILS\x00")
    while pattern.search(body):
        body = pattern.sub(lambda m: box(r, m.group(1) or "Details", m.group(2).strip()),
                           body)
    body = re.sub("\x00TITLE([^\x00]*)\x00", r"\\textbf{\1} ", body)
    return re.sub(r"\n{3,}", "\n\n", body)


def _table(r: LatexRenderer, table: HtmlTable) -> str:
    heads = table.header_count()
    rows = [row for row in table.rows if row]
    caption = f"\\begin{{center}}{table.caption}\\end{{center}}\n" if table.caption else ""
    # a column's alignment: its cells' in the first body row without spans (the others
    # that differ get their own through \multicolumn)
    plain = next((row for row in rows[heads:] if all(c.span == 1 for c in row)), [])
    return caption + longtable(r, rows[:heads], rows[heads:], [c.align for c in plain])


def _preview(raw: str) -> str:
    one = " ".join(raw.split())
    return one if len(one) <= 60 else one[:57] + "..."
