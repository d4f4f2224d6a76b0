"""TeX runs started before their .tex exists: the format loads while the post converts.

A cold build's one pass from the shared precompiled preamble (``format_cache``) spends about
a third of its TeX time starting pdflatex and loading the format (22 MB), all before it
reads a line of the .tex; so does the longtable measuring run (``longtables``). That part
depends only on which format, and posts of one template share one: the most recently used.
So a build whose post must be converted starts pdflatex on that format at once, on the
other core, while Python imports the converter and converts:

    pdflatex -fmt=mdpaper-standby-PID-N -interaction=scrollmode OPTIONS -jobname=JOB
             "\\read-1to\\mdpaperstandbygo\\nonstopmode\\csname @@input\\endcsname JOB.tex "

TeX starts, loads the format, and waits in ``\\read-1`` for a line on its standard input (a
pipe; ``\\read`` from the terminal is allowed in scroll mode). When the run comes and the
post's own format is that very one (``SharedFormat.key``), one newline lets TeX go on:
from there on it runs exactly as ``pdflatex -fmt=mdpaper-preamble OPTIONS JOB.tex`` (the
same options, interaction mode, job name and primitive ``\\input``), so its files and PDF
are the ordinary run's. Otherwise (another template, another engine, the post failed to
convert, no table after all) the waiting TeX is killed before it has written anything.

Each waiting run reaches the format by a link of its own (``mdpaper-standby-PID-N.fmt``),
so a concurrent build of the same post cannot swap it; the link, and the recorder list TeX
names after it until it knows the job, are removed when the run is over.

An engine with no format (xelatex, lualatex) gets a *preloading* run instead: it reads the
shared part of the preamble that engine loaded most recently (``build.preload``), from a
file of its own (``mdpaper-standby-PID-JOB-preamble.tex``), then waits the same way; it is taken
only when the post's shared part is that very text. Having read files, it has the job's log
and recorder list open from the start, so it holds the post's output-folder lock for the
whole build, and nothing removes those files while it waits.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from mdpaper.build.engine_formats import copy_env
from mdpaper.build.format_cache import SharedFormat, formats_dir, newest
from mdpaper.build.longtables import JOB as TABLES_JOB
from mdpaper.build.longtables import measure_options
from mdpaper.build.preload import recall
from mdpaper.files import write_atomic
from mdpaper.patterns import lazy_pattern
from mdpaper.tex.latexmk import engine_command
from mdpaper.tex.preamble_format import SKIP_SHARED_PART
from mdpaper.tex.process import finish, kill_group, sandbox_env

#: A post's output-folder lock (``build.post.locked``).
LOCK = ".lock"
#: The waiting runs' format links: ``mdpaper-standby-PID-N.fmt`` (N: which run).
LINK_PREFIX = "mdpaper-standby-"
#: Job names this module hands TeX on its command line without quoting (output names are).
_PLAIN_NAME = lazy_pattern(r"[A-Za-z0-9][A-Za-z0-9._-]*")
#: The interaction mode of every mdpaper run; the waiting run enters it after its \read.
_NONSTOP = "-interaction=nonstopmode"
#: A Markdown table row, or an HTML table: the post may well need a measuring run.
_TABLE = lazy_pattern(r"^ {0,3}\|.*\||<table\b", re.M | re.I)


class StandbyPass:
    """TeX waiting, its format (or the shared part of a preamble) loaded, for the go to
    typeset ``JOB.tex``."""

    def __init__(self, proc: subprocess.Popen[bytes], key: str, link: Path, job: str,
                 preloaded: tuple[str, str] | None = None) -> None:
        self.proc, self.key, self.link, self.job = proc, key, link, job
        #: (engine, SHA-256 of the shared part) of a run that read a preamble
        #: (``build.preload``) instead of a format; its ``link`` is that file.
        self.preloaded = preloaded
        #: It was let go (its files are the job's now); it is over (``cancel`` ran).
        self.went = self.over = False
        #: A preloading run's: the job's recorder list as the last pass left it ("" for
        #: none), read before this run replaced it; the edit rebuild compares against it,
        #: and it is put back if the run never goes. None: the run replaced nothing.
        self.recorded: str | None = None

    @property
    def holds(self) -> tuple[str, ...]:
        """The job's files TeX has open before the go (a run that read files opened its
        log, recorder list and SyncTeX's file in progress): nothing may remove them while
        it waits."""
        return (".log", ".fls", ".synctex(busy)") if self.preloaded is not None else ()

    @classmethod
    def start(cls, builddir: Path, job: str, options: list[str], found: tuple[str, str],
              number: int) -> StandbyPass | None:
        """Start ``engine -fmt=… OPTIONS JOB.tex`` (``options`` as an ordinary run takes
        them) waiting on the cached format ``found`` (key, engine); None when TeX cannot be
        started."""
        key, engine = found
        if not _PLAIN_NAME.fullmatch(job) or _NONSTOP not in options:
            return None
        link = builddir / f"{LINK_PREFIX}{os.getpid()}-{number}.fmt"
        command = [engine, f"-fmt={link.stem}", "-interaction=scrollmode",
                   *(o for o in options if o != _NONSTOP), f"-jobname={job}", _go_line(job)]
        try:
            _replace_link(link, formats_dir() / f"{key}.fmt")
        except OSError:
            return None
        proc = _start(command, builddir, link, engine)
        return cls(proc, key, link, job) if proc is not None else None

    @classmethod
    def preloading(cls, builddir: Path, job: str, options: list[str], engine: str,
                   preamble: str) -> StandbyPass | None:
        """Start ``engine`` on ``preamble`` (a remembered shared part, ``build.preload``),
        waiting to go on into ``JOB.tex`` with ``options`` (as an ordinary run takes them);
        None when TeX cannot be started."""
        if not _PLAIN_NAME.fullmatch(job) or _NONSTOP not in options:
            return None
        source = builddir / f"{LINK_PREFIX}{os.getpid()}-{job}-preamble.tex"
        # The shared part runs in nonstop mode, as in any pass; only the \read waits in
        # scroll mode (TeX reads no terminal line in nonstop mode).
        line = f"\\nonstopmode\\csname @@input\\endcsname {source.name} \\scrollmode"
        command = [engine, "-interaction=scrollmode", *(o for o in options if o != _NONSTOP),
                   f"-jobname={job}", line + _go_line(job)]
        try:
            write_atomic(source, preamble + SKIP_SHARED_PART)
        except OSError:
            return None
        proc = _start(command, builddir, source, engine)
        digest = hashlib.sha256(preamble.encode("utf-8")).hexdigest()
        return cls(proc, "", source, job, (engine, digest)) if proc is not None else None

    def takes(self, fmt: SharedFormat) -> bool:
        """This run can be the pass of ``fmt``'s .tex, TeX still waiting: the same cached
        format (the caller made sure it is ready, so linked from the cache), or, for a run
        that preloaded a preamble, the same engine and byte for byte the same shared part."""
        if self.proc.poll() is not None:
            return False
        if self.preloaded is not None:
            return fmt.shared and self.preloaded == (fmt.engine, fmt.digest)
        return fmt.key == self.key

    def go(self, timeout: float, source: Path) -> int:
        """Let TeX typeset its .tex (written by now): the run's exit code."""
        self.went = True
        try:
            assert self.proc.stdin is not None  # (started with a pipe)
            self.proc.stdin.write(b"\n")
            self.proc.stdin.close()
        except OSError:  # TeX died waiting: the caller's fallback run decides
            pass
        try:
            return finish(self.proc, timeout, source=source)
        finally:
            self.cancel()

    def cancel(self) -> None:
        """Stop TeX if it still waits, and tidy up: a run on a format has written nothing
        then; the log and recorder list a preloading run opened are removed, the last
        pass's list put back (no other run of the job has started yet:
        ``Standby.keep_if_taken``)."""
        if self.over:
            return
        self.over = True
        if self.proc.returncode is None:
            kill_group(self.proc)
        if not self.went:
            for suffix in self.holds:
                with contextlib.suppress(OSError):
                    (self.link.parent / f"{self.job}{suffix}").unlink()
            if self.recorded:
                with contextlib.suppress(OSError):
                    write_atomic(self.link.parent / f"{self.job}.fls", self.recorded)
        with contextlib.suppress(OSError):
            self.link.unlink()
        # (named after the program, the format's name or the engine's, and TeX's pid
        # until TeX knows the job's name: a run stopped while it loads leaves it)
        program = self.preloaded[0] if self.preloaded is not None else self.link.stem
        with contextlib.suppress(OSError):
            (self.link.parent / f"{program}{self.proc.pid}.fls").unlink()
        if self.proc.stdin is not None:
            with contextlib.suppress(OSError):
                self.proc.stdin.close()


