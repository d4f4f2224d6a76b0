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
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
from pathlib import Path

from mdpaper.build.format_cache import SharedFormat, formats_dir, newest
from mdpaper.build.longtables import JOB as TABLES_JOB
from mdpaper.build.longtables import MEASURE_OPTIONS
from mdpaper.tex.latexmk import engine_command
from mdpaper.tex.process import finish, kill_group, sandbox_env

#: The waiting runs' format links: ``mdpaper-standby-PID-N.fmt`` (N: which run).
LINK_PREFIX = "mdpaper-standby-"
#: Job names this module hands TeX on its command line without quoting (output names are).
_PLAIN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
#: The interaction mode of every mdpaper run; the waiting run enters it after its \read.
_NONSTOP = "-interaction=nonstopmode"
#: A Markdown table row, or an HTML table: the post may well need a measuring run.
_TABLE = re.compile(r"^ {0,3}\|.*\||<table\b", re.M | re.I)


class StandbyPass:
    """pdflatex waiting, its format loaded, for the go to typeset ``JOB.tex``."""

    def __init__(self, proc: subprocess.Popen[bytes], key: str, link: Path, job: str) -> None:
        self.proc, self.key, self.link, self.job = proc, key, link, job

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
        line = f"\\read-1to\\mdpaperstandbygo\\nonstopmode\\csname @@input\\endcsname {job}.tex "
        command = [engine, f"-fmt={link.stem}", "-interaction=scrollmode",
                   *(o for o in options if o != _NONSTOP), f"-jobname={job}", line]
        try:
            _replace_link(link, formats_dir() / f"{key}.fmt")
            proc = subprocess.Popen(command, cwd=builddir, env=sandbox_env(),
                                    stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, start_new_session=True)
        except OSError:
            with contextlib.suppress(OSError):
                link.unlink()
            return None
        return cls(proc, key, link, job)

    def takes(self, fmt: SharedFormat) -> bool:
        """This run can be the run from ``fmt`` (ready, so linked from the cache): the same
        cached format, and TeX still waiting."""
        return fmt.key == self.key and self.proc.poll() is None

    def go(self, timeout: float, source: Path) -> int:
        """Let TeX typeset its .tex (written by now): the run's exit code."""
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
        """Stop TeX if it still waits (it has written nothing then), and tidy up."""
        if self.proc.returncode is None:
            kill_group(self.proc)
        with contextlib.suppress(OSError):
            self.link.unlink()
        # (named after the format and TeX's pid until TeX knows the job's name)
        with contextlib.suppress(OSError):
            (self.link.parent / f"{self.link.stem}{self.proc.pid}.fls").unlink()
        if self.proc.stdin is not None:
            with contextlib.suppress(OSError):
                self.proc.stdin.close()


class Standby:
    """What a build started before converting: the document's pass, and the longtable
    measuring run when the post's text has a table."""

    def __init__(self, document: StandbyPass | None, tables: StandbyPass | None,
                 made: list[Path]) -> None:
        self.document, self.tables = document, tables
        #: Folders made for the runs (deepest first): removed again if they stay empty
        #: (the post failed to convert before anything was written into them).
        self.made = made

    @classmethod
    def start(cls, builddir: Path, job: str, *, measuring: bool) -> Standby | None:
        """Start the runs on the most recently used cached format (the longtable
        measuring run's too when ``measuring``), making the build folder if need be; None
        when there is no valid format or nothing could be started."""
        made = [p for p in (builddir, *builddir.parents) if not p.exists()]
        try:
            builddir.mkdir(parents=True, exist_ok=True)
            found = newest(builddir)
        except OSError:  # reported, located, once the conversion has run
            found = None
        document = tables = None
        if found is not None:
            options = engine_command(f"{job}.tex", found[1])[1:-1]
            document = StandbyPass.start(builddir, job, options, found, 1)
            if measuring:
                tables = StandbyPass.start(builddir, TABLES_JOB, list(MEASURE_OPTIONS), found,
                                           2)
        standby = cls(document, tables, made)
        if document is None and tables is None:
            standby.cancel()
            return None
        return standby

    def cancel(self) -> None:
        for run in (self.document, self.tables):
            if run is not None:
                run.cancel()
        for folder in self.made:
            with contextlib.suppress(OSError):  # (not empty: the build wrote into it)
                folder.rmdir()


def may_have_tables(markdown: str) -> bool:
    """Whether the post's text has a Markdown table row or an HTML table (so its build will
    probably measure longtables)."""
    return _TABLE.search(markdown) is not None


def _replace_link(link: Path, target: Path) -> None:
    tmp = link.with_name(f".{link.name}.tmp")
    with contextlib.suppress(OSError):
        tmp.unlink()
    os.symlink(target, tmp)
    os.replace(tmp, link)


__all__ = ["LINK_PREFIX", "Standby", "StandbyPass", "may_have_tables"]
