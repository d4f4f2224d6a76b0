"""hugo-cite as its users write it: the bibliography file found where hugo-cite finds it
(``bibFile``, else the page bundle's ``*bib*.json`` as Hugo's ``Resources.GetMatch`` picks
it, else the file a ``{{< bibliography src="…" >}}`` names), and its ``cite`` arguments
(``-key``, ``key=``, ``pages=``, ``suppressAuthor=`` as a Hugo template reads it)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mdpaper.bibliography.locate import find_bibliography
from mdpaper.build.check import check_post
from mdpaper.source.site import load_post

from conftest import (
    REFERENCES,
    Site,
    pdf_text,
    requires_hugo,
    requires_tex,
    run_cli,
    run_hugo,
    squash,
)

NO_BIB = "---\ntitle: T\n---\n"


def lines(post: Path) -> list[str]:
    return [f"{d.line}: {d.severity}: {d.message}" for d in check_post(post)]


def bundle(site: Site, text: str, files: tuple[str, ...] = ("bib.json",),
           front: str = NO_BIB) -> Path:
    post = site.post(text, "p/index.md", front)
    for name in files:
        (post.parent / name).write_text(json.dumps(REFERENCES))
    return post


def test_the_page_bundles_bib_json_is_the_bibliography(site: Site) -> None:
    post = bundle(site, "As {{< cite shannon1948 >}} showed.\n", ("refs-BIB.json",))
    source = find_bibliography(load_post(post))
    assert source is not None and source.how == "page bundle"
    assert source.path.name == "refs-BIB.json"
    assert lines(post) == []


def test_a_plain_page_has_no_bundle_and_bibfile_wins_over_the_bundle(site: Site) -> None:
    plain = site.post("As {{< cite shannon1948 >}} showed.\n", "plain.md", NO_BIB)
    (plain.parent / "bib.json").write_text(json.dumps(REFERENCES))
    assert lines(plain) == ["4: error: citation 'shannon1948' but the post names no "
                            "bibliography (set bibFile in the front matter, or put a bib.json "
                            "in the page bundle)"]
    post = bundle(site, "Text.\n", front="---\nbibFile: data/bibliography.json\n---\n")
    source = find_bibliography(load_post(post))
    assert source is not None and source.how == "bibFile"


@requires_hugo
def test_the_bundle_file_is_the_one_hugo_picks(site: Site) -> None:
    """Hugo's GetMatch "*bib*.json": case-insensitive, no sub-folder, first name in byte
    order; asked of the real Hugo on the same bundle."""
    names = ("a-bib.json", "B-Bib.json", "zbib.JSON", "notes.json")
    post = bundle(site, "{{< which >}}\n", names, "---\ntitle: T\n---\n")
    (post.parent / "sub").mkdir()
    (post.parent / "sub" / "A-bib.json").write_text("[]")
    layouts = site.root / "layouts"
    (layouts / "shortcodes").mkdir(parents=True)
    (layouts / "_default").mkdir()
    (layouts / "_default" / "single.html").write_text("{{ .Content }}")
    (layouts / "_default" / "list.html").write_text("{{ .Content }}")
    (layouts / "shortcodes" / "which.html").write_text(
        '{{ with .Page.Resources.GetMatch "*bib*.json" }}{{ .Name }}{{ end }}')
    assert run_hugo(site.root, "--quiet").returncode == 0
    page = (site.root / "public" / "posts" / "p" / "index.html").read_text()
    source = find_bibliography(load_post(post))
    assert source is not None and source.path.name in page and page.strip() == "B-Bib.json"


def test_the_bibliography_shortcodes_src_when_nothing_else_names_one(site: Site) -> None:
    (site.root / "refs").mkdir()
    (site.root / "refs" / "works.json").write_text(json.dumps(REFERENCES))
    post = site.post("As {{< cite shannon1948 >}} showed.\n\n"
                     '{{< bibliography src="refs/works.json" cited="true" >}}\n', "s.md", NO_BIB)
    source = find_bibliography(load_post(post))
    assert source is not None and source.how == "bibliography shortcode"
    assert lines(post) == []
    positional = site.post('{{< bibliography "/refs/works.json" >}}\n', "s2.md", NO_BIB)
    assert lines(positional) == []


@pytest.mark.parametrize(("src", "message"), [
    ("../../outside.json", "bibliography src '../../outside.json' is outside the site folder"),
    ("refs/none.json", "bibliography src 'refs/none.json' not found"),
    ("https://example.org/bib.json", "the bibliography shortcode reads "
     "'https://example.org/bib.json' from the web"),
])
def test_a_src_that_cannot_be_read_is_a_located_error(site: Site, src: str,
                                                      message: str) -> None:
    (site.root.parent / "outside.json").write_text(json.dumps(REFERENCES))
    post = site.post(f'Text.\n\n{{{{< bibliography src="{src}" >}}}}\n', "e.md", NO_BIB)
    found = lines(post)
    assert len(found) == 1 and found[0].startswith(f"6: error: {message}"), found


def test_a_src_other_than_the_cited_file_is_a_warning_and_outside_an_error(site: Site) -> None:
    (site.root / "other.json").write_text(json.dumps(REFERENCES[:1]))
    (site.root.parent / "secret.json").write_text("[]")
    post = bundle(site, "Text {{< cite shannon1948 >}}.\n\n"
                  '{{< bibliography src="other.json" >}}\n\n{{< bibliography src="bib.json" >}}\n')
    assert lines(post)[0] == (
        "6: warning: the bibliography shortcode lists 'other.json', but the citations use "
        "bib.json; the paper lists the entries of bib.json")
    cited = bundle(site, 'Text.\n\n{{< bibliography src="other.json" cited="true" >}}\n')
    assert lines(cited) == []  # hugo-cite lists what the page cites, whatever src says
    bad = bundle(site, 'Text.\n\n{{< bibliography src="../../../secret.json" >}}\n')
    assert lines(bad)[0].startswith("6: error: bibliography src '../../../secret.json' is "
                                    "outside the site folder")


def test_a_missing_key_is_a_located_error_with_a_did_you_mean(site: Site) -> None:
    post = bundle(site, "Intro.\n\nSee {{< cite key=\"shanon1948\" pages=\"4\" >}}.\n")
    assert lines(post) == ["6: error: unknown citation key 'shanon1948'; did you mean "
                           "'shannon1948'?"]


CITES = """\
A {{< cite "-shannon1948" >}} B {{< cite shannon1948 5-6 >}} C {{< cite key="cover2006"
pages="12" >}} D {{< cite key="cover2006" suppressAuthor=true >}} E
{{< cite key="cover2006" suppressAuthor=false >}} F {{< cite key="cover2006"
suppressAuthor="false" >}} G {{< cite shannon1948 xii >}} H.

## References

{{< bibliography cited >}}
"""


@requires_tex
def test_cite_arguments_as_the_page_shows_them(site: Site) -> None:
    """hugo-cite prints "(1948)" for -key, "pp." before a range, the year alone for a
    truthy suppressAuthor (quoted "false" is text, so true), "p." before any page."""
    post = bundle(site, CITES, ("my-bib.json",))
    proc = run_cli("build", str(post))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    text = squash(pdf_text(next((site.root / "output").glob("*/*.pdf"))))
    assert ("A (1948) B (Shannon, 1948, pp. 5–6) C (Cover and Thomas, 2006, p. 12) D (2006) "
            "E (Cover and Thomas, 2006) F (2006) G (Shannon, 1948, p. xii) H.") in text
    assert "Elements of Information Theory" in text and "Shannon" in text.split("References")[1]
