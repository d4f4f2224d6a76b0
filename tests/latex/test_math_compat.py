"""Math as blog authors write it for KaTeX and MathJax, built with real pdflatex.

Each group is one table of formulas built as one document (a TeX run per group, not per
formula); the PDF's text must show what each formula means. When a group fails, the
failing formulas are found one by one so the message names them.
"""

from __future__ import annotations

import pytest

from mdpaper.build.convert import convert
from mdpaper.build.post import BuildOptions, build_post
from mdpaper.errors import MdpaperError
from mdpaper.source.site import load_post

from conftest import SEED_POST, Site, pdf_text, requires_tex, run_cli, squash

#: $$…$$ holding a display environment of its own, each with words that must show
DISPLAY_ENVIRONMENTS = [
    ("\\begin{align}a &= b \\\\ c &= d \\text{ alignone}\\end{align}", "alignone"),
    ("\\begin{align*}a &= b \\text{ alignstar}\\end{align*}", "alignstar"),
    ("\\begin{equation}E = mc^2 \\text{ equationone}\\end{equation}", "equationone"),
    ("\\begin{equation*}x \\text{ equationstar}\\end{equation*}", "equationstar"),
    ("\\begin{gather}x \\\\ y \\text{ gatherone}\\end{gather}", "gatherone"),
    ("\\begin{gather*}x \\text{ gatherstar}\\end{gather*}", "gatherstar"),
    ("\\begin{multline}a + b \\\\ + c \\text{ multlineone}\\end{multline}", "multlineone"),
    ("\\begin{multline*}a \\\\ b \\text{ multlinestar}\\end{multline*}", "multlinestar"),
    ("\\begin{alignat}{2}a &= b &\\quad c &= d \\text{ alignatone}\\end{alignat}",
     "alignatone"),
    ("\\begin{alignat*}{1}a &= b \\text{ alignatstar}\\end{alignat*}", "alignatstar"),
    ("\\begin{flalign}a &= b \\text{ flalignone}\\end{flalign}", "flalignone"),
    ("\\begin{flalign*}a &= b \\text{ flalignstar}\\end{flalign*}", "flalignstar"),
    ("\\begin{eqnarray}a &=& b \\text{ eqnarrayone}\\end{eqnarray}", "eqnarrayone"),
    ("\\begin{eqnarray*}a &=& b \\text{ eqnarraystar}\\end{eqnarray*}", "eqnarraystar"),
    ("\\label{eq:x}\\begin{align}a &= b \\text{ labelled}\\end{align}", "labelled"),
    ("y = \\begin{align}a &= b \\text{ besideother}\\end{align}", "besideother"),
    ("\\begin{align}a \\end{align}\\begin{gather}b \\text{ twoenvs}\\end{gather}", "twoenvs"),
]


def build_formulas(site: Site, formulas: list[str], *, display: bool = True,
                   name: str = "formulas") -> str:
    """Build one post holding every formula (one paragraph each); the PDF's text."""
    if display:
        body = "".join(f"Formula {i}:\n\n$$\n{f}\n$$\n\n" for i, f in enumerate(formulas))
    else:
        body = "".join(f"Formula {i}: ${f}$ end.\n\n" for i, f in enumerate(formulas))
    post = site.post(body, name=f"{name}.md")
    result = build_post(post, BuildOptions(outdir=site.root / "out"))
    assert result.pdf is not None
    return squash(pdf_text(result.pdf))


def failing_formulas(site: Site, formulas: list[str], *, display: bool = True) -> list[str]:
    """The formulas that do not build on their own (to name them when a group fails)."""
    failing = []
    for i, formula in enumerate(formulas):
        try:
            build_formulas(site, [formula], display=display, name=f"single{i}")
        except MdpaperError as exc:
            failing.append(f"{formula!r}: {exc}")
    return failing


def assert_group_shows(site: Site, table: list[tuple[str, str]], *,
                       display: bool = True) -> None:
    formulas = [f for f, _ in table]
    try:
        text = build_formulas(site, formulas, display=display)
    except MdpaperError:
        pytest.fail("\n".join(failing_formulas(site, formulas, display=display)))
    # pdftotext's spacing inside math is its own guess: compare without spaces
    flat = text.replace(" ", "")
    missing = [(f, shows) for f, shows in table if shows.replace(" ", "") not in flat]
    assert not missing, f"not shown as expected: {missing}\nPDF text: {text}"


