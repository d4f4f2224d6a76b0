"""A site's own shortcode templates (``source.site_templates``): the paper shows what the page
shows, checked against the Hugo binary's own page and the PDF's text; a template outside
the subset keeps the located warning."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from mdpaper.build.convert import convert
from mdpaper.build.options import BuildOptions
from mdpaper.build.post import build_post
from mdpaper.source.site import load_post
from mdpaper.source.site_templates import expand, read_template

from conftest import Site, pdf_text, requires_hugo, requires_tex, run_hugo, squash

FRONT = "---\ntitle: Templates\n---\n"


def templates(site: Site, found: dict[str, str], folder: str = "layouts/_shortcodes") -> None:
    for name, text in found.items():
        path = site.root / folder / f"{name}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def page_text(site: Site, text: str) -> str:
    """The words Hugo's own page shows for the post (scripts and tags left out)."""
    layouts = site.root / "layouts" / "_default"
    layouts.mkdir(parents=True, exist_ok=True)
    (layouts / "single.html").write_text("{{ .Content }}")
    site.post(text, name="page.md", front=FRONT)
    done = run_hugo(site.root)
    assert done.returncode == 0, done.stderr
    shown = (site.root / "public" / "posts" / "page" / "index.html").read_text(encoding="utf-8")
    shown = re.sub(r"<script[\s\S]*?</script>", "", shown)
    shown = re.sub(r"</?(?:p|div|main)\b[^>]*>", " ", shown)  # blocks part words
    return squash(html.unescape(re.sub(r"<[^>]+>", "", shown)))


def paper(site: Site, text: str) -> tuple[str, str, list[str]]:
    """The post's LaTeX body, its PDF's text and its warnings."""
    post = site.post(text, front=FRONT)
    tex = convert(load_post(post), "post").result.body
    result = build_post(post, BuildOptions())
    assert result.pdf is not None
    warnings = [f"{d.line}: {d.message}" for d in result.diagnostics if d.severity == "warning"]
    return tex, squash(pdf_text(result.pdf)), warnings


def same_words(page: str, pdf: str, *phrases: str) -> None:
    for phrase in phrases:
        assert phrase in page, (phrase, page)
        assert phrase in pdf, (phrase, pdf)


@pytest.mark.tex
@requires_tex
@requires_hugo
def test_arguments_shown_escaped_linked_and_hidden_as_on_the_page(site: Site) -> None:
    templates(site, {
        "url": '<a href="{{ .Get 0 }}">{{ .Get 0 }}</a><script>var hidden = 1;</script>\n',
        "shout": "{{ .Get 0 }}|{{ .Get 0 | safeHTML }}|{{ index .Params 1 | htmlEscape }}",
    })
    templates(site, {"older": "<em>older {{ .Get \"word\" }}</em>"}, "layouts/shortcodes")
    text = ('Go to {{< url "https://example.org/p" >}} now; {{< older word="Kept" >}} too.\n\n'
            '{{< shout "<b>Bold</b> & co" "<i>x</i>" >}}\n')
    page = page_text(site, text)
    tex, pdf, warnings = paper(site, text)
    same_words(page, pdf, "Go to https://example.org/p now; older Kept too.",
               "<b>Bold</b> & co|Bold & co|&lt;i&gt;x&lt;/i&gt;")
    assert "\\href{https://example.org/p}{https://example.org/p}" in tex
    assert "\\emph{older Kept}" in tex and "\\textbf{Bold}" in tex
    assert "hidden" not in pdf and warnings == []


