"""Theme shortcodes found on real posts of popular themes (survey 8): what the page shows,
the PDF shows, also where the theme is a git submodule the checkout lacks."""

from __future__ import annotations

import pytest

from mdpaper.build.convert import convert
from mdpaper.build.options import BuildOptions
from mdpaper.build.post import build_post
from mdpaper.errors import MdpaperError
from mdpaper.source.site import load_post

from conftest import Site, pdf_text, requires_hugo, requires_tex, run_hugo, squash

FRONT = "---\ntitle: Survey\nmath: true\n---\n"


def _pdf(site: Site, text: str) -> tuple[str, list[str]]:
    result = build_post(site.post(text, front=FRONT), BuildOptions())
    assert result.pdf is not None
    return squash(pdf_text(result.pdf)), [d.message for d in result.diagnostics]


@requires_tex
def test_loveit_raw_keeps_its_formulas_from_markdown(site: Site) -> None:
    """LoveIt's, DoIt's and FixIt's ``raw`` (their docs' way to keep a formula from
    Goldmark): the theme is a submodule not checked out, and the formula was printed as
    text with its backslashes eaten, ``(a_1 * b_2)``."""
    (site.root / "hugo.toml").write_text('title = "T"\ntheme = "LoveIt"\n')
    text = ("Inline {{< raw >}}\\(a_1 * b_2 * c\\){{< /raw >}} here.\n\n"
            "{{< raw >}}\n\\[ \\sum_{i} x_i * y_i \\]\n{{< /raw >}}\n")
    pdf, warnings = _pdf(site, text)
    assert "a_1" not in pdf and "\\" not in pdf and "(a" not in pdf
    assert "a1 ∗ b2 ∗ c" in pdf and "xi ∗ yi" in pdf
    assert warnings == []


def test_raw_of_a_checked_out_theme_reads_as_the_common_one(site: Site) -> None:
    """The theme's own ``raw`` (LoveIt's: a partial and a script fill the page with the
    inner text) is outside the subset mdpaper reads: the common reading stands in."""
    (site.root / "hugo.toml").write_text('title = "T"\ntheme = "LoveIt"\n')
    folder = site.root / "themes" / "LoveIt" / "layouts" / "_shortcodes"
    folder.mkdir(parents=True)
    (folder / "raw.html").write_text('{{- $id := dict "Content" .Inner | partial "id.html" -}}'
                                     '\n<data id="{{ $id }}" data-raw></data>')
    post = site.post("{{< raw >}}\n\\[ x_{1} * y \\]\n{{< /raw >}}\n", front=FRONT)
    result = convert(load_post(post), "post").result
    assert "x_{1} * y" in result.body and result.diagnostics == []


@requires_tex
def test_list_items_opening_with_headings_after_a_heading(site: Site) -> None:
    """hugo-book's ``columns`` is a list whose items open with headings (``- ### Left``):
    right after a heading, TeX stopped at the second item ("perhaps a missing \\item")."""
    text = ("## Example\n\n{{% columns %}}\n- ### Left side\n  First text.\n\n"
            "- ### Right side\n  Second text.\n{{% /columns %}}\n")
    pdf, warnings = _pdf(site, text)
    assert "1.1 Left side First text." in pdf and "1.2 Right side Second text." in pdf
    assert warnings == []


#: a theme's link template guarding its argument with errorf, as Hugo's docs advise
GUARDED_LINK = ('{{- $url := .Get "url" -}}\n{{- if not $url -}}\n'
                '  {{ errorf "missing value for param \'url\': %s" .Position }}\n{{- end -}}\n'
                '<a href="{{ $url }}" target="_blank">{{ .Get "title" }}</a>')


@requires_hugo
def test_a_template_guarded_by_errorf_is_read(site: Site) -> None:
    """A template that stops the build with ``errorf`` when an argument is missing: the link
    it makes was left out ("unknown shortcode"); a call without the argument fails Hugo's
    build, and mdpaper's, at its line."""
    folder = site.root / "layouts" / "shortcodes"
    folder.mkdir(parents=True)
    (folder / "external_link.html").write_text(GUARDED_LINK)
    (site.root / "layouts" / "_default").mkdir(parents=True)
    (site.root / "layouts" / "_default" / "single.html").write_text("{{ .Content }}")
    good = 'See {{< external_link url="https://example.org/a" title="the docs" >}} now.\n'
    site.post(good, front=FRONT)
    assert run_hugo(site.root).returncode == 0
    result = convert(load_post(site.post(good, front=FRONT)), "post").result
    assert "\\href{https://example.org/a}{the docs}" in result.body
    assert result.diagnostics == []
    bad = 'Text.\n\nSee {{< external_link title="the docs" >}} now.\n'
    site.post(bad, front=FRONT)
    assert "missing value for param" in run_hugo(site.root).stderr
    with pytest.raises(MdpaperError) as stopped:
        convert(load_post(site.post(bad, front=FRONT)), "post")
    assert stopped.value.line == 7
    assert "stops Hugo's build here: missing value for param 'url': …" in str(stopped.value)