@requires_tex
@pytest.mark.tex
def test_display_environments_in_double_dollars_build(site: Site) -> None:
    # Inside \[…\] each of these stopped TeX with "Erroneous nesting of equation
    # structures" (18 of 114 real posts).
    assert_group_shows(site, DISPLAY_ENVIRONMENTS)


def _body(site: Site, markdown: str) -> str:
    return convert(load_post(site.post(markdown)), "p").result.body


def test_a_lone_display_environment_is_emitted_bare(site: Site) -> None:
    body = _body(site, "$$\n\\begin{align*}a &= b\\end{align*}\n$$\n")
    assert body.strip() == "\\begin{align*}a &= b\\end{align*}"
    body = _body(site, "$$x = \\begin{gather}a\\end{gather}$$\n")
    assert "\\[\nx = \\begin{gathered}a\\end{gathered}\n\\]" in body




#: Unicode typed in math, with what the PDF must show for it
UNICODE_IN_MATH = [
    ("θ ≤ τ", "θ ≤ τ"),
    ("x ∈ ℝ", "x ∈ R"),
    ("a ≡ b", "a ≡ b"),
    ("f: A → B", "A → B"),
    ("a − b", "a − b"),
    ("1 ⋯ n", "1 · · · n"),
    ("ϕ(x)", "ϕ(x)"),
    ("x² + y₁", "x2 + y1"),
    ("p ⇒ q ⇔ r", "p ⇒ q ⇔ r"),
    ("∀x ∃y", "∀x∃y"),
    ("A ⊆ B ∪ C", "A ⊆ B ∪ C"),
    ("∑ αᵢ", "αi"),
    ("𝔼[X]", "E[X]"),
    ("\\text{café}", "café"),
]


@requires_tex
@pytest.mark.tex
def test_unicode_in_math_shows_the_symbols(site: Site) -> None:
    # pdflatex read "$f: A → B$" as "AßB", with no warning.
    assert_group_shows(site, UNICODE_IN_MATH, display=False)


def test_unicode_without_a_math_meaning_is_a_located_warning(site: Site) -> None:
    conversion = convert(load_post(site.post("Intro.\n\nSee $a ⌘ b$ and $⌘$.\n")), "p")
    assert "\\text{" in conversion.result.body
    warnings = [(d.line, d.message) for d in conversion.result.diagnostics]
    assert warnings == [(7, "character '⌘' (PLACE OF INTEREST SIGN) in math has no LaTeX math "
                            "command known to mdpaper; set as text")]


#: KaTeX's and MathJax's extras, with what the PDF must show
EXTRAS = [
    ("\\R^n \\N \\Z \\Q \\C \\cnums \\Reals \\natnums", "Rn N Z Q C C R N"),
    ("\\Alpha \\Beta \\Zeta + \\infin \\isin \\sub \\sube \\plusmn", "A B Z + ∞ ∈ ⊂ ⊆ ±"),
    ("\\darr \\Rarr \\lrArr \\empty \\exist \\lang x \\rang", "↓ ⇒ ⇔ ∅ ∃⟨x⟩"),
    ("\\argmin_x f \\argmax g \\plim h", "arg min"),
    ("a \\lt b \\gt c \\coloneqq \\colonequals d \\vcentcolon e", "a < b > c"),
    ("\\ket{\\psi} \\bra{\\phi} \\braket{\\phi|\\psi} \\Set{x | x > 0} kets", "kets"),
    ("\\cancel{x} \\bcancel{y} \\xcancel{z} \\cancelto{0}{w} cancels", "cancels"),
    ("\\bm{v} \\boldsymbol{\\alpha} \\mathscr{L} \\llbracket a \\rrbracket bold", "bold"),
    ("a \\xlongequal{def} b \\xtofrom[p]{q} c \\utilde{u} \\widecheck{w} arrows", "arrows"),
    ("\\operatorname*{ess\\,sup}_x f", "ess sup"),
    ("\\DeclareMathOperator{\\Tr}{Tr} \\Tr A", "TrA"),
    ("\\newcommand{\\E}{\\mathbb{E}} \\def\\half{\\frac12} \\gdef\\one{1} \\E \\one", "E1"),
    ("\\color{#f00} red \\textcolor{#00ff00}{green} \\colorbox{yellow}{box}", "redgreen"),
    ("\\fcolorbox{#000}{#fff}{framed} \\bbox[yellow,5px]{x} \\enclose{circle}{y}", "framed"),
    ("\\unicode{8594} \\unicode{x2208} \\require{cancel} z", "→ ∈ z"),
    ("\\class{c}{k} \\cssId{i}{l} \\style{color:red}{m} \\data{a=b}{n}", "klmn"),
    ("\\TeX \\LaTeX \\KaTeX", "TEX"),
    ("\\text{for all $x$ here} \\mathbb{1}", "for all x here 1"),
    ("\\begin{array}{c|c} a & b \\\\ \\hdashline c & d \\end{array} dashed", "dashed"),
]


