"""Hugo's extras the page shows, one small post each: emoji shortcodes (checked against the
Hugo binary's own page), long URLs, highlight's inline and same-line forms, katex/math and
mermaid shortcodes, qr codes; one real pdflatex build reads them back with pdftotext."""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import pytest
import segno

from mdpaper.build.convert import convert
from mdpaper.build.options import BuildOptions
from mdpaper.build.post import build_post
from mdpaper.markdown.emoji import emojify
from mdpaper.markdown.emoji_names import GLYPHS
from mdpaper.source.site import load_post

from conftest import Site, pdf_text, requires_hugo, requires_tex, run_hugo, squash

EMOJI_SITE = 'title = "T"\nbaseURL = "https://example.org/"\nenableEmoji = true\n'
EMOJI_POST = ("Text :smile: and :+1: and :heart: and :flag-us: at 10:30:tada: ok.\n\n"
              "`code :smile:` and $x :smile: y$ and [a :rocket: link](https://x.org).\n\n"
              "| a :smile: | b |\n|---|---|\n| :tada: | x |\n\n"
              "> [!NOTE] Title :smile:\n> body\n")


def body(site: Site, text: str, front: str | None = None) -> tuple[str, list[str]]:
    post = load_post(site.post(text, front=front))
    result = convert(post, "post").result
    return result.body, [f"{d.line}: {d.severity}: {d.message}" for d in result.diagnostics]


def hugo_page(site: Site, text: str, slug: str) -> str:
    """Hugo's own page for ``text`` (content only, no theme)."""
    layouts = site.root / "layouts" / "_default"
    layouts.mkdir(parents=True, exist_ok=True)
    (layouts / "single.html").write_text("{{ .Content }}")
    site.post(text, name=f"{slug}.md", front=f"---\ntitle: {slug}\n---\n")
    done = run_hugo(site.root)
    assert done.returncode == 0, done.stderr
    return (site.root / "public" / "posts" / slug / "index.html").read_text(encoding="utf-8")


def test_emoji_only_where_the_site_enables_them(site: Site) -> None:
    assert ":smile:" in body(site, EMOJI_POST)[0]
    (site.root / "hugo.toml").write_text(EMOJI_SITE)
    tex, _ = body(site, EMOJI_POST)
    # drawn by twemojis (latex.scripts), the emoji itself the PDF's text
    assert tex.startswith("Text \\mdpaperemoji{1f604}{D83DDE04} and "
                          "\\mdpaperemoji{1f44d}{D83DDC4D} and \\mdpaperemoji{2764}{2764} and")
    assert "\\texttt{code\\ :smile:}" in tex  # never in code
    assert "\\(x :smile: y\\)" in tex  # never in math
    assert ":flag-us:" in tex  # a name Hugo's table lacks stays text
    smile = "\\mdpaperemoji{1f604}{D83DDE04}"
    assert f"{{Title {smile}.}}" in tex and f"a {smile} & b" in tex  # alert title, table


@requires_hugo
def test_emoji_names_match_hugos_page(site: Site) -> None:
    """Hugo's page for a paragraph of names, some Hugo knows and some only the emoji
    library knows: emojify gives the same text."""
    (site.root / "hugo.toml").write_text(EMOJI_SITE)
    names = ["smile", "+1", "-1", "heart", "thumbsup", "flag-us", "us", "uk", "gb", "beetle",
             "egg", "100", "tada", "rocket", "face_with_tears_of_joy", "joy", "heart_eyes",
             "smiling_face_with_heart-eyes", "ok_hand", "fire", "zzz", "a:b", "10:30:tada:",
             "::smile::"]
    lines = [f"{i} :{n}:" for i, n in enumerate(names)]
    page = hugo_page(site, "\n\n".join(lines) + "\n", "e")
    shown = [html.unescape(m) for m in re.findall(r"<p>(.*?)</p>", page)]
    assert shown == [emojify(line) for line in lines]
    assert any(":" + n + ":" in s for n, s in zip(names, shown, strict=True))  # some stay


def test_hugos_table_agrees_with_the_emoji_library() -> None:
    """The table is Hugo's (names and glyphs); the emoji library, which supplied the names
    asked about, shows the same glyph for all but two of them."""
    emoji = pytest.importorskip("emoji")
    differ = {n for n, g in GLYPHS.items() if emoji.emojize(f":{n}:", language="alias") != g}
    assert len(GLYPHS) > 1800 and differ == {"beetle", "egg"}


def test_variation_selector_dropped_under_pdflatex() -> None:
    assert emojify(":heart:") == "\u2764\ufe0f"
    assert emojify(":heart:", keep_variation=False) == "\u2764"


