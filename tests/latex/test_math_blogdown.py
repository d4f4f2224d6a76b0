"""blogdown's idiom: math inside backticks is math on a blogdown site (its pages run
math-code.js), and stays code everywhere else; blogdown's plots under the page's URL."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from mdpaper.source.blogdown import is_blogdown_site

from conftest import Site, pdf_text, requires_tex, run_cli, squash

POST = r"""Inline `$x_1 + y_{i}$` and `\(a^2 + b^2\)`, code `a$b` and `x = 1`.

Display `$$\sum_{i=1}^n i$$` here.

$$ `\begin{align*} p &= q \\ r &= s \end{align*}` $$

```
`$not math$` in a block
```
"""


def _tex(site: Site, name: str = "b") -> str:
    post = site.post(POST, name=f"{name}.md")
    run = run_cli("build", "--tex-only", str(post))
    assert run.returncode == 0, run.stdout + run.stderr
    return (site.root / "output" / name / f"{name}.tex").read_text()


@pytest.mark.parametrize("marker", ["rprofile", "ignorefiles", "rmd", "rmarkdown", "none"])
def test_blogdown_sites_are_told_by_blogdowns_own_markers(tmp_path: Path, marker: str) -> None:
    site = Site(tmp_path / "site")
    if marker == "rprofile":
        (site.root / ".Rprofile").write_text(
            'options(\n  blogdown.hugo.version = "0.120.0",\n  blogdown.knit.on_save = TRUE\n)\n')
    elif marker == "ignorefiles":
        with (site.root / "hugo.toml").open("a") as f:
            f.write('ignoreFiles = ["\\\\.Rmd$", "\\\\.Rmarkdown$", "_cache$"]\n')
    elif marker in ("rmd", "rmarkdown"):
        site.post("x\n", name=f"older/index.{'Rmd' if marker == 'rmd' else 'Rmarkdown'}")
    else:
        (site.root / ".Rprofile").write_text("options(digits = 4)\n")
    expected = marker != "none"
    assert is_blogdown_site(site.root, site.root / "hugo.toml") is expected


#: math-code.js's job as sites copy it under another name (no R, no blogdown left)
MATH_CODE_COPY = """(function () {
  var i, text, code, codes = document.getElementsByTagName("code");
  for (i = 0; i < codes.length; ) {
    code = codes[i];
    if (code.parentNode.tagName !== "PRE" && code.childElementCount === 0) {
      text = code.textContent;
      if (/^\\$(.|\\s)+\\$$/.test(text)) { code.outerHTML = code.innerHTML; continue; }
    }
    i++;
  }
})();
"""


def _runs_math_code(site: Site, how: str) -> None:
    """Give ``site`` a script on its pages' code elements, the way ``how`` says."""
    home = site.root / "themes" / "t" if how == "theme" else site.root
    loads = {"url": '<script src="//yihui.org/js/math-code.js"></script>',
             "inline": f"<script>{MATH_CODE_COPY}</script>", "unloaded": "<footer></footer>"}
    (home / "layouts" / "partials").mkdir(parents=True)
    (home / "layouts" / "partials" / "foot.html").write_text(
        loads.get(how, '<script src="/js/m.js"></script>'))
    (home / "static" / "js").mkdir(parents=True)
    (home / "static" / "js" / "m.js").write_text(
        MATH_CODE_COPY if how != "highlighter"
        else 'document.getElementsByTagName("code")[0].className = "hljs";\n')
    if how == "theme":  # (a top-level key: before the config's tables)
        config = site.root / "hugo.toml"
        config.write_text('theme = "t"\n' + config.read_text())


@pytest.mark.parametrize("how", ["url", "copy", "inline", "theme", "unloaded", "highlighter"])
def test_sites_running_math_code_without_blogdown(tmp_path: Path, how: str) -> None:
    """A site that left blogdown (or copied the recipe) keeps math in backticks, and its
    pages still run the script: loaded by name, as a copy under another name, inline in a
    layout, from its theme. A copy no layout loads, or another script on code, is not it."""
    site = Site(tmp_path / "site")
    _runs_math_code(site, how)
    tex = _tex(site)
    if how in ("unloaded", "highlighter"):
        assert r"\texttt{\$x\_1\ +\ y\_\{i\}\$}" in tex
    else:
        assert r"\(x_1 + y_{i}\)" in tex and "\\[\n\\sum_{i=1}^n i\n\\]" in tex


