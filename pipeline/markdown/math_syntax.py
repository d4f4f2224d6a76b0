"""Where math is in a post's Markdown: the patterns for its delimiters (Hugo's passthrough
pairs, or every pair mdpaper knows) and for bare LaTeX math environments."""

from __future__ import annotations

import re

from mdpaper.source.hugo import DEFAULT_BLOCK, DEFAULT_INLINE

# (a star may come escaped, ``align\*``, as ox-hugo writes it: Goldmark leaves ``align*``)
MATH_ENVS = (r"(?:equation|align|gather|multline|flalign|alignat|eqnarray)(?:\\?\*)?"
             r"|displaymath|math|split")

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
    env = r"\\begin\{(?P<%s>" + MATH_ENVS + r")\}[\s\S]*?\\end\{(?P=%s)\}"
    # A block ends at its first closing delimiter, as Hugo's passthrough ends it (text after
    # it on that line is a paragraph of its own), never at a later one.
    blocks = [r"^ {0,3}" + re.escape(o) + rf"(?P<bm{i}>(?:(?!{re.escape(c)})[\s\S])*?)"
              + re.escape(c) + r"[ \t]*(?:\n|$)" for i, (o, c) in enumerate(block)]
    blocks.append(r"^ {0,3}(?P<bm_env>" + env % ("bm_name", "bm_name") + r")[ \t]*(?:\n|$)")
    inlines = []
    for i, (o, c) in enumerate(block):
        body = r"(?:[^$\\]|\\[\s\S])+?" if (o, c) == ("$$", "$$") else r"[\s\S]+?"
        inlines.append(re.escape(o) + rf"(?P<imd{i}>{body})" + re.escape(c))
    dollar = ("$", "$") in inline
    for i, (o, c) in enumerate(inline):
        if (o, c) != ("$", "$"):
            inlines.append(re.escape(o) + rf"(?P<imi{i}>[\s\S]+?)" + re.escape(c))
    inlines.append("(?P<im_env>" + env % ("im_name", "im_name") + ")")
    if dollar:
        # $x$, and $ x $ (spaces on both sides: KaTeX, MathJax and Hugo's passthrough all
        # take it as math), but not the prices in "$5 and $10"
        # and a $ alone on its line, the formula on the lines after (the passthrough
        # extension and the page's renderers take it; a paragraph's end stops it)
        inlines.append(r"(?:\$(?!\$)(?:(?!\s)|(?=[ \t]+[^$\n]*[ \t]\$(?!\d)))"
                       r"|(?<![^\n])\$(?=[ \t]*\n))(?P<im_dollar>"
                       + _DOLLAR_BODY + r")\$(?!\d)")
    return "|".join(blocks), "|".join(inlines)


BLOCK_MATH, INLINE_MATH = math_patterns()
