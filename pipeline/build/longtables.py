"""Longtable column widths for a cold build's one pass, measured before it.

longtable sets a table in chunks and its head apart from its body, each as wide as the
.aux of the *previous* pass says; with no widths there (a cold build), the first pass sets
them with widths of their own and writes the table's real ones, and a second pass is
needed. The widths depend only on the cells (and the fonts and sizes in force), not on the
page the table lands on, so a small TeX run of the preamble and the tables alone finds
them: from the precompiled preamble, in ``-draftmode`` (no PDF written), seeded with the
same predicted .aux so citations and references in cells have their final text. The
widths it writes go into the .aux the real pass reads; that pass is final only when it
writes the very widths it read (``coldpass`` checks, as latexmk would), else the second
pass runs as before. A measurement that fails costs its run, never a different PDF.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from typing import TYPE_CHECKING

from mdpaper.build.aux_check import longtable_widths
from mdpaper.build.format_cache import SharedFormat
from mdpaper.files import write_atomic
from mdpaper.patterns import lazy_pattern
from mdpaper.progress import stage
from mdpaper.tex.engines import ENGINES
from mdpaper.tex.log import read_log
from mdpaper.tex.process import LatexTimeout, run

if TYPE_CHECKING:
    from mdpaper.build.standby import StandbyPass

#: The measuring run's job name (the build folder's ``mdpaper-*`` files are mdpaper's own).
JOB = "mdpaper-tables"


def measure_options(engine: str) -> tuple[str, ...]:
    """The measuring run's options: no PDF (pdfTeX's and LuaTeX's draft mode; xelatex,
    which has none, writes its .xdv and no PDF), the widths only."""
    no_pdf = ENGINES[engine].pass_options if not ENGINES[engine].writes_pdf else ("-draftmode",)
    return (*no_pdf, "-interaction=nonstopmode", "-no-shell-escape")


#: A table as ``latex.tables`` writes it: an optional size group around the environment.
_TABLE = lazy_pattern(r"^(?:\{(?:\\[a-z]+)?\n)?\\begin\{longtable\}.*?^\\end\{longtable\}(?:\n\})?",
                      re.M | re.S)
_BEGIN = lazy_pattern(r"^\\begin\{document\}%?$", re.M)


def tables_only(tex: str) -> str | None:
    """The preamble and the longtables of ``tex``, in order (so longtable numbers them as
    the document does), or None when there is none to measure."""
    begin = _BEGIN.search(tex)
    if begin is None:
        return None
    tables = [m.group(0) for m in _TABLE.finditer(tex, begin.end())]
    if not tables:
        return None
    body = "\n\\clearpage\n".join(tables)
    return f"{tex[:begin.end()]}\n{body}\n\\end{{document}}\n"


def measured_widths(tex: Path, engine: str, env: dict[str, str], timeout: float,
                    aux: str, waiting: StandbyPass | None = None) -> list[str]:
    """The ``\\gdef \\LT@…`` lines the document's longtables will write, as a run of the
    tables alone from the precompiled preamble wrote them; [] when there are no tables, no
    format is ready for this preamble (nor a run that preloaded it, for an engine with no
    format: without either the run costs what the second pass it saves does), or the run
    failed. ``waiting``: that run, started on the format or preamble it may take
    (``standby``)."""
    fmt = SharedFormat(tex, engine)
    text = tables_only(tex.read_text(encoding="utf-8"))
    if text is None or tex.stem == JOB:  # (a post named like the job)
        return []
    taken = waiting is not None and waiting.preloaded is not None and waiting.takes(fmt)
    if not taken and not fmt.ready():
        return []
    # (a run on a format can be taken once that format is ready: linked from the cache)
    taken = taken or (waiting is not None and waiting.takes(fmt))
    folder = tex.parent
    write_atomic(folder / f"{JOB}.tex", text)
    write_atomic(folder / f"{JOB}.aux", aux)
    command = fmt.pass_command([engine, *measure_options(engine), f"{JOB}.tex"])
    with stage("longtable widths"):
        try:
            if waiting is not None and taken:
                returncode = waiting.go(timeout, tex)
            else:
                returncode = run(command, cwd=folder, env=env, timeout=timeout)
        except LatexTimeout:
            returncode = -1
    written = read_log(folder / f"{JOB}.aux") if returncode == 0 else ""
    for suffix in (".aux", ".log", ".xdv", ".fls"):
        with contextlib.suppress(OSError):
            (folder / f"{JOB}{suffix}").unlink()
    return longtable_widths(written)


__all__ = ["measured_widths", "tables_only"]
