"""More math as KaTeX and MathJax show it, built with real pdflatex: the formulas of KaTeX's
support table that did not compile, and MathJax's readings found in real posts. Each PDF's
text (or its fonts and colours, where a glyph has no text) must show what the formula
means, not only compile."""

from __future__ import annotations

import subprocess

import pytest
from test_math_compat import assert_group_shows

from mdpaper.arxiv.preflight import check_source
from mdpaper.build.convert import convert
from mdpaper.build.post import BuildOptions, build_post
from mdpaper.errors import MdpaperError
from mdpaper.source.site import load_post

from conftest import Site, pdf_object_bytes, pdf_text, requires_tex, squash

pytestmark = [requires_tex, pytest.mark.tex]

#: formulas as KaTeX's support table writes them, each marked by a word, and what shows
KATEX_DEFINED = [
    ("\\text{angl:} a_{\\angl n} a_\\angln", "angl:anan"),
    ("\\text{phase:}\\phase{-78^\\circ}", "phase:−78◦"),
    ("\\text{heads:}\\xtwoheadrightarrow{abc}\\xtwoheadleftarrow[d]{e}", "↠"),
    ("\\text{heads:}\\xtwoheadleftarrow[d]{e}", "↞"),
    ("\\text{group:}\\overgroup{AB}\\undergroup{CD}", "AB"),
    ("\\text{sout:}\\text{\\sout{abc}}", "sout:abc"),
    ("\\text{edef:}\\def\\foo{a}\\edef\\fcopy{\\foo}\\def\\foo{}\\fcopy", "edef:a"),
    ("\\text{xdef:}\\def\\foz{b}\\xdef\\fcopz{\\foz}\\def\\foz{}\\fcopz", "xdef:b"),
    ("\\text{global:}\\global\\def\\add#1#2{#1+#2} \\add 2 3", "global:2+3"),
    ("\\text{char:}\\char\"263a", "char:☺"),
    ("\\text{origof:}\\origof\\imageof", "origof:•−◦◦−•"),
    ("\\text{ratio:}a\\ratio b", "ratio:a:b"),
    ("\\text{nicefrac:}\\nicefrac{1}{2}", "nicefrac:1/2"),
    ("\\text{above:}{a \\above{2pt} b+1}", "above:b+1"),
    ("\\text{mskip:}a\\mskip{10mu}b\\hspace7ex c\\rule{18mu}{9mu}", "mskip:abc"),
    ("\\text{vcenter:}a+\\left(\\vcenter{\\frac{\\frac a b}c}\\right)", "vcenter:"),
    ("\\text{group:}\\begingroup a}{b\\endgroup", "group:ab"),
    ("\\text{url:}\\footnotesize\\url{https://katex.org/}", "url:https://katex.org/"),
    ("\\text{size:}\\sixptsize x", "size:x"),
    ("\\text{pmatrix:}\\begin{pmatrix*}[r] -1 & 3 \\\\ 2 & -4 \\end{pmatrix*}", "−13pmatrix:2−4"),
    ("\\text{rcases:}\\begin{rcases}a&\\text{if }b\\\\c&\\text{if }d\\end{rcases}", "ifb"),
    # Unicode math inside \\text's dollars is math (KaTeX's docs' Fraktur table)
    ("\\text{frak: $𝔄$-$ℨ$}", "frak:A-Z"),
    # ⨀ ⨄ ⨆ are \\bigodot \\biguplus \\bigsqcup (whose glyphs read back as cmex's K ] G)
    ("\\text{ops:} ⨀ ⨄ ⨆", "ops:K]G"),
    # MathJax's docs: an enclosure inside another
    ("\\text{enclose:}\\enclose{circle}{\\enclose{box}{x}}", "enclose:x"),
    # MathJax's upgreek extension (a survey-5 post: "Undefined control sequence \\upbeta")
    ("\\text{upgreek:}\\upbeta\\Upomega", "upgreek:β"),
]


def test_katex_table_formulas_that_stopped_tex_now_show(site: Site) -> None:
    # Each of these stopped the build (undefined control sequence, missing number, missing
    # $, undefined environment), though KaTeX shows it.
    assert_group_shows(site, KATEX_DEFINED)


#: mathtools environments MathJax's mathtools extension lists, as posts write them
MATHJAX_MATHTOOLS = [
    ("\\begin{spreadlines}{0.5em}\n\\begin{align}\na &= b \\\\\nc &= d\n\\end{align},\n"
     "\\end{spreadlines}", "a=b"),
    ("\\text{lg:}\\begin{lgathered} x \\\\ yy \\end{lgathered}"
     "\\begin{rgathered} z \\\\ ww \\end{rgathered}", "lg:"),
    ("\\begin{cases*} 1 & if positive \\\\ 0 & otherwise \\end{cases*}", "ifpositive"),
    ("\\sum_{\\begin{crampedsubarray}{c} i<n \\\\ j<m \\end{crampedsubarray}} s", "s"),
]


def test_mathtools_environments_mathjax_knows_build(site: Site) -> None:
    # "Environment spreadlines undefined" (and lgathered, rgathered, cases*,
    # crampedsubarray): mathtools was not loaded for them
    assert_group_shows(site, MATHJAX_MATHTOOLS)


