"""A site whose passthrough list lacks ``$`` while its MathJax/KaTeX configuration takes
``$…$``: the page typesets those formulas, so the paper does."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from mdpaper.source.hugo import load_hugo_config

from conftest import Site, pdf_text, requires_tex, run_cli

CONFIG = ('title = "t"\n[markup.goldmark.extensions.passthrough]\nenable = true\n'
          "[markup.goldmark.extensions.passthrough.delimiters]\n"
          "block = [['\\[', '\\]'], ['$$', '$$']]\ninline = [['\\(', '\\)']]\n")
KATEX = ('<script>renderMathInElement(document.body, {delimiters: [{left: "$$", right: "$$", '
         'display: true}, {left: "$", right: "$", display: false}]});</script>\n')
MATHJAX = "window.MathJax = {tex: {inlineMath: [['$', '$'], ['\\\\(', '\\\\)']]}};\n"


@pytest.mark.parametrize("where, text", [
    ("layouts/partials/math.html", KATEX), ("assets/js/mathjax-config.js", MATHJAX), (None, ""),
])
def test_single_dollars_follow_the_pages_renderer(tmp_path: Path, where: str | None,
                                                   text: str) -> None:
    (tmp_path / "hugo.toml").write_text(CONFIG)
    if where:
        (tmp_path / where).parent.mkdir(parents=True)
        (tmp_path / where).write_text(text)
    inline = load_hugo_config(tmp_path).math.inline
    assert (("$", "$") in inline) == (where is not None)
    assert ("\\(", "\\)") in inline


@requires_tex
def test_single_dollar_math_is_typeset(site: Site, tmp_path: Path) -> None:
    (site.root / "hugo.toml").write_text(CONFIG)
    (site.root / "layouts" / "partials").mkdir(parents=True)
    (site.root / "layouts" / "partials" / "math.html").write_text(KATEX)
    post = site.post("A map $g: \\Omega \\to \\mathbb{R}$ and \\(h(x)\\).\n")
    done = run_cli("build", str(post), "-o", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    text = unicodedata.normalize("NFKC", pdf_text(tmp_path / "out" / "post" / "post.pdf"))
    assert "A map g : Ω → R and h(x)." in text
