"""BibTeX-safe text: LaTeX specials escaped, non-ASCII as LaTeX accents (pylatexenc; UTF-8
for xelatex and lualatex), titles kept in the case they are written, simple HTML-ish markup
mapped, ``$…$`` as math where the page typesets it, URLs percent-encoded only where BibTeX
or ``\\url`` cannot carry a character. Used by ``csl.py``."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

from pylatexenc.latexencode import UnicodeToLatexEncoder

from mdpaper.latex.math_names import LATEX_MATH_NAMES
from mdpaper.patterns import lazy_pattern

# The short forms are fine inside BibTeX; the control words get braces so that a following
# letter cannot run into them (``~a`` must not become ``\textasciitildea``). Braces become
# \textbrace*: BibTeX counts ``\{`` as a real brace and an unbalanced value breaks the .bib.
_ASCII_SPECIALS = {
    "\\": r"{\textbackslash}",
    "{": r"{\textbraceleft}",
    "}": r"{\textbraceright}",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "_": r"\_",
    "$": r"\$",
    "~": r"{\textasciitilde}",
    "^": r"{\textasciicircum}",
    # OT1 fonts print these as other glyphs (¡ ¿ —) when typed directly.
    "<": r"{\textless}",
    ">": r"{\textgreater}",
    "|": r"{\textbar}",
}

# braces-all gives {\"u}: a BibTeX "special character", which change.case$ and purify$
# (sorting, initials) understand. Unknown characters are kept as UTF-8 for inputenc, without
# pylatexenc's log line for each (unlocated noise on the terminal: the engine choice and
# the font check answer for them).
_ENCODER = UnicodeToLatexEncoder(
    non_ascii_only=True, replacement_latex_protection="braces-all", unknown_char_policy="keep",
    unknown_char_warning=False,
)


@lru_cache(maxsize=4096)
def _encode_char(ch: str) -> str:
    return _ENCODER.unicode_to_latex(ch)


#: Non-ASCII text stays UTF-8 (for xelatex and lualatex, whose fonts set it): pylatexenc's
#: spellings are pdflatex's (``\\cyra`` needs T2A, which those engines do not load).
_UTF8 = ContextVar("_UTF8", default=False)


@contextmanager
def utf8_text(utf8: bool) -> Iterator[None]:
    """Within: ``escape`` keeps non-ASCII characters as they are when ``utf8``."""
    token = _UTF8.set(utf8)
    try:
        yield
    finally:
        _UTF8.reset(token)


def escape(text: str) -> str:
    """Plain text -> BibTeX/LaTeX text: specials escaped, non-ASCII as LaTeX accents."""
    # Collapse whitespace (a blank line would be \par) but keep it at the ends: callers
    # escape chunks between markup tags and the spaces around the tags matter.
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))
    out = []
    utf8 = _UTF8.get()
    for ch in text:
        if ch in _ASCII_SPECIALS:
            out.append(_ASCII_SPECIALS[ch])
        elif ord(ch) < 128 or utf8:
            out.append(ch)
        else:
            out.append(_encode_char(ch))
    return "".join(out)


def kept_case(escaped: str) -> str:
    """A BibTeX value (escaped) in a brace group, so that BibTeX styles print it as written.

    plainnat sentence-cases titles (and thesis types) with ``change.case$``, which leaves
    brace groups alone, but not a group that starts with a backslash: BibTeX reads that as
    a "special character" and changes the case of its letters (``{\\&Loss}`` would
    print "&loss"), hence the second pair of braces there.
    """
    if not escaped.strip():
        return escaped
    return "{{" + escaped + "}}" if escaped.startswith("\\") else "{" + escaped + "}"


# citeproc's rich-text markup inside CSL strings (what Zotero exports).
_MARKUP = lazy_pattern(
    r'<(/?)(i|b|sup|sub|span)((?:\s+class="nocase"|\s+style="font-variant:\s*small-caps;?")?)>'
)
_OPEN = {"i": r"\emph{", "b": r"\textbf{", "sup": r"\textsuperscript{", "sub": r"\textsubscript{"}


#: ``$…$`` as the page's math renderer finds it in a reference: no space just inside the
#: dollars, no digit after the closing one (in "$5 and $10" the dollars are prices).
_DOLLAR_MATH = lazy_pattern(r"\$(?![\s$])((?:[^$\\]|\\.)+?)(?<!\s)\$(?!\d)")
_MATH_TOKEN = lazy_pattern(r"\\[A-Za-z]+|\\.|[\s\S]")


def _typeset_math(body: str) -> bool:
    """Can TeX set this formula of a reference as it is? Known control words, ASCII, braces
    balanced, nothing TeX reads as a parameter, comment or alignment. (A formula it could
    not set would stop the build in the .bbl, far from the post: it prints as text.)"""
    depth = 0
    tokens = _MATH_TOKEN.findall(body)
    for token, after in zip(tokens, [*tokens[1:], ""], strict=True):
        if token.startswith("\\") and token[1:].isalpha():
            if token[1:] not in LATEX_MATH_NAMES:
                return False
        elif token == "\\\\" or token in "#%&" or not token.isascii() or (
                token in "^_" and after in ("", "^", "_", "}")):
            return False
        depth += (token == "{") - (token == "}")
        if depth < 0:
            return False
    return depth == 0


def _text_and_math(chunk: str, math: bool) -> str:
    """Escaped text, with the formulas the page's renderer typesets as TeX math."""
    if not math:
        return escape(chunk)
    out, pos = [], 0
    for m in _DOLLAR_MATH.finditer(chunk):
        if _typeset_math(m.group(1)):
            out += [escape(chunk[pos : m.start()]), "$" + m.group(1) + "$"]
            pos = m.end()
    return "".join([*out, escape(chunk[pos:])])


