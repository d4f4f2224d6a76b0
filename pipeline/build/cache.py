"""Skip TeX when nothing that affects the PDF changed since the last successful build.

After a successful build, ``OUTDIR/NAME/build/mdpaper-build.json`` records a digest of every
input that shapes the PDF:

* the effective settings (engine, template, citation style, output folder) and the site,
* mdpaper itself: its version and the bytes of its own modules and templates,
* every file the conversion read: the post, its bibliography, its figures, the template,
  the site's config files (mdpaper.toml, pyproject.toml, Hugo's config) and its shortcode
  templates (the site's and its themes'), each by SHA-256,
* the PDF that build produced (size and SHA-256), plus its page count and the warnings it
  printed, so an up-to-date build reports the same thing.

``check`` re-hashes those files (no conversion, no TeX) and, when everything matches and the
outputs are still there, returns a ``BuildResult`` with ``up_to_date=True``. The record is
removed before TeX runs and written only after success, so an interrupted or failed build
never leaves a record that vouches for stale output; the record's presence also tells the
one-pass edit rebuild (``quickpass``) that the aux files are from a finished build.

Not tracked (a rebuild with a changed option or input is needed then): TeX Live itself, and
a figure that newly appears earlier on Hugo's lookup path (``static/x.png`` shadowing
``x.png``) or a shortcode template newly added, without any tracked file changing.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import mdpaper
from mdpaper import __version__
from mdpaper.document.templates import builtin_dir
from mdpaper.errors import Diagnostic
from mdpaper.files import cache_root, write_atomic
from mdpaper.model import BuildResult

RECORD = "mdpaper-build.json"
_FORMAT = 1


def file_digest(path: Path) -> str | None:
    """SHA-256 of a file's bytes, or None when it cannot be read."""
    try:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return None


def text_digest(text: str | None) -> str | None:
    return None if text is None else hashlib.sha256(text.encode("utf-8")).hexdigest()


@functools.cache
def code_digest() -> str:
    """mdpaper's version and the bytes of its modules and bundled templates: a change to
    either (a new release, or a developer's edit) invalidates every record.

    Hashing every module is a tenth of a no-op rebuild, so the digest is kept in the user
    cache with the size and mtime of each file it covers, and made again when one of
    those (or the set of files) differs."""
    files = _code_files()
    stamp = [__version__, [[str(path), st.st_size, st.st_mtime_ns] for _, path, st in files]]
    saved = cache_root() / _CODE_DIGEST
    with contextlib.suppress(OSError, ValueError, TypeError):
        kept = json.loads(saved.read_text(encoding="utf-8"))
        if kept["stamp"] == stamp and isinstance(kept["digest"], str):
            return str(kept["digest"])
    digest = hashlib.sha256(__version__.encode())
    for root, path, _ in files:
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    with contextlib.suppress(OSError):
        saved.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(saved, json.dumps({"stamp": stamp, "digest": digest.hexdigest()}))
    return digest.hexdigest()


_CODE_DIGEST = "code-digest.json"
_CODE_SUFFIXES = (".py", ".toml", ".tex", ".sty", ".cls")


def _code_files() -> list[tuple[Path, Path, os.stat_result]]:
    """mdpaper's modules and bundled templates, in a fixed order: (root, path, stat)."""
    found = []
    for root in (Path(mdpaper.__file__).resolve().parent, builtin_dir()):
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.suffix in _CODE_SUFFIXES and path.is_file():
                found.append((root, path, path.stat()))
    return found


def options_key(*, settings: list[str], site_root: Path, outdir: Path) -> str:
    """Digest of what the build was asked to do: the effective settings (engine, template,
    citation style... as ``Settings.describe()`` lists them), where; not the timeout, which
    does not shape the PDF."""
    data = json.dumps([_FORMAT, settings, str(site_root.resolve()), str(outdir.resolve()),
                       code_digest()])
    return hashlib.sha256(data.encode()).hexdigest()


