"""A script that is a command with its arguments (``f_\\hat{\\alpha}``, ``E_\\tilde{P}``):
KaTeX and MathJax take the command and its arguments as the script, TeX's accents stopped
after the command ("Missing { inserted"), and the post failed to build."""

from __future__ import annotations

import pytest

from mdpaper.build.post import BuildOptions, build_post
from mdpaper.latex.math_arguments import braced_scripts

from conftest import Site, pdf_text, requires_tex


@requires_tex
@pytest.mark.tex
def test_an_accent_as_a_subscript_builds_and_shows(site: Site) -> None:
    post = site.post("The model $f_\\hat{\\alpha}(x)$ and "
                     "$\\operatorname{E}_\\tilde{P}[\\ell]$ under it.\n")
    result = build_post(post, BuildOptions(engine="pdflatex"))
    assert result.pdf is not None and not result.diagnostics
    text = pdf_text(result.pdf)
    assert "f\u03b1\u0302" in text and "EP\u0303" in text  # α̂ and P̃, set as scripts


@pytest.mark.parametrize(("math", "braced"), [
    ("x^\\frac{1}{2}", "x^{\\frac{1}{2}}"),
    ("x_ \\sqrt[3]{y}", "x_{\\sqrt[3]{y}}"),
    ("x_\\hat{y_\\tilde z}", "x_{\\hat{y_{\\tilde z}}}"),  # a script inside one too
    ("x_\\alpha", "x_\\alpha"),  # no arguments: TeX reads it as they do
    ("a\\_\\hat b", "a\\_\\hat b"),  # an underscore, no script
    ("x_\\frac{1}", "x_\\frac{1}"),  # missing_argument's to report
])
def test_only_a_command_with_all_its_arguments_is_braced(math: str, braced: str) -> None:
    assert braced_scripts(math) == braced
