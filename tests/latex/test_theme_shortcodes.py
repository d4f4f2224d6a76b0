"""Shortcodes as Hugo and the common themes show them: param values, hugo-cite's variants,
tabs and columns, buttons, box titles as written, Mermaid as its source, translations named
after their bundle."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdpaper.build.check import check_post
from mdpaper.build.convert import convert
from mdpaper.build.post import BuildOptions, build_post
from mdpaper.errors import MdpaperError
from mdpaper.source.site import load_post, output_name

from conftest import Site, pdf_text, requires_tex, squash


def body(site: Site, text: str, front: str | None = None) -> tuple[str, list[str]]:
    post = load_post(site.post(text, front=front))
    result = convert(post, "post").result
    return result.body, [f"{d.line}: {d.severity}: {d.message}" for d in result.diagnostics]


FRONT = ("---\ntitle: Params\nbibFile: data/bibliography.json\nteam: Alpha\n"
         "params:\n  deep:\n    level: seven\n---\n")


def test_param_reads_the_page_then_the_site(site: Site) -> None:
    (site.root / "hugo.toml").write_text('title = "T"\n[params]\nowner = "Site owner"\n')
    tex, warnings = body(site, 'By {{< param "team" >}}, {{< param "deep.level" >}}, '
                               '{{< param "title" >}} and {{< param "owner" >}}.\n', FRONT)
    assert "By Alpha, seven, Params and Site owner." in tex
    assert warnings == []


def test_a_param_nobody_sets_is_a_located_error(site: Site) -> None:
    post = load_post(site.post('x\n\n{{< param "teem" >}}\n', front=FRONT))
    with pytest.raises(MdpaperError, match=r"param 'teem'.*did you mean 'team'") as err:
        convert(post, "post")
    assert err.value.line == 11


@pytest.mark.parametrize("call, latex", [
    ('{{< cite "-shannon1948" >}}', "\\citeyearpar{shannon1948}"),
    ('{{< cite "shannon1948" suppressAuthor="true" >}}', "\\citeyearpar{shannon1948}"),
    ('{{< cite "shannon1948" 42 >}}', "\\citep[p.~42]{shannon1948}"),
    ('{{< cite "shannon1948" pages="12-15" >}}', "\\citep[pp.~12--15]{shannon1948}"),
    ('{{< cite key="cover2006" >}}', "\\citep{cover2006}"),
    # sites' own cite shortcodes that take a style word first
    ('{{< cite t shannon1948 >}}', "\\citet{shannon1948}"),
    ('{{< cite alp shannon1948 >}}', "\\citealp{shannon1948}"),
    ('{{< cite f shannon1948 >}}', "\\citet{shannon1948}"),
    ('{{< cite full shannon1948 >}}', "\\citep{shannon1948}"),  # unknown word, known key
])
def test_hugo_cite_variants(site: Site, call: str, latex: str) -> None:
    assert latex in body(site, f"See {call}.\n")[0]


def test_layout_shortcodes_show_their_content_and_boxes_keep_titles(site: Site) -> None:
    text = ("{{< tabs >}}\n{{< tab \"Python\" >}}\nPython text.\n{{< /tab >}}\n"
            "{{< tab name=\"Go\" >}}\nGo text.\n{{< /tab >}}\n{{< /tabs >}}\n\n"
            "{{< columns >}}\nLeft column.\n{{< /columns >}}\n\n"
            "{{< button href=\"https://example.org/x\" >}}\nPress here\n{{< /button >}}\n\n"
            "{{% notice warning \"watch OUT: as written\" %}}\nCareful.\n{{% /notice %}}\n\n"
            "```mermaid\ngraph TD; A-->B\n```\n")
    tex, warnings = body(site, text)
    assert "{Python.}" in tex and "Python text." in tex and "Go text." in tex
    assert "Left column." in tex and "Press here" in tex
    assert "\\url{https://example.org/x}" in tex
    assert "{watch OUT: as written.}" in tex  # no .capitalize()
    assert [w for w in warnings if "Mermaid" in w] and not [w for w in warnings
                                                           if "unknown shortcode" in w]


@pytest.mark.parametrize("name, expected", [
    ("index.de.md", "bundle-de"), ("index.md", "bundle"), ("post.zh-cn.md", "post-zh-cn"),
    ("notes.old.md", "notes.old"),
])
def test_translations_are_named_after_their_bundle(site: Site, name: str, expected: str) -> None:
    path = site.root / "content" / "posts" / "bundle" / name
    if not name.startswith("index"):
        path = site.root / "content" / "posts" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\ntitle: T\n---\nText.\n")
    assert output_name(load_post(path)) == expected


def test_side_and_margin_notes_are_footnotes(site: Site) -> None:
    tex, warnings = body(site, "Main {{< sidenote >}}an *aside*{{< /sidenote >}} text "
                               "and {{< marginnote >}}open to the end.\n")
    assert "Main \\footnote{an \\emph{aside}} text and \\footnote{open to the end.}" in tex
    assert warnings == []


def test_a_lone_katex_shortcode_only_loads_the_renderer(site: Site) -> None:
    # Blowfish and Congo: {{< katex >}} alone turns KaTeX on for the page and shows nothing
    tex, warnings = body(site, "{{< katex >}}\n\nText $x^2$ and {{< katex >}}a+b{{< /katex >}}.\n")
    assert warnings == []
    assert "Text \\(x^2\\) and \\(a+b\\)." in tex


def test_an_unknown_shortcode_is_told_once_with_its_uses(site: Site) -> None:
    """A theme's shortcode used all over a post gives one warning, at its first use, naming
    the other lines; a paired one keeps its content and says so."""
    text = ("Since {{< version \"1.0\" >}} and {{< version 2 >}}.\n\n"
            "{{< env title=\"Lemma 1\" >}}\nThe lemma's own words.\n{{< /env >}}\n\n"
            "# Heading {{< version 3 >}}\n\n"
            + "".join(f"Use {{{{< version {n} >}}}}.\n\n" for n in range(4, 10)))
    tex, _ = body(site, text)
    assert "The lemma's own words." in tex and "version" not in tex
    told = [f"{d.line}: {d.message}" for d in check_post(site.post(text, "again.md"))]
    assert told == [
        "5: unknown shortcode 'version' left out (also on lines 11, 13, 15, 17 and 3 more)",
        "7: unknown shortcode 'env' left out around its content (the content is kept)"]


def test_loveit_link_and_style_show_what_the_page_shows(site: Site) -> None:
    """LoveIt, DoIt and FixIt (popular with Chinese-speaking bloggers): ``link`` is a link
    showing its content (else its address); ``style`` only styles its Markdown content."""
    text = ('See {{< link "https://gohugo.io/" >}}, {{< link href="https://example.org/a_b" '
            'content="the docs" title="T" >}} and {{< link "https://x.org" "X site" >}}.\n\n'
            '{{< style "text-align:right;" >}}\nStrange things are *happening*.\n'
            '{{< /style >}}\n')
    tex, warnings = body(site, text)
    assert ("See \\url{https://gohugo.io/}, \\href{https://example.org/a_b}{the docs} and "
            "\\href{https://x.org}{X site}.") in tex
    assert "Strange things are \\emph{happening}." in tex
    assert warnings == [] and "text-align" not in tex


def test_relative_links_resolve_against_the_pages_address(site: Site) -> None:
    """On a site that names its baseURL, ``../other/`` and a bundle file link where the
    browser takes them from the page's own address."""
    (site.root / "hugo.toml").write_text('title = "T"\nbaseURL = "https://example.org/"\n')
    tex, warnings = body(site, "See [the other post](../other/) and [the data](data.csv) "
                               "and [home](/about/).\n")
    assert ("See \\href{https://example.org/posts/other/}{the other post} and "
            "\\href{https://example.org/posts/post/data.csv}{the data} and "
            "\\href{https://example.org/about/}{home}.") in tex
    assert warnings == []


