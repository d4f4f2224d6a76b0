"""Every error of a post in one run: the converter's and all of TeX's from one pass, in line
order, each at its Markdown line; the build exits 1 and the last good PDF stays."""

from __future__ import annotations

from pathlib import Path

from conftest import Site, requires_tex, run_cli

GOOD = "Intro cites {{< cite \"shannon1948\" >}}.\n\nA bound $0\\leq k < K$ holds.\n"

SLIPS = """Intro cites {{< cite "shannon1948" >}}.

A bound $0\\leqk< K$ holds.

Cites {{< cite "nobody2020" >}} here.

And $\\alpah + 1$ too.
"""


def _error_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if ": error: " in line]


@requires_tex
def test_check_and_build_report_all_three_slips(site: Site) -> None:
    post = site.post(GOOD, name="slips.md")
    first = run_cli("build", str(post))
    assert first.returncode == 0, first.stderr
    pdf = site.root / "output" / "slips" / "slips.pdf"
    before = pdf.read_bytes()

    post.write_text(post.read_text().replace(GOOD, SLIPS))
    check = run_cli("check", str(post))
    build = run_cli("build", str(post))
    expected = [
        f"{post}:7: error: Undefined control sequence \\leqk in math; did you mean '\\leq k'?",
        f"{post}:9: error: unknown citation key 'nobody2020'",
        f"{post}:11: error: Undefined control sequence \\alpah in math; did you mean '\\alpha'?",
    ]
    assert check.returncode == 1 and build.returncode == 1
    assert _error_lines(check.stdout + check.stderr) == expected
    assert _error_lines(build.stdout + build.stderr) == expected
    assert "Traceback" not in build.stderr
    assert pdf.read_bytes() == before  # the last good PDF, not one with placeholders


@requires_tex
def test_conversion_and_tex_errors_together(site: Site) -> None:
    """An unknown key no longer hides TeX's errors: TeX runs around its placeholder, and
    goes on after each of its own errors (no -halt-on-error)."""
    post = site.post("Cites {{< cite \"nobody2020\" >}} here.\n\n"
                     "Then $x^1^2$ once.\n\n"
                     "Then $y_1_2$ and $z^1^2$ and $w^1^2$ on one line.\n\n"
                     "Last $\\foobar$ and $\\alpah$.\n", name="many.md")
    build = run_cli("build", str(post))
    assert build.returncode == 1
    errors = _error_lines(build.stdout + build.stderr)
    assert errors == [
        f"{post}:5: error: unknown citation key 'nobody2020'",
        f"{post}:7: error: Double superscript",
        f"{post}:9: error: Double subscript; and 2 more TeX errors on this line",
        f"{post}:11: error: Undefined control sequence \\foobar in math",
        f"{post}:11: error: Undefined control sequence \\alpah in math; "
        "did you mean '\\alpha'?",
    ]
    assert not (site.root / "output" / "many" / "many.pdf").exists()


@requires_tex
def test_tex_only_errors_get_a_did_you_mean(site: Site, tmp_path: Path) -> None:
    """An undefined word TeX finds (outside the math check, in a template that lets the
    check only warn) gets the same did-you-mean as check gives."""
    template = tmp_path / "tmpl"
    template.mkdir()
    # a package mdpaper does not know the macros of: check only warns of unknown words
    (template / "template.toml").write_text('preamble = "\\\\usepackage{xcolor}"\n')
    post = site.post("A slip $\\alpah$ here.\n\nAnd $\\betaa$ there.\n", name="t.md")
    build = run_cli("build", "--template", str(template), str(post))
    assert build.returncode == 1, build.stdout + build.stderr
    errors = _error_lines(build.stdout + build.stderr)
    assert errors == [
        f"{post}:5: error: Undefined control sequence \\alpah; did you mean '\\alpha'?",
        f"{post}:7: error: Undefined control sequence \\betaa; did you mean '\\beta'?",
    ]
