"""Unicode characters typed inside math (``$θ ≤ τ$``, ``$f: A → B$``), spelled as LaTeX.

KaTeX and MathJax show such characters as themselves; pdflatex's math fonts do not know
them (``→`` came out as "ß"), and xelatex's text font is not a math font. So each one
with a math meaning becomes its LaTeX command; text arguments (``\\text{café}``) keep
their characters for the text escaper; anything else is set as text, with a warning when
it is no letter (a symbol we do not know could mean something the reader must see).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from mdpaper.latex.escape import MATH_SYMBOLS, pdflatex_knows
from mdpaper.patterns import lazy_pattern

#: characters with a math meaning beyond the prose table (escape.MATH_SYMBOLS), as KaTeX
#: reads them
_MORE = {
    "→": r"\to", "′": "'", "″": "''", "‴": "'''", "−": "-", "∶": ":", "⋯": r"\cdots",
    "…": r"\ldots", "⋮": r"\vdots", "⋱": r"\ddots", "∖": r"\setminus", "∣": r"\mid",
    "∤": r"\nmid", "‖": r"\|", "≔": r"\mathrel{:}=", "≦": r"\leqq", "≧": r"\geqq",
    "⩽": r"\leqslant", "⩾": r"\geqslant", "≺": r"\prec", "≻": r"\succ", "⪯": r"\preceq",
    "⪰": r"\succeq", "≼": r"\preccurlyeq", "≽": r"\succcurlyeq", "⊊": r"\subsetneq",
    "⊋": r"\supsetneq", "∄": r"\nexists", "⊢": r"\vdash", "⊣": r"\dashv", "⊨": r"\models",
    "⊩": r"\Vdash", "∎": r"\blacksquare", "⊙": r"\odot", "⊖": r"\ominus", "⊘": r"\oslash",
    "†": r"\dagger", "‡": r"\ddagger", "≲": r"\lesssim", "≳": r"\gtrsim",
    "∴": r"\therefore", "∵": r"\because", "⟶": r"\longrightarrow", "⟵": r"\longleftarrow",
    "⟹": r"\Longrightarrow", "⟸": r"\Longleftarrow", "⟺": r"\Longleftrightarrow",
    "⟷": r"\longleftrightarrow", "⟼": r"\longmapsto", "↪": r"\hookrightarrow",
    "↩": r"\hookleftarrow", "⇀": r"\rightharpoonup", "⇌": r"\rightleftharpoons",
    "⇝": r"\rightsquigarrow", "↗": r"\nearrow", "↘": r"\searrow", "↖": r"\nwarrow",
    "↙": r"\swarrow", "⇑": r"\Uparrow", "⇓": r"\Downarrow", "↕": r"\updownarrow",
    "⇕": r"\Updownarrow", "↠": r"\twoheadrightarrow", "⇉": r"\rightrightarrows",
    "∮": r"\oint", "∬": r"\iint", "∭": r"\iiint", "⋂": r"\bigcap", "⋃": r"\bigcup",
    "⋀": r"\bigwedge", "⋁": r"\bigvee", "⨁": r"\bigoplus", "⨂": r"\bigotimes",
    "∐": r"\coprod", "⌊": r"\lfloor", "⌋": r"\rfloor", "⌈": r"\lceil", "⌉": r"\rceil",
    "•": r"\bullet", "∙": r"\bullet", "°": r"^{\circ}", "∡": r"\measuredangle",
    "△": r"\triangle", "▽": r"\triangledown", "◦": r"\circ", "⋆": r"\star",
    "≐": r"\doteq", "≜": r"\triangleq", "≍": r"\asymp", "∋": r"\ni", "∌": r"\not\ni",
    "≮": r"\not<", "≯": r"\not>", "≰": r"\nleq", "≱": r"\ngeq", "⊄": r"\not\subset",
    "⊈": r"\nsubseteq", "≁": r"\nsim", "≉": r"\not\approx", "≢": r"\not\equiv",
    "⊻": r"\veebar", "⊼": r"\barwedge", "⋉": r"\ltimes", "⋊": r"\rtimes", "⊓": r"\sqcap",
    "⊔": r"\sqcup", "⊏": r"\sqsubset", "⊑": r"\sqsubseteq", "⊐": r"\sqsupset",
    "⊒": r"\sqsupseteq", "ð": r"\eth", "ı": r"\imath", "ȷ": r"\jmath", "½": r"\tfrac{1}{2}",
    "¼": r"\tfrac{1}{4}", "¾": r"\tfrac{3}{4}", "ϖ": r"\varpi", "ϱ": r"\varrho",
    "ϰ": r"\varkappa", "ϝ": r"\digamma", "ℙ": r"\mathbb{P}", "ℍ": r"\mathbb{H}",
    "ℰ": r"\mathcal{E}", "ℱ": r"\mathcal{F}", "ℋ": r"\mathcal{H}", "ℐ": r"\mathcal{I}",
    "ℒ": r"\mathcal{L}", "ℳ": r"\mathcal{M}", "ℛ": r"\mathcal{R}", "ℬ": r"\mathcal{B}",
    "℘": r"\wp", "ℑ": r"\Im", "ℜ": r"\Re", "ℵ": r"\aleph", "ℶ": r"\beth", "ℷ": r"\gimel",
    "ℸ": r"\daleth", "ℎ": "h", "Α": r"\mathrm{A}", "Β": r"\mathrm{B}", "Ε": r"\mathrm{E}",
    "Ζ": r"\mathrm{Z}", "Η": r"\mathrm{H}", "Ι": r"\mathrm{I}", "Κ": r"\mathrm{K}",
    "Μ": r"\mathrm{M}", "Ν": r"\mathrm{N}", "Ο": r"\mathrm{O}", "Ρ": r"\mathrm{P}",
    "Τ": r"\mathrm{T}", "Χ": r"\mathrm{X}", "ο": "o", "\u00a0": "~", "\u2009": r"\,",
    "\u2002": r"\enspace", "\u2003": r"\quad", "\u200b": " ", "\u2061": " ", "\u2062": " ",
    "\u2063": " ", "\u2064": " ",  # invisible: a space, so \log⁡N stays \log N
    "\u2215": "/", "\u2044": "/",
    # the letterlike block's Fraktur capitals, and n-ary operators KaTeX's docs type
    "ℭ": r"\mathfrak{C}", "ℌ": r"\mathfrak{H}", "ℨ": r"\mathfrak{Z}", "⨀": r"\bigodot",
    "⨄": r"\biguplus", "⨆": r"\bigsqcup",
}
SYMBOLS = {**MATH_SYMBOLS, **_MORE}

_SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ", "0123456789+-=()ni", strict=True))
_SUBSCRIPTS = dict(zip("₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓₕₖₗₘₙₚₛₜᵢⱼ",
                       "0123456789+-=()aeoxhklmnpstij", strict=True))
_SCRIPT_RUN = lazy_pattern("([" + "".join(_SUPERSCRIPTS) + "]+)|([" + "".join(_SUBSCRIPTS)
                           + "]+)")

#: Unicode's mathematical alphabets (𝔼, 𝐱, 𝒜 …) by the style word of their names
_ALPHABETS = {"DOUBLE-STRUCK": r"\mathbb", "BOLD": r"\mathbf", "BOLD ITALIC": r"\boldsymbol",
              "ITALIC": "", "SCRIPT": r"\mathcal", "BOLD SCRIPT": r"\mathcal",
              "FRAKTUR": r"\mathfrak", "BOLD FRAKTUR": r"\mathfrak", "SANS-SERIF": r"\mathsf",
              "MONOSPACE": r"\mathtt"}
_ALPHANUMERIC = lazy_pattern(r"MATHEMATICAL (?P<style>[A-Z -]+?) (?P<kind>CAPITAL|SMALL|DIGIT) "
                             r"(?P<name>[A-Z]+)")
#: what the style macros can show: amssymb's \mathbb and \mathcal are capitals only
_CAPITALS_ONLY = {r"\mathbb", r"\mathcal"}

#: arguments typeset as text: their characters are the text escaper's
_TEXT_ARGUMENT = lazy_pattern(r"\\(?:text|textrm|textbf|textit|textsf|texttt|textup|textnormal"
                              r"|mbox|hbox|emph)\s*\{")

CharHook = Callable[[str], str]


def math_symbol(ch: str) -> str | None:
    """The LaTeX math spelling of one character, or None when it has no math meaning."""
    if ch in SYMBOLS:
        return SYMBOLS[ch]
    m = _ALPHANUMERIC.fullmatch(unicodedata.name(ch, ""))
    if m is None or m.group("style") not in _ALPHABETS:
        return None
    style, kind, name = _ALPHABETS[m.group("style")], m.group("kind"), m.group("name")
    if kind == "DIGIT":
        letter = str(unicodedata.digit(ch))
    elif len(name) == 1:
        letter = name if kind == "CAPITAL" else name.lower()
    else:  # a Greek letter: 𝛂 is MATHEMATICAL BOLD SMALL ALPHA
        letter = "\\" + (name.capitalize() if kind == "CAPITAL" else name.lower())
    if style in _CAPITALS_ONLY and (kind != "CAPITAL" or len(name) > 1):
        return None
    if style in (r"\mathbf", r"\mathsf", r"\mathtt") and letter.startswith("\\"):
        style = r"\boldsymbol" if style == r"\mathbf" else ""
    return f"{style}{{{letter}}}" if style else letter


def math_spells(ch: str) -> bool:
    """Whether math can spell ``ch`` with commands every engine has (so a post using it in
    a formula needs no Unicode engine for it)."""
    return ch in _SUPERSCRIPTS or ch in _SUBSCRIPTS or math_symbol(ch) is not None


def prose_math(ch: str) -> str | None:
    """How a formula spells ``ch`` when prose uses it and pdflatex's text fonts lack it
    (𝜋 is ``\\pi``, ₁ ``\\sb{1}``): ``auto`` leaves such a post to pdflatex (``math_spells``),
    so its math fonts set the character, as the page's font shows it."""
    if pdflatex_knows(ch) or not math_spells(ch):
        return None
    spelled = spell_math_unicode(ch, lambda text: text, lambda unknown: None)
    # \sb and \sp, not _ and ^: in a code block (Verbatim) those are characters
    return {"_": "\\sb", "^": "\\sp"}.get(spelled[0], spelled[0]) + spelled[1:]


