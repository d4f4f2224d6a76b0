"""A cold build runs one engine pass (two with a longtable) from predicted aux files, and
its PDF is the one a full latexmk run of the same .tex makes; a wrong prediction is caught
and latexmk takes over. Real TeX; nothing timed: the check is the PDF text, the pages, the
internal links, and the passes the build reports."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mdpaper.build import coldpass, predict
from mdpaper.build import compile_post as build_module
from mdpaper.build.post import BuildOptions, build_post
from mdpaper.build.standby import StandbyPass
from mdpaper.errors import MdpaperError
from mdpaper.model import BuildResult
from mdpaper.tex.engines import engine_of_tex
from mdpaper.tex.latexmk import CompileOutcome, compile_tex

from conftest import REPO, TESTS, Site, pdf_internal_link_targets, pdf_text, requires_tex

pytestmark = [requires_tex, pytest.mark.tex]

POSTS = sorted(p for p in (TESTS / "posts").rglob("*.md") if p.name != "EXPECTED.md")
EXAMPLE = REPO / "content" / "posts" / "example-paper" / "index.md"
TEMPLATES = ("article", "twocolumn", "arxiv")

POST = """## Introduction {#intro}

Entropy is measured in bits {{< cite "shannon1948" >}}, see [the method](#method)
and [Cover and Thomas](#method) {{< cite "cover2006" >}}.

## Method {#method}

The method section, which [the introduction](#intro) points to.
"""


def latexmk_build(result: BuildResult, folder: Path, engine: str = "pdflatex") -> Path:
    """A full latexmk build of the very .tex (and .bib, figures) the fast build compiled."""
    build = result.outdir / "build"
    folder.mkdir()
    for path in build.iterdir():
        ours = path.stem == result.name
        if (ours and path.suffix in (".tex", ".bib")) or (
                not ours and path.is_file() and not path.name.startswith(("mdpaper-", "."))):
            shutil.copy(path, folder / path.name)
    return compile_tex(folder / f"{result.name}.tex", engine=engine).pdf


def assert_same_pdf(result: BuildResult, tmp_path: Path, engine: str | None = None) -> None:
    """``result``'s PDF against latexmk's of the same .tex (with the engine the .tex names,
    unless ``engine`` says)."""
    assert result.pdf is not None
    tex = (result.outdir / "build" / f"{result.name}.tex").read_text(encoding="utf-8")
    reference = latexmk_build(result, tmp_path / "latexmk", engine or engine_of_tex(tex))
    assert pdf_text(result.pdf) == pdf_text(reference)
    assert pdf_internal_link_targets(result.pdf) == pdf_internal_link_targets(reference)
    pages = compile_pages(reference)
    assert result.pages == pages


def compile_pages(pdf: Path) -> int:
    return pdf_text(pdf).count("\f")


def has_longtable(result: BuildResult) -> bool:
    return "\\begin{longtable}" in (result.outdir / "build" / f"{result.name}.tex").read_text()


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("post", [*POSTS, EXAMPLE], ids=lambda p: p.parent.name
                         if p.name == "index.md" else p.stem)
def test_cold_build_is_the_latexmk_pdf(post: Path, template: str, tmp_path: Path) -> None:
    result = build_post(post, BuildOptions(outdir=tmp_path / "out", template=template))
    assert_same_pdf(result, tmp_path)
    # Two columns: a float or footnote in the second column writes \@LN@col entries the
    # check does not know, so latexmk may take over there (same PDF, more passes).
    if template != "twocolumn":
        assert result.passes <= 2, f"{post.name}: latexmk took over"


@pytest.mark.parametrize("engine", ["auto", "xelatex", "lualatex"])
def test_the_seeded_post_takes_one_pass(site: Site, tmp_path: Path, engine: str) -> None:
    """Every engine: xelatex's pass writes the PDF through xdvipdfmx, and hyperref's page
    labels for it are predicted too (without them the pass asks for another run)."""
    words = "漢字 and ünïcödé" if engine == "xelatex" else "ünïcödé"  # (xeCJK sets the Han)
    result = build_post(site.post(f"{POST}\n{words}.\n"),
                        BuildOptions(outdir=tmp_path / "out", engine=engine))
    assert result.passes == 1
    assert "Shannon (1948)" in pdf_text(result.pdf).replace("\n", " ") or \
        "Shannon, 1948" in pdf_text(result.pdf)
    assert words in pdf_text(result.pdf)
    assert_same_pdf(result, tmp_path, "pdflatex" if engine == "auto" else engine)


def test_a_wrong_label_is_caught_and_latexmk_takes_over(site: Site, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A label changed behind mdpaper's back: the prediction says section 2 is "3"."""
    real = predict.predict

    def wrong(tex: str) -> predict.Prediction | None:
        found = real(tex)
        assert found is not None and "sec:method" in found.labels
        found.labels["sec:method"] = ("3", "section.3")
        return found

    monkeypatch.setattr(coldpass, "predict", wrong)
    result = build_post(site.post(POST), BuildOptions(outdir=tmp_path / "out"))
    assert result.passes >= 3  # the wasted pass, then latexmk's
    assert_same_pdf(result, tmp_path)


def test_wrong_bibliography_labels_are_caught(site: Site, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A style whose labels depend on the whole list, predicted as if they did not: the
    numbers are off by one."""
    real = predict.bibcites

    def shifted(bbl: str) -> list[str] | None:
        lines = real(bbl)
        assert lines
        return [line.replace("{{1}", "{{7}").replace("{{2}", "{{1}") for line in lines]

    monkeypatch.setattr(coldpass, "bibcites", shifted)
    result = build_post(site.post(POST), BuildOptions(outdir=tmp_path / "out",
                                                      citation_style="numeric"))
    assert result.passes >= 3
    assert_same_pdf(result, tmp_path)


def test_same_author_same_year_labels(tmp_path: Path) -> None:
    """2020a and 2020b: natbib's labels depend on the whole list; BibTeX made them, and the
    prediction reads them off its .bbl."""
    refs = [{"id": f"doe{x}", "type": "article-journal", "title": f"Paper {x}",
             "author": [{"family": "Doe", "given": "Jane"}], "container-title": "J",
             "issued": {"date-parts": [["2020"]]}} for x in "ab"]
    site = Site(tmp_path / "site", refs)
    post = site.post('First {{< cite "doea" >}} and second {{< cite "doeb" >}}.\n')
    result = build_post(post, BuildOptions(outdir=tmp_path / "out"))
    assert "2020a" in pdf_text(result.pdf) and "2020b" in pdf_text(result.pdf)
    assert result.passes == 1
    assert_same_pdf(result, tmp_path)


LONG_TABLE = "\n".join(f"| row {i} | {'wide cell ' * (i % 7)} | $x_{i}$ |" for i in range(150))
LONG_TABLE_POST = f"Before.\n\n| a | b | c |\n|---|:-:|--:|\n{LONG_TABLE}\n\nAfter.\n"


def warm_cache(site: Site, tmp_path: Path) -> None:
    """Another post (the same packages: a table and math) puts the shared format in the
    cache."""
    build_post(site.post("Warm-up, $y$.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", "warmup.md"),
               BuildOptions(outdir=tmp_path / "warmup"))


def test_a_longtable_across_pages_takes_one_pass_with_a_warm_cache(site: Site,
                                                                   tmp_path: Path) -> None:
    """Its widths are measured by a run of the tables alone before the pass; the pass wrote
    the widths it read, so its PDF is final."""
    warm_cache(site, tmp_path)
    result = build_post(site.post(LONG_TABLE_POST), BuildOptions(outdir=tmp_path / "out"))
    assert has_longtable(result) and result.pages is not None and result.pages >= 3
    assert result.passes == 1
    assert_same_pdf(result, tmp_path)


def test_wrong_longtable_widths_are_caught(site: Site, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Widths measured wrong: the pass writes other widths than it read, so a second pass
    runs from the ones it wrote, as latexmk's would."""
    warm_cache(site, tmp_path)
    real = coldpass.measured_widths

    def narrow(tex: Path, engine: str, env: dict[str, str], timeout: float,
               aux: str, waiting: StandbyPass | None = None) -> list[str]:
        widths = real(tex, engine, env, timeout, aux, waiting)
        assert widths
        return [w.replace("pt}", "1pt}") for w in widths]

    monkeypatch.setattr(coldpass, "measured_widths", narrow)
    result = build_post(site.post(LONG_TABLE_POST), BuildOptions(outdir=tmp_path / "out"))
    assert result.passes == 2
    assert_same_pdf(result, tmp_path)


def test_a_longtable_takes_a_second_pass_without_a_format(site: Site, tmp_path: Path) -> None:
    """No format ready (an empty cache): no measuring run, the first pass learns the widths
    and the second one is final when it wrote the same again."""
    result = build_post(site.post(LONG_TABLE_POST), BuildOptions(outdir=tmp_path / "out"))
    assert has_longtable(result) and result.passes == 2
    assert_same_pdf(result, tmp_path)


def test_a_failing_post_reports_the_latexmk_error(site: Site, tmp_path: Path) -> None:
    """The one pass fails: the error is named as latexmk names it."""
    post = site.post("Fine.\n\n$$\\undefinedmacro x$$\n")
    with pytest.raises(MdpaperError, match="Undefined control sequence"):
        build_post(post, BuildOptions(outdir=tmp_path / "out"))


def test_errors_of_the_first_pass_stop_the_build(site: Site, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """TeX errors in the post's own lines, all found by the one cold pass (TeX goes on
    after each): reported at their Markdown lines, and latexmk never runs TeX into them
    again (before, a failing cold build ran the engine three times)."""
    latexmk_runs: list[Path] = []
    real = build_module.latexmk_from_format

    def counted(tex: Path, engine: str, timeout: float) -> CompileOutcome:
        latexmk_runs.append(tex)
        return real(tex, engine, timeout)

    monkeypatch.setattr(build_module, "latexmk_from_format", counted)
    post = site.post("Fine.\n\nText $x^2^3$ here.\n\n$$\na \\over b \\over c\n$$\n",
                     name="slips.md")
    with pytest.raises(MdpaperError) as caught:
        build_post(post, BuildOptions(outdir=tmp_path / "out"))
    message = str(caught.value)
    assert "slips.md:7: error: Double superscript" in message, message
    assert "slips.md:9: error: Ambiguous" in message, message
    assert latexmk_runs == []


# (Two columns: the \\@LN@col entries of floats and footnotes are not predicted; latexmk
# takes over there, as in test_cold_build_is_the_latexmk_pdf.)
@pytest.mark.parametrize("template", ("article", "arxiv"))
def test_the_example_takes_one_pass_with_a_warm_cache(template: str, tmp_path: Path) -> None:
    """Once an earlier build put the example's format in the cache, a cold build of it (a
    new output folder) runs one pdflatex pass, its longtable included, and makes the PDF a
    full latexmk run makes."""
    build_post(EXAMPLE, BuildOptions(outdir=tmp_path / "first", template=template))
    result = build_post(EXAMPLE, BuildOptions(outdir=tmp_path / "out", template=template))
    assert has_longtable(result)
    assert result.passes == 1
    assert_same_pdf(result, tmp_path)


def test_xelatex_makes_its_pdf_once_after_the_last_pass(site: Site, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """xelatex has no format, so a longtable takes two passes; like latexmk's, they write
    .xdv and xdvipdfmx makes the PDF once, after the second (an image-heavy post's PDF
    takes it seconds)."""
    made: list[Path] = []
    real = coldpass.make_pdf

    def counted(tex: Path, engine: str, env: dict[str, str], timeout: float) -> bool:
        made.append(tex)
        assert not tex.with_suffix(".pdf").exists()  # no pass wrote a PDF of its own
        return real(tex, engine, env, timeout)

    monkeypatch.setattr(coldpass, "make_pdf", counted)
    result = build_post(site.post(LONG_TABLE_POST),
                        BuildOptions(outdir=tmp_path / "out", engine="xelatex"))
    assert has_longtable(result) and result.passes == 2 and len(made) == 1
    assert_same_pdf(result, tmp_path, "xelatex")


def test_wrong_page_labels_are_caught(site: Site, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """xelatex's pass reads hyperref's page labels from the seeded .aux: roman ones there
    (a prediction made wrong on purpose) are not what the pass writes, so latexmk builds
    the PDF from a clean slate (arabic page labels, latexmk's PDF)."""
    monkeypatch.setattr(coldpass, "PAGE_LABELS", "0<</S/r>>")
    result = build_post(site.post(POST), BuildOptions(outdir=tmp_path / "out",
                                                      engine="xelatex"))
    assert result.passes > 1
    assert b"/S/r" not in (result.outdir / "build" / f"{result.name}.aux").read_bytes()
    assert_same_pdf(result, tmp_path, "xelatex")