@requires_tex
@pytest.mark.tex
def test_katex_and_mathjax_extras_build_and_show(site: Site) -> None:
    assert_group_shows(site, EXTRAS, display=False)


def test_extras_load_only_the_packages_a_post_uses(site: Site) -> None:
    lean = convert(load_post(site.post("$\\R \\cancel{x}$\n")), "p").tex
    assert "\\usepackage{cancel}" in lean
    for unused in ("braket", "bm", "mathrsfs", "stmaryrd", "extarrows", "arydshln", "mathtools"):
        assert f"{{{unused}}}" not in lean


@pytest.mark.parametrize("math", ["\\def\\x{\\input{secret}}", "\\newcommand{\\x}{\\write18}",
                                  "\\def\\x{\\csname input\\endcsname}", "\\def\\section{x}"])
def test_definitions_do_not_get_around_the_refusal_list(site: Site, math: str) -> None:
    with pytest.raises(MdpaperError, match="math may not"):
        convert(load_post(site.post(f"${math}$\n")), "p")


SLIPS = """Intro.

We need $0\\leqk< K$ here.

And $\\alpah + 1$ and $\\left( x$ there.

$$
\\newcommand{\\mine}{m} \\mine + \\frack{1}{2}
$$
"""


def test_check_reports_each_math_slip_at_its_line(site: Site) -> None:
    post = site.post(SLIPS)
    proc = run_cli("check", str(post))
    assert proc.stdout.splitlines() == [
        f"{post}:7: error: Undefined control sequence \\leqk in math; did you mean '\\leq k'?",
        f"{post}:9: error: Undefined control sequence \\alpah in math; did you mean '\\alpha'?",
        f"{post}:9: error: math has \\left without a matching \\right",
        f"{post}:11: error: Undefined control sequence \\frack in math; did you mean "
        "'\\frac k'?",
    ]


def test_seed_post_slip_and_unknown_key_found_in_one_check_run(site: Site) -> None:
    if not SEED_POST.exists():
        pytest.skip("../shared/seed is not present")
    text = SEED_POST.read_text(encoding="utf-8")
    # the seed's slips, typed into a copy: a run-together \leqk and a mistyped key
    text = text.replace("## Background", "## Background\n\nFor $0\\leqk< K$ see "
                        "{{< cite \"jeon2022informaton\" >}}.", 1)
    post = site.root / "content" / "posts" / "seed.md"
    post.write_text(text, encoding="utf-8")
    proc = run_cli("check", str(post))
    assert "Undefined control sequence \\leqk in math; did you mean '\\leq k'?" in proc.stdout
    assert "unknown citation key 'jeon2022informaton'" in proc.stdout
    assert proc.returncode == 1


def test_checking_math_of_a_50_kb_post_converts_every_formula(site: Site) -> None:
    # how fast: benchmarks/ (conversion of 50 KB mixed posts, as ratios); a timed test flakes
    paragraph = ("Let $x \\in \\R^n$, $\\alpha \\leq \\beta$ and $$\\sum_{i=1}^n "
                 "\\frac{\\partial f}{\\partial x_i} = \\mathbb{E}[X]$$ hold.\n\n")
    count = 50_000 // len(paragraph)
    post = site.post(paragraph * count)
    latex = convert(load_post(post), "p").tex
    assert latex.count("\\frac{\\partial f}") == count
    assert latex.count("\\mathbb{R}^n") == count


#: KaTeX's names that LaTeX lacks (the Russian-school functions, degree, mathtools' colon
#: relations under KaTeX's names, harpoon accents), with what the PDF must show
KATEX_ONLY = [
    ("\\tg x + \\ctg y + \\arctg z + \\cosec w + \\sh u + \\ch v", "tgx+ctgy+arctgz+cosecw"),
    ("90\\degree", "90◦"),
    ("a \\colonminus b \\minuscolon c \\coloncolonequals d", "a"),
    ("\\overrightharpoon{ab} \\overleftharpoon{cd} \\Overrightarrow{ef} seg", "seg"),
    ("\\varvdots \\notni \\mathsfit{S} \\overlinesegment{AB} done", "done"),
]


