"""Math on a Hugo site without the passthrough extension: Goldmark reads it as Markdown,
so what MathJax gets is Goldmark's leftover. mdpaper feeds LaTeX that same text; checked
case by case against the real Hugo's page."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from mdpaper.build.convert import convert
from mdpaper.markdown.parser import create_parser
from mdpaper.source.hugo import MathDelimiters
from mdpaper.source.site import load_post

from conftest import (
    PASSTHROUGH,
    Site,
    pdf_text,
    requires_hugo,
    requires_tex,
    run_cli,
    run_hugo,
    squash,
)

# (post's text, what the page shows as math, or None when the page shows no formula)
CASES = [
    (r"$\{x\}$", "${x}$"),
    (r"$\\{x\\}$", r"$\{x\}$"),
    (r"$a\_1 + b\_2$", "$a_1 + b_2$"),
    (r"$a_1 + b_2$", "$a_1 + b_2$"),
    (r"$$\begin{aligned} a &= b \\\\ c &= d \end{aligned}$$",
     r"$$\begin{aligned} a &= b \\ c &= d \end{aligned}$$"),
    (r"\\(x^2\\)", r"\(x^2\)"),
    (r"\\[\int_0^1 f\\]", r"\[\int_0^1 f\]"),
    (r"$\alpha_{i} + \beta_{j}$", r"$\alpha_{i} + \beta_{j}$"),
    (r"$a &lt; b$", "$a < b$"),
    (r"$a \,\; b\!$", "$a ,; b!$"),
    (r"$\#\$\%$", "$#$%$"),
    (r"$\_a\_$", "$_a_$"),
    (r"$\mathbb{R}^n_+ \times x'$", r"$\mathbb{R}^n_+ \times x'$"),
    (r"$\left\\{ x \right\\}$", r"$\left\{ x \right\}$"),
    (r"$a\\\\b$", r"$a\\b$"),
    (r"$x_i y_j z_i$", "$x_i y_j z_i$"),
    # a backslash before a newline is a hard break only after a character that is no
    # backslash (real post lienzhu-6 ends its array rows with three)
    ("$$\\begin{array}{c} a \\\\\\\n\\hline b \\end{array}$$",
     "$$\\begin{array}{c} a \\\\\n\\hline b \\end{array}$$"),
    # emphasis and code spans cut the formula: the page shows text, not math
    (r"$a*b*c$", None),
    (r"$_a_ b$", None),
    (r"$**x**$", None),
    (r"$`x`$", None),
]
#: Hugo's typographer changes glyphs inside math too; mdpaper keeps what the author typed
_TYPOGRAPHER = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2026": "...",
                "\u2013": "--", "\u2014": "---"}


def _page_paragraphs(site: Path) -> dict[int, str]:
    page = (site / "public" / "posts" / "p" / "index.html").read_text(encoding="utf-8")
    found = {}
    for m in re.finditer(r"<p>C(\d+) (.*?)</p>", page, re.S):
        found[int(m.group(1))] = m.group(2)
    return found


def _math_tokens(tokens: list[dict]) -> list[dict]:
    found = []
    for tok in tokens:
        if "math" in tok["type"]:
            found.append(tok)
        found += _math_tokens(tok.get("children") or [])
    return found


def _math_setting(post: Path) -> MathDelimiters:
    site = load_post(post).site
    assert site is not None and site.hugo is not None
    return site.hugo.math


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[int, str], list[dict]]:
    root = tmp_path_factory.mktemp("goldmark") / "site"
    site = Site(root)
    (root / "hugo.toml").write_text('baseURL = "https://example.org/"\ntitle = "x"\n')
    (root / "layouts" / "_default").mkdir(parents=True)
    (root / "layouts" / "_default" / "single.html").write_text("{{ .Content }}\n")
    body = "".join(f"C{i} {source}\n\n" for i, (source, _) in enumerate(CASES))
    post = site.post(body, name="p.md", front="---\ntitle: p\n---\n")
    parsed = create_parser(_math_setting(post)).parse_post(body, 1)
    tokens = [_math_tokens(p.get("children") or []) for p in parsed.tokens
              if p["type"] == "paragraph"]
    return (_page_paragraphs(root) if run_hugo(root).returncode == 0 else {}), tokens


@requires_hugo
@pytest.mark.parametrize("number", range(len(CASES)))
def test_mdpaper_reads_math_as_the_hugo_page_leaves_it(
        pages: tuple[dict[int, str], list[list[dict]]], number: int) -> None:
    page, tokens = pages
    source, expected = CASES[number]
    shown = page[number]
    math = tokens[number]
    assert len(math) == 1, (source, math)
    if expected is None:  # Hugo's page: the formula cut by <em>, <strong> or <code>
        assert re.search(r"<(em|strong|code)>", shown), shown
        assert math[0].get("web_broken"), math
        return
    text = html.unescape(shown)
    for glyph, typed in _TYPOGRAPHER.items():
        text = text.replace(glyph, typed)
    assert text == expected, "Hugo's page differs from the case's expectation"
    opening = re.match(r"\$\$|\$|\\\(|\\\[", expected)
    assert opening is not None
    inner = expected[len(opening.group(0)):-len(opening.group(0))]
    assert math[0]["raw"] == inner
    assert not math[0].get("web_broken")


@requires_hugo
def test_escaped_parentheses_are_not_math_without_passthrough(
        tmp_path: Path) -> None:
    site = Site(tmp_path / "site")
    (site.root / "hugo.toml").write_text('title = "x"\n')
    post = site.post(r"See \(y\) here." + "\n")
    parsed = create_parser(_math_setting(post)).parse_post(post.read_text(), 1)
    assert not _math_tokens(parsed.tokens)


@requires_tex
def test_build_with_and_without_passthrough(tmp_path: Path) -> None:
    """The same post on two sites: without passthrough \\\\{ and \\\\\\\\ are what make
    braces and a line break; with it the math is raw as written."""
    plain = Site(tmp_path / "plain")
    (plain.root / "hugo.toml").write_text('title = "x"\n')
    post = plain.post("Set $S = \\\\{a, b\\\\}$ and $x\\_1 = y$.\n\n"
                      "Broken $p*q*r$ here.\n", name="e.md")
    build = run_cli("build", str(post))
    assert build.returncode == 0, build.stdout + build.stderr
    assert f"{post}:7: warning: the web page shows this math as text" in build.stderr
    text = squash(pdf_text(plain.root / "output" / "e" / "e.pdf"))
    assert "S = {a, b}" in text and "x1 = y" in text
    raw = Site(tmp_path / "raw")
    assert PASSTHROUGH in (raw.root / "hugo.toml").read_text()
    post = raw.post("Set $S = \\{a, b\\}$ and $x_1 = y$.\n", name="e.md")
    build = run_cli("build", str(post))
    assert build.returncode == 0, build.stdout + build.stderr
    assert "S = {a, b}" in squash(pdf_text(raw.root / "output" / "e" / "e.pdf"))


@requires_tex
def test_formulas_goldmark_broke_are_set_as_written(tmp_path: Path) -> None:
    """Row breaks written \\\\ and braces written \\{ on a site without passthrough: Goldmark
    leaves \\ and {, so the page shows a red error; the paper sets what the author wrote,
    with a warning at the formula's line."""
    plain = Site(tmp_path / "plain")
    (plain.root / "hugo.toml").write_text('title = "x"\n')
    post = plain.post("$$\n\\begin{aligned}\nuu &= 1 \\\\\nvv &= 2\n\\end{aligned}\n$$\n\n"
                      "Cases $\\left\\{ x \\right.$ end.\n", name="e.md")
    build = run_cli("build", str(post))
    assert build.returncode == 0, build.stdout + build.stderr
    warned = [line for line in build.stderr.splitlines() if "shows this formula broken" in line]
    assert [w.split(": warning")[0] for w in warned] == [f"{post}:5"]
    assert warned[0].endswith("(also on line 12)")  # the same warning: told once
    lines = pdf_text(plain.root / "output" / "e" / "e.pdf").splitlines()
    assert "uu = 1" in lines and "vv = 2" in lines  # two rows, not one
    assert "Cases {x end." in squash("\n".join(lines))


@requires_tex
@pytest.mark.parametrize("passthrough", [False, True])
def test_bare_environment_with_an_escaped_star_is_display_math(tmp_path: Path,
                                                              passthrough: bool) -> None:
    """ox-hugo writes ``\\begin{align\\*}``: Goldmark leaves ``align*`` (passthrough or not:
    it does not cover bare environments), which MathJax sets as a display."""
    site = Site(tmp_path / "s")
    if not passthrough:
        (site.root / "hugo.toml").write_text('title = "x"\n')
    rows = "\\\\\\\\" if not passthrough else "\\\\"
    post = site.post(f"In notation,\n\n\\begin{{align\\*}}\nuu &= 1{rows}\nvv &= 2\n"
                     "\\end{align\\*}\n\nend.\n", name="e.md")
    build = run_cli("build", str(post))
    assert build.returncode == 0, build.stdout + build.stderr
    lines = pdf_text(site.root / "output" / "e" / "e.pdf").splitlines()
    assert "uu = 1" in lines and "vv = 2" in lines
    assert not any("align" in line for line in lines)


@requires_tex
def test_bare_inner_environments_are_display_math(tmp_path: Path) -> None:
    """MathJax's processEnvironments (on by default) shows a bare ``aligned``, ``cases`` or
    matrix in the text as display math; LaTeX allows them only inside math: they sit in
    ``\\[…\\]``, and nothing prints as raw markup."""
    site = Site(tmp_path / "s")
    post = site.post("The energy is\n\n\\begin{aligned}\nE &= mc^2 \\\\\nF &= ma\n"
                     "\\end{aligned}\n\nand \\begin{pmatrix} 7 & 8 \\end{pmatrix} here.\n",
                     name="e.md")
    build = run_cli("build", str(post))
    assert build.returncode == 0, build.stdout + build.stderr
    text = pdf_text(site.root / "output" / "e" / "e.pdf")
    lines = [squash(line) for line in text.splitlines()]
    assert "E = mc2" in lines and "F = ma" in lines, lines  # two rows of one display
    assert "begin" not in text and "aligned" not in text and "pmatrix" not in text
    assert "7 8" in squash(text)


@requires_tex
def test_underscores_in_text_arguments_print_as_on_the_page(tmp_path: Path) -> None:
    """Without passthrough ``\\text{rot\\_reduced}`` reaches MathJax as ``\\text{rot_reduced}``,
    which it prints with the underscore; TeX would stop ("Missing $ inserted")."""
    plain = Site(tmp_path / "plain")
    (plain.root / "hugo.toml").write_text('title = "x"\n')
    post = plain.post("Keep $x_{\\text{rot\\_reduced}} + \\texttt{trip\\_start}$ and "
                      "$\\text{if $a_1$ holds}$.\n", name="e.md")
    build = run_cli("build", str(post))
    assert build.returncode == 0, build.stdout + build.stderr
    text = squash(pdf_text(plain.root / "output" / "e" / "e.pdf"))
    assert "xrot_reduced + trip_start" in text and "if a1 holds" in text


@requires_tex
def test_math_escaped_for_goldmark_on_a_passthrough_site_is_set_as_meant(tmp_path: Path) -> None:
    """Posts written before the site enabled passthrough keep ``\\left\\\\{`` and
    ``\\underset{\\\\{w\\\\}}``: the page (KaTeX gets them raw) shows an error; the paper sets
    what the author meant, with a warning."""
    site = Site(tmp_path / "s")  # the test site has passthrough
    post = site.post("Set ${\\left\\\\{\\mathcal{W}_l\\right\\\\}}_1^L$ and "
                     "\n\n$\\underset{\\\\{w_k\\\\}}{\\min} f$ end.\n", name="e.md")
    build = run_cli("build", str(post))
    assert build.returncode == 0, build.stdout + build.stderr
    told = [w for w in build.stderr.splitlines()
            if "written for Hugo without the passthrough extension" in w]
    assert len(told) == 1 and told[0].endswith("(also on line 7)")  # one warning, 2 lines
    text = squash(pdf_text(site.root / "output" / "e" / "e.pdf"))
    assert "Set {Wl }L 1 and min f end. {wk }" in text, text


@requires_tex
def test_a_hash_goldmark_unescaped_and_a_wide_dcases_row(tmp_path: Path) -> None:
    """``\\#E`` on a site without passthrough reaches MathJax as ``#E`` (an error on the
    page): set as written. A dcases row with three cells (MathJax adds the column)."""
    plain = Site(tmp_path / "plain")
    (plain.root / "hugo.toml").write_text('title = "x"\n')
    post = plain.post("Cost $O(\\sqrt{\\#E})$ here.\n\n$$\n\\begin{dcases}\n"
                      "aa, & bb & cc \\\\\\\\\ndd, & ee & ff\n\\end{dcases}\n$$\n", name="e.md")
    build = run_cli("build", str(post))
    assert build.returncode == 0, build.stdout + build.stderr
    assert f"{post}:5: warning: the web page shows this formula broken" in build.stderr
    text = squash(pdf_text(plain.root / "output" / "e" / "e.pdf"))
    assert "Cost O( #E) here." in text and "aa, bb dd, ee 1 cc ff" in text  # columns


def test_a_row_break_before_a_group_stays_on_a_passthrough_site(tmp_path: Path) -> None:
    site = Site(tmp_path / "s")
    post = site.post("$$\n\\begin{bmatrix} 1 \\\\{-1} \\end{bmatrix}\n$$\n", name="e.md")
    result = convert(load_post(post), "e").result
    assert "1 \\\\{-1}" in result.body
    assert not result.diagnostics


#: a display opened after words, closed on a later line of the same paragraph
_DISPLAY_AFTER_WORDS = ("As the sums give, $$\n\\\\begin{align*}\nuu &= 1 \\\\\\\\\nvv &= 2\n"
                        "\\\\end{align*}\n$$\n\nThen a paragraph.\n\nLast, $$\nww = 3\n$$\n")


@requires_hugo
def test_a_display_opened_after_words_is_math_in_its_paragraph(tmp_path: Path) -> None:
    """Hugo keeps the words, the ``$$`` and the formula in one ``<p>``, where MathJax finds
    the display; the closing ``$$`` line opens no display of its own."""
    site = Site(tmp_path / "site")
    (site.root / "hugo.toml").write_text('baseURL = "https://example.org/"\ntitle = "x"\n')
    (site.root / "layouts" / "_default").mkdir(parents=True)
    (site.root / "layouts" / "_default" / "single.html").write_text("{{ .Content }}\n")
    post = site.post(_DISPLAY_AFTER_WORDS, name="p.md", front="---\ntitle: p\n---\n")
    assert run_hugo(site.root).returncode == 0
    page = (site.root / "public" / "posts" / "p" / "index.html").read_text()
    assert re.findall(r"<p>(.*?)</p>", page, re.S) == [
        "As the sums give, $$\n\\begin{align*}\nuu &amp;= 1 \\\\\nvv &amp;= 2\n"
        "\\end{align*}\n$$", "Then a paragraph.", "Last, $$\nww = 3\n$$"]
    result = convert(load_post(post), "p").result
    assert ("As the sums give, \n\\begin{align*}\nuu &= 1 \\\\\nvv &= 2\n\\end{align*}\n"
            in result.body)
    assert "Last, \n\\[\nww = 3\n\\]\n" in result.body
    assert "\\$" not in result.body and not result.diagnostics


@requires_hugo
def test_a_delimiter_in_a_code_span_opens_no_display(tmp_path: Path) -> None:
    """``symbol `$$`:`` then a ``$$`` display: the code span's ``$$`` is code on the page
    (KaTeX skips <code>), so the display is the formula. It paired with the code span, and
    the closing ``$$`` opened a display that took the next heading in."""
    site = Site(tmp_path / "site")
    (site.root / "hugo.toml").write_text('baseURL = "https://example.org/"\ntitle = "x"\n')
    (site.root / "layouts" / "_default").mkdir(parents=True)
    (site.root / "layouts" / "_default" / "single.html").write_text("{{ .Content }}\n")
    text = "Written with `$$`:\n$$\nxx = 1\n$$\n\n## Next\n\nThen $$\nyy = 2\n$$\n"
    post = site.post(text, name="p.md", front="---\ntitle: p\n---\n")
    assert run_hugo(site.root).returncode == 0
    page = (site.root / "public" / "posts" / "p" / "index.html").read_text()
    assert "<p>Written with <code>$$</code>:\n$$\nxx = 1\n$$</p>" in page
    assert '<h2 id="next">Next</h2>' in page
    body = convert(load_post(post), "p").result.body
    assert "Written with \\texttt{\\$\\$}:\n\n\\[\nxx = 1\n\\]\n" in body
    assert "\\section{Next}" in body and "Then \n\\[\nyy = 2\n\\]\n" in body


def test_a_display_opened_after_words_on_a_passthrough_site(tmp_path: Path) -> None:
    site = Site(tmp_path / "s")  # the test site passes $$ … $$ through
    post = site.post("As the sums give, $$\n\\begin{align*}\nuu &= 1 \\\\\n\\end{align*}\n$$"
                     "\n\nThen a paragraph.\n\nLast, $$\nww = 3\n$$\n", name="e.md")
    body = convert(load_post(post), "e").result.body
    assert "As the sums give, \n\\begin{align*}\nuu &= 1 \\\\\n\\end{align*}\n" in body
    assert "Then a paragraph." in body and "Last, \n\\[\nww = 3\n\\]\n" in body
    assert "\\$" not in body


@requires_tex
def test_blanks_written_as_escaped_underscores(tmp_path: Path) -> None:
    """``\\_\\_\\_`` (blanks to fill in) reaches MathJax as ``___``: a double subscript, red
    on the page. The paper sets the blanks the author meant, with a warning."""
    plain = Site(tmp_path / "plain")
    (plain.root / "hugo.toml").write_text('title = "x"\n')
    post = plain.post("Fit:\n\n$$\\begin{aligned}\nwage =&\\_\\_\\_ + \\_\\_\\_ x\\end{aligned}$$"
                      "\n\nand $R^2 = \\_\\_\\_$.\n", name="e.md")
    build = run_cli("build", str(post))
    assert build.returncode == 0, build.stdout + build.stderr
    warned = [line for line in build.stderr.splitlines() if "shows this formula broken" in line]
    assert [w.split(": warning")[0] for w in warned] == [f"{post}:7"]
    assert warned[0].endswith("(also on line 10)")
    text = squash(pdf_text(plain.root / "output" / "e" / "e.pdf"))
    assert "wage =___ + ___x" in text and "R2 = ___." in text


_DISPLAY_IN_SPANS = ("At order $E$ the matrix is\n<span class=\"m\">\n$$H=\n\\begin{pmatrix}\n"
                     "a & 0 \\\\\\\\\n0 & b\n\\end{pmatrix},$$\n</span>\nwith\n<span class=\"m\">\n"
                     "$$h = \\frac{k}{4}\\\\{r, p\\\\},$$\n</span>\nand the end.\n")


@requires_hugo
def test_a_tag_line_after_display_math_continues_the_paragraph(tmp_path: Path) -> None:
    """``</span>`` alone on the line after a display: Goldmark reads the display as the
    paragraph's text, and such a tag cannot interrupt a paragraph, so the next display is
    Markdown too (``\\\\{`` is a brace on the page). Read as an HTML block, its math kept
    ``\\\\{``: "Missing } inserted"."""
    site = Site(tmp_path / "site")
    (site.root / "hugo.toml").write_text('baseURL = "https://example.org/"\ntitle = "x"\n'
                                         "[markup.goldmark.renderer]\nunsafe = true\n")
    (site.root / "layouts" / "_default").mkdir(parents=True)
    (site.root / "layouts" / "_default" / "single.html").write_text("{{ .Content }}\n")
    post = site.post(_DISPLAY_IN_SPANS, name="p.md", front="---\ntitle: p\n---\n")
    assert run_hugo(site.root).returncode == 0
    page = (site.root / "public" / "posts" / "p" / "index.html").read_text()
    assert page.count("<p>") == 1
    assert "a &amp; 0 \\\\\n" in page and "$$h = \\frac{k}{4}\\{r, p\\},$$" in page
    result = convert(load_post(post), "p").result
    assert "\na & 0 \\\\\n" in result.body and "h = \\frac{k}{4}\\{r, p\\}," in result.body
    assert "\\\\{" not in result.body and not result.diagnostics
