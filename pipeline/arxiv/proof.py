"""Prove a bundle: unpack it alone and compile it the way arXiv's compile service does.

arXiv runs the engine itself, not latexmk: ``pdflatex -interaction=batchmode`` without
shell escape, no BibTeX (the shipped .bbl is the bibliography), TeX's file access limited
to the submission folder, passes repeated while LaTeX asks for a rerun. So do we, with
the user's own TeX setup (``TEXINPUTS``, ``~/texmf``) kept out so that a file found only
on this machine cannot make the proof pass.
"""

from __future__ import annotations

import re
import shutil
import tarfile
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from mdpaper.errors import MdpaperError
from mdpaper.tex.engines import ARXIV_ENGINE
from mdpaper.tex.process import LatexTimeout, run, sandbox_env

MAX_PASSES = 4
PASS_TIMEOUT = 120.0

_RERUN = re.compile(
    r"Rerun to get|Label\(s\) may have changed|Please rerun LaTeX|rerun LaTeX|"
    r"Rerun LaTeX|Table widths have changed"
)
_UNDEFINED_CITE = re.compile(r"Citation [`'\"]([^'`\"]+)['\"] (?:on page \d+ )?undefined")
_UNDEFINED_REF = re.compile(r"Reference [`'\"]([^'`\"]+)['\"] on page \d+ undefined")
_MISSING_FILE = re.compile(r"! (?:LaTeX|Package [\w.-]+) Error: File [`']([^'`]+)' not found")
_BANNER = re.compile(r"\(TeX Live (\d{4})")
_OUTPUT = re.compile(r"Output written on .*? \((\d+) pages?")


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


def _run_pass(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float) -> int | None:
    """One engine run; None on timeout (the whole process group is killed)."""
    try:
        return run(cmd, cwd=cwd, env=env, timeout=timeout)
    except LatexTimeout:
        return None


def _first_error(log: str) -> str:
    lines = log.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("! "):
            where = next((t for t in lines[i + 1 : i + 12] if re.match(r"l\.\d+", t)), "")
            return f"{line[2:].strip()}" + (f" (at {where.split(' ', 1)[0]})" if where else "")
    return ""


def compile_alone(
    srcdir: Path,
    main_tex: str,
    *,
    max_passes: int = MAX_PASSES,
    timeout: float = PASS_TIMEOUT,
) -> ProofResult:
    """Compile ``srcdir/main_tex`` as arXiv would and check the outcome."""
    exe = shutil.which(ARXIV_ENGINE)
    if exe is None:
        raise MdpaperError(f"{ARXIV_ENGINE} not found: install TeX Live (Debian: "
                           "texlive-latex-extra)")
    job = PurePosixPath(main_tex).stem
    cmd = [exe, "-interaction=batchmode", "-no-shell-escape", main_tex]
    start = time.monotonic()
    problems: list[str] = []
    log_path = srcdir / f"{job}.log"
    with tempfile.TemporaryDirectory(prefix="mdpaper-texmfhome-") as home:
        env = sandbox_env(texmf_home=Path(home))  # an empty personal tree: no ~/texmf
        passes, log, code = 0, "", None
        while passes < max_passes:
            passes += 1
            code = _run_pass(cmd, srcdir, env, timeout)
            log = log_path.read_text(encoding="latin-1") if log_path.exists() else ""
            if code is None:
                problems.append(
                    f"{main_tex}: {ARXIV_ENGINE} pass {passes} timed out after {timeout:.0f} s"
                )
                break
            if code != 0 or not _RERUN.search(log):
                break
    seconds = time.monotonic() - start
    pages = None
    if m := _OUTPUT.search(log):
        pages = int(m.group(1))
    if code not in (0, None):
        missing = _MISSING_FILE.findall(log)
        if missing:
            problems.append(
                f"{main_tex} does not compile alone: "
                + ", ".join(f"{f} is not in the bundle" for f in dict.fromkeys(missing))
            )
        else:
            err = _first_error(log) or f"{ARXIV_ENGINE} exited with code {code}"
            problems.append(f"{main_tex} does not compile alone: {err} (see {job}.log)")
    elif code == 0:
        cites = list(dict.fromkeys(_UNDEFINED_CITE.findall(log)))
        refs = list(dict.fromkeys(_UNDEFINED_REF.findall(log)))
        if cites:
            problems.append(
                f"{main_tex}: {len(cites)} undefined citation(s) without BibTeX "
                f"({', '.join(cites[:5])}{', ...' if len(cites) > 5 else ''}): "
                f"is {job}.bbl in the bundle and up to date?"
            )
        if refs:
            problems.append(
                f"{main_tex}: {len(refs)} undefined reference(s) after {passes} passes "
                f"({', '.join(refs[:5])}{', ...' if len(refs) > 5 else ''})"
            )
        if _RERUN.search(log) and passes >= max_passes:
            problems.append(f"{main_tex}: still asks for a rerun after {passes} passes")
        if pages is None:
            problems.append(f"{main_tex}: {ARXIV_ENGINE} wrote no pages")
    pdf = srcdir / f"{job}.pdf"
    return ProofResult(
        ok=not problems,
        pages=pages,
        passes=passes,
        seconds=seconds,
        problems=problems,
        log=log,
        pdf=pdf if pdf.exists() else None,
        texlive=m.group(1) if (m := _BANNER.search(log[:500])) else None,
    )


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
