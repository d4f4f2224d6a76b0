"""An empty formula (``\\\\(\\\\)``, ``$$$$``) is math the page's renderer sets as nothing:
the PDF shows nothing there either, not its delimiters, and keeps the paragraph whole.

Hugo says what Goldmark leaves for MathJax and KaTeX; real pdflatex and poppler."""

from __future__ import annotations

from pathlib import Path

from conftest import Site, pdf_text, requires_hugo, requires_tex, run_cli, run_hugo

#: without passthrough, as a Hugo Blox site writes math: ``\\(`` is ``\(`` on the page
ESCAPED = r"""Before the gap.

\\(\\)

Middle \\(\\) words and $$$$ more words, then \\(x+1\\) last.
"""

#: with passthrough (the test site's): the delimiters as the page's renderer reads them
PASSED = r"""Before the gap.

\(\)

Middle \(\) words and \[\] more words, then \(x+1\) last.
"""


def _plain_site(site: Site) -> Site:
    (site.root / "hugo.toml").write_text('title = "Test site"\n')
    return site


@requires_hugo
def test_hugo_leaves_the_empty_pairs_to_the_page_renderer(site: Site, tmp_path: Path) -> None:
    (site.root / "layouts" / "_default").mkdir(parents=True)
    (site.root / "layouts" / "_default" / "single.html").write_text("{{ .Content }}")
    _plain_site(site).post(ESCAPED, "gap.md")
    done = run_hugo(site.root, "build", "--quiet", "--destination", str(tmp_path / "web"))
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "web" / "posts" / "gap" / "index.html").read_text()
    assert "<p>\\(\\)</p>" in page
    assert "Middle \\(\\) words and $$$$ more words" in page


@requires_tex
def test_an_empty_formula_shows_nothing(site: Site, tmp_path: Path) -> None:
    for name, text, plain in (("escaped", ESCAPED, True), ("passed", PASSED, False)):
        source = Site(tmp_path / f"site-{name}")
        post = (_plain_site(source) if plain else source).post(text, f"{name}.md")
        done = run_cli("build", str(post), "-o", str(tmp_path / name))
        assert done.returncode == 0, done.stderr
        assert ": warning:" not in done.stderr
        shown = pdf_text(tmp_path / name / name / f"{name}.pdf")
        assert "\\(" not in shown and "\\)" not in shown and "$" not in shown, shown
        assert "()" not in shown and "[]" not in shown, shown
        words = " ".join(shown.split())
        assert "Before the gap. Middle words and more words, then x + 1 last." in words, words
