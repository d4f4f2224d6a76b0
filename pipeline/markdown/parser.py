"""The Markdown parser: mistune 3 in AST mode, with math, Hugo shortcodes and line numbers.

mistune's tokens carry no positions, so ``LineBlockState`` stamps each block token with
``_line`` (1-based, in the post file) as it is appended, and inline tokens made by our own
rules get ``_line`` from their block's line plus the newlines before them. Footnote
definitions (``markdown.footnotes``) are parsed into blocks here, each to be set as a
``\\footnote`` where it is cited.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any, cast

import mistune
from mistune.core import BlockState, InlineState
from mistune.plugins import import_plugin

from mdpaper.markdown import (
    citations_pandoc,
    footnotes,
    goldmark,
    lists,
    quotes,
    shortcode_lines,
    shortcodes,
    tables,
)
from mdpaper.markdown.bibtex_cites import format_bibtex_cites
from mdpaper.markdown.fastparse import LazyInline, PostInlineParser
from mdpaper.markdown.inline_shortcodes import inline_templates
from mdpaper.markdown.link_shortcodes import link_destinations
from mdpaper.markdown.math_rules import (
    PARAGRAPH_END,
    Display,
    inline_line,
    parse_block_math,
    parse_blogdown_math,
    parse_inline_math,
)
from mdpaper.markdown.math_syntax import BLOCK_MATH, INLINE_MATH, display_openers, math_patterns
from mdpaper.markdown.shortcode_names import CLOSED_ONLY_NAMES
from mdpaper.patterns import lazy_pattern
from mdpaper.source import blogdown
from mdpaper.source.site_templates import SiteTemplate

Token = dict[str, Any]

# Deeper than any real post; mistune's default (6) silently flattens deeper lists.
MAX_NESTING = 64


class LineBlockState(BlockState):
    """A BlockState that records the post line where each block token starts."""

    line_base: int = 1
    #: the line of the list item being read (``markdown.lists``), for its child state
    item_line: int | None = None

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._count_pos = 0
        self._count_lines = 0

    def line_at(self, pos: int) -> int:
        # Positions only move forward while parsing, so count incrementally (posts can be MBs).
        if pos < self._count_pos:
            self._count_pos, self._count_lines = 0, 0
        self._count_lines += self.src.count("\n", self._count_pos, pos)
        self._count_pos = pos
        return self.line_base + self._count_lines

    def append_token(self, token: Token) -> None:
        if "_line" not in token:
            # Lists and quotes are appended after their contents were parsed (the cursor is
            # past them by then): they start where their first child starts.
            token["_line"] = _first_line(token) or self.line_at(self.cursor)
        super().append_token(token)

    def prepend_token(self, token: Token) -> None:
        token.setdefault("_line", self.line_at(self.cursor))
        super().prepend_token(token)

    def add_paragraph(self, text: str) -> None:
        last = self.last_token()
        if not (last and last["type"] == "paragraph"):
            line = self.line_at(self.cursor)
            self.tokens.append({"type": "paragraph", "text": text, "_line": line})
        else:
            last["text"] += text

    def child_state(self, src: str, lazy_line_starts: Any = None) -> LineBlockState:
        child = cast(LineBlockState, super().child_state(src, lazy_line_starts))
        # Containers (quotes, list items) hand over their text once the parent's cursor has
        # moved past it, so the child's first line is found by counting back from there.
        end_line = self.line_at(self.cursor)
        lines = src.rstrip("\n").count("\n") + 1
        child.line_base = self.item_line or max(self.line_base, end_line - lines)
        self.item_line = None
        return child


def _first_line(token: Token) -> int | None:
    for child in token.get("children") or ():
        if not isinstance(child, dict):
            return None
        line = child.get("_line") or _first_line(child)
        if line:
            return line
    return None


# --- shortcodes -------------------------------------------------------------------------

def _parse_inline_shortcode(inline: Any, m: re.Match[str], state: InlineState) -> int:
    line = inline_line(state, m.start())
    if m.group("sc_escaped") is not None:
        # {{</* x */>}} is how Hugo authors show a shortcode literally.
        delim = m.group("sc_edelim")
        close = ">" if delim == "<" else "%"
        literal = "{{" + delim + m.group("sc_escaped") + close + "}}"
        state.append_token({"type": "literal_text", "raw": literal})
        return m.end()
    if m.group("sc_raw_name") is not None:  # highlight, katex, math, mermaid
        token = shortcodes.raw_pair_token(m, "sc_raw_", line, inline=True)
        assert token is not None  # an inline one always stands for something
        state.append_token({**token, "_line": line})
        return m.end()
    call = shortcodes.parse_call(m.group("sc_body"), line)
    # (written {{% %}}: its output is Markdown)
    shortcode: Token = {"type": "shortcode", "call": call, "_line": line,
                        "markdown": m.group(0)[2] == "%"}
    found = shortcodes.site_pair(call, state.src, m, state.env)
    if found is not None:  # a site template's paired shortcode: its inner text, unparsed
        shortcode.update(found[0], inner_line=line)
        state.append_token(shortcode)
        return found[1]
    state.append_token(shortcode)
    return m.end()


_LINE_END = lazy_pattern(r"[ \t]*(?:\n|$)")


def _displays_only(paragraph: Token) -> bool:
    """A math shortcode's paragraph (``shortcodes.raw_pair_token``) that holds only display
    formulas, nothing between them but white space."""
    parts = [part for child in paragraph["children"] for part in child.get("children", [child])]
    return all(part["type"] == "block_math" or (part["type"] == "text" and not
                                               part["raw"].strip()) for part in parts)


def _parse_block_shortcode(block: Any, m: re.Match[str], state: BlockState) -> int | None:
    line = state.line_at(state.cursor) if isinstance(state, LineBlockState) else None
    if m.group("bsc_raw_name") is not None:  # highlight, katex, math, mermaid
        token = shortcodes.raw_pair_token(m, "bsc_raw_", line, inline=False)
        if token is None:
            return None  # an inline highlight alone on its line: a paragraph's
        if token["type"] == "paragraph" and not PARAGRAPH_END.search(m.group(0).rstrip()) \
                and not _displays_only(token):
            # Inline math alone on its line is a line of the paragraph around it, as on the
            # page (Hugo's <p> holds the shortcode's <span>): text may precede and follow.
            # (Formulas on display alone, $$…$$ $$…$$, stand apart from any paragraph.)
            return None
        state.append_token({**token, "_line": line})
        return m.end()
    call = shortcodes.parse_call(m.group("bsc_body"), line)
    last = state.last_token()
    if call.closing and last and last["type"] == "paragraph" \
            and shortcodes.left_open(last["text"], call.name):
        return None  # Hugo pairs the tags in the text: a pair the paragraph opened ends in it
    if call.closing:
        state.append_token({"type": "shortcode_close", "call": call, "_line": line})
        return m.end()
    if not shortcodes.is_block(call):
        return None  # an inline shortcode alone on its line: part of a paragraph
    closed = call.name in state.env.get("closed", ())
    paired = not call.self_closing and (
        (shortcodes.is_paired(call) and (closed or call.name not in CLOSED_ONLY_NAMES))
        or (shortcodes.theorem_kind(call) is not None and closed))
    kind = "shortcode_open" if paired else "shortcode_block"
    shortcode: Token = {"type": kind, "call": call, "_line": line,
                        "markdown": m.group(0).lstrip(" ")[2] == "%"}
    found = shortcodes.site_pair(call, state.src, m, state.env)
    if found is not None:  # its inner text, parsed as the page's markdownify does
        child = LineBlockState(state)
        child.process(found[0]["inner"])
        child.line_base = (line or 0) + 1
        block.parse(child)
        shortcode.update(found[0], children=child.tokens)
        end = _LINE_END.match(state.src, found[1])
        state.append_token(shortcode)
        return end.end() if end else found[1]
    state.append_token(shortcode)
    return m.end()


@dataclass
class ParsedPost:
    tokens: list[Token]
    #: footnote key -> (children tokens, line of the definition)
    footnotes: dict[str, list[Token]] = field(default_factory=dict)
    #: lines of ``{{% comment %}}`` shortcodes that are never closed (Hugo refuses them)
    unclosed_comments: list[int] = field(default_factory=list)
    #: the templates of the inline shortcodes the post defines (``inline_shortcodes``)
    inline_templates: dict[str, SiteTemplate] = field(default_factory=dict)


class PostMarkdown(mistune.Markdown):
    """mistune in AST mode that tells inline rules the line of the block they are in."""

    def _iter_render(self, tokens: Any, state: BlockState) -> Any:
        for tok in tokens:
            if "children" in tok:
                tok["children"] = list(self._iter_render(tok["children"], state))
            elif "text" in tok:
                tok = LazyInline(tok, self, state.env)
            yield tok

    def parse_post(self, body: str, first_line: int, *, block_attributes: bool = False,
                   math_shortcodes: dict[str, shortcodes.MathWrapping] | None = None,
                   site_templates: Collection[str] = (),
                   inline_shortcodes: bool = False) -> ParsedPost:
        """The post's tokens; ``site_templates``: names of the shortcodes the site's own
        templates render (``source.site_templates``), whose paired calls keep their inner
        text for the renderer; ``inline_shortcodes``: the site enables Hugo's inline ones."""
        # Hugo expands shortcodes before Markdown, so [text]({{< ref "p" >}}) is a link;
        # mistune would see a destination with spaces and quotes. Same line, same length
        # does not matter: the substitution never spans a newline.
        body = link_destinations(body)
        body = blogdown.drop_postref(body)
        body, unclosed = shortcodes.hide_comments(body)
        body, inline = inline_templates(body, enabled=inline_shortcodes)
        body = shortcodes.as_math_shortcodes(body, math_shortcodes or {})
        body = format_bibtex_cites(body)
        body = shortcodes.split_columns(body)
        body = shortcode_lines.indent_raw_pairs(body)
        body = shortcode_lines.dedent_inner_tags(body)
        body = shortcode_lines.align_closing_tags(body)
        state = LineBlockState()
        state.line_base = first_line
        state.env["closed"] = shortcodes.closed_names(body)
        state.env["site_templates"] = {*site_templates, *inline}
        tokens, parsed = self.parse(body, state)
        assert isinstance(tokens, list)  # a parser without a renderer returns the AST
        goldmark.mark_alerts(tokens)
        if block_attributes:
            goldmark.take_block_attributes(tokens)
        notes: dict[str, list[Token]] = {}
        lines, lazy = parsed.env.get("footnote_lines", {}), parsed.env.get("footnote_lazy", {})
        for key, text in parsed.env.get("ref_footnotes", {}).items():
            notes[key] = self._parse_footnote(text, lines.get(key), lazy.get(key), parsed.env)
        return ParsedPost(tokens=tokens, footnotes=notes, inline_templates=inline,
                          unclosed_comments=[first_line + n for n in unclosed])

    def _parse_footnote(self, text: str, line: int | None, lazy: set[int] | None,
                        env: Any) -> list[Token]:
        # The text is the definition's, line for line, its indent stripped (footnotes.py).
        child = LineBlockState()
        child.line_base = line or 1
        child.env = env
        child.lazy_line_starts = lazy or set()
        child.process(text.rstrip("\n") + "\n")
        self.block.parse(child)
        return list(self._iter_render(child.tokens, child))


