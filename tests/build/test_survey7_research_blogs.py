"""Constructs of English research blogs with math (survey 7) that the PDF showed wrongly,
each checked against what the page shows: Hugo 0.168 (the test extra's binary) where Hugo
decides, the PDF's text read back with pdftotext."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from mdpaper.build.options import BuildOptions
from mdpaper.build.post import build_post
from mdpaper.errors import MdpaperError

from conftest import TESTS, Site, pdf_text, requires_hugo, requires_tex, run_hugo, squash

pytestmark = [pytest.mark.tex, requires_tex]


def _pdf(post: Path) -> str:
    result = build_post(post, BuildOptions())
    assert result.pdf is not None
    return squash(pdf_text(result.pdf))


def _with_pixel(site: Site) -> None:
    (site.root / "static").mkdir(exist_ok=True)
    shutil.copy(TESTS / "fixtures" / "commonmark" / "pixel.png", site.root / "static")


#: A figure caption with math, as the shortcode's quoted argument: Hugo hands the template
#: the text as written, backslashes and all, unless it holds an escaped quote (then Hugo
#: drops every backslash of it)
CAPTION_POST = """
{{< figure src="/pixel.png" caption="Decay rate $\\lambda$ per hour" >}}

{{< figure src="/pixel.png" caption="A \\"quoted\\" word and $\\alpha$" >}}
"""


def test_a_shortcode_arguments_backslashes_stay_as_hugo_keeps_them(site: Site) -> None:
    _with_pixel(site)
    text = _pdf(site.post(CAPTION_POST))
    assert "Decay rate λ per hour" in text
    assert "lambda" not in text
    assert 'A “quoted” word and alpha' in text or 'A "quoted" word and alpha' in text


def _hugo_page(site: Site, post: Path) -> str:
    """The HTML Hugo makes of ``post`` (the page's content alone)."""
    layouts = site.root / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "single.html").write_text("{{ .Content }}")
    assert run_hugo(site.root, "--quiet").returncode == 0
    return (site.root / "public" / "posts" / post.stem / "index.html").read_text()


@requires_hugo
def test_hugo_keeps_a_quoted_arguments_backslashes(site: Site) -> None:
    page = _hugo_page(site, site.post(CAPTION_POST))
    assert "Decay rate $\\lambda$ per hour" in page
    assert "word and $alpha$" in page


def test_a_css_colour_name_xcolor_shares_is_one_whatever_its_case(site: Site) -> None:
    # the browser reads "Red" as red (CSS names are case-insensitive); xcolor knows only
    # "red", and stopped with "Undefined color `Red'"
    text = _pdf(site.post("Loss $\\color{Red}{x_1} + {\\color{BLUE} y}$ and done.\n"))
    assert "Loss x1 + y and done." in text


def test_an_emoji_that_starts_a_paragraph_keeps_the_text_layer_whole(site: Site) -> None:
    # paragraphs of one to four lines, each starting with an emoji: some start a page. The
    # emoji's ActualText span opened between paragraphs, so at a page break it began on one
    # page and ended on the next; pdftotext then lost all the text after it
    filler = "Words of a tip that runs on for a while and fills its line. "
    body = "".join(f"💡 Tip {i}: {filler * (1 + i % 4)}\n\n" for i in range(60))
    result = build_post(site.post(body + "Last words.\n"), BuildOptions())
    assert result.pdf is not None
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(result.pdf), "-"],
                         capture_output=True, text=True, check=True)
    assert "Mismatched" not in out.stderr
    assert out.stdout.count("💡") == 60
    assert "Last words." in out.stdout


#: GitHub tables as table generators and hurried hands write them: a header without outer
#: pipes over rows with them, a row short of a cell, a row with one too many, a source line
#: right under the rows, an escaped pipe in a code span; then a list item's ``- | -``
TABLES_POST = """Text above
Method     |  Rate
:---------:|:------:
| Newton   |  quadratic |
| Bisection |
| Secant | superlinear | extra cell |
*Adapted from a textbook*

| Query | Result |
|---|---|
| `a \\| b` | both |

x | y
- | -
"""


def test_github_tables_are_read_as_goldmark_reads_them(site: Site) -> None:
    text = _pdf(site.post(TABLES_POST))
    for cell in ("Text above", "Method", "Rate", "Newton", "quadratic", "Bisection",
                 "Secant", "superlinear", "Adapted from a textbook", "Query Result",
                 "a | b both"):
        assert cell in text, cell
    assert "extra cell" not in text and "--" not in text and "`" not in text
    assert "• |" in text  # the list item


@requires_hugo
def test_hugo_reads_those_tables_so(site: Site) -> None:
    page = _hugo_page(site, site.post(TABLES_POST))
    words = squash(re.sub(r"<[^>]+>", " ", page))
    assert words.startswith("Text above Method Rate Newton quadratic Bisection Secant "
                            "superlinear Adapted from a textbook Query Result a | b both")
    assert page.count("<table>") == 2 and "extra cell" not in page
    assert "<li>| -</li>" in page


def test_math_letters_in_prose_are_set_by_the_math_fonts(site: Site) -> None:
    # pasted from a rendered formula: mathematical italic letters and a subscript digit in
    # the text. auto chose pdflatex (math spells them) and the text showed [U+1D70B]
    post = site.post("The policy 𝜋 with weights 𝜃 at step ξ₁ in 𝐱.\n\n```\nz(ξ₂) + 𝜋\n```\n")
    result = build_post(post, BuildOptions())
    assert result.pdf is not None
    assert not [d for d in result.diagnostics if "cannot be typeset" in d.message]
    text = squash(pdf_text(result.pdf))
    assert "The policy π with weights θ at step ξ1 in x." in text
    assert "z(ξ2 ) + π" in text  # in a code block too (where _ would print as itself)
    assert "U+" not in text


def test_a_chart_shortcodes_settings_are_not_text(site: Site) -> None:
    # Blowfish's chart: Chart.js draws it on the page from these settings; the paper showed
    # them as a paragraph of braces and quotes
    post = site.post('Before.\n\n{{< chart >}}\ntype: "line",\ndata: { labels: [1, 2] }\n'
                     "{{< /chart >}}\n\nAfter.\n")
    result = build_post(post, BuildOptions())
    assert result.pdf is not None
    assert "Before. After." in squash(pdf_text(result.pdf))
    assert any("'chart'" in d.message and d.line == 7 for d in result.diagnostics)


def test_a_misspelt_display_environment_is_told_with_a_did_you_mean(site: Site) -> None:
    # the page's KaTeX shows an error there too; the paper's error says what was meant
    post = site.post("Text.\n\n$$\\begin{align**} a &= b \\end{align**}$$\n")
    with pytest.raises(MdpaperError) as caught:
        build_post(post, BuildOptions())
    assert "post.md:7: error: LaTeX Error: Environment align** undefined; " \
           "did you mean 'align*'?" in str(caught.value)
