"""Constructs of posts on popular themes (Hextra, PaperMod, Stack, LoveIt, hugo-book) with
math that the eleventh survey found built wrong."""

from __future__ import annotations

import pytest
from PIL import Image

from mdpaper.build.post import BuildOptions, build_post
from mdpaper.latex.scripts import greek_package

from conftest import PASSTHROUGH, Site, pdf_text, requires_tex, squash


@requires_tex
@pytest.mark.tex
def test_a_tag_inside_aligned_numbers_the_display(site: Site) -> None:
    """KaTeX and MathJax number the whole display by a \\tag written inside its aligned;
    amsmath stopped ("\\tag not allowed here") and the post failed to build."""
    post = site.post("Conics:\n\n$$\n\\begin{aligned}\n  Ax^2 + By^2 = 1 \\tag{7}\n"
                     "\\end{aligned}\n$$\n\nAnd a case:\n\n$$\nf(x) = \\begin{cases} 1 & x > 0"
                     " \\tag{$\\ast$} \\\\ 0 & x \\le 0 \\end{cases}\n$$\n")
    result = build_post(post, BuildOptions(engine="pdflatex"))
    assert result.pdf is not None, [str(d) for d in result.diagnostics]
    shown = squash(pdf_text(result.pdf))
    assert "(7)" in shown and "(∗)" in shown


def test_two_tags_inside_aligned_stay_as_written(site: Site) -> None:
    """Two tags are an error on the page too ("Multiple \\tag"): nothing is moved."""
    post = site.post("$$\n\\begin{aligned} a \\tag{1} \\\\ b \\tag{2} \\end{aligned}\n$$\n")
    tex = build_post(post, BuildOptions(tex_only=True)).tex.read_text()
    assert "a \\tag{1} \\\\ b \\tag{2} \\end{aligned}" in tex


def test_an_inline_shortcode_shows_nothing_where_the_site_does_not_enable_them(
        site: Site) -> None:
    """Posts paste KaTeX's loader as {{< math.inline >}}: Hugo (enableInlineShortcodes
    false, its default) shows nothing of it; the paper printed its template's actions."""
    post = site.post("Before.\n\n{{< math.inline >}}\n{{ if or .Page.Params.math }}\n"
                     '<link rel="stylesheet" href="https://example.org/k.css">\n'
                     "{{ end }}\n{{</ math.inline >}}\n\nAfter {{< hi.inline />}}and *on*.\n")
    result = build_post(post, BuildOptions(tex_only=True))
    tex = result.tex.read_text()
    assert "Before." in tex and "After and \\emph{on}." in tex
    assert "Params" not in tex and "inline" not in tex and not result.diagnostics


def test_an_inline_shortcode_shows_its_template_where_the_site_enables_them(
        site: Site) -> None:
    """Where the site enables them, the page shows what the template prints (its later
    calls too); a template mdpaper does not read is left out with a warning, never
    printed as template code."""
    (site.root / "hugo.toml").write_text('enableInlineShortcodes = true\ntitle = "T"\n'
                                         + PASSTHROUGH)
    post = site.post('For {{< v.inline "x" >}}<b>{{ .Get 0 }}</b>{{< /v.inline >}} and '
                     '{{< v.inline "y" />}} here.\n\n{{< m.inline >}}\n'
                     "{{ if or .Page.Params.math }}\n<link>\n{{ end }}\n"
                     "{{< /m.inline >}}\n\nLast line.\n")
    result = build_post(post, BuildOptions(tex_only=True))
    tex = result.tex.read_text()
    assert "For \\textbf{x} and \\textbf{y} here." in tex and "Params" not in tex
    assert [(d.line, "m.inline" in d.message) for d in result.diagnostics] == [(7, True)]


def test_a_header_row_shorter_than_its_delimiter_row_is_a_table(site: Site) -> None:
    """Goldmark fills the header row with empty cells up to the delimiter row's (a
    generator's extra ``|---|``); the paper printed the pipes as a paragraph. A header
    with more cells than the delimiter row is still no table."""
    post = site.post("| Method | Loss |\n|---|---|---|\n| CLIP | contrastive |\n\n"
                     "| a | b | c |\n|---|---|\n| 1 | 2 | 3 |\n")
    tex = build_post(post, BuildOptions(tex_only=True)).tex.read_text()
    assert tex.count("\\begin{longtable}{@{}lll@{}}") == 1
    assert "CLIP & contrastive &" in tex and "|---|---|---|" not in tex
    assert "| a | b | c |" in tex


def test_a_shortcode_in_an_html_block_after_a_list_is_read(site: Site) -> None:
    """An HTML block that ends a list was read by mistune's own rule, which kept the
    shortcode line inside the HTML: the page shows the figure, the paper printed
    {{< figure … >}} as text."""
    (site.root / "hugo.toml").write_text('title = "T"\n' + PASSTHROUGH
                                         + "\n[markup.goldmark.renderer]\nunsafe = true\n")
    post = site.post('1. First step:\n\n<p align="center">\n  {{< figure src="a.png" '
                     'caption="The plot" >}}\n</p>\n\n- after\n', name="p/index.md")
    Image.new("RGB", (8, 8), "red").save(post.parent / "a.png")
    tex = build_post(post, BuildOptions(tex_only=True)).tex.read_text()
    assert "\\includegraphics" in tex and "\\caption{The plot}" in tex
    assert "\\{\\{" not in tex


@requires_tex
@pytest.mark.tex
@pytest.mark.skipif(not greek_package(), reason="textalpha (texlive-lang-greek) missing")
def test_greek_symbol_variants_in_code_and_text_show_under_pdflatex(site: Site) -> None:
    """ϵ (lunate epsilon) in a Python block stopped pdflatex: greek-fontenc sets the
    symbol variants only in math ("not available in text mode")."""
    post = site.post("Let ϵ and ϱ be small.\n\n```python\nϵ = 1e-4\nr = ϖ + ϵ\n```\n")
    result = build_post(post, BuildOptions(engine="pdflatex"))
    assert result.pdf is not None, [str(d) for d in result.diagnostics]
    shown = squash(pdf_text(result.pdf))
    assert "Let ϵ and ϱ be small." in shown and "ϵ = 1e-4" in shown
