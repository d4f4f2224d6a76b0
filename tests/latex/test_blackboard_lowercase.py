"""``\\mathbb`` of a lowercase letter: amssymb's double-struck font has no lowercase
letters, and its slots hold other symbols (``\\mathbb{v}`` printed ≿, ``\\mathbb{k}`` ℸ,
with no word). KaTeX sets the plain letter (and its double-struck k); so does the paper,
with a located warning for the letter it cannot double.

Real pdflatex and poppler."""

from __future__ import annotations

from pathlib import Path

from conftest import Site, pdf_text, requires_tex, run_cli

POST = """Vectors $\\mathbb{v} + \\mathbb w$ over a field $\\mathbb{k}$ in $\\mathbb{R}^n$.
"""


@requires_tex
def test_a_lowercase_blackboard_letter_is_that_letter(site: Site, tmp_path: Path) -> None:
    post = site.post(POST, "bb.md")
    done = run_cli("build", str(post), "-o", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    shown = " ".join(pdf_text(tmp_path / "out" / "bb" / "bb.pdf").split())
    assert "Vectors v + w over a field k in Rn" in shown, shown
    assert not set("≿ℸ") & set(shown)
    warned = [line for line in done.stderr.splitlines() if ": warning:" in line]
    assert [line.split(": warning: ")[0] for line in warned] == [f"{post}:5", f"{post}:5"]
    assert "no double-struck lowercase v" in warned[0]
    assert "no double-struck lowercase w" in warned[1]
