"""Bugs found by the property, CommonMark and stress tests, each pinned where it was fixed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mdpaper.build.convert import convert
from mdpaper.build.post import BuildOptions, build_post
from mdpaper.errors import MdpaperError
from mdpaper.latex.math import KNOWN_NAMES
from mdpaper.latex.math_rewrite import did_you_mean
from mdpaper.latex.math_safety import math_groups_problem
from mdpaper.latex.scripts import pdflatex_support
from mdpaper.source.site import load_post
from mdpaper.tex.latexmk import LatexError, compile_tex

from conftest import REPO, Site, pdf_text, requires_tex, squash


def _with_pixel(site: Site) -> None:
    figures = site.root / "static" / "figures"
    figures.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "tests" / "fixtures" / "commonmark" / "pixel.png", figures / "pixel.png")


def test_image_inside_a_paragraph_loads_graphicx(site: Site) -> None:
    # An image with text beside it is no figure, but still an \includegraphics.
    _with_pixel(site)
    conversion = convert(load_post(site.post("An ![icon](/figures/pixel.png) inline.\n")), "p")
    assert "\\includegraphics[height=" in conversion.result.body
    assert "\\usepackage{graphicx}" in conversion.tex


def test_images_named_in_other_alphabets(site: Site) -> None:
    """mistune %-escapes a destination's spaces and non-ASCII letters; the page's server
    gives the file they name, so does the paper, and a missing one is named as written."""
    post = site.post("Схема ![a](Схема%201.png) и ![b](图片.png).\n\n![c](缺失.png)\n")
    for name in ("Схема 1.png", "图片.png"):
        shutil.copy(REPO / "tests" / "fixtures" / "commonmark" / "pixel.png", post.parent / name)
    conversion = convert(load_post(post), "p")
    assert conversion.result.body.count("\\includegraphics[height=") == 2
    warnings = [str(d) for d in conversion.result.diagnostics]
    assert len(warnings) == 1 and "image '缺失.png' not found" in warnings[0]
    assert "Image not found: 缺失.png" in conversion.result.body


@requires_tex
@pytest.mark.parametrize("blogdown", [False, True])
def test_control_characters_in_code_are_left_out(site: Site, blogdown: bool) -> None:
    """A vertical tab keeps blogdown's math script off a code span (`` `\v$x$` `` shows
    ``$x$`` as code); no page shows it, and TeX refused it in code ("invalid character")."""
    if blogdown:
        (site.root / ".Rprofile").write_text("options(blogdown.knit.on_save = TRUE)\n")
    post = site.post("Code `\v$X_i$` and `a\x01b`, text c\x0bd.\n\n```\nx\x0by = 1\n```\n")
    result = build_post(post, BuildOptions(outdir=site.root / "out"))
    assert result.pdf is not None, [str(d) for d in result.diagnostics]
    text = squash(pdf_text(result.pdf))
    assert "Code $X_i$ and ab, text cd." in text and "xy = 1" in text


@pytest.mark.parametrize(("name", "hint"), [("ceil", "\\rceil"), ("leqk", "\\leq k"),
                                           ("pix", "\\pi x"), ("alpah", "\\alpha")])
def test_did_you_mean_splits_only_a_short_rest(name: str, hint: str) -> None:
    # an undefined \ceil (a site macro the page lacks too) was "did you mean '\ce il'?"
    assert did_you_mean(name, KNOWN_NAMES) == hint


@pytest.mark.parametrize(("math", "problem"), [
    ("x}", "has a '}' without a matching '{'"),
    ("\\frac{1", "has a '{' that is never closed"),
    ("\\begin{pmatrix} x", "has \\begin{pmatrix} without \\end{pmatrix}"),
    ("\\end{document}", "has \\end{document} without a matching \\begin{document}"),
    ("\\begin{cases} a \\end{array}", "has \\end{array} without a matching \\begin{array}"),
])
def test_math_whose_groups_do_not_pair_is_refused_with_its_line(site: Site, math: str,
                                                                problem: str) -> None:
    # Unrefused, "*a $x}$ b*" closed the \emph{...} around it and "$\end{document}$" ended
    # the math group: TeX then failed with "Missing $ inserted", in a footnote or table cell
    # at a line of the macro around it rather than at the math.
    post = site.post(f"Fine.\n\n*Emphasis with ${math}$ inside.*\n")
    with pytest.raises(MdpaperError) as info:
        build_post(post, BuildOptions(tex_only=True))
    assert str(info.value) == f"{post}:7: error: math {problem}"


@pytest.mark.parametrize("math", ["\\{x", "\\left\\{ x \\right.", "\\frac{a}{b}",
                                  "\\begin{aligned} a &= b \\end{aligned}", "\\\\ x"])
def test_balanced_math_passes(math: str) -> None:
    assert math_groups_problem(math) is None


@requires_tex
@pytest.mark.tex
def test_cyrillic_with_pdflatex_builds(site: Site) -> None:
    post = site.post("Cyrillic *пристаням* here.\n")
    result = build_post(post, BuildOptions(engine="pdflatex"))
    if pdflatex_support().t2a:  # cm-super installed: set in T2A
        assert "Cyrillic пристаням here." in squash(pdf_text(result.pdf))
        assert result.diagnostics == []
    else:  # placeholders and a warning, never a failed build
        assert "[U+043F]" in squash(pdf_text(result.pdf))
        assert any("CYRILLIC SMALL LETTER PE" in d.message for d in result.diagnostics)


def test_link_in_heading_gets_a_plain_bookmark(site: Site) -> None:
    post = site.post("# See <https://example.com/a_b?q=%41&r=~x> and [it *now*](https://e.org)\n")
    body = convert(load_post(post), "p").result.body
    assert body.startswith(
        "\\section[\\texorpdfstring{See \\url{https://example.com/a_b?q=\\%41\\&r=~x} and "
        "\\href{https://e.org}{it \\emph{now}}}{See https://example.com/a\\_b?q=\\%41\\&r="
        "\\textasciitilde{}x and it now}]{See \\url")


@requires_tex
@pytest.mark.tex
def test_heading_with_links_builds(site: Site) -> None:
    result = build_post(site.post("# Read <https://example.com/x> first\n\nBody.\n"))
    assert "Read https://example.com/x first" in squash(pdf_text(result.pdf))


@requires_tex
@pytest.mark.tex
def test_failed_build_leaves_no_aux_file_that_breaks_the_next(site: Site) -> None:
    # A run that failed may leave a .out/.aux cut off mid-entry; hyperref reads it at
    # \begin{document}, so even the fixed post failed until build/ was deleted by hand.
    post = site.post("# Title\n\nGood.\n")
    build_post(post)
    builddir = site.root / "output" / "post" / "build"
    (builddir / "post.out").write_text("\\BOOKMARK [1][-]{section.1}{\\376\\377\\000T")
    post.write_text(post.read_text() + "\nBad $x^1^2$.\n")  # an error only TeX finds
    with pytest.raises(MdpaperError):
        build_post(post)
    assert not (builddir / "post.out").exists()
    post.write_text(post.read_text().replace("$x^1^2$", "fixed"))
    assert build_post(post).pdf is not None


def test_long_paragraph_lines_are_wrapped_for_tex_buffer(site: Site) -> None:
    # A one-line paragraph with 5,000 footnotes rendered as one 400,000-character line:
    # TeX's buffer is 200,000 ("Unable to read an entire line"), so no PDF at all.
    words = " ".join(f"word{i}[^n{i % 3}]" for i in range(40_000))
    post = site.post(words + "\n\n```\n" + "code " * 1000 + "\n```\n\n"
                     + "".join(f"[^n{i}]: note {i}\n" for i in range(3)))
    tex = convert(load_post(post), "p").tex
    lines = tex.split("\n")
    assert max(len(line) for line in lines if not line.startswith("code ")) < 2100
    assert "code " * 1000 in lines  # code lines are never broken


@requires_tex
@pytest.mark.tex
def test_tex_error_only_on_the_terminal_is_still_reported(tmp_path: Path) -> None:
    tex = tmp_path / "long.tex"
    tex.write_text("\\documentclass{article}\\begin{document}\n" + "x" * 250_000
                   + "\n\\end{document}\n")
    with pytest.raises(LatexError) as info:
        compile_tex(tex, timeout=120)
    assert info.value.problems[0].message.startswith("Unable to read an entire line")


@requires_tex
@pytest.mark.tex
def test_text_opening_with_a_bracket_is_not_a_commands_optional_argument(site: Site) -> None:
    """CommonMark examples 342 and 514 (a post that opens with ``[``) ran TeX off the end of
    the file: hyperref's \\maketitle read the bracket as its optional argument. A list item
    opening with ``[`` lost its bullet or number and its brackets (its \\item label)."""
    (site.root / "hugo.toml").write_text('title = "T"\n[markup.goldmark.renderer]\nunsafe = true\n')
    post = site.post("[not a `link](/foo`) opens the post.\n\n- [aside] first\n- plain\n\n"
                     "1. [Note] numbered\n\n<ul><li>[raw] item</li></ul>\n")
    result = build_post(post, BuildOptions())
    assert result.pdf is not None
    text = squash(pdf_text(result.pdf))
    assert "[not a link](/foo) opens the post." in text
    assert "• [aside] first • plain 1. [Note] numbered • [raw] item" in text


@requires_tex
@pytest.mark.tex
def test_a_backtick_the_page_shows_is_a_backtick(site: Site) -> None:
    """An escaped or unpaired backtick is text on the page (CommonMark examples 12, 338,
    347); T1's ` is the opening quote, so the PDF showed ‘ with no warning."""
    post = site.post("Escaped \\` here, ```unpaired`` there, `co\\`de.\n")
    result = build_post(post, BuildOptions())
    assert result.pdf is not None
    text = pdf_text(result.pdf)
    assert "Escaped ` here, ```unpaired`` there, co\\de." in text
    assert "\u2018" not in text


def test_a_hooked_arrow_and_a_text_presentation_selector_are_set(site: Site) -> None:
    """A footnote back link copied from another renderer (``↩︎``: U+21A9 and the text
    presentation selector U+FE0E) was a missing-character placeholder and a warning for
    each of the two characters; the arrow is in the math fonts, the selector has no glyph."""
    post = site.post("Back \u21a9\ufe0e and \u21aa here.\n")
    result = convert(load_post(post), "p").result
    assert ("Back \\ensuremath{\\hookleftarrow} and \\ensuremath{\\hookrightarrow} here."
            in result.body)
    assert result.diagnostics == []


def test_a_capital_sharp_s_is_not_set_as_ss(site: Site) -> None:
    """ẞ (U+1E9E): pdflatex's utf8 maps it to T1's \\SS, which prints "SS" (the CommonMark
    comparison's one other wrong glyph, with no warning). A Unicode engine sets it; under a
    forced pdflatex it is a character pdflatex cannot set, with the warning."""
    conversion = convert(load_post(site.post("STRA\u1e9eE here.\n")), "p")
    assert "fontspec" in conversion.tex and "STRA\u1e9eE" in conversion.result.body
    forced = convert(load_post(site.post("STRA\u1e9eE here.\n", name="f.md")), "f",
                     engine="pdflatex")
    assert [d.message[:40] for d in forced.result.diagnostics] == [
        "character 'ẞ' (LATIN CAPITAL LETTER SHAR"]