PUBLICATION = ('---\ntitle: "A made-up paper"\nauthors: ["admin", "Second Author"]\n'
               'date: 2021-06-01\npublication: "*In Proceedings of Nothing*"\n---\nAbstract.\n')


@requires_tex
def test_hugo_blox_site_pages_mention_staticref_and_a_cited_publication_as_input(
        site: Site) -> None:
    """Hugo Blox's mention (the person's profile title), staticref (its text linked to the
    site's file) and spoiler (titled by text=); both were left out with a warning. The
    publication page a cite shows is an input of the build: a new title rebuilds."""
    (site.root / "hugo.toml").write_text('title = "T"\nbaseURL = "https://example.org/"\n')
    (site.root / "content" / "publication" / "made-up").mkdir(parents=True)
    (site.root / "content" / "publication" / "made-up" / "index.md").write_text(PUBLICATION)
    (site.root / "content" / "authors" / "admin").mkdir(parents=True)
    (site.root / "content" / "authors" / "admin" / "_index.md").write_text(
        "---\ntitle: First Author\n---\n")
    tex, warnings = body(site, '{{< staticref "uploads/cv.pdf" "newtab" >}}My CV{{< /staticref >}}'
                               ' by {{< mention "admin" >}} and {{< mention "nobody" >}}.\n'
                               '\n{{< spoiler text="Show the answer" >}}\nHidden.\n'
                               '{{< /spoiler >}}\n', "---\ntitle: Blox\n---\n")
    assert tex.startswith("\\href{https://example.org/uploads/cv.pdf}{My CV} by First Author "
                          "and nobody.")
    assert "{Show the answer.}" in tex and warnings == []
    result = build_post(site.post('See {{< cite page="/publication/made-up" >}}\n',
                                  front="---\ntitle: Blox\n---\n"), BuildOptions())
    assert "First Author, Second Author (2021). A made-up paper. In Proceedings of " \
        "Nothing." in squash(pdf_text(result.pdf))
    (site.root / "content" / "publication" / "made-up" / "index.md").write_text(
        PUBLICATION.replace("A made-up paper", "Renamed"))
    again = build_post(site.post('See {{< cite page="/publication/made-up" >}}\n',
                                 front="---\ntitle: Blox\n---\n"), BuildOptions())
    assert not again.up_to_date and "(2021). Renamed." in squash(pdf_text(again.pdf))


