"""LaTeX escaping by context: prose, code, URLs and labels.

Prose gets typographic quotes and ellipses (as Hugo's Goldmark typographer does) and its
non-ASCII characters checked against what the engine can typeset: pdflatex knows exactly
the characters its font encodings declare in their ``*.dfu`` files, so we read those
instead of guessing; a character nobody can show becomes a warning, never a failed build.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable

from mdpaper.latex.line_marks import LINE_MARK
from mdpaper.latex.scripts import (
    CJK_RUN,
    CYRILLIC_RUN,
    EMOJI,
    cjk_latex,
    drawn_as_picture,
    emoji_latex,
    greek_package,
    is_cyrillic,
    is_greek,
    pdflatex_cjk_can,
    pdflatex_support,
)
from mdpaper.patterns import lazy_pattern
from mdpaper.tex import installed
from mdpaper.tex.engines import ENGINES, PLAIN_ENGINE
from mdpaper.tex.fonts import has_glyph, is_cjk, rtl_script
from mdpaper.tex.installed import ENCODING_FILES, KNOWN_WITHOUT_LOOKUP, lookup_needed

SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "#": r"\#",
    "$": r"\$",
    "%": r"\%",
    "&": r"\&",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "`": r"\textasciigrave{}",  # (T1's ` is the opening quote: the page shows a backtick)
}

# Symbols common in technical prose that the T1/TS1 encodings lack but math fonts have.
MATH_SYMBOLS = {
    "≤": r"\leq", "≥": r"\geq", "≠": r"\neq", "≈": r"\approx", "≡": r"\equiv", "∼": r"\sim",
    "→": r"\rightarrow", "←": r"\leftarrow", "↔": r"\leftrightarrow", "⇒": r"\Rightarrow",
    "⇐": r"\Leftarrow", "⇔": r"\Leftrightarrow", "↦": r"\mapsto", "↑": r"\uparrow",
    "↓": r"\downarrow", "∞": r"\infty", "∑": r"\sum", "∏": r"\prod", "∫": r"\int",
    "√": r"\surd", "∂": r"\partial", "∇": r"\nabla", "∈": r"\in", "∉": r"\notin",
    "⊂": r"\subset", "⊆": r"\subseteq", "⊃": r"\supset", "⊇": r"\supseteq", "∪": r"\cup",
    "∩": r"\cap", "∅": r"\emptyset", "∀": r"\forall", "∃": r"\exists", "¬": r"\neg",
    "∧": r"\wedge", "∨": r"\vee", "⊕": r"\oplus", "⊗": r"\otimes", "∘": r"\circ",
    "·": r"\cdot", "⋅": r"\cdot", "×": r"\times", "÷": r"\div", "±": r"\pm", "∓": r"\mp",
    "∝": r"\propto", "⊥": r"\perp", "∥": r"\parallel", "∠": r"\angle", "′": r"\prime",
    "ℝ": r"\mathbb{R}", "ℕ": r"\mathbb{N}", "ℤ": r"\mathbb{Z}", "ℚ": r"\mathbb{Q}",
    "ℂ": r"\mathbb{C}", "ℓ": r"\ell", "ℏ": r"\hbar", "⟨": r"\langle", "⟩": r"\rangle",
    "≪": r"\ll", "≫": r"\gg", "⊤": r"\top", "∗": r"\ast", "★": r"\star", "□": r"\square",
    "α": r"\alpha", "β": r"\beta", "γ": r"\gamma", "δ": r"\delta", "ε": r"\varepsilon",
    "ζ": r"\zeta", "η": r"\eta", "θ": r"\theta", "ι": r"\iota", "κ": r"\kappa",
    "λ": r"\lambda", "μ": r"\mu", "ν": r"\nu", "ξ": r"\xi", "π": r"\pi", "ρ": r"\rho",
    "σ": r"\sigma", "ς": r"\varsigma", "τ": r"\tau", "υ": r"\upsilon", "φ": r"\varphi",
    "χ": r"\chi", "ψ": r"\psi", "ω": r"\omega", "Γ": r"\Gamma", "Δ": r"\Delta",
    "Θ": r"\Theta", "Λ": r"\Lambda", "Ξ": r"\Xi", "Π": r"\Pi", "Σ": r"\Sigma",
    "Υ": r"\Upsilon", "Φ": r"\Phi", "Ψ": r"\Psi", "Ω": r"\Omega", "ϵ": r"\epsilon",
    "ϑ": r"\vartheta", "ϕ": r"\phi", "ϖ": r"\varpi", "ϱ": r"\varrho", "−": "-",
    "↩": r"\hookleftarrow", "↪": r"\hookrightarrow",  # (footnote back links in raw HTML)
}

#: Characters no page shows, and what stands for them: variation selectors (text and emoji
#: presentation) and the zero-width joiner, what an emoji or a symbol (↩︎) leaves; a place a
#: line may break (a zero-width space, which pasted code and URLs carry) and places it may
#: not (word joiner, zero-width no-break space)
_INVISIBLE = {"\ufe0e": "", "\ufe0f": "", "\u200d": "", "\u200b": r"\hspace{0pt}",
              "\u2060": "", "\ufeff": ""}

_DECLARE = lazy_pattern(r"\\DeclareUnicodeCharacter\{([0-9A-Fa-f]{4,6})\}\{(.*)\}")
# utf8enc.dfu also maps Cyrillic to \cyr... commands, which exist only with the T2A/X2
# encodings we do not load ("Unicode character п not set up for use with LaTeX").
_NEEDS_OTHER_ENCODING = lazy_pattern(r"\\(?:cyr|CYR)")


#: characters the .dfu files map to another glyph: ẞ to T1's \SS, which prints "SS" (a
#: wrong glyph and no warning); a Unicode engine sets them
_SET_AS_ANOTHER = frozenset("\u1e9e")


def pdflatex_knows(ch: str) -> bool:
    """``ch`` is in ``pdflatex_characters`` (``KNOWN_WITHOUT_LOOKUP`` needs no lookup)."""
    return ch in KNOWN_WITHOUT_LOOKUP or ch in pdflatex_characters()


@functools.cache
def pdflatex_characters() -> frozenset[str]:
    """Every non-ASCII character pdflatex's utf8 input encoding maps for our encodings."""
    chars: set[str] = set()
    paths = [path for name in ENCODING_FILES if (path := installed.find(name)) is not None]
    for path in paths:
        try:
            text = path.read_text(encoding="latin-1")
        except OSError:
            continue
        chars.update(chr(int(code, 16)) for code, command in _DECLARE.findall(text)
                     if not _NEEDS_OTHER_ENCODING.search(command)
                     and chr(int(code, 16)) not in _SET_AS_ANOTHER)
    if not chars:  # no TeX here (e.g. --tex-only on a bare machine): Latin-1 is always safe
        chars.update(chr(c) for c in range(0xA0, 0x100))
    return frozenset(chars)


