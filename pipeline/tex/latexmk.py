"""Run latexmk on a generated .tex file, confined, and turn its logs into located problems.

What confines TeX here (the tests check each one against the real engines):

* kpathsea reads ``openin_any``, ``openout_any`` and ``shell_escape`` from the environment
  before texmf.cnf, so ``p``/``p``/``f`` keep TeX's own reads and writes inside the .tex
  file's folder tree (no absolute paths, no ``..``, no dot files) and turn ``\\write18`` off,
  for pdfTeX, XeTeX, LuaTeX and BibTeX alike;
* ``-no-shell-escape`` is passed to the engine as well, and ``-norc`` keeps a user's
  latexmkrc from switching it back on or adding custom rules that run programs;
* biber is replaced by a stub: it is not a kpathsea program, so nothing above confines it
  (and it can fetch remote data sources); mdpaper writes natbib + BibTeX anyway.

Known gap: LuaTeX's Lua ``io`` library does not consult openin_any/openout_any (TeX Live
2022), so ``\\directlua`` can still read and write files anywhere the user can. ``--safer``
would close that but luaotfload refuses to run under it. Prefer pdflatex or xelatex for
posts you did not write yourself.
"""

from __future__ import annotations

import collections
import contextlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from mdpaper.errors import MdpaperError
from mdpaper.tex.log import TexProblem, pages_from_log, parse_blg, parse_log

#: Engine name -> the latexmk flag that selects it.
ENGINES: dict[str, str] = {"pdflatex": "-pdf", "xelatex": "-xelatex", "lualatex": "-lualatex"}

_BASE_PACKAGES = (
    "latexmk texlive-latex-base texlive-latex-recommended texlive-latex-extra "
    "texlive-fonts-recommended texlive-plain-generic"
)
_ENGINE_PACKAGES = {"pdflatex": "", "xelatex": " texlive-xetex", "lualatex": " texlive-luatex"}

#: The confinement itself; applied last so neither the caller nor the user's shell undoes it.
SANDBOX_ENV: dict[str, str] = {"openin_any": "p", "openout_any": "p", "shell_escape": "f"}
#: Unwrapped log lines (TeX wraps at 79 columns by default), so messages, file names and
#: ``l.NN`` contexts stay on one line each. Callers may override these.
LOG_LAYOUT_ENV = {"max_print_line": "10000", "error_line": "254", "half_error_line": "238"}
# kpathsea prefers ``VAR_progname`` / ``VAR.progname`` from the environment over plain ``VAR``,
# so an inherited ``openin_any_pdflatex=a`` would beat our ``openin_any=p``; TEXMFOUTPUT is a
# folder that paranoid mode lets TeX read and write anyway.
_GUARDED_ENV = re.compile(r"(openin_any|openout_any|shell_escape(_commands)?|TEXMFOUTPUT)([._].+)?")

# latexmk's "internal" command hook: a Perl sub that stands in for biber and fails clearly.
_NO_BIBER = (
    'sub mdpaper_no_biber { print STDERR "mdpaper: biber is disabled (it is not confined '
    'like TeX); use natbib and BibTeX\\n"; return 1; } '
    "$biber = 'internal mdpaper_no_biber %S';"
)

_MAX_LOG_BYTES = 32 * 1024 * 1024  # an endless \message loop can write gigabytes
_MAX_SHOWN = 20


class LatexError(MdpaperError):
    """latexmk failed; ``problems`` holds what the logs say, located in the .tex."""

    def __init__(self, problems: list[TexProblem], log_path: Path | None):
        first = problems[0]
        super().__init__(first.message, first.tex_file, first.tex_line)
        self.problems = problems
        self.log_path = log_path

    def __str__(self) -> str:
        lines = [str(p) for p in self.problems[:_MAX_SHOWN]]
        if len(self.problems) > _MAX_SHOWN:
            lines.append(f"... and {len(self.problems) - _MAX_SHOWN} more in {self.log_path}")
        return "\n".join(lines)


class TexToolMissing(MdpaperError):
    """latexmk, the engine or bibtex is not on PATH."""


class LatexTimeout(MdpaperError):
    """TeX ran longer than allowed (usually an endless loop) and was killed."""


