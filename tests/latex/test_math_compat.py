"""Math as blog authors write it for KaTeX and MathJax, built with real pdflatex.

Each group is one table of formulas built as one document (a TeX run per group, not per
formula); the PDF's text must show what each formula means. When a group fails, the
failing formulas are found one by one so the message names them.
"""

from __future__ import annotations

import pytest

from mdpaper.build.convert import convert
from mdpaper.build.post import BuildOptions, build_post
from mdpaper.errors import MdpaperError
from mdpaper.source.site import load_post

from conftest import Site, pdf_text, requires_tex, squash

#: $$…$$ holding a display environment of its own, each with words that must show
DISPLAY_ENVIRONMENTS = [
    ("\\begin{align}a &= b \\\\ c &= d \\text{ alignone}\\end{align}", "alignone"),
    ("\\begin{align*}a &= b \\text{ alignstar}\\end{align*}", "alignstar"),
    ("\\begin{equation}E = mc^2 \\text{ equationone}\\end{equation}", "equationone"),
    ("\\begin{equation*}x \\text{ equationstar}\\end{equation*}", "equationstar"),
    ("\\begin{gather}x \\\\ y \\text{ gatherone}\\end{gather}", "gatherone"),
    ("\\begin{gather*}x \\text{ gatherstar}\\end{gather*}", "gatherstar"),
    ("\\begin{multline}a + b \\\\ + c \\text{ multlineone}\\end{multline}", "multlineone"),
    ("\\begin{multline*}a \\\\ b \\text{ multlinestar}\\end{multline*}", "multlinestar"),
    ("\\begin{alignat}{2}a &= b &\\quad c &= d \\text{ alignatone}\\end{alignat}",
     "alignatone"),
    ("\\begin{alignat*}{1}a &= b \\text{ alignatstar}\\end{alignat*}", "alignatstar"),
    ("\\begin{flalign}a &= b \\text{ flalignone}\\end{flalign}", "flalignone"),
    ("\\begin{flalign*}a &= b \\text{ flalignstar}\\end{flalign*}", "flalignstar"),
    ("\\begin{eqnarray}a &=& b \\text{ eqnarrayone}\\end{eqnarray}", "eqnarrayone"),
    ("\\begin{eqnarray*}a &=& b \\text{ eqnarraystar}\\end{eqnarray*}", "eqnarraystar"),
    ("\\label{eq:x}\\begin{align}a &= b \\text{ labelled}\\end{align}", "labelled"),
    ("y = \\begin{align}a &= b \\text{ besideother}\\end{align}", "besideother"),
    ("\\begin{align}a \\end{align}\\begin{gather}b \\text{ twoenvs}\\end{gather}", "twoenvs"),
]


def build_formulas(site: Site, formulas: list[str], *, display: bool = True,
                   name: str = "formulas") -> str:
    """Build one post holding every formula (one paragraph each); the PDF's text."""
    if display:
        body = "".join(f"Formula {i}:\n\n$$\n{f}\n$$\n\n" for i, f in enumerate(formulas))
    else:
        body = "".join(f"Formula {i}: ${f}$ end.\n\n" for i, f in enumerate(formulas))
    post = site.post(body, name=f"{name}.md")
    result = build_post(post, BuildOptions(outdir=site.root / "out"))
    assert result.pdf is not None
    return squash(pdf_text(result.pdf))


def failing_formulas(site: Site, formulas: list[str], *, display: bool = True) -> list[str]:
    """The formulas that do not build on their own (to name them when a group fails)."""
    failing = []
    for i, formula in enumerate(formulas):
        try:
            build_formulas(site, [formula], display=display, name=f"single{i}")
        except MdpaperError as exc:
            failing.append(f"{formula!r}: {exc}")
    return failing


def assert_group_shows(site: Site, table: list[tuple[str, str]], *,
                       display: bool = True) -> None:
    formulas = [f for f, _ in table]
    try:
        text = build_formulas(site, formulas, display=display)
    except MdpaperError:
        pytest.fail("\n".join(failing_formulas(site, formulas, display=display)))
    missing = [(f, shows) for f, shows in table if shows not in text]
    assert not missing, f"not shown as expected: {missing}\nPDF text: {text}"


@requires_tex
@pytest.mark.tex
def test_display_environments_in_double_dollars_build(site: Site) -> None:
    # Inside \[…\] each of these stopped TeX with "Erroneous nesting of equation
    # structures" (18 of 114 real posts).
    assert_group_shows(site, DISPLAY_ENVIRONMENTS)


def _body(site: Site, markdown: str) -> str:
    return convert(load_post(site.post(markdown)), "p").result.body


def test_a_lone_display_environment_is_emitted_bare(site: Site) -> None:
    body = _body(site, "$$\n\\begin{align*}a &= b\\end{align*}\n$$\n")
    assert body.strip() == "\\begin{align*}a &= b\\end{align*}"
    body = _body(site, "$$x = \\begin{gather}a\\end{gather}$$\n")
    assert "\\[\nx = \\begin{gathered}a\\end{gathered}\n\\]" in body




#: Unicode typed in math, with what the PDF must show for it
UNICODE_IN_MATH = [
    ("θ ≤ τ", "θ ≤ τ"),
    ("x ∈ ℝ", "x ∈ R"),
    ("a ≡ b", "a ≡ b"),
    ("f: A → B", "A → B"),
    ("a − b", "a − b"),
    ("1 ⋯ n", "1 · · · n"),
    ("ϕ(x)", "ϕ(x)"),
    ("x² + y₁", "x2 + y1"),
    ("p ⇒ q ⇔ r", "p ⇒ q ⇔ r"),
    ("∀x ∃y", "∀x∃y"),
    ("A ⊆ B ∪ C", "A ⊆ B ∪ C"),
    ("∑ αᵢ", "αi"),
    ("𝔼[X]", "E[X]"),
    ("\\text{café}", "café"),
]


@requires_tex
@pytest.mark.tex
def test_unicode_in_math_shows_the_symbols(site: Site) -> None:
    # pdflatex read "$f: A → B$" as "AßB", with no warning.
    assert_group_shows(site, UNICODE_IN_MATH, display=False)


def test_unicode_without_a_math_meaning_is_a_located_warning(site: Site) -> None:
    conversion = convert(load_post(site.post("Intro.\n\nSee $a ⌘ b$ and $⌘$.\n")), "p")
    assert "\\text{" in conversion.result.body
    warnings = [(d.line, d.message) for d in conversion.result.diagnostics]
    assert warnings == [(7, "character '⌘' (PLACE OF INTEREST SIGN) in math has no LaTeX math "
                            "command known to mdpaper; set as text")]