def pdflatex_can(ch: str) -> bool:
    """Whether ``auto`` may leave ``ch`` to pdflatex: its encodings' characters, the math
    symbols prose uses, Greek (textalpha), Cyrillic (T2A), Vietnamese (T5) and the emoji
    twemojis draws. Not CJK, which pdflatex sets too (``pdflatex_sets``) but a Unicode
    engine sets better: xeCJK spaces CJK punctuation and Latin beside ideographs, and Noto
    CJK has every glyph of each region, where the CJK package's fonts cover GB 2312 (Arphic),
    JIS X 0208 (Wadalab) and KS X 1001 (Nanum) only."""
    if ch in MATH_SYMBOLS or pdflatex_knows(ch) or ch == "\u00a0" or ch in _INVISIBLE:
        return True
    if (is_greek(ch) and greek_package()) or emoji_latex(ch) is not None:
        return True
    support = pdflatex_support() if ord(ch) > 0x17F else None
    return support is not None and (ch in support.t2a or ch in support.t5)


def pdflatex_needs(text: str) -> set[str]:
    """What ``text`` (a bibliography: raw characters) needs in the preamble under pdflatex."""
    needs: set[str] = set()
    cyrillic_words = re.search(r"\\(?:cyr|CYR)[a-z]", text) is not None  # BibTeX's \\cyra
    if not cyrillic_words and not lookup_needed(text):
        return needs  # (the usual bibliography: no kpsewhich run, a tenth of a second)
    support = pdflatex_support()
    if support.t2a and cyrillic_words:
        needs.add("cyrillic")
    for ch in set(text):
        if ord(ch) < 0x80 or pdflatex_knows(ch):
            continue
        if ch in support.t2a:
            needs.add("cyrillic")
        elif ch in support.t5:
            needs.add("vietnamese")
        elif is_cjk(ch) and pdflatex_cjk_can(ch):
            needs.add("cjk")
    return needs


def pdflatex_sets(ch: str) -> bool:
    """Whether a forced pdflatex shows ``ch`` (``pdflatex_can`` and CJK)."""
    return pdflatex_can(ch) or (is_cjk(ch) and pdflatex_cjk_can(ch))


UnsupportedHook = Callable[[str], None]
#: Called with the name of what a character needs in the preamble ("greek", "emoji").
RequireHook = Callable[[str], None]
#: How math spells a character prose uses that no text font has (𝜋, ₁), else None.
MathHook = Callable[[str], str | None]

