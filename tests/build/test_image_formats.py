"""An image is what its bytes are, not what its name says: a blog's ``plot.png`` that is
really WebP shows on the page (the browser looks at the bytes) and must show in the paper;
a file that is no image at all (an HTML error page saved as ``plot.png``) is a located
warning and a placeholder, never a TeX failure without a line."""

from __future__ import annotations

import importlib.util
import os
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from PIL import Image

from mdpaper import images
from mdpaper.arxiv.bundle import make_bundle
from mdpaper.arxiv.proof import unpack
from mdpaper.build.post import BuildOptions, build_post
from mdpaper.errors import MdpaperError

from conftest import Site, pdf_text, requires_tex, squash

SVG = ('<?xml version="1.0" encoding="UTF-8"?>\n<!-- drawn by hand -->\n'
       '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
       '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
       '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60">'
       '<rect width="120" height="60" fill="#36c"/></svg>')
HTML = "<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body></body></html>\n"
AVIF = importlib.util.find_spec("PIL._avif") is not None


def save(path: Path, fmt: str, mode: str = "RGB") -> Path:
    """A 40x20 image in Pillow's format ``fmt``, whatever ``path`` is called."""
    Image.new(mode, (40, 20), "red").save(path, fmt)
    return path


def pdf_images(pdf: Path) -> list[str]:
    """The rows of ``pdfimages -list``: one per image drawn (a soft mask has its own)."""
    out = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True,
                         check=True).stdout
    return out.splitlines()[2:]


def with_idat(png: bytes, idat: bytes) -> bytes:
    """``png`` with its pixel data replaced by ``idat``, every checksum right: a PNG only
    libpng's decoding can find wrong."""
    out, pos = bytearray(png[:8]), 8
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        data = idat if kind == b"IDAT" else png[pos + 8:pos + 8 + length]
        out += struct.pack(">I", len(data)) + kind + data
        out += struct.pack(">I", zlib.crc32(kind + data))
        pos += 12 + length
    return bytes(out)


# --- what a file is, from its bytes ----------------------------------------------------


@pytest.mark.parametrize(("pillow", "fmt"), [
    ("PNG", "png"), ("JPEG", "jpeg"), ("GIF", "gif"), ("WEBP", "webp"), ("BMP", "bmp"),
    ("TIFF", "tiff"), pytest.param("AVIF", "avif", marks=pytest.mark.skipif(
        not AVIF, reason="this Pillow reads no AVIF")),
])
def test_format_comes_from_the_bytes_not_the_name(tmp_path: Path, pillow: str,
                                                  fmt: str) -> None:
    for name in ("figure.png", "figure.jpg", "figure"):
        assert images.image_format(save(tmp_path / name, pillow)) == fmt, name