@requires_tex
def test_an_id_the_page_repeats_is_one_link_target(site: Site) -> None:
    """Two shortcodes drawing the same inline SVG, each ``id="Layer_1"``: the second label
    made TeX warn of labels "multiply defined", at no line of the post."""
    (site.root / "hugo.toml").write_text('title = "T"\n[markup.goldmark.renderer]\n'
                                         'unsafe = true\n')
    icon = '<span id="Layer_1">icon</span>'
    text = (f"## Top\n\nFirst {icon} here.\n\nSecond {icon} there.\n\n"
            f'<div id="top">Block</div>\n\n[back](#Layer_1) and [up](#top).\n')
    pdf, warnings = _pdf(site, text)
    assert "First icon here. Second icon there. Block back and up." in pdf
    assert warnings == []


@requires_tex
def test_fold_is_a_titled_box_where_the_post_closes_it(site: Site) -> None:
    """``{{% fold "title" %}}…{{% /fold %}}`` (a folded block, the theme a submodule the
    checkout lacks) lost its title ("unknown shortcode left out"); a ``fold`` the post never
    closes is a site's own shortcode (one showing a file), left out as before."""
    (site.root / "hugo.toml").write_text('title = "T"\ntheme = ["hugo-video", "even"]\n')
    text = ('Before.\n\n{{% fold "The proof" %}}\nInside $x^2$.\n{{% /fold %}}\n\n'
            '{{< fold title="Notes" >}}\nMore.\n{{< /fold >}}\n\nAfter.\n')
    pdf, warnings = _pdf(site, text)
    assert "Before. The proof. Inside x2 . Notes. More. After." in pdf and warnings == []
    lone = site.post("Before.\n\n{{< fold arch.py >}}\n\nAfter.\n", front=FRONT)
    result = convert(load_post(lone), "post").result
    assert [d.message for d in result.diagnostics] == ["unknown shortcode 'fold' left out"]
    assert "Before.\n\nAfter." in result.body


@requires_tex
def test_blowfish_lead_keywords_and_embeds(site: Site) -> None:
    """Blowfish's (Congo's) ``lead``, ``keyword``/``keywordList``, ``ltr``/``rtl`` only
    style their text: each was "left out around its content" with a warning. Its
    ``github`` repository card and ``youtubeLite`` player are links, as other embeds are."""
    (site.root / "hugo.toml").write_text('title = "T"\ntheme = "blowfish"\n')
    text = ("{{< lead >}}\nThe opening sentence.\n{{< /lead >}}\n\n"
            "A {{< keyword >}}key skill{{< /keyword >}} here.\n\n"
            "{{< keywordList >}}\n{{< keyword icon=\"github\" >}} *One* {{< /keyword >}}\n"
            "{{< /keywordList >}}\n\n{{< rtl >}}\nRight to left.\n{{< /rtl >}}\n\n"
            '{{< github repo="octo/tool" >}}\n\n'
            '{{< youtubeLite id="abc123" label="The talk" >}}\n')
    pdf, warnings = _pdf(site, text)
    assert "The opening sentence. A key skill here. One Right to left." in pdf
    assert "[GitHub: https://github.com/octo/tool]" in pdf
    assert "[YouTube, The talk: https://www.youtube.com/watch?v=abc123]" in pdf
    assert warnings == ["shortcode 'github' embeds web content; a paper shows only a link",
                        "shortcode 'youtubeLite' embeds web content; a paper shows only a link"]


@requires_tex
def test_hextra_file_tree_is_a_nested_list_of_names(site: Site) -> None:
    """Hextra's ``filetree/container``, ``folder`` and ``file`` (templates that draw icons
    through partials, or a theme not checked out): the names were all left out."""
    (site.root / "hugo.toml").write_text('title = "T"\ntheme = "hextra"\n')
    text = ('Before.\n\n{{< filetree/container >}}\n  {{< filetree/folder name="content" >}}\n'
            '    {{< filetree/file name="_index.md" >}}\n'
            '    {{< filetree/folder name="docs" state="closed" >}}\n'
            '      {{< filetree/file name="guide.md" >}}\n    {{< /filetree/folder >}}\n'
            '  {{< /filetree/folder >}}\n  {{< filetree/file name="hugo.toml" >}}\n'
            '{{< /filetree/container >}}\n\nAfter.\n')
    pdf, warnings = _pdf(site, text)
    assert "Before. • content – _index.md – docs ∗ guide.md • hugo.toml After." in pdf
    assert warnings == []


@requires_tex
def test_raw_html_lists_deeper_than_four_levels(site: Site) -> None:
    """A file tree five folders deep (Hextra's docs): LaTeX stopped, "Too deeply nested"."""
    (site.root / "hugo.toml").write_text('title = "T"\n[markup.goldmark.renderer]\n'
                                         'unsafe = true\n')
    nested = "".join(f"<ul><li>level{n}" for n in range(1, 7)) + "</li></ul>" * 6
    pdf, warnings = _pdf(site, f"- Outer\n\n  {nested}\n")
    assert "level1" in pdf and "level6" in pdf and warnings == []
