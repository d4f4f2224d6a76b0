"""Formulas written for KaTeX or MathJax, made LaTeX: their extra macros, the post's own
definitions, and the checks TeX would otherwise make far too late (unknown control words,
``\\left`` without ``\\right``).

Pure text in, text out: the renderer (``math.py``) decides what becomes an error, a
warning or a preamble line.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from mdpaper.latex.math_katex import katex_syntax
from mdpaper.latex.math_macros import ALIASES, DEFINITIONS, ENVIRONMENT_PACKAGES, PACKAGE_OF
from mdpaper.latex.math_unicode import math_symbol
from mdpaper.patterns import lazy_pattern

CONTROL = lazy_pattern(r"\\([A-Za-z]+)|\\[^A-Za-z]")

#: names a post's math may not redefine: the document's structure and mdpaper's own output
#: use them outside math, where a post's definition would silently change the paper
PROTECTED = frozenset((
    "begin", "end", "left", "right", "middle", "def", "gdef", "edef", "xdef", "let", "par",
    "relax", "newcommand", "renewcommand", "providecommand", "DeclareMathOperator", "text",
    "item", "section", "subsection", "subsubsection", "paragraph", "subparagraph", "label",
    "ref", "eqref", "cite", "citep", "citet", "footnote", "href", "url", "emph", "textbf",
    "textit", "texttt", "textrm", "caption", "includegraphics", "maketitle", "title",
    "author", "date", "and", "hline", "toprule", "midrule", "bottomrule", "mbox", "hbox",
    "vbox", "color", "textcolor", "hyperref", "hypertarget", "hyperlink", "sout", "uline",
    "verb", "Verb", "operatorname", "mathrm", "ensuremath", "bibliography",
    "bibliographystyle", "document", "centering", "noindent", "kern", "hskip", "vskip",
    "penalty", "frac", "sqrt",
))


@dataclass
class Definition:
    """A macro a formula defines (``\\newcommand``, ``\\def``, ``\\DeclareMathOperator``)."""

    name: str
    #: the preamble line that defines it, whatever LaTeX had under that name
    text: str


@dataclass
class Rewritten:
    """A formula made LaTeX, and what the document needs for it."""

    math: str
    packages: set[str] = field(default_factory=set)
    definitions: dict[str, str] = field(default_factory=dict)
    #: MathJax constructs kept only in part (a notation \enclose does not know, …)
    warnings: list[str] = field(default_factory=list)


# --- reading arguments --------------------------------------------------------------------

def read_group(s: str, i: int) -> tuple[str, int] | None:
    """The argument at ``s[i:]`` (after spaces): a braced group's inside, a control
    sequence, or one character; with the index after it. None at the end of ``s``."""
    while i < len(s) and s[i] in " \t\n":
        i += 1
    if i >= len(s):
        return None
    if s[i] == "\\":
        m = CONTROL.match(s, i)
        end = m.end() if m else i + 1
        return s[i:end], end
    if s[i] != "{":
        return s[i], i + 1
    depth, j = 0, i
    while j < len(s):
        if s[j] == "\\":
            j += 2
            continue
        depth += {"{": 1, "}": -1}.get(s[j], 0)
        if depth == 0:
            return s[i + 1:j], j + 1
        j += 1
    return None


def read_optional(s: str, i: int) -> tuple[str | None, int]:
    """``[…]`` at ``s[i:]`` (after spaces), or None and ``i``."""
    j = i
    while j < len(s) and s[j] in " \t\n":
        j += 1
    if j < len(s) and s[j] == "[":
        end = s.find("]", j)
        if end > 0:
            return s[j + 1:end], end + 1
    return None, i


# --- the post's own definitions -----------------------------------------------------------

# \\global before a definition is dropped with it: the preamble's definitions are global
_DEFINING = lazy_pattern(r"\\(newcommand|renewcommand|providecommand|DeclareMathOperator|"
                         r"DeclarePairedDelimiters?)(?![A-Za-z])(\*?)"
                         r"|(?:\\global\s*)?\\(def|gdef|edef|xdef)(?![A-Za-z])")


#: a comment: an unescaped % (after an even run of backslashes, \\ being a line break) to
#: the end of its line, and the line's end, as TeX reads it; or a text command's argument
#: (one level of braces inside), which MathJax reads as text, where % is a percent sign
_COMMENT_OR_TEXT = lazy_pattern(r"(?<!\\)((?:\\\\)*)%[^\n]*\n?|(\\(?:text(?:rm|it|bf|sf|tt|sl|sc|up"
                                r"|md|normal)?|mbox|hbox)\s*\{(?:\\.|[^{}\\]|\{(?:\\.|[^{}\\])*\})*\})")


def without_comments(raw: str) -> str:
    """``raw`` without its comments: MathJax and KaTeX, like TeX, read ``%`` to the end of
    the line as one (a block of definitions annotated line by line). In a text argument
    (``96\\text{ %}``) MathJax shows ``%`` (KaTeX reads a comment there too, which swallows
    the closing brace and shows an error): it stays, as ``\\%``."""
    return _COMMENT_OR_TEXT.sub(lambda m: m.group(1) if m.group(2) is None else re.sub(
        r"(?<!\\)((?:\\\\)*)%", r"\1\\%", m.group(2)), raw) if "%" in raw else raw


def extract_definitions(raw: str) -> tuple[str, list[Definition]]:
    """``raw`` without the definitions it holds, and those definitions (MathJax keeps a
    formula's ``\\newcommand`` for the rest of the page: the preamble does the same)."""
    if not any(word in raw for word in ("def", "command", "Operator", "Delimiter")):
        return raw, []
    found: list[Definition] = []
    out, pos = [], 0
    for m in _DEFINING.finditer(raw):
        if m.start() < pos:
            continue
        parsed = _definition(raw, m)
        if parsed is None:
            continue
        definition, end = parsed
        if m.group(3) in ("edef", "xdef"):
            definition = _expanded(definition, found)
        found.append(definition)
        out.append(raw[pos:m.start()])
        pos = end
    out.append(raw[pos:])
    return "".join(out), found


def _expanded(definition: Definition, before: list[Definition]) -> Definition:
    """``\\edef``: the body with the formula's earlier parameterless macros expanded, as
    they are at this point (a later ``\\def`` of them does not change it)."""
    text = definition.text
    for earlier in reversed(before):
        m = re.fullmatch(r"\\def\\([A-Za-z]+)\{(.*)\}", earlier.text, re.S)
        if m:
            body = m.group(2).replace("\\", "\\\\")
            head, _, rest = text.partition("{")
            text = head + "{" + re.sub(r"\\" + m.group(1) + r"(?![A-Za-z])", body, rest)
    return Definition(definition.name, text)


def _definition(raw: str, m: re.Match[str]) -> tuple[Definition, int] | None:
    if m.group(3):  # \def\name<parameters>{body}
        name = read_group(raw, m.end())
        if name is None or not name[0].startswith("\\"):
            return None
        brace = raw.find("{", name[1])
        body = read_group(raw, brace) if brace >= 0 else None
        if body is None:
            return None
        text = f"\\def{name[0]}{raw[name[1]:brace]}{{{body[0]}}}"
        return Definition(name[0][1:], text), body[1]
    name = read_group(raw, m.end())
    if name is None:
        return None
    macro = name[0].strip()
    if m.group(1).startswith("DeclarePairedDelimiter"):
        # mathtools' (MathJax spells it with an s too): \abs{x}, \abs*{x} grows, \abs[\big]{x}
        opening = read_group(raw, name[1])
        closing = read_group(raw, opening[1]) if opening else None
        if opening is None or closing is None:
            return None
        text = (f"\\let{macro}\\relax\\DeclarePairedDelimiter{{{macro}}}{{{opening[0]}}}"
                f"{{{closing[0]}}}")
        return Definition(macro[1:], text), closing[1]
    if m.group(1) == "DeclareMathOperator":
        body = read_group(raw, name[1])
        if body is None:
            return None
        op = "\\operatorname" + m.group(2)
        return Definition(macro[1:], _replace(macro, f"{{{op}{{{body[0]}}}}}")), body[1]
    args, end = read_optional(raw, name[1])
    default, end = read_optional(raw, end)
    body = read_group(raw, end)
    if body is None or not macro.startswith("\\"):
        return None
    spec = (f"[{args}]" if args else "") + (f"[{default}]" if default is not None else "")
    return Definition(macro[1:], _replace(macro, f"{spec}{{{body[0]}}}")), body[1]


def _replace(macro: str, rest: str) -> str:
    # \providecommand first: \renewcommand then works whether LaTeX knew the name or not.
    return f"\\providecommand{{{macro}}}{{}}\\renewcommand{{{macro}}}{rest}"


# --- KaTeX's and MathJax's extras ---------------------------------------------------------

_HEX = r"\{\s*#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\s*\}"
_HEX_COLOR = lazy_pattern(r"\\(color|textcolor|colorbox)\s*" + _HEX)
_HEX_FRAME = lazy_pattern(r"\\fcolorbox\s*" + _HEX + r"\s*" + _HEX)
_BLACKBOARD_DIGIT = lazy_pattern(r"\\mathbb\s*\{\s*([0-9])\s*\}")
_WITH_ARGUMENTS = lazy_pattern(r"\\(bbox|enclose|unicode|require|class|cssId|style|data)"
                               r"(?![A-Za-z])")


_KATEX_HTML_NAMES = {"Class": "class", "Id": "cssId", "Style": "style", "Data": "data"}
_KATEX_HTML = lazy_pattern(r"\\html(Class|Id|Style|Data)(?![A-Za-z])")


def _html(hex_digits: str) -> str:
    if len(hex_digits) == 3:
        hex_digits = "".join(c * 2 for c in hex_digits)
    return hex_digits.upper()


def rewrite(raw: str, defined: set[str]) -> Rewritten:
    """``raw`` with KaTeX's and MathJax's extras in LaTeX; ``defined``: the post's own
    macros, which win over the extras of the same name."""
    result = Rewritten(raw)
    if "\\" not in raw:
        return result
    math = _HEX_COLOR.sub(lambda m: f"\\{m.group(1)}[HTML]{{{_html(m.group(2))}}}", raw)
    math = _HEX_FRAME.sub(lambda m: f"\\fcolorbox[HTML]{{{_html(m.group(1))}}}"
                                    f"{{{_html(m.group(2))}}}", math)
    # amssymb has no double-struck digits and no installed package does: the bold digit
    # is the usual print form of the indicator 1, where amssymb would show a wrong glyph.
    math = _BLACKBOARD_DIGIT.sub(r"\\mathbf{\1}", math)
    # KaTeX's names for MathJax's HTML macros (trust-gated there; their content is kept)
    math = _KATEX_HTML.sub(lambda m: "\\" + _KATEX_HTML_NAMES[m.group(1)], math)
    math = _arguments(math, result)
    colors: dict[str, str] = {}
    math = katex_syntax(math, colors, result.warnings)
    result.definitions.update({f"color {name}": text for name, text in colors.items()})
    for env, package in ENVIRONMENT_PACKAGES.items():
        if "\\begin{" + env + "}" in math:
            result.packages.add(package)
    result.math = CONTROL.sub(lambda m: _word(m, result, defined), math)
    return result


def _word(m: re.Match[str], result: Rewritten, defined: set[str]) -> str:
    name = m.group(1)
    if name is None or name in defined:
        return m.group(0)
    if name in DEFINITIONS:
        result.definitions[name] = DEFINITIONS[name]
    if name in ALIASES:
        replacement = ALIASES[name]
        for inner in CONTROL.finditer(replacement):
            if inner.group(1) in PACKAGE_OF:
                result.packages.add(PACKAGE_OF[inner.group(1)])
        return replacement
    if name in PACKAGE_OF:
        result.packages.add(PACKAGE_OF[name])
    return m.group(0)


def _arguments(math: str, result: Rewritten) -> str:
    """MathJax's macros with arguments: HTML-only ones keep their content."""
    out, pos = [], 0
    for m in _WITH_ARGUMENTS.finditer(math):
        if m.start() < pos:
            continue
        done = _with_argument(m.group(1), math, m.end(), result)
        if done is None:
            continue
        out += [math[pos:m.start()], done[0]]
        pos = done[1]
    out.append(math[pos:])
    return "".join(out)


def _with_argument(name: str, s: str, i: int, result: Rewritten) -> tuple[str, int] | None:
    options: str | None = None
    if name == "bbox":
        options, i = read_optional(s, i)
    first = read_group(s, i)
    if first is None:
        return None
    if name == "require":
        return "", first[1]
    if name == "unicode":
        return _unicode(first[0], result), first[1]
    if name == "enclose":
        _, i = read_optional(s, first[1])
        content = read_group(s, i)
        return None if content is None else (
            _enclose(first[0], _arguments(content[0], result), result), content[1])
    if name == "bbox":
        return _bbox(options or "", _arguments(first[0], result)), first[1]
    content = read_group(s, first[1])  # \class{name}{math} and kin: HTML attributes only
    return None if content is None else ("{" + _arguments(content[0], result) + "}",
                                         content[1])


def _unicode(code: str, result: Rewritten) -> str:
    code = code.strip().lower()
    try:  # MathJax reads \unicode{8594} as decimal, \unicode{x2192} as hexadecimal
        ch = chr(int(code.removeprefix("0").removeprefix("x"), 16) if "x" in code[:2]
                 else int(code))
    except (ValueError, OverflowError):
        result.warnings.append(f"\\unicode{{{code}}} is no character number; left out")
        return ""
    return math_symbol(ch) or f"\\text{{{ch}}}"


_ENCLOSE = {"box": "\\boxed{%s}", "roundedbox": "\\boxed{%s}", "circle": "\\boxed{%s}",
            "updiagonalstrike": "\\cancel{%s}", "downdiagonalstrike": "\\bcancel{%s}",
            "horizontalstrike": "\\xcancel{%s}"}


def _enclose(notation: str, content: str, result: Rewritten) -> str:
    for word in notation.replace(",", " ").split():
        if word in _ENCLOSE:
            if "cancel" in _ENCLOSE[word]:
                result.packages.add("cancel")
            return _ENCLOSE[word] % content
    result.warnings.append(f"\\enclose{{{notation}}}: no LaTeX form known; content kept")
    return "{" + content + "}"


def _bbox(options: str, content: str) -> str:
    parts = [p.strip() for p in options.split(",") if p.strip()]
    color = next((p for p in parts if ":" not in p and not re.match(r"[\d.]", p)), None)
    boxed = "\\fbox{$" + content + "$}" if any("border" in p for p in parts) else None
    if color:
        model = ""
        if color.startswith("#"):
            model, color = "[HTML]", _html(color[1:])
        return f"\\colorbox{model}{{{color}}}{{$" + content + "$}"
    return boxed or "{" + content + "}"


# --- checks -------------------------------------------------------------------------------

def unknown_words(raw: str, known: frozenset[str] | set[str]) -> list[tuple[str, str | None]]:
    """Control words of ``raw`` that are not in ``known``, each once, with a suggestion."""
    found: dict[str, str | None] = {}
    for m in CONTROL.finditer(raw):
        name = m.group(1)
        if name and name not in known and name not in found:
            found[name] = did_you_mean(name, known)
    return list(found.items())


def did_you_mean(name: str, known: frozenset[str] | set[str]) -> str | None:
    """``\\leqk`` → ``\\leq k`` (a known word run into letters), ``\\alpah`` → ``\\alpha``."""
    if name in known:  # TeX may still not know it; it is no typo of another word
        return None
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.75)
    for cut in range(len(name) - 1, 1, -1):
        head, rest = name[:cut], name[cut:]
        # \mathbbb is a doubled letter, not \mathbb followed by b; \ceil is \lceil
        # misspelt, not \ce (mhchem's) followed by il: a word as long as its rest is no
        # better a guess than the nearest name
        if head in known and len(rest) <= 2 and rest[0] != head[-1] and (
                len(rest) < len(head) or not close):
            return f"\\{head} {rest}"
    return f"\\{close[0]}" if close else None


