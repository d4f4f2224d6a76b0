"""Images for TeX: copied as they are, or converted when TeX cannot read them.

A file's format is what its bytes say, not its name (``image_format``): a blog's
``plot.png`` may be WebP, which a browser shows and pdfTeX's libpng refuses. The staged copy
is named after its real format, so the .tex, the output folder and the arXiv bundle agree.
SVG is converted to PDF with rsvg-convert (Debian: librsvg2-bin) or cairosvg. librsvg
loads only files beside or below the SVG, so a hostile SVG cannot pull in other files.
GIF, WebP, BMP, TIFF and AVIF (common on blogs) become PNG through Pillow (first frame).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import importlib.util
import re
import shutil
import struct
import subprocess
import tempfile
import zlib
from pathlib import Path
from urllib.parse import unquote_to_bytes

from mdpaper.errors import MdpaperError
from mdpaper.files import cache_root, copy_atomic, write_atomic
from mdpaper.patterns import lazy_pattern

#: What TeX's graphicx includes directly, and the suffix each is staged under.
NATIVE_FORMATS = {"png": ".png", "jpeg": ".jpg", "pdf": ".pdf"}
#: Raster formats Pillow turns into PNG.
RASTER_FORMATS = {"gif", "webp", "bmp", "tiff", "avif"}
#: The format each image suffix names (what a file so named should hold).
SUFFIX_FORMATS = {
    ".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".pdf": "pdf", ".svg": "svg",
    ".gif": "gif", ".webp": "webp", ".bmp": "bmp", ".tif": "tiff", ".tiff": "tiff",
    ".avif": "avif",
}  # fmt: skip
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpeg"), (b"%PDF-", "pdf"),
    (b"GIF87a", "gif"), (b"GIF89a", "gif"), (b"II*\x00", "tiff"), (b"MM\x00*", "tiff"),
)  # fmt: skip
#: The sizes a BMP's info header may have (its byte 14), which "BM" alone does not prove.
_BMP_HEADERS = {12, 40, 52, 56, 64, 108, 124}
#: What ``image_format`` reads: enough for an SVG's XML declaration, comments and doctype.
_HEAD_BYTES = 4096
_SVG_OR_HTML = lazy_pattern(rb"<(?:!doctype\s+)?(svg|html)\b", re.I)


#: A data: URI (RFC 2397): media type, parameters (;base64), then the payload.
_DATA_URI = lazy_pattern(r"data:(?P<type>[^;,]*)(?P<params>(?:;[^;,]*)*),(?P<data>.*)", re.S | re.I)


def data_uri_folder() -> Path:
    """Where ``data_uri_file`` writes: the one place outside the site a figure may be."""
    return cache_root() / "data-uri"


def data_uri_file(uri: str) -> Path | None:
    """The image a ``data:`` URI holds (a page draws it from the URI itself), written to
    mdpaper's cache under a name its bytes decide, so a rebuild finds the same file; None
    when the payload is no valid base64 or percent-encoding."""
    m = _DATA_URI.fullmatch(uri.strip())
    if m is None:
        return None
    try:
        if ";base64" in m["params"].lower():  # (a URI may be wrapped or %-escaped)
            data = base64.b64decode(re.sub(rb"\s+", b"", unquote_to_bytes(m["data"])),
                                    validate=True)
        else:
            data = unquote_to_bytes(m["data"])
    except (binascii.Error, ValueError):
        return None
    path = data_uri_folder() / f"data-uri-{hashlib.sha256(data).hexdigest()[:16]}"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data)
    return path


def image_format(path: Path) -> str | None:
    """The format the bytes of ``path`` are in (a key of ``NATIVE_FORMATS``, one of
    ``RASTER_FORMATS`` or ``"svg"``), or None: no image of those (or no readable file)."""
    try:
        with open(path, "rb") as f:
            head = f.read(_HEAD_BYTES)
    except OSError:
        return None
    for signature, fmt in _SIGNATURES:
        if head.startswith(signature):
            return fmt
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and re.search(rb"avi[fs]", head[8:int.from_bytes(head[:4], "big")]):
        return "avif"  # an ISO media file whose brands name AVIF
    if head[:2] == b"BM" and len(head) > 14 and head[14] in _BMP_HEADERS:
        return "bmp"
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    markup = _SVG_OR_HTML.search(text) if text.startswith(b"<") else None
    return "svg" if markup and markup.group(1).lower() == b"svg" else None


def not_an_image(path: Path, fmt: str | None) -> str | None:
    """Why TeX cannot include the file at ``path`` though it is named as an image ("is not
    an image: it is an HTML page"), or None: an image as far as mdpaper can tell, or a file
    named as no format mdpaper knows (``.eps``: not converted, which is another message).

    ``fmt``: its ``image_format``. Of a PNG or JPEG, whose bytes TeX reads itself, the
    structure is checked too: a PNG cut short or with a damaged chunk stops pdfTeX's libpng
    and the whole build, where a browser shows what it can."""
    if fmt is None:
        if path.suffix.lower() not in SUFFIX_FORMATS:
            return None
        with open(path, "rb") as f:
            head = f.read(_HEAD_BYTES)
        return f"is not an image: {_describe(head)}"
    if fmt == "png":
        return _png_damage(path)
    if fmt == "jpeg" and image_size(path) is None:
        return "is a damaged JPEG (cut short before its frame header)"
    return None


def _describe(head: bytes) -> str:
    """What a file that is no image holds, from its first bytes."""
    text = head.lstrip().lower()
    if not text:
        return "the file is empty"
    if text.startswith(b"version https://git-lfs"):
        return "it is a Git LFS pointer (fetch the real file with `git lfs pull`)"
    if re.match(rb"<(!doctype\s+html|html|head|body)\b", text):
        return "it is an HTML page (saved from a web page under the image's name?)"
    return "its bytes are in no format mdpaper knows (PNG, JPEG, PDF, SVG, GIF, WebP, BMP, " \
        "TIFF, AVIF)"


def _png_damage(path: Path) -> str | None:
    """How a PNG is damaged where libpng stops: cut short, or a critical chunk (one whose
    type starts with a capital) failing its checksum; None for an intact one."""
    with open(path, "rb") as f:
        f.seek(8)
        while True:
            head = f.read(8)
            if len(head) < 8:
                return "is a damaged PNG (cut short)"
            length, kind = struct.unpack(">I4s", head)
            data, crc = f.read(length), f.read(4)
            if len(crc) < 4:
                return "is a damaged PNG (cut short)"
            if kind[:1].isupper() and zlib.crc32(kind + data) != int.from_bytes(crc, "big"):
                name = kind.decode("latin-1")
                return f"is a damaged PNG (its {name} chunk fails its checksum)"
            if kind == b"IEND":
                return None


def staged_suffix(path: Path, fmt: str) -> str:
    """The suffix of the file TeX includes for the image at ``path`` in format ``fmt``: the
    converted formats' (PDF, PNG), else the format's own; the name's when it is right."""
    if fmt == "svg":
        return ".pdf"
    if fmt in RASTER_FORMATS:
        return ".png"
    suffix = path.suffix.lower()
    return suffix if SUFFIX_FORMATS.get(suffix) == fmt else NATIVE_FORMATS[fmt]


def can_convert(fmt: str) -> bool:
    """Whether an image in format ``fmt`` can be staged here (native, or a converter is
    installed)."""
    if fmt in NATIVE_FORMATS:
        return True
    if fmt in RASTER_FORMATS:  # (Pillow reads AVIF from 11.2 on, built with libavif)
        return importlib.util.find_spec("PIL") is not None and (
            fmt != "avif" or importlib.util.find_spec("PIL._avif") is not None)
    return fmt == "svg" and bool(
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
    """Put ``source`` at ``dest`` (atomically), converting it on the way if needed: what is
    done follows the format of its bytes (``image_format``), ``dest`` is named after the
    result (``staged_suffix``). ``made``: where this build already staged it (the build
    folder): copied from there when that is up to date, not converted twice (an SVG takes
    rsvg-convert 0.1 s)."""
    if made is not None and made.is_file() and _converted_before(source, made):
        copy_atomic(made, dest)
        return
    fmt = image_format(source)
    if fmt in NATIVE_FORMATS:
        size = image_size(source) if fmt != "pdf" else None
        if size is None or max(size) <= MAX_SIDE_PIXELS:
            copy_atomic(source, dest)
            return
    if _converted_before(source, dest):
        return
    with tempfile.TemporaryDirectory(dir=dest.parent) as tmp:
        out = Path(tmp) / f"figure{dest.suffix}"
        if fmt == "svg":
            svg_to_pdf(source, out)
        elif fmt in RASTER_FORMATS:
            raster_to_png(source, out)
        elif fmt is not None:
            scale_down(source, out, MAX_SIDE_PIXELS)
        else:  # (the conversion checked it: changed since)
            raise MdpaperError("is not an image TeX can include", source)
        write_atomic(dest, out.read_bytes())


def _converted_before(source: Path, dest: Path) -> bool:
    """``dest`` was made from ``source`` as it is now (a plain copy of a too-large image, or
    of a WebP named .png, left by an older build, does not count)."""
    if not dest.exists() or dest.stat().st_mtime < source.stat().st_mtime:
        return False
    fmt = image_format(dest)
    if fmt != SUFFIX_FORMATS.get(dest.suffix.lower()):
        return False
    size = image_size(dest) if fmt in ("png", "jpeg") else None
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
