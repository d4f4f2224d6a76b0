"""Images of any pixel size fit the page: a PNG wider than TeX's largest dimension (one pixel
is one point to pdfTeX) is scaled down when staged, a tall one is capped in height."""

from __future__ import annotations

import subprocess

import pytest
from PIL import Image

from mdpaper.build.options import BuildOptions
from mdpaper.build.post import build_post
from mdpaper.images import MAX_SIDE_PIXELS

from conftest import Site, pdf_text, requires_tex


@requires_tex
@pytest.mark.tex
def test_a_23000_pixel_wide_png_and_a_tall_one_build(site: Site) -> None:
    folder = site.root / "content" / "posts"
    Image.new("RGB", (23000, 200), "navy").save(folder / "wide.png")
    Image.new("RGB", (300, 4000), "teal").save(folder / "tall.png")
    post = site.post("![A very wide image](wide.png)\n\n![A tall image](tall.png)\n\nAfter.\n")
    result = build_post(post, BuildOptions())
    assert result.pdf is not None
    text = pdf_text(result.pdf)
    assert "A very wide image" in text and "A tall image" in text and "After." in text
    listed = subprocess.run(["pdfimages", "-list", str(result.pdf)], capture_output=True,
                            text=True, check=True).stdout.splitlines()[2:]
    widths = sorted(int(line.split()[3]) for line in listed)
    assert widths == [300, MAX_SIDE_PIXELS]  # the wide one scaled down, the tall one as is
    assert result.pages == 1  # the tall figure is capped, not a page of its own
    with Image.open(folder / "wide.png") as original:
        assert original.size == (23000, 200)  # the post's own file is never touched
