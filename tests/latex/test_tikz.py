"""TikZJax pictures (``latex.tikz``): the page's TikZJax draws the text of a
``<script type="text/tikz">``; the paper draws it with TeX's TikZ, checked as math is, its TeX
errors told at the post's lines. Hugo's own page is the evidence of the script's text."""

from __future__ import annotations

import pytest

from mdpaper.build.convert import convert
from mdpaper.build.options import BuildOptions
from mdpaper.build.post import build_post
from mdpaper.errors import MdpaperError
from mdpaper.source.site import load_post

from conftest import Site, pdf_text, requires_hugo, requires_tex, run_cli, run_hugo, squash

FRONT = "---\ntitle: Pictures\n---\n"
RAW_HTML = 'title = "T"\n[markup.goldmark.renderer]\nunsafe = true\n'
SQUARE = ("\\begin{tikzpicture}\n\\draw (0,0) rectangle (2,1);\n"
          "\\node at (1,0.5) {Alpha};\n\\end{tikzpicture}\n")


def built(post_text: str, site: Site, engine: str | None = None) -> tuple[str, str, list[str]]:
    """The post's LaTeX body, its PDF's text and its diagnostics."""
    post = site.post(post_text, front=FRONT)
    tex = convert(load_post(post), "post").result.body
    result = build_post(post, BuildOptions(engine=engine))
    assert result.pdf is not None
    told = [f"{d.line}: {d.message}" for d in result.diagnostics]
    return tex, squash(pdf_text(result.pdf)), told


@pytest.mark.tex
@requires_tex
@requires_hugo
@pytest.mark.parametrize("engine", ["pdflatex", "xelatex"])
def test_a_tikzjax_script_in_raw_html_is_drawn(site: Site, engine: str) -> None:
    """The page holds the script (TikZJax draws it); the paper draws the same picture, its
    node's label text in the PDF, between the paragraphs around it."""
    (site.root / "hugo.toml").write_text(RAW_HTML)
    text = ("Before.\n\n<script type=\"text/tikz\">\n" + SQUARE + "</script>\n\nAfter.\n")
    layouts = site.root / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "single.html").write_text("{{ .Content }}")
    site.post(text, name="page.md", front=FRONT)
    assert run_hugo(site.root).returncode == 0
    page = (site.root / "public" / "posts" / "page" / "index.html").read_text()
    assert '<script type="text/tikz">\n\\begin{tikzpicture}' in page
    tex, pdf, told = built(text, site, engine)
    fitted = "\\begin{adjustbox}{max width=\\linewidth}\n\\begin{tikzpicture}"
    assert "\\begin{center}\n" + fitted in tex and "\\begin{tikzpicture}" not in pdf
    assert "Before. Alpha After." in pdf and told == []


@pytest.mark.tex
@requires_tex
def test_a_tikz_shortcode_without_template_is_drawn_with_its_libraries(site: Site) -> None:
    """The theme that writes the script is absent (a submodule not checked out): the
    shortcode's source was printed as text with an 'unknown shortcode' warning. A caption
    (themes' tikz shortcodes take one) makes a figure; TikZJax's library line goes to the
    preamble; the arXiv bundle compiles alone with it."""
    text = ("Steps:\n\n{{< tikz caption=\"A *walk*.\" >}}\n\\usetikzlibrary{arrows.meta}\n"
            "\\begin{tikzpicture}\n\\draw[-{Stealth}] (0,0) -- (1,0) node[right] {Beta};\n"
            "\\end{tikzpicture}\n{{< /tikz >}}\n\nAnd {{< tikz >}}\\tikz \\node {Gamma};"
            "{{< /tikz >}} inline.\n")
    tex, pdf, told = built(text, site)
    assert "Beta" in pdf and "Figure 1: A walk." in pdf and "And Gamma inline." in pdf
    assert "usetikzlibrary" not in tex and "tikzpicture" not in pdf and told == []
    tex_file = next((site.root / "output").glob("*/*.tex")).read_text()
    assert "\\usepackage{tikz}%\n\\usetikzlibrary{arrows.meta}" in tex_file
    bundle = run_cli("arxiv", str(site.root / "content" / "posts" / "post.md"))
    assert bundle.returncode == 0, bundle.stdout + bundle.stderr
    assert "OK: compiles alone" in bundle.stdout and "hyperref should" not in bundle.stdout


