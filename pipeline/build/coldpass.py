"""Cold build: one engine pass from predicted aux files, when that proves final.

latexmk's cold build runs the engine, BibTeX, and the engine twice or three times more,
each pass learning from the last. Here BibTeX runs first on a minimal .aux (the cited keys,
the style, the database: ``predict.minimal_aux``), the .aux the pass reads is seeded with
what the later passes would have found (``predict.seeded_aux``; longtable widths are
measured by a run of the tables alone, ``longtables``), and the engine runs once (twice
when a longtable still writes other widths than it read), confined like
every TeX run (``process.run``, the same options as latexmk's), from the
shared precompiled preamble when one is ready. ``aux_check.disagreement`` then compares
what that pass wrote with what it was told. When they agree the PDF is final; otherwise,
or when the pass failed, the aux files are removed and latexmk builds from a clean slate
as before, so a wrong prediction costs time, never a different PDF or error message.
A pass that failed with errors in the document's body only (a slip in the post, which
latexmk's passes would only meet again) raises ``FirstPassFailed``, a ``LatexError``: the
build reports them at the post's lines, and TeX runs no more.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from mdpaper.build.aux_check import disagreement, longtable_widths, outputs_read_later
from mdpaper.build.engine_formats import copy_env
from mdpaper.build.failure import forget_run
from mdpaper.build.longtables import measured_widths
from mdpaper.build.onepass import run_pass_with_format
from mdpaper.build.predict import (
    PAGE_LABELS,
    Prediction,
    bibcites,
    minimal_aux,
    predict,
    seeded_aux,
)
from mdpaper.build.standby import Standby
from mdpaper.files import write_atomic
from mdpaper.progress import detail, stage
from mdpaper.tex.engines import ENGINES
from mdpaper.tex.latexmk import CompileOutcome, LatexError, check_tools, make_pdf, pass_output
from mdpaper.tex.log import pages_from_log, parse_blg, read_log, read_tex_log
from mdpaper.tex.process import run, sandbox_env

#: The program that turns the cited keys into a .bbl (not an engine).
BIBTEX = "bibtex"


class FirstPassFailed(LatexError):
    """The cold pass failed; ``problems`` are the errors of its log, each in the body."""


def cold_pass(tex: Path, *, engine: str, timeout: float,
              waiting: Standby | None = None) -> tuple[CompileOutcome | None, int]:
    """``(outcome, 1)`` when one pass made the final PDF; ``(None, n)`` when latexmk must
    build from a clean slate after ``n`` passes (the aux files are gone by then).
    ``waiting``: TeX runs already started on the format they may take (``standby``)."""
    tex = tex.resolve()
    if engine not in ENGINES:
        return None, 0
    prediction = predict(tex.read_text(encoding="utf-8"))
    if prediction is None or not _worth_a_pass(prediction):
        return None, 0
    env = sandbox_env(copy_env(engine))
    check_tools(engine, path=env.get("PATH"))
    forget_run(tex, waiting.document.holds if waiting and waiting.document else ())
    cites = _run_bibtex(tex, prediction, env, timeout) if prediction.bibliography else []
    if cites is None:
        _forget(tex)
        return None, 0
    seeded = seeded_aux(prediction, cites, page_labels=_page_labels(engine))
    widths = measured_widths(tex, engine, env, timeout, seeded,
                             waiting.tables if waiting is not None else None)
    write_atomic(tex.with_suffix(".aux"), seeded + "".join(f"{w}\n" for w in widths))
    why, passes = _passes(tex, engine, env, timeout, (prediction, cites), widths, waiting)
    if why is None and not make_pdf(tex, engine, env, timeout):
        why = "the PDF was not made from the pass's output"
    if why is not None:
        detail(f"the predicted aux files were not enough ({why}): latexmk takes over")
        _forget(tex)
        return None, passes
    log_text, _, warnings = read_tex_log(tex)
    _, bib_warnings = parse_blg(read_log(tex.with_suffix(".blg")))
    return CompileOutcome(tex.with_suffix(".pdf"), tex.with_suffix(".log"), warnings,
                          pages_from_log(log_text), passes, bib_warnings), passes


def _passes(tex: Path, engine: str, env: dict[str, str], timeout: float,
            predicted: tuple[Prediction, list[str]], widths: list[str],
            waiting: Standby | None) -> tuple[str | None, int]:
    """One pass from the seeded .aux (with the longtable ``widths`` measured before it), and
    a second when its longtables wrote other widths than it read: why the PDF is not final
    (None when it is), and the passes run."""
    prediction, cites = predicted
    aux = tex.with_suffix(".aux")
    for number in (1, 2):
        started = waiting.document if waiting is not None and number == 1 else None
        with stage(f"{engine} pass {number}"):
            returncode = run_pass_with_format(tex, engine, env, timeout, {aux.name}, started)
        if returncode != 0:
            _raise_located_errors(tex)
            return "the pass failed", number
        why = _why_not_final(tex, engine, prediction, cites)
        written = longtable_widths(read_log(aux))
        if why is not None or written == widths:
            return why, number
        widths = written
    return "the longtable widths changed in the second pass", 2


def _raise_located_errors(tex: Path) -> None:
    """``FirstPassFailed`` when every error of the failed pass's log is at a line of the
    document's body (TeX went on after each in nonstopmode, so the log has them all): the
    post's lines, where latexmk's passes would only meet them again. An error elsewhere (the
    preamble, a package, a cut-off aux file) is latexmk's to judge from a clean slate."""
    _, errors, _ = read_tex_log(tex)
    lines = tex.read_text(encoding="utf-8").splitlines()
    body = next((n for n, line in enumerate(lines, 1) if line.startswith("\\begin{document}")),
                None)
    if body and errors and all(e.path == tex.name and (e.line or 0) > body for e in errors):
        # the log stays (the error names it); the next build starts from a clean slate
        for suffix in (".pdf", ".bbl", ".blg"):
            with contextlib.suppress(OSError):
                tex.with_suffix(suffix).unlink()
        raise FirstPassFailed(errors, tex.with_suffix(".log"))


