"""Math, passed through to LaTeX as written (MathJax and LaTeX read the same source), after
checks: nothing that reads or writes files or changes how TeX reads input, and braces and
environments that pair up (the math sits inside other macros' arguments)."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any

from mdpaper.latex.math_unicode import spell_math_unicode

if TYPE_CHECKING:  # the renderer imports this module for its handler table
    from mdpaper.latex.renderer import LatexRenderer

Token = dict[str, Any]

# TeX primitives and macros that touch files, run programs or change how TeX reads input.
# Math is passed through verbatim, so these are refused there (prose is always escaped).
FORBIDDEN_IN_MATH = re.compile(
    r"\\(input|include|includeonly|InputIfFileExists|openin|openout|read|readline|write|"
    r"immediate|closeout|closein|special|usepackage|RequirePackage|documentclass|catcode|"
    r"directlua|latelua|pdfobj|pdffiletimestamp|pdffilesize|pdffiledump|pdfmdfivesum|"
    r"ShellEscape|write18|verbatiminput|lstinputlisting|scantokens|endinput|csname|"
    r"makeatletter|input@path)(?![A-Za-z@])"
)

_PERCENT = re.compile(r"(?<!\\)%")

_MATH_GROUP = re.compile(r"\\(begin|end)\s*\{([^{}]*)\}|\\.|[{}]", re.S)


def math_groups_problem(raw: str) -> str | None:
    """Why ``raw``'s braces or ``\\begin``/``\\end`` do not pair up (None when they do)."""
    if "{" not in raw and "}" not in raw:  # most inline math: nothing that can pair up
        return None
    stack: list[str] = []
    for m in _MATH_GROUP.finditer(raw):
        token = m.group(0)
        if m.group(1) == "begin":
            stack.append(m.group(2))
        elif m.group(1) == "end":
            if not stack or stack[-1] != m.group(2):
                return f"has \\end{{{m.group(2)}}} without a matching \\begin{{{m.group(2)}}}"
            stack.pop()
        elif token == "{":
            stack.append("{")
        elif token == "}":
            if not stack or stack[-1] != "{":
                return "has a '}' without a matching '{'"
            stack.pop()
    if stack:
        top = stack[-1]
        return "has a '{' that is never closed" if top == "{" else (
            f"has \\begin{{{top}}} without \\end{{{top}}}")
    return None


def inline_math(r: LatexRenderer, tok: Token) -> str:
    r.state.use_package("amsmath")
    return "\\(" + checked_math(r, tok["raw"], tok.get("_line") or r.state.line) + "\\)"


def block_math_in_line(r: LatexRenderer, tok: Token) -> str:
    """Display math inside a paragraph."""
    display = display_math(r, tok)
    if r.in_ulem():  # a display cannot go in the \mbox that \sout needs
        return "\\begin{minipage}{\\linewidth}" + display + "\\end{minipage}"
    return "\n" + display + "\n"


def checked_math(r: LatexRenderer, raw: str, line: int | None) -> str:
    diag = r.state.diag
    if "^^" in raw:
        # TeX reads ^^5c as a backslash: "^^5cinput" would smuggle in \input.
        diag.error("math may not use ^^ character codes (TeX reads ^^5c as a backslash)",
                   line)
        return ""
    m = FORBIDDEN_IN_MATH.search(raw)
    if m:
        diag.error(f"math may not use \\{m.group(1)} (it reads or writes files or "
                   "changes how TeX reads input)", line)
        return ""
    unbalanced = math_groups_problem(raw)
    if unbalanced:
        # Math sits inside \emph{...}, \footnote{...} or a table cell: a stray brace or
        # environment would close those instead, and TeX would complain far away.
        diag.error(f"math {unbalanced}", line)
        return ""
    raw = spell_math_unicode(raw, r.state.escape.character, lambda ch: _unknown_char(r, ch, line))
    # A comment character would swallow the closing delimiter.
    return _PERCENT.sub(r"\\%", raw) if "%" in raw else raw


def _unknown_char(r: LatexRenderer, ch: str, line: int | None) -> None:
    if ch in r.state.reported_chars:
        return
    r.state.reported_chars.add(ch)
    name = unicodedata.name(ch, f"U+{ord(ch):04X}")
    r.state.diag.warn(f"character '{ch}' ({name}) in math has no LaTeX math command known to "
                      "mdpaper; set as text", line)


def block_math(r: LatexRenderer, tok: Token) -> str:
    return display_math(r, tok)


def display_math(r: LatexRenderer, tok: Token) -> str:
    raw = checked_math(r, tok["raw"], tok.get("_line") or r.state.line)
    r.state.use_package("amsmath")  # equation, aligned, gathered
    body = raw.strip()
    if tok.get("env") or _whole_environment(body):
        # align, gather, equation … are display math themselves: inside \[…\] LaTeX stops
        # with "Erroneous nesting of equation structures" (MathJax accepts both).
        return body
    body = _inner_environments(body)
    if "\\label" in body:
        return "\\begin{equation}\n" + _multiline(body) + "\n\\end{equation}"
    return "\\[\n" + _multiline(body) + "\n\\]"


#: amsmath's (and LaTeX's) environments that start display math of their own
DISPLAY_ENVS = ("equation", "align", "gather", "multline", "flalign", "alignat", "eqnarray",
                "displaymath")
_DISPLAY_ENV = "|".join(DISPLAY_ENVS)
_WHOLE_ENV = re.compile(r"\\begin\{(?P<name>(?:" + _DISPLAY_ENV + r")\*?)\}[\s\S]*"
                        r"\\end\{(?P=name)\}")
_OUTER_BEGIN = re.compile(r"\\(begin|end)\{(" + _DISPLAY_ENV + r")(\*?)\}")
#: the form of each display environment that can sit inside other display math
_INNER_FORM = {"align": "aligned", "flalign": "aligned", "eqnarray": "aligned",
               "gather": "gathered", "multline": "gathered", "alignat": "alignedat",
               "equation": "gathered", "displaymath": "gathered"}


def _whole_environment(body: str) -> bool:
    """Whether ``body`` is one display environment and nothing else."""
    m = _WHOLE_ENV.fullmatch(body)
    return m is not None and math_groups_problem(body) is None and (
        body.count("\\begin{" + m.group("name") + "}") == 1)


def _inner_environments(body: str) -> str:
    """A display environment beside other math (``x = \\begin{align}…``): MathJax shows it
    in place, LaTeX needs the inner form (aligned, gathered)."""
    if "\\begin" not in body:
        return body
    return _OUTER_BEGIN.sub(lambda m: f"\\{m.group(1)}{{{_INNER_FORM[m.group(2)]}}}", body)


_ENV_SPAN = re.compile(r"\\begin\{(\w+\*?)\}[\s\S]*?\\end\{\1\}")


def _multiline(body: str) -> str:
    """MathJax accepts ``\\\\`` and ``&`` directly in ``$$…$$``; LaTeX needs an environment."""
    top = body
    while True:
        stripped = _ENV_SPAN.sub("", top)
        if stripped == top:
            break
        top = stripped
    top = re.sub(r"\\&", "", top)
    if "&" in top:
        return "\\begin{aligned}\n" + body + "\n\\end{aligned}"
    if "\\\\" in top:
        return "\\begin{gathered}\n" + body + "\n\\end{gathered}"
    return body


INLINE_HANDLERS = {"inline_math": inline_math, "block_math": block_math_in_line}
