"""TeX definitions a site's templates put into every page for MathJax: a macros file a
layout includes (``readFile``, ``resources.Get``), a shortcode that wraps its inner text in
math delimiters (a block of ``\\newcommand``s in the post), mathtools' paired delimiters
(MathJax also spells them with an s). The page renders the formulas, so the paper does;
a definition the post never uses is never defined (on the page it breaks nothing)."""

from __future__ import annotations

from pathlib import Path

from mdpaper.source.site_macros import site_tex_definitions
from mdpaper.source.site_shortcodes import (
    MathWrapping,
    math_wrapping_shortcodes,
    shortcode_templates,
)

from conftest import Site, pdf_text, requires_tex, run_cli, squash

MACROS_FILE = r"""\(
\newcommand{\ebf}{\mathbf{e}}
\newcommand{\pdiv}[3][]{\operatorname{D}_{#1}\left(#2\,\|\,#3\right)}
\newcommand{\kldiv}[2]{\pdiv[\text{KL}]{#1}{#2}}
\DeclarePairedDelimiters{\abs}{\lvert}{\rvert}
\DeclareMathOperator*{\argmax}{arg\,max}
\newcommand{\broken}{\nosuchmacro}
\)
"""
BASEOF = '<html><body><div hidden>{{ readFile "assets/macros.txt" | safeHTML }}</div>' \
         '{{ block "main" . }}{{ end }}</body></html>\n'
WRAPPER = '<div class="mathjax-macros">\\({{ .Inner }}\\)</div>\n'
POST = ("{{< macros >}}\n\\newcommand{\\V}{V_{\\theta}}\n{{< /macros >}}\n\n"
        "Loss $\\kldiv{p}{q} + \\abs*{\\V} + \\ebf$ and $\\argmax_x f$.\n")


def write_site(root: Path) -> None:
    (root / "assets").mkdir(parents=True, exist_ok=True)
    (root / "assets" / "macros.txt").write_text(MACROS_FILE)
    (root / "layouts" / "_default").mkdir(parents=True, exist_ok=True)
    (root / "layouts" / "_default" / "baseof.html").write_text(BASEOF)
    (root / "layouts" / "shortcodes").mkdir(parents=True, exist_ok=True)
    (root / "layouts" / "shortcodes" / "macros.html").write_text(WRAPPER)


def test_definitions_and_math_shortcodes_are_found(tmp_path: Path) -> None:
    write_site(tmp_path)
    found = site_tex_definitions(tmp_path)
    assert list(found) == ["ebf", "pdiv", "kldiv", "abs", "argmax", "broken"]
    assert found["pdiv"] == "\\newcommand{\\pdiv}[3][]{\\operatorname{D}_{#1}" \
                            "\\left(#2\\,\\|\\,#3\\right)}"
    wrapping = math_wrapping_shortcodes(shortcode_templates(tmp_path))
    assert wrapping == {"macros": MathWrapping(("\\(", "\\)"))}


def test_a_file_outside_the_site_is_not_read(tmp_path: Path) -> None:
    root = tmp_path / "site"
    write_site(root)
    (tmp_path / "outside.txt").write_text("\\newcommand{\\leak}{x}\n")
    (root / "layouts" / "_default" / "baseof.html").write_text(
        '{{ readFile "../outside.txt" }}\n')
    assert "leak" not in site_tex_definitions(root)


@requires_tex
def test_a_post_using_the_site_definitions_builds(site: Site, tmp_path: Path) -> None:
    write_site(site.root)
    post = site.post(POST, front="---\ntitle: Defs\nkeywords: [rl]\n---\n")
    done = run_cli("build", str(post), "-o", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert "nosuchmacro" not in done.stderr  # unused: never defined, as on the page
    lines = pdf_text(tmp_path / "out" / "post" / "post.pdf").splitlines()
    assert "Keywords: rl" in lines  # the keywords end their own paragraph
    text = squash("\n".join(lines))
    assert "Loss DKL (p ∥ q) + |Vθ | + e and arg maxx f ." in text
    assert "newcommand" not in text
