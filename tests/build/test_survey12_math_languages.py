"""Constructs of math-heavy posts in other languages (Japanese, Korean, French, Russian...)
that real posts of the twelfth survey built wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdpaper.arxiv.bundle import make_bundle
from mdpaper.build.post import BuildOptions, build_post

from conftest import Site, pdf_text, requires_tex, squash

ALERT = ('<div class="alert alert-{{ with .Get "class" }}{{.}}{{end}}">'
         '{{ .Inner | markdownify }}</div>\n')


@requires_tex
@pytest.mark.tex
@pytest.mark.parametrize("dots", ["\\cdots", "\\dotsb", "\\dotso"])
def test_amsmath_dots_in_a_heading_of_a_cjk_post_build(site: Site, dots: str) -> None:
    """A Japanese post (xelatex) titled a section "$1+2+\\cdots+N$ の計算": the bookmark
    text of amsmath's look-ahead dots stopped the build ("Improper alphabetic constant")."""
    post = site.post(f"## 和 $1+2+{dots}+N$ の計算\n\n本文です．\n", name="dots.md")
    result = build_post(post)
    assert result.pdf is not None, [str(d) for d in result.diagnostics]
    assert "の計算" in squash(pdf_text(result.pdf))


@requires_tex
@pytest.mark.tex
def test_a_footnote_last_in_a_paired_shortcode_ends_at_its_closing_tag(site: Site) -> None:
    """Hugo renders a {{< alert >}}'s inner text apart: a footnote defined last in it ends
    there. The definition took the closing tag as a lazy line, and the box's end landed
    inside the footnote (TeX: "Extra }, or forgotten \\endgroup")."""
    (site.root / "layouts" / "shortcodes").mkdir(parents=True)
    (site.root / "layouts" / "shortcodes" / "alert.html").write_text(ALERT)
    post = site.post('Before.\n\n{{<alert class="info">}}\nA boxed claim[^n].\n\n'
                     "[^n]: The boxed note.\n{{</alert>}}\n\nAfter the box.\n", name="fn.md")
    result = build_post(post, BuildOptions(engine="pdflatex"))
    assert result.pdf is not None, [str(d) for d in result.diagnostics]
    shown = squash(pdf_text(result.pdf))
    assert "The boxed note." in shown and "After the box." in shown


@requires_tex
@pytest.mark.tex
def test_a_footnote_inside_a_box_keeps_its_text(site: Site) -> None:
    """framed's box kept a footnote's mark and silently dropped its text."""
    post = site.post("> [!NOTE]\n> A remark with a note[^r].\n\n[^r]: Text of the note.\n\n"
                     "After.\n", name="box.md")
    result = build_post(post, BuildOptions(engine="pdflatex"))
    assert result.pdf is not None
    assert "Text of the note." in squash(pdf_text(result.pdf))


@requires_tex
@pytest.mark.tex
def test_mhchem_long_arrows_build_as_the_page_shows_them(site: Site) -> None:
    """A French chemistry course writes \\ce{A + B --> C} and \\pu{2,0 mL} with a no-break
    space: mhchem.js shows a minus and an arrow, and a space; LaTeX's mhchem stopped the
    build ("Unexpected input character")."""
    post = site.post("Réaction :\n$$\n\\ce{H3O^+ + HO- (aq) --> 2 H2O (l)}\n$$\n\n"
                     "Et $\\ce{A <-- B}$ puis $\\ce{A <--> B}$, $\\pu{2,0\u00a0mL}$ et "
                     "$\\ce{A~B}$ fin.\n", name="ce.md")
    result = build_post(post, BuildOptions(engine="pdflatex"))
    assert result.pdf is not None, [str(d) for d in result.diagnostics]
    assert "fin." in squash(pdf_text(result.pdf))


def test_an_indented_line_right_after_a_display_is_paragraph_text(site: Site) -> None:
    """Goldmark reads a display's lines as paragraph text: an indented line after it
    continues that paragraph (bold here), where mdpaper printed it as code."""
    post = site.post("The reaction:\n$$\n    x + y\n$$\n    **It is exothermic.**\n\n"
                     "Next.\n", name="indent.md")
    tex = build_post(post, BuildOptions(tex_only=True)).tex.read_text()
    assert "\\textbf{It is exothermic.}" in tex and "Verbatim" not in tex


@pytest.mark.parametrize(("shortcode", "closing"), [
    ('{{% theorem title="The $n$-sphere" %}}', "{{% /theorem %}}"),
    ('{{< notice note "On $n$ points" >}}', "{{< /notice >}}"),
])
def test_math_in_a_shortcode_title_is_typeset(site: Site, shortcode: str,
                                              closing: str) -> None:
    """A Japanese notes site titles its examples title="$n$次元球面": the template prints the
    title as it is and the page's MathJax typesets it; the paper printed the dollars."""
    post = site.post(f"{shortcode}\nBody.\n{closing}\n", name="title.md")
    tex = build_post(post, BuildOptions(tex_only=True)).tex.read_text()
    assert "\\(n\\)" in tex and "\\$n" not in tex


def test_a_katex_pair_opened_in_a_paragraph_closes_on_its_own_line(site: Site) -> None:
    """hugo-book's {{< katex >}} opened at a line's end, the formula and the closing tag on
    the lines after: the closing line ended the paragraph, the opening lost its pair and
    the formula was printed as text (\\infty as "\\infty")."""
    post = site.post("Written with the point\n{{< katex >}}\n  f(c)=\\infty\n{{< /katex >}}\n"
                     "here.\n", name="katex.md")
    tex = build_post(post, BuildOptions(tex_only=True)).tex.read_text()
    assert "\\(f(c)=\\infty\\)" in tex and "textbackslash" not in tex


def test_dollars_inside_text_of_a_display_among_words(site: Site) -> None:
    """KaTeX's auto-render and MathJax end $$…$$ only outside braces: a display among words
    holding \\text{($p_1$ primes)} is one formula; it was cut at the inner $ and printed."""
    post = site.post("So $$n=\\prod p_k\\quad\\text{($p_1<p_2$ primes)}$$ and $x$.\n",
                     name="text.md")
    tex = build_post(post, BuildOptions(tex_only=True)).tex.read_text()
    assert "\\text{($p_1<p_2$ primes)}" in tex and "\\(x\\)" in tex


@requires_tex
@pytest.mark.tex
def test_the_arxiv_bundle_of_a_box_with_a_footnote_loads_hyperref_last(site: Site,
                                                                       tmp_path: Path) -> None:
    """footnotehyper (a box's notes) after hyperref drew arXiv's check's warning."""
    post = site.post("> [!TIP]\n> Boxed[^b].\n\n[^b]: Note.\n", name="arx.md")
    result = build_post(post, BuildOptions(engine="pdflatex"))
    report = make_bundle(result, abstract=None, outdir=tmp_path)
    assert report.ok and not [w for w in report.warnings if "hyperref" in w], report.warnings
