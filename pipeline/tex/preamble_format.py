"""A precompiled preamble: a pdflatex pass that skips loading the packages.

Loading the preamble (fonts, amsmath, hyperref, ...) is about 40 % of a pdflatex pass of a
typical post. TeX can dump its state after the preamble into a *format* file (``-ini`` plus
``\\dump``); a pass started from that format skips the package loading. Only the *shared*
part of the preamble is dumped: everything above ``SHARED_PREAMBLE_END``, a marker the
assembler writes right after hyperref is loaded. What is particular to one post (its PDF
metadata, title block, running heads) comes after the marker, so posts with the same
template and packages have the same shared part and can share one format
(``build.format_cache`` keeps them per user, across posts).

* A build with no format ready builds one alongside its ordinary pass (the other core
  is usually idle), from the shared part of the generated .tex followed by ``\\dump``.
* A pass whose shared part is byte-identical runs ``pdflatex -fmt=mdpaper-preamble`` on the
  same .tex. The format's ``\\documentclass`` skips everything up to the marker (the part
  it already holds) and the rest of the preamble runs as usual, so the file, its line
  numbers (and the Markdown source map from them), its aux, log and PDF names are the
  ordinary ones. When latexmk has to finish the job (a new citation or label, a changed
  .bib), its passes start from the format too (``build.failure.latexmk_from_format``).

The format is keyed by the shared part's text and by every file the ``-ini`` run read (from
its ``-recorder`` list: packages, fonts, pdflatex.fmt; a file beside the .tex by its
content, the others by size and mtime), plus the engine binary, so a TeX Live update or an
edited user-template file rebuilds it. A preamble that opens a file for writing while it
loads is never dumped (the stream would not survive the dump). Anything that goes wrong
with a format pass falls back to the ordinary pass, so the format can make a build faster,
never different or broken. pdflatex only: LuaTeX keeps Lua state outside its formats and
XeTeX refuses to dump a font fontspec (or even the LaTeX kernel, in TU encoding) loaded;
those engines get the next best thing, a run that loads the shared part while the post
converts (``build.preload``).

The format is kept *uncompressed*: TeX writes formats gzip-compressed, but it reads them
through zlib, which passes an uncompressed file through as it is, and inflating a format
piecemeal is most of the cost of loading it (measured: a pass of an empty document from
the 22 MB inflated format takes 0.12 s of CPU, from the 8 MB compressed one 0.28 s). It is
inflated once, after the ``-ini`` run; the state TeX loads is the same bytes either way.

The files (``mdpaper-preamble.{tex,fmt,log,fls,json}``; the format is about 22 MB, or a
link to the shared cache's copy) live in the post's build folder beside the aux files.
"""

from __future__ import annotations

import contextlib
import datetime
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from mdpaper.files import write_atomic
from mdpaper.tex.engines import ENGINES
from mdpaper.tex.process import LatexTimeout, TexToolMissing, finish, start

FORMAT_JOB = "mdpaper-preamble"
RECORD = f"{FORMAT_JOB}.json"
RECORD_VERSION = 2
#: Ends the part of the preamble a format holds (a line of its own, at brace depth 0). In
#: an ordinary run it does nothing: an undefined ``\\csname`` is ``\\relax``.
SHARED_PREAMBLE_END = "\\csname mdpaper-shared-preamble-ends\\endcsname"
# Dumped after the shared part: in a run from the format, \documentclass (the .tex's first
# command) swallows the preamble up to the marker instead of running it again (LaTeX itself
# disables \documentclass once a class is loaded); what follows the marker runs as usual.
# (``build.preload`` runs the same lines after the shared part it reads from a file.)
SKIP_SHARED_PART = r"""\makeatletter
\long\def\mdpaper@skippreamble#1\csname mdpaper-shared-preamble-ends\endcsname{}
\let\documentclass\mdpaper@skippreamble
\makeatother
"""
_SKIP_PREAMBLE = SKIP_SHARED_PART + "\\dump\n"