def create_parser(math: Any = None, *, on_blogdown: bool = False,
                  syntax: goldmark.Syntax | None = None) -> PostMarkdown:
    """The parser; ``math`` (an ``mdpaper.source.hugo.MathDelimiters``) says which delimiters are
    math, as Hugo's passthrough extension does (default: all of them). ``on_blogdown``: math
    in backticks is math (``source.blogdown``). ``syntax``: the Goldmark extensions the site
    turns on or off (default: Hugo's)."""
    syntax = syntax or goldmark.Syntax()
    lists.patch_list_parser()
    if math is None:
        block_math, inline_math = BLOCK_MATH, INLINE_MATH
        starts = {"$", "\\"}
    else:
        block_math, inline_math = math_patterns(math.inline, math.block)
        starts = {o[0] for o, _ in (*math.inline, *math.block)} | {"\\"}
    display = Display(re.compile(inline_math), display_openers(math))
    block = mistune.BlockParser(max_nested_level=MAX_NESTING)
    inline = PostInlineParser(max_nested_level=MAX_NESTING)
    names = (*(("strikethrough",) if syntax.double_tilde else ()), "task_lists", "url")
    plugins = [tables.register, *(import_plugin(name) for name in names)]
    md = PostMarkdown(renderer=None, block=block, inline=inline, plugins=plugins)
    footnotes.register(md)
    quotes.register(md)
    md.block.register("raw_html", None, shortcodes.parse_html_block)
    # A list item or block quote that an HTML block ends hands that block to the rule
    # named block_html (mistune's own, which keeps a shortcode line inside the HTML);
    # the main loop reads HTML by raw_html alone.
    md.block.register("block_html", None, shortcodes.parse_html_block)
    md.block.rules.remove("block_html")

    escaped = getattr(math, "read_by_goldmark", None)  # which math Goldmark reads first
    md.block.register("block_math", block_math, functools.partial(
        parse_block_math, display=display, escaped=escaped, blogdown=on_blogdown),
                      before="list")
    md.block.register("hugo_shortcode", shortcodes.BLOCK_PATTERN, _parse_block_shortcode,
                      before="list")
    for rules in (md.block.block_quote_rules, md.block.list_rules):
        for name in ("block_math", "hugo_shortcode"):
            md.block.insert_rule(rules, name, before="list")
    # Shortcodes and math come before escapes and emphasis so their insides stay verbatim.
    md.inline.register("hugo_shortcode", shortcodes.INLINE_PATTERN, _parse_inline_shortcode,
                       before="escape", start_chars="{")
    if on_blogdown:  # before math: `$x$` is one code span, not a $ inside backticks
        md.inline.register("blogdown_math", blogdown.CODE_MATH, parse_blogdown_math,
                           before="escape", start_chars=("`",))
    md.inline.register("inline_math", inline_math, functools.partial(
        parse_inline_math, escaped=escaped, blogdown=on_blogdown), before="escape",
                       start_chars=tuple(sorted(starts)))
    citations_pandoc.register(md)
    goldmark.register(md, syntax)
    return md