def test_spreadlines_around_an_align_keeps_its_row_labels_and_tags(site: Site) -> None:
    # Made an equation around an aligned, the rows' labels and tags stopped TeX ("Multiple
    # \label's", "\tag not allowed here"); MathJax numbers each row
    text, _, warnings = _build(site, "$$\n\\begin{spreadlines}{0.5em}\n\\begin{align}\n"
                               "aa &= bb \\label{eq:one} \\\\\ncc &= dd \\tag{T} \\\\\n"
                               "ee &= gg \\label{eq:two}\n\\end{align}\n\\end{spreadlines}\n$$\n\n"
                               "See \\eqref{eq:one} and \\eqref{eq:two}.\n", "spread")
    assert "aa = bb (1)" in text and "cc = dd (T)" in text and "ee = gg (2)" in text
    assert "See (1) and (2)." in text and warnings == []


def _build(site: Site, markdown: str, name: str) -> tuple[str, bytes, list[str]]:
    """The PDF's squashed text, its inflated bytes, and the build's warnings."""
    result = build_post(site.post(markdown, name=f"{name}.md"),
                        BuildOptions(outdir=site.root / "out"))
    assert result.pdf is not None
    warnings = [f"{d.line}: {d.message}" for d in result.diagnostics
                if d.severity == "warning"]
    return squash(pdf_text(result.pdf)), pdf_object_bytes(result.pdf), warnings


def test_css_colour_names_are_css_colours(site: Site) -> None:
    """KaTeX hands the name to the browser: aqua is CSS's 00FFFF, darkorange FF8C00, and
    lime is 00FF00 although xcolor's own lime is another green."""
    text, pdf, _ = _build(site, "$$\n\\color{aqua} Aq \\textcolor{DarkOrange}{Do} "
                                "\\colorbox{lime}{Li}\n$$\n", "colours")
    assert "Aq" in text and "Do" in text and "Li" in text
    assert b"0 1 1 rg" in pdf  # aqua
    assert b"1 0.54903 0 rg" in pdf  # darkorange
    assert b"0 1 0 rg" in pdf  # lime, the colour box


def test_colour_names_are_defined_only_when_used(site: Site) -> None:
    tex = convert(load_post(site.post("$\\color{teal} x \\color{navy} y$\n")), "p").tex
    assert "\\definecolor{css-navy}{HTML}{000080}" in tex
    assert "css-teal" not in tex  # xcolor's teal is CSS's already
    assert tex.count("\\definecolor") == 1


def test_triple_contour_integral_is_txfonts_glyph(site: Site) -> None:
    """∰ has no glyph in Latin Modern: txfonts' glyph alone, the document's fonts as they
    were."""
    result = build_post(site.post("Before.\n\n$$\n\\oiiint_V f \\, dV\n$$\n", name="oiiint.md"),
                        BuildOptions(outdir=site.root / "out"))
    assert result.pdf is not None
    fonts = subprocess.run(["pdffonts", str(result.pdf)], capture_output=True, text=True,
                           check=True).stdout
    assert "txexa" in fonts and "LMRoman10" in fonts
    assert "dV" in squash(pdf_text(result.pdf)).replace(" ", "")


def test_a_row_wider_than_the_array_shows_every_cell(site: Site) -> None:
    """MathJax adds the columns a row needs (real posts orange-2 and -3, whose rows ran
    together when Goldmark ate the \\\\); LaTeX stopped: 'Extra alignment tab'."""
    post = site.post("$$\n\\begin{array}{cc} a & b \\\\ c & d & e \\end{array}\n$$\n\n"
                     "$$\n\\begin{cases} x & y & z \\\\ u & v \\end{cases}\n$$\n", name="wide.md")
    result = build_post(post, BuildOptions(outdir=site.root / "out"))
    assert result.pdf is not None
    # the layout keeps each row on its line, its cells in order
    rows = [line.split() for line in subprocess.run(
        ["pdftotext", "-layout", str(result.pdf), "-"], capture_output=True, text=True,
        check=True).stdout.splitlines()]
    for row in (["a", "b"], ["c", "d", "e"], ["x", "y", "z"], ["u", "v"]):
        assert row in rows, rows


def test_a_split_with_two_alignment_points(site: Site) -> None:
    """amsmath's split takes one & a row; MathJax sets more (a Chinese RNN post: two
    equations a row, h and y); TeX stopped with 'Extra alignment tab'. Set as aligned."""
    rows = "&h_1 = a x_1, &y_1 = b h_1 \\\\ &h_2 = a x_2, &y_2 = b h_2"
    text, _, warnings = _build(site, "$$\n\\begin{equation}\n\\begin{split}\n"
                               f"{rows}\n\\end{{split}}\n\\end{{equation}}\n$$\n", "split")
    assert "h1 = ax1 , y1 = bh1" in text and "h2 = ax2 , y2 = bh2" in text and warnings == []


