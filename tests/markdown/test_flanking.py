"""Emphasis markers beside East Asian punctuation: the page prints them as text
(CommonMark's flanking rules, which Goldmark keeps), the paper does the same and warns
where. Hugo is the oracle of which paragraphs get their emphasis."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdpaper.build.options import BuildOptions
from mdpaper.build.post import build_post
from mdpaper.markdown.flanking import unflanked_emphasis

from conftest import Site, pdf_text, requires_hugo, requires_tex, run_hugo, squash

#: paragraph -> the marker the page prints as text (None: its emphasis is made)
CASES = {
    "重要，**全部的方法都基于它。**定理的证明。": "**",  # closes after 。 before a letter
    "这是**「引用」**的话。": "**",  # opens after a letter before 「
    "**注意：**这里要小心。": "**",
    "这是_强调_的写法。": "_",  # an underscore between two letters
    "これは*強調。*です。": "*",
    "这是**粗体**，很好。": None,
    "**粗体**和*斜体*都行。": None,
    "变量 my_var 和 your_var 的值。": None,
    "代码 `a**b：` 和 `c**d` 不算。": None,
    "English **bold.**Next is no East Asian text.": None,
}


@pytest.mark.parametrize(("text", "marker"), list(CASES.items()))
def test_markers_the_page_prints(text: str, marker: str | None) -> None:
    assert unflanked_emphasis(text) == marker


@requires_hugo
def test_hugo_agrees_on_which_paragraphs_get_their_emphasis(tmp_path: Path) -> None:
    meant = [text for text in CASES if "粗体" in text or CASES[text]]  # emphasis meant
    site = Site(tmp_path / "site")
    (site.root / "hugo.toml").write_text('title = "T"\n')
    (site.root / "layouts" / "_default").mkdir(parents=True)
    (site.root / "layouts" / "_default" / "single.html").write_text("{{ .Content }}")
    site.post("\n\n".join(meant) + "\n", name="e.md", front="---\ntitle: e\n---\n\n")
    assert run_hugo(site.root).returncode == 0
    page = (site.root / "public" / "posts" / "e" / "index.html").read_text()
    paragraphs = page.split("</p>")[:len(meant)]
    for text, paragraph in zip(meant, paragraphs, strict=True):
        made = "<strong>" in paragraph or "<em>" in paragraph
        assert made == (CASES[text] is None), paragraph


@requires_tex
def test_the_paper_prints_them_and_says_where(site: Site) -> None:
    post = site.post("这是**粗体**，很好。\n\n- **注意：**这里要小心。\n- 其他\n", name="w.md")
    result = build_post(post, BuildOptions(outdir=site.root / "out"))
    assert result.pdf is not None
    warnings = [str(d) for d in result.diagnostics]
    assert len(warnings) == 1 and warnings[0].startswith(f"{post}:7: warning: the web page "
                                                         "shows '**' as text here")
    text = squash(pdf_text(result.pdf)).replace(" ", "")
    assert "这是粗体，很好。" in text and "**注意：**这里要小心。" in text