def _worth_a_pass(prediction: Prediction) -> bool:
    """A pass is tried only when every label the document shows is predicted, and only
    its number and link target are shown."""
    return all(label in prediction.labels and used <= {0, 3}
               for label, used in prediction.references.items())


def _run_bibtex(tex: Path, prediction: Prediction, env: dict[str, str],
                timeout: float) -> list[str] | None:
    """BibTeX on the minimal .aux: the ``\\bibcite`` lines its .bbl implies, or None."""
    write_atomic(tex.with_suffix(".aux"), minimal_aux(prediction))
    with stage(BIBTEX):
        returncode = run([BIBTEX, tex.stem], cwd=tex.parent, env=env, timeout=timeout,
                         source=tex)
    bbl = tex.with_suffix(".bbl")
    if returncode > 1 or not bbl.is_file():  # 1 is warnings only; errors: latexmk reports
        return None
    return bibcites(bbl.read_text(encoding="utf-8", errors="replace"))


def _why_not_final(tex: Path, engine: str, prediction: Prediction,
                   cites: list[str]) -> str | None:
    outputs = outputs_read_later(tex.with_suffix(".fls"), tex)
    if outputs is None or not pass_output(tex, engine).is_file():
        return "no record of what the pass wrote"
    aux = read_log(tex.with_suffix(".aux"))
    return disagreement(prediction, cites, aux, read_log(tex.with_suffix(".log")), outputs,
                        _page_labels(engine))


def _page_labels(engine: str) -> tuple[str, ...]:
    """hyperref's page labels the pass reads: only its xdvipdfmx driver (xelatex) keeps
    them in the .aux for the next pass; pdfTeX and LuaTeX set them in the same pass."""
    return () if ENGINES[engine].writes_pdf else (PAGE_LABELS,)


def _forget(tex: Path) -> None:
    """A clean slate for latexmk: no aux files, no .bbl it did not make itself."""
    forget_run(tex)
    for suffix in (".bbl", ".blg"):
        with contextlib.suppress(OSError):
            tex.with_suffix(suffix).unlink()


__all__ = ["cold_pass"]