@dataclass
class BuildRecord:
    key: str
    #: absolute path -> SHA-256 of every file the conversion read
    inputs: dict[str, str]
    pdf_size: int
    pdf_sha256: str
    pages: int | None
    #: SHA-256 of the generated .bib (None without a bibliography): the one-pass rebuild
    #: needs the BibTeX output (.bbl) of the previous build to still be right.
    bib_sha256: str | None
    #: name of the .tex/.bib/figures in the output folder, to check they are still there
    outputs: list[str] = field(default_factory=list)
    #: (severity, message, line) of every diagnostic the build printed
    diagnostics: list[tuple[str, str, int | None]] = field(default_factory=list)
    has_bbl: bool = False

    def to_json(self) -> str:
        return json.dumps(self.__dict__, indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> BuildRecord | None:
        try:
            data: dict[str, Any] = json.loads(text)
            data["diagnostics"] = [tuple(d) for d in data.get("diagnostics", [])]
            return cls(**data)
        except (ValueError, TypeError):
            return None


def record_path(outdir: Path) -> Path:
    return outdir / "build" / RECORD


def load(outdir: Path) -> BuildRecord | None:
    try:
        return BuildRecord.from_json(record_path(outdir).read_text(encoding="utf-8"))
    except OSError:
        return None


def forget(outdir: Path) -> None:
    """Drop the record before TeX touches the build folder (see the module docstring)."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(record_path(outdir))


def save(outdir: Path, record: BuildRecord) -> None:
    write_atomic(record_path(outdir), record.to_json())


def check(record: BuildRecord | None, key: str, post_path: Path, outdir: Path,
          name: str) -> BuildResult | None:
    """The previous build's result when it is still up to date, else None."""
    if record is None or record.key != key:
        return None
    if str(post_path.resolve()) not in record.inputs:
        return None
    for path, digest in record.inputs.items():
        if file_digest(Path(path)) != digest:
            return None
    pdf = outdir / f"{name}.pdf"
    try:
        if pdf.stat().st_size != record.pdf_size:
            return None
    except OSError:
        return None
    if file_digest(pdf) != record.pdf_sha256:
        return None
    if not all((outdir / out).is_file() for out in record.outputs):
        return None
    bib = outdir / f"{name}.bib"
    bbl = outdir / "build" / f"{name}.bbl"
    figures = {out: outdir / out for out in record.outputs
               if out not in (f"{name}.tex", f"{name}.bib")}
    return BuildResult(
        name=name, outdir=outdir, tex=outdir / f"{name}.tex",
        bib=bib if record.bib_sha256 is not None else None, pdf=pdf,
        bbl=bbl if record.has_bbl and bbl.is_file() else None, pages=record.pages,
        figures=figures, up_to_date=True,
        diagnostics=[Diagnostic(sev, msg, post_path, line)
                     for sev, msg, line in record.diagnostics],
    )


def digest_inputs(inputs: list[Path]) -> dict[str, str] | None:
    """SHA-256 of each input, taken right after conversion (before the long TeX run, so an
    edit made while TeX runs is seen next time); None when one cannot be read."""
    digests = {}
    for path in inputs:
        digest = file_digest(path)
        if digest is None:
            return None
        digests[str(path.resolve())] = digest
    return digests


def make_record(key: str, digests: dict[str, str] | None, result: BuildResult,
                bib_text: str | None) -> BuildRecord | None:
    """The record of a successful build, or None when it cannot vouch for the output."""
    if digests is None or result.pdf is None:
        return None
    pdf_digest = file_digest(result.pdf)
    if pdf_digest is None:
        return None
    outputs = [result.tex.name] + ([result.bib.name] if result.bib else [])
    outputs += sorted(result.figures)
    return BuildRecord(
        key=key, inputs=digests, pdf_size=result.pdf.stat().st_size, pdf_sha256=pdf_digest,
        pages=result.pages, bib_sha256=text_digest(bib_text), outputs=outputs,
        diagnostics=[(d.severity, d.message, d.line) for d in result.diagnostics],
        has_bbl=result.bbl is not None,
    )
