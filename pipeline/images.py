"""Images for pdflatex: copied as they are, or converted when pdflatex cannot read them.

SVG is converted to PDF with rsvg-convert (Debian: librsvg2-bin) or cairosvg. librsvg
loads only files beside or below the SVG, so a hostile SVG cannot pull in other files.
GIF, WebP, BMP and TIFF (common on blogs) become PNG through Pillow (first frame).
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
#: Raster formats Pillow turns into PNG.
RASTER_TYPES = {".gif", ".webp", ".bmp", ".tif", ".tiff"}


def converted_suffix(path: Path) -> str:
    """The suffix the staged file will have (what the .tex includes)."""
    suffix = path.suffix.lower()
    if suffix == ".svg":
        return ".pdf"
    return ".png" if suffix in RASTER_TYPES else suffix


def can_convert(path: Path) -> bool:
    suffix = path.suffix.lower()
    if suffix in RASTER_TYPES:
        return importlib.util.find_spec("PIL") is not None
    return suffix == ".svg" and bool(
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
        import cairosvg  # optional: only where rsvg-convert is missing

        cairosvg.svg2pdf(url=str(svg), write_to=str(pdf))
        return
    raise MdpaperError(
        "is an SVG and pdflatex cannot include SVG; install rsvg-convert "
        "(Debian: apt-get install librsvg2-bin) or cairosvg (pip install cairosvg) to "
        "convert it, or provide a PDF/PNG",
        svg,
    )


def stage_figure(source: Path, dest: Path) -> None:
    """Put ``source`` at ``dest`` (atomically), converting it on the way if needed."""
    suffix = source.suffix.lower()
    if suffix not in RASTER_TYPES and suffix != ".svg":
        copy_atomic(source, dest)
        return
    if dest.exists() and dest.stat().st_mtime >= source.stat().st_mtime:
        return  # converted before, and the source has not changed since
    with tempfile.TemporaryDirectory(dir=dest.parent) as tmp:
        out = Path(tmp) / f"figure{dest.suffix}"
        if suffix == ".svg":
            svg_to_pdf(source, out)
        else:
            raster_to_png(source, out)
        write_atomic(dest, out.read_bytes())


def raster_to_png(source: Path, png: Path) -> None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(source) as image:
            image.seek(0)  # an animated GIF shows its first frame
            image.convert("RGBA" if "A" in image.getbands() else "RGB").save(png, "PNG")
    except (OSError, UnidentifiedImageError) as exc:
        raise MdpaperError(f"cannot convert image to PNG: {exc}", source) from None