def test_a_tikzjax_script_a_template_writes_is_drawn_from_the_calls_lines(site: Site) -> None:
    """A site's tikz shortcode puts its text in <script type="text/tikz"> (Hugo 0.168's page
    holds the script, TikZJax draws the picture from it): the paper draws it with TikZ
    (``latex.tikz``; it was left out with a warning), each line at its post line; other
    scripts stay silent, as the page shows nothing of them."""
    (site.root / "hugo.toml").write_text('title = "T"\n[markup.goldmark.renderer]\nunsafe = true\n')
    templates(site, {"tikz": '<script type="text/tikz">{{ .Inner | safeHTML }}</script>\n'})
    post = site.post("A square:\n\n{{< tikz >}}\n\\begin{tikzpicture}\n\\draw (0,0) "
                     "rectangle (1,1);\n\\end{tikzpicture}\n{{< /tikz >}}\n\n"
                     "<script>var x = 1;</script>\n", front=FRONT)
    result = convert(load_post(post), "post").result
    assert result.diagnostics == [] and "var x" not in result.body
    assert "\\begin{tikzpicture}\n\\draw" in result.body
    tex_line = result.body.split("\n").index("\\draw (0,0) rectangle (1,1);") + 1
    first = result.source_map.entries[0][0]  # (the body's first line, in the document)
    assert result.source_map.md_line(first - 1 + tex_line) == 8


@pytest.mark.tex
@requires_tex
@requires_hugo
def test_inner_text_markdownified_or_as_it_is(site: Site) -> None:
    templates(site, {
        "caveat": '<div class="c"><b>{{ .Get "title" }}</b> {{ .Inner | markdownify }}</div>',
        "said": "<span>{{ .Inner | .Page.RenderString }}</span>",
        "verbatim": '<span class="v">{{ .Inner }}</span>',
    })
    text = ('{{< caveat title="Mind this" >}}\nFirst *point* here.\n\nSecond point.\n'
            '{{< /caveat >}}\n\n'
            'He {{< said >}}spoke *softly*{{< /said >}} and '
            '{{< verbatim >}}wrote *stars* <b>bold</b>{{< /verbatim >}} then left.\n')
    page = page_text(site, text)
    tex, pdf, warnings = paper(site, text)
    same_words(page, pdf, "Mind this First point here.", "Second point.",
               "He spoke softly and wrote *stars* bold then left.")
    assert "\\textbf{Mind this}" in tex and "\\emph{point}" in tex
    assert "\\emph{softly}" in tex and "\\textbf{bold}" in tex
    assert warnings == []


@pytest.mark.tex
@requires_tex
@requires_hugo
def test_with_if_default_variables_comments_and_trimming(site: Site) -> None:
    templates(site, {"greet": (
        '{{- /* greets */ -}}\n'
        '{{ with .Get "who" }}Hello <i>{{ . }}</i>{{ end }}\n'
        '{{- if .Get "x" }} X is {{ .Get "x" }}{{ else }} no X{{ end }}\n'
        '{{- $v := .Get "y" | default "fallback" }}, v is {{ $v }}, named {{ .IsNamedParams }}'
    )})
    text = 'A {{< greet who="Ann" y="" >}}.\n\nB {{< greet x="1" y="set" >}}.\n'
    page = page_text(site, text)
    tex, pdf, warnings = paper(site, text)
    same_words(page, pdf, "A Hello Ann no X, v is fallback, named true.",
               "B X is 1, v is set, named true.")
    assert "\\emph{Ann}" in tex and warnings == []


@requires_hugo
def test_lookup_order_and_built_ins_win(site: Site) -> None:
    theme = site.root / "themes" / "t"
    config = site.root / "hugo.toml"
    config.write_text('theme = "t"\n' + config.read_text())
    templates(site, {"a": "SITE-NEW", "c": "SITE-NEW"})
    templates(site, {"a": "SITE-OLD", "b": "SITE-OLD", "d": "SITE-OLD"}, "layouts/shortcodes")
    for folder, found in (("_shortcodes", {"b": "THEME-NEW", "c": "THEME-NEW"}),
                          ("shortcodes", {"d": "THEME-OLD", "e": "THEME-OLD"})):
        for name, shown in found.items():
            (theme / "layouts" / folder).mkdir(parents=True, exist_ok=True)
            (theme / "layouts" / folder / f"{name}.html").write_text(shown)
    text = "a {{< a >}} b {{< b >}} c {{< c >}} d {{< d >}} e {{< e >}}\n"
    shown = "a SITE-NEW b THEME-NEW c SITE-NEW d SITE-OLD e THEME-OLD"
    assert shown in page_text(site, text)
    tex = convert(load_post(site.post(text, front=FRONT)), "post").result.body
    assert shown in tex
    # a site's template of a shortcode mdpaper knows does not replace mdpaper's rendering
    templates(site, {"tip": "<i>{{ .Inner }}</i>", "sup": "SUP"})
    post = load_post(site.post("{{< tip >}}\nText.\n{{< /tip >}}\n\nx {{< sup 2 >}}\n",
                               front=FRONT))
    tex = convert(post, "post").result.body
    assert "\\begin{mdpaperbox}{Tip.}" in tex and "\\textsuperscript{2}" in tex