class PreambleFormat:
    """The format of one generated .tex in its build folder."""

    def __init__(self, tex: Path, engine: str) -> None:
        self.tex = tex
        self.folder = tex.parent
        self.engine = engine
        self.enabled = engine in ENGINES and ENGINES[engine].preamble_format
        lines = tex.read_text(encoding="utf-8").split("\n") if engine in ENGINES else []
        end = next((i for i, line in enumerate(lines)
                    if line.rstrip("%") == SHARED_PREAMBLE_END), None)
        first = next((line for line in lines if line.strip() and not line.startswith("%")), "")
        # The format's \documentclass skips to the marker: anything above the class line
        # would run a second time, so such a file (or one with no marker) gets no format.
        if end is None or not first.startswith("\\documentclass"):
            self.enabled = False
            end = 0
        #: The .tex has a shared part a run can hold before it reads the .tex: a format
        #: (``enabled``), or a run that preloaded it (``build.preload``).
        self.shared = end > 0
        #: The shared part: what the format holds, and what it is keyed by.
        self.preamble = "\n".join(lines[:end]) + "\n"
        self.digest = hashlib.sha256(self.preamble.encode("utf-8")).hexdigest()

    # -- using a format ---------------------------------------------------------------

    def ready(self) -> bool:
        """A format for exactly this preamble exists, and nothing it was built from changed."""
        return (self.enabled and (self.folder / f"{FORMAT_JOB}.fmt").is_file()
                and self.record_valid(self.load_record()))

    def record_valid(self, record: dict[str, Any] | None) -> bool:
        """``record`` describes a good format of this shared part, built today, from files
        that are all as they were (a TeX Live update changes their sizes and mtimes)."""
        record = record or {}
        return record.get("preamble_sha256") == self.digest and record_current(record,
                                                                               self.folder)

    def pass_command(self, base: list[str]) -> list[str]:
        """``base`` (one ordinary pass on the .tex) turned into a pass from the format."""
        engine, *options = base
        return [engine, f"-fmt={FORMAT_JOB}", *options]

    def discard(self) -> None:
        """Forget the format (a pass from it failed where the ordinary pass did not)."""
        # (pdftex names its -recorder file after the format and its pid until it knows the
        # job's name; a run that died on a broken format leaves that file behind.)
        stray = self.folder.glob(f"{FORMAT_JOB}[0-9]*.fls")
        for path in [self.folder / f"{FORMAT_JOB}.fmt", self.folder / RECORD, *stray]:
            with contextlib.suppress(OSError):
                path.unlink()

    # -- building one --------------------------------------------------------------------

    def worth_building(self) -> bool:
        """True unless this very preamble already failed to make a usable format."""
        if not self.enabled:
            return False
        record = self.load_record()
        return not (record is not None and record.get("ok") is False
                    and record.get("preamble_sha256") == self.digest)

    def start_build(self, env: dict[str, str]) -> subprocess.Popen[bytes] | None:
        """Start ``pdflatex -ini`` on the preamble; the caller goes on with its pass."""
        self.discard()
        write_atomic(self.folder / f"{FORMAT_JOB}.tex", self.preamble + _SKIP_PREAMBLE)
        command = [self.engine, "-ini", "-interaction=nonstopmode", "-halt-on-error",
                   "-no-shell-escape", "-recorder", f"-jobname={FORMAT_JOB}", f"&{self.engine}",
                   f"{FORMAT_JOB}.tex"]
        try:
            return start(command, cwd=self.folder, env=env)
        except (OSError, TexToolMissing):  # no format this time; the ordinary pass decides
            return None

    def finish_build(self, proc: subprocess.Popen[bytes], timeout: float) -> bool:
        """Wait for the ``-ini`` run and keep its format only if it is safe to use."""
        try:
            returncode = finish(proc, timeout)
        except LatexTimeout:
            returncode = -1
        except BaseException:  # Ctrl-C: no half-made format is left to be trusted
            self.discard()
            raise
        log = _read(self.folder / f"{FORMAT_JOB}.log")
        inputs = _recorded_inputs(self.folder / f"{FORMAT_JOB}.fls")
        # A write stream opened while the preamble loads would be closed in the dump; with
        # no -recorder list there is nothing to tell a later TeX Live update by.
        ok = (returncode == 0 and (self.folder / f"{FORMAT_JOB}.fmt").is_file()
              and "\\openout" not in log and bool(inputs))
        if ok and (engine := shutil.which(self.engine)):
            inputs.append(os.path.realpath(engine))
        if ok:
            ok = _inflate(self.folder / f"{FORMAT_JOB}.fmt")
        if not ok:
            self.discard()
        record = {"version": RECORD_VERSION, "ok": ok, "preamble_sha256": self.digest,
                  "clock": _clock(),
                  "inputs": _signatures(inputs, self.folder) if ok else {}}
        write_atomic(self.folder / RECORD, json.dumps(record, indent=1, sort_keys=True))
        return ok

    def load_record(self) -> dict[str, Any] | None:
        try:
            record = json.loads((self.folder / RECORD).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(record, dict) or record.get("version") != RECORD_VERSION:
            return None
        return record


def record_current(record: dict[str, Any], folder: Path) -> bool:
    """``record`` describes a good format built today from files that are all as they were
    (a TeX Live update changes their sizes and mtimes), as seen from the build ``folder``."""
    inputs = record.get("inputs")
    return (record.get("ok") is True and record.get("clock") == _clock()
            and isinstance(inputs, dict) and bool(inputs)
            and inputs == _signatures(inputs.keys(), folder))


def _clock() -> str:
    """The date TeX sees: a preamble may freeze ``\\year``/``\\day`` with ``\\edef``, so a
    format is remade each day (and when a reproducible build fixes the date)."""
    fixed = "|".join(os.environ.get(k, "") for k in ("SOURCE_DATE_EPOCH", "FORCE_SOURCE_DATE"))
    return f"{datetime.date.today().isoformat()}|{fixed}"


def _inflate(fmt: Path) -> bool:
    """Store the format uncompressed (see the module's notes); False when it is unreadable."""
    try:
        data = fmt.read_bytes()
        if data[:2] == b"\x1f\x8b":  # gzip's magic number: what TeX wrote
            write_atomic(fmt, gzip.decompress(data))
    except (OSError, EOFError, zlib.error):  # (a bad gzip header is an OSError)
        return False
    return True


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _recorded_inputs(fls: Path) -> list[str]:
    """The files the -ini run read, as its -recorder list names them (but its own job file,
    which the record's digest covers)."""
    names = {line.removeprefix("INPUT ").strip()
             for line in _read(fls).splitlines() if line.startswith("INPUT ")}
    return sorted(names - {f"{FORMAT_JOB}.tex", f"./{FORMAT_JOB}.tex"})


def _signatures(names: Iterable[str], folder: Path) -> dict[str, list[int | str]]:
    """Size and mtime of each file (``[-1, -1]`` when gone): enough to see an update. A file
    named relative to the build folder (a template's own .sty) by size and content: a format
    made in another post's folder is only right when that file is the same."""
    result: dict[str, list[int | str]] = {}
    for name in names:
        path = folder / name
        try:
            st = path.stat()
            if Path(name).is_absolute():
                result[name] = [st.st_size, st.st_mtime_ns]
            else:
                result[name] = [st.st_size, hashlib.sha256(path.read_bytes()).hexdigest()]
        except OSError:
            result[name] = [-1, -1]
    return result
