"""``\\mathbb``, ``\\mathcal`` and ``\\mathscr`` of a lowercase letter or a digit, and
those or ``\\mathfrak`` of a Greek capital (``\\mathbb{\\Gamma}`` printed ≨): their fonts
do not have them, and those slots hold other symbols (``\\mathbb{v}``
printed ≿, ``\\mathbb{k}`` ℸ, ``\\mathcal{a}`` ⊣, ``\\mathcal{1}`` ∞, with no word) or
nothing (rsfs). KaTeX sets the plain character (and a double-struck k); so does the paper,
with a located warning for each character it cannot set in that alphabet.

Real pdflatex and poppler."""

from __future__ import annotations

from pathlib import Path

from conftest import Site, pdf_text, requires_tex, run_cli

POST = """Vectors $\\mathbb{v} + \\mathbb w$ over a field $\\mathbb{k}$ in $\\mathbb{R}^n$.

Sets $\\mathcal{a} \\mathcal{1} \\mathscr{x} \\mathcal{Ab}$ end.

Greek $\\mathbb{\\Gamma} \\mathcal\\Delta \\mathfrak{\\Omega} \\mathfrak{g}$ end.
"""


@requires_tex
def test_a_lowercase_blackboard_letter_is_that_letter(site: Site, tmp_path: Path) -> None:
    post = site.post(POST, "bb.md")
    done = run_cli("build", str(post), "-o", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    shown = " ".join(pdf_text(tmp_path / "out" / "bb" / "bb.pdf").split())
    assert "Vectors v + w over a field k in Rn" in shown, shown
    assert "Sets a1xAb end." in shown, shown
    # (poppler reads cmr's Delta and Omega as INCREMENT and OHM SIGN, or as the letters)
    assert any(f"Greek \u0393{delta}{omega}g end." in shown
               for delta in "\u0394\u2206" for omega in "\u03a9\u2126"), shown
    assert not set("≿≾ℸ⊣∞⌊≨·") & set(shown)
    warned = [line for line in done.stderr.splitlines() if ": warning:" in line]
    assert [line.split(": warning: ")[0] for line in warned] == [f"{post}:5"] * 2 + [
        f"{post}:7"] * 4 + [f"{post}:9"] * 3
    for line, said in zip(warned, ("mathbb has no v", "mathbb has no w", "mathcal has no a",
                                   "mathcal has no 1", "mathscr has no x", "mathcal has no b",
                                   "mathbb has no \\Gamma", "mathcal has no \\Delta",
                                   "mathfrak has no \\Omega"), strict=True):
        assert said in line, line
