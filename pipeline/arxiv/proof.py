"""Prove a bundle: unpack it alone and compile it the way arXiv's compile service does.

arXiv runs the engine itself, not latexmk: ``pdflatex -interaction=batchmode`` without
shell escape, no BibTeX (the shipped .bbl is the bibliography), TeX's file access limited
to the submission folder, passes repeated while LaTeX asks for a rerun. So do we, with
the user's own TeX setup (``TEXINPUTS``, ``~/texmf``) kept out so that a file found only
on this machine cannot make the proof pass.
"""

from __future__ import annotations

import shutil
import tarfile
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from mdpaper.errors import MdpaperError
from mdpaper.tex.engines import ARXIV_ENGINE, engine_of_tex
from mdpaper.tex.log import (
    asks_for_rerun,
    first_error,
    missing_files,
    pages_from_log,
    read_log,
    texlive_year,
    undefined_keys,
)
from mdpaper.tex.process import LatexTimeout, run, sandbox_env

MAX_PASSES = 4
PASS_TIMEOUT = 120.0


@dataclass
class ProofResult:
    ok: bool
    pages: int | None
    passes: int
    seconds: float
    problems: list[str] = field(default_factory=list)
    #: The log of the last pass (for debugging a failure).
    log: str = ""
    pdf: Path | None = None
    #: The TeX Live year that ran the proof (from the log's banner), e.g. "2022".
    texlive: str | None = None


def unpack(archive: Path, dest: Path) -> list[str]:
    """Unpack a .tar.gz or .zip into ``dest``, refusing members that would escape it."""
    names: list[str] = []
    if archive.name.endswith(".zip"):
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                p = PurePosixPath(info.filename)
                if p.is_absolute() or ".." in p.parts:
                    raise MdpaperError(f"unsafe member {info.filename} in the bundle", archive)
                names.append(info.filename)
            zf.extractall(dest)
    else:
        with tarfile.open(archive, "r:*") as tf:
            members = tf.getmembers()
            names = [m.name for m in members]
            if hasattr(tarfile, "data_filter"):
                # Refuses absolute names, links out of dest, devices... (Python >= 3.11.4)
                tf.extractall(dest, filter="data")
            else:  # pragma: no cover - older 3.11: plain files only, checked by hand
                for m in members:
                    p = PurePosixPath(m.name)
                    if p.is_absolute() or ".." in p.parts or not (m.isfile() or m.isdir()):
                        raise MdpaperError(f"unsafe member {m.name} in the bundle", archive)
                tf.extractall(dest)
    return [n for n in names if not n.endswith("/")]


def compile_alone(
    srcdir: Path,
    main_tex: str,
    *,
    max_passes: int = MAX_PASSES,
    timeout: float = PASS_TIMEOUT,
) -> ProofResult:
    """Compile ``srcdir/main_tex`` as arXiv would and check the outcome."""
    engine = engine_of_tex(read_log(srcdir / main_tex))  # as 00README.json says
    exe = shutil.which(engine)
    if exe is None:
        raise MdpaperError(f"{engine} not found: install TeX Live (Debian: "
                           "texlive-latex-extra)")
    job = PurePosixPath(main_tex).stem
    start = time.monotonic()
    command = [exe, "-interaction=batchmode", "-no-shell-escape", main_tex]
    code, passes, log = _run_passes(command, srcdir, srcdir / f"{job}.log", max_passes, timeout)
    seconds = time.monotonic() - start
    pages = pages_from_log(log) or None  # "No pages of output." is no pages too
    if code is None:
        problems = [f"{main_tex}: {engine} pass {passes} timed out after {timeout:.0f} s"]
    elif code != 0:
        problems = [_failure(main_tex, job, code, log)]
    else:
        problems = _doubts(main_tex, job, log, passes, max_passes, pages)
    pdf = srcdir / f"{job}.pdf"
    return ProofResult(ok=not problems, pages=pages, passes=passes, seconds=seconds,
                       problems=problems, log=log, pdf=pdf if pdf.exists() else None,
                       texlive=texlive_year(log))


