"""Links to ids that are not headings: an anchor shortcode (``{{< anchor name "text" >}}``)
and, on a site whose page shows raw HTML, ``<a name=…>``, ``<a id=…>`` and any element's
``id``. The page's link jumps there; so does the PDF's."""

from __future__ import annotations

from pathlib import Path

from mdpaper.build.convert import convert
from mdpaper.build.post import build_post
from mdpaper.source.site import load_post

from conftest import Site, label_anchor, pdf_internal_link_targets, pdf_text, requires_tex, squash

UNSAFE = "\n[markup.goldmark.renderer]\nunsafe = true\n"
LINKS = ("See [a](#chapter-2), [b](#near) and [c](#far).\n\n"
         "Text <a href=\"https://example.org/\">web</a> and <a name=\"near\"></a>near.\n\n"
         "<div id=\"far\">\nFar block.\n</div>\n\n"
         "{{< anchor chapter-2 \"Chapter two\" >}}\n")


def warnings_of(post: Path) -> tuple[str, list[str]]:
    result = convert(load_post(post), "post").result
    return result.body, [f"{d.line}: {d.message}" for d in result.diagnostics]


def test_anchor_shortcode_and_html_ids_are_targets_where_the_page_shows_them(site: Site) -> None:
    hugo = site.root / "hugo.toml"
    hugo.write_text(hugo.read_text() + UNSAFE)
    tex, warnings = warnings_of(site.post(LINKS))
    assert warnings == []
    assert "\\href{https://example.org/}{web} and \\phantomsection\\label{sec:near}near." in tex
    assert "\\phantomsection\\label{sec:far}" in tex
    assert "\\phantomsection\\label{sec:chapter-2}Chapter two" in tex


def test_html_ids_the_page_leaves_out_are_not_targets(site: Site) -> None:
    # Without unsafe = true Goldmark omits raw HTML: the page's #near and #far lead nowhere.
    tex, warnings = warnings_of(site.post(LINKS))
    assert "5: link to '#near', but no heading has that id" in warnings
    assert "5: link to '#far', but no heading has that id" in warnings
    assert "\\label{sec:near}" not in tex and "\\href{" not in tex
    assert "\\phantomsection\\label{sec:chapter-2}Chapter two" in tex  # a shortcode's: shown


@requires_tex
def test_links_to_anchors_are_pdf_links(site: Site) -> None:
    hugo = site.root / "hugo.toml"
    hugo.write_text(hugo.read_text() + UNSAFE)
    result = build_post(site.post(LINKS))
    assert "See a, b and c. Text web and near. Far block. Chapter two" in squash(
        pdf_text(result.pdf))
    aux = result.outdir / "build" / f"{result.name}.aux"
    targets = pdf_internal_link_targets(result.pdf)
    for label in ("sec:chapter-2", "sec:near", "sec:far"):
        anchor = label_anchor(aux, label)
        assert anchor and anchor in targets, (label, anchor, targets)


@requires_tex
def test_an_anchor_inside_a_heading_labels_the_heading(site: Site) -> None:
    # "# <a id="introduction"></a> Introduction": a \label inside \section{} broke the
    # PDF bookmark (kvsetkeys "Undefined key", bookmark "Missing action")
    hugo = site.root / "hugo.toml"
    hugo.write_text(hugo.read_text() + UNSAFE)
    post = site.post("[Go](#intro) and [there](#two).\n\n# <a id=\"intro\"></a> Introduction\n\n"
                     "Text.\n\n## Second <span id=\"two\">part</span>\n\nMore.\n")
    result = build_post(post)
    tex = result.tex.read_text()
    assert "\\section{Introduction}\\label{sec:introduction}\\label{sec:intro}" in tex
    assert "\\label{sec:second-part}\\label{sec:two}" in tex
    assert "Introduction" in pdf_text(result.pdf)
