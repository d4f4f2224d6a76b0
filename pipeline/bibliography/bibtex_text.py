"""BibTeX-safe text: LaTeX specials escaped, non-ASCII as LaTeX accents (pylatexenc),
capitals in titles protected, simple HTML-ish markup mapped, URLs percent-encoded only
where BibTeX or ``\\url`` cannot carry a character. Used by ``csl.py``."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pylatexenc.latexencode import UnicodeToLatexEncoder

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


def escape(text: str) -> str:
    """Plain text -> BibTeX/LaTeX text: specials escaped, non-ASCII as LaTeX accents."""
    # Collapse whitespace (a blank line would be \par) but keep it at the ends: callers
    # escape chunks between markup tags and the spaces around the tags matter.
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))
    out = []
    for ch in text:
        if ch in _ASCII_SPECIALS:
            out.append(_ASCII_SPECIALS[ch])
        elif ord(ch) < 128:
            out.append(ch)
        else:
            out.append(_encode_char(ch))
    return "".join(out)


def _needs_protection(word: str) -> bool:
    """Would BibTeX's title lowercasing damage this word? (GPT, LLMs, t-SNE's SNE, I, X-ray)."""
    core = re.sub(r"^\W+|\W+$", "", word)
    if not core:
        return False
    if any(c.isupper() for c in core[1:]):
        return True
    # A lone capital is a name or a letter (vitamin C, "What I"); "A" is usually the article.
    return core[0].isupper() and (
        (len(core) == 1 and core != "A") or any(c.isdigit() for c in core)
    )


def _protect_case(text: str) -> str:
    # Split on hyphens and slashes too, so "Information-Theoretic" still lowercases like any
    # other title word while "GPT-4" becomes "{GPT}-4".
    parts = re.split(r"([\s\-/\u2010-\u2015]+)", text)
    return "".join(
        "{" + escape(part) + "}" if i % 2 == 0 and _needs_protection(part) else escape(part)
        for i, part in enumerate(parts)
    )


# citeproc's rich-text markup inside CSL strings (what Zotero exports).
_MARKUP = re.compile(
    r'<(/?)(i|b|sup|sub|span)((?:\s+class="nocase"|\s+style="font-variant:\s*small-caps;?")?)>'
)
_OPEN = {"i": r"\emph{", "b": r"\textbf{", "sup": r"\textsuperscript{", "sub": r"\textsubscript{"}


def rich_text(text: str, *, protect_case: bool = False) -> str:
    """A CSL string (with citeproc markup) -> BibTeX value.

    ``protect_case`` (for titles): brace words whose capitals BibTeX styles would lowercase.
    ``<span class="nocase">`` becomes a plain brace group; ``<i>`` etc. become ``\\emph{}``...
    whose argument is a brace group too, so BibTeX leaves its case alone.
    """
    out: list[str] = []
    stack: list[str] = []
    pos = 0

    def plain(chunk: str) -> None:
        if chunk:
            out.append(_protect_case(chunk) if protect_case and not stack else escape(chunk))

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
