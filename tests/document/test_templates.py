"""Templates: the <<variable>> language, and each built-in template building the example
post and an arXiv bundle that passes the bundle check (real TeX, checked through the PDF)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from mdpaper.arxiv.bundle import make_bundle
from mdpaper.build.post import BuildOptions, build_post
from mdpaper.document.templating import render
from mdpaper.errors import MdpaperError
from mdpaper.source.site import load_post

from conftest import REPO, Site, pdf_text, requires_tex, run_cli, squash

EXAMPLE = REPO / "content" / "posts" / "example-paper" / "index.md"


def test_variables_sections_and_lists() -> None:
    ctx = {"title": "T", "sub": None, "authors": [{"name": "A", "first": True},
                                                   {"name": "B", "first": False}]}
    text = "<<title>><<#sub>>: <<sub>><</sub>><<^sub>> (none)<</sub>>|" \
           "<<#authors>><<^first>>, <</first>><<name>> of <<title>><</authors>>"
    assert render(text, ctx) == "T (none)|A of T, B of T"
    assert render("\\href{<<x>>}{<<x>>}", {"x": "u"}) == "\\href{u}{u}"


@pytest.mark.parametrize("text, message", [
    ("<<nope>>", "<<nope>>, which is not a template variable"),
    ("<<#a>>x", "never closed"),
    ("<</a>>", "closes <</a>> but nothing is open"),
])
def test_template_mistakes_are_located(text: str, message: str) -> None:
    with pytest.raises(MdpaperError, match=message) as err:
        render("line one\n" + text, {"a": True}, "t.toml")
    assert err.value.path == "t.toml" and err.value.line == 2


TOML_WITH_MISTAKE = """description = "a template with a typo"
documentclass = "article"
options = ["11pt"]
preamble = '''
\\usepackage{geometry}
% a comment line
\\newcommand{\\x}{<<nosuchvar>>}
'''
"""


def build_with_template(site: Site, toml: str) -> subprocess.CompletedProcess[str]:
    """``mdpaper build --tex-only`` of a small post with the site's template ``typo``."""
    folder = site.root / "templates" / "typo"
    folder.mkdir(parents=True)
    (folder / "template.toml").write_text(toml)
    return run_cli("build", str(site.post("Text.\n")), "--template", "typo", "--tex-only",
                   cwd=site.root)


@pytest.mark.parametrize("key, body, line", [
    ("preamble", TOML_WITH_MISTAKE, 7),  # a multi-line string: its first line is line 5
    ("front", 'front = "<<#abstract>>never closed"\n', 1),
    ("title", '\n\n# comment\ntitle = """\n\\title{x}\n<</abstract>>"""\n', 6),
])
def test_template_errors_name_the_line_of_template_toml(site: Site, key: str, body: str,
                                                        line: int) -> None:
    run = build_with_template(site, body)
    assert run.returncode == 1, run.stdout + run.stderr
    assert f"templates/typo/template.toml:{line}: error: " in run.stderr, run.stderr


@pytest.mark.parametrize("body, message, line", [
    ('documentclass = "article"\noptions = [\n', "invalid TOML in template 'typo'", 2),
    ('documentclass = "article"\ncolour = "red"\n', "unknown template key(s) colour", 2),
    ('documentclass = "article"\noptions = "11pt"\n', "template key 'options' must be a list", 2),
])
def test_broken_template_toml_is_located(site: Site, body: str, message: str,
                                         line: int) -> None:
    run = build_with_template(site, body)
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    assert f"template.toml:{line}: error: {message}" in run.stderr, run.stderr


def pdfinfo(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pairs = (line.partition(":") for line in out.stdout.splitlines())
    return {key.strip(): value.strip() for key, _, value in pairs}


@pytest.fixture(scope="module")
def example_builds(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    if not (shutil.which("latexmk") and shutil.which("pdftotext")):
        pytest.skip("needs TeX")
    out = tmp_path_factory.mktemp("templates")
    abstract = load_post(EXAMPLE).meta.abstract
    builds = {}
    for name in ("article", "arxiv", "twocolumn"):
        result = build_post(EXAMPLE, BuildOptions(outdir=out / name, template=name))
        report = make_bundle(result, abstract=abstract, outdir=out / name)
        builds[name] = (result, report)
    return builds


@requires_tex
@pytest.mark.tex
@pytest.mark.parametrize("name", ["article", "arxiv", "twocolumn"])
def test_each_template_builds_the_example_and_a_passing_bundle(example_builds, name: str
                                                               ) -> None:
    result, report = example_builds[name]
    assert report.ok, report.summary()
    assert "hyperref should be loaded last" not in report.summary()
    text = squash(pdf_text(result.pdf))
    for phrase in ("Counting Bits in Language Models", "Ada Müller", "Søren Kjær",
                   "Institute for Compression Studies", "(Shannon, 1948)", "References"):
        assert phrase in text, (name, phrase)
    assert "??" not in text and "<<" not in text


@requires_tex
@pytest.mark.tex
def test_arxiv_template_has_affiliations_emails_orcid_and_a_header(example_builds) -> None:
    result, _ = example_builds["arxiv"]
    first = squash(pdf_text(result.pdf).split("\f")[0])
    assert "ada.mueller@example.org" in first and "ORCID: 0000-0002-1825-0097" in first
    assert "Copenhagen Language Lab" in first and "Keywords: information theory" in first
    second = pdf_text(result.pdf).split("\f")[1]
    assert "Preprint" in second.split()[:5]  # the header line (with the date)
    tex = result.tex.read_text()
    assert "\\affil[2]{Copenhagen Language Lab}" in tex
    assert "\\author[1,2]{Søren Kjær}" in tex


@requires_tex
@pytest.mark.tex
def test_twocolumn_is_two_columns_and_shorter(example_builds) -> None:
    article, _ = example_builds["article"]
    twocolumn, _ = example_builds["twocolumn"]
    assert twocolumn.pages < article.pages
    width = float(pdfinfo(twocolumn.pdf)["Page size"].split()[0])
    # pdftotext -layout puts the two columns side by side on one line of the body
    layout = subprocess.run(["pdftotext", "-layout", "-f", "2", "-l", "2", str(twocolumn.pdf),
                             "-"], capture_output=True, text=True, check=True).stdout
    gaps = [ln for ln in layout.splitlines() if "     " in ln.strip()]
    assert width > 500 and len(gaps) > 20


@requires_tex
@pytest.mark.tex
def test_pdf_metadata_title_authors_keywords_subject(example_builds) -> None:
    result, _ = example_builds["article"]
    info = pdfinfo(result.pdf)
    assert info["Title"] == "Counting Bits in Language Models"
    assert info["Author"] == "Ada Müller, Søren Kjær"
    assert info["Keywords"] == "information theory, language models, entropy"
    assert info["Subject"].startswith("A language model trained with the log loss is a "
                                      "compressor in disguise.")


@requires_tex
@pytest.mark.tex
def test_front_matter_template_builds(site: Site) -> None:
    front = ("---\ntitle: Two columns please\nmdpaper:\n  template: twocolumn\n"
             "authors:\n  - {name: Ann Author, affiliation: Somewhere}\n---\n")
    post = site.post("## One\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nText.\n", front=front)
    result = build_post(post)
    assert "twocolumn" in result.tex.read_text().splitlines()[0]
    text = squash(pdf_text(result.pdf))
    assert "Two columns please" in text and "Somewhere" in text and "1 2" in text
