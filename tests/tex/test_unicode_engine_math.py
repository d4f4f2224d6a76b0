"""Math under xelatex and lualatex (CJK posts, scripts pdflatex cannot set) shows what
KaTeX shows: the math alphabets keep their Greek capitals. Real builds, checked with
pdftotext."""

from __future__ import annotations

import unicodedata

import pytest

from mdpaper.build.options import BuildOptions
from mdpaper.build.post import build_post

from conftest import Site, pdf_text, requires_tex, squash

#: capitals in the math alphabets: fontspec's own (TU text fonts) took each from its
#: 8-bit slot, a control character no font has, and the PDF lost the letter
POST = ("特征分解 $\\mathbf{L} = \\mathbf{U} \\mathbf{\\Lambda} \\mathbf{U}^T$，"
        "其中 $\\mathbf{\\Sigma}_{ii}$ 与 $\\mathrm{\\Gamma}(n)$ 和 $\\mathit{\\Omega}$ 不同。\n")


@requires_tex
@pytest.mark.parametrize("engine", [None, pytest.param("lualatex", marks=pytest.mark.heavy)])
def test_greek_capitals_in_math_alphabets(site: Site, engine: str | None) -> None:
    post = site.post(POST, "g.md", "---\ntitle: 公式\n---\n\n")
    result = build_post(post, BuildOptions(engine=engine, outdir=site.root / "out"))
    assert result.pdf is not None
    assert "% !TEX program = " + (engine or "xelatex") in result.tex.read_text()
    # (NFKC: the italic capital Omega's glyph is named as the ohm sign, U+2126)
    shown = unicodedata.normalize("NFKC", squash(pdf_text(result.pdf)))
    assert "L = UΛUT" in shown and "Σii" in shown and "Γ(n)" in shown and "Ω" in shown
    assert [str(d) for d in result.diagnostics] == []
