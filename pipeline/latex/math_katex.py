"""KaTeX's and MathJax's readings of TeX syntax that TeX itself refuses, made TeX.

- A dimension in braces: KaTeX reads ``\\mskip{10mu}`` and ``a \\above{2pt} b`` as TeX
  reads ``\\mskip10mu``; TeX stops at the brace ("Missing number"). And the other way
  round, ``\\hspace7ex`` (LaTeX's argument would be the 7); ``\\rule{18mu}{18mu}`` in mu.
- ``\\char"263a``, a character beyond the 256 of a TeX font, is that character.
- ``\\url{…}`` in math is set as text, a link, as KaTeX sets it.
- A colour by its CSS name (``math_colors``).
- An array row with more cells than its columns (``math_arrays``).
- ``_`` and ``^`` in a text argument (``\\text{rot_reduced}``, what Goldmark leaves of
  ``rot\\_reduced`` without passthrough): MathJax prints them; TeX wants math there.
- A lowercase letter or a digit in ``\\mathbb``, ``\\mathcal`` or ``\\mathscr``, and a
  Greek capital in those or ``\\mathfrak``: their fonts do not have it, and TeX sets
  another symbol from the slot (``\\mathbb{v}`` printed ≿, ``\\mathcal{a}`` ⊣,
  ``\\mathbb{\\Gamma}`` ≨) or nothing (rsfs, eufm). KaTeX sets the character as if the
  alphabet were not there, and so does the paper, saying so (``\\mathbb{k}`` is amssymb's
  ``\\Bbbk``, as in KaTeX).
- A control symbol neither TeX's math nor MathJax knows (``\\+``): MathJax shows its name in
  red (its ``noundefined`` extension, part of every standard MathJax component); so does
  the paper, with a located warning, where TeX would stop the build.
"""

from __future__ import annotations

import re

from mdpaper.latex.math_arrays import pad_arrays, without_stray_rows
from mdpaper.latex.math_colors import css_colors
from mdpaper.patterns import lazy_pattern

#: what KaTeX reads its own way (each alternative a named group), or any other control
#: sequence (``\\\\`` is one: the ``\\+`` in ``\\\\+`` is no control symbol)
_TOKEN = lazy_pattern(
    r"\\(?:(?P<skip>above|mskip|mkern|kern|hskip)\s*\{\s*(?P<dim>[-+]?[\d.]+\s*[a-z]{2})\s*\}"
    r"|hspace\s*(?P<hspace>[-+]?[\d.]+\s*[a-z]{2})"
    r"|rule\s*(?P<raise>\[[^\]]*\])?\s*\{(?P<width>[^{}]*)\}\s*\{(?P<height>[^{}]*)\}"
    r"|char\s*(?P<char>\"[0-9A-Fa-f]+|'[0-7]+|\d+)"
    r"|url\s*\{(?P<url>[^{}]*)\}"
    r"|[A-Za-z]+|(?P<symbol>.))", re.S)
#: control symbols TeX's math cannot set (LaTeX's tabbing commands) and MathJax marks red
UNKNOWN_SYMBOLS = frozenset("+<")
_MU = lazy_pattern(r"([-+]?[\d.]+)\s*mu\b")


def _in_em(dimension: str) -> str:
    """A dimension in mu (18 to the em: KaTeX's \\rule takes them), in em."""
    return _MU.sub(lambda m: f"{float(m.group(1)) / 18:.4g}em", dimension)


def _character(code: str) -> str | None:
    """KaTeX's \\char"263a: the character, when it is beyond the font's 256 (else None:
    TeX's \\char sets it)."""
    base = {'"': 16, "'": 8}.get(code[0], 10)
    number = int(code.lstrip("\"'"), base)
    return chr(number) if 255 < number < 0x110000 else None


TEXT_ARGUMENT = lazy_pattern(r"\\(?:text|textrm|textit|textbf|textsf|texttt|textnormal|textup"
                             r"|mbox|hbox)\s*\{")
_TEXT_SPECIAL = lazy_pattern(r"(?<!\\)([_^])")


def text_specials(math: str) -> str:
    """Bare ``_`` and ``^`` in text arguments as the characters MathJax prints (outside
    the ``$…$`` a text argument may hold)."""
    if "_" not in math and "^" not in math:
        return math
    out, pos = [], 0
    for m in TEXT_ARGUMENT.finditer(math):
        if m.start() < pos:
            continue
        end = _group_end(math, m.end())
        parts = math[m.end():end].split("$")
        parts[::2] = [_TEXT_SPECIAL.sub(lambda c: "\\_" if c.group(1) == "_"
                                        else "\\textasciicircum{}", p) for p in parts[::2]]
        out += [math[pos:m.end()], "$".join(parts)]
        pos = end
    return "".join(out) + math[pos:]


def _group_end(math: str, start: int) -> int:
    """Where the group whose text starts at ``start`` (after its ``{``) ends, past its
    ``}`` (the formula's end when it is never closed)."""
    depth, end = 1, start
    while end < len(math) and depth:
        depth += {"{": 1, "}": -1}.get(math[end], 0) if math[end - 1] != "\\" else 0
        end += 1
    return end


