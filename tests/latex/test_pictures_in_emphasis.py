"""An HTML picture inside emphasis or a link (``_<img …>_``, ``<a href><img></a>`` among
words, raw HTML shown): the picture's own line was a ``\\par`` inside the macro's argument,
and TeX stopped ("Paragraph ended before \\text@command was complete")."""

from __future__ import annotations

import subprocess

import pytest
from PIL import Image

from mdpaper.build.post import BuildOptions, build_post

from conftest import Site, pdf_text, requires_tex, squash


@requires_tex
@pytest.mark.tex
def test_a_picture_inside_emphasis_or_a_link_has_its_own_line(site: Site) -> None:
    (site.root / "hugo.toml").write_text((site.root / "hugo.toml").read_text()
                                         + "\n[markup.goldmark.renderer]\nunsafe = true\n")
    (site.root / "static").mkdir()
    Image.new("RGB", (40, 30), "teal").save(site.root / "static" / "photo.png")
    post = site.post("Told _(aside)  \n<img src=\"/photo.png\" width=\"400\" />_ then.\n\n"
                     "A link <a href=\"https://example.org\"><img src=\"/photo.png\" "
                     "width=\"300\"></a> after.\n\n"
                     "Bold **before <img src=\"/photo.png\"> inside** end.\n")
    result = build_post(post, BuildOptions(engine="pdflatex"))
    assert result.pdf is not None and not result.diagnostics
    text = squash(pdf_text(result.pdf))
    assert all(words in text for words in ("Told (aside)", "then.", "A link", "after.",
                                           "Bold before", "inside end."))
    listed = subprocess.run(["pdfimages", "-list", str(result.pdf)], capture_output=True,
                            text=True, check=True).stdout.splitlines()[2:]
    assert len(listed) == 3  # each picture shown, none dropped
