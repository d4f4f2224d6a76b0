"""Formulas embedded as pictures of a TeX rendering service: the page shows the formula,
so the paper typesets the TeX the URL carries (a remote picture cannot be fetched)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdpaper.latex.formula_images import formula_of

from conftest import Site, pdf_text, requires_tex, run_cli, squash


@pytest.mark.parametrize("url, tex", [
    ("https://latex.codecogs.com/svg.latex?%5Cfrac%7B1%7D%7B2%7D", "\\frac{1}{2}"),
    ("https://latex.codecogs.com/png.latex?\\dpi{120}\\bg_white%20x^2", "x^2"),
    ("https://latex.codecogs.com/svg.image?a+b", "a+b"),
    ("https://chart.googleapis.com/chart?cht=tx&chl=x%5E2%2By", "x^2+y"),
    ("https://i.upmath.me/svg/%5Calpha", "\\alpha"),
    ("https://math.now.sh?from=%5Cbeta", "\\beta"),
    ("https://render.githubusercontent.com/render/math?math=e%5Ex", "e^x"),
    ("https://example.org/latex.png", None),
    ("figures/codecogs.png", None),
])
def test_formula_urls(url: str, tex: str | None) -> None:
    assert formula_of(url) == tex


@requires_tex
def test_formula_images_are_typeset(site: Site, tmp_path: Path) -> None:
    post = site.post("The mean\n\n![\\mu](https://latex.codecogs.com/svg.latex?"
                     "%5Cmu%20%3D%20%5Cfrac%7Ba%7D%7Bb%7D)\n\nand inline "
                     "![x](https://latex.codecogs.com/svg.latex?x%5E2) here.\n")
    done = run_cli("build", str(post), "-o", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert "remote image" not in done.stderr
    tex = (tmp_path / "out" / "post" / "post.tex").read_text()
    assert "\\[\n\\mu = \\frac{a}{b}\n\\]" in tex and "inline \\(x^2\\) here" in tex
    text = squash(pdf_text(tmp_path / "out" / "post" / "post.pdf"))
    assert "Figure" not in text and "inline x2 here" in text