@requires_tex
def test_hugo_blox_table_shows_its_csv_and_a_changed_csv_rebuilds(site: Site,
                                                                  tmp_path: Path) -> None:
    """Hugo Blox's ``{{< table path="results.csv" >}}`` shows the bundle's CSV as a table
    (cells through markdownify, the caption under it as written); it was left out with an
    "unknown shortcode" warning. The CSV is an input: editing it builds the paper again."""
    bundle = site.root / "content" / "posts" / "tabled"
    bundle.mkdir(parents=True)
    (bundle / "results.csv").write_text("Model,Score $F_1$\n**Ours**,0.93\nBase,0.71\n")
    post = bundle / "index.md"
    post.write_text('---\ntitle: Tabled\n---\nBefore.\n\n{{< table path="results.csv" '
                    'header="true" caption="Table 1: *Made-up* scores" >}}\n\nAfter.\n')
    options = BuildOptions(outdir=tmp_path / "out")
    result = build_post(post, options)
    text = squash(pdf_text(result.pdf))
    assert "Model Score F1" in text and "Ours" in text and "0.93" in text  # (read by column)
    assert text.index("0.71") < text.index("Table 1: Made-up scores After.")
    assert "\\textbf{Ours}" in result.tex.read_text() and result.diagnostics == []
    assert build_post(post, options).up_to_date
    (bundle / "results.csv").write_text("Model,Score\nOurs,0.95\n")
    again = build_post(post, options)
    assert not again.up_to_date and "0.95" in squash(pdf_text(again.pdf))
    post.write_text('---\ntitle: Tabled\n---\n{{< table path="result.csv" >}}\n')
    with pytest.raises(MdpaperError, match="table file 'result.csv' not found"):
        convert(load_post(post), "tabled")


THEME_QUOTES = ('{{< quote author="A. Writer" source="A Book" url="https://example.org/b" >}}\n'
                "Quoted *words*.\n{{< /quote >}}\n\n"
                '{{< blockquote author="B. Speaker" >}}\nSpoken words.\n{{< /blockquote >}}\n\n'
                '{{< epigraph pre="C. Poet, " cite="Poems" >}}\nA line of verse.\n'
                "{{< /epigraph >}}\n\n"
                '{{< collapse summary="Open me" >}}\nFolded text.\n{{< /collapse >}}\n\n'
                "{{< typeit >}}\nTyped out.\n{{< /typeit >}}\n\n{{< bilibili BV1xx411c7mD >}}\n")


@requires_tex
def test_theme_quotes_keep_their_attribution_and_collapse_its_title(site: Site,
                                                                     tmp_path: Path) -> None:
    """Themes' quotation shortcodes (Stack's quote, blockquote, Tufte's epigraph) are
    quotations with the author and source under them, as the page prints them; the text
    was kept but the attribution lost. A collapse box keeps its summary; typeit's text is
    plain text; a bilibili video is a link, as other embeds are."""
    result = build_post(site.post(THEME_QUOTES), BuildOptions(outdir=tmp_path / "out"))
    text = squash(pdf_text(result.pdf))
    assert "Quoted words. — A. Writer, A Book" in text
    assert "Spoken words. — B. Speaker" in text and "A line of verse. — C. Poet, Poems" in text
    assert "Open me. Folded text." in text and "Typed out." in text
    assert "https://www.bilibili.com/video/BV1xx411c7mD" in text
    tex = result.tex.read_text()
    assert "\\href{https://example.org/b}{A Book}" in tex
    assert [d.message for d in result.diagnostics] == [
        "shortcode 'bilibili' embeds web content; a paper shows only a link"]


@requires_tex
def test_a_self_closing_box_is_a_box_with_its_title(site: Site) -> None:
    """{{< admonition title="Why?" />}} has no inner text and no closing tag: the page shows
    its titled box, empty. It opened a box that took the rest of the post in, closed at the
    document's end (nested in the next box, TeX ran out of input stack)."""
    post = site.post('Before.\n\n{{< admonition type="question" title="Why so?" />}}\n\n'
                     "Between.\n\n{{% admonition type=\"tip\" title=\"Tip\" %}}\nInside.\n"
                     "{{% /admonition %}}\n\nAfter.\n")
    result = build_post(post, BuildOptions(outdir=site.root / "out"))
    assert result.pdf is not None and result.diagnostics == []
    tex = result.tex.read_text()
    body_tex = tex[tex.index("\\maketitle"):]
    assert body_tex.count("\\begin{mdpaperbox}") == body_tex.count("\\end{mdpaperbox}") == 2
    assert body_tex.index("Between.") > body_tex.index("\\end{mdpaperbox}")
    text = squash(pdf_text(result.pdf))
    assert "Why so?" in text and "Inside." in text and "After." in text