RAW_POST = ("Before.\n\n{{< rawhtml >}}\n$$\n\\begin{aligned}\nx &= a_{1}\\\\[4pt]\n"
            "y &= \\{ b \\}\n\\end{aligned}\n$$\n{{< /rawhtml >}}\n\n"
            "{{< rawhtml >}}\n<p>Some <b>bold</b> text and $c_{2}$.</p>\n{{< /rawhtml >}}\n")


@requires_hugo
def test_rawhtml_reads_as_its_common_template_where_the_theme_is_absent(site: Site) -> None:
    # no passthrough: Goldmark would read the formula's \\ and \{ had it been Markdown
    (site.root / "hugo.toml").write_text('title = "T"\ntheme = "PaperMod"\n')
    templates(site, {"rawhtml": "<!-- raw html -->\n{{- .Inner }}\n"},
              "themes/PaperMod/layouts/shortcodes")
    page = page_text(site, RAW_POST)
    assert "x &= a_{1}\\\\[4pt] y &= \\{ b \\}" in page and "Some bold text and $c_{2}$" in page
    with_theme = convert(load_post(site.post(RAW_POST, front=FRONT)), "post").result
    # the theme (a Hugo module, a submodule not checked out) is not in the site's folder
    shutil.rmtree(site.root / "themes")
    without = convert(load_post(site.post(RAW_POST, front=FRONT)), "post").result
    assert without.body == with_theme.body and "\\\\[4pt]" in without.body
    assert "\\textbf{bold}" in without.body and "\\(c_{2}\\)" in without.body
    assert [d.message for d in without.diagnostics] == []


@pytest.mark.tex
@requires_tex
@requires_hugo
def test_templates_called_in_another_ones_inner_text_are_expanded_first(site: Site) -> None:
    """A list template around item templates (a site's hand-made endnotes): Hugo renders the
    inner calls before the outer template takes ``.Inner``. Their tags were printed as
    ``{{}}`` inside a list with no item, and TeX stopped ("perhaps a missing \\item")."""
    (site.root / "hugo.toml").write_text('title = "T"\n[markup.goldmark.renderer]\nunsafe = true\n')
    templates(site, {"notes": '<div class="n"><ol>\n{{ .Inner }}\n</ol></div>',
                     "note": '<li id="n{{ .Get 0 }}">{{ .Inner }}</li>'})
    text = ('Before.\n\n{{<notes>}}\n{{<note "1">}}\nFirst $x$ note.\n{{</note>}}\n'
            '{{<note "2">}}Second note.{{</note>}}\n{{</notes>}}\n\nAfter.\n')
    page = page_text(site, text)
    tex, pdf, warnings = paper(site, text)
    assert "Before. First $x$ note. Second note. After." in page
    assert "Before. 1. First x note. 2. Second note. After." in pdf
    assert "{" not in pdf and warnings == []


