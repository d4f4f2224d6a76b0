"""Titles in the reference list as hugo-cite's page shows them: the CSL title as written
(capitals kept, never sentence-cased), TeX-looking text printed literally, and ``$…$``
typeset as math where the page's KaTeX or MathJax typesets it."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdpaper.bibliography.bibtex_text import rich_text
from mdpaper.build.post import build_post

from conftest import Site, pdf_text, requires_tex, squash

CITE = 'See {{< cite "kruschke2018" >}}.\n'
TITLE = r"The Bayesian New Statistics: $\alpha$-divergence, \Lambda CDM and $\mathbbb{x}$"


def references(title: str = TITLE, **more: object) -> list[dict[str, object]]:
    return [{"id": "kruschke2018", "type": "article-journal", "title": title,
             "author": [{"family": "Kruschke", "given": "John"}],
             "issued": {"date-parts": [[2018]]}, "container-title": "Psychonomic Bulletin",
             **more}]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "math", "expected"),
    [
        (r"$\alpha$-divergence", True, r"{$\alpha$-divergence}"),
        (r"$\alpha$-divergence", False, r"{{\${\textbackslash}alpha\$-divergence}}"),
        # prices, a word TeX does not know, a formula TeX would stop at: text, as written
        ("From $5 to $10", True, r"{From \$5 to \$10}"),
        (r"$\mathbbb{x}$", True,
         r"{{\${\textbackslash}mathbbb{\textbraceleft}x{\textbraceright}\$}}"),
        ("$x^$", True, r"{{\$x{\textasciicircum}\$}}"),
        ("$a#b$", True, r"{{\$a\#b\$}}"),
        (r"<i>$\mu$</i> $O(n^2)$", True, r"\emph{$\mu$}{ $O(n^2)$}"),
    ],
)
def test_formulas_in_titles(text: str, math: bool, expected: str) -> None:
    assert rich_text(text, keep_case=True, math=math) == expected


@requires_tex
@pytest.mark.tex
def test_reference_titles_print_as_the_page_shows_them(tmp_path: Path) -> None:
    site = Site(tmp_path / "site", references())
    text = squash(pdf_text(build_post(site.post(CITE)).pdf))
    # capitals as written (plainnat printed "The bayesian new statistics"), the backslash
    # word literally (it printed "\lambda"), $…$ as math
    assert ("The Bayesian New Statistics: α-divergence, \\Lambda CDM and $\\mathbbb{x}$"
            in text), text


@requires_tex
@pytest.mark.tex
def test_dollars_stay_text_where_the_page_typesets_none(tmp_path: Path) -> None:
    site = Site(tmp_path / "site", references(r"Costs from $\alpha$ to $5 and $10"))
    # passthrough without $…$: the page's MathJax only finds \(…\)
    (site.root / "hugo.toml").write_text(
        'title = "T"\n[markup.goldmark.extensions.passthrough]\nenable = true\n'
        "[markup.goldmark.extensions.passthrough.delimiters]\n"
        "inline = [['\\\\(', '\\\\)']]\nblock = [['\\\\[', '\\\\]']]\n")
    text = squash(pdf_text(build_post(site.post(CITE)).pdf))
    assert r"Costs from $\alpha$ to $5 and $10" in text, text


@requires_tex
@pytest.mark.tex
def test_thesis_type_keeps_its_case(tmp_path: Path) -> None:
    refs = [{"id": "kruschke2018", "type": "thesis", "title": "On Priors",
             "genre": "Habilitation Thesis", "publisher": "MIT",
             "author": [{"family": "Kruschke", "given": "John"}],
             "issued": {"date-parts": [[2018]]}}]  # fmt: skip
    text = squash(pdf_text(build_post(Site(tmp_path / "site", refs).post(CITE)).pdf))
    assert "On Priors. Habilitation Thesis, MIT, 2018" in text, text