class Standby:
    """What a build started before converting: the document's pass, and the longtable
    measuring run when the post's text has a table."""

    def __init__(self, document: StandbyPass | None, tables: StandbyPass | None,
                 made: list[Path], lock: IO[bytes] | None = None) -> None:
        self.document, self.tables = document, tables
        #: Folders made for the runs (deepest first): removed again if they stay empty
        #: (the post failed to convert before anything was written into them).
        self.made = made
        #: The post's output-folder lock, held from the start of a preloading run to the
        #: end of the build: that run has the job's log open long before the build takes
        #: the lock to compile, and two builds of one post take turns, never mix files.
        self.lock = lock

    @property
    def recorded(self) -> str | None:
        """The last pass's recorder list, when the document's run replaced it (else None:
        the file is still the last pass's)."""
        return self.document.recorded if self.document is not None else None

    @classmethod
    def start(cls, builddir: Path, job: str, *, measuring: bool) -> Standby | None:
        """Start the runs on the most recently used cached format (the longtable
        measuring run's too when ``measuring``), making the build folder if need be; None
        when there is no valid format or nothing could be started."""
        # No format, no folders: made here and removed at once, they raced with a
        # concurrent build of the same new post making them for itself.
        found = newest(builddir)
        if found is None:
            return None
        made = [p for p in (builddir, *builddir.parents) if not p.exists()]
        try:
            builddir.mkdir(parents=True, exist_ok=True)
        except OSError:  # reported, located, once the conversion has run
            return None
        options = engine_command(f"{job}.tex", found[1])[1:-1]
        document = StandbyPass.start(builddir, job, options, found, 1)
        tables = (StandbyPass.start(builddir, TABLES_JOB, list(measure_options(found[1])),
                                    found, 2) if measuring else None)
        standby = cls(document, tables, made)
        if document is None and tables is None:
            standby.cancel()
            return None
        return standby

    @classmethod
    def preloading(cls, builddir: Path, job: str, engine: str, *,
                   measuring: bool) -> Standby | None:
        """Start ``engine`` on the shared part it loaded most recently (``build.preload``),
        for the document's pass and, when ``measuring``, the longtable measuring run,
        making the build folder if need be; None when none is remembered or TeX cannot be
        started."""
        preamble = recall(engine)
        if preamble is None:
            return None
        made = [p for p in (builddir, *builddir.parents) if not p.exists()]
        standby = cls(None, None, made)
        try:
            builddir.mkdir(parents=True, exist_ok=True)
            standby.lock = open(builddir.parent / LOCK, "wb")  # noqa: SIM115 (held: see lock)
            fcntl.flock(standby.lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # another build of the post is at work (or an error reported later)
            standby.made = []  # (the other build's folders, whoever made them)
            standby.cancel()
            return None
        try:
            recorded = (builddir / f"{job}.fls").read_text(encoding="utf-8", errors="replace")
        except OSError:
            recorded = ""  # (no record: an edit rebuild leaves the job to latexmk)
        options = engine_command(f"{job}.tex", engine)[1:-1]
        standby.document = StandbyPass.preloading(builddir, job, options, engine, preamble)
        if standby.document is not None:
            standby.document.recorded = recorded
        if measuring and standby.document is not None:
            standby.tables = StandbyPass.preloading(
                builddir, TABLES_JOB, list(measure_options(engine)), engine, preamble)
        if standby.document is None:
            standby.cancel()
            return None
        return standby

    def keep_if_taken(self, fmt: SharedFormat) -> None:
        """Stop a run that preloaded another preamble than ``fmt``'s now, before any other
        run of the job: it holds the job's log and recorder list open."""
        run = self.document
        if run is not None and run.preloaded is not None and not run.takes(fmt):
            run.cancel()

    def stop(self) -> None:
        """Stop the runs still waiting (the build goes on without them)."""
        for run in (self.document, self.tables):
            if run is not None:
                run.cancel()

    def cancel(self) -> None:
        """Stop the runs, let go of the lock, remove the folders made for nothing (but a
        lock file: a build waiting on it would hold a lock nobody else sees)."""
        self.stop()
        if self.lock is not None:
            self.lock.close()
            self.lock = None
        for folder in self.made:
            with contextlib.suppress(OSError):  # (not empty: the build wrote into it)
                folder.rmdir()


@contextlib.contextmanager
def locked(folder: Path, waiting: Standby | None = None) -> Iterator[None]:
    """Two builds of the same post at once take turns instead of mixing their files.
    (``waiting``: runs started before the conversion, which may hold the lock already.)"""
    if waiting is not None and waiting.lock is not None:
        yield
        return
    with open(folder / LOCK, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def may_have_tables(markdown: str) -> bool:
    """Whether the post's text has a Markdown table row or an HTML table (so its build will
    probably measure longtables)."""
    return _TABLE.search(markdown) is not None


def _go_line(job: str) -> str:
    """What TeX reads after its format or preamble: a line from its standard input (the
    go), then the job's .tex, in nonstop mode, by the primitive ``\\input``."""
    return f"\\read-1to\\mdpaperstandbygo\\nonstopmode\\csname @@input\\endcsname {job}.tex "


def _start(command: list[str], builddir: Path, own: Path,
           engine: str) -> subprocess.Popen[bytes] | None:
    """TeX started in its own process group, reading the go from a pipe; ``own`` (its
    format link or preamble file) is removed when TeX cannot be started."""
    try:
        return subprocess.Popen(command, cwd=builddir, env=sandbox_env(copy_env(engine)),
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        with contextlib.suppress(OSError):
            own.unlink()
        return None


def _replace_link(link: Path, target: Path) -> None:
    tmp = link.with_name(f".{link.name}.tmp")
    with contextlib.suppress(OSError):
        tmp.unlink()
    os.symlink(target, tmp)
    os.replace(tmp, link)


__all__ = ["LINK_PREFIX", "Standby", "StandbyPass", "may_have_tables"]
