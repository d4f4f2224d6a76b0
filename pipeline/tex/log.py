"""Reading TeX's and BibTeX's logs: errors and warnings as located ``Diagnostic``s.

Kept apart from running latexmk (``latexmk.py``) because other stages read logs too (the
one-pass rebuild, the arXiv proof). Logs written by ``compile_tex`` are unwrapped
(``max_print_line``); others are wrapped at TeX's default 79 columns and are rejoined.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path

from mdpaper.errors import Diagnostic
from mdpaper.patterns import lazy_pattern
from mdpaper.tex.glyphs import missing_glyphs

_FILE_LINE = lazy_pattern(r"^(?P<file>[^\s:][^:]*):(?P<line>\d+): (?P<msg>.*)$")
_CONTEXT_LINE = lazy_pattern(r"^l\.(\d+)(?: |$)")
_LAST_MACRO = lazy_pattern(r"(\\(?:[A-Za-z@]+|.))\s*$")
_FATAL = "==> Fatal error occurred"
#: An image the engine cannot read: pdfTeX's fatal "!pdfTeX error: pdflatex (file ./x.png):
#: libpng: internal error" (no ``l.NN``), LuaTeX's "error:  (file x.png) (readpng): ...".
_IMAGE_ERROR = lazy_pattern(
    r"(?P<engine>pdfTeX) error: \S+ \(file (?:\./)?(?P<file>[^()]*)\): (?P<msg>.*)"
    r"|error:\s+(?:\(file (?:\./)?(?P<lfile>[^()]*)\) )?\((?P<reader>read\w+)\): (?P<lmsg>.*)")
_WARNING = lazy_pattern(
    r"^(?:LaTeX|Package natbib) Warning: "
    r"(?P<msg>(?:Citation|Reference) [`'‘](?P<key>.*?)['’] (?:on page \S+ )?undefined"
    r"|Label [`'‘].*?['’] multiply defined"
    r"|There were undefined (?:references|citations)"
    r"|There were multiply-defined labels)"
    r"(?: on input line (?P<line>\d+))?\.",
)
_PAGES = lazy_pattern(r"Output written on .*?\((\d+) pages?[,)]", re.S)
_TEX_WRAP = 79  # TeX's default max_print_line, for logs not written by compile_tex
_MAX_LOG_BYTES = 32 * 1024 * 1024  # an endless \message loop can write gigabytes


def read_log(path: Path) -> str:
    """The end of a log (or any text file TeX wrote), "" when there is none."""
    try:
        with path.open("rb") as f:
            size = f.seek(0, os.SEEK_END)
            f.seek(max(0, size - _MAX_LOG_BYTES))  # errors and the page count are at the end
            return f.read().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return ""


def parse_log(text: str) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """``(errors, warnings)`` from a LaTeX .log, in either ``file:line:`` or ``! ...`` form."""
    lines = text.splitlines()
    errors: list[Diagnostic] = []
    warnings: list[Diagnostic] = []
    for i, line in enumerate(lines):
        if line.startswith(("LaTeX Warning: ", "Package natbib Warning: ")):
            w = _WARNING.match(_unwrap(lines, i))
            if w:
                number = int(w["line"]) if w["line"] else None
                problem = Diagnostic("warning", w["msg"], None, number)
                if problem not in warnings:
                    warnings.append(problem)
            continue
        m = _FILE_LINE.match(line)
        if m:
            file, number, msg = m["file"].removeprefix("./"), int(m["line"]), m["msg"].strip()
        elif line.startswith("! "):
            file, number, msg = None, _context_line(lines, i), line[2:].strip()
        elif line.startswith("!pdfTeX error: "):  # fatal: located by the file it names
            file, number, msg = None, None, line[1:].strip()
        else:
            continue
        if _FATAL in msg:  # "no output PDF file produced": a consequence, not a cause
            continue
        if msg.startswith("Emergency stop"):
            if errors and errors[-1].line is None:
                # The real error came first in "! ..." form (missing file prompt); this line
                # is the first to say where TeX was.
                errors[-1] = replace(errors[-1], path=file, line=number)
                continue
            if errors:
                continue
            after = lines[i + 1] if i + 1 < len(lines) else ""
            if after.startswith("<*>"):
                msg = "Emergency stop: the input ended early (is \\end{document} missing?)"
        errors.append(Diagnostic("error", _describe(msg, lines, i), file, number))
    return errors, warnings


def _describe(msg: str, lines: list[str], i: int) -> str:
    msg = msg.rstrip(".")
    if msg == "Undefined control sequence" and i + 1 < len(lines):
        # The first context line ends with the undefined macro, whether it is a source line
        # ("l.5 text \foo") or a macro body ("\mymacro #1->#1 \baz").
        macro = _LAST_MACRO.search(lines[i + 1])
        if macro:
            return f"{msg} {macro.group(1)}"
    if image := _IMAGE_ERROR.fullmatch(msg):
        engine, name = image["engine"] or "LuaTeX", image["file"] or image["lfile"]
        detail = image["msg"] or f"{image['reader']}: {image['lmsg']}"
        return (f"{engine} cannot read the image `{name}': {detail}" if name
                else f"{engine} cannot read an image: {detail}")
    missing = re.fullmatch(r"(?:LaTeX Error: )?File `([^']+)' not found", msg)
    if missing:
        name = missing.group(1)
        return (
            f"File `{name}' not found: a TeX package is not installed "
            f"(`tlmgr search --global --file {name}` or `apt-file search {name}` names it)"
        )
    return msg


def _context_line(lines: list[str], i: int) -> int | None:
    """The ``l.NN`` line TeX prints after a classic ``! ...`` error, if any."""
    for line in lines[i + 1 : i + 20]:
        if line.startswith("! ") or _FILE_LINE.match(line):
            break
        m = _CONTEXT_LINE.match(line)
        if m:
            return int(m.group(1))
    return None


def _unwrap(lines: list[str], i: int) -> str:
    """Rejoin a message TeX broke at exactly max_print_line columns."""
    text = lines[i]
    j = i
    while len(lines[j]) == _TEX_WRAP and j + 1 < len(lines) and j - i < 8:
        j += 1
        text += lines[j]
    return text


def pages_from_log(text: str) -> int | None:
    """Page count from ``Output written on x.pdf (N pages, ...)`` (``.xdv`` for XeTeX)."""
    if "No pages of output." in text:
        return 0
    found = _PAGES.findall(text.replace("\n", ""))  # the line may be wrapped
    return int(found[-1]) if found else None


# What the arXiv proof asks of its passes' logs (pdflatex in batchmode, unwrapped lines).
_RERUN = lazy_pattern(
    r"Rerun to get|Label\(s\) may have changed|Please rerun LaTeX|rerun LaTeX|"
    r"Rerun LaTeX|Table widths have changed"
)
_UNDEFINED_KEY = lazy_pattern(
    r"(?P<kind>Citation|Reference) [`'\"](?P<key>[^'`\"]+)['\"] (?:on page \d+ )?undefined"
)
_MISSING_FILE = lazy_pattern(r"! (?:LaTeX|Package [\w.-]+) Error: File [`']([^'`]+)' not found")
_BANNER = lazy_pattern(r"\(TeX Live (\d{4})")


def asks_for_rerun(text: str) -> bool:
    """LaTeX (or a package) says another pass would change the output."""
    return _RERUN.search(text) is not None


def undefined_keys(text: str) -> tuple[list[str], list[str]]:
    """``(citations, references)`` the log calls undefined, each key once, in log order."""
    found: dict[str, dict[str, None]] = {"Citation": {}, "Reference": {}}
    for m in _UNDEFINED_KEY.finditer(text):
        found[m["kind"]][m["key"]] = None
    return list(found["Citation"]), list(found["Reference"])


def missing_files(text: str) -> list[str]:
    """Files LaTeX or a package could not find (``File `x.png' not found``), each once."""
    return list(dict.fromkeys(_MISSING_FILE.findall(text)))


def first_error(text: str) -> str:
    """The first error of a log as one line, with the ``l.NN`` TeX stopped at ("" if none)."""
    errors, _ = parse_log(text)
    if not errors:
        return ""
    first = errors[0]
    return first.message + (f" (at l.{first.line})" if first.line else "")


def texlive_year(text: str) -> str | None:
    """The TeX Live release that wrote the log, from its first line's banner."""
    m = _BANNER.search(text[:500])
    return m.group(1) if m else None


_BLG_AT = lazy_pattern(
    r"^(?P<msg>.*?)---(?:line (?P<line>\d+) of file (?P<file>.+)|while reading file (?P<rf>.+))$"
)
_BLG_WARNING_AT = lazy_pattern(r"^--line (\d+) of file (.+)$")


def parse_blg(text: str) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """``(errors, warnings)`` from a BibTeX .blg, located in the .bib (or .aux) file."""
    lines = text.splitlines()
    errors: list[Diagnostic] = []
    warnings: list[Diagnostic] = []
    for i, line in enumerate(lines):
        if line.startswith("Warning--"):
            msg = line.removeprefix("Warning--")
            if msg.startswith("I didn't find a database entry"):
                continue  # LaTeX's "Citation undefined" warning says the same, with a line
            at = _BLG_WARNING_AT.match(lines[i + 1]) if i + 1 < len(lines) else None
            file, number = (at.group(2), int(at.group(1))) if at else (None, None)
            warnings.append(Diagnostic("warning", f"BibTeX: {msg}", file, number))
            continue
        m = _BLG_AT.match(line)
        if m:
            msg = m["msg"].strip() or (lines[i - 1].strip() if i else "")
            number = int(m["line"]) if m["line"] else None
            errors.append(Diagnostic("error", f"BibTeX: {msg}", m["file"] or m["rf"], number))
    return errors, warnings


def read_tex_log(tex: Path) -> tuple[str, list[Diagnostic], list[Diagnostic]]:
    """The .log of ``tex``: its text, errors and warnings, every one located in a file.

    With -file-line-error only TeX's top-level messages ("! Emergency stop." at the end of
    input) and "on input line N" warnings lack a file; in a one-file document mdpaper
    generates, that file is the main .tex.
    """
    text = read_log(tex.with_suffix(".log"))
    errors, warnings = parse_log(text)
    warnings = _in_file(warnings, tex.name)
    if "Missing character:" in text:  # a glyph the font lacks: dropped from the page
        warnings += missing_glyphs(text, tex.name, read_log(tex))
    return text, _in_file(errors, tex.name), warnings


def _in_file(problems: list[Diagnostic], name: str) -> list[Diagnostic]:
    return [p if p.path else replace(p, path=name) for p in problems]


def locate_missing(problems: list[Diagnostic], tex: Path) -> list[Diagnostic]:
    """Point each missing package/bib/input error, and each image pdfTeX could not read, at
    the line of ``tex`` that asks for the file.

    TeX reports the line it was reading when it gave up, which for ``\\usepackage`` is the
    next line (it looked ahead for an optional date argument); pdfTeX names no line at all
    for an image it cannot read (libpng stopped the run).
    """
    source = read_log(tex).splitlines()
    return [_locate_missing(p, tex.name, source) for p in problems]


_ASKED_FILE = lazy_pattern(r"[fF]ile `([^']+)' not found|cannot read the image `([^']+)'")


def _locate_missing(problem: Diagnostic, tex_name: str, source: list[str]) -> Diagnostic:
    m = _ASKED_FILE.search(problem.message)
    if not m or problem.path not in (None, tex_name):
        return problem
    stem = re.escape(Path(m.group(1) or m.group(2)).stem)
    asks = re.compile(
        r"\\[A-Za-z]+\s*(\[[^\]]*\])?\s*\{[^}]*(?<![\w.-])" + stem + r"(\.\w+)?(?![\w-])"
    )
    for number, line in enumerate(source, 1):
        code = re.split(r"(?<!\\)%", line, maxsplit=1)[0]
        if asks.search(code):
            return replace(problem, path=tex_name, line=number)
    return problem
