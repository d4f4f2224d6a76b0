"""Block quotes, ended where Goldmark ends them on Hugo's page, before mistune would read
the next line as one of their lazy lines.

* A footnote definition right after a quote's last line interrupts its paragraph
  (``markdown.footnotes`` reads the definition); mistune reads it as the quote's lazy line.
* A shortcode's closing tag right after a quote's last line (``> a remark`` then
  ``{{< /theorem >}}``) closes the pair: Hugo pairs the tags before Goldmark reads the
  text, and the quote is part of the pair's inner text, which ends there. As a lazy line
  it took the closing tag into the quote, and the pair's box ended inside it (TeX stopped:
  ``\\begin{quote} ended by \\end{…}``).
"""

from __future__ import annotations

import re
from typing import Any

from mistune.core import BlockState

from mdpaper.markdown.shortcodes import ARG_TEXT
from mdpaper.patterns import lazy_pattern

#: lines that end a block quote before they could be its lazy lines (mistune's list)
_ENDS_QUOTE = ["blank_line", "thematic_break", "fenced_code", "list", "block_html"]
_QUOTE_LINE = lazy_pattern(r" {0,3}>")
#: a line that is one shortcode closing tag (``{{</* x */>}}`` shows a tag: not one)
_CLOSING_TAG = lazy_pattern(r" {0,3}\{\{[<%]\s*/(?!\*)" + ARG_TEXT + r"[>%]\}\}[ \t]*(?:\n|$)")


def register(md: Any) -> None:
    """Read block quotes with the ends above (after ``markdown.footnotes`` registered its
    definition rule)."""
    md.block.register("block_quote", None, _parse_block_quote)


def _parse_block_quote(block: Any, m: re.Match[str], state: BlockState) -> int:
    stop = _end_after_quote(block, state)
    if stop is None:
        return block.parse_block_quote(m, state)
    whole = state.cursor_max
    state.cursor_max = stop
    try:
        return block.parse_block_quote(m, state)
    finally:
        state.cursor_max = whole


def _end_after_quote(block: Any, state: BlockState) -> int | None:
    """Where a footnote definition or a shortcode's closing tag stands among the quote's
    would-be lazy lines."""
    ends = block.compile_sc(_ENDS_QUOTE)
    definition = block.compile_sc(["ref_footnote"])
    pos = state.find_line_end()
    while pos < state.cursor_max:
        if not _QUOTE_LINE.match(state.src, pos):
            if definition.match(state.src, pos) or _CLOSING_TAG.match(state.src, pos):
                return pos
            if ends.match(state.src, pos):
                return None
        pos = state.find_line_end_at(pos)
    return None
