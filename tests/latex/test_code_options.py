"""Hugo's code block options (fences and the highlight shortcode): line numbers, their
start, highlighted lines counted from the block's first line as Hugo counts them."""

from __future__ import annotations

import pytest

from mdpaper.build.options import BuildOptions
from mdpaper.build.post import build_post
from mdpaper.latex.code import verbatim_options

from conftest import Site, pdf_text, requires_tex


@pytest.mark.parametrize("info, expected", [
    ('go {linenos=table,hl_lines=[8,"15-17"],linenostart=199}',
     ["numbers=left", "firstnumber=199", "highlightlines={206,213-215}"]),
    ("go {linenos=inline,hl_lines=8 15-17}", ["numbers=left", "highlightlines={8,15-17}"]),
    ("python {hl_lines=[2]}", ["highlightlines={2}"]),
    ("python {linenos=false}", []),
    ("python", []),
])
def test_options_as_verbatim_options(info: str, expected: list[str]) -> None:
    assert verbatim_options(info) == expected


@requires_tex
@pytest.mark.tex
def test_numbered_code_from_a_fence_and_the_highlight_shortcode(site: Site) -> None:
    post = site.post("```python {linenos=table,hl_lines=[2],linenostart=199}\na = 1\nb = 2\n```"
                     '\n\n{{< highlight go "linenos=inline,hl_lines=1" >}}\npackage main\n'
                     "{{< /highlight >}}\n")
    result = build_post(post, BuildOptions())
    assert result.pdf is not None
    tex = result.tex.read_text()
    assert "numbers=left,firstnumber=199,highlightlines={200}" in tex
    assert "numbers=left,highlightlines={1}" in tex
    words = pdf_text(result.pdf).split()  # pdftotext reads the number column first
    assert {"199", "200", "a", "b", "package", "main"} <= set(words)