#: control characters, which no page shows and TeX refuses: left out of prose and code
CONTROL = lazy_pattern(r"[\x00-\x08\x0b-\x1f\x7f]")
_ASCII_SPECIALS = r"""[\\{}#$%&_~^"'`]|""" + CONTROL.pattern + r"|\.\.\."


@functools.cache
def _text_re() -> re.Pattern[str]:
    """Every special of prose (compiled at the first text beyond ASCII: its Unicode classes
    take as long to compile as the rest of this module to load)."""
    return re.compile(_ASCII_SPECIALS + "|" + EMOJI.pattern + f"|{CJK_RUN}|{CYRILLIC_RUN}"
                      + r"|[^\x00-\x7f]")


#: All of ``_text_re`` a text of ASCII alone can match (every other branch starts beyond
#: ASCII): a quarter of its time on English prose, where escaping was a tenth of a
#: conversion.
_ASCII_TEXT_RE = lazy_pattern(_ASCII_SPECIALS)
_OPENING_CONTEXT = " \t\n([{<\u2014\u2013-/"
#: Straight quote -> (opening, closing, the straight glyph where typography is off).
_QUOTES = {'"': ("``", "''", r"\textquotedbl{}"), "'": ("`", "'", r"\textquotesingle{}")}
_CJK_PUNCTUATION = "。，、；：？！）」』】》〉"
_UNICODE_QUOTES = {'"': ("\u201c", "\u201d"), "'": ("\u2018", "\u2019")}


class TextEscaper:
    """Escapes prose for one engine; reports characters the engine cannot show."""

    def __init__(self, engine: str = PLAIN_ENGINE, on_unsupported: UnsupportedHook | None = None,
                 on_require: RequireHook | None = None, on_math: MathHook | None = None):
        self.unicode_engine = ENGINES[engine].unicode
        #: CJK text under an engine without xeCJK needs break points between ideographs
        self.cjk_breaks = self.unicode_engine and not ENGINES[engine].xecjk
        self.on_unsupported = on_unsupported
        self.on_require = on_require
        self.on_math = on_math or (lambda ch: None)

    def __call__(self, text: str, *, typographic: bool = True) -> str:
        def replace(m: re.Match[str]) -> str:
            s = m.group(0)
            if s in SPECIALS:
                return SPECIALS[s]
            if s == "...":
                return r"\ldots{}" if typographic else r".\kern0pt.\kern0pt."
            if s in _QUOTES:
                opening, closing, straight = _QUOTES[s]
                if not typographic:
                    return straight
                prev = text[m.start() - 1] if m.start() else " "
                after = text[m.end()] if m.end() < len(text) else " "
                if is_cjk(prev) or is_cjk(after):
                    # Unicode quotation marks (xeCJK sets them full width, as the page
                    # shows them); between two ideographs, quotes take turns
                    if self.unicode_engine:
                        opening, closing = _UNICODE_QUOTES[s]
                    if prev in _OPENING_CONTEXT:
                        return opening
                    if after.isspace() or after in _CJK_PUNCTUATION:
                        return closing
                    return opening if text.count(s, 0, m.start()) % 2 == 0 else closing
                return opening if prev in _OPENING_CONTEXT else closing
            if len(s) == 1 and ord(s) < 0x80:
                return ""  # control characters have no printed form
            if len(s) > 1:  # a run of one script, or an emoji sequence (ZWJ, skin tone, …)
                return self.run(s)
            return self.character(s)

        return (_ASCII_TEXT_RE if text.isascii() else _text_re()).sub(replace, text)

    def run(self, text: str) -> str:
        """A run of CJK or Cyrillic text, or an emoji sequence: under pdflatex, one CJK
        environment or T2A group for a run it sets whole, else character by character."""
        if not self.unicode_engine:
            if is_cjk(text[0]) and all(c == "\n" or pdflatex_cjk_can(c) for c in text):
                self.require("cjk")
                return cjk_latex(text)
            if is_cyrillic(text[0]) and all(c in pdflatex_support().t2a for c in text):
                self.require("cyrillic")
                return f"\\mdpapercyr{{{text}}}"
        return self.emoji(text) or "".join(c if c == "\n" else self.character(c) for c in text)

    def require(self, need: str) -> None:
        if self.on_require:
            self.on_require(need)

    def emoji(self, emoji: str) -> str | None:
        latex = emoji_latex(emoji)
        if latex is not None and self.on_require:
            self.on_require("emoji")
        return latex

    def character(self, ch: str) -> str:
        if ch == "\u00a0":
            return "~"
        if ch in _INVISIBLE:
            return _INVISIBLE[ch]
        if self.unicode_engine:
            return self.unicode_character(ch)
        if is_greek(ch) and greek_package():  # upright, as the page shows it
            if self.on_require:
                self.on_require("greek")
            return ch
        if (math := MATH_SYMBOLS.get(ch) or self.on_math(ch)) is not None:
            return r"\ensuremath{" + math + "}"
        if pdflatex_knows(ch):
            return ch
        if (emoji := self.emoji(ch)) is not None:
            return emoji
        if ch in pdflatex_support().t5:  # Vietnamese: stacked accents, horns
            self.require("vietnamese")  # the preamble sets it in T5: pdflatex_definition
            return ch
        if ch in pdflatex_support().t2a:
            self.require("cyrillic")
            return f"\\mdpapercyr{{{ch}}}"
        if is_cjk(ch) and pdflatex_cjk_can(ch):
            return self.run(ch)
        # Letters with accents T1 lacks often decompose into a base letter and a mark.
        base = unicodedata.normalize("NFKD", ch)
        marks_only = all(c.isascii() or unicodedata.combining(c) for c in base)
        if base and marks_only and base[0].isascii():
            ascii_only = "".join(c for c in base if c.isascii())
            if ascii_only and self.on_unsupported:
                self.on_unsupported(ch)
            return ascii_only
        if self.on_unsupported:
            self.on_unsupported(ch)
        return f"[U+{ord(ch):04X}]"  # visible, and unlike "?" not mistaken for a broken ref

    def unicode_character(self, ch: str) -> str:
        """A character under xelatex/lualatex: itself when a font has it (with a break
        point after an ideograph where no xeCJK breaks lines), else an emoji picture, else
        a visible placeholder and a warning."""
        if drawn_as_picture(ch):
            return self.emoji(ch) or ch
        if has_glyph(ch):
            if self.on_require and (script := rtl_script(ch)):
                self.on_require(f"right-to-left {script}")
            if self.cjk_breaks and is_cjk(ch):
                # a break point; \ignorespaces drops the space a line end makes
                return ch + r"\hskip0pt plus0.1pt\ignorespaces "
            return ch
        if ch in MATH_SYMBOLS:  # no text font has it; the math fonts do
            return r"\ensuremath{" + MATH_SYMBOLS[ch] + "}"
        if self.on_unsupported:
            self.on_unsupported(ch)
        if self.on_require:
            self.on_require("placeholder")
        return rf"\mdpapermissing{{{ord(ch):04X}}}"


