"""Idioms met in real Hugo posts (a survey of 123 posts from 29 public blogs) that the page
shows and the PDF lost or changed: each built for real and read back from the PDF."""

from __future__ import annotations

import subprocess
from pathlib import Path

from PIL import Image

from mdpaper.build.convert import convert
from mdpaper.source.site import load_post

from conftest import Site, pdf_text, requires_tex, run_cli, squash


def build(post: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return run_cli("build", str(post), "-o", str(out))


@requires_tex
def test_quotes_in_a_highlighted_block_stay_straight(site: Site, tmp_path: Path) -> None:
    # Pygments' \PYZsq printed a curly ’ in the typewriter font; the page shows '
    post = site.post("```python\nprint('x', `y`)\n```\n\nInline `a'b`.\n")
    done = build(post, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    text = pdf_text(tmp_path / "out" / "post" / "post.pdf")
    assert "print('x', `y`)" in text
    assert "’" not in text and "‘" not in text


@requires_tex
def test_a_sites_own_image_shortcode_is_a_figure(site: Site, tmp_path: Path) -> None:
    bundle = site.root / "content" / "posts" / "edges"
    bundle.mkdir(parents=True)
    Image.new("RGB", (120, 60), "navy").save(bundle / "edge.png")
    shortcodes = site.root / "layouts" / "shortcodes"
    shortcodes.mkdir(parents=True)
    (shortcodes / "fig.html").write_text('<figure><img src="{{ .Get "src" }}">'
                                         '<p>{{ .Get "caption" }}</p></figure>\n')
    post = site.post('An edge:\n\n{{< fig src="edge.png" caption="A directed *edge*" >}}\n\n'
                     '{{< img "edge.png" >}}\n\n{{< widget name="x" >}}\n',
                     name="edges/index.md")
    done = build(post, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "out" / "edges" / "edges.pdf"
    assert "Figure 1: A directed edge" in squash(pdf_text(pdf))
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True,
                            check=True).stdout.splitlines()[2:]
    assert len(images) == 2
    # a shortcode that names no image is still left out with its located warning
    assert "index.md:11: warning: unknown shortcode 'widget' left out" in done.stderr
    assert "'fig'" not in done.stderr and "'img'" not in done.stderr


@requires_tex
def test_character_references_show_their_characters(site: Site, tmp_path: Path) -> None:
    # the syntax tree keeps &copy; as written; the page (and now the PDF) shows ©
    (site.root / "hugo.toml").write_text('[markup.goldmark.renderer]\nunsafe = true\n')
    post = site.post("a | &nbsp;x&amp;y\n:-: | :-:\n1 | 2 &lt; 3\n\n"
                     'Seen <span class="ts">&lt;2024-02-28 Wed&gt;</span> &copy; &#x41;&#66; '
                     "&bogus; \\&copy; and `&amp;`.\n")
    done = build(post, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    text = squash(pdf_text(tmp_path / "out" / "post" / "post.pdf"))
    assert "x&y" in text and "2<3" in text.replace(" ", "")
    assert "Seen <2024-02-28 Wed> © AB &bogus; &copy; and &amp;." in text


@requires_tex
def test_an_image_inside_a_box_is_a_figure_in_the_box(site: Site, tmp_path: Path) -> None:
    # a float inside framed's box stopped the build: "Not in outer par mode"
    (site.root / "hugo.toml").write_text('[markup.goldmark.renderer]\nunsafe = true\n')
    Image.new("RGB", (80, 40), "teal").save(site.root / "content" / "posts" / "x.png")
    post = site.post('{{% admonition note "Solution" true %}}\nSee:\n\n![step one](x.png)\n'
                     "{{% /admonition %}}\n\n> [!TIP]\n> ![step two](x.png)\n\n"
                     "<details><summary>More</summary>\n\n![step three](x.png)\n\n</details>\n")
    done = build(post, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "out" / "post" / "post.pdf"
    text = squash(pdf_text(pdf))
    for n, caption in enumerate(("step one", "step two", "step three"), 1):
        assert f"Figure {n}: {caption}" in text
    assert "Solution." in text and "More." in text
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True,
                            check=True).stdout.splitlines()[2:]
    assert len(images) == 3


@requires_tex
def test_raw_html_list_items_breaks_and_math(site: Site, tmp_path: Path) -> None:
    # an <li> block after a blank line was "Lonely \item"; a paragraph of <br> had "no line
    # here to end"; $k$ in HTML printed as written where MathJax typesets it
    (site.root / "hugo.toml").write_text('[markup.goldmark.renderer]\nunsafe = true\n')
    post = site.post("Cases:\n\n<ul>\n<li>\nfirst $k$ heads.\n</li>\n\n<li>\ncoin $k+1$ tails."
                     "\n</li>\n</ul>\n\nLinks\n\n<br><br>\n\n<code>next</code> line\n")
    done = build(post, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    text = squash(pdf_text(tmp_path / "out" / "post" / "post.pdf"))
    assert "• first k heads. • coin k + 1 tails." in text
    assert "$" not in text and "next line" in text


@requires_tex
def test_ox_hugos_doubled_math_delimiters_in_raw_html_are_math(site: Site,
                                                              tmp_path: Path) -> None:
    # ox-hugo writes \\(x\\) for Goldmark to leave \(x\); inside its raw <ol> nothing
    # undoubles them: the renderer's \( came with a stray backslash ("Bad math environment
    # delimiter")
    (site.root / "hugo.toml").write_text('[markup.goldmark.renderer]\nunsafe = true\n')
    post = site.post("<ol>\n<li>For all \\\\(x^2\\\\) closed.</li>\n<li>Then \\\\[y_1\\\\]"
                     " holds.</li>\n</ol>\n")
    done = build(post, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    text = squash(pdf_text(tmp_path / "out" / "post" / "post.pdf"))
    assert "1. For all x2 closed." in text and "2. Then y1 holds." in text, text
    assert "\\" not in text


@requires_tex
def test_html_list_numbers_start_and_value_as_the_browser_counts(site: Site,
                                                                tmp_path: Path) -> None:
    (site.root / "hugo.toml").write_text('[markup.goldmark.renderer]\nunsafe = true\n')
    post = site.post('<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>\n\n<ol>\n'
                     '<li value="7">seven</li>\n<li>eight</li>\n</ol>\n\n<ol type="a">\n'
                     '<li>first</li>\n<li>second</li>\n</ol>\n\n<ol type="I" start="4">\n'
                     '<li>four</li>\n</ol>\n')
    done = build(post, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    text = squash(pdf_text(tmp_path / "out" / "post" / "post.pdf"))
    assert "3. three 4. four 7. seven 8. eight a. first b. second IV. four" in text, text


@requires_tex
def test_spaced_dollar_math_is_math_but_prices_are_not(site: Site, tmp_path: Path) -> None:
    # KaTeX, MathJax and Hugo's passthrough all take $ x $ and $ x$ as math (over lines too)
    post = site.post("A $ x^2 + y $ formula; $ z_k$ and $ w_j +\nv_j$ too; "
                     "it costs $5 and $10.\n")
    done = build(post, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    text = squash(pdf_text(tmp_path / "out" / "post" / "post.pdf"))
    assert "A x2 + y formula; zk and wj + vj too; it costs $5 and $10." in text


@requires_tex
def test_character_references_in_passed_through_math(site: Site, tmp_path: Path) -> None:
    # Hugo passes $a&nbsp;b$ through as written; the browser reads &nbsp; before MathJax
    post = site.post("Math $a&nbsp;b$ and $x &lt; y$ end.\n")
    done = build(post, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert "Math a b and x < y end." in squash(pdf_text(tmp_path / "out" / "post" / "post.pdf"))


@requires_tex
def test_mhchem_displaylines_and_newline_rows(site: Site, tmp_path: Path) -> None:
    # \ce/\pu (mhchem), MathJax's \displaylines, \newline ending a matrix row: each stopped
    # a real post's build or (the matrix) set its rows on one line
    post = site.post("Water $\\ce{H2O}$ of $\\pu{1 kg}$.\n\n"
                     "$$\\begin{bmatrix} a \\newline b \\end{bmatrix}$$\n\n"
                     "$$\\displaylines{x = 1 \\\\ y = 2}$$\n")
    done = build(post, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    lines = [s.strip() for s in pdf_text(tmp_path / "out" / "post" / "post.pdf").splitlines()]
    assert "Water H2 O of 1 kg." in lines
    assert lines.index("a") + 1 == lines.index("b")  # two rows
    assert lines.index("x=1") + 1 == lines.index("y=2")


@requires_tex
def test_wide_matrix_and_align_between_dollars(site: Site, tmp_path: Path) -> None:
    # amsmath stops at 10 matrix columns and at align inside \( \); MathJax sets both
    row = " & ".join(f"x_{{{i}}}" for i in range(12))
    post = site.post(f"$$\\begin{{bmatrix}} {row} \\end{{bmatrix}}$$\n\n"
                     "Proof: $ \\begin{align} a &= b \\\\ &= c \\end{align} $ done.\n")
    done = build(post, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    text = squash(pdf_text(tmp_path / "out" / "post" / "post.pdf"))
    assert "x11" in text and "done." in text and "(2)" in text


def test_a_rule_inside_a_row_is_a_located_error_not_an_endless_tex_run(site: Site,
                                                                      tmp_path: Path) -> None:
    # Rows ended with "\" (one backslash left by Goldmark's escaping) put \hline inside a
    # row: MathJax shows "Misplaced \hline"; pdflatex loops forever on this array.
    post = site.post("$$\n\\begin{array}{|c|c|}\n\\hline\na & b \\\n\\hline\nc & d \\\\\n"
                     "\\hline\n\\end{array}\n$$\n\nFine: $\\begin{array}{c} \\hline x \\\\ "
                     "\\hline \\end{array}$.\n")
    done = run_cli("check", str(post))
    assert done.returncode == 1
    assert done.stdout.strip().splitlines() == [
        f"{post}:5: error: math has \\hline inside a row (end the row before it with \\\\)"]


@requires_tex
def test_minus_sign_and_math_symbols_in_prose_on_every_engine(site: Site, tmp_path: Path) -> None:
    # U+2212 printed as [U+2212] under pdflatex; ∅ as a boxed U+2205 under xelatex (its text
    # font lacks it): the math fonts have both.
    post = site.post("Range (−ε < x < ε) and ∅ here.\n")
    for engine in ("pdflatex", "xelatex"):
        done = run_cli("build", str(post), "--engine", engine, "-o", str(tmp_path / engine))
        assert done.returncode == 0, done.stderr
        assert "warning" not in done.stderr
        text = squash(pdf_text(tmp_path / engine / "post" / "post.pdf"))
        assert "Range (−ε < x < ε) and ∅ here." in text, (engine, text)


@requires_tex
def test_display_math_in_a_table_cell(site: Site, tmp_path: Path) -> None:
    # KaTeX sets $$…$$ in a cell in display style; a display itself cannot go in a cell
    post = site.post("| Prefix | Factor |\n|---|---|\n| Giga | $$10^9$$ |\n"
                     "| Half | $$\\frac{1}{2}$$ |\n")
    done = build(post, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    tex = (tmp_path / "out" / "post" / "post.tex").read_text()
    assert "\\(\\displaystyle 10^9\\)" in tex and "\\(\\displaystyle \\frac{1}{2}\\)" in tex
    assert "Giga 109" in squash(pdf_text(tmp_path / "out" / "post" / "post.pdf"))


@requires_tex
def test_math_in_an_html_figcaption_is_typeset(site: Site, tmp_path: Path) -> None:
    hugo = site.root / "hugo.toml"
    hugo.write_text(hugo.read_text() + "\n[markup.goldmark.renderer]\nunsafe = true\n")
    Image.new("RGB", (60, 30), "red").save(site.root / "content" / "posts" / "a.png")
    post = site.post('<figure><img src="a.png"><figcaption>Budget of \\(10^{17}\\) FLOPs '
                     "and $\\eta$ rate</figcaption></figure>\n")
    done = build(post, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert "Figure 1: Budget of 1017 FLOPs and η rate" in pdf_text(
        tmp_path / "out" / "post" / "post.pdf")


@requires_tex
def test_a_dollar_alone_on_its_line_opens_a_formula(site: Site, tmp_path: Path) -> None:
    # Hugo's passthrough and the page's renderers take "$\n…\n$" as math; prices stay text
    post = site.post("The frequency is\n$\n\\omega = \\frac{v}{\\rho}\n$\nwhere v is speed. "
                     "Costs 5$\nand 6$ total.\n")
    done = build(post, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    text = squash(pdf_text(tmp_path / "out" / "post" / "post.pdf"))
    assert "The frequency is ω = vρ where v is speed. Costs 5$ and 6$ total." in text


@requires_tex
def test_unicode_primes_as_superscripts_and_invisible_operators(site: Site,
                                                               tmp_path: Path) -> None:
    # $A^′$ stopped TeX (^' is a double superscript); U+2061 between \log and N glued
    # them into \logN
    post = site.post("Prime $A^′ \\cup (A∪B)^″$ and $\\log\u2061N$ end.\n")
    done = build(post, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    text = squash(pdf_text(tmp_path / "out" / "post" / "post.pdf"))
    assert "Prime A′ ∪ (A ∪ B)′′ and log N end." in text


@requires_tex
def test_dollars_inside_ce_stay_in_the_formula(site: Site, tmp_path: Path) -> None:
    post = site.post("Solution $\\ce{NaOH(aq,$\\infty$)}$ here.\n")
    done = build(post, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert "Solution NaOH(aq, ∞) here." in squash(pdf_text(tmp_path / "out" / "post" / "post.pdf"))


@requires_tex
def test_an_html_img_among_words_is_shown(site: Site, tmp_path: Path) -> None:
    # a site that shows raw HTML draws <img> inside a paragraph; it was left out
    hugo = site.root / "hugo.toml"
    hugo.write_text(hugo.read_text() + "\n[markup.goldmark.renderer]\nunsafe = true\n")
    folder = site.root / "content" / "posts"
    Image.new("RGB", (400, 200), "navy").save(folder / "big.png")
    Image.new("RGB", (16, 16), "red").save(folder / "icon.png")
    post = site.post('The layout\n<img style="border:1px solid black"\nsrc="big.png"\n'
                     'width="800">\nand an icon <img src="icon.png" width="16"> here.\n')
    done = build(post, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert "left out" not in done.stderr
    tex = (tmp_path / "out" / "post" / "post.tex").read_text()
    assert "\\par{\\centering \\includegraphics[width=\\linewidth" in tex
    assert "icon \\includegraphics[height=2\\baselineskip" in tex
    listing = subprocess.run(["pdfimages", "-list", str(tmp_path / "out" / "post" / "post.pdf")],
                             capture_output=True, text=True, check=True).stdout
    assert len(listing.strip().splitlines()) == 2 + 2  # two header lines, two images


@requires_tex
def test_a_bare_hash_in_math_is_set_with_a_warning(site: Site, tmp_path: Path) -> None:
    # KaTeX shows "$#variables$" in red; TeX would stop ("macro parameter character #")
    post = site.post("Count $#variables = 2$ and $\\#x$.\n")
    done = build(post, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert f"{post}:5: warning: the web page shows this formula in red" in done.stderr
    text = squash(pdf_text(tmp_path / "out" / "post" / "post.pdf"))
    assert "Count #variables = 2 and #x." in text


@requires_tex
def test_broken_math_in_alt_text_drops_the_caption_not_the_build(site: Site,
                                                                 tmp_path: Path) -> None:
    """The page never typesets an image's alt text (it is an attribute); the paper's
    caption made of it cannot hold its broken math: a figure without caption, a warning."""
    bundle = site.root / "content" / "posts" / "alt"
    bundle.mkdir(parents=True)
    Image.new("RGB", (40, 40), "navy").save(bundle / "x.png")
    post = site.post("Text.\n\n![Shape of $P_{$a$}$ here](x.png)\n\n![Fine $x^2$ alt](x.png)\n",
                     name="alt/index.md")
    done = build(post, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert ("index.md:7: warning: the image's alt text has math that cannot be typeset (the "
            "page shows no alt text): the figure has no caption") in done.stderr
    text = squash(pdf_text(tmp_path / "out" / "alt" / "alt.pdf"))
    assert "Figure 1: Fine x2 alt" in text and "Shape of" not in text


@requires_tex
def test_footnotes_keep_an_indented_display_a_lazy_line_and_follow_a_quote(
        site: Site, tmp_path: Path) -> None:
    # Goldmark's notes hold a display indented 8, a line that continues the note lazily, and
    # a definition right after a quote; mistune left the display's lines as a code block
    # at the paper's end, moved the lazy line into the body and printed [^q]: in the quote
    post = site.post("> Quoted saying.\n> — Speaker[^q]\n[^q]: Said at a talk.\n\n"
                     "The error evolves.[^d] See also.[^a]\n\nLast body paragraph.\n\n"
                     "[^d]: Quick derivation:\n\n    $$\n        \\begin{aligned}\n"
                     "        e_{t+1} &= \\theta_{t+1} - \\theta^\\star \\\\\n"
                     "        &= A e_t\n        \\end{aligned}\n    $$\n\n"
                     "[^a]: First note line.\nLazy second line.\n")
    done = build(post, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    tex = (tmp_path / "out" / "post" / "post.tex").read_text()
    assert "— Speaker\\footnote{\\label{fn:Q}Said at a talk.}\n\\end{quote}" in tex
    assert "\\footnote{\\label{fn:D}Quick derivation:\n\n\\[\n\\begin{aligned}" in tex
    assert "\\end{aligned}\n\\]}" in tex
    assert "\\footnote{\\label{fn:A}First note line.\nLazy second line.}" in tex
    assert "Verbatim" not in tex
    text = squash(pdf_text(tmp_path / "out" / "post" / "post.pdf"))
    assert "[^" not in text and "$$" not in text and "aligned" not in text
    # the notes come after the body, at the page's foot, in the order cited
    body, notes = text.split("Last body paragraph. ")
    assert "Lazy" not in body and "Said" not in body
    shown = ["Said at a talk.", "Quick derivation: et+1 = θt+1 − θ⋆ = Aet",
             "First note line. Lazy second line."]
    assert [notes.find(s) for s in shown] == sorted(notes.find(s) for s in shown)
    assert -1 not in [notes.find(s) for s in shown]


@requires_tex
def test_a_footnote_holds_a_figure_and_a_heading(site: Site, tmp_path: Path) -> None:
    # Goldmark keeps a shortcode line after a note's text, and an indented heading, in the
    # note; a float there is "Not in outer par mode" and a heading had no planned id (an
    # internal error): the figure stands where it is, captioned, the heading is bold.
    bundle = site.root / "content" / "posts" / "notes"
    bundle.mkdir(parents=True)
    Image.new("RGB", (40, 40), "navy").save(bundle / "x.png")
    post = site.post("Body text.[^1] More body.[^2]\n\n[^1]: A note with a figure:\n"
                     "{{< figure src=\"x.png\" caption=\"In the note\" >}}\n\n"
                     "[^2]: Second note\n    # Heading in a note\n    and its text.\n",
                     name="notes/index.md")
    done = build(post, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    tex = (tmp_path / "out" / "notes" / "notes.tex").read_text()
    assert "\\begin{figure}" not in tex and "\\textbf{Heading in a note}" in tex
    text = squash(pdf_text(tmp_path / "out" / "notes" / "notes.pdf"))
    assert "A note with a figure: Figure 1: In the note" in text
    assert "Second note Heading in a note and its text." in text


@requires_tex
def test_table_rows_starting_with_a_bracket_or_star_and_html_cells_with_images(
        site: Site, tmp_path: Path) -> None:
    # After a row's \\, "[0, 1]" was read as its optional length (TeX looped until the
    # timeout) and "*" as its star form (the star lost); an <img> in a raw HTML table's
    # cell left an internal mark (a NUL byte) in the .tex ("invalid character").
    (site.root / "hugo.toml").write_text('title = "T"\n[markup.goldmark.renderer]\n'
                                         'unsafe = true\n')
    bundle = site.root / "content" / "posts" / "cells"
    bundle.mkdir(parents=True)
    Image.new("RGB", (40, 40), "navy").save(bundle / "x.png")
    post = site.post("| Interval | Meaning |\n|---|---|\n| (0, 1) | open |\n"
                     "| [0, 1] | closed |\n| * | starred |\n\n"
                     '<table>\n<tr><td>Icon</td><td><img alt="x" src="x.png"></td></tr>\n'
                     "</table>\n", name="cells/index.md")
    done = run_cli("build", str(post), "-o", str(tmp_path / "out"), "--timeout", "60")
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "out" / "cells" / "cells.pdf"
    text = squash(pdf_text(pdf))
    assert "[0, 1]" in text and " * " in text and "starred" in text and "Icon" in text
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True,
                            check=True).stdout.splitlines()[2:]
    assert len(images) == 1


@requires_tex
def test_comments_in_math_are_comments(site: Site, tmp_path: Path) -> None:
    # MathJax and KaTeX read % to the end of the line as a comment: the page shows none of
    # it; the paper printed "\%" and the note; the lines the \gdefs left made TeX end the
    # paragraph inside the display ("Missing $ inserted").
    post = site.post("$$\n% ===== macros =====\n\\gdef \\vect #1{\\mathbf{#1}}   % a vector\n"
                     "\\gdef \\cvect #1{\\boldsymbol{#1}}\n$$\n\n"
                     "Then $\\vect{v} = \\cvect{w}$ and $a + b % not shown$ and 50\\% kept "
                     "and $50\\% = x \\\\% gone\n$.\n")
    done = build(post, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    text = squash(pdf_text(tmp_path / "out" / "post" / "post.pdf"))
    assert "Then v = w and a + b and 50% kept and 50% = x" in text
    assert "macros" not in text and "vector" not in text and "shown" not in text
    assert "gone" not in text


@requires_tex
def test_a_percent_sign_in_text_inside_math_is_shown(site: Site, tmp_path: Path) -> None:
    # MathJax reads \text's argument as text, % a percent sign: "96.5 %" on the page. Read
    # as a comment, it took the closing brace ("Paragraph ended before \text@ was complete").
    post = site.post("\\\\[ \\frac{a}{b} = 96.5\\text{ %}\\\\]\n\n"
                     "Rate $\\mbox{50% of} n$ and $\\textbf{1%} + c % a note\n$ end.\n")
    done = build(post, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    text = squash(pdf_text(tmp_path / "out" / "post" / "post.pdf"))
    assert "96.5 %" in text and "Rate 50% of" in text and "1% + c end" in text
    assert "note" not in text


@requires_tex
def test_an_image_linked_from_the_blogs_own_github_repository_is_its_file(
        site: Site, tmp_path: Path) -> None:
    # Blogs that keep their images in their repository link them from GitHub; offline,
    # each was a placeholder with a warning, while the very file was in the site.
    images = site.root / "content" / "posts" / "images"
    images.mkdir(parents=True)
    Image.new("RGB", (40, 30), "navy").save(images / "plot.png")
    post = site.post(
        "![A plot](https://raw.githubusercontent.com/me/blog/master/content/posts/images/"
        "plot.png)\n\n![Elsewhere](https://github.com/me/blog/raw/main/site/content/posts/"
        "images/plot.png)\n\n![Not here](https://raw.githubusercontent.com/me/blog/master/"
        "nope.png)\n")
    done = build(post, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "out" / "post" / "post.pdf"
    assert "Figure 1: A plot" in squash(pdf_text(pdf))
    shown = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    assert len(shown) == 2  # the file, drawn twice
    assert done.stderr.count("cannot be fetched") == 1 and "nope.png" in done.stderr


@requires_tex
def test_cjk_punctuation_in_math_is_text_without_a_warning(site: Site, tmp_path: Path) -> None:
    # Chinese posts write ，。： inside formulas; MathJax sets them as text, as the paper
    # does: one warning per mark was noise in every such post.
    post = site.post("中文，公式 $a，b。c：d$ 和 $\\text{和}x$。\n")
    done = build(post, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert "warning" not in done.stderr
    text = "".join(pdf_text(tmp_path / "out" / "post" / "post.pdf").split())
    assert "公式a，b。c：d和和x。" in text


THEOREMS = """{{< theorem title="Monotone convergence" id="thm-monotone" >}}
A bounded monotone sequence $a_n$ converges.
{{< /theorem >}}

{{< proof >}}
Take the supremum.
{{< /proof >}}

{{% env type="lemma" title="Key [bound]" %}}
Every Cauchy sequence is bounded.
{{% /env %}}

{{< math-env type = "Claim" >}}
Claims are *true*.
{{< /math-env >}}

See [the theorem](#thm-monotone). A {{< lemma "Lonely" >}} never closed.
"""


@requires_tex
def test_theorem_like_shortcodes_are_numbered_statements(site: Site, tmp_path: Path) -> None:
    # Mathematical blogs' own theorem, lemma, proof… shortcodes (or a generic env with a
    # type): the page shows a titled statement; the content was kept but its title lost.
    post = site.post(THEOREMS)
    done = build(post, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    text = squash(pdf_text(tmp_path / "out" / "post" / "post.pdf"))
    assert ("Theorem 1 (Monotone convergence). A bounded monotone sequence an converges. "
            "Proof. Take the supremum.") in text
    assert "Lemma 2 (Key [bound]). Every Cauchy sequence is bounded. Claim 3. Claims" in text
    assert "See the theorem. A never closed." in text
    assert done.stderr.count("warning") == 1 and "shortcode 'lemma' left out" in done.stderr
    tex = (tmp_path / "out" / "post" / "post.tex").read_text()
    assert "\\label{sec:thm-monotone}" in tex and "\\hyperref[sec:thm-monotone]" in tex


@requires_tex
def test_a_generic_theorem_naming_its_kind_is_that_kind(site: Site, tmp_path: Path) -> None:
    # {{< theorem proposition >}}: the site's template titles the box with its first
    # argument ("Proposition:"), its second the name; the PDF said "Theorem 1 (proposition)".
    # A generic env of type "note" is a statement too (it was left out around its text)
    post = site.post("{{< theorem proposition >}}\nBidding truthfully is dominant.\n"
                     "{{< /theorem >}}\n\n{{< theorem Lemma \"Key step\" >}}\nA step.\n"
                     "{{< /theorem >}}\n\n{{< theorem \"Fermat\" >}}\nNo solutions.\n"
                     "{{< /theorem >}}\n\n{{% env type=\"note\" %}}\nAn aside.\n{{% /env %}}\n")
    done = build(post, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert "warning" not in done.stderr
    text = squash(pdf_text(tmp_path / "out" / "post" / "post.pdf"))
    assert ("Proposition 1. Bidding truthfully is dominant. Lemma 2 (Key step). A step. "
            "Theorem 3 (Fermat). No solutions. Note 4. An aside.") in text


@requires_tex
def test_an_academic_themes_author_term_is_its_profiles_name(site: Site,
                                                              tmp_path: Path) -> None:
    # Wowchemy / Hugo Blox: authors: [admin] is a taxonomy term; the page shows the title
    # of content/authors/admin/_index.md; the PDF printed "admin"
    profile = site.root / "content" / "authors" / "admin" / "_index.md"
    profile.parent.mkdir(parents=True)
    profile.write_text("---\ntitle: Ada Lovelace\nrole: Professor\n---\n\nBio.\n")
    post = site.post("Text.\n", front="---\ntitle: T\nauthors: [admin, Bob Stone]\n---\n")
    out = tmp_path / "out"
    done = build(post, out)
    assert done.returncode == 0, done.stderr
    text = squash(pdf_text(out / "post" / "post.pdf"))
    assert "Ada Lovelace" in text and "Bob Stone" in text and "admin" not in text
    profile.write_text("+++\ntitle = \"Ada King\"\n+++\n")  # the profile is an input
    assert build(post, out).returncode == 0
    assert "Ada King" in squash(pdf_text(out / "post" / "post.pdf"))


@requires_tex
def test_a_references_shortcode_lists_the_cited_entries_there(site: Site,
                                                              tmp_path: Path) -> None:
    # hugo-simplecite's {{< references >}} under "## References", a section after it: the
    # page lists the entries there; the PDF left the shortcode out with a warning, the
    # section empty, and listed them at the very end
    post = site.post("See {{< cite \"shannon1948\" >}}.\n\n## References\n\n"
                     "{{< references >}}\n\n## Changelog\n\nFirst version.\n")
    done = build(post, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert "warning" not in done.stderr
    text = squash(pdf_text(tmp_path / "out" / "post" / "post.pdf"))
    assert text.index("References") < text.index("A Mathematical Theory") < text.index(
        "Changelog")
    assert "Cover" not in text  # the cited entries only, as on the page


@requires_tex
def test_a_figure_for_light_and_dark_schemes_shows_its_light_image(site: Site,
                                                                  tmp_path: Path) -> None:
    # a site's figure shortcode with light-src= and dark-src= (<picture> with a dark
    # <source>): the page in its default scheme shows the light image; it was left out
    bundle = site.root / "content" / "posts" / "modes"
    bundle.mkdir(parents=True)
    Image.new("RGB", (80, 40), "white").save(bundle / "plot_light.png")
    Image.new("RGB", (80, 40), "black").save(bundle / "plot_dark.png")
    post = site.post('{{< figure-dynamic dark-src="plot_dark.png" light-src="plot_light.png"'
                     ' caption="A plot." >}}\n', name="modes/index.md")
    done = build(post, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert "warning" not in done.stderr
    assert "Figure 1: A plot." in squash(pdf_text(tmp_path / "out" / "modes" / "modes.pdf"))
    assert "plot_light" in (tmp_path / "out" / "modes" / "modes.tex").read_text()


@requires_tex
def test_a_paired_image_shortcode_opening_a_paragraph_is_a_figure(site: Site,
                                                                   tmp_path: Path) -> None:
    # {{< fig src="x.png" >}}Its caption text.{{< /fig >}} on one line: read inline, it was
    # left out around its text with a warning, the image lost
    bundle = site.root / "content" / "posts" / "inline"
    bundle.mkdir(parents=True)
    Image.new("RGB", (60, 30), "teal").save(bundle / "box.png")
    post = site.post('Before.\n\n{{< tmfig src="box.png" width="50%" >}}A *teal* box.'
                     "{{</tmfig>}}\n\nAfter.\n", name="inline/index.md")
    done = build(post, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert "warning" not in done.stderr
    pdf = tmp_path / "out" / "inline" / "inline.pdf"
    assert "Before. A teal box. After." in squash(pdf_text(pdf))
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True,
                            check=True).stdout.splitlines()[2:]
    assert len(images) == 1


@requires_tex
def test_a_sites_cross_reference_to_a_statement_shows_its_number(site: Site,
                                                                  tmp_path: Path) -> None:
    # a site's own cross-reference shortcode given a statement's id: the page shows a link
    # "Lemma 1"; the PDF left it out ("By  it holds.")
    post = site.post('{{< lemma id="lem-key" >}}\nA bound.\n{{< /lemma >}}\n\n'
                     'By {{< thmref "lem-key" >}} it holds; {{< thmref "elsewhere" >}} not.\n')
    done = build(post, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert "By Lemma 1 it holds; not." in squash(pdf_text(tmp_path / "out" / "post" / "post.pdf"))
    assert done.stderr.count("warning") == 1  # the id that is no place of this post
    assert "post.md:9: warning: unknown shortcode 'thmref' left out" in done.stderr


@requires_tex
def test_zero_width_characters_show_nothing_and_need_no_warning(site: Site,
                                                                tmp_path: Path) -> None:
    # a zero-width space (pasted from a web page or a notebook), a word joiner, a stray BOM:
    # the page shows nothing; pdflatex "could not set" them and each post got a warning
    post = site.post("## Head\u200bing\n\nA long\u200bword, a join\u2060ed one, \ufeffbom.\n")
    done = build(post, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert "warning" not in done.stderr
    text = squash(pdf_text(tmp_path / "out" / "post" / "post.pdf"))
    assert "Heading A longword, a joined one, bom." in text
    assert "\\hspace{0pt}" in (tmp_path / "out" / "post" / "post.tex").read_text()


@requires_tex
def test_hugo_blox_cite_of_a_publication_page_shows_its_citation(site: Site,
                                                                  tmp_path: Path) -> None:
    # {{< cite page="/publication/x" view="citation" >}}: the page shows that publication's
    # citation line; the build stopped: "cite shortcode without a citation key"
    content = site.root / "content"
    (content / "publication" / "solver").mkdir(parents=True)
    (content / "publication" / "solver" / "index.md").write_text(
        '---\ntitle: "A Fast Solver"\nauthors: [admin, "Bo Li"]\ndate: 2019-04-07\n'
        'publication: "*Journal of Tests*"\ndoi: "10.1000/xyz"\n---\n')
    (content / "authors" / "admin").mkdir(parents=True)
    (content / "authors" / "admin" / "_index.md").write_text("---\ntitle: Ada Lovelace\n---\n")
    post = site.post('We showed {{< cite page="/publication/solver" view="citation" >}}\n\n'
                     '{{< cite page="/publication/gone" >}}\n')
    done = build(post, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    text = squash(pdf_text(tmp_path / "out" / "post" / "post.pdf"))
    assert "We showed Ada Lovelace, Bo Li (2019). A Fast Solver. Journal of Tests." in text
    assert "https://doi.org/10.1000/xyz" in (tmp_path / "out" / "post" / "post.tex").read_text()
    assert "post.md:7: warning: cite shortcode: '/publication/gone' is no page" in done.stderr


@requires_tex
def test_details_opened_and_closed_by_html_blocks_holds_the_markdown(
        site: Site, tmp_path: Path) -> None:
    # <details> and </details> in HTML blocks of their own, Markdown between: Hugo's page
    # folds that Markdown into the box; it was set after an empty box
    (site.root / "hugo.toml").write_text('[markup.goldmark.renderer]\nunsafe = true\n')
    post = site.post("Claim.\n\n<details><summary>Proof</summary><div>\n\nBy **the lemma**.\n\n"
                     "- one step\n\n</div></details>\n\nAfter the box.\n\n"
                     "<details>\n<summary>Open</summary>\n\nNever closed.\n")
    done = build(post, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    tex = (tmp_path / "out" / "post" / "post.tex").read_text(encoding="utf-8")
    boxes = tex.split("\\begin{mdpaperbox}")[1:]
    assert len(boxes) == 2, tex
    proof, rest = boxes[0].split("\\end{mdpaperbox}")
    assert "\\textbf{the lemma}" in proof and "\\item one step" in proof
    assert "After the box." in rest and "Never closed." in boxes[1].split("\\end{mdpaperbox}")[0]
    text = squash(pdf_text(tmp_path / "out" / "post" / "post.pdf"))
    assert "Proof. By the lemma." in text and "**" not in text


def test_details_closed_at_the_end_of_a_paragraph_holds_that_paragraph(site: Site) -> None:
    """``Text.</details>`` closes the box where the paragraph ends, as the browser reads it;
    the box took the rest of the post in (a survey-2 post: "Dimension too large")."""
    (site.root / "hugo.toml").write_text('[markup.goldmark.renderer]\nunsafe = true\n')
    post = site.post("Intro line.\n<details>\n<summary>Why</summary>\n\n"
                     "Because of *this*.</details>\n\nAfter the box.\n")
    tex = convert(load_post(post), "post").result.body
    inside, after = tex.split("\\begin{mdpaperbox}{Why.}")[1].split("\\end{mdpaperbox}")
    assert "Because of \\emph{this}." in inside and "After the box." in after


def test_details_closed_and_reopened_in_one_block_or_closed_inside_a_list(site: Site) -> None:
    """``</details>`` then ``<details>`` on the next line are one HTML block; a box closed on
    a list item's last line (a paragraph's lazy line here): each box ends where it does.
    The first took the next box and its text in; the second took the rest of the post (a
    survey-5 post: unbalanced boxes, "TeX capacity exceeded")."""
    (site.root / "hugo.toml").write_text('[markup.goldmark.renderer]\nunsafe = true\n')
    post = site.post("<details>\n<summary>One</summary>\n\nFirst text.\n\n</details>\n"
                     "<details>\n<summary>Two</summary>\n\nSecond text.\n\n</details>\n\n"
                     "<details>\n<summary>Three</summary>\n\n- an item\n</details>\n\n"
                     "Last words.\n")
    tex = convert(load_post(post), "post").result.body
    assert tex.count("\\begin{mdpaperbox}") == tex.count("\\end{mdpaperbox}") == 3
    one = tex.split("\\begin{mdpaperbox}{One.}")[1].split("\\end{mdpaperbox}")[0]
    two = tex.split("\\begin{mdpaperbox}{Two.}")[1].split("\\end{mdpaperbox}")[0]
    assert "First text." in one and "Second" not in one and "Second text." in two
    assert "Last words." in tex.split("\\begin{mdpaperbox}{Three.}")[1].split(
        "\\end{mdpaperbox}")[1]


@requires_tex
def test_box_titles_with_their_own_punctuation_take_no_period(site: Site,
                                                             tmp_path: Path) -> None:
    """A box's title runs into its text after a period; a summary that ends in a mark of its
    own ("Why?", "Proof.", a CJK question) printed "Why?." and "Proof..", which no page
    shows."""
    (site.root / "hugo.toml").write_text('[markup.goldmark.renderer]\nunsafe = true\n')
    post = site.post("<details><summary>Why?</summary>Because.</details>\n\n"
                     "<details><summary>Proof.</summary>Trivial.</details>\n\n"
                     "<details><summary>Note</summary>Plain.</details>\n\n"
                     '{{< details "Really!" >}}\nYes.\n{{< /details >}}\n')
    done = run_cli("build", str(post), "-o", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    text = squash(pdf_text(tmp_path / "out" / "post" / "post.pdf"))
    assert "Why? Because." in text and "Proof. Trivial." in text and "Note. Plain." in text
    assert "Really! Yes." in text and ".." not in text and "?." not in text


@requires_tex
def test_a_box_first_in_a_quote_or_a_list_item(site: Site, tmp_path: Path) -> None:
    # framed before the quote's or the item's label is set: "perhaps a missing \item"
    (site.root / "hugo.toml").write_text('[markup.goldmark.renderer]\nunsafe = true\n')
    post = site.post("Lemma.\n> <details><summary>Proof</summary>\n>\n> Easy.\n>\n> </details>\n\n"
                     "> {{% notice note %}}\n> Quoted note.\n> {{% /notice %}}\n\n"
                     "- {{% notice tip %}}\n  Listed tip.\n  {{% /notice %}}\n\nAfter.\n")
    done = build(post, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    text = squash(pdf_text(tmp_path / "out" / "post" / "post.pdf"))
    for shown in ("Proof. Easy.", "Note. Quoted note.", "Tip. Listed tip.", "After."):
        assert shown in text, text


@requires_tex
def test_a_last_heading_over_only_footnotes_is_left_out(site: Site, tmp_path: Path) -> None:
    """``## References`` then only footnote definitions (6 posts of survey 5): on the page
    it titles the footnote list Goldmark puts right below; in the paper each note is at the
    foot of its page, and the heading stood alone at the end ("section is empty")."""
    post = site.post("## Intro\n\nText[^1] and more[^b].\n\n## Notes {#notes}\n\n"
                     "[^1]: First note.\n[^b]: Second note.\n")
    done = build(post, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert "post.md:9: warning: heading 'Notes' titles only the footnotes" in done.stderr
    assert "is empty" not in done.stderr
    text = squash(pdf_text(tmp_path / "out" / "post" / "post.pdf"))
    assert "Notes" not in text and "First note. Second note." in text
