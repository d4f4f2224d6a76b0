"""Math macros a site gives KaTeX or MathJax outside the post (front matter pairs, site
data, a passthrough render hook's dict, a KaTeX/MathJax options object): the page renders
them, so the paper defines them."""

from __future__ import annotations

from pathlib import Path

from mdpaper.source.site_macros import site_math_macros

from conftest import Site, pdf_text, requires_tex, run_cli, squash

HOOK = ('{{- $macros := dict "\\\\ket" "\\\\left|#1\\\\right\\\\rangle" "\\\\vect" '
        '"\\\\mathbf{#1}" }}\n{{- $opts := dict "macros" $macros }}\n'
        "{{ with try (transform.ToMath .Inner $opts) }}{{ .Value }}{{ end }}\n")
KATEX = ('<script>renderMathInElement(document.body, {delimiters: [], macros: '
         '{"\\\\RR": "\\\\mathbb{R}", "\\\\half": "\\\\frac{1}{2}"}});</script>\n'
         '<script>MathJax = {tex: {macros: {norm: ["\\\\left\\\\| #1 \\\\right\\\\|", 1], '
         "EE: '\\\\mathbb{E}'}}};</script>\n")


def write_site_files(root: Path) -> None:
    hooks = root / "layouts" / "_default" / "_markup"
    hooks.mkdir(parents=True)
    (hooks / "render-passthrough.html").write_text(HOOK)
    (root / "layouts" / "partials").mkdir()
    (root / "layouts" / "partials" / "math.html").write_text(KATEX)
    (root / "data").mkdir(exist_ok=True)
    (root / "data" / "math_macros.yaml").write_text('"\\\\Var": "\\\\operatorname{Var}"\n')


def test_where_sites_keep_their_macros(tmp_path: Path) -> None:
    write_site_files(tmp_path)
    (tmp_path / "data").mkdir(exist_ok=True)
    found = site_math_macros(tmp_path, {"macros": [["\\Rm", "\\textrm{Rm}"]]},
                             {"math": {"macros": {"\\Ent": "\\mathrm{H}"}}})
    assert found == {"Rm": "\\textrm{Rm}", "Ent": "\\mathrm{H}",
                     "Var": "\\operatorname{Var}",
                     "ket": "\\left|#1\\right\\rangle", "vect": "\\mathbf{#1}",
                     "RR": "\\mathbb{R}", "half": "\\frac{1}{2}",
                     "norm": "\\left\\| #1 \\right\\|", "EE": "\\mathbb{E}"}


def test_the_page_macro_wins_over_the_site(tmp_path: Path) -> None:
    found = site_math_macros(tmp_path, {"macros": {"\\R": "\\mathcal{R}"}},
                             {"macros": {"\\R": "\\mathbb{R}"}})
    assert found == {"R": "\\mathcal{R}"}


@requires_tex
def test_a_post_using_the_sites_macros_builds(site: Site, tmp_path: Path) -> None:
    write_site_files(site.root)
    post = site.post("$$\\newcommand{\\Z}{\\mathbb{Z}}$$\n\nLet $\\ket{\\psi}$, $\\RR$, "
                     "$\\Var(X)$, $\\norm{v}$ and $\\Rm$ end.\n", "p.md",
                     '---\ntitle: T\nmacros: [["\\\\Rm", "\\\\textrm{Rm}"]]\n---\n')
    done = run_cli("build", str(post), "-o", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    text = squash(pdf_text(tmp_path / "out" / "p" / "p.pdf"))
    assert "Let |ψ⟩, R, Var(X), ∥v∥ and Rm end." in text


@requires_tex
def test_a_site_macro_may_use_one_the_site_lists_after_it(site: Site, tmp_path: Path) -> None:
    # KaTeX expands a macro where a formula uses it, so the order of the options does not
    # matter on the page; the paper checked \ihom before \Hom was defined and stopped
    (site.root / "layouts" / "partials").mkdir(parents=True)
    (site.root / "layouts" / "partials" / "math.html").write_text(
        '<script>renderMathInElement(document.body, {macros: {"\\\\ihom": '
        '"\\\\underline{\\\\Hom}", "\\\\Hom": "\\\\operatorname{Hom}"}});</script>\n')
    post = site.post("Maps $\\ihom(A, B)$ and $\\Hom(A, B)$ end.\n", "p.md")
    done = run_cli("build", str(post), "-o", str(tmp_path / "out"))
    assert done.returncode == 0 and "warning" not in done.stderr, done.stderr
    assert "Maps Hom(A, B) and Hom(A, B) end." in squash(pdf_text(tmp_path / "out" / "p" /
                                                                 "p.pdf"))


def test_a_failing_site_macro_is_told_where_the_site_defines_it(site: Site,
                                                                 tmp_path: Path) -> None:
    """KaTeX expands a macro only where a formula uses it: a post that does not use the
    faulty one builds (with a warning at the file that defines it); one that does gets a
    located error, as its page shows one there. The build stopped, naming the post."""
    (site.root / "data").mkdir(exist_ok=True)
    (site.root / "data" / "math_macros.json").write_text(
        '{"\\\\Hom": "\\\\operatorname{Hom}", "\\\\bad": "\\\\nosuchthing{x}"}')
    post = site.post("Maps $\\Hom(A, B)$ end.\n", "p.md")
    done = run_cli("build", str(post), "-o", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert f"{site.root / 'data' / 'math_macros.json'}: warning: site macro \\bad left " \
           "undefined: Undefined control sequence \\nosuchthing in math" in done.stderr
    assert "Maps Hom(A, B) end." in squash(pdf_text(tmp_path / "out" / "p" / "p.pdf"))
    post = site.post("Maps $\\bad$ end.\n", "q.md")
    done = run_cli("build", str(post), "-o", str(tmp_path / "out"))
    assert done.returncode != 0 and f"{post}:5: error: Undefined control sequence \\bad" \
        in done.stderr, done.stderr