def test_backslash_plus_shows_as_mathjax_shows_it(site: Site) -> None:
    """MathJax knows no \\+ and shows it in red (real post anvar-1); TeX stopped."""
    text, pdf, warnings = _build(site, "Intro.\n\n$$\na \\+ b \\\\+ c\n$$\n", "plus")
    assert "a\\+b" in text.replace(" ", "")
    assert b"1 0 0 rg" in pdf
    assert warnings == ["7: math: \\+ is no command of TeX or MathJax (MathJax shows it in "
                        "red); set as '\\+' in red"]


def test_alignat_with_more_column_pairs_than_it_says(site: Site) -> None:
    """alignat{1} whose rows hold four cells (real post kirisame-5): MathJax sets them all;
    amsmath stopped ('Extra & on this line')."""
    rows = ("\\text{(value)}& \\quad V& \\quad::=&\\quad x \\\\ "
            "\\text{(term)}& \\quad M& \\quad::=&\\quad V")
    text, _, _ = _build(site, f"$$\\begin{{alignat}}{{1}} {rows} \\end{{alignat}}$$\n", "alignat")
    # (pdftotext reads the first row's right-aligned label after the rest)
    assert "V ::= x (1)" in text and "(term) M ::= V (2)" in text and "(value)" in text


def test_a_display_block_ends_at_its_first_closing_dollars(site: Site) -> None:
    """'$$ a \\\\$$Text' (real post kirisame-5): Hugo's passthrough ends the block at those
    $$ and the text after them is a paragraph; mdpaper ran on to a later $$ at a line's end
    and set the paragraphs between as math."""
    text, _, _ = _build(site, "Before.\n\n$$ E[M] \\to E[M'] \\\\$$Then this text, and "
                              "$x$.\n\nMore text.\n\n$$\ny\n$$\n", "closing")
    assert "Then this text, and x." in text and "More text." in text


#: row ends and cells where LaTeX has none: KaTeX 0.16 and MathJax set nothing for a \\ in a
#: group (checked with KaTeX: no line break shows), KaTeX sets gather's cells side by side;
#: each stopped TeX ("Missing } inserted", "Missing \right. inserted", "Extra alignment tab")
STRAY_ROWS = [
    ("\\text{sub:}\\sum_{ab \\\\ cd} x", "abcd"),
    ("\\text{left:}\\left( ef \\\\[2pt] gh \\right)", "left:(efgh)"),
    ("\\text{frac:}\\frac{ij \\\\ kl}{m}", "frac:ijkl"),
    ("\\begin{aligned} \\text{aligned:} n &= \\sum_{o\\\\p} q \\end{aligned}", "op"),
    ("\\begin{gather*} \\text{gather:} r & s \\\\ t \\end{gather*}", "gather:rs"),
    # where rows are, \\ still ends them
    ("\\text{stack:}\\sum_{\\substack{u \\\\ v}} \\begin{pmatrix} w \\\\ {y \\\\ z} \\end{pmatrix}",
     "stack:"),
]


def test_row_ends_where_latex_has_no_rows_are_left_out(site: Site) -> None:
    assert_group_shows(site, STRAY_ROWS)
    body = convert(load_post(site.post("$$\n" + STRAY_ROWS[-1][0] + "\n$$\n")), "p").result.body
    assert "\\substack{u \\\\ v}" in body and "w \\\\ {y   z}" in body


#: MathJax's physics extension, with the glyphs physics.sty (which it follows) sets
PHYSICS = [
    ("\\text{braket:}\\bra{\\psi}\\ket{\\phi}\\braket{a}{b}\\mel{m}{H}{n}", "braket:⟨ψ|ϕ⟩⟨a|b⟩"),
    ("\\text{comm:}\\comm{A}{B}+\\abs{x}+\\norm{v}", "comm:[A,B]+|x|+∥v∥"),
    ("\\text{grad:}\\grad f+\\curl A+\\div B", "grad:∇f+∇×A+∇·B"),
    ("\\text{dv:}\\dv{f}{x}\\qty(\\frac{a}{b})\\tr A", "trA"),
]


def test_mathjax_physics_where_the_page_loads_it(site: Site) -> None:
    """MathJax's physics extension (``\\require{physics}`` in a formula, or the site's
    MathJax configuration loading ``[tex]/physics``): its commands are set with physics.sty,
    which it follows; each was an undefined control sequence. A page that does not load it
    shows them as errors: so does the paper."""
    post = site.post("Plain $\\dv{f}{x}$.\n")
    with pytest.raises(MdpaperError, match="Undefined control sequence \\\\dv"):
        convert(load_post(post), "p")
    assert_group_shows(site, [("\\require{physics}", ""), *PHYSICS])
    config = site.root / "layouts" / "partials" / "math.html"
    config.parent.mkdir(parents=True)
    config.write_text("<script>MathJax = {loader: {load: ['[tex]/physics']}, tex: {packages: "
                      "{'[+]': ['physics']}}};</script>\n")
    tex = build_post(post, BuildOptions()).tex.read_text()
    assert "\\usepackage{physics}" in tex
    # physics adds math commands only: its place after hyperref is no arXiv warning
    assert not [d for d in check_source(tex, "p.tex") if "hyperref" in d.message]
