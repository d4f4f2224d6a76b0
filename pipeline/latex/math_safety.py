"""What math may not contain: what reads or writes files or changes how TeX reads input,
and braces, environments, \\left/\\right and rules that do not pair up or stand where TeX
cannot take them (the math sits inside other macros' arguments, where a stray brace would
close those instead)."""

from __future__ import annotations

import re

from mdpaper.latex.math_rewrite import left_right_problem
from mdpaper.patterns import lazy_pattern

# TeX primitives and macros that touch files, run programs or change how TeX reads input.
# Math is passed through verbatim, so these are refused there (prose is always escaped).
FORBIDDEN_IN_MATH = lazy_pattern(
    r"\\(input|include|includeonly|InputIfFileExists|openin|openout|read|readline|write|"
    r"immediate|closeout|closein|special|usepackage|RequirePackage|documentclass|catcode|"
    r"directlua|latelua|pdfobj|pdffiletimestamp|pdffilesize|pdffiledump|pdfmdfivesum|"
    r"ShellEscape|write18|verbatiminput|lstinputlisting|scantokens|endinput|csname|"
    r"makeatletter|input@path|"
    # images read from a path the source names (pdfTeX's and XeTeX's primitives)
    r"pdfximage|XeTeXpicfile|XeTeXpdffile)(?![A-Za-z@])"
)


_MATH_GROUP = lazy_pattern(r"\\(begin|end)\s*\{([^{}]*)\}|\\.|[{}]", re.S)


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



def refusal(raw: str) -> str | None:
    if "^^" in raw:
        # TeX reads ^^5c as a backslash: "^^5cinput" would smuggle in \input.
        return "math may not use ^^ character codes (TeX reads ^^5c as a backslash)"
    m = FORBIDDEN_IN_MATH.search(raw)
    if m:
        return (f"math may not use \\{m.group(1)} (it reads or writes files or changes how "
                "TeX reads input)")
    # Math sits inside \emph{...}, \footnote{...} or a table cell: a stray brace or
    # environment would close those instead, and TeX would complain far away.
    unbalanced = (math_groups_problem(raw) or left_right_problem(raw)
                  or misplaced_rule_problem(raw))
    return f"math {unbalanced}" if unbalanced else None


#: A rule between rows, and what may come right before one: a row's end, the start of the
#: array (its column spec), another rule.
_RULE = lazy_pattern(r"\\(?:hline|hdashline|cline\s*\{[^}]*\})")
_BEFORE_RULE = lazy_pattern(r"(?:\\\\(?:\s*\[[^\]]*\])?|\\cr|\\hline|\\hdashline|"
                            r"\\cline\s*\{[^}]*\}|\\begin\s*\{[a-zA-Z*]+\}(?:\s*\{[^{}]*\})?|"
                            r"\{)\s*$")


def misplaced_rule_problem(raw: str) -> str | None:
    """Why a ``\\hline`` stands inside a row rather than between rows (MathJax shows
    "Misplaced \\hline"; TeX may loop forever on it): None when every rule is in place."""
    if "line" not in raw:
        return None
    for m in _RULE.finditer(raw):
        before = re.sub(r"%[^\n]*", "", raw[:m.start()])
        if not _BEFORE_RULE.search(before):
            return (f"has {m.group(0).split('{')[0]} inside a row (end the row before it "
                    "with \\\\)")
    return None
