"""Images for pdflatex: copied as they are, or converted when pdflatex cannot read them.

SVG is converted to PDF with rsvg-convert (Debian: librsvg2-bin) or cairosvg. librsvg
loads only files beside or below the SVG, so a hostile SVG cannot pull in other files.
GIF, WebP, BMP and TIFF (common on blogs) become PNG through Pillow (first frame).
"""

from __future__ import annotations

import importlib.util
import shutil
import struct
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


#: The longest side, in pixels, a PNG or JPEG may have as it is: pdfTeX takes a pixel for a
#: point when the file names no resolution, and TeX's dimensions stop at 16383 pt ("Dimension
#: too large" before any scaling can apply). Larger images are scaled down to this, still
#: more than a page's width needs at any printer resolution.
MAX_SIDE_PIXELS = 12000


def stage_figure(source: Path, dest: Path, made: Path | None = None) -> None:
    """Put ``source`` at ``dest`` (atomically), converting it on the way if needed.
    ``made``: where this build already staged it (the build folder): copied from there
    when that is up to date, not converted twice (an SVG takes rsvg-convert 0.1 s)."""
    if made is not None and made.is_file() and _converted_before(source, made):
        copy_atomic(made, dest)
        return
    suffix = source.suffix.lower()
    if suffix not in RASTER_TYPES and suffix != ".svg":
        size = image_size(source) if suffix in (".png", ".jpg", ".jpeg") else None
        if size is None or max(size) <= MAX_SIDE_PIXELS:
            copy_atomic(source, dest)
            return
    if _converted_before(source, dest):
        return
    with tempfile.TemporaryDirectory(dir=dest.parent) as tmp:
        out = Path(tmp) / f"figure{dest.suffix}"
        if suffix == ".svg":
            svg_to_pdf(source, out)
        elif suffix in RASTER_TYPES:
            raster_to_png(source, out)
        else:
            scale_down(source, out, MAX_SIDE_PIXELS)
        write_atomic(dest, out.read_bytes())


def _converted_before(source: Path, dest: Path) -> bool:
    """``dest`` was made from ``source`` as it is now (a plain copy of a too-large image, left
    by an older build, does not count)."""
    if not dest.exists() or dest.stat().st_mtime < source.stat().st_mtime:
        return False
    size = image_size(dest) if dest.suffix.lower() in (".png", ".jpg", ".jpeg") else None
    return size is None or max(size) <= MAX_SIDE_PIXELS


def scale_down(source: Path, out: Path, longest: int) -> None:
    """A copy of a PNG or JPEG whose longest side is ``longest`` pixels, in its own format."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(source) as image:
            image.thumbnail((longest, longest))
            image.save(out, image.format or "PNG")
    except (OSError, UnidentifiedImageError) as exc:
        raise MdpaperError(f"cannot scale the image down: {exc}", source) from None


def raster_to_png(source: Path, png: Path) -> None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(source) as image:
            image.seek(0)  # an animated GIF shows its first frame
            image.convert("RGBA" if "A" in image.getbands() else "RGB").save(png, "PNG")
    except (OSError, UnidentifiedImageError) as exc:
        raise MdpaperError(f"cannot convert image to PNG: {exc}", source) from None


def image_size(path: Path) -> tuple[int, int] | None:
    """(width, height) in pixels from a PNG or JPEG header, or None if not readable."""
    with open(path, "rb") as f:
        head = f.read(26)
        if head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR":
            return struct.unpack(">II", head[16:24])
        if head[:2] != b"\xff\xd8":
            return None
        f.seek(2)
        while True:
            byte = f.read(1)
            while byte and byte != b"\xff":  # resynchronise on the next marker
                byte = f.read(1)
            while byte == b"\xff":  # markers may be padded with any number of 0xFF
                byte = f.read(1)
            if not byte:
                return None
            marker = byte[0]
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
                continue  # standalone markers carry no length
            if marker == 0xD9:
                return None
            length_bytes = f.read(2)
            if len(length_bytes) < 2:
                return None
            (length,) = struct.unpack(">H", length_bytes)
            # Start-of-frame markers (not DHT C4, JPG C8, DAC CC) hold the frame size.
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                data = f.read(5)
                if len(data) < 5:
                    return None
                height, width = struct.unpack(">HH", data[1:5])
                return width, height
            f.seek(length - 2, 1)
