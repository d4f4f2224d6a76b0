"""Where math is in a post's Markdown: the patterns for its delimiters (Hugo's passthrough
pairs, or every pair mdpaper knows) and for bare LaTeX math environments."""

from __future__ import annotations

import re
from typing import Any

from mdpaper.patterns import lazy_pattern
from mdpaper.source.hugo import DEFAULT_BLOCK, DEFAULT_INLINE, MathDelimiters

# (a star may come escaped, ``align\*``, as ox-hugo writes it: Goldmark leaves ``align*``)
MATH_ENVS = (r"(?:equation|align|gather|multline|flalign|alignat|eqnarray)(?:\\?\*)?"
             r"|displaymath|math|split")
#: environments that are math only inside math (aligned, cases, a matrix): standing bare in
#: the text, MathJax (its processEnvironments, on by default) shows them as display math
INNER_MATH_ENVS = (r"aligned|alignedat|gathered|cases|[pbBvV]?matrix|smallmatrix|array"
                   r"|CD")

#: \text{…} inside math may hold $…$ of its own (KaTeX and MathJax read ``$\text{if $x$}$``
#: as one formula; mhchem's ``\ce{NaOH(aq,$\infty$)}`` too): one level of braces inside
#: it is enough for real posts
_TEXT_IN_MATH = (r"\\(?:text|hbox|mbox|textrm|textnormal|textbf|textit|textsf|texttt|ce|pu)"
                 r"\{(?:[^{}\n]|\{[^{}\n]*\})*\}")
_DOLLAR_BODY = r"(?:" + _TEXT_IN_MATH + r"|[^$\\\n]|\\[\s\S]|\n(?!\s*\n))+?"


def math_patterns(inline: tuple[tuple[str, str], ...] | None = None,
                  block: tuple[tuple[str, str], ...] | None = None) -> tuple[str, str]:
    """Block and inline math patterns for the given delimiter pairs (Hugo's passthrough
    ``inline`` and ``block`` lists); ``None`` means every one mdpaper knows. LaTeX math
    environments (``\\begin{equation}`` …) are always math."""
    inline = DEFAULT_INLINE if inline is None else inline
    block = DEFAULT_BLOCK if block is None else block
    env = (r"\\begin\{(?P<%s>" + MATH_ENVS + "|" + INNER_MATH_ENVS
           + r")\}[\s\S]*?\\end\{(?P=%s)\}")
    # A block ends at its first closing delimiter, as Hugo's passthrough ends it (text after
    # it on that line is a paragraph of its own), never at a later one.
    blocks = [r"^ {0,3}" + re.escape(o) + rf"(?P<bm{i}>(?:(?!{re.escape(c)})[\s\S])*?)"
              + re.escape(c) + r"[ \t]*(?:\n|$)" for i, (o, c) in enumerate(block)]
    blocks.append(r"^ {0,3}(?P<bm_env>" + env % ("bm_name", "bm_name") + r")[ \t]*(?:\n|$)")
    inlines = []
    # (a pair may hold nothing, ``\\(\\)``: the page's renderer sets an empty formula, so
    # nothing shows; only ``$`` needs a first character, ``$$`` being a pair of its own)
    for i, (o, c) in enumerate(block):
        # (a $$…$$ among words may hold \text{for $n>1$}, as its $…$ may)
        body = (r"(?:" + _TEXT_IN_MATH + r"|[^$\\]|\\[\s\S])*?" if (o, c) == ("$$", "$$")
                else r"[\s\S]*?")
        inlines.append(re.escape(o) + rf"(?P<imd{i}>{body})" + re.escape(c))
    dollar = ("$", "$") in inline
    for i, (o, c) in enumerate(inline):
        if (o, c) != ("$", "$"):
            # passthrough's inline list only keeps the text from Goldmark: the page's
            # renderer still displays $$…$$ and \[…\] (KaTeX's and MathJax's own pairs)
            kind = "imd" if (o, c) in DEFAULT_BLOCK else "imi"
            inlines.append(re.escape(o) + rf"(?P<{kind}{len(block) + i}>[\s\S]*?)"
                           + re.escape(c))
    inlines.append("(?P<im_env>" + env % ("im_name", "im_name") + ")")
    if dollar:
        # $x$, and $ x $ or $ x$ (a space after the opening $: KaTeX, MathJax and Hugo's
        # passthrough all take it as math), even over lines, but not the prices in "$5 and
        # $10" (where the page's renderers take "5 and " as math: a text wins there);
        # and a $ alone on its line, the formula on the lines after (the passthrough
        # extension and the page's renderers take it; a paragraph's end stops it)
        inlines.append(r"(?:\$(?!\$)(?:(?!\s)|(?=[ \t]+(?:[^$\n]|\n(?![ \t]*\n))*\$(?!\d)))"
                       r"|(?<![^\n])\$(?=[ \t]*\n))(?P<im_dollar>"
                       + _DOLLAR_BODY + r")\$(?!\d)")
    return "|".join(blocks), "|".join(inlines)


