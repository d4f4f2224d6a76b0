"""Hugo's manual summary: the text before ``<!--more-->`` is the paper's abstract when the
front matter gives no ``summary`` or ``description``; the divider itself is never printed;
a draft builds with a located warning."""

from __future__ import annotations

from mdpaper.build.check import check_post
from mdpaper.source.site import load_post

from conftest import Site, pdf_text, requires_hugo, requires_tex, run_cli, run_hugo, squash

POST = """\
---
title: Summaries
bibFile: data/bibliography.json
---

Entropy $H(X)$ measures **surprise**; this opening is the
summary of the post.

<!--more-->

## Body

The body starts here [@shanon1948].
"""


def test_the_text_before_the_divider_is_the_abstract(site: Site) -> None:
    post = site.post(POST.split("---\n", 2)[2], "m.md", "---\ntitle: S\n---\n")
    loaded = load_post(post)
    assert loaded.meta.abstract == ("Entropy $H(X)$ measures **surprise**; this opening is the\n"
                                    "summary of the post.")
    assert loaded.meta.key_lines["summary"] == 5
    assert "opening" not in loaded.body and "<!--more-->" not in loaded.body


def test_lines_after_the_divider_keep_their_numbers(site: Site) -> None:
    post = site.post(POST.split("---\n", 2)[2], "m.md", "---\ntitle: S\nbibFile: "
                     "data/bibliography.json\n---\n")
    found = [(d.line, d.message) for d in check_post(post)]
    assert found == [(13, "unknown citation key 'shanon1948'; did you mean 'shannon1948'?")]


def test_the_front_matter_summary_wins_and_the_opening_stays_in_the_body(site: Site) -> None:
    post = site.post("Opening words.\n\n<!--more-->\n\nMore words.\n", "f.md",
                     "---\ntitle: T\nsummary: From the front matter.\n---\n")
    loaded = load_post(post)
    assert loaded.meta.abstract == "From the front matter."
    assert "Opening words." in loaded.body


def test_an_opening_that_is_not_plain_prose_stays_in_the_body(site: Site) -> None:
    for opening in ("## A heading\n\nText.\n", "- a list\n", "![fig](x.png)\n",
                    "Text.[^1]\n\n[^1]: A note.\n", "$$\nx\n$$\n"):
        post = site.post(opening + "\n<!--more-->\n\nRest.\n", "o.md", "---\ntitle: T\n---\n")
        loaded = load_post(post)
        assert loaded.meta.abstract is None and opening in loaded.body, opening


def test_a_draft_builds_with_a_located_warning(site: Site) -> None:
    post = site.post("Text.\n", "d.md", "---\ntitle: T\ndraft: true\n---\n")
    found = [(d.severity, d.line, d.message) for d in check_post(post)]
    assert found == [("warning", 3, "the post is a draft (draft: true): Hugo leaves it off the "
                      "site unless built with --buildDrafts")]
    # a site that builds its drafts publishes it: nothing to say
    config = site.root / "hugo.toml"
    config.write_text("buildDrafts = true\n" + config.read_text())
    assert check_post(post) == []


@requires_tex
@requires_hugo
def test_the_abstract_is_hugos_summary_and_the_divider_is_never_printed(site: Site) -> None:
    post = site.post(POST.split("---\n", 2)[2].replace("shanon", "shannon"), "m.md",
                     "---\ntitle: Summaries\nbibFile: data/bibliography.json\n---\n")
    layouts = site.root / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "single.html").write_text("<summary>{{ .Summary | plainify }}</summary>")
    (layouts / "list.html").write_text("")
    assert run_hugo(site.root, "--quiet").returncode == 0
    page = (site.root / "public" / "posts" / "m" / "index.html").read_text()
    hugo_summary = " ".join(page.removeprefix("<summary>").removesuffix("</summary>").split())
    proc = run_cli("build", str(post))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    text = squash(pdf_text(site.root / "output" / "m" / "m.pdf"))
    abstract = text.split("Abstract", 1)[1].split("1 Body", 1)[0].strip()
    assert abstract == hugo_summary.replace("$H(X)$", "H(X)") != ""  # MathJax typesets it
    assert text.count("opening is the summary") == 1
    assert "more" not in text and "<!--" not in text
    assert "The body starts here (Shannon, 1948)." in text
