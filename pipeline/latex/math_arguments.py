"""Commands a formula leaves without their arguments (``\\frac{a}`` at its end, ``x^}``).

KaTeX shows such a formula as an error ("Expected group after '^'"), MathJax as "Missing
argument for \\frac": the page shows no formula there. TeX stops too, but far off and in
its own words ("Missing } inserted; and 22 more TeX errors on this line"). So the paper
says what is missing, at the formula's line, before TeX runs.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet

from mdpaper.latex.math_katex import TEXT_ARGUMENT
from mdpaper.patterns import lazy_pattern

#: How many arguments each command takes (KaTeX's and MathJax's function tables; only
#: commands whose every argument is mandatory, so that nothing is a matter of reading).
ARGUMENTS = {
    **dict.fromkeys(("frac", "dfrac", "tfrac", "cfrac", "binom", "dbinom", "tbinom",
                     "overset", "underset", "stackrel", "textcolor", "colorbox"), 2),
    **dict.fromkeys(("sqrt", "hat", "widehat", "bar", "overline", "underline", "vec",
                     "tilde", "widetilde", "dot", "ddot", "dddot", "acute", "grave", "breve",
                     "check", "mathring", "overbrace", "underbrace", "overrightarrow",
                     "overleftarrow", "mathbf", "mathrm", "mathit", "mathsf", "mathtt",
                     "mathcal", "mathbb", "mathfrak", "mathscr", "boldsymbol", "bm", "text",
                     "textbf", "textit", "textrm", "mbox", "boxed", "cancel", "bcancel",
                     "xcancel", "phantom", "hphantom", "vphantom", "fbox", "color"), 1),
}

#: A command of the table, or a script mark (``\\^`` is a control symbol, no script).
_TAKER = lazy_pattern(r"\\([A-Za-z]+)|(?<!\\)([\^_])")
#: One token as TeX reads an undelimited argument: a control word or symbol, a parameter.
_TOKEN = lazy_pattern(r"\\(?:[A-Za-z]+|.)|#\d|.", re.S)
#: What ends the group or cell an argument would be taken from.
_CLOSERS = "}&"
_ORDINALS = ("first", "second")


def missing_argument(math: str, own: AbstractSet[str] = frozenset()) -> str | None:
    """What ``math`` lacks, in words (None when every command of the table has its
    arguments); ``own``: names the post or site defines itself (their arguments are theirs)."""
    if "\\" not in math and "^" not in math and "_" not in math:
        return None
    verbatim = "\\url" in math or "\\href" in math  # (a link's _ is no subscript)
    texts = _text_spans(math)
    for m in _TAKER.finditer(math):
        name = m.group(1)
        if name is None:
            if verbatim or any(start < m.start() < end for start, end in texts):
                continue  # (MathJax prints a text argument's _ and ^: ``\text{__init__}``)
            if _argument_end(math, m.end()) is None:
                mark = m.group(2)
                kind = "superscript" if mark == "^" else "subscript"
                return f"math has a {kind} '{mark}' with nothing after it{_SHOWN}"
            continue
        count = ARGUMENTS.get(name)
        if count is None or name in own:
            continue
        pos = _after_option(math, m.end()) if name == "sqrt" else m.end()
        for number in range(count):
            end = _argument_end(math, pos)
            if end is None:
                which = f"its {_ORDINALS[number]} argument" if count > 1 else "its argument"
                return f"math has \\{name} without {which}{_SHOWN}"
            pos = end
    return None


_SHOWN = (" (KaTeX and MathJax show this formula as an error too: give it one, in "
          "braces)")

#: A script mark right before a command (``f_\\hat{\\alpha}``).
_SCRIPT_COMMAND = lazy_pattern(r"(?<!\\)[\^_]\s*\\([A-Za-z]+)")


def braced_scripts(math: str) -> str:
    """``math`` with each script that is a command of the table with its arguments
    (``f_\\hat{\\alpha}``, ``E_\\tilde{P}``) in braces. KaTeX and MathJax take the command
    and its arguments as the script; TeX's accents stop after the command ("Missing {
    inserted"), the rest take it as the braces say."""
    if "\\" not in math or ("_" not in math and "^" not in math):
        return math
    out, done = [], 0
    for m in _SCRIPT_COMMAND.finditer(math):
        name = m.group(1)
        if m.start() < done or name not in ARGUMENTS:
            continue
        pos = _after_option(math, m.end()) if name == "sqrt" else m.end()
        for _ in range(ARGUMENTS[name]):
            end = _argument_end(math, pos)
            if end is None:
                break  # (missing_argument says so)
            pos = end
        else:
            command = m.start(1) - 1
            out += [math[done:m.start() + 1], "{", braced_scripts(math[command:pos]), "}"]
            done = pos
    return "".join(out) + math[done:]


def _argument_end(math: str, pos: int) -> int | None:
    """Where the argument starting at ``pos`` ends; None when there is none (the formula,
    its group or its cell ends first). An unbalanced group counts as an argument: the
    brace check says what is wrong with it."""
    while pos < len(math) and math[pos].isspace():
        pos += 1
    if pos >= len(math) or math[pos] in _CLOSERS:
        return None
    if math[pos] != "{":
        token = _TOKEN.match(math, pos)
        return token.end() if token else len(math)
    depth = 0
    for token in _TOKEN.finditer(math, pos):
        depth += {"{": 1, "}": -1}.get(token.group(0), 0)
        if depth == 0:
            return token.end()
    return len(math)


def _text_spans(math: str) -> list[tuple[int, int]]:
    """Where the text arguments (``\\text{…}``, ``\\mbox{…}``) of ``math`` are."""
    if "\\text" not in math and "box" not in math:
        return []
    return [(m.start(), _argument_end(math, m.end() - 1) or len(math))
            for m in TEXT_ARGUMENT.finditer(math)]


def _after_option(math: str, pos: int) -> int:
    """Past ``\\sqrt``'s optional ``[n]``, when it has one."""
    rest = math[pos:]
    stripped = rest.lstrip()
    if not stripped.startswith("["):
        return pos
    close = stripped.find("]")
    return pos if close < 0 else pos + len(rest) - len(stripped) + close + 1
