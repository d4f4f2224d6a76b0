"""Run latexmk on a generated .tex file, confined, and turn its logs into located problems.

The run goes through the one confined runner (``process``: the sandbox environment, a new
session, the timeout). What latexmk adds to that confinement:

* ``-no-shell-escape`` is passed to the engine, and ``-norc`` keeps a user's latexmkrc from
  switching it back on or adding custom rules that run programs;
* biber is replaced by a stub: it is not a kpathsea program, so the environment does not
  confine it (and it can fetch remote data sources); mdpaper writes natbib + BibTeX anyway.

Known gap: LuaTeX's Lua ``io`` library does not consult openin_any/openout_any (TeX Live
2022), so ``\\directlua`` can still read and write files anywhere the user can. ``--safer``
would close that but luaotfload refuses to run under it. Prefer pdflatex or xelatex for
posts you did not write yourself.
"""

from __future__ import annotations

import collections
import os
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, BinaryIO

from mdpaper import progress
from mdpaper.errors import Diagnostic, MdpaperError
from mdpaper.patterns import lazy_pattern
from mdpaper.tex.engines import BASE_PACKAGES, ENGINES, PLAIN_ENGINE, XDV_DRIVER, install_hint
from mdpaper.tex.log import (
    locate_missing,
    pages_from_log,
    parse_blg,
    read_log,
    read_tex_log,
)
from mdpaper.tex.process import TexToolMissing, finish, run, sandbox_env, start, wait

# latexmk's "internal" command hook: a Perl sub that stands in for biber and fails clearly.
_NO_BIBER = (
    'sub mdpaper_no_biber { print STDERR "mdpaper: biber is disabled (it is not confined '
    'like TeX); use natbib and BibTeX\\n"; return 1; } '
    "$biber = 'internal mdpaper_no_biber %S';"
)

_MAX_SHOWN = 20


class LatexError(MdpaperError):
    """latexmk failed; ``problems`` holds what the logs say, located in the .tex."""

    def __init__(self, problems: list[Diagnostic], log_path: Path | None) -> None:
        first = problems[0]
        super().__init__(first.message, first.path, first.line)
        self.problems = problems
        self.log_path = log_path

    def __str__(self) -> str:
        lines = [str(p) for p in self.problems[:_MAX_SHOWN]]
        if len(self.problems) > _MAX_SHOWN:
            lines.append(f"... and {len(self.problems) - _MAX_SHOWN} more in {self.log_path}")
        return "\n".join(lines)


@dataclass
class CompileOutcome:
    pdf: Path
    log: Path
    #: Undefined citations, references and labels (not box warnings), located in the .tex.
    warnings: list[Diagnostic]
    pages: int | None
    #: Engine runs latexmk made this time (0 when everything was already up to date).
    passes: int
    #: BibTeX's own warnings ("empty journal in x"); apart because they are located in the .bib.
    bib_warnings: list[Diagnostic] = field(default_factory=list)


def check_tools(engine: str, *, path: str | None = None) -> None:
    """Raise TexToolMissing naming the Debian packages when a program is not on ``path``."""
    if engine not in ENGINES:
        raise MdpaperError(f"unknown TeX engine {engine!r}; choose one of {', '.join(ENGINES)}")
    missing = [t for t in ("latexmk", engine, "bibtex") if shutil.which(t, path=path) is None]
    if missing:
        raise TexToolMissing(
            f"{', '.join(missing)} not found on PATH; install TeX Live, e.g. "
            f"`{install_hint(engine)}`"
        )


#: Every engine pass, latexmk's or our own: nonstopmode without -halt-on-error, so one pass
#: reports every error of the document (TeX goes on after each), not only the first.
TEX_OPTIONS = ("-interaction=nonstopmode", "-file-line-error", "-no-shell-escape",
               "-synctex=1")


def latexmk_command(tex_name: str, engine: str, fmt: str | None = None) -> list[str]:
    """The latexmk argument list; options latexmk knows as TeX options reach every engine.
    ``fmt``: every pass starts from that precompiled format (see preamble_format)."""
    engine_options = [ENGINES[engine].latexmk_flag]
    if fmt is not None:
        engine_options.append(f"-{engine}={engine} -fmt={fmt} %O %S")
    return ["latexmk", "-norc", *engine_options, "-e", _NO_BIBER, *TEX_OPTIONS, tex_name]


def engine_command(tex_name: str, engine: str) -> list[str]:
    """One engine pass as latexmk runs it (same options, so the same output), recording the
    files it writes (-recorder) for the one-pass rebuild's fixed-point check."""
    return [engine, *TEX_OPTIONS, *ENGINES[engine].pass_options, "-recorder", tex_name]


def pass_output(tex: Path, engine: str) -> Path:
    """What a pass of ``engine`` writes: the PDF, or xelatex's .xdv."""
    return tex.with_suffix(".pdf" if ENGINES[engine].writes_pdf else ".xdv")


def make_pdf(tex: Path, engine: str, env: dict[str, str], timeout: float) -> bool:
    """The PDF of the final pass: xelatex's from its .xdv (latexmk's last step), the
    others' as the pass wrote it. False when there is none."""
    pdf = tex.with_suffix(".pdf")
    if ENGINES[engine].writes_pdf:
        return pdf.is_file()
    with progress.stage(XDV_DRIVER[0]):
        returncode = run([*XDV_DRIVER, "-o", pdf.name, f"{tex.stem}.xdv"], cwd=tex.parent,
                         env=env, timeout=timeout, source=tex)
    return returncode == 0 and pdf.is_file()


