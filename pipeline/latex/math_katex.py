"""KaTeX's and MathJax's readings of TeX syntax that TeX itself refuses, made TeX.

- A dimension in braces: KaTeX reads ``\\mskip{10mu}`` and ``a \\above{2pt} b`` as TeX
  reads ``\\mskip10mu``; TeX stops at the brace ("Missing number").
- A colour by its CSS name (``math_colors``).
- An array row with more cells than its columns (``math_arrays``).
- A control symbol neither TeX's math nor MathJax knows (``\\+``): MathJax shows its name in
  red (its ``noundefined`` extension, part of every standard MathJax component); so does
  the paper, with a located warning, where TeX would stop the build.
"""

from __future__ import annotations

import re

from mdpaper.latex.math_arrays import pad_arrays
from mdpaper.latex.math_colors import css_colors

#: a control sequence (``\\\\`` is one: the ``\\+`` in ``\\\\+`` is no control symbol), or a
#: dimension command with its braced dimension
_TOKEN = re.compile(r"\\(?:(above|mskip|mkern|kern|hskip)\s*\{\s*([-+]?[\d.]+\s*[a-z]{2})\s*\}"
                    r"|[A-Za-z]+|(.))", re.S)
#: control symbols TeX's math cannot set (LaTeX's tabbing commands) and MathJax marks red
UNKNOWN_SYMBOLS = frozenset("+<")


def katex_syntax(math: str, colors: dict[str, str], warnings: list[str]) -> str:
    """``math`` in TeX's syntax; ``colors`` gets the CSS colours used, ``warnings`` what the
    paper shows only as MathJax does (in red)."""
    if "\\" not in math:
        return math
    reported: set[str] = set()

    def token(m: re.Match[str]) -> str:
        if m.group(1):
            return f"\\{m.group(1)}{m.group(2)}\\relax "
        symbol = m.group(3)
        if symbol is None or symbol not in UNKNOWN_SYMBOLS:
            return m.group(0)
        if symbol not in reported:
            reported.add(symbol)
            warnings.append(f"\\{symbol} is no command of TeX or MathJax (MathJax shows "
                            f"it in red); set as '\\{symbol}' in red")
        return f"\\textcolor{{red}}{{\\backslash{symbol}}}"

    return pad_arrays(css_colors(_TOKEN.sub(token, math), colors))
