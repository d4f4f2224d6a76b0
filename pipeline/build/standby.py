"""A TeX pass started before its .tex exists: the format loads while the post converts.

A cold build's one pass from the shared precompiled preamble (``format_cache``) spends about
a third of its time starting pdflatex and loading the format (22 MB), all before it reads a
line of the .tex. That part depends only on which format, and posts of one template share
one: the most recently used. So a build whose post must be converted starts pdflatex on
that format at once, on the other core, while Python imports the converter and converts:

    pdflatex -fmt=mdpaper-standby-PID -interaction=scrollmode ... -jobname=NAME
             "\\read-1to\\mdpaperstandbygo\\nonstopmode\\csname @@input\\endcsname NAME.tex "

TeX starts, loads the format, and waits in ``\\read-1`` for a line on its standard input (a
pipe; ``\\read`` from the terminal is allowed in scroll mode). When the build's pass comes
and the post's own format is that very one (``SharedFormat.key``), one newline lets TeX
go on: from there on it runs exactly as ``pdflatex -fmt=mdpaper-preamble ... NAME.tex``
(the same options, interaction mode, job name and primitive ``\\input``), so the pass's
files and PDF are the ordinary pass's. Otherwise (another template, another engine, the
post failed to convert) the waiting TeX is killed before it has written anything.

The format is reached by a link of its own per build process (``mdpaper-standby-PID.fmt``),
so a concurrent build of the same post cannot swap it; the link, and the recorder list TeX
names after it until it knows the job, are removed when the pass is over.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
from pathlib import Path

from mdpaper.build.format_cache import SharedFormat, formats_dir, newest
from mdpaper.tex.latexmk import TEX_OPTIONS
from mdpaper.tex.process import finish, kill_group, sandbox_env

#: The standby's format link, named per build process: ``mdpaper-standby-PID.fmt``.
LINK_PREFIX = "mdpaper-standby-"
#: Job names this module hands TeX on its command line without quoting (output names are).
_PLAIN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_GO = b"\n"


class StandbyPass:
    """pdflatex waiting, its format loaded, for the go to typeset ``NAME.tex``."""

    def __init__(self, proc: subprocess.Popen[bytes], key: str, link: Path) -> None:
        self.proc, self.key, self.link = proc, key, link
        #: Folders made for this pass (deepest first): removed again if they stay empty
        #: (the post failed to convert before anything was written into them).
        self.made: list[Path] = []

    @classmethod
    def start(cls, builddir: Path, job: str) -> StandbyPass | None:
        """Start the pass on the most recently used cached format, making the build folder
        if need be; None when there is no valid format, the job name needs quoting, or the
        folder or TeX cannot be made or started."""
        if not _PLAIN_NAME.fullmatch(job):
            return None
        made = [p for p in (builddir, *builddir.parents) if not p.exists()]
        try:
            builddir.mkdir(parents=True, exist_ok=True)
            found = newest(builddir)
        except OSError:  # reported, located, once the conversion has run
            found = None
        waiting = cls._start(builddir, job, found) if found is not None else None
        if waiting is None:
            _remove_empty(made)
            return None
        waiting.made = made
        return waiting

    @classmethod
    def _start(cls, builddir: Path, job: str, found: tuple[str, str]) -> StandbyPass | None:
        key, engine = found
        link = builddir / f"{LINK_PREFIX}{os.getpid()}.fmt"
        options = [o for o in TEX_OPTIONS if not o.startswith("-interaction=")]
        command = [engine, f"-fmt={link.stem}", "-interaction=scrollmode", *options,
                   "-recorder", f"-jobname={job}",
                   f"\\read-1to\\mdpaperstandbygo\\nonstopmode\\csname @@input\\endcsname "
                   f"{job}.tex "]
        try:
            _replace_link(link, formats_dir() / f"{key}.fmt")
            proc = subprocess.Popen(command, cwd=builddir, env=sandbox_env(),
                                    stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, start_new_session=True)
        except OSError:
            with contextlib.suppress(OSError):
                link.unlink()
            return None
        return cls(proc, key, link)

    def takes(self, fmt: SharedFormat) -> bool:
        """This pass can be the pass from ``fmt`` (ready, so linked from the cache): the same
        cached format, and TeX still waiting."""
        return fmt.key == self.key and self.proc.poll() is None

    def go(self, timeout: float, source: Path) -> int:
        """Let TeX typeset the .tex (written by now): the pass's exit code."""
        try:
            assert self.proc.stdin is not None  # (started with a pipe)
            self.proc.stdin.write(_GO)
            self.proc.stdin.close()
        except OSError:  # TeX died waiting: the caller's fallback pass decides
            pass
        try:
            return finish(self.proc, timeout, source=source)
        finally:
            self._tidy()

    def cancel(self) -> None:
        """Stop TeX if it still waits (it has written nothing then), and tidy up."""
        if self.proc.returncode is None:
            kill_group(self.proc)
        self._tidy()
        _remove_empty(self.made)

    def _tidy(self) -> None:
        with contextlib.suppress(OSError):
            self.link.unlink()
        # (named after the format and TeX's pid until TeX knows the job's name)
        with contextlib.suppress(OSError):
            (self.link.parent / f"{self.link.stem}{self.proc.pid}.fls").unlink()
        if self.proc.stdin is not None:
            with contextlib.suppress(OSError):
                self.proc.stdin.close()


def _remove_empty(folders: list[Path]) -> None:
    for folder in folders:
        with contextlib.suppress(OSError):  # (not empty: the build wrote into it)
            folder.rmdir()


def _replace_link(link: Path, target: Path) -> None:
    tmp = link.with_name(f".{link.name}.tmp")
    with contextlib.suppress(OSError):
        tmp.unlink()
    os.symlink(target, tmp)
    os.replace(tmp, link)


__all__ = ["StandbyPass"]