def shield_argument(text: str) -> str:
    """``text`` safe to follow a command that looks for an optional argument or a star
    (``\\item``, a table row's ``\\\\``, hyperref's ``\\maketitle``; they skip spaces): ``{}``
    before a leading ``[`` or ``*``, which TeX would read as that argument (a list item's
    ``[note]`` became its label, a post opening with ``[`` made TeX run off the end)."""
    return _ARGUMENT_START.sub(r"\1{}", text, count=1)


#: a [ or * first in the text, after any line marks
_ARGUMENT_START = lazy_pattern(r"\A((?:" + LINE_MARK.pattern + r")*)(?=[\[*])")


def escape_code(text: str) -> str:
    """Escape for ``\\texttt{}``: specials escaped, quotes straight, spaces kept, breaks allowed
    after separators so long identifiers and paths do not run into the margin."""
    out = []
    for ch in CONTROL.sub("", text) if CONTROL.search(text) else text:
        if ch in SPECIALS:
            out.append(SPECIALS[ch])
        elif ch == " ":
            out.append(r"\ ")
        elif ch in "/.,-" :
            out.append(ch + r"\allowbreak{}")
        elif ch == "'":
            out.append(r"\textquotesingle{}")
        elif ch == '"':
            out.append(r"\textquotedbl{}")
        else:
            out.append(ch)
    return "".join(out)


def escape_url(url: str) -> str:
    """Escape a URL for ``\\url{}``/``\\href{}``; the link target stays byte-identical.

    hyperref re-reads the argument, so ``%``, ``#`` and ``&`` need a backslash (a comment, a
    parameter, a table column), and braces, backslashes and spaces are percent-encoded.
    """
    encoded = url.replace(" ", "%20").replace("{", "%7B").replace("}", "%7D").replace("\\", "%5C")
    # TeX reads ^^5c as a backslash when the URL sits in another macro's argument.
    encoded = encoded.replace("^", "%5E")
    return re.sub(r"([%#&])", r"\\\1", encoded)


_LABEL_BAD = lazy_pattern(r"[^A-Za-z0-9:._/-]")


def label(identifier: str) -> str:
    """A label name TeX and hyperref accept for any heading id (non-ASCII included)."""
    return _LABEL_BAD.sub(lambda m: f"+{ord(m.group(0)):x}+", identifier)
