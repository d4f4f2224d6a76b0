"""A command left without its argument (``\\frac{a}`` at a formula's end, ``x^}``) is an
error on the page too (KaTeX: "Expected group after '^'"; MathJax: "Missing argument for
\\frac"). The paper says which command lacks what, at the formula's line, instead of TeX's
"Missing } inserted; and 22 more TeX errors"; formulas that have their arguments, in any of
TeX's ways of giving them, build.

Real pdflatex and poppler for the formulas that build."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdpaper.latex.math_arguments import missing_argument

from conftest import Site, pdf_text, requires_tex, run_cli

LACKING = [
    (r"\frac{a}", r"\frac without its second argument"),
    (r"\frac", r"\frac without its first argument"),
    (r"x^", "superscript '^' with nothing after it"),
    (r"\sum_{i} x_ ", "subscript '_' with nothing after it"),
    (r"{a^}", "superscript '^'"),
    (r"\begin{aligned} x^ & y \end{aligned}", "superscript '^'"),
    (r"\sqrt[3]", r"\sqrt without its argument"),
    (r"\text{E}\doteq\underbrace", r"\underbrace without its argument"),
    (r"\hat", r"\hat without its argument"),
]

HAVING = [r"\frac12", r"\frac{a}{}", r"\frac a b", r"\sqrt[3]{x}", r"\hat\alpha",
          r"x^{}", r"x^\prime", r"\underbrace{a+b}_{\text{two}}", r"{\color{red} x}",
          r"\frac{\{a\}}{b}", r"\mathbb R^n", r"a\_b", r"\textcolor{red}{x}",
          r"\text{__init__} + x"]


@pytest.mark.parametrize(("formula", "said"), LACKING)
def test_what_is_missing_is_named(formula: str, said: str) -> None:
    found = missing_argument(formula)
    assert found is not None and said in found, found


@pytest.mark.parametrize("formula", HAVING)
def test_a_formula_with_its_arguments_passes(formula: str) -> None:
    assert missing_argument(formula) is None


def test_the_posts_own_command_of_that_name_is_its_own() -> None:
    assert missing_argument(r"\hat", own={"hat"}) is None
    assert missing_argument(r"\href{https://a.org/x_}{a}") is None


@requires_tex
def test_the_build_names_the_command_at_its_line(site: Site, tmp_path: Path) -> None:
    post = site.post("Good: $\\frac12 + \\hat\\alpha$.\n\n"
                     "$$\\text{E}\\doteq\\underbrace$$\n\nAnd $x^$ too.\n", "gap.md")
    done = run_cli("build", str(post), "-o", str(tmp_path / "out"))
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert any(line.startswith(f"{post}:7: error: math has \\underbrace without its argument")
               for line in lines), done.stderr
    assert any(line.startswith(f"{post}:9: error: math has a superscript") for line in lines)
    assert "Missing } inserted" not in done.stderr and "Traceback" not in done.stderr


@requires_tex
def test_formulas_with_their_arguments_build(site: Site, tmp_path: Path) -> None:
    text = "\n\n".join(f"F{i}: ${formula}$." for i, formula in enumerate(HAVING))
    post = site.post(text + "\n\n$$\\newcommand{\\hatted}{\\hat} \\hatted{x}$$\n", "fine.md")
    done = run_cli("build", str(post), "-o", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    shown = pdf_text(tmp_path / "out" / "fine" / "fine.pdf")
    assert all(f"F{i}:" in shown for i in range(len(HAVING))), shown
