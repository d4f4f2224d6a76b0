"""A paired shortcode's inner text ends at its closing tag, as Hugo pairs the tags before
Goldmark reads the text: no Markdown block of the inner text may run past the tag. Each
case is built for real and read back from the PDF."""

from __future__ import annotations

from pathlib import Path

from conftest import Site, pdf_text, requires_tex, run_cli, squash


@requires_tex
def test_a_quote_ending_a_statement_ends_before_its_closing_tag(site: Site,
                                                                 tmp_path: Path) -> None:
    # a statement whose last lines are a quote, the closing tag on the very next line: the
    # tag was the quote's lazy line, the box ended inside the quote and TeX stopped
    post = site.post("{{< theorem >}}\nA claim about $x$.\n>A remark in a quote.\n"
                     "{{< /theorem >}}\n\nText after the box.\n\n"
                     "{{% proof %}}\n> Quoted step\n> and its second line.\n{{% /proof %}}\n\n"
                     "Closing words.\n")
    done = run_cli("build", str(post), "-o", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    text = squash(pdf_text(tmp_path / "out" / "post" / "post.pdf"))
    assert "A claim about x. A remark in a quote. Text after the box." in text
    assert "Quoted step and its second line." in text and "Closing words." in text
    assert "{{" not in text
