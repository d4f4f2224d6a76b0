"""Strip LaTeX comments without changing what TeX typesets.

This does what ``arxiv_latex_cleaner`` does to comments, minus its known bugs. The rules:

* ``%`` starts a comment unless it is escaped (``\\%``; but ``\\\\%`` *is* a comment, since
  ``\\\\`` is one control symbol), or sits inside a verbatim-like environment (``verbatim``,
  fancyvrb's ``Verbatim`` as pygments writes it, ``lstlisting``, ``minted``, ...), inside an
  inline verbatim (``\\verb|..|``, ``\\lstinline``, ``\\mintinline``) or inside a URL
  argument (``\\url{}``, ``\\path{}``, the first argument of ``\\href{}{}``), where TeX
  reads it as a character.
* A line that holds only a comment disappears with its newline. TeX's ``%`` also eats
  the end of line, so such a line never produced even a space: deleting it is exact.
* A comment glued to text (``word% note``) leaves a bare ``%``, because that ``%`` is
  what stops the newline from becoming a space. When whitespace precedes the ``%``,
  both go: ``word %`` + newline and ``word`` + newline both give one space.
* ``\\begin{comment}...\\end{comment}`` goes, and so does an ``\\iffalse ... \\fi`` block
  that starts a line, with nested ``\\if...``/``\\fi`` counted the way TeX skips them.
  Mid-line ``\\iffalse`` is left alone, as is a block whose braces do not balance: those
  are the ``{\\iffalse}\\fi`` brace tricks of macro code, not commented-out text.

When in doubt the text is kept: keeping a comment never changes the output.
"""

from __future__ import annotations

import re

from mdpaper.patterns import lazy_pattern

# Environments whose body TeX reads with ``%`` as an ordinary character.
VERBATIM_ENVS = frozenset(
    {
        "verbatim", "verbatim*", "Verbatim", "Verbatim*", "BVerbatim", "LVerbatim",
        "SaveVerbatim", "VerbatimOut", "lstlisting", "minted", "alltt",
        "filecontents", "filecontents*", "comment*",
    }
)  # fmt: skip
# Commands whose (first) argument is read verbatim by url.sty / hyperref.
URL_COMMANDS = frozenset({"url", "path", "nolinkurl", "href"})
INLINE_VERBATIM = frozenset({"verb", "Verb", "lstinline", "mintinline"})
# Macros named \if... that are *not* TeX conditionals (they take arguments and expand
# to \iftrue/\iffalse-free code), so TeX does not count them when skipping a false
# branch. Taken from ifthen and etoolbox.
_NOT_CONDITIONALS = frozenset(
    {
        "ifthenelse", "ifboolexpr", "ifboolexpe", "iftoggle", "ifbool", "ifdef", "ifundef",
        "ifcsdef", "ifcsundef", "ifdefmacro", "ifdefparam", "ifdefprefix", "ifdefprotected",
        "ifdefempty", "ifcsempty", "ifdefvoid", "ifcsvoid", "ifdefequal", "ifcsequal",
        "ifdefstring", "ifcsstring", "ifdefstrequal", "ifcsstrequal", "ifdefcounter",
        "ifcscounter", "ifltxcounter", "ifdeflength", "ifcslength", "ifdefdimen",
        "ifcsdimen", "ifstrequal", "ifstrempty", "ifblank", "ifnumcomp", "ifnumequal",
        "ifnumgreater", "ifnumless", "ifnumodd", "ifdimcomp", "ifdimequal", "ifdimgreater",
        "ifdimless", "ifrmnum", "ifinlist", "ifinlistcs", "ifpackageloaded",
        "ifclassloaded", "ifpackagelater", "ifclasslater", "ifpackagewith", "ifclasswith",
        "iffileexists",
    }
)  # fmt: skip
_LETTERS = lazy_pattern(r"[A-Za-z]+")
_ENV_ARG = lazy_pattern(r"\s*\{([^{}\n]*)\}")
_SPACES = " \t"


def _end_pattern(env: str) -> re.Pattern[str]:
    return re.compile(r"\\end\s*\{" + re.escape(env) + r"\}")


def _read_cs(text: str, i: int) -> tuple[str, int]:
    """Read the control sequence whose backslash is at ``i``: its name and end index."""
    m = _LETTERS.match(text, i + 1)
    if m:
        return m.group(), m.end()
    # A control symbol (\%, \\, \{ ...) is the backslash plus exactly one character.
    return text[i + 1 : i + 2], min(i + 2, len(text))


def _group_end(text: str, i: int, limit: int) -> int | None:
    """``text[i]`` is ``{``: the index after its matching ``}`` before ``limit``, or None."""
    depth = 0
    j = i
    while j < limit:
        c = text[j]
        if c == "\\":
            j += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return None


def _find_matching_fi(text: str, start: int) -> int | None:
    """Skip a false branch like TeX: ``start`` is just after ``\\iffalse``.

    Returns the index just after the matching ``\\fi``, or None when there is none or
    the skipped text does not balance its braces (a brace trick, not a comment block).
    Comments are skipped as TeX's tokenizer skips them, so ``% \\fi`` does not count.
    """
    depth, braces, i, n = 1, 0, start, len(text)
    while i < n:
        c = text[i]
        if c == "%":
            nl = text.find("\n", i)
            i = n if nl < 0 else nl
        elif c == "\\":
            name, j = _read_cs(text, i)
            if name == "fi":
                depth -= 1
                if depth == 0:
                    return j if braces == 0 else None
            elif name.startswith("if") and name.lower() not in _NOT_CONDITIONALS:
                depth += 1
            i = j
        else:
            if c == "{":
                braces += 1
            elif c == "}":
                braces -= 1
            i += 1
    return None