@pytest.mark.tex
@requires_tex
@requires_hugo
def test_shortcodes_in_a_code_block_show_what_they_print(site: Site) -> None:
    """Hugo runs the shortcodes in a code block too (an escaped one is shown as written): the
    call printed raw in the PDF (a survey-5 post's program output)."""
    templates(site, {"mark": "<!-- a tag -->\n<mark>{{ .Get \"text\" }}</mark>"})
    text = ("```\nshare: {{< mark text=\"93.9%\" >}}\n"
            "written: {{</* mark text=\"x\" */>}}\n```\n")
    page = page_text(site, text)
    tex, pdf, warnings = paper(site, text)
    same_words(page, pdf, "share: 93.9%", 'written: {{< mark text="x" >}}')
    assert warnings == []
    tex, pdf, warnings = paper(site, "```\nunread: {{< unread 1 >}}\n```\n")
    assert "unread: {{< unread 1 >}}" in pdf and len(warnings) == 1


def test_a_markdownified_inner_keeps_the_calls_the_parser_read(site: Site) -> None:
    """``.Inner | markdownify`` around a math template's call: the inner text is the blocks
    the parser read (the math template's display among them). Expanding the inner call to
    its HTML first sent ``\\[…\\]`` through the inline Markdown escapes: raw ``[``, and TeX
    errors."""
    templates(site, {"slide": "<section>{{ .Inner | markdownify }}</section>",
                     "equation": '<div class="equation">\n\\[{{- .Inner -}}\\]\n</div>'})
    text = ("{{<slide>}}\nSome text.\n\n{{<equation>}}\na = 1, \\\\[2em]\nb = 2\n"
            "{{</equation>}}\n{{</slide>}}\n")
    result = convert(load_post(site.post(text, front=FRONT)), "post").result
    assert "textbackslash" not in result.body and result.diagnostics == []
    assert "Some text." in result.body and "a = 1, \\\\[2em]\nb = 2" in result.body


@requires_hugo
def test_themes_are_searched_in_the_configs_order(site: Site) -> None:
    """``theme = ["zeta", "alpha"]``: zeta's template wins, as on the page; a theme folder
    the config does not name comes last (they were searched by folder name)."""
    config = site.root / "hugo.toml"
    config.write_text('theme = ["zeta", "alpha"]\n' + config.read_text())
    for theme, found in (("alpha", {"one": "ALPHA", "two": "ALPHA"}), ("zeta", {"one": "ZETA"}),
                         ("aaa-unused", {"one": "UNUSED", "two": "UNUSED", "three": "UNUSED"})):
        folder = site.root / "themes" / theme / "layouts" / "_shortcodes"
        folder.mkdir(parents=True)
        for name, shown in found.items():
            (folder / f"{name}.html").write_text(shown)
    text = "one {{< one >}} two {{< two >}}\n"
    assert "one ZETA two ALPHA" in page_text(site, text)
    tex = convert(load_post(site.post(text, front=FRONT)), "post").result.body
    assert "one ZETA two ALPHA" in tex


@requires_hugo
def test_a_template_in_a_subfolder_is_called_by_its_path(site: Site) -> None:
    """``{{< boxes/square >}}`` is ``layouts/_shortcodes/boxes/square.html`` (it was read as
    an unknown ``boxes``, left out with a warning); a paired one closes by the same path."""
    templates(site, {"boxes/square": "[{{ .Get 0 }}]", "boxes/frame": "<i>{{ .Inner }}</i>"})
    text = ('A {{< boxes/square "one" >}} and\n'
            '{{< boxes/frame >}}framed{{< /boxes/frame >}} end.\n')
    assert "A [one] and framed end." in page_text(site, text)
    result = convert(load_post(site.post(text, front=FRONT)), "post").result
    assert "A [one] and\n\\emph{framed} end." in result.body
    assert result.diagnostics == []