@dataclass
class CompileOutcome:
    pdf: Path
    log: Path
    #: Undefined citations, references and labels (not box warnings), located in the .tex.
    warnings: list[TexProblem]
    pages: int | None
    #: Engine runs latexmk made this time (0 when everything was already up to date).
    passes: int
    #: BibTeX's own warnings ("empty journal in x"); apart because they are located in the .bib.
    bib_warnings: list[TexProblem] = field(default_factory=list)


def check_tools(engine: str, *, path: str | None = None) -> None:
    """Raise TexToolMissing naming the Debian packages when a program is not on ``path``."""
    if engine not in ENGINES:
        raise MdpaperError(f"unknown TeX engine {engine!r}; choose one of {', '.join(ENGINES)}")
    missing = [t for t in ("latexmk", engine, "bibtex") if shutil.which(t, path=path) is None]
    if missing:
        raise TexToolMissing(
            f"{', '.join(missing)} not found on PATH; install TeX Live, e.g. "
            f"`sudo apt-get install {_BASE_PACKAGES}{_ENGINE_PACKAGES[engine]}`"
        )


def sandbox_env(extra_env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for latexmk: ours, minus anything that could relax the sandbox."""
    extra = extra_env or {}
    bad = sorted(k for k in extra if _GUARDED_ENV.fullmatch(k))
    if bad:
        raise ValueError(f"extra_env may not set {', '.join(bad)}: they confine TeX")
    env = {k: v for k, v in os.environ.items() if not _GUARDED_ENV.fullmatch(k)}
    env.update(LOG_LAYOUT_ENV)
    env.update(extra)
    env.update(SANDBOX_ENV)
    return env


def latexmk_command(tex_name: str, engine: str, fmt: str | None = None) -> list[str]:
    """The latexmk argument list; options latexmk knows as TeX options reach every engine.
    ``fmt``: every pass starts from that precompiled format (see preamble_format)."""
    engine_options = [ENGINES[engine]]
    if fmt is not None:
        engine_options.append(f"-{engine}={engine} -fmt={fmt} %O %S")
    return [
        "latexmk", "-norc", *engine_options, "-e", _NO_BIBER,
        "-interaction=nonstopmode", "-halt-on-error", "-file-line-error", "-no-shell-escape",
        tex_name,
    ]  # fmt: skip


def compile_tex(
    tex: Path,
    *,
    engine: str = "pdflatex",
    timeout: float = 300.0,
    extra_env: dict[str, str] | None = None,
    fmt: str | None = None,
) -> CompileOutcome:
    """Build ``tex`` into a PDF next to it; raise LatexError, LatexTimeout or TexToolMissing."""
    tex = Path(tex).resolve()
    if not tex.is_file():
        raise MdpaperError("TeX file not found", tex)
    if tex.name.startswith("-"):  # latexmk would read it as an option
        raise MdpaperError("TeX file names must not start with '-'", tex)
    env = sandbox_env(extra_env)
    check_tools(engine, path=env.get("PATH"))
    workdir, log = tex.parent, tex.with_suffix(".log")
    with tempfile.TemporaryFile() as out:  # a file, not a pipe: output size is unbounded
        try:
            # New session: the engine and bibtex share latexmk's process group, so one killpg
            # stops them all; it also keeps the terminal's Ctrl-C away from them (handled below).
            proc = subprocess.Popen(
                latexmk_command(tex.name, engine, fmt), cwd=workdir, env=env,
                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        except FileNotFoundError as e:  # e.g. latexmk present but perl missing
            raise TexToolMissing(f"cannot run latexmk ({e}); install {_BASE_PACKAGES}") from e
        try:
            from mdpaper.progress import wait_reporting

            returncode = wait_reporting(proc, out, timeout, engine)
        except subprocess.TimeoutExpired:
            kill_group(proc)
            raise LatexTimeout(
                f"TeX did not finish within {timeout:g} s (an endless loop?) and was stopped",
                tex,
            ) from None
        except BaseException:
            kill_group(proc)
            raise
        out.seek(0)
        passes, tool_problems, tail = _read_latexmk_output(out, engine)

    log_text = read_log(log)
    errors, warnings = parse_log(log_text)
    # With -file-line-error only TeX's top-level messages ("! Emergency stop." at the end of
    # input) and "on input line N" warnings lack a file; in a one-file document mdpaper
    # generates, that file is the main .tex.
    for p in errors + warnings:
        p.tex_file = p.tex_file or tex.name
    blg = tex.with_suffix(".blg")
    blg_errors, blg_warnings = parse_blg(read_log(blg))
    source = read_log(tex).splitlines()
    if returncode != 0:
        # BibTeX errors are stale noise when TeX itself stopped first.
        problems = errors + tool_problems + ([] if errors else blg_errors)
        if not problems:
            # Some fatal errors reach only the terminal, not the .log (a line longer than
            # TeX's buffer: "! Unable to read an entire line").
            problems = [TexProblem(t[2:], tex.name) for t in tail if t.startswith("! ")] or [
                TexProblem(f"latexmk failed (exit {returncode}): {' / '.join(tail)}")]
        raise LatexError([locate_missing(p, tex.name, source) for p in problems], log)
    pdf = tex.with_suffix(".pdf")
    if not pdf.is_file():
        raise LatexError([TexProblem("latexmk succeeded but wrote no PDF", tex.name)], log)
    return CompileOutcome(pdf, log, warnings, pages_from_log(log_text), passes, blg_warnings)


def kill_group(proc: subprocess.Popen[bytes]) -> None:
    # SIGKILL at once: TeX has nothing worth flushing, and a looping engine may ignore less.
    with contextlib.suppress(ProcessLookupError):  # the whole group already exited
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    # The engine was latexmk's child, now an orphan: give it a moment to finish dying so the
    # caller never sees it still running. (Where init does not reap, it stays a zombie and
    # the group never empties, hence the bound.)
    deadline = time.monotonic() + 1.0
    while time.monotonic() < deadline:
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.02)


def read_log(path: Path) -> str:
    try:
        with path.open("rb") as f:
            size = f.seek(0, os.SEEK_END)
            f.seek(max(0, size - _MAX_LOG_BYTES))  # errors and the page count are at the end
            return f.read().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return ""


_BANG = re.compile(r"(?:^|\))\s*(! .+)")
_RUNNING = re.compile(r"^Running '(\S+)")
_WONT_RUN = re.compile(r"I WON'T RUN '(\w+) .*' because I don't find the following files:")


def _read_latexmk_output(out: BinaryIO, engine: str) -> tuple[int, list[TexProblem], list[str]]:
    """Count engine runs and keep what latexmk itself reports (the engine's .log has the rest)."""
    passes, problems = 0, []
    tail: collections.deque[str] = collections.deque(maxlen=3)
    missing_from: str | None = None  # inside the file list after "I WON'T RUN"
    bang: list[str] = []  # the engine's "! message" lines, in case its .log lacks them
    for raw in out:
        line = raw.decode("utf-8", errors="replace").rstrip()
        m = _RUNNING.match(line)
        if m and Path(m.group(1)).name == engine:
            passes += 1
        if line.startswith("mdpaper: "):
            problems.append(TexProblem(line.removeprefix("mdpaper: ")))
        if missing_from and line.startswith("  ") and line.strip():
            name = line.strip().strip("'")
            problem = TexProblem(f"{missing_from}: file `{name}' not found")
            if problem not in problems:  # latexmk repeats itself on every retry
                problems.append(problem)
            continue
        missing_from = None
        if m := _WONT_RUN.search(line):
            missing_from = "BibTeX" if m.group(1) == "bibtex" else m.group(1)
        m = _BANG.search(line)  # maybe after "(./x.aux)": files TeX read before the error
        if m and m.group(1) not in bang:
            bang.append(m.group(1))
        if line.strip():
            tail.append(line.strip())
    return passes, problems, bang or list(tail)


def locate_missing(problem: TexProblem, tex_name: str, source: list[str]) -> TexProblem:
    """Point a missing package/bib/input error at the line that asks for the file.

    TeX reports the line it was reading when it gave up, which for ``\\usepackage`` is the
    next line (it looked ahead for an optional date argument).
    """
    m = re.search(r"[fF]ile `([^']+)' not found", problem.message)
    if not m or problem.tex_file not in (None, tex_name):
        return problem
    stem = re.escape(Path(m.group(1)).stem)
    asks = re.compile(
        r"\\[A-Za-z]+\s*(\[[^\]]*\])?\s*\{[^}]*(?<![\w.-])" + stem + r"(\.\w+)?(?![\w-])"
    )
    for number, line in enumerate(source, 1):
        code = re.split(r"(?<!\\)%", line, maxsplit=1)[0]
        if asks.search(code):
            return TexProblem(problem.message, tex_name, number, problem.severity)
    return problem
