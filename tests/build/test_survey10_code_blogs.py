"""Constructs of technical blogs (code, tables, images, raw HTML) that real posts of the
tenth survey built wrong."""

from __future__ import annotations

import base64
import io
import unicodedata
from pathlib import Path

import pytest
from PIL import Image

from mdpaper.arxiv.bundle import make_bundle
from mdpaper.arxiv.sources import gather
from mdpaper.build.post import BuildOptions, build_post
from mdpaper.source.site import find_site_root

from conftest import Site, pdf_text, requires_tex, squash

SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60">'
       '<rect width="120" height="60" fill="#36c"/></svg>')


@requires_tex
@pytest.mark.tex
def test_a_cover_image_named_after_the_post_is_not_the_paper(site: Site) -> None:
    """posts/java.md shows /images/java.svg: staged as java.pdf, it was the very file
    pdfTeX writes the paper to, and the build failed ('reading image file failed')."""
    (site.root / "static" / "images").mkdir(parents=True)
    (site.root / "static" / "images" / "java.svg").write_text(SVG)
    post = site.post("Intro.\n\n![The cover](/images/java.svg)\n\nThe end.\n",
                     name="java.md")
    result = build_post(post, BuildOptions(engine="pdflatex"))
    assert result.pdf is not None and result.pdf.name == "java.pdf"
    assert "java.pdf" not in result.figures and len(result.figures) == 1
    assert "Figure 1: The cover" in squash(pdf_text(result.pdf))


def test_the_arxiv_bundle_keeps_a_figure_named_like_its_paper(tmp_path: Path) -> None:
    """arXiv's TeX writes <main>.pdf too: a figure of that name gets another one."""
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4\n")
    (tmp_path / "a.tex").write_text("\\includegraphics{a.pdf}\n")
    src = gather(tmp_path / "a.tex", {}, "a", tmp_path / "w")
    assert src.tex == "\\includegraphics{a-2.pdf}\n" and "a-2.pdf" in src.files


def test_a_config_file_in_the_content_folder_is_content(site: Site) -> None:
    """A WordPress export left its config.yaml in content/, a bundle attaches the
    config.yaml its post explains: Hugo reads neither (only the site root's), and the
    site's unsafe = true still shows the post's raw HTML."""
    (site.root / "hugo.toml").write_text(
        (site.root / "hugo.toml").read_text() + "\n[markup.goldmark.renderer]\nunsafe = true\n")
    (site.root / "content" / "config.yaml").write_text("url: https://example.org\n")
    post = site.post("<div>Shown on the page.</div>\n", name="k8s/index.md")
    (post.parent / "config.yaml").write_text("apiVersion: v1\nkind: Pod\n")
    assert find_site_root(post) == site.root.resolve()
    result = build_post(post, BuildOptions(tex_only=True))
    assert "Shown on the page." in result.tex.read_text() and not result.diagnostics


@requires_tex
@pytest.mark.tex
@pytest.mark.parametrize(("name", "text", "words"), [
    # DejaVu's oblique faces have no Arabic: the highlighted comment and the emphasis
    # (italic) lost every letter
    ("arabic", "نص *مائل هنا*.\n\n```python\nx = 1  # تعليق\n```\n", ["مائل", "تعليق"]),
    # no installed monospaced font has Hebrew: the code's letters were lost
    ("hebrew", "טקסט עם `קוד` כאן.\n\n```md\n# כותרת\n```\n", ["קוד", "כותרת"]),
])
def test_right_to_left_letters_in_italics_and_code_show(site: Site, name: str, text: str,
                                                         words: list[str]) -> None:
    post = site.post(text, name=f"{name}.md", front=f"---\ntitle: {name}\n---\n")
    result = build_post(post)
    assert result.pdf is not None
    missing = [str(d) for d in result.diagnostics if "missing from the PDF" in str(d)]
    assert missing == []
    shown = squash(unicodedata.normalize("NFKC", pdf_text(result.pdf)))
    assert all(word in shown or word[::-1] in shown for word in words), shown


