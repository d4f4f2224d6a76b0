"""Running a TeX program confined: the one way mdpaper starts latexmk, an engine pass, the
preamble format's ``-ini`` run and the arXiv proof's passes.

The confinement in the environment (the tests in test_latexmk.py check it against the
real engines): kpathsea reads ``openin_any``, ``openout_any`` and ``shell_escape`` from the
environment before texmf.cnf, so ``p``/``p``/``f`` keep TeX's own reads and writes inside
the working folder's tree (no absolute paths, no ``..``, no dot files) and turn
``\\write18`` off, for pdfTeX, XeTeX, LuaTeX and BibTeX alike. Callers pass
``-no-shell-escape`` on the command line as well.

The process: a new session with stdin closed, so one ``killpg`` stops everything it started
(latexmk's engine and BibTeX share its process group) and the terminal's Ctrl-C does not
reach it; the caller decides. A run past its timeout, or interrupted, has its whole group
killed before the caller hears of it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

from mdpaper.errors import MdpaperError
from mdpaper.patterns import lazy_pattern

#: The confinement itself; applied last so neither the caller nor the user's shell undoes it.
SANDBOX_ENV: dict[str, str] = {"openin_any": "p", "openout_any": "p", "shell_escape": "f"}
#: Unwrapped log lines (TeX wraps at 79 columns by default), so messages, file names and
#: ``l.NN`` contexts stay on one line each. Callers may override these.
LOG_LAYOUT_ENV = {"max_print_line": "10000", "error_line": "254", "half_error_line": "238"}
# kpathsea prefers ``VAR_progname`` / ``VAR.progname`` from the environment over plain ``VAR``,
# so an inherited ``openin_any_pdflatex=a`` would beat our ``openin_any=p``; TEXMFOUTPUT is a
# folder that paranoid mode lets TeX read and write anyway.
_GUARDED_ENV = lazy_pattern(
    r"(openin_any|openout_any|shell_escape(_commands)?|TEXMFOUTPUT)([._].+)?")
#: glibc's malloc asks for transparent huge pages (where the kernel grants them on request,
#: its usual setting): XeTeX alone touches about 160 MB at start (its Unicode-sized tables),
#: and faulting that in 4 KB pages is a tenth of a second of every xelatex pass (measured:
#: a xelatex pass 0.75 s of CPU, 0.63 s with it; a pdflatex pass from the preamble format
#: 0.18 s, 0.16 s). An older glibc ignores the setting; nothing a run writes changes.
HUGE_PAGES = "glibc.malloc.hugetlb=1"
#: Variables through which the user's own TeX setup reaches a run; dropped where a file found
#: only on this machine must not count (the arXiv proof).
USER_TEX_ENV = ("TEXINPUTS", "BIBINPUTS", "BSTINPUTS", "TEXFORMATS", "TEXMFHOME", "TEXMFLOCAL",
                "TEXMFCONFIG", "TEXFONTS", "TFMFONTS", "VFFONTS", "ENCFONTS", "TEXPSHEADERS",
                "TEXMFCNF", "SOURCE_DATE_EPOCH", "FORCE_SOURCE_DATE")  # fmt: skip

#: How a caller waits: ``(process, timeout) -> exit code``, raising TimeoutExpired.
Waiter = Callable[["subprocess.Popen[bytes]", float], int]


class TexToolMissing(MdpaperError):
    """latexmk, the engine or bibtex is not on PATH."""


class LatexTimeout(MdpaperError):
    """TeX ran longer than allowed (usually an endless loop) and was killed."""


def sandbox_env(extra_env: dict[str, str] | None = None, *,
                texmf_home: Path | None = None) -> dict[str, str]:
    """The environment for a TeX run: ours, minus anything that could relax the sandbox.

    ``texmf_home``: also drop the user's TeX setup (``USER_TEX_ENV``) and use this folder,
    normally empty, as the personal tree instead of ``~/texmf``.
    """
    extra = extra_env or {}
    bad = sorted(k for k in extra if _GUARDED_ENV.fullmatch(k))
    if bad:
        raise ValueError(f"extra_env may not set {', '.join(bad)}: they confine TeX")
    dropped = USER_TEX_ENV if texmf_home is not None else ()
    env = {k: v for k, v in os.environ.items()
           if not _GUARDED_ENV.fullmatch(k) and k not in dropped}
    if texmf_home is not None:
        env["TEXMFHOME"] = str(texmf_home)
    env.update(LOG_LAYOUT_ENV)
    tunables = env.get("GLIBC_TUNABLES", "")
    if "glibc.malloc.hugetlb" not in tunables:
        env["GLIBC_TUNABLES"] = f"{tunables}:{HUGE_PAGES}" if tunables else HUGE_PAGES
    env.update(extra)
    env.update(SANDBOX_ENV)
    return env


def start(command: list[str], *, cwd: Path, env: dict[str, str],
          output: IO[bytes] | None = None) -> subprocess.Popen[bytes]:
    """Start ``command`` in a new session, stdin closed; its stdout and stderr go to
    ``output`` (a file: TeX's output size is unbounded) or nowhere (the .log has it all)."""
    sink: IO[bytes] | int = subprocess.DEVNULL if output is None else output
    try:
        return subprocess.Popen(
            command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=sink,
            stderr=subprocess.DEVNULL if output is None else subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    except FileNotFoundError as e:
        raise TexToolMissing(f"cannot run {command[0]} ({e})") from e


def finish(proc: subprocess.Popen[bytes], timeout: float, *, waiter: Waiter | None = None,
           source: Path | None = None) -> int:
    """Wait for ``proc`` (with ``waiter``, default ``wait``) and return its exit code.

    Past ``timeout`` the process group is killed and LatexTimeout raised, located at
    ``source``; on any other exception (Ctrl-C) the group is killed too.
    """
    try:
        return (waiter or wait)(proc, timeout)
    except subprocess.TimeoutExpired:
        kill_group(proc)
        raise LatexTimeout(
            f"TeX did not finish within {timeout:g} s (an endless loop?) and was stopped",
            source,
        ) from None
    except BaseException:
        kill_group(proc)
        raise


def run(command: list[str], *, cwd: Path, env: dict[str, str], timeout: float,
        source: Path | None = None) -> int:
    """``start`` then ``finish``, output discarded: one confined run, its exit code."""
    return finish(start(command, cwd=cwd, env=env), timeout, source=source)


def wait(proc: subprocess.Popen[bytes], timeout: float) -> int:
    """``proc.wait(timeout)`` without its polling: Popen.wait with a timeout sleeps in steps
    of up to 50 ms, which a build pays at the end of every TeX run. A timer thread stops the
    process group at the deadline instead; TimeoutExpired is raised as before."""
    expired = threading.Event()

    def stop() -> None:
        expired.set()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)

    timer = threading.Timer(timeout, stop)
    timer.daemon = True
    timer.start()
    try:
        returncode = proc.wait()
    finally:
        timer.cancel()
    if expired.is_set():
        raise subprocess.TimeoutExpired(proc.args, timeout)
    return returncode


def kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Stop ``proc`` and everything it started, and reap it."""
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