@requires_tex
@pytest.mark.tex
def test_katex_only_names_build_and_show(site: Site) -> None:
    assert_group_shows(site, KATEX_ONLY, display=False)


@requires_tex
@pytest.mark.tex
def test_eqref_and_ref_in_prose_point_at_labelled_equations(site: Site) -> None:
    post = site.post("$$E = mc^2 \\label{eq:energy}$$\n\n$$a^2 + b^2 = c^2 \\label{eq:pyth}$$\n\n"
                     "By \\eqref{eq:energy} and equation \\ref{eq:pyth}, done.\n\n"
                     "`\\eqref{eq:energy}` in code stays as written.\n")
    result = build_post(post, BuildOptions())
    text = squash(pdf_text(result.pdf))
    assert "By (1) and equation 2, done." in text
    assert "\\eqref{eq:energy} in code stays as written." in text
    assert not [d for d in result.diagnostics if "undefined" in d.message.lower()]


def test_a_paragraph_of_one_formula_is_set_as_display_math(site: Site) -> None:
    text = "$E = mc^2$.\n\nText with $x$ inline.\n\n$a$ and $b$\n"
    body = _body(site, text)
    assert "\\[\nE = mc^2 .\n\\]" in body
    assert "Text with" in body and "\\[\nx" not in body and "\\[\na" not in body
    inline = load_post(site.post(text, name="inline.md", front="---\ntitle: T\nmdpaper:\n"
                                 "  lone-formulas: inline\n---\n"))
    assert "\\[" not in convert(inline, "inline").result.body


def test_lone_formulas_setting_is_checked(site: Site) -> None:
    post = site.post("x\n", front="---\ntitle: T\nmdpaper:\n  lone-formulas: big\n---\n")
    with pytest.raises(MdpaperError, match="lone-formulas 'big' is not one of display, inline"):
        convert(load_post(post), "post")


#: Formulas of KaTeX's support table (docs/support_table.md) that failed in mdpaper, with
#: what the PDF shows (971 of the table's 999 examples build now)
KATEX_TABLE = [
    ("\\begin{CD}A @>a>> B \\\\ @VbVV @AAcA \\\\ C @= D \\end{CD}", "A"),
    ("\\oiint_V f \\, dv", "V"),
    ("\\lBrace x \\rBrace", "x"),
    ("\\lparen a \\rparen", "(a)"),
    ("\\htmlClass{foo}{p} + \\htmlStyle{color: red;}{q} + \\htmlId{bar}{r}", "p+q+r"),
    ("\\hbox{$x^2$} + \\mbox{and $y$}", "and"),
]


@requires_tex
@pytest.mark.tex
def test_katex_table_formulas_build(site: Site) -> None:
    assert_group_shows(site, KATEX_TABLE, display=False)


def test_a_placeholder_never_follows_a_definition(site: Site) -> None:
    """An unknown word after \\let: the formula is left out, since a placeholder there
    would redefine \\mbox (TeX then swallowed the rest of the document). (\\edef, the
    first example, is a definition mdpaper makes now.)"""
    post = site.post("A $\\let\\fcopy\\alpha\\fcopy$ b $\\alpah$.\n")
    check = run_cli("check", str(post))
    assert check.returncode == 1
    assert "\\fcopy in math" in check.stdout and "\\alpah in math" in check.stdout
    other = Site(site.root.parent / "other").post("A $\\let\\fcopy\\alpha\\fcopy$ b.\n")
    body = convert(load_post(other), "p", keep_safe_errors=True).result.body
    assert "\\mbox" not in body and "\\let" not in body


@requires_tex
@pytest.mark.tex
def test_tex_says_when_katex_knows_a_word(site: Site) -> None:
    """A name KaTeX has and LaTeX lacks passes check; TeX's error says so, with no
    did-you-mean pointing at the name itself."""
    post = site.post("Text $\\varcoppa$ here.\n", name="k.md")  # (\\phase is defined now)
    build = run_cli("build", str(post))
    assert build.returncode == 1
    assert (f"{post}:5: error: Undefined control sequence \\varcoppa (KaTeX has it, LaTeX "
            "here does not)") in build.stderr