_PREAMBLE_DEFINITION = lazy_pattern(r"\\(?:newcommand|renewcommand|providecommand|"
                                    r"DeclareMathOperator|DeclareRobustCommand)\*?\s*\{?\s*"
                                    r"\\([A-Za-z]+)|\\(?:def|gdef|edef|xdef|let)\s*\\([A-Za-z]+)")
_PREAMBLE_PACKAGE = lazy_pattern(r"\\(?:usepackage|RequirePackage)\s*(?:\[[^\]]*\])?\s*\{([^}]*)\}")
#: packages built-in templates load that define no math macros
_NO_MATH_MACROS = frozenset(("geometry", "authblk", "fancyhdr", "titling", "setspace",
                             "parskip", "caption", "multicol", "microtype"))


def preamble_macros(preamble: str) -> tuple[frozenset[str], bool]:
    """The control words a template's preamble defines, and whether that is all it adds:
    False when it loads a package whose macros mdpaper does not know (then an unknown word
    in math is only a warning: the package may define it)."""
    names = {a or b for a, b in _PREAMBLE_DEFINITION.findall(preamble)}
    packages = {p.strip() for group in _PREAMBLE_PACKAGE.findall(preamble)
                for p in group.split(",")}
    return frozenset(names), packages <= _NO_MATH_MACROS


_LEFT_RIGHT = lazy_pattern(r"\\(left|right)(?![A-Za-z])")


def left_right_problem(raw: str) -> str | None:
    """Why ``raw``'s ``\\left`` and ``\\right`` do not pair up (None when they do)."""
    if "\\left" not in raw and "\\right" not in raw:
        return None
    depth = 0
    for m in _LEFT_RIGHT.finditer(raw):
        depth += 1 if m.group(1) == "left" else -1
        if depth < 0:
            return "has \\right without a matching \\left"
    return "has \\left without a matching \\right" if depth else None
