"""Real builds (latexmk + pdflatex + BibTeX), checked through the PDF's text."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from mdpaper import images
from mdpaper.build.post import BuildOptions, build_post
from mdpaper.errors import MdpaperError
from mdpaper.latex.scripts import pdflatex_support

from conftest import (
    SEED_POST,
    SEED_REFERENCES,
    TESTS,
    Site,
    label_anchor,
    pdf_internal_link_targets,
    pdf_text,
    requires_tex,
    run_cli,
    squash,
)

GOLDEN = TESTS / "golden"
pytestmark = [requires_tex, pytest.mark.tex]


def assert_clean(text: str) -> None:
    """No unresolved reference, no shortcode or Markdown left over."""
    for bad in ("??", "{{<", "{{%", "[^", "](#", "\\cite", "$$"):
        assert bad not in text, f"{bad!r} in PDF text"


def test_every_golden_construct_compiles_and_shows_its_text(site: Site) -> None:
    names = sorted(p.stem for p in GOLDEN.glob("*.md") if p.stem != "citations")
    body = "\n\n".join((GOLDEN / f"{n}.md").read_text() for n in [*names, "citations"])
    site.post("A page the shortcodes case links to with ref.\n", name="other-post.md")
    # pdflatex pinned: its CJK (CJKutf8) and Cyrillic (T2A) are part of what this build checks
    result = build_post(site.post(body), BuildOptions(engine="pdflatex"))
    text = squash(pdf_text(result.pdf))
    for phrase in [
        "All ten: # $ % & ~ _ ^ \\ { } and an escaped $5 bill.",
        "“Double quotes”, ‘single quotes’, it’s – an en dash — an em dash. . . and an ellipsis.",
        "Café, naïve, Ærø, Łódź, Dvořák; x ≤ y → z; α and ∞; 5 €, © 2024",
        "code with $ & % # _ { } ~ ^ \\",
        "def f(x): # 100% {braces} \\backslash",
        "indented code block",
        "H2 O and E = mc2",
        "漢字" if pdflatex_support().cjk_rows else "[U+6F22][U+5B57]",
        "Cyrillic пристаням and" if pdflatex_support().t2a else "Cyrillic [U+043F]",
        "Inside a notice.",
        'Shown literally: {{< cite "key" >}}.',
        "fmt.Println(\"hi\")",
        "(Shannon, 1948)",
        "(Shannon, 1948; Cover and Thomas, 2006)",
        "(Cover and Thomas, 2006, p. 42)",
        "A footnote citing (Cover and Thomas, 2006).",
        "Second paragraph with code.",
        "See the first, the second and its twin.",
        "A quotation over two lines.",
        "six",
    ]:
        assert phrase in text, phrase
    assert text.count("References") == 1
    assert "Elements of Information Theory" in text
    assert "A Mathematical Theory of Communication" in text  # as written, as on the page


def test_seed_post_builds_with_citations_links_and_one_references(tmp_path: Path) -> None:
    if not SEED_POST.exists():
        pytest.skip("../shared/seed is not present")
    site = Site(tmp_path / "site", references=SEED_REFERENCES)
    post = site.root / "content" / "posts" / SEED_POST.name
    shutil.copy(SEED_POST, post)
    result = build_post(post)
    raw = pdf_text(result.pdf)
    text = squash(raw)
    assert_clean(text)
    assert "(Jeon et al., 2022)" in text and "(Jeon et al., 2024)" in text
    assert text.count("References") == 1
    assert "An Information-Theoretic Framework for Supervised Learning" in text
    assert "An Information-Theoretic Analysis of In-Context Learning" in text
    # internal links resolved to their headings in the .tex (hyperref targets exist)
    tex = result.tex.read_text()
    assert "\\hyperref[sec:anal_nn]{Analyzing Neural Network Architecture}" in tex
    assert "\\label{sec:anal_nn}" in tex and "\\label{sec:discussion-assumptions}" in tex
    # HTML comments are dropped, math with \{ and | survives
    assert "Not sure yet" not in text
    assert "Try to find argument" not in text
    # both internal links are real PDF links to the headings' anchors
    aux = result.outdir / "build" / f"{result.name}.aux"
    targets = pdf_internal_link_targets(result.pdf)
    for label in ("sec:anal_nn", "sec:discussion-assumptions"):
        anchor = label_anchor(aux, label)
        assert anchor and anchor in targets, (label, anchor, targets)


def test_outputs_layout_and_name_from_page_bundle(site: Site) -> None:
    post = site.post("## Hello\n\nWorld.\n", name="my-bundle/index.md",
                     front="---\ntitle: Bundle\n---\n")
    result = build_post(post)
    out = site.root / "output" / "my-bundle"
    assert result.pdf == out / "my-bundle.pdf" and result.pdf.exists()
    assert (out / "my-bundle.tex").exists()
    assert (out / "build" / "my-bundle.log").exists()
    assert "World." in pdf_text(result.pdf)


def test_tex_only_writes_tex_and_bib_without_pdf(site: Site, tmp_path: Path) -> None:
    post = site.post("Cite {{< cite \"shannon1948\" >}}.\n")
    result = build_post(post, BuildOptions(outdir=tmp_path / "out", tex_only=True))
    assert result.pdf is None
    assert result.tex.exists() and result.bib is not None and result.bib.exists()
    assert not (tmp_path / "out" / "post" / "post.pdf").exists()
    assert "@article{shannon1948" in result.bib.read_text()


def test_latex_error_is_mapped_to_markdown_line_and_keeps_last_pdf(site: Site) -> None:
    post = site.post("Fine.\n")
    good = build_post(post)
    before = good.pdf.read_bytes()
    post.write_text("---\ntitle: Broken\n---\n\nIntro.\n\nLine with $\\mathbbb{R}$ here.\n")
    with pytest.raises(MdpaperError) as info:
        build_post(post)
    message = str(info.value)
    assert message.startswith(f"{post}:7: error:"), message
    assert "Undefined control sequence" in message
    assert good.pdf.read_bytes() == before


def test_unknown_citation_key_suggests_close_key(site: Site) -> None:
    post = site.post("\nSee {{< cite \"shanon1948\" >}}.\n")
    with pytest.raises(MdpaperError) as info:
        build_post(post)
    assert str(info.value) == (
        f"{post}:6: error: unknown citation key 'shanon1948'; did you mean 'shannon1948'?")


def test_cli_errors_are_located_without_traceback(site: Site) -> None:
    post = site.post("See {{< cite \"nope\" >}}.\n")
    proc = run_cli("build", str(post))
    assert proc.returncode == 1
    assert proc.stderr.strip() == f"{post}:5: error: unknown citation key 'nope'"
    assert "Traceback" not in proc.stderr


def test_bibliography_cited_prints_only_cited_entries(site: Site) -> None:
    post = site.post("A {{< cite \"cover2006\" >}}.\n\n## Bibliography\n\n"
                     "{{< bibliography cited >}}\n")
    text = squash(pdf_text(build_post(post).pdf))
    assert "Elements of Information Theory" in text
    assert "Mathematical Theory of Communication" not in text
    assert text.count("Bibliography") == 1 and "References" not in text


def test_figures_resolve_bundle_relative_and_static_paths(site: Site) -> None:
    png = TESTS / "posts" / "static"
    images = sorted(png.rglob("*.png")) if png.exists() else []
    if not images:
        pytest.skip("no PNG fixtures")
    bundle = site.root / "content" / "posts" / "figs"
    bundle.mkdir(parents=True)
    shutil.copy(images[0], bundle / "local plot.png")
    (site.root / "static" / "figures").mkdir(parents=True)
    shutil.copy(images[0], site.root / "static" / "figures" / "abs.png")
    post = site.post(
        '{{< figure src="local plot.png" caption="A local figure" width="60%" >}}\n\n'
        '![Static figure caption](/figures/abs.png)\n\n'
        '![Remote](https://example.org/x.png)\n', name="figs/index.md")
    result = build_post(post)
    text = squash(pdf_text(result.pdf))
    assert "Figure 1: A local figure" in text and "Figure 2: Static figure caption" in text
    assert "Remote image: https://example.org/x.png" in text
    assert sorted(result.figures) == ["abs.png", "local-plot.png"]
    for name in result.figures:  # copied beside the .tex, so the .tex compiles by itself
        assert (result.outdir / name).read_bytes() == images[0].read_bytes()
    assert any("remote image" in str(d) for d in result.diagnostics)


def test_no_front_matter_title_from_first_heading(site: Site) -> None:
    post = site.post("# My Great Title\n\n## Part\n\nText.\n", front="")
    result = build_post(post)
    text = squash(pdf_text(result.pdf))
    assert text.startswith("My Great Title")
    assert "1 Part" in text


@pytest.mark.parametrize("engine", ["xelatex", "lualatex"])
def test_other_engines(site: Site, engine: str) -> None:
    if not shutil.which(engine):
        pytest.skip(f"{engine} missing")
    post = site.post("Unicode 漢 and ≤ with {{< cite \"shannon1948\" >}}.\n")
    result = build_post(post, BuildOptions(engine=engine))
    assert "(Shannon, 1948)" in squash(pdf_text(result.pdf))


def test_bibfile_under_params_and_json_front_matter(site: Site) -> None:
    front = {"title": "J", "params": {"bibFile": "data/bibliography.json"}}
    post = site.post("Cite {{< cite \"shannon1948\" >}}.\n", front=json.dumps(front) + "\n")
    assert "(Shannon, 1948)" in squash(pdf_text(build_post(post).pdf))


def test_svg_figure_is_converted_to_pdf(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """Converted once per build: the published copy is the build folder's (each
    rsvg-convert run costs about 0.1 s; a post with eleven SVGs paid them twice)."""
    if not shutil.which("rsvg-convert"):
        pytest.skip("rsvg-convert missing (scripts/setup installs librsvg2-bin)")
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60">'
           '<rect width="120" height="60" fill="#36c"/>'
           '<text x="10" y="35" font-size="20" fill="white">SVGTEXT</text></svg>')
    bundle = site.root / "content" / "posts" / "svgpost"
    bundle.mkdir(parents=True)
    (bundle / "diagram.svg").write_text(svg)
    (bundle / "second.svg").write_text(svg.replace("SVGTEXT", "SECONDSVG"))
    post = site.post("![An SVG diagram](diagram.svg)\n\n![Another](second.svg)\n",
                     name="svgpost/index.md")
    conversions: list[Path] = []
    real = images.svg_to_pdf
    monkeypatch.setattr(images, "svg_to_pdf", lambda src, out: (conversions.append(src),
                                                                 real(src, out)))
    result = build_post(post)
    assert list(result.figures) == ["diagram.pdf", "second.pdf"]  # (converted side by side)
    assert (result.outdir / "diagram.pdf").read_bytes().startswith(b"%PDF")
    assert sorted(conversions) == [bundle / "diagram.svg", bundle / "second.svg"]
    for name in result.figures:
        assert (result.outdir / name).read_bytes() == (
            result.outdir / "build" / name).read_bytes()
    text = squash(pdf_text(result.pdf))
    assert "Figure 1: An SVG diagram" in text and "SVGTEXT" in text and "SECONDSVG" in text


def test_gif_and_webp_figures_become_png(site: Site) -> None:
    from PIL import Image

    bundle = site.root / "content" / "posts" / "raster"
    bundle.mkdir(parents=True)
    Image.new("RGB", (40, 20), "red").save(bundle / "anim.gif")
    Image.new("RGBA", (40, 20), (0, 0, 255, 128)).save(bundle / "photo.webp")
    post = site.post("![A GIF](anim.gif)\n\n![A WebP](photo.webp)\n", name="raster/index.md")
    result = build_post(post)
    assert sorted(result.figures) == ["anim.png", "photo.png"]
    for name in result.figures:
        assert (result.outdir / name).read_bytes().startswith(b"\x89PNG")
    text = squash(pdf_text(result.pdf))
    assert "Figure 1: A GIF" in text and "Figure 2: A WebP" in text