@pytest.mark.tex
@requires_tex
def test_a_tikz_cd_diagram_from_data_tex_packages(site: Site) -> None:
    (site.root / "hugo.toml").write_text(RAW_HTML)
    text = ("<script type=\"text/tikz\" data-tex-packages='{\"tikz-cd\": \"\"}'>\n"
            "\\begin{tikzcd}\nDelta \\arrow[r, \"f\"] & Omega\n\\end{tikzcd}\n</script>\n")
    _, pdf, told = built(text, site)
    assert "Delta" in pdf and "Omega" in pdf and told == []
    tex_file = next((site.root / "output").glob("*/*.tex")).read_text()
    assert "\\usepackage{tikz-cd}" in tex_file


@pytest.mark.parametrize(("source", "line", "message"), [
    ("\\begin{tikzpicture}\n\\node {\\input{/etc/passwd}};\n\\end{tikzpicture}", 8,
     "a TikZ picture may not use \\input (it reads or writes files, runs programs, or "
     "reaches beyond the picture)"),
    ("\\begin{tikzpicture}\n\\draw plot file {data.txt};\n\\end{tikzpicture}", 8,
     "a TikZ picture may not use file (it reads or writes files, runs programs, or "
     "reaches beyond the picture)"),
    ("\\begin{tikzpicture}\n\n\\def\\end{}\n\\end{tikzpicture}", 9,
     "a TikZ picture may not redefine \\end (the picture or the document relies on it)"),
    ("\\begin{tikzpicture}\n\\node {A}};\n\\end{tikzpicture}", 7,
     "a TikZ picture may not have a '}' without a matching '{'"),
    ("\\usepackage{tikzcd}\n\\begin{tikzcd} A \\end{tikzcd}", 7,
     "a TikZ picture asks for package 'tikzcd', which mdpaper does not load for TikZ "
     "pictures (did you mean 'tikz-cd'?)"),
])
def test_a_refused_construct_is_a_located_error(site: Site, source: str, line: int,
                                               message: str) -> None:
    post = site.post(f"Text.\n\n{{{{< tikz >}}}}\n{source}\n{{{{< /tikz >}}}}\n", front=FRONT)
    with pytest.raises(MdpaperError) as raised:
        convert(load_post(post), "post")
    assert str(raised.value) == f"{post}:{line}: error: {message}"


@pytest.mark.tex
@requires_tex
def test_a_tex_error_in_a_picture_is_told_at_its_line(site: Site) -> None:
    post = site.post("Text.\n\n{{< tikz >}}\n\\begin{tikzpicture}\n\\draw (0,0) -- (1,1);\n"
                     "\\node {A \\nosuchmacro};\n\\end{tikzpicture}\n{{< /tikz >}}\n\nEnd.\n",
                     front=FRONT)
    done = run_cli("build", str(post))
    assert done.returncode != 0
    assert f"{post}:9: error: Undefined control sequence \\nosuchmacro" in done.stdout + \
        done.stderr


def test_a_pictures_id_is_a_link_target(site: Site) -> None:
    """``{{< tikz id="sq" >}}``: links to ``#sq`` go to the picture (they warned "no heading
    has that id" and lost their link)."""
    post = site.post('{{< tikz id="sq" >}}\n' + SQUARE + "{{< /tikz >}}\n\nAs [drawn](#sq).\n",
                     front=FRONT)
    result = convert(load_post(post), "post").result
    assert "\\hyperref[sec:sq]{drawn}" in result.body
    assert not [d for d in result.diagnostics if "sq" in d.message]
