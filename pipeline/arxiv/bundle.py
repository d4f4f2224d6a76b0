"""The arXiv submission bundle: make it, check arXiv's rules, prove it compiles alone.

The steps live elsewhere (``sources`` collects, ``preflight`` holds arXiv's rules,
``proof`` compiles); this module runs them in order and words the report.

``make_bundle`` takes a successful build and writes ``NAME-arxiv.tar.gz`` (or ``.zip``):
the flattened, comment-stripped main .tex, the build's .bbl renamed after it, the .bib,
the figures the document uses, local .sty/.cls/.bst files and a ``00README.json``.
Then it unpacks the archive into an empty folder and compiles it as arXiv does
(``proof.prove_bundle``). A bundle that fails the proof or breaks an arXiv rule is kept as
``NAME-arxiv.FAILED.tar.gz``: a file without FAILED in its name is ready to upload.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tarfile
import tempfile
import textwrap
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from mdpaper.arxiv import preflight
from mdpaper.arxiv.proof import PASS_TIMEOUT, ProofResult, prove_bundle
from mdpaper.arxiv.readme import ARXIV_TEXLIVE_VERSION, zzrm_json
from mdpaper.arxiv.sources import (
    MAX_ARCHIVE_NAME,
    gather,
    main_name,
    point_bibliography,
    safe_name,
)
from mdpaper.errors import Diagnostic, MdpaperError
from mdpaper.model import BuildResult
from mdpaper.patterns import lazy_pattern
from mdpaper.tex.engines import ARXIV_ENGINE, engine_of_tex, program_comment

FORMATS = ("tar.gz", "zip")
_PDFOUTPUT = lazy_pattern(r"\\pdfoutput\s*=\s*1")


@dataclass
class BundleReport:
    #: The archive written; renamed ``NAME-arxiv.FAILED.<fmt>`` when ``ok`` is False.
    bundle: Path
    #: (name in the archive, size in bytes), in archive order.
    files: list[tuple[str, int]]
    total_size: int
    #: Pages of the bundle's own compile, and of the normal build.
    pages: int | None
    expected_pages: int | None
    ok: bool
    #: Why the bundle is not ready: preflight errors and proof failures, one sentence each.
    problems: list[str] = field(default_factory=list)
    #: arXiv rules that are likely but not surely a problem (\today, hyperref order...).
    warnings: list[str] = field(default_factory=list)
    #: pdflatex passes and wall time of the proof.
    passes: int = 0
    proof_seconds: float = 0.0
    #: Size of the compressed archive itself.
    archive_size: int = 0
    #: The TeX Live year of the proof and the one 00README.json asks arXiv for.
    texlive: str | None = None
    texlive_requested: int | None = None
    #: the engine 00README.json names and the proof ran
    engine: str = ARXIV_ENGINE
    #: The abstract spelled in ASCII + TeX accents for arXiv's form, when the front
    #: matter's has non-ASCII characters that can be spelled so.
    abstract_ascii: str | None = None

    def summary(self) -> str:
        width = max([len(n) for n, _ in self.files] + [5])
        lines = [f"arXiv bundle {self.bundle}"]
        lines += [f"  {n:<{width}}  {_human(s):>9}" for n, s in self.files]
        lines.append(
            f"  {'total':<{width}}  {_human(self.total_size):>9}  ({len(self.files)} files, "
            f"{_human(self.archive_size)} compressed)"
        )
        pages = "?" if self.pages is None else str(self.pages)
        expected = "?" if self.expected_pages is None else str(self.expected_pages)
        tl = f" with TeX Live {self.texlive}" if self.texlive else ""
        lines.append(
            f"  pages: {pages} (normal build: {expected}); proof: {self.passes} {self.engine} "
            f"pass(es){tl}, no BibTeX, {self.proof_seconds:.1f} s"
        )
        if self.texlive_requested and self.texlive and self.texlive != str(self.texlive_requested):
            lines.append(
                f"  note: 00README.json asks arXiv for TeX Live {self.texlive_requested}; "
                "the natbib .bbl does not depend on the version"
            )
        lines += [f"  warning: {w}" for w in self.warnings]
        if self.abstract_ascii:
            lines.append("  abstract for arXiv's form (ASCII):")
            lines += [f"    {line}" for line in textwrap.wrap(self.abstract_ascii, 76)]
        if self.ok:
            lines.append(
                f"  OK: compiles alone with {self.engine} as arXiv does, every citation resolved"
            )
        else:
            lines.append("  FAILED:")
            lines += [f"    - {p}" for p in self.problems]
        return "\n".join(lines)


def _human(n: int) -> str:
    if n < 1000:
        return f"{n} B"
    if n < 1_000_000:
        return f"{n / 1000:.1f} kB"
    return f"{n / 1_000_000:.1f} MB"


def _bundle_paths(name: str, fmt: str, outdir: Path) -> tuple[Path, Path]:
    return outdir / f"{name}-arxiv.{fmt}", outdir / f"{name}-arxiv.FAILED.{fmt}"


def _mtime() -> int:
    # Reproducible archives when the caller asks for it (reproducible-builds.org).
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return int(epoch) if epoch and epoch.isdigit() else int(time.time())


def write_archive(entries: dict[str, bytes | Path], dest: Path, fmt: str) -> list[tuple[str, int]]:
    """Write ``entries`` (name -> content or file) sorted, with plain permissions."""
    # Never a half-written bundle under its name, and two runs at once do not share a file.
    fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        listing = _write(entries, tmp, fmt, _mtime())
        tmp.chmod(0o644)  # mkstemp's 0600 would make the bundle private
        tmp.replace(dest)
    except ValueError as exc:  # e.g. a name too long for a portable (ustar) tar
        raise MdpaperError(f"cannot write the bundle: {exc}", dest) from None
    finally:
        tmp.unlink(missing_ok=True)
    return listing


def _write(
    entries: dict[str, bytes | Path], tmp: Path, fmt: str, mtime: int
) -> list[tuple[str, int]]:
    listing: list[tuple[str, int]] = []
    if fmt == "zip":
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name in sorted(entries):
                data = _read(entries[name])
                info = zipfile.ZipInfo(name, date_time=time.gmtime(max(mtime, 315532800))[:6])
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, data)
                listing.append((name, len(data)))
    else:
        with tarfile.open(tmp, "w:gz", format=tarfile.USTAR_FORMAT) as tf:
            for name in sorted(entries):
                data = _read(entries[name])
                member = tarfile.TarInfo(name)
                member.size, member.mode, member.mtime = len(data), 0o644, mtime
                tf.addfile(member, io.BytesIO(data))
                listing.append((name, len(data)))
    return listing


def _read(content: bytes | Path) -> bytes:
    return content if isinstance(content, bytes) else content.read_bytes()


def _pdf_pages(pdf: Path | None) -> int | None:
    if pdf is None or not pdf.is_file() or shutil.which("pdfinfo") is None:
        return None
    out = subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, stdin=subprocess.DEVNULL,
        timeout=60,
    ).stdout  # fmt: skip
    for line in out.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return None


@dataclass
class _Contents:
    """What goes into the archive, before it is written."""

    #: Name in the archive -> its bytes, or the file to copy.
    entries: dict[str, bytes | Path]
    #: The main .tex as written into the archive.
    tex: str
    #: Figures by name in the archive, for the image rules.
    figures: dict[str, Path]
    #: Figures that could not be found, one sentence each.
    problems: list[str]


def make_bundle(
    result: BuildResult,
    *,
    abstract: str | None,
    fmt: str = "tar.gz",
    include_bib: bool = True,
    outdir: Path | None = None,
    texlive_version: int | None = ARXIV_TEXLIVE_VERSION,
    timeout: float = PASS_TIMEOUT,
) -> BundleReport:
    """Write the arXiv bundle of a successful build, prove it, and report.

    Raises ``MdpaperError`` when no bundle can be made at all (unknown format, the .tex
    missing, an absolute ``\\input``, a figure in a format pdflatex cannot use). Every
    other problem ends up in the report, with ``ok`` False and the bundle's name saying
    FAILED.
    """
    if fmt not in FORMATS:
        raise MdpaperError(f"unknown bundle format {fmt!r}; use one of {', '.join(FORMATS)}")
    if not result.tex.is_file():
        raise MdpaperError("the built .tex is missing: build the post first", result.tex)
    outdir = Path(outdir or result.outdir.parent)
    outdir.mkdir(parents=True, exist_ok=True)
    main = main_name(result.tex.stem)
    main_tex = f"{main}.tex"
    good, failed = _bundle_paths(result.name, fmt, outdir)

    with tempfile.TemporaryDirectory(prefix="mdpaper-arxiv-") as work:
        contents = _collect(result, main, include_bib, texlive_version, Path(work))
        findings = _check_rules(contents, main, result.bbl, abstract)
        for stale in (good, failed):  # an old verdict must not sit next to the new one
            stale.unlink(missing_ok=True)
        listing = write_archive(contents.entries, good, fmt)

    total = sum(size for _, size in listing)
    archive_size = good.stat().st_size
    findings += preflight.check_size(max(total, archive_size))
    expected = result.pages if result.pages is not None else _pdf_pages(result.pdf)
    proof = _prove(good, failed, main_tex, expected, timeout)
    problems = contents.problems + _messages(findings, "error") + proof.problems
    if problems:
        good.replace(failed)
    return BundleReport(
        bundle=failed if problems else good,
        files=listing,
        total_size=total,
        pages=proof.pages,
        expected_pages=expected,
        ok=not problems,
        problems=problems,
        warnings=_messages(findings, "warning"),
        passes=proof.passes,
        proof_seconds=proof.seconds,
        archive_size=archive_size,
        abstract_ascii=_ascii_abstract(abstract),
        texlive=proof.texlive,
        engine=engine_of_tex(contents.tex),
        texlive_requested=texlive_version,
    )


def _prove(
    good: Path, failed: Path, main_tex: str, expected_pages: int | None, timeout: float
) -> ProofResult:
    """``prove_bundle``, renaming the archive FAILED if the proof itself breaks off."""
    try:
        return prove_bundle(good, main_tex, expected_pages, timeout=timeout)
    except BaseException:
        good.replace(failed)  # unproven is not ready: never leave it under the good name
        raise


def _collect(
    result: BuildResult, main: str, include_bib: bool, texlive_version: int | None, work: Path
) -> _Contents:
    """The archive's files: sources, .bbl, .bib and 00README.json; the main .tex last."""
    sources = gather(result.tex, dict(result.figures), main, work)
    tex = sources.tex
    entries: dict[str, bytes | Path] = dict(sources.files)
    if result.bbl is not None and result.bbl.is_file():
        entries[f"{main}.bbl"] = result.bbl
    if include_bib and result.bib is not None and result.bib.is_file():
        bib_name = safe_name(result.bib.name)
        if bib_name in entries or len(bib_name) > MAX_ARCHIVE_NAME:
            bib_name = f"{main}-refs.bib"
        entries[bib_name] = result.bib
        tex = point_bibliography(tex, bib_name.removesuffix(".bib"))
    engine = engine_of_tex(read_text(result.tex))
    if engine != ARXIV_ENGINE and engine_of_tex(tex) != engine:
        tex = program_comment(engine) + tex  # the cleaner drops comments; this one stays
    if engine == ARXIV_ENGINE and not _PDFOUTPUT.search("\n".join(tex.splitlines()[:5])):
        # arXiv's own detection picks pdflatex for a file that says \pdfoutput=1 in its
        # first lines; it holds even if 00README.json is not honoured. No-op in pdflatex.
        tex = "\\pdfoutput=1\n" + tex
    entries[f"{main}.tex"] = tex.encode("utf-8")
    entries["00README.json"] = zzrm_json(f"{main}.tex", texlive_version, engine).encode()
    return _Contents(entries, tex, sources.figures, sources.problems)


def _check_rules(
    contents: _Contents, main: str, built_bbl: Path | None, abstract: str | None
) -> list[Diagnostic]:
    """arXiv's rules that can be checked before the archive exists (all but its size)."""
    names = list(contents.entries)
    return (
        preflight.check_bbl(contents.tex, names, f"{main}.bbl", built_bbl)
        + preflight.check_abstract(abstract)
        + preflight.check_source(contents.tex, f"{main}.tex")
        + preflight.check_images(contents.figures)
        + preflight.check_names(names)
    )


def _messages(findings: list[Diagnostic], severity: str) -> list[str]:
    return [preflight.located_message(f) for f in findings if f.severity == severity]


def _ascii_abstract(abstract: str | None) -> str | None:
    if not abstract or abstract.isascii():
        return None
    text, missing = preflight.ascii_abstract(" ".join(abstract.split()))
    return None if missing else text


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""
