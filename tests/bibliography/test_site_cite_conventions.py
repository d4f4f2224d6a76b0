"""Sites whose theme brings its own cite shortcode (seen on real academic blogs): the
bibliography where those shortcodes read it, and their argument shapes, instead of an error
on a post whose page renders its citations."""

from __future__ import annotations

import json
import re
from pathlib import Path

from mdpaper.bibliography.locate import find_bibliography
from mdpaper.build.check import check_post
from mdpaper.source.site import load_post

from conftest import REFERENCES, Site, pdf_text, requires_tex, run_cli, squash

NO_BIB = "---\ntitle: T\n---\n"


def own_cite_shortcode(site: Site) -> None:
    folder = site.root / "layouts" / "shortcodes"
    folder.mkdir(parents=True)
    (folder / "cite.html").write_text('{{ index site.Data.bib (.Get 0) }}\n')


def messages(post: Path) -> list[str]:
    return [f"{d.line}: {d.severity}: {d.message}" for d in check_post(post)]


def test_site_data_bibliography_unless_the_site_cites_with_hugo_cite(site: Site) -> None:
    post = site.post("As {{< cite shannon1948 >}} showed.\n", "p.md", NO_BIB)
    (site.root / "data" / "bibliography.json").rename(site.root / "data" / "bib.json")
    hugo_cite = site.root / "themes" / "hugo-cite" / "layouts" / "shortcodes"
    hugo_cite.mkdir(parents=True)
    (hugo_cite / "cite.html").write_text("{{ $bib := $.Page.Params.bibFile }}\n")
    assert messages(post) == ["4: error: citation 'shannon1948' but the post names no "
                              "bibliography (set bibFile in the front matter, or put a bib.json "
                              "in the page bundle)"]  # hugo-cite reads no site data
    # no cite shortcode anywhere: Hugo has none to render with
    (hugo_cite / "cite.html").unlink()
    assert messages(post)[0].startswith("4: error: citation 'shannon1948' but the post names")
    # a theme the config names, not checked out (a git submodule): its own cite reads data
    config = site.root / "hugo.toml"
    config.write_text('theme = ["bearcub", "hugo-simplecite"]\n' + config.read_text())
    (site.root / "themes" / "bearcub" / "layouts").mkdir(parents=True)
    (site.root / "themes" / "hugo-simplecite").mkdir()  # (git's empty submodule folder)
    assert messages(post) == []
    own_cite_shortcode(site)  # the site's own, before any theme's
    (hugo_cite / "cite.html").write_text("{{ $bib := $.Page.Params.bibFile }}\n")
    assert messages(post) == []
    found = find_bibliography(load_post(post))
    assert found is not None and found.how == "site data"
    assert found.path == (site.root / "data" / "bib.json").resolve()


def test_front_matter_bib_param_found_in_assets(site: Site) -> None:
    (site.root / "assets").mkdir()
    (site.root / "assets" / "refs.json").write_text(json.dumps(REFERENCES))
    post = site.post("As {{< cite t shannon1948 >}} showed.\n", "p.md",
                     '---\ntitle: T\nbib: "refs.json"\n---\n')
    assert messages(post) == []
    found = find_bibliography(load_post(post))
    assert found is not None and found.how == "front matter bib"


def test_bibliography_src_names_a_bib_under_static(site: Site) -> None:
    folder = site.root / "static" / "bibliography"
    folder.mkdir(parents=True)
    (folder / "emergence.bib").write_text("@article{k1, title={On Things}, author={Doe, Jane},"
                                          " journal={J}, year={2001}}\n")
    post = site.post('See {{< cite "k1" >}}.\n\n{{< bibliography src="emergence" >}}\n',
                     "p.md", NO_BIB)
    assert messages(post) == []


def test_a_parent_folder_is_not_searched(site: Site) -> None:
    (site.root.parent / "outside.json").write_text(json.dumps(REFERENCES))
    post = site.post("As {{< cite shannon1948 >}} showed.\n", "p.md",
                     '---\ntitle: T\nbib: "../outside"\n---\n')
    assert messages(post)[0].startswith("5: error: citation 'shannon1948' but the post names")


