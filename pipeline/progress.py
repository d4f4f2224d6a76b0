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
import sys
import time
from collections.abc import Iterator
from contextvars import ContextVar
from typing import IO, Any

_current: ContextVar[Reporter | None] = ContextVar("mdpaper_reporter", default=None)


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