def test_pdf_svg_and_what_is_no_image(tmp_path: Path) -> None:
    cases = {
        "pdf.png": (b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n", "pdf"),
        "drawing.png": (SVG.encode(), "svg"),
        "bom.svg": (b"\xef\xbb\xbf  " + SVG.encode(), "svg"),
        "page.png": (HTML.encode(), None),
        # a page that draws an SVG inline is still a page
        "inline.svg": (b"<html><body><svg></svg></body></html>", None),
        "text.bmp": (b"BMW and other cars, a text file", None),
        "empty.png": (b"", None),
    }
    for name, (data, fmt) in cases.items():
        (tmp_path / name).write_bytes(data)
        assert images.image_format(tmp_path / name) == fmt, name
    assert images.image_format(tmp_path / "absent.png") is None


def test_a_file_that_is_no_image_says_what_it_holds(tmp_path: Path) -> None:
    png = save(tmp_path / "good.png", "PNG", "RGBA").read_bytes()
    cases = {
        "page.png": (HTML.encode(), "is not an image: it is an HTML page"),
        "lfs.png": (b"version https://git-lfs.github.com/spec/v1\noid sha256:ab\nsize 9\n",
                    "is not an image: it is a Git LFS pointer (fetch the real file with "
                    "`git lfs pull`)"),
        "empty.png": (b"", "is not an image: the file is empty"),
        "noise.webp": (b"\x00\x01junk", "is not an image: its bytes are in no format"),
        "cut.png": (png[:len(png) // 2], "is a damaged PNG (cut short)"),
        "flipped.png": (png[:-17] + bytes([png[-17] ^ 1]) + png[-16:],  # IDAT's last byte
                        "is a damaged PNG (its IDAT chunk fails its checksum)"),
        "cut.jpg": (save(tmp_path / "j.jpg", "JPEG").read_bytes()[:100],
                    "is a damaged JPEG (cut short before its frame header)"),
    }
    for name, (data, why) in cases.items():
        (tmp_path / name).write_bytes(data)
        found = images.not_an_image(tmp_path / name, images.image_format(tmp_path / name))
        assert found is not None and found.startswith(why), (name, found)
    assert images.not_an_image(tmp_path / "good.png", "png") is None


def test_a_format_mdpaper_does_not_know_is_not_converted(site: Site) -> None:
    """Named as no image format mdpaper knows, holding none it knows: not converted (the
    message names the suffix), not called "not an image"."""
    bundle = site.root / "content" / "posts" / "eps"
    bundle.mkdir(parents=True)
    (bundle / "figure.eps").write_bytes(b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 9 9\n")
    post = site.post("![An EPS](figure.eps)\n", name="eps/index.md")
    result = build_post(post, BuildOptions(tex_only=True, engine="pdflatex"))
    assert [(d.line, d.message) for d in result.diagnostics] == [
        (5, "image 'figure.eps' is .eps, which mdpaper cannot convert for pdflatex; use PNG, "
            "JPG or PDF")]
    assert "Image not included: figure.eps" in result.tex.read_text()


def test_staged_suffix_names_what_is_staged(tmp_path: Path) -> None:
    webp, jpeg = save(tmp_path / "a.png", "WEBP"), save(tmp_path / "b.png", "JPEG")
    assert images.staged_suffix(webp, "webp") == ".png"  # converted to PNG
    assert images.staged_suffix(jpeg, "jpeg") == ".jpg"  # copied, under its real suffix
    assert images.staged_suffix(tmp_path / "c.JPEG", "jpeg") == ".jpeg"
    assert images.staged_suffix(tmp_path / "d.png", "svg") == ".pdf"


@pytest.mark.parametrize("pillow", ["GIF", "WEBP", "BMP", "TIFF", pytest.param(
    "AVIF", marks=pytest.mark.skipif(not AVIF, reason="this Pillow reads no AVIF"))])
def test_a_raster_named_png_is_staged_as_a_png(tmp_path: Path, pillow: str) -> None:
    source = save(tmp_path / "figure.png", pillow)
    images.stage_figure(source, tmp_path / "staged.png")
    assert images.image_format(tmp_path / "staged.png") == "png"
    with Image.open(tmp_path / "staged.png") as staged:
        assert staged.size == (40, 20)


def test_a_copy_an_older_build_left_as_it_was_is_converted(tmp_path: Path) -> None:
    """Builds before this staged a WebP named .png as it was, in the build folder; that copy
    is newer than the source, but it is no PNG: staged again, not copied on."""
    source = save(tmp_path / "plot.png", "WEBP")
    made, dest = tmp_path / "build-plot.png", tmp_path / "plot-out.png"
    shutil.copy(source, made)
    os.utime(made, (source.stat().st_mtime + 10,) * 2)
    images.stage_figure(source, dest, made)
    assert images.image_format(dest) == "png"
    images.stage_figure(source, made)
    assert images.image_format(made) == "png"


# --- builds ----------------------------------------------------------------------------


@requires_tex
@pytest.mark.tex
def test_a_webp_named_png_is_converted_and_shows(site: Site, tmp_path: Path) -> None:
    """The real post: plot.png is WebP. A JPEG named .png is staged as .jpg, a PNG named
    .png as it is; the arXiv bundle holds the very files the .tex names."""
    bundle = site.root / "content" / "posts" / "webp"
    bundle.mkdir(parents=True)
    save(bundle / "plot.png", "WEBP")
    save(bundle / "photo.png", "JPEG")
    save(bundle / "true.png", "PNG")
    post = site.post("A figure:\n\n![A plot](plot.png)\n\n![A photo](photo.png)\n\n"
                     "![A true PNG](true.png)\n", name="webp/index.md")
    result = build_post(post, BuildOptions(engine="pdflatex"))
    assert sorted(result.figures) == ["photo.jpg", "plot.png", "true.png"]
    tex = result.tex.read_text()
    assert all(f"{{{name}}}" in tex for name in result.figures)
    assert images.image_format(result.outdir / "plot.png") == "png"
    assert (result.outdir / "photo.jpg").read_bytes() == (bundle / "photo.png").read_bytes()
    assert (result.outdir / "true.png").read_bytes() == (bundle / "true.png").read_bytes()
    assert len(pdf_images(result.pdf)) == 3
    text = squash(pdf_text(result.pdf))
    assert "Figure 1: A plot" in text and "Figure 3: A true PNG" in text
    assert not result.diagnostics

    report = make_bundle(result, abstract="Images named wrong.", outdir=tmp_path)
    assert report.ok, report.summary()
    where = tmp_path / "unpacked"
    where.mkdir()
    unpack(report.bundle, where)
    assert sorted(p.name for p in where.iterdir()) == [
        "00README.json", "photo.jpg", "plot.png", "true.png", "webp.tex"]
    for name in result.figures:  # the very files the build staged, under the same names
        assert (where / name).read_bytes() == (result.outdir / name).read_bytes()


@requires_tex
@pytest.mark.tex
def test_an_html_page_named_png_is_a_located_warning(site: Site) -> None:
    """As a missing image: the page shows it broken, the paper a placeholder with a warning
    at the image's line. Mending the file builds again (it is an input, though unshown)."""
    bundle = site.root / "content" / "posts" / "html"
    bundle.mkdir(parents=True)
    (bundle / "plot.png").write_text(HTML)
    post = site.post("Text before.\n\n![A plot](plot.png)\n\nText after.\n",
                     name="html/index.md")
    result = build_post(post)
    [warning] = result.diagnostics
    assert (warning.severity, warning.line) == ("warning", 7)
    assert warning.message == (
        "image 'plot.png' is not an image: it is an HTML page (saved from a web page under "
        "the image's name?); a placeholder stands in, as TeX cannot include it")
    assert result.figures == {}
    assert "Image not readable: plot.png" in squash(pdf_text(result.pdf))

    save(bundle / "plot.png", "PNG")
    mended = build_post(post)
    assert not mended.up_to_date and not mended.diagnostics
    assert list(mended.figures) == ["plot.png"] and len(pdf_images(mended.pdf)) == 1


@requires_tex
@pytest.mark.tex
def test_an_image_pdftex_cannot_read_is_an_error_at_its_line(site: Site) -> None:
    """Every checksum right, the pixel data no zlib stream: only libpng finds it wrong, in
    pdfTeX, which stops with no ``l.NN``; the error is told at the image's line."""
    bundle = site.root / "content" / "posts" / "libpng"
    bundle.mkdir(parents=True)
    png = save(bundle / "good.png", "PNG", "RGBA").read_bytes()  # (alpha: libpng decodes it)
    (bundle / "bad.png").write_bytes(with_idat(png, b"\x78\x9c" + b"\xff" * 40))
    post = site.post("Text.\n\n![Fine](good.png)\n\n![Broken](bad.png)\n\nMore.\n",
                     name="libpng/index.md")
    with pytest.raises(MdpaperError) as info:
        build_post(post, BuildOptions(engine="pdflatex"))
    assert info.value.line == 9
    assert info.value.message == "pdfTeX cannot read the image `bad.png': libpng: internal error"