def test_backticked_math_is_math_on_a_blogdown_site(tmp_path: Path) -> None:
    site = Site(tmp_path / "site")
    (site.root / ".Rprofile").write_text('options(blogdown.knit.on_save = TRUE)\n')
    tex = _tex(site)
    assert r"\(x_1 + y_{i}\)" in tex and r"\(a^2 + b^2\)" in tex
    assert r"\texttt{a\$b}" in tex and r"\texttt{x\ =\ 1}" in tex  # other code stays
    assert "\\[\n\\sum_{i=1}^n i\n\\]" in tex
    assert "\\begin{align*} p &= q \\\\ r &= s \\end{align*}" in tex
    assert "`\\PYZdl{}not math\\PYZdl{}` in a block" in tex  # a code block is never math


def test_backticked_math_stays_code_elsewhere(tmp_path: Path) -> None:
    tex = _tex(Site(tmp_path / "site"))
    assert r"\texttt{\$x\_1\ +\ y\_\{i\}\$}" in tex


#: math in backticks over several lines (line endings are spaces in a code span)
MULTILINE = "Then\n\n`$$\n\\begin{equation*}\n\\frac{a}{b}\n\\end{equation*}\n$$`\n\n" \
            "and `$c +\nd$` end.\n"


@pytest.mark.parametrize("blogdown", [True, False])
def test_backticked_math_over_several_lines(tmp_path: Path, blogdown: bool) -> None:
    """Hugo makes one ``<code>$$ \\begin{equation*} … $$</code>``: math-code.js hands it to
    MathJax on a blogdown site; elsewhere it is code, not a code span cut by a display."""
    site = Site(tmp_path / "site")
    if blogdown:
        (site.root / ".Rprofile").write_text('options(blogdown.knit.on_save = TRUE)\n')
    post = site.post(MULTILINE, name="m.md")
    run = run_cli("build", "--tex-only", str(post))
    assert run.returncode == 0, run.stdout + run.stderr
    tex = (site.root / "output" / "m" / "m.tex").read_text()
    body = tex[tex.index("\\maketitle"):]
    if blogdown:
        assert "\\begin{equation*}\n\\frac{a}{b}\n\\end{equation*}" in body
        assert "\\(c +\nd\\)" in body and "`" not in body
    else:
        assert "\\texttt{\\$\\$\\ \\textbackslash{}begin" in body
        assert "\\begin{equation*}" not in body


@requires_tex
@pytest.mark.parametrize("how", ["rprofile", "copy"])
def test_blogdown_math_in_the_pdf(tmp_path: Path, how: str) -> None:
    site = Site(tmp_path / "site")
    if how == "rprofile":
        (site.root / ".Rprofile").write_text('options(blogdown.knit.on_save = TRUE)\n')
    else:
        _runs_math_code(site, how)
    post = site.post(POST, name="b.md")
    run = run_cli("build", str(post))
    assert run.returncode == 0, run.stdout + run.stderr
    text = squash(pdf_text(site.root / "output" / "b" / "b.pdf"))
    assert "$" not in text.split("$not math$")[0].replace("a$b", "")
    assert "p=q r=s" in text and "x1 + yi" in text and "a2 + b2" in text


def test_postref_figures_are_the_bundles_files(tmp_path: Path) -> None:
    """blogdown writes an R chunk's plot as <img src="{{< blogdown/postref >}}index_files/…">;
    its shortcode prints the page's URL, so the page shows the bundle's file (Hugo 0.168,
    blogdown's postref.html): the paper shows it too, as a block and among words."""
    site = Site(tmp_path / "site")
    (site.root / "hugo.toml").write_text('title = "T"\n[markup.goldmark.renderer]\nunsafe = true\n')
    post = site.post('Before.\n\n<img src="{{< blogdown/postref >}}index_files/figure-html/c-1.png"'
                     ' width="576" />\n\nAn icon <img src="{{% blogdown/postref %}}index_files/'
                     'figure-html/c-1.png" width="20" /> here.\n', name="r/index.md")
    figures = post.parent / "index_files" / "figure-html"
    figures.mkdir(parents=True)
    Image.new("RGB", (40, 30), "teal").save(figures / "c-1.png")
    run = run_cli("build", "--tex-only", str(post))
    assert run.returncode == 0 and "warning" not in run.stderr, run.stderr
    tex = (site.root / "output" / "r" / "r.tex").read_text()
    assert tex.count("{c-1.png}") == 2 and "postref" not in tex