def _run_passes(command: list[str], srcdir: Path, log_path: Path, max_passes: int,
                timeout: float) -> tuple[int | None, int, str]:
    """Engine passes while LaTeX asks for a rerun: ``(exit code or None on timeout, passes
    made, the last pass's log)``. The user's own TeX tree is kept out (an empty one)."""
    passes, log, code = 0, "", None
    with tempfile.TemporaryDirectory(prefix="mdpaper-texmfhome-") as home:
        env = sandbox_env(texmf_home=Path(home))
        while passes < max_passes:
            passes += 1
            try:
                code = run(command, cwd=srcdir, env=env, timeout=timeout)
            except LatexTimeout:  # the whole process group is killed
                return None, passes, read_log(log_path)
            log = read_log(log_path)
            if code != 0 or not asks_for_rerun(log):
                break
    return code, passes, log


def _failure(main_tex: str, job: str, code: int, log: str) -> str:
    """Why the bundle did not compile: files it lacks, else TeX's first error."""
    missing = missing_files(log)
    if missing:
        return f"{main_tex} does not compile alone: " + ", ".join(
            f"{f} is not in the bundle" for f in missing)
    err = first_error(log) or f"{ARXIV_ENGINE} exited with code {code}"
    return f"{main_tex} does not compile alone: {err} (see {job}.log)"


def _doubts(main_tex: str, job: str, log: str, passes: int, max_passes: int,
            pages: int | None) -> list[str]:
    """What is wrong with a bundle that compiled: unresolved citations and references, a
    document that never settles, no pages."""
    problems = []
    cites, refs = undefined_keys(log)
    if cites:
        problems.append(
            f"{main_tex}: {len(cites)} undefined citation(s) without BibTeX "
            f"({_some(cites)}): is {job}.bbl in the bundle and up to date?"
        )
    if refs:
        problems.append(
            f"{main_tex}: {len(refs)} undefined reference(s) after {passes} passes "
            f"({_some(refs)})"
        )
    if asks_for_rerun(log) and passes >= max_passes:
        problems.append(f"{main_tex}: still asks for a rerun after {passes} passes")
    if pages is None:
        problems.append(f"{main_tex}: {ARXIV_ENGINE} wrote no pages")
    return problems


def _some(keys: list[str]) -> str:
    return ", ".join(keys[:5]) + (", ..." if len(keys) > 5 else "")


def prove_bundle(
    archive: Path,
    main_tex: str,
    expected_pages: int | None,
    *,
    timeout: float = PASS_TIMEOUT,
    keep_dir: Path | None = None,
) -> ProofResult:
    """Unpack ``archive`` into an empty folder, compile it alone, compare page counts.

    ``keep_dir``: unpack and compile there (must be empty) instead of a temporary folder
    that is deleted afterwards, e.g. to look at the PDF.
    """
    with tempfile.TemporaryDirectory(prefix="mdpaper-arxiv-proof-") as tmp:
        where = keep_dir or Path(tmp)
        where.mkdir(parents=True, exist_ok=True)
        if any(where.iterdir()):
            raise MdpaperError("the folder for the proof must be empty", where)
        names = unpack(archive, where)
        if main_tex not in names:
            return ProofResult(False, None, 0, 0.0, [f"{archive.name} has no {main_tex}"])
        result = compile_alone(where, main_tex, timeout=timeout)
        if (
            result.pages is not None
            and expected_pages is not None
            and result.pages != expected_pages
        ):
            result.problems.append(
                f"{main_tex}: the bundle compiles to {result.pages} pages, the normal build "
                f"to {expected_pages}"
            )
            result.ok = False
        if keep_dir is None:
            result.pdf = None  # deleted with the temporary folder
        return result
