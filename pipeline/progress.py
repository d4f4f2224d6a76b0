"""Progress of a build, stage by stage: parse, bibliography, render, each LaTeX pass, bundle.

The pipeline marks its stages with ``with stage("parse"):``; nothing is printed unless the
command line installed a reporter with ``reporting(...)``. On a terminal the reporter is
``RichReporter`` (a spinner on the running stage, a line with the time for each finished
one); otherwise ``PlainReporter`` writes one plain line per finished stage. Both write to
stdout: stderr carries only the located problems, for editors and scripts. ``rich`` is
imported only when a terminal reporter is made, so ``mdpaper --version`` stays fast.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextvars import ContextVar
from typing import IO, Any

from mdpaper.tex.process import wait

_current: ContextVar[Reporter | None] = ContextVar("mdpaper_reporter", default=None)
_RUNNING = re.compile(rb"^Running '(\S+)", re.M)


class Reporter:
    """Receives stage events; the base class ignores them (``-q``)."""

    verbose = False

    def begin(self, name: str) -> None: ...

    def end(self, name: str, seconds: float, ok: bool) -> None: ...

    def detail(self, text: str) -> None:
        """Extra information, shown with ``-v`` only."""

    def note(self, text: str) -> None:
        """A choice mdpaper made for the user (the engine), shown unless quiet."""

    def close(self) -> None: ...


class PlainReporter(Reporter):
    """One line per finished stage, for logs and pipes: ``mdpaper: parse 0.02 s``."""

    def __init__(self, stream: IO[str] | None = None, verbose: bool = False) -> None:
        self.stream = stream or sys.stdout
        self.verbose = verbose

    def end(self, name: str, seconds: float, ok: bool) -> None:
        state = "" if ok else " (failed)"
        print(f"mdpaper: {name} {seconds:.2f} s{state}", file=self.stream, flush=True)

    def detail(self, text: str) -> None:
        if self.verbose:
            self.note(text)

    def note(self, text: str) -> None:
        print(f"mdpaper: {text}", file=self.stream, flush=True)


class RichReporter(Reporter):
    """A live spinner on the running stage; a line with its time when it finishes."""

    def __init__(self, verbose: bool = False, console: Any = None) -> None:
        from rich.console import Console

        self.console = console or Console(highlight=False)
        self.verbose = verbose
        self.running: list[str] = []
        self.status: Any = None

    def _show(self) -> None:
        if not self.running:
            if self.status is not None:
                self.status.stop()
                self.status = None
            return
        text = " › ".join(self.running) + " …"
        if self.status is None:
            self.status = self.console.status(text, spinner="dots")
            self.status.start()
        else:
            self.status.update(text)

    def begin(self, name: str) -> None:
        self.running.append(name)
        self._show()

    def end(self, name: str, seconds: float, ok: bool) -> None:
        if name in self.running:
            self.running.remove(name)
        mark = "[green]✓[/green]" if ok else "[red]✗[/red]"
        self.console.print(f"{mark} {name} [dim]{seconds:.2f} s[/dim]")
        self._show()

    def detail(self, text: str) -> None:
        if self.verbose:
            self.note(text)

    def note(self, text: str) -> None:
        self.console.print(text, style="dim", markup=False)

    def close(self) -> None:
        self.running.clear()
        self._show()


def make_reporter(quiet: bool = False, verbose: bool = False,
                  stream: IO[str] | None = None) -> Reporter:
    """The reporter for the command line: rich on a terminal, plain lines otherwise."""
    if quiet:
        return Reporter()
    stream = stream or sys.stdout
    if stream.isatty() and os.environ.get("TERM") != "dumb":
        return RichReporter(verbose=verbose)
    return PlainReporter(stream, verbose=verbose)


@contextlib.contextmanager
def reporting(reporter: Reporter) -> Iterator[Reporter]:
    token = _current.set(reporter)
    try:
        yield reporter
    finally:
        reporter.close()
        _current.reset(token)


@contextlib.contextmanager
def silenced() -> Iterator[None]:
    """No stage reporting inside (for work that is not the user's build)."""
    token = _current.set(None)
    try:
        yield
    finally:
        _current.reset(token)


def current() -> Reporter | None:
    return _current.get()


def detail(text: str) -> None:
    reporter = _current.get()
    if reporter is not None:
        reporter.detail(text)


def note(text: str) -> None:
    reporter = _current.get()
    if reporter is not None:
        reporter.note(text)


@contextlib.contextmanager
def stage(name: str) -> Iterator[None]:
    reporter = _current.get()
    if reporter is None:
        yield
        return
    reporter.begin(name)
    start, ok = time.monotonic(), False
    try:
        yield
        ok = True
    finally:
        reporter.end(name, time.monotonic() - start, ok)


def wait_reporting(proc: subprocess.Popen[bytes], out: IO[bytes], timeout: float,
                   engine: str) -> int:
    """``proc.wait(timeout)``, reporting each program latexmk runs as a stage while it runs.

    ``out`` is the file latexmk writes to; it is read with ``pread`` so the writer's file
    offset (shared with ours) does not move. Raises ``subprocess.TimeoutExpired`` like wait.
    """
    reporter = _current.get()
    if reporter is None:
        return wait(proc, timeout)
    deadline = time.monotonic() + timeout
    seen, passes = 0, 0
    running: tuple[str, float] | None = None
    buffer = b""

    def finish(ok: bool) -> None:
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
                m = _RUNNING.match(line)
                if not m:
                    continue
                program = os.path.basename(m.group(1).decode(errors="replace"))
                if program == engine:
                    passes += 1
                    program = f"{engine} pass {passes}"
                finish(True)
                running = (program, time.monotonic())
                reporter.begin(program)
            if code is not None:
                finish(code == 0)
                return code
            if time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(proc.args, timeout)
    except BaseException:
        finish(False)
        raise