class _Output:
    """Collects output line by line, remembering which lines lost a comment."""

    def __init__(self) -> None:
        self.lines: list[list[str]] = [[]]
        self.removed: list[bool] = [False]
        # Length of the current line's text that must not be trimmed (verbatim text,
        # the space of a control space ``\ ``).
        self.protected = 0

    def emit(self, s: str, protect: bool = False) -> None:
        parts = s.split("\n")
        self.lines[-1].append(parts[0])
        for part in parts[1:]:
            self.newline()
            self.lines[-1].append(part)
        if protect:
            self.protected = len(self.current())

    def newline(self) -> None:
        self.lines.append([])
        self.removed.append(False)
        self.protected = 0

    def drop(self, s: str) -> None:
        """Text removed from the output; every line it touches counts as edited."""
        self.removed[-1] = True
        for _ in range(s.count("\n")):
            self.newline()
            self.removed[-1] = True

    def current(self) -> str:
        return "".join(self.lines[-1])

    def comment(self) -> None:
        """A comment starts here: keep a ``%`` only if it glues text to the next line."""
        self.removed[-1] = True
        line = self.current()
        keep = max(len(line.rstrip(_SPACES)), self.protected)
        if keep == 0:
            self.lines[-1] = []
        elif keep < len(line):  # whitespace before the comment: it ends the line fine
            self.lines[-1] = [line[:keep]]
        else:
            self.lines[-1] = [line, "%"]

    def text(self) -> str:
        out = []
        for parts, removed in zip(self.lines, self.removed, strict=True):
            line = "".join(parts)
            if removed and not line.strip():
                continue  # only a comment (or removed block) was there: drop it whole
            out.append(line)
        return "\n".join(out)


def strip_comments(tex: str) -> str:
    """Return ``tex`` without comments, comment environments and ``\\iffalse`` blocks."""
    tex = tex.replace("\r\n", "\n")
    trailing_newline = tex.endswith("\n")
    text = tex[:-1] if trailing_newline else tex
    out = _Output()
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            out.newline()
            i += 1
        elif c == "%":
            out.comment()
            nl = text.find("\n", i)
            i = n if nl < 0 else nl
        elif c == "\\":
            i = _control_sequence(text, i, out)
        else:
            out.emit(c)
            i += 1
    result = out.text()
    return result + "\n" if trailing_newline else result


def _control_sequence(text: str, i: int, out: _Output) -> int:
    """Handle the control sequence at ``i``; return where scanning resumes."""
    name, j = _read_cs(text, i)
    if name in ("begin", "end"):
        m = _ENV_ARG.match(text, j)
        if name == "begin" and m:
            env = m.group(1).strip()
            if env in VERBATIM_ENVS:
                end = _end_pattern(env).search(text, m.end())
                stop = end.end() if end else len(text)
                out.emit(text[i:stop], protect=True)
                return stop
            if env == "comment":
                end = _end_pattern(env).search(text, m.end())
                if end:
                    out.drop(text[i : end.end()])
                    return end.end()
    elif name == "iffalse" and not out.current().strip(_SPACES):
        fi_end = _find_matching_fi(text, j)
        if fi_end is not None:
            # TeX skips spaces after the control word \fi; so do we.
            while fi_end < len(text) and text[fi_end] in _SPACES:
                fi_end += 1
            out.drop(text[i:fi_end])
            return fi_end
    elif name in URL_COMMANDS or name in INLINE_VERBATIM:
        stop = _verbatim_argument(text, name, j)
        out.emit(text[i:stop], protect=True)
        return stop
    out.emit(text[i:j], protect=not name.isalpha())
    return j


def _verbatim_argument(text: str, name: str, j: int) -> int:
    """End of the argument that ``\\name`` reads verbatim (kept as is, ``%`` included).

    The search stays on the current line: a URL or ``\\verb`` never spans lines, and if
    the argument is not closed there we keep the rest of the line rather than guess.
    """
    eol = text.find("\n", j)
    eol = len(text) if eol < 0 else eol
    k = j
    if name == "verb" and text.startswith("*", k):
        k += 1
    while k < eol and text[k] in _SPACES and name not in ("verb", "Verb"):
        k += 1
    if name in ("lstinline", "Verb") and text.startswith("[", k):
        close = text.find("]", k)
        k = eol if close < 0 else close + 1
    if name == "mintinline" and text.startswith("{", k):  # the language argument
        k = _group_end(text, k, eol) or eol
    if k >= eol:
        return eol
    if text[k] == "{" and name not in ("verb", "Verb"):
        return _group_end(text, k, eol) or eol
    if name == "href":
        return k  # \href without a braced URL: nothing verbatim to protect
    close = text.find(text[k], k + 1, eol)  # \verb|...| style delimiter
    return eol if close < 0 else close + 1