_MHCHEM = lazy_pattern(r"\\(?:ce|pu)\s*\{")
#: mhchem.js (KaTeX's and MathJax's \ce) reads ``-->`` as a minus before the arrow ``->``
#: and ``<--`` as ``<-`` and a minus, and ``~`` or a no-break space (French typography:
#: ``\pu{2,0 mL}``) as a space; LaTeX's mhchem stops ("Unexpected input character")
_LONG_RIGHT = lazy_pattern(r"(?<![<-])(-{2,})>")
_LONG_LEFT = lazy_pattern(r"<(-{2,})(?![->])")
_MHCHEM_SPACE = lazy_pattern(r"(?<!\\)~|\u00a0")


def mhchem_arguments(math: str) -> str:
    """What only mhchem.js reads in ``\\ce{…}`` and ``\\pu{…}`` (long arrows, ``~``), as
    what it shows, in the syntax of LaTeX's mhchem."""
    out, pos = [], 0
    for m in _MHCHEM.finditer(math):
        if m.start() < pos:
            continue
        end = _group_end(math, m.end())
        inner = _LONG_RIGHT.sub(lambda a: "- " * (len(a.group(1)) - 1) + "->",
                                math[m.end():end])
        inner = _LONG_LEFT.sub(lambda a: "<-" + " -" * (len(a.group(1)) - 1), inner)
        inner = _MHCHEM_SPACE.sub(" ", inner)
        out += [math[pos:m.end()], inner]
        pos = end
    return "".join(out) + math[pos:]


def katex_syntax(math: str, colors: dict[str, str], warnings: list[str]) -> str:
    """``math`` in TeX's syntax; ``colors`` gets the CSS colours used, ``warnings`` what the
    paper shows only as MathJax does (in red)."""
    if "\\" not in math:
        return math
    reported: set[str] = set()

    def token(m: re.Match[str]) -> str:
        found = m.groupdict()
        if found["skip"]:
            return f"\\{found['skip']}{found['dim']}\\relax "
        if found["hspace"]:
            return f"\\hspace{{{found['hspace']}}}"
        if found["width"] is not None:
            return (f"\\rule{found['raise'] or ''}{{{_in_em(found['width'])}}}"
                    f"{{{_in_em(found['height'])}}}")
        if found["char"]:
            return _character(found["char"]) or m.group(0)
        if found["url"] is not None:  # a link is text, also in KaTeX's math
            return f"\\text{{\\url{{{found['url']}}}}}"
        symbol = found["symbol"]
        if symbol is None or symbol not in UNKNOWN_SYMBOLS:
            return m.group(0)
        if symbol not in reported:
            reported.add(symbol)
            warnings.append(f"\\{symbol} is no command of TeX or MathJax (MathJax shows "
                            f"it in red); set as '\\{symbol}' in red")
        return f"\\textcolor{{red}}{{\\backslash{symbol}}}"

    math = without_stray_rows(text_specials(_TOKEN.sub(token, math)))
    if "\\ce" in math or "\\pu" in math:
        math = mhchem_arguments(math)
    if "\\math" in math:
        math = _capitals_only(math, warnings)
    return pad_arrays(css_colors(math, colors))


#: Math alphabets and what their fonts hold: amssymb's msbm, cmsy and rsfs capitals only,
#: eufm capitals, lowercase letters and digits. Their other slots hold other symbols or
#: nothing, and Greek capitals (``\Gamma``), which TeX sets in the current alphabet, fall
#: on those slots.
_HOLDS = {"mathbb": str.isupper, "mathcal": str.isupper, "mathscr": str.isupper,
          "mathfrak": str.isalnum}
_GREEK_CAPITAL = r"\\(?:Gamma|Delta|Theta|Lambda|Xi|Pi|Sigma|Upsilon|Phi|Psi|Omega)(?![A-Za-z])"
#: An alphabet's argument of letters, digits and Greek capitals, or one such token.
_ALPHABET_ARGUMENT = lazy_pattern(
    r"\\(mathbb|mathcal|mathscr|mathfrak)(?:\s*\{((?:\s*(?:[A-Za-z0-9]|" + _GREEK_CAPITAL
    + r"))+)\s*\}|\s*(" + _GREEK_CAPITAL + r")|\s+([a-z0-9])(?![A-Za-z]))")
_ARGUMENT_TOKEN = lazy_pattern(r"\\[A-Za-z]+|[A-Za-z0-9]")


def _capitals_only(math: str, warnings: list[str]) -> str:
    reported: set[str] = set()

    def alphabet(m: re.Match[str]) -> str:
        name = m.group(1)
        tokens = _ARGUMENT_TOKEN.findall(m.group(2) or m.group(3) or m.group(4))
        holds = _HOLDS[name]
        if all(holds(token) for token in tokens):
            return m.group(0)
        out = []
        for token in tokens:
            if holds(token):
                out.append(f"\\{name}{{{token}}}")
            elif token == "k" and name == "mathbb":
                out.append("{\\Bbbk}")  # (amssymb has that one, as KaTeX's font does)
            else:
                out.append("{" + token + "}")
                said = f"\\{name}{{{token}}}: the paper's font for \\{name} has no {token}"
                if said not in reported:
                    reported.add(said)
                    warnings.append(f"{said} (KaTeX too sets a plain {token}); set as "
                                    f"{token}")
        return "".join(out)

    return _ALPHABET_ARGUMENT.sub(alphabet, math)