@requires_tex
def test_own_label_cite_and_style_first_cite_show_as_the_page(site: Site,
                                                              tmp_path: Path) -> None:
    own_cite_shortcode(site)
    (site.root / "data" / "bibliography.json").rename(site.root / "data" / "bib.json")
    post = site.post('Dual {{< cite target = "b1" label = "1" text = "Prop. 1.11" >}} here; '
                     "and {{< cite t shannon1948 >}} said so.\n", "p.md", NO_BIB)
    done = run_cli("build", str(post), "-o", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    text = squash(pdf_text(tmp_path / "out" / "p" / "p.pdf"))
    assert "Dual [1, Prop. 1.11] here" in text
    assert "and Shannon (1948) said so" in text


KEYED_YAML = """citations:
  doe2001:
    authors: ["Doe, Jane", "Richard Roe"]
    year: 2001
    title: "On Keyed Things"
    venue: "Journal of Keys"
  web2020:
    authors: ["Site, Author"]
    year: 2020
    title: "A Page"
    url: "https://example.org/page"
    type: "online"
"""


@requires_tex
def test_site_data_keyed_by_citation_key_is_read(site: Site, tmp_path: Path) -> None:
    # A site's own data format (key -> authors/year/title/venue), read by its own cite
    # shortcode: the page shows these references, so the paper does.
    own_cite_shortcode(site)
    (site.root / "data" / "bibliography.json").unlink()
    (site.root / "data" / "citations.yaml").write_text(KEYED_YAML)
    post = site.post("As {{< cite doe2001 >}} and {{< cite web2020 >}} said.\n", "p.md", NO_BIB)
    assert messages(post) == []
    done = run_cli("build", str(post), "-o", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    text = squash(pdf_text(tmp_path / "out" / "p" / "p.pdf"))
    assert "Jane Doe and Richard Roe. On Keyed Things. Journal of Keys" in text
    assert "https://example.org/page" in text


def test_keyed_data_errors_name_the_entry_line(site: Site) -> None:
    own_cite_shortcode(site)
    (site.root / "data" / "bibliography.json").unlink()
    (site.root / "data" / "citations.yaml").write_text(
        KEYED_YAML + "  bad:\n    title: T\n    authors: 7\n")
    post = site.post("As {{< cite doe2001 >}}.\n", "p.md", NO_BIB)
    [error] = check_post(post)
    assert error.path is not None and error.path.name == "citations.yaml"
    assert (error.line, error.message) == (13, 'entry \'bad\': "author" must be a list of names')


SITE_OWN_PAIRED_CITES = """> A quotation worth a paper.

{{< cite >}}
Ada Lovelace
{{< /cite >}}

{{< cite >}}
@Article{k1,
  author = {M{\\"u}ller, Ada and van Rossum, Guido and Hopper, Grace},
  title = {A {T}itle with *stars* and_underscores},
  journal = {J. of Things},
  volume = {42}, number = {4}, month = {July}, year = {2023},
  url = {https://example.org/paper}
}
{{< /cite >}}

After {{< mystery >}} it.
"""


@requires_tex
def test_a_sites_own_paired_cites_show_their_content(site: Site, tmp_path: Path) -> None:
    """Keyless paired cites of sites' own: ``<cite>{{ .Inner }}</cite>`` around a quote's
    author shows it as HTML's cite does (in italics); one holding a BibTeX entry, which the
    page's script formats in place, shows as a formatted reference, never as BibTeX."""
    post = site.post(SITE_OWN_PAIRED_CITES, "p.md", NO_BIB)
    assert messages(post) == ["20: warning: unknown shortcode 'mystery' left out"]
    done = run_cli("build", str(post), "-o", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    tex = (tmp_path / "out" / "p" / "p.tex").read_text()
    assert re.search(r"\\emph\{\s*Ada Lovelace\s*\}", tex) and "@Article" not in tex
    text = squash(pdf_text(tmp_path / "out" / "p" / "p.pdf"))
    assert "Ada Lovelace" in text
    assert ("Ada Müller, Guido van Rossum and Grace Hopper. A Title with *stars* and_underscores."
            " J. of Things, 42(4), July 2023. https://example.org/paper") in text