def rich_text(text: str, *, keep_case: bool = False, math: bool = False) -> str:
    """A CSL string (with citeproc markup) -> BibTeX value.

    ``keep_case`` (for titles): the text outside markup in brace groups, so that BibTeX
    styles keep its capitals as the page shows them (hugo-cite prints the CSL title as
    written). ``<span class="nocase">`` becomes a plain brace group; ``<i>`` etc. become
    ``\\emph{}``... whose argument is a brace group too, so BibTeX leaves its case alone.
    ``math``: the page's renderer typesets ``$…$`` (KaTeX's auto-render and MathJax find it
    anywhere in the page's text), so the formulas are math here too; else text.
    """
    out: list[str] = []
    stack: list[str] = []
    pos = 0

    def plain(chunk: str) -> None:
        if chunk:
            escaped = _text_and_math(chunk, math)
            out.append(kept_case(escaped) if keep_case and not stack else escaped)

    for m in _MARKUP.finditer(text):
        closing, tag, attr = m.group(1), m.group(2), m.group(3)
        if closing and attr:
            continue  # "</span class=...>" is not markup; leave it to plain() below
        if tag == "span" and not closing and not attr:
            continue
        plain(text[pos : m.start()])
        pos = m.end()
        if not closing:
            stack.append(tag)
            if tag == "span":
                out.append("{" if "nocase" in attr else r"\textsc{")
            else:
                out.append(_OPEN[tag])
        elif stack and stack[-1] == tag:
            stack.pop()
            out.append("}")
        else:
            out.append(escape(m.group(0)))  # stray closing tag: keep it as text
    plain(text[pos:])
    out.extend("}" * len(stack))
    return re.sub(r"\s+", " ", "".join(out)).strip()


def raw_url(url: str) -> str:
    """URL/DOI for ``\\url``: percent-encode only what BibTeX or \\url cannot carry.

    Braces would unbalance the value, a backslash starts a command, spaces let BibTeX
    break the line inside the URL, non-ASCII upsets pdflatex inside \\url, and ``^^5c``
    is a backslash to TeX wherever the URL gets tokenized as an argument.
    """
    out = []
    for ch in url.strip():
        if ch in "{}\\ ^" or ord(ch) < 32 or ord(ch) > 126:
            out.append("".join(f"%{b:02X}" for b in ch.encode("utf-8")))
        else:
            out.append(ch)
    return "".join(out)
