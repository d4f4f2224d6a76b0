"""mistune rules that read math: a display on lines of its own, a formula among words,
blogdown's math in backticks, each token's text as the page's MathJax or KaTeX gets it
(Goldmark's escapes, or passthrough's verbatim text)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mistune.core import BlockState, InlineState

from mdpaper.markdown.goldmark_escape import (
    as_goldmark_leaves,
    decode_references,
    meant_before_passthrough,
    unescape_env_star,
)
from mdpaper.markdown.math_syntax import continues_paragraph, matched_group, math_token
from mdpaper.patterns import lazy_pattern
from mdpaper.source import blogdown

#: says whether Goldmark reads a math match's text as Markdown first (not passed through)
Escaped = Callable[[str], bool] | None

#: a blank line: where the paragraph, and any display MathJax finds in it, ends
PARAGRAPH_END = lazy_pattern(r"\n[ \t]*(?:\n|$)")
#: a line that would be indented code, were it not right after a display
_INDENTED_LINE = lazy_pattern(r"(?: {4}|[ ]{0,3}\t)[ \t]*\S[^\n]*(?:\n|$)")


@dataclass(frozen=True)
class Display:
    """What tells a block math line from the end of a display the paragraph opened."""

    inline: re.Pattern[str]
    openers: tuple[str, ...]


def parse_block_math(block: Any, m: re.Match[str], state: BlockState, display: Display,
                      escaped: Escaped = None, blogdown: bool = False) -> int | None:
    last = state.last_token()
    if last and last["type"] == "paragraph":
        end = PARAGRAPH_END.search(state.src, m.start())
        rest = state.src[m.start():end.start() if end else len(state.src)]
        if continues_paragraph(last["text"], rest, display.inline, display.openers):
            return None
    env = m.group("bm_env")
    text = env if env is not None else (matched_group(m, "bm") or "")
    token = {"type": "block_math", "raw": text.strip("\n"), "env": env is not None}
    state.append_token(_as_the_page_reads(token, m, escaped, blogdown))
    indented = _INDENTED_LINE.match(state.src, m.end())
    if indented is None:
        return m.end()
    # Goldmark reads the display's lines as a paragraph's (also with passthrough, whose
    # text after a block stays in its paragraph): an indented line right after it goes on
    # that paragraph, never code (an indented code block cannot interrupt a paragraph).
    state.cursor = m.end()
    state.add_paragraph(indented.group(0).lstrip(" \t"))
    return indented.end()


def parse_inline_math(inline: Any, m: re.Match[str], state: InlineState,
                       escaped: Escaped = None, blogdown: bool = False) -> int:
    token = math_token(m, inline_line(state, m.start()))
    state.append_token(_as_the_page_reads(token, m, escaped, blogdown))
    return m.end()


def parse_blogdown_math(inline: Any, m: re.Match[str], state: InlineState) -> int:
    """Math in backticks on a blogdown site (``source.blogdown``): math on its page."""
    text, display = blogdown.code_math(m)
    line = inline_line(state, m.start())
    if display:
        env = text.startswith("\\begin{") and text.rstrip().endswith("}")
        state.append_token({"type": "block_math", "raw": text.strip("\n"), "env": env,
                            "_line": line, "inline": True})
    else:
        state.append_token({"type": "inline_math", "raw": text, "_line": line})
    return m.end()


def _as_the_page_reads(token: dict[str, Any], m: re.Match[str], escaped: Escaped,
                       on_blogdown: bool) -> dict[str, Any]:
    """The math text as MathJax gets it from the page: a blogdown site's code span gives
    its text verbatim, Goldmark's escapes apply without passthrough."""
    code = blogdown.unwrap_code(token["raw"]) if on_blogdown else None
    if code is not None:
        token["raw"] = code
        return token
    if escaped is not None and escaped(m.group(0)):
        return as_goldmark_leaves(token, m.group(0))
    # passed through: the browser still reads &nbsp; and &lt; before MathJax sees the text
    # (a bare environment is not: Goldmark read its name's escaped star)
    token["raw"] = decode_references(unescape_env_star(token["raw"]) if token.get("env")
                                     else token["raw"])
    if (meant := meant_before_passthrough(token["raw"])) is not None:
        token["meant"] = meant
    return token


def inline_line(state: InlineState, pos: int) -> int | None:
    base = state.env.get("_line")
    return None if base is None else base + state.src.count("\n", 0, pos)