def compile_tex(
    tex: Path,
    *,
    engine: str = PLAIN_ENGINE,
    timeout: float = 300.0,
    extra_env: dict[str, str] | None = None,
    fmt: str | None = None,
) -> CompileOutcome:
    """Build ``tex`` into a PDF next to it; raise LatexError, LatexTimeout or TexToolMissing.
    ``fmt``: every pass starts from that precompiled format (see preamble_format)."""
    tex = Path(tex).resolve()
    if not tex.is_file():
        raise MdpaperError("TeX file not found", tex)
    if tex.name.startswith("-"):  # latexmk would read it as an option
        raise MdpaperError("TeX file names must not start with '-'", tex)
    env = sandbox_env(extra_env)
    check_tools(engine, path=env.get("PATH"))
    returncode, run = _run_latexmk(tex, engine, env, timeout, fmt)
    log = tex.with_suffix(".log")
    log_text, errors, warnings = read_tex_log(tex)
    blg_errors, blg_warnings = parse_blg(read_log(tex.with_suffix(".blg")))
    if returncode != 0:
        # BibTeX errors are stale noise when TeX itself stopped first.
        problems = errors + run.problems + ([] if errors else blg_errors)
        problems = problems or _terminal_problems(tex, returncode, run.tail)
        raise LatexError(locate_missing(problems, tex), log)
    pdf = tex.with_suffix(".pdf")
    if not pdf.is_file():
        raise LatexError([Diagnostic("error", "latexmk succeeded but wrote no PDF", tex.name)], log)
    return CompileOutcome(pdf, log, warnings, pages_from_log(log_text), run.passes,
                          blg_warnings)


@dataclass
class _LatexmkRun:
    """What latexmk itself printed (the engine's .log has the rest)."""

    #: Engine runs it made.
    passes: int
    #: Its own complaints: the biber stub, files a tool could not find.
    problems: list[Diagnostic]
    #: The engine's ``! message`` lines, else latexmk's last lines: for a failure the logs
    #: do not explain.
    tail: list[str]


def _run_latexmk(tex: Path, engine: str, env: dict[str, str], timeout: float,
                 fmt: str | None) -> tuple[int, _LatexmkRun]:
    """Run latexmk confined, reporting its passes as they start; its exit code and output."""
    with tempfile.TemporaryFile() as out:  # a file, not a pipe: output size is unbounded
        try:
            proc = start(latexmk_command(tex.name, engine, fmt), cwd=tex.parent, env=env,
                         output=out)
        except TexToolMissing as e:  # e.g. latexmk present but perl missing
            raise TexToolMissing(f"{e.message}; install {' '.join(BASE_PACKAGES)}") from e
        returncode = finish(proc, timeout, source=tex,
                            waiter=lambda proc, limit: wait_reporting(proc, out, limit, engine))
        out.seek(0)
        return returncode, _read_latexmk_output(out, engine)


def _terminal_problems(tex: Path, returncode: int, tail: list[str]) -> list[Diagnostic]:
    """Some fatal errors reach only the terminal, not the .log (a line longer than TeX's
    buffer: "! Unable to read an entire line"); else latexmk's last words."""
    return [Diagnostic("error", t[2:], tex.name) for t in tail if t.startswith("! ")] or [
        Diagnostic("error", f"latexmk failed (exit {returncode}): {' / '.join(tail)}")]


_BANG = lazy_pattern(r"(?:^|\))\s*(! .+)")
_RUNNING = lazy_pattern(r"^Running '(\S+)")
_WONT_RUN = lazy_pattern(r"I WON'T RUN '(\w+) .*' because I don't find the following files:")


def _read_latexmk_output(out: BinaryIO, engine: str) -> _LatexmkRun:
    """Count engine runs and keep what latexmk itself reports."""
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
            problems.append(Diagnostic("error", line.removeprefix("mdpaper: ")))
        if missing_from and line.startswith("  ") and line.strip():
            name = line.strip().strip("'")
            problem = Diagnostic("error", f"{missing_from}: file `{name}' not found")
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
    return _LatexmkRun(passes, problems, bang or list(tail))


def wait_reporting(proc: subprocess.Popen[bytes], out: IO[bytes], timeout: float,
                   engine: str) -> int:
    """``proc.wait(timeout)``, reporting each program latexmk runs as a stage while it runs.

    ``out`` is the file latexmk writes to; it is read with ``pread`` so the writer's file
    offset (shared with ours) does not move. Raises ``subprocess.TimeoutExpired`` like wait.
    """
    reporter = progress.current()
    if reporter is None:
        return wait(proc, timeout)
    deadline = time.monotonic() + timeout
    seen, passes = 0, 0
    running: tuple[str, float] | None = None
    buffer = b""

    def end_running(ok: bool) -> None:
        nonlocal running
        if running is not None:
            reporter.end(running[0], time.monotonic() - running[1], ok)
            running = None

    # Popen.wait(timeout) polls with sleeps of up to 50 ms, which every build would pay once
    # latexmk has exited; a thread blocked in wait() wakes the loop at once instead.
    exited = threading.Event()

    def wait_for_exit() -> None:
        proc.wait()
        exited.set()

    threading.Thread(target=wait_for_exit, daemon=True).start()
    try:
        while True:
            code = proc.returncode if exited.wait(0.1) else None
            chunk = os.pread(out.fileno(), 1 << 16, seen)
            seen += len(chunk)
            buffer += chunk
            lines = buffer.split(b"\n")
            buffer = lines.pop()
            for line in lines:
                m = _RUNNING.match(line.decode(errors="replace"))
                if not m:
                    continue
                program = os.path.basename(m.group(1))
                if program == engine:
                    passes += 1
                    program = f"{engine} pass {passes}"
                end_running(True)
                running = (program, time.monotonic())
                reporter.begin(program)
            if code is not None:
                end_running(code == 0)
                return code
            if time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(proc.args, timeout)
    except BaseException:
        end_running(False)
        raise