_PRIMES = {"′": 1, "″": 2, "‴": 3}
_PRIME_SUPERSCRIPT = lazy_pattern(r"\^\s*([′″‴]+)")


def spell_math_unicode(raw: str, text_char: CharHook, unknown: Callable[[str], None]) -> str:
    """``raw`` with its non-ASCII characters in LaTeX: math ones as commands, those inside
    text arguments through ``text_char``, others as ``\\text{…}`` after ``unknown(ch)``."""
    if raw.isascii():
        return raw
    raw = _SCRIPT_RUN.sub(_scripts, raw)
    # A^′: the prime is the superscript (TeX's ' is one already; ^' would stop TeX)
    raw = _PRIME_SUPERSCRIPT.sub(lambda m: "'" * sum(_PRIMES[c] for c in m.group(1)), raw)
    out: list[str] = []
    depth_of_text: int | None = None  # brace depth at which the current text argument ends
    depth = 0
    math_in_text = False  # between the $…$ of \text{a $x$ b}: math again
    i = 0
    while i < len(raw):
        ch = raw[i]
        m = _TEXT_ARGUMENT.match(raw, i) if ch == "\\" and depth_of_text is None else None
        if m:
            out.append(m.group(0))
            depth += 1
            depth_of_text = depth
            i = m.end()
            continue
        if ch == "\\" and i + 1 < len(raw):  # \{ and \} are no groups
            out.append(raw[i:i + 2])
            i += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            if depth == depth_of_text:
                depth_of_text, math_in_text = None, False
            depth -= 1
        elif ch == "$" and depth_of_text is not None:
            math_in_text = not math_in_text
        if ch.isascii():
            out.append(ch)
        elif depth_of_text is not None and not math_in_text:
            out.append(text_char(ch))
        else:
            out.append(_math_char(ch, raw[i + 1:i + 2], text_char, unknown))
        i += 1
    return "".join(out)


def _math_char(ch: str, after: str, text_char: CharHook, unknown: Callable[[str], None]) -> str:
    spelled = math_symbol(ch)
    if spelled is None:
        if not unicodedata.category(ch).startswith(("L", "M")):
            unknown(ch)
        return r"\text{" + text_char(ch) + "}"
    # \to followed by B would read as \toB
    if spelled[-1:].isalpha() and "\\" in spelled and after[:1].isalpha():
        spelled += " "
    return spelled


def _scripts(m: re.Match[str]) -> str:
    if m.group(1):
        return "^{" + "".join(_SUPERSCRIPTS[c] for c in m.group(1)) + "}"
    return "_{" + "".join(_SUBSCRIPTS[c] for c in m.group(2)) + "}"