@pytest.mark.tex
@requires_tex
@requires_hugo
def test_a_template_outside_the_subset_keeps_the_located_warning(site: Site) -> None:
    templates(site, {"gallery": '{{ range .Params }}<i>{{ . }}</i>{{ end }}',
                     "boxed": '<div>{{ .Inner }}{{ partial "box" . }}</div>',
                     "flag": "{{ .Get 0 }}"})
    text = ('Intro.\n\n{{< gallery "one" >}}\n\n{{< boxed >}}\nKept *inside*.\n'
            '{{< /boxed >}}\n\nEnd {{% flag "x" %}}.\n')
    # (Hugo itself would stop at the partial the site lacks)
    assert "Intro. one End x." in page_text(site, 'Intro.\n\n{{< gallery "one" >}}\n\n'
                                                  'End {{% flag "x" %}}.\n')
    tex, pdf, warnings = paper(site, text)
    assert "Intro." in pdf and "Kept inside." in pdf and "End x." in pdf  # {{% %}}, no HTML
    assert "{{" not in pdf and "range" not in pdf and "<" not in pdf
    assert warnings == ["6: unknown shortcode 'gallery' left out",
                        "8: unknown shortcode 'boxed' left out around its content (the content "
                        "is kept)"]


def test_templates_are_read_only_within_the_subset(tmp_path: Path) -> None:
    cases = {'{{ printf "%s" (.Get 0) }}': None, "{{ .Site.Title }}": None,
             '{{ with .Get "a" }}{{ .Get "b" }}{{ end }}': None, "{{ if .Get 0 }}": None,
             '{{ with .Get "a" }}{{ $.Get "b" }}:{{ . }}{{ end }}': "B:A",
             '{{ .Get "a" | default "d" | safeHTML }}<{{ markdownify (.Get "b") }}>': "A<[B]>"}
    for text, shown in cases.items():
        path = tmp_path / "t.html"
        path.write_text(text)
        template = read_template(path)
        assert (template is None) == (shown is None), text
        if template is not None:
            assert expand(template, [], {"a": "A", "b": "B"}, "", lambda t: f"[{t}]") == shown


REF_OVERRIDE_POST = """{{% lemma label="lem.one" %}}
Every point has a neighbourhood.
{{% /lemma %}}

By {{< ref lem.one >}} we are done.
"""


@pytest.mark.tex
@requires_tex
@requires_hugo
def test_a_site_ref_replaces_hugos_and_links_to_a_statement(site: Site) -> None:
    """A site's own ``ref.html`` replaces Hugo's (no page lookup): its link to the lemma's
    ``label`` is a link to the statement in the paper, not a "no such page" error."""
    templates(site, {"ref": '{{- $l := .Get 0 -}}<a href="#{{ $l }}">{{ $l }}</a>',
                     "lemma": '<div id="{{ .Get "label" }}"><b>Lemma.</b> {{ .Inner }}</div>'})
    page = page_text(site, REF_OVERRIDE_POST)
    tex, pdf, warnings = paper(site, REF_OVERRIDE_POST)
    same_words(page, pdf, "By lem.one we are done.")
    assert "\\label{sec:lem.one}" in tex and "\\hyperref[sec:lem.one]{lem.one}" in tex
    assert not warnings


@pytest.mark.tex
@requires_tex
def test_a_site_ref_mdpaper_cannot_read_links_to_the_statement_it_names(site: Site) -> None:
    """A site's ref.html that looks labels up across the site (``range .Site.Pages``,
    ``.Scratch``): Hugo uses it, so no page lookup (the build stopped, "no such page"); a
    label of a statement in the post is a link to it, named as the paper numbers it; any
    other is shown as written, with a warning."""
    templates(site, {"ref": '{{- range .Site.Pages }}{{ with .Scratch.Get "refs" }}'
                            '<a href="{{ index . 0 }}">x</a>{{ end }}{{ end -}}'})
    text = ('{{< theorem label="th.main" >}}\nA statement.\n{{< /theorem >}}\n\n'
            'By {{< ref th.main >}} and {{< ref th.other >}} we are done.\n')
    tex, pdf, warnings = paper(site, text)
    assert "\\hyperref[sec:th.main]{Theorem~\\ref*{sec:th.main}}" in tex
    assert "By Theorem 1 and th.other we are done." in pdf, pdf
    assert [w for w in warnings if "ref" in w] == [
        "8: the site's own 'ref' shortcode (ref.html) is not one mdpaper reads, and "
        "'th.other' is no place in this post: its argument is shown"]
