"""Math a site's page shows that Hugo's passthrough list does not name: ``\\\\[…\\\\]`` that
Goldmark leaves as ``\\[…\\]`` for MathJax, a ``katex`` shortcode whose body holds its own
``$…$``, a site ``math`` shortcode whose template wraps ``.Inner`` (through a variable, an
``if`` on ``block`` choosing display or inline), also inside a raw ``<div>``. Hugo's own
page is the oracle for what the page's renderer gets."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdpaper.build.convert import convert
from mdpaper.source.hugo import load_hugo_config
from mdpaper.source.site import load_post
from mdpaper.source.site_shortcodes import MathWrapping, read_template

from conftest import Site, pdf_text, requires_hugo, requires_tex, run_cli, run_hugo, squash

ESCAPED_DISPLAY = "Gravity:\n\n\\\\[ F = \\frac{G m_1}{r^2}, \\\\]\n\nand \\\\(x_1\\\\) too.\n"
KATEX = ('{{- $inner := trim .Inner "\\r\\n" }}\n{{- if hasPrefix $inner "$$" }}\n'
         '  <div class="eq">{{- $inner }}</div>\n{{- else }}\n  {{- $inner }}\n{{- end }}\n')
KATEX_POST = "Masses ({{<katex>}}$m_1$ and $m_2${{</katex>}}) and {{<katex>}}$g${{</katex>}}.\n"
MATH = ('{{- $block := eq (printf "%v" (.Get "block")) "true" -}}\n'
        '{{- $expr := trim .Inner " \\t\\r\\n" -}}\n{{- if $block -}}\n'
        '<div class="m">\\[{{ $expr }}\\]</div>\n{{- else -}}\n\\({{ $expr }}\\)\n{{- end -}}\n')
MATH_POST = ("Policy\n\n{{< math block=true >}}\n\\begin{aligned}\na &= b \\\\\n&= c\n"
             "\\end{aligned}\n{{< /math >}}\n\nwith {{< math >}}\\beta > 0{{< /math >}} and"
             ' {{< math block="true" >}}\\gamma_2{{< /math >}}.\n\n<div class="note">\n'
             "{{< math >}}\\delta + 1{{< /math >}} in a div\n</div>\n")


def write(site: Site, shortcodes: dict[str, str]) -> None:
    (site.root / "layouts" / "_default").mkdir(parents=True, exist_ok=True)
    (site.root / "layouts" / "_default" / "single.html").write_text("{{ .Content }}")
    (site.root / "layouts" / "shortcodes").mkdir(parents=True, exist_ok=True)
    for name, text in shortcodes.items():
        (site.root / "layouts" / "shortcodes" / f"{name}.html").write_text(text)
    with (site.root / "hugo.toml").open("a") as config:
        config.write("[markup.goldmark.renderer]\nunsafe = true\n")


def page(site: Site, post: Path) -> str:
    done = run_hugo(site.root, "--quiet")
    assert done.returncode == 0, done.stderr
    return (site.root / "public" / "posts" / post.stem / "index.html").read_text()


def body(post: Path) -> tuple[str, list[str]]:
    result = convert(load_post(post), "post").result
    return result.body, [f"{d.line}: {d.message}" for d in result.diagnostics]


@requires_hugo
def test_escaped_delimiters_the_passthrough_list_lacks_are_math(site: Site) -> None:
    write(site, {})
    post = site.post(ESCAPED_DISPLAY)
    # Goldmark leaves \[ … \] and \( … \) for MathJax, whose defaults take both
    html = page(site, post)
    assert "<p>\\[ F = \\frac{G m_1}{r^2}, \\]</p>" in html and "\\(x_1\\)" in html
    tex, warnings = body(post)
    assert "\\[\nF = \\frac{G m_1}{r^2},\n\\]" in tex.replace("[ F", "[\nF").replace(
        ", \\]", ",\n\\]")
    assert "and \\(x_1\\) too." in tex
    assert warnings == []


def test_a_renderer_configuration_that_lacks_them_leaves_them_text(site: Site) -> None:
    (site.root / "layouts").mkdir()
    (site.root / "layouts" / "mathjax.html").write_text(
        "<script>MathJax = {tex: {inlineMath: [['$', '$']], displayMath: [['$$', '$$']]}};"
        "</script>\n")
    math = load_hugo_config(site.root).math
    assert ("\\\\[", "\\\\]") not in math.block and ("\\\\(", "\\\\)") not in math.inline
    (site.root / "layouts" / "mathjax.html").write_text(
        '<script>renderMathInElement(document.body, {delimiters: [{left: "\\\\[", right: '
        '"\\\\]", display: true}, {left: "\\\\begin{equation}", right: "\\\\end{equation}", '
        "display: true}]});</script>\n")
    math = load_hugo_config(site.root).math
    assert math.markdown == (("\\\\[", "\\\\]"),)


@requires_hugo
def test_a_katex_shortcode_holding_its_own_dollars_is_text_with_math(site: Site) -> None:
    write(site, {"katex": KATEX})
    post = site.post(KATEX_POST)
    assert "Masses ($m_1$ and $m_2$\n) and $g$\n." in page(site, post)
    tex, warnings = body(post)
    assert "Masses (\\(m_1\\) and \\(m_2\\)) and \\(g\\)." in tex
    assert warnings == []


@pytest.mark.parametrize("template, wrapping", [
    (MATH, MathWrapping(("\\(", "\\)"), ("\\[", "\\]"), "block")),
    ('{{ if .Get "display" }}$${{ .Inner | safeHTML }}$${{ else }}\\({{ .Inner }}\\){{ end }}',
     MathWrapping(("\\(", "\\)"), ("$$", "$$"), "display", truthy=True)),
    ('<span class="m">\\({{ .Inner | chomp }}\\)</span>\n', MathWrapping(("\\(", "\\)"))),
    ('{{ $x := .Inner | markdownify }}\\({{ $x }}\\)', None),  # Markdown: not the math
    (KATEX, None),
])
def test_site_math_templates_are_read(template: str, wrapping: MathWrapping | None) -> None:
    assert read_template(template) == wrapping


@requires_hugo
def test_a_site_math_shortcode_is_math_as_its_template_wraps_it(site: Site) -> None:
    write(site, {"math": MATH})
    post = site.post(MATH_POST)
    html = page(site, post)
    assert '<div class="m">\\[\\begin{aligned}' in html and "\\(\\beta &gt; 0\\)" in html
    assert '<div class="m">\\[\\gamma_2\\]</div>' in html
    assert "\\(\\delta &#43; 1\\) in a div" in html
    tex, warnings = body(post)
    assert "\\[\n\\begin{aligned}\na &= b \\\\\n&= c\n\\end{aligned}\n\\]" in tex
    assert "with \\(\\beta > 0\\) and" in tex and "\\[\n\\gamma_2\n\\]" in tex
    assert "\\(\\delta + 1\\) in a div" in tex
    assert warnings == []


@requires_tex
def test_the_page_formulas_are_typeset(site: Site, tmp_path: Path) -> None:
    write(site, {"math": MATH, "katex": KATEX})
    post = site.post(ESCAPED_DISPLAY + "\n" + KATEX_POST + "\n" + MATH_POST)
    done = run_cli("build", str(post), "-o", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    text = squash(pdf_text(tmp_path / "out" / "post" / "post.pdf"))
    assert "Masses (m1 and m2 ) and g." in text and "with β > 0 and" in text
    for raw in ("\\", "{{", "$", "frac", "aligned"):
        assert raw not in text