def test_an_image_only_in_assets_is_the_one_the_theme_shows(site: Site) -> None:
    """Hinode's image shortcode, Blowfish's and Congo's render hooks take an image from the
    site's assets/ (resources.Get) when the page bundle and static/ lack it."""
    (site.root / "assets" / "img").mkdir(parents=True)
    Image.new("RGB", (40, 20), "red").save(site.root / "assets" / "img" / "login.png")
    Image.new("RGB", (40, 20), "red").save(site.root / "assets" / "img" / "menu.png")
    post = site.post("![Login](/img/login.png)\n\n![Menu](img/menu.png)\n", name="stats.md")
    result = build_post(post, BuildOptions(tex_only=True))
    assert sorted(result.figures) == ["login.png", "menu.png"] and not result.diagnostics


@requires_tex
@pytest.mark.tex
def test_a_data_uri_image_shows(site: Site, tmp_path: Path) -> None:
    """The page draws a data: URI's image from the URI itself: so does the paper (base64
    or percent-encoded, PNG or SVG); one that decodes to nothing is a located warning."""
    png = io.BytesIO()
    Image.new("RGB", (40, 20), "blue").save(png, "PNG")
    encoded = base64.b64encode(png.getvalue()).decode()
    svg = SVG.replace("<", "%3C").replace(">", "%3E").replace('"', "%22").replace(" ", "%20")
    post = site.post(f"![A square](data:image/png;base64,{encoded})\n\n"
                     f"![A bar](data:image/svg+xml,{svg})\n\n"
                     "![Broken](data:image/png;base64,@@@)\n", name="inline.md")
    result = build_post(post, BuildOptions(engine="pdflatex"))
    assert result.pdf is not None and len(result.figures) == 2
    text = squash(pdf_text(result.pdf))
    assert "Figure 1: A square" in text and "Figure 2: A bar" in text
    assert [str(d) for d in result.diagnostics] == [
        f"{post}:9: warning: image 'data:image/png;base64,@@@…' is a data: URI mdpaper "
        "cannot decode; a placeholder stands in for it"]
    report = make_bundle(result, abstract="Inline images.", outdir=tmp_path)
    assert report.ok, report.summary()


@requires_tex
@pytest.mark.tex
def test_vietnamese_letters_t1_draws_copy_as_themselves(site: Site) -> None:
    """Under pdflatex Đ was Ð's glyph and ĩ a tilde over ı: the PDF looked right but its
    text (search, copy, a screen reader) said 'Ðặc Ðiểm', 'tı̃nh'."""
    post = site.post("## Đặc Điểm\n\nKiểm tra kiểu tĩnh, Ũ và ũ.\n\n```js\n// Đếm\n```\n",
                     name="viet.md")
    result = build_post(post, BuildOptions(engine="pdflatex"))
    assert result.pdf is not None
    text = pdf_text(result.pdf)
    assert all(w in text for w in ("Đặc Điểm", "tĩnh", "Ũ và ũ", "Đếm")), text
    assert "Ð" not in text and "ı" not in text


def test_remote_images_are_one_warning_naming_their_lines(site: Site) -> None:
    """A page of 150 remote thumbnails gave 150 warnings: one, with the others' lines
    (each placeholder names its own URL in the PDF)."""
    post = site.post("![a](https://example.org/a.png) ![b](https://example.org/b.png)\n\n"
                     "Text.\n\n![c](https://example.org/c.png)\n", name="thumbs.md")
    result = build_post(post, BuildOptions(tex_only=True))
    assert [str(d) for d in result.diagnostics] == [
        f"{post}:5: warning: remote image 'https://example.org/a.png' cannot be fetched "
        "(builds work offline); a placeholder stands in for it (and 2 more remote images: "
        "lines 5, 9)"]
    tex = result.tex.read_text()
    assert all(f"example.org/{n}.png" in tex for n in "abc")