@pytest.mark.tex
@requires_tex
def test_emoji_in_a_real_build_title_kept(site: Site) -> None:
    (site.root / "hugo.toml").write_text(EMOJI_SITE)
    post = site.post(EMOJI_POST, front='---\ntitle: "Hi :smile:"\n---\n')
    result = build_post(post, BuildOptions())
    text = squash(pdf_text(result.pdf))
    assert "Hi :smile:" in text  # Hugo's .Title keeps the name
    assert "Text 😄 and 👍" in text and "❤ and :flag-us:" in text
    assert "U+" not in text and "code :smile:" in text


LONG_URL = ("https://example.org/a/very/long/path/"
            + "/".join(f"segment-number-{i}" for i in range(10))
            + "?query=value&other=thing_with_underscores#fragment-anchor-name")


@pytest.mark.tex
@requires_tex
def test_long_urls_break_at_separators_without_bad_boxes(site: Site) -> None:
    assert len(LONG_URL) > 200
    post = site.post(f"The implementation is described at <{LONG_URL}> which readers may "
                     f"consult for the whole derivation. Also {LONG_URL} inline.\n\n"
                     f"A second paragraph with the url {LONG_URL} in the middle of text.\n")
    result = build_post(post, BuildOptions())
    log = next(Path(result.pdf).parent.rglob("*.log")).read_text(encoding="latin-1")
    assert "Overfull \\hbox" not in log and "Underfull \\hbox" not in log
    # (pdf_text joins a line ending in a hyphen with the next: read the lines as laid out)
    laid_out = subprocess.run(["pdftotext", "-layout", str(result.pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
    lines = [ln.strip() for ln in laid_out.splitlines() if ln.strip()]
    broken = [ln for ln in lines if "segment-number" in ln and " " not in ln]
    assert len(broken) >= 6  # lines wholly inside a URL, each ending after a separator
    assert [ln for ln in broken if ln[-1] not in "/-?&=#_." and not ln.endswith("-name")] == []


# (the second closes with "/ highlight": Hugo's lexer allows space after the slash)
HIGHLIGHT_POST = """Call {{< highlight go "hl_inline=true" >}}fmt.Println("x"){{< /highlight >}}
here.

{{< highlight go >}}func main() {
    fmt.Println("hi")
}
{{< / highlight >}}

{{< highlight go "linenos=table" >}}func a() {}
func b() {}{{< /highlight >}}
"""


def test_highlight_inline_and_code_on_the_shortcodes_line(site: Site) -> None:
    tex, warnings = body(site, HIGHLIGHT_POST)
    assert ("Call \\texttt{fmt.\\allowbreak{}Println(\\textquotedbl{}x\\textquotedbl{})}\nhere."
            in tex)
    blocks = re.findall(r"\\begin\{Verbatim\}\[([^\n]*)\]\n([\s\S]*?)\\end\{Verbatim\}", tex)
    assert len(blocks) == 2 and "numbers=left" in blocks[1][0]
    assert blocks[0][1].startswith("\\PY{k+kd}{func}") and blocks[0][1].count("\n") == 3
    assert blocks[1][1].count("\n") == 2  # func a, func b: the closing line's code kept
    assert "highlight" not in tex and warnings == []


@requires_hugo
def test_highlight_shows_the_code_hugos_page_shows(site: Site) -> None:
    page = hugo_page(site, HIGHLIGHT_POST, "h")
    codes = [html.unescape(re.sub(r"<[^>]+>", "", c))
             for c in re.findall(r"<code[^>]*>([\s\S]*?)</code>", page)]
    tex, _ = body(site, HIGHLIGHT_POST, front="---\ntitle: H\n---\n")
    assert codes[0] == 'fmt.Println("x")' and '<code class="code-inline' in page
    assert codes[1] == 'func main() {\n    fmt.Println("hi")\n}'  # starts on its line
    assert codes[-1] == "func a() {}\nfunc b() {}"
    assert tex.count("\\begin{Verbatim}") == 2


MATH_POST = r"""Inline {{< katex >}}x^2 + y^2{{< /katex >}} and {{< math >}}$\alpha_1${{< /math >}}.

{{< katex display >}}
\int_0^1 f(x)\,dx
{{< /katex >}}

{{< katex display=true >}}E = mc^2{{< /katex >}}

{{< math >}}
$$\sum_{i=1}^n i$$
{{< /math >}}

{{< math >}}
\begin{align}
a &= b
\end{align}
{{< /math >}}

{{< mermaid >}}
graph TD;
  A-->B;
{{< /mermaid >}}

Plain {{< math >}}no delimiters{{< /math >}} text.
"""


def test_katex_and_math_shortcodes_are_math_mermaid_its_source(site: Site) -> None:
    tex, warnings = body(site, MATH_POST)
    assert "Inline \\(x^2 + y^2\\) and \\(\\alpha_1\\)." in tex
    assert "\\[\n\\int_0^1 f(x)\\,dx\n\\]" in tex and "\\[\nE = mc^2\n\\]" in tex
    assert "\\[\n\\sum_{i=1}^n i\n\\]" in tex and "\\begin{align}\na &= b\n\\end{align}" in tex
    assert "graph TD;" in tex and "\\begin{Verbatim}" in tex
    assert "Plain no delimiters text." in tex  # MathJax shows it as text too
    assert "katex" not in tex and "mermaid" not in tex and "{{" not in tex
    assert warnings == ["23: warning: a Mermaid diagram is drawn by the page's JavaScript; "
                        "the paper shows its source"]


KATEX_LINES_POST = """{{< katex >}}A{{< /katex >}}
is the first line of this paragraph.

We write
{{< katex >}}B{{< /katex >}}
on a line of its own.
"""


def test_inline_katex_alone_on_a_line_stays_in_its_paragraph(site: Site) -> None:
    # hugo-book writes a paragraph's formulas one to a line; Hugo's page keeps each in its
    # <p> (the conversion stopped with KeyError: 'text' on the line after one)
    tex, warnings = body(site, KATEX_LINES_POST)
    assert tex == ("\\(A\\)\nis the first line of this paragraph.\n\n"
                   "We write\n\\(B\\)\non a line of its own.") and warnings == []


KATEX_PAIRS_POST = """{{< katex >}}a{{< /katex >}} is one, {{< katex >}}b{{< /katex >}} another.

## Next

We have
{{< katex display=true >}}
c
{{< /katex >}}
"""


def test_katex_shortcode_ends_at_its_first_closing_tag(site: Site) -> None:
    # a line opening with an inline katex was paired with the next closing tag that ends a
    # line (the display's): the paragraph, the heading and "We have" were one formula
    tex, warnings = body(site, KATEX_PAIRS_POST)
    assert tex.startswith("\\(a\\) is one, \\(b\\) another.\n\n\\section{Next}")
    assert tex.endswith("We have\n\n\\[\nc\n\\]") and warnings == []


KATEX_ENVIRONMENTS_POST = r"""{{< katex display=true >}}
\begin{aligned}
a &= b \\
c &= d
\end{aligned}
{{< /katex >}}

Inline {{< katex >}}\begin{pmatrix} 1 & 2 \end{pmatrix}{{< /katex >}} in the text.

{{< katex display=true >}}\begin{align} e &= f \end{align}{{< /katex >}}
"""


@pytest.mark.tex
@requires_tex
def test_katex_environment_in_the_math_mode_katex_gives_it(site: Site) -> None:
    # KaTeX sets aligned and pmatrix in the display or inline math the shortcode asks for;
    # aligned was set bare ("\begin{aligned} allowed only in math mode"), pmatrix as a
    # display of its own
    tex, warnings = body(site, KATEX_ENVIRONMENTS_POST)
    assert tex.startswith("\\[\n\\begin{aligned}\na &= b \\\\\nc &= d\n\\end{aligned}\n\\]")
    assert "Inline \\(\\begin{pmatrix} 1 & 2 \\end{pmatrix}\\) in the text." in tex
    assert tex.endswith("\\begin{align} e &= f \\end{align}") and warnings == []
    result = build_post(site.post(KATEX_ENVIRONMENTS_POST), BuildOptions())
    assert "Inline" in squash(pdf_text(result.pdf))


QR_POST = """Before

{{< qr text="https://gohugo.io" />}}

{{< qr level="high" >}}
https://example.org/paired
{{< /qr >}}

After
"""


def test_qr_symbol_has_the_module_count_segno_gives(site: Site) -> None:
    tex, warnings = body(site, QR_POST)
    pictures = re.findall(r"\\begin\{picture\}\((\d+),(\d+)\)([\s\S]*?)\\end\{picture\}", tex)
    made = [segno.make("https://gohugo.io", error="m", boost_error=False),
            segno.make("https://example.org/paired", error="h", boost_error=False)]
    assert [int(p[0]) for p in pictures] == [q.symbol_size(border=4)[0] for q in made]
    dark = [sum(int(n) for n in re.findall(r"\\rule\{(\d+)\\unitlength", p[2])) for p in pictures]
    assert dark == [sum(sum(row) for row in q.matrix) for q in made]
    assert "\\url{https://gohugo.io}" in tex and "qr" not in tex.replace("\\rule", "")
    assert warnings == []


@requires_hugo
def test_qr_symbol_as_large_as_hugos_image(site: Site) -> None:
    """Hugo's image is (modules + quiet zone) x scale 4 pixels wide: the same symbol."""
    page = hugo_page(site, QR_POST, "q")
    widths = [int(w) // 4 for w in re.findall(r'<img src="[^"]*qr[^"]*" width="(\d+)"', page)]
    tex, _ = body(site, QR_POST, front="---\ntitle: Q\n---\n")
    assert widths == [int(n) for n in re.findall(r"\\begin\{picture\}\((\d+),", tex)]


UNSAFE_SITE = 'title = "T"\n[markup.goldmark.renderer]\nunsafe = true\n'
TABLE_POST = """Before the table.

<table>
  <caption>Results of the <em>benchmark</em></caption>
  <thead>
    <tr><th>Method</th><th align="right">Time (s)</th><th>Notes</th></tr>
  </thead>
  <tbody>
    <tr><td><b>Fast</b> path</td><td align="right">1.5</td>
        <td>uses <code>mmap</code> &amp; <a href="https://example.org">a link</a></td></tr>
    <tr><td>Slow<br>path</td><td style="text-align: right">12</td>
        <td><p>para one</p><p>para two</p></td></tr>
    <tr><td colspan="2">Spanning two columns</td><td>last</td></tr>
  </tbody>
</table>

After the table.
"""


def test_html_table_is_a_longtable(site: Site) -> None:
    (site.root / "hugo.toml").write_text(UNSAFE_SITE)
    tex, warnings = body(site, TABLE_POST)
    table = tex[tex.index("\\begin{longtable}"):tex.index("\\end{longtable}")]
    spec = table.split("\n")[0]
    assert spec.count("p{") == 3 and spec.count("\\raggedleft") == 1  # right column
    head, rows = table.split("\\endhead")
    assert "Method & Time (s) & Notes \\\\" in head
    assert ("\\textbf{Fast} path & 1.5 & uses \\texttt{mmap} \\& "
            "\\href{https://example.org}{a link} \\\\") in rows
    assert "Slow path & 12 & para one para two \\\\" in rows  # breaks cannot end a row
    assert re.search(r"\\multicolumn\{2\}\{[^\n]*\}\{Spanning two columns\} & last", rows)
    assert "\\begin{center}Results of the \\emph{benchmark}\\end{center}" in tex
    assert "<t" not in tex and warnings == []


BOX_POST = """{{< hint danger >}}
Hint body.
{{< /hint >}}

{{< alert "circle-info" >}}
Alert body.
{{< /alert >}}

{{< callout type="warning" title="Callout title" >}}
Callout body.
{{< /callout >}}

{{< cards >}}
  {{< card link="https://example.org/a_b" title="Card title" subtitle="More #1" >}}
{{< /cards >}}
"""


def test_boxes_untitled_where_the_theme_shows_no_title(site: Site) -> None:
    tex, warnings = body(site, BOX_POST)
    assert tex.count("\\begin{mdpaperbox}{}") == 2 and "{Callout title.}" in tex
    assert "anger" not in tex and "ircle" not in tex and warnings == []


@pytest.mark.tex
@requires_tex
def test_the_extras_in_one_real_build(site: Site) -> None:
    (site.root / "hugo.toml").write_text(UNSAFE_SITE)
    post = site.post("\n".join([TABLE_POST, HIGHLIGHT_POST, QR_POST, MATH_POST, BOX_POST]))
    result = build_post(post, BuildOptions())
    text = squash(pdf_text(result.pdf))
    for shown in ("Results of the benchmark", "Method", "Time (s)", "uses mmap & a link",
                  "Spanning two columns", 'Call fmt.Println("x") here.', "func main() {",
                  "func b() {}", "https://gohugo.io", "https://example.org/paired",
                  "graph TD;", "Plain no delimiters text.", "α1", "Hint body.",
                  "Alert body.", "Callout title. Callout body.",
                  "Card title — More #1 — https://example.org/a_b"):
        assert shown in text, shown
    for raw in ("{{", "<td", "highlight", "katex", "hl_inline", "Danger", "Circle"):
        assert raw not in text, raw


@requires_hugo
@pytest.mark.tex
@requires_tex
def test_every_word_of_hugos_page_is_in_the_pdf(site: Site) -> None:
    (site.root / "hugo.toml").write_text(UNSAFE_SITE + 'baseURL = "https://example.org/"\n')
    text = "\n".join([TABLE_POST, HIGHLIGHT_POST, QR_POST])
    page = hugo_page(site, text, "w")
    words = set(re.findall(r"\w[\w.()]*\w|\w", html.unescape(re.sub(r"<[^>]+>", " ", page))))
    result = build_post(site.post(text, name="w.md", front="---\ntitle: w\n---\n"),
                        BuildOptions())
    shown = squash(pdf_text(result.pdf))
    assert len(words) > 30 and sorted(w for w in words if w not in shown) == []


LEAKS_POST = """Read [part 1][2] and [part 2][3] first.

[2]: {{< relref "/posts/other.md" >}}
[3]: {{< ref "other.md" >}} "Other title"

- item
{.list-class}

{{< tabs >}}
  {{< tab >}}JSON body{{< /tab >}}
  {{< tab "YAML" >}}YAML body{{< /tab >}}
{{< /tabs >}}

{{< columns >}}
Left side.
<--->
Right side.
{{< /columns >}}
"""


def test_no_raw_markup_leaks(site: Site) -> None:
    (site.root / "hugo.toml").write_text('title = "T"\nbaseURL = "https://example.org/"\n'
                                         "[markup.goldmark.parser.attribute]\nblock = true\n")
    site.post("---\ntitle: Other\n---\nOther.\n", name="other.md", front="")
    tex, warnings = body(site, LEAKS_POST)
    assert "\\href{https://example.org/posts/other/}{part 1}" in tex
    assert "\\href{https://example.org/posts/other/}{part 2}" in tex
    assert "JSON body" in tex and "\\textbf{YAML} YAML body" in tex
    assert "Left side.\n\nRight side." in tex
    for raw in ("[2]", "{.list", "<-", "\\{.", "{{"):
        assert raw not in tex, raw
    assert warnings == []


@requires_hugo
def test_reference_definitions_with_relref_link_as_on_hugos_page(site: Site) -> None:
    (site.root / "hugo.toml").write_text('title = "T"\nbaseURL = "https://example.org/"\n'
                                         "[markup.goldmark.parser.attribute]\nblock = true\n")
    site.post("---\ntitle: Other\n---\nOther.\n", name="other.md", front="")
    text = LEAKS_POST.split("{{< tabs")[0]
    page = hugo_page(site, text, "refs")
    assert '<ul class="list-class">' in page and "{.list" not in page
    links = re.findall(r'<a href="([^"]+)"[^>]*>(part \d)</a>', page)
    tex, _ = body(site, text)
    # relref gives a site-relative path on the page: the paper needs the whole address
    assert [(f"https://example.org{h}" if h.startswith("/") else h, t) for h, t in links] == \
        re.findall(r"\\href\{([^}]+)\}\{(part \d)\}", tex)


@requires_hugo
def test_ref_links_with_a_title_are_links_as_on_hugos_page(site: Site) -> None:
    (site.root / "hugo.toml").write_text('title = "T"\nbaseURL = "https://example.org/"\n')
    site.post("---\ntitle: Other\n---\nOther.\n", name="other.md", front="")
    text = ('See [one]({{< ref "other.md" >}} "The other") and [two]({{< relref "other" >}}'
            " 'Quoted') and [three]({{< ref other.md >}} (Parens)).\n")
    page = hugo_page(site, text, "titled")
    links = re.findall(r'<a href="([^"]+)" title="([^"]+)">(\w+)</a>', page)
    assert [t for _, t, _ in links] == ["The other", "Quoted", "Parens"]
    tex, warnings = body(site, text)
    # the paper has no hover text: the link and its words, as the page shows them
    assert [(f"https://example.org{h}" if h.startswith("/") else h, w) for h, _, w in links] \
        == re.findall(r"\\href\{([^}]+)\}\{(\w+)\}", tex)
    assert "](" not in tex and "Parens" not in tex and warnings == []


@requires_hugo
def test_other_shortcodes_as_link_destinations_are_links_as_on_hugos_page(site: Site) -> None:
    """``[x]({{< param "api" >}})`` and a site template's address: links on Hugo's page (its
    shortcodes are replaced before Markdown); the raw ``[x](https://…)`` was printed."""
    (site.root / "hugo.toml").write_text('title = "T"\nbaseURL = "https://example.org/"\n'
                                         '[params]\napi = "https://api.example.org/v1"\n')
    (site.root / "layouts" / "_shortcodes").mkdir(parents=True)
    (site.root / "layouts" / "_shortcodes" / "home.html").write_text(
        "https://example.org/{{ .Get 0 }}")
    text = ('The [API]({{< param "api" >}}) and [start]({{< home "docs" >}} "Docs"), '
            "[later][d].\n\n[d]: {{< param api >}}\n")
    page = hugo_page(site, text, "params")
    links = re.findall(r'<a href="([^"]+)"[^>]*>(\w+)</a>', page)
    assert links == [("https://api.example.org/v1", "API"), ("https://example.org/docs", "start"),
                     ("https://api.example.org/v1", "later")]
    tex, warnings = body(site, text)
    assert re.findall(r"\\href\{([^}]+)\}\{(\w+)\}", tex) == links
    assert "](" not in tex and warnings == []
    # in a fenced code block the call is what it prints, never the link's inner scheme
    tex, warnings = body(site, '```\n[API]({{< param "api" >}})\n```\n')
    assert "hugo-shortcode" not in tex and "api.example.org" in tex and warnings == []
    # a shortcode whose output mdpaper cannot tell: the link's text, with a warning
    tex, warnings = body(site, "A [mystery]({{< unread 1 >}}) link.\n")
    assert "A mystery link." in tex and len(warnings) == 1 and "'unread'" in warnings[0]


CODE_CALLS_POST = ('Text.\n\n    see [API]({{< param "api" >}}) and [o]({{< ref "other" >}})\n'
                   '    {{< relref "other" >}} {{</* param "api" */>}}\n\n'
                   'A span `[API]({{< param "api" >}})`, `{{< ref "other" >}}` and '
                   '`{{</* ref "other" */>}}`.\n')


@requires_hugo
@requires_tex
def test_code_spans_and_indented_code_show_what_their_shortcodes_print(site: Site) -> None:
    """Hugo replaces shortcodes before Goldmark sees code spans and indented code blocks, so
    the page's code holds what each call prints (an escaped call as a plain tag). The PDF
    showed a link destination's inner scheme (``hugo-shortcode:param%20…``) and a code
    span's calls as written."""
    (site.root / "hugo.toml").write_text('title = "T"\nbaseURL = "https://example.org/"\n'
                                         '[params]\napi = "https://api.example.org/v1"\n')
    site.post("---\ntitle: Other\n---\nOther.\n", name="other.md", front="")
    page = hugo_page(site, CODE_CALLS_POST, "codecalls")
    shown = [squash(html.unescape(c)) for c in re.findall(r"<code>([^<]*)</code>", page)]
    assert shown[0].startswith("see [API](https://api.example.org/v1)") and len(shown) == 4
    result = build_post(site.post(CODE_CALLS_POST), BuildOptions())
    text = "".join(pdf_text(result.pdf).split())  # (URLs break at a line's end)
    assert all("".join(code.split()) in text for code in shown), (shown, text)
    assert "hugo-" not in text and result.diagnostics == []


@pytest.mark.parametrize("call, shown", [
    ('{{< youtube id="dQw4w9WgXcQ" title="A video" >}}',
     "[YouTube, A video: \\url{https://www.youtube.com/watch?v=dQw4w9WgXcQ}]"),
    ("{{< vimeo 55073825 >}}", "[Vimeo: \\url{https://vimeo.com/55073825}]"),
    ('{{< x user="SanDiegoZoo" id="1453110110599868418" >}}',
     "[X: \\url{https://x.com/SanDiegoZoo/status/1453110110599868418}]"),
    ("{{< gist spf13 7896402 >}}", "[Gist: \\url{https://gist.github.com/spf13/7896402}]"),
    ("{{< instagram CxOWiQNP2MO >}}",
     "[Instagram: \\url{https://www.instagram.com/p/CxOWiQNP2MO/}]"),
])
def test_embeds_show_their_full_url_and_title(site: Site, call: str, shown: str) -> None:
    tex, warnings = body(site, f"{call}\n")
    assert tex.strip() == shown and len(warnings) == 1


def test_tabs_labelled_as_their_theme_labels_them(site: Site) -> None:
    hextra = ('{{< tabs items="JSON,YAML" >}}\n\n{{< tab >}}\nJSON body.\n{{< /tab >}}\n'
              "  {{< tab >}}YAML body.{{< /tab >}}\n\n{{< /tabs >}}\n\n")
    docsy = ('{{< tabpane >}}\n{{% tab header="English" %}}\nHello.\n{{% /tab %}}\n'
             "{{< /tabpane >}}\n")
    tex, warnings = body(site, hextra + docsy)
    assert "\\begin{mdpaperbox}{JSON.}\n\nJSON body." in tex
    assert "\\textbf{YAML} YAML body." in tex
    assert "\\begin{mdpaperbox}{English.}\n\nHello." in tex
    assert "tab" not in tex.replace("tabular", "") and warnings == []


def test_badges_and_keys_show_their_text_icons_nothing(site: Site) -> None:
    tex, warnings = body(site, 'New {{< badge "beta" >}} press {{< kbd "Ctrl" >}} '
                               'see {{< icon "github" >}} here '
                               '{{< icons/icon vendor=simple name="github" >}} too.\n')
    assert (tex.strip() == "New beta press \\texttt{Ctrl} see  here  too."
            and warnings == [])


def test_cards_show_title_subtitle_and_web_link(site: Site) -> None:
    tex, warnings = body(site, '{{< cards >}}\n  {{< card link="https://example.org/a" '
                               'title="Card title" subtitle="More words" icon="warning" >}}\n'
                               '  {{< card link="../" title="Local" >}}\n{{< /cards >}}\n')
    assert ("\\textbf{Card title} --- More words --- \\url{https://example.org/a}" in tex
            and "\\textbf{Local}" in tex and "warning" not in tex and warnings == [])


def test_shortcodes_indented_four_spaces_inside_a_pair_are_not_code(site: Site) -> None:
    """hextra's cards written with their card lines indented by four spaces: Hugo renders
    the pair, the nested cards with it, before Goldmark reads the text (Hugo 0.168 with
    cards/card templates: two links, no <pre>). A tag inside a highlight pair is code: Hugo
    runs it there too (checked: its output stands in the code), and as mdpaper cannot tell
    what this one prints there, the call is shown with a warning."""
    tex, warnings = body(site, '{{< cards >}}\n    {{< card link="https://example.org/a" '
                               'title="First" >}}\n\t{{< card link="https://example.org/b" '
                               'title="Second" >}}\n{{< /cards >}}\n\n'
                               '{{< highlight go >}}\n    {{< card >}}\n{{< /highlight >}}\n')
    assert "\\textbf{First} --- \\url{https://example.org/a}" in tex
    assert "\\textbf{Second}" in tex and tex.count("Verbatim") == 2
    assert len(warnings) == 1 and "'card' shortcode prints in this code block" in warnings[0]


LIST_CODE_POST = """- Binding
  - Property binding:
    {{< highlight html >}}
<button type="button">Go</button>
  <img src="x.png">
{{< /highlight >}}
  - Event binding
"""


@requires_hugo
def test_code_shortcode_in_a_list_item_stays_in_the_item(site: Site) -> None:
    """Opened indented in a list item, its lines flush left: Hugo swaps the pair for the
    code before Markdown reads the list, so the page shows the code inside the item and
    the list going on; so does the paper (the code's own indentation kept)."""
    page = hugo_page(site, LIST_CODE_POST, "l")
    item = re.search(r"<li>Property binding:([\s\S]*?)</li>", page)
    assert item is not None and "highlight" in item.group(1)
    assert page.count("<ul>") == 2 and "<li>Event binding</li>" in page
    tex, warnings = body(site, LIST_CODE_POST, front="---\ntitle: L\n---\n")
    assert warnings == []
    inner = tex[tex.index("Property binding"):tex.index("Event binding")]
    assert "\\begin{Verbatim}" in inner and tex.count("\\begin{itemize}") == 2
    assert "\n\\PY{p}{\\PYZlt{}}\\PY{n+nt}{button}" in inner  # as written: flush left,
    assert "\n  \\PY{p}{\\PYZlt{}}\\PY{n+nt}{img}" in inner  # and two spaces in


HTML_IN_SHORTCODE_POST = """{{< lemma >}}
<br>
Let $I$ be an ideal.
{{< /lemma >}}

After the lemma.
"""


@requires_hugo
def test_an_html_line_does_not_swallow_a_shortcodes_closing_tag(site: Site) -> None:
    """``<br>`` opens an HTML block that runs to a blank line; but Hugo replaces the
    shortcode pair before Goldmark reads the text, so its closing tag is never in it."""
    (site.root / "hugo.toml").write_text('title = "T"\n[markup.goldmark.renderer]\n'
                                         'unsafe = true\n')
    shortcodes = site.root / "layouts" / "shortcodes"
    shortcodes.mkdir(parents=True)
    (shortcodes / "lemma.html").write_text('<div class="lemma">{{ .Inner }}</div>\n')
    page = hugo_page(site, HTML_IN_SHORTCODE_POST, "h")
    assert "{{" not in page and "Let $I$ be an ideal." in page
    tex, warnings = body(site, HTML_IN_SHORTCODE_POST, front="---\ntitle: H\n---\n")
    assert "{{" not in tex and "\\{" not in tex
    assert "Let \\(I\\) be an ideal." in tex and "After the lemma." in tex
    assert "\\begin{mdpaperstatement}{mdpaperthmlemma}" in tex and not warnings  # a lemma


CLOSE_IN_ITEM_POST = """{{< proof >}}
Two cases:

1. the first;
2. the second.
   {{< /proof >}}

After the proof.
"""


@requires_hugo
def test_a_closing_tag_indented_into_the_last_item_ends_the_pair(site: Site) -> None:
    """Hugo pairs the tags before Goldmark reads the list: the proof ends after the list
    (the page shows "After the proof." outside it); the statement was ended inside the
    list's last item ("\\begin{enumerate} ended by \\end{proof}")."""
    shortcodes = site.root / "layouts" / "shortcodes"
    shortcodes.mkdir(parents=True)
    (shortcodes / "proof.html").write_text('<div class="proof">{{ .Inner | markdownify }}</div>')
    page = hugo_page(site, CLOSE_IN_ITEM_POST, "c")
    assert "{{" not in page and re.search(r"</ol>\s*</div>\s*<p>After the proof.", page)
    tex, warnings = body(site, CLOSE_IN_ITEM_POST, front="---\ntitle: C\n---\n")
    proof = tex[tex.index("\\begin{mdpaperstatement}{proof}"):]
    assert proof.index("\\end{enumerate}") < proof.index("\\end{mdpaperstatement}")
    assert proof.index("\\end{mdpaperstatement}") < proof.index("After the proof.")
    assert not warnings


ITEM_OPENS_POST = """1. {{< exercise >}}
Flush-left lines continue the item.
{{< /exercise >}}
{{< proof >}}
So it is.
{{< /proof >}}

Next.
"""


def test_a_closing_tag_flush_left_after_an_item_that_opens_the_pair(site: Site) -> None:
    """``1. {{< exercise >}}``, lines that continue the item, and the closing tag flush
    left: the pair is inside the item (Hugo pairs tags before Goldmark reads the list);
    the closing tag ended the list, the statement left open inside it."""
    tex, warnings = body(site, ITEM_OPENS_POST, front="---\ntitle: E\n---\n")
    item = tex[tex.index("\\item"):tex.index("\\end{enumerate}")]
    assert item.index("\\begin{mdpaperstatement}{mdpaperthmexercise}") < item.index(
        "\\end{mdpaperstatement}") and not warnings


@requires_hugo
@requires_tex
def test_hard_wraps_break_lines_where_the_site_says(site: Site) -> None:
    """``markup.goldmark.renderer.hardWraps``: each line break of a paragraph is a <br> on
    the page (checked with Hugo), so the lines of a verse or an address stay lines; they
    ran together."""
    (site.root / "hugo.toml").write_text('title = "T"\n[markup.goldmark.renderer]\n'
                                         "hardWraps = true\n")
    text = "Roses are red,\nviolets are blue.\n\n```\ncode line one\ncode line two\n```\n"
    page = hugo_page(site, text, "wrapped")
    assert "Roses are red,<br>\nviolets" in page and "one\ncode" in page
    result = build_post(site.post(text), BuildOptions())
    lines = [line.strip() for line in pdf_text(result.pdf).splitlines()]
    assert "Roses are red," in lines and "violets are blue." in lines
    assert "\\newline" not in result.tex.read_text().split("Verbatim")[1]


EXTRAS_TEXT = "H~2~O, x^2^, ==m==, ++i++, ~~d~~, ~two words~ and 2^10 x^.\n"
#: the LaTeX of each HTML tag the page uses for these spans
_AS_LATEX = {"sub": "\\textsubscript{", "sup": "\\textsuperscript{", "mark": "\\textbf{",
             "ins": "\\uline{", "del": "\\sout{"}


@requires_hugo
@pytest.mark.parametrize("config", [
    "",  # Hugo's defaults: strikethrough with one or two tildes, no extras
    "[markup.goldmark.extensions.extras]\nsuperscript.enable = true\nsubscript.enable = true\n"
    "mark.enable = true\ninsert.enable = true\n",  # (strikethrough keeps ~)
    "[markup.goldmark.extensions]\nstrikethrough = false\n[markup.goldmark.extensions.extras]"
    "\nsubscript.enable = true\n",  # ~ and ~~ are subscripts
    "[markup.goldmark.extensions]\nstrikethrough = false\n[markup.goldmark.extensions.extras]"
    "\ndelete.enable = true\nsuperscript.enable = true\n",
])
def test_goldmark_extras_as_the_site_turns_them_on(site: Site, config: str) -> None:
    """Hugo's extras extension (subscript, superscript, mark, insert, delete; all off by
    default) and strikethrough (on; it takes ~ from subscript): each span is what the
    site's page makes it. With superscript on, "x^2^" printed its carets."""
    (site.root / "hugo.toml").write_text('title = "T"\n' + config)
    page = hugo_page(site, EXTRAS_TEXT, "extras")
    tags = re.findall(r"<(sub|sup|mark|ins|del)>([^<]*)<", page)
    tex, warnings = body(site, EXTRAS_TEXT)
    found = re.findall(r"\\(textsubscript|textsuperscript|textbf|uline|sout)\{([^}]*)\}", tex)
    assert [(_AS_LATEX[tag], text) for tag, text in tags] == [
        (f"\\{command}{{", text) for command, text in found] and warnings == []
    assert len(tags) >= 2
