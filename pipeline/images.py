"""Images for pdflatex: copied as they are, or converted when pdflatex cannot read them.

SVG is converted to PDF with rsvg-convert (Debian: librsvg2-bin) or cairosvg. librsvg
loads only files beside or below the SVG, so a hostile SVG cannot pull in other files.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import tempfile
from pathlib import Path

from mdpaper.errors import MdpaperError
from mdpaper.files import copy_atomic, write_atomic

#: What pdflatex's graphicx includes directly.
NATIVE_TYPES = {".png", ".jpg", ".jpeg", ".pdf"}
#: What we can convert to PDF first.
CONVERTIBLE_TYPES = {".svg"}


def can_convert(path: Path) -> bool:
    return path.suffix.lower() == ".svg" and bool(
        shutil.which("rsvg-convert") or importlib.util.find_spec("cairosvg"))


def svg_to_pdf(svg: Path, pdf: Path) -> None:
    """Convert with rsvg-convert if installed, else cairosvg if importable, else refuse."""
    exe = shutil.which("rsvg-convert")
    if exe:
        proc = subprocess.run(
            [exe, "--format=pdf", "--output", str(pdf), str(svg)],
            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        if proc.returncode != 0:
            raise MdpaperError(f"rsvg-convert failed: {proc.stderr.strip()}", svg)
        return
    if importlib.util.find_spec("cairosvg") is not None:
        import cairosvg  # type: ignore[import-not-found]

        cairosvg.svg2pdf(url=str(svg), write_to=str(pdf))
        return
    raise MdpaperError(
        "is an SVG and pdflatex cannot include SVG; install rsvg-convert "
        "(Debian: apt-get install librsvg2-bin) or cairosvg (pip install cairosvg) to "
        "convert it, or provide a PDF/PNG",
        svg,
    )


def stage_figure(source: Path, dest: Path) -> None:
    """Put ``source`` at ``dest`` (atomically), converting SVG to PDF on the way."""
    if source.suffix.lower() != ".svg":
        copy_atomic(source, dest)
        return
    if dest.exists() and dest.stat().st_mtime >= source.stat().st_mtime:
        return  # converted before, and the SVG has not changed since
    with tempfile.TemporaryDirectory(dir=dest.parent) as tmp:
        out = Path(tmp) / "figure.pdf"
        svg_to_pdf(source, out)
        write_atomic(dest, out.read_bytes())