BLOCK_MATH, INLINE_MATH = math_patterns()


def display_openers(math: MathDelimiters | None) -> tuple[str, ...]:
    """The opening delimiters of the pairs the page displays (``math_patterns``' ``imd``
    groups): every block pair, and ``$$``/``\\[`` where passthrough lists them inline."""
    inline, block = (DEFAULT_INLINE, DEFAULT_BLOCK) if math is None else (math.inline,
                                                                          math.block)
    return tuple(o for o, c in (*block, *inline) if (o, c) in block or (o, c) in DEFAULT_BLOCK)


def matched_group(m: re.Match[str], prefix: str) -> str | None:
    """The text of the numbered group (``bm0``, ``imi1`` …) of ``prefix`` that matched."""
    for name, value in m.groupdict().items():
        if value is not None and name.startswith(prefix) and name[len(prefix):].isdigit():
            return value
    return None


def math_token(m: re.Match[str], line: int | None) -> dict[str, Any]:
    """The token of a match of the inline math pattern: inline math, or display math (a
    ``$$`` or an environment) standing among words."""
    # m.group, not m.groupdict(): the dict of every group of mistune's combined pattern
    # costs more than the rest of this function ($ may be off in Hugo's config).
    text = m.group("im_dollar") if "im_dollar" in m.re.groupindex else None
    if text is None:
        text = matched_group(m, "imi")
    if text is not None:
        return {"type": "inline_math", "raw": text, "_line": line}
    env = m.group("im_env")
    text = env if env is not None else matched_group(m, "imd")
    return {"type": "block_math", "raw": (text or "").strip("\n"), "env": env is not None,
            "_line": line, "inline": True}


_INLINE_MATH_RE = lazy_pattern(INLINE_MATH)


def continues_paragraph(paragraph: str, rest: str, inline: re.Pattern[str],
                        openers: tuple[str, ...]) -> bool:
    """Whether a line that would start block math (``rest``: the source from it to the
    paragraph's end) belongs to the ``paragraph`` before it. Goldmark knows no math blocks:
    the line goes on the paragraph, and so does what the paragraph opened and the line
    closes: a display among its words (``formulas, $$`` then the formula on the lines
    after, which MathJax finds in the paragraph) or a code span (a line ending in one is a
    space; on a blogdown site its text may be math)."""
    return (_closes_code_span(paragraph, rest)
            or _closes_display(paragraph, rest, inline, openers))


def _closes_display(paragraph: str, rest: str, inline: re.Pattern[str],
                    openers: tuple[str, ...]) -> bool:
    if not any(o in paragraph for o in openers):  # (most paragraphs open none)
        return False
    text = paragraph + rest
    spans = _code_spans(text) if "`" in paragraph else []
    pos = 0
    while (m := inline.search(text, pos)) and m.start() < len(paragraph):
        if any(start <= m.start() < end for start, _, end in spans):
            pos = m.start() + 1  # a delimiter in a code span is code (``$$``), as on the page
            continue
        if m.end() > len(paragraph) and matched_group(m, "imd") is not None:
            return True
        pos = max(m.end(), pos + 1)
    return False


#: a backtick run, the first of it escaped when a backslash stands before it
_TICKS = lazy_pattern(r"(?P<escaped>\\)?(?P<run>`+)")


def _code_spans(text: str) -> list[tuple[int, int, int]]:
    """The code spans of ``text`` as ``(start, closing run's start, end)``: a backtick run
    and the next run of the same length (a run no equal run closes is text)."""
    runs = [(m.start("run") + bool(m.group("escaped")), m.end()) for m in _TICKS.finditer(text)]
    runs = [(start, end) for start, end in runs if start < end]
    spans, i = [], 0
    while i < len(runs):
        length = runs[i][1] - runs[i][0]
        closer = next((j for j in range(i + 1, len(runs))
                       if runs[j][1] - runs[j][0] == length), None)
        if closer is None:
            i += 1
            continue
        spans.append((runs[i][0], runs[closer][0], runs[closer][1]))
        i = closer + 1
    return spans


def _closes_code_span(paragraph: str, rest: str) -> bool:
    if "`" not in paragraph:
        return False
    return any(start < len(paragraph) <= closing
               for start, closing, _ in _code_spans(paragraph + rest))


def text_with_math(text: str, line: int | None) -> list[dict[str, Any]]:
    """Text the page shows as it is but for the math MathJax or KaTeX find in it (every
    delimiter pair they know): text and math tokens."""
    tokens: list[dict[str, Any]] = []
    start = 0
    for m in _INLINE_MATH_RE.finditer(text):
        tokens.append({"type": "text", "raw": text[start:m.start()]})
        tokens.append(math_token(m, line))
        start = m.end()
    tokens.append({"type": "text", "raw": text[start:]})
    return [t for t in tokens if t.get("raw") or t["type"] != "text"]
