"""Rebuilds do no TeX work that is not needed, and never ship stale references.

Real TeX throughout; nothing here is timed: what is checked is which passes ran (the
build's ``passes``, the PDF's and log's modification times) and what the PDF says.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from mdpaper.build import cache
from mdpaper.build.post import BuildOptions, build_post
from mdpaper.files import cache_root

from conftest import Site, edit_post, pdf_text, requires_tex, run_cli, squash

pytestmark = [requires_tex, pytest.mark.tex]

POST = """## Introduction {#intro}

Entropy is measured in bits {{< cite "shannon1948" >}}. See [the method](#method).

## Method {#method}

The method section, which [the introduction](#intro) points to.
"""


def stamp(path: Path) -> int:
    return path.stat().st_mtime_ns


def test_no_op_rebuild_starts_no_tex(site: Site) -> None:
    post = site.post(POST)
    first = build_post(post)
    assert first.passes >= 1 and not first.up_to_date
    log = first.outdir / "build" / "post.log"
    pdf_time, log_time = stamp(first.pdf), stamp(log)

    again = build_post(post)
    assert again.up_to_date and again.passes == 0
    assert again.pages == first.pages and again.bbl == first.bbl
    assert stamp(first.pdf) == pdf_time and stamp(log) == log_time  # TeX did not run


def test_no_op_rebuild_repeats_the_warnings_and_says_up_to_date(site: Site) -> None:
    post = site.post("Hello {{< mystery >}} world.\n")
    first = run_cli("build", str(post))
    assert first.returncode == 0 and "unknown shortcode 'mystery'" in first.stderr
    again = run_cli("build", str(post))
    assert again.returncode == 0 and "is up to date" in again.stdout
    assert again.stderr == first.stderr


def test_an_image_added_after_a_build_that_missed_it_is_shown(site: Site) -> None:
    """A build whose image was missing stood a placeholder in; once the file is there,
    the next build includes it (it was found up to date, the placeholder kept)."""
    post = site.post("A figure:\n\n![Late](late.png)\n")
    first = build_post(post)
    assert "Image not found" in squash(pdf_text(first.pdf))
    Image.new("RGB", (40, 30), "navy").save(post.parent / "late.png")
    again = build_post(post)
    assert not again.up_to_date and "Image not found" not in squash(pdf_text(again.pdf))
    assert build_post(post).up_to_date  # now a record vouches for it


@pytest.mark.parametrize("change", ["post", "bibliography", "image", "engine", "template",
                                    "pdf deleted"])
def test_changed_input_or_option_rebuilds(site: Site, change: str, tmp_path: Path) -> None:
    image = site.root / "content" / "posts" / "plot.png"
    png = Path(__file__).parents[2] / "content/posts/example-paper/binary-entropy.png"
    image.write_bytes(png.read_bytes())
    post = site.post(POST + "\n![A plot](plot.png)\n")
    first = build_post(post)
    log = first.outdir / "build" / "post.log"
    log_time = stamp(log)
    options = BuildOptions()
    if change == "post":
        edit_post(post, "The method section", "The changed method section")
    elif change == "bibliography":
        bib = site.root / "data" / "bibliography.json"
        bib.write_text(bib.read_text().replace("A Mathematical Theory", "The Mathematical Theory"))
    elif change == "image":
        image.write_bytes(png.read_bytes() + b"\0")  # PNG readers ignore trailing bytes
    elif change == "engine":
        options = BuildOptions(engine="lualatex")
    elif change == "template":
        folder = tmp_path / "mytemplate"
        folder.mkdir()
        (folder / "template.toml").write_text('documentclass = "article"\noptions = ["a4paper"]\n')
        options = BuildOptions(template=str(folder))
    else:
        first.pdf.unlink()
    again = build_post(post, options)
    assert not again.up_to_date and again.passes >= 1
    # TeX ran (the PDF itself may come out byte-identical, and is then left untouched).
    assert again.pdf.exists() and stamp(log) != log_time
    if change == "bibliography":
        assert "The Mathematical Theory" in squash(pdf_text(again.pdf))  # as the CSL has it
    if change == "image":
        assert (again.outdir / "build" / "plot.png").read_bytes() == image.read_bytes()
    assert build_post(post, options).up_to_date


def test_an_edited_site_shortcode_template_rebuilds(site: Site) -> None:
    """The page shows what the site's own shortcode template makes of a call; editing the
    template changes the page, and the paper: the build was 'up to date' with the old one."""
    layouts = site.root / "layouts" / "shortcodes"
    layouts.mkdir(parents=True)
    (layouts / "stress.html").write_text("<b>{{ .Inner }}</b>\n")
    post = site.post("Some {{< stress >}}loud{{< /stress >}} words.\n")
    first = build_post(post)
    assert "\\textbf{loud}" in (first.outdir / f"{first.outdir.name}.tex").read_text()
    (layouts / "stress.html").write_text("<i>{{ .Inner }}</i>\n")
    again = build_post(post)
    assert not again.up_to_date
    assert "\\emph{loud}" in (again.outdir / f"{again.outdir.name}.tex").read_text()


@pytest.mark.parametrize("engine", ["auto", "xelatex"])
def test_edit_rebuild_runs_exactly_one_pass_and_shows_the_edit(site: Site, engine: str) -> None:
    """(xelatex too: its one pass writes the PDF through xdvipdfmx, as latexmk's does)"""
    post = site.post(POST)
    options = BuildOptions(engine=engine)
    build_post(post, options)
    edit_post(post, "The method section", "The freshly edited method section")
    again = build_post(post, options)
    assert again.passes == 1 and not again.up_to_date
    text = squash(pdf_text(again.pdf))
    assert "The freshly edited method section" in text
    assert "??" not in text and "(Shannon, 1948)" in text


def test_edit_adding_a_citation_resolves_it(site: Site) -> None:
    """A new citation changes the .aux: the one pass is not enough, latexmk runs BibTeX and
    the passes it needs, and the PDF shows the citation resolved."""
    post = site.post(POST)
    build_post(post)
    edit_post(post, "The method section", 'The method section {{< cite "cover2006" >}}')
    again = build_post(post)
    assert again.passes >= 2
    text = squash(pdf_text(again.pdf))
    assert "(Cover and Thomas, 2006)" in text and "??" not in text and "(?)" not in text
    assert "Elements of Information Theory" in text  # the new entry is in the bibliography


def test_edit_adding_a_section_updates_references(site: Site) -> None:
    """A new label and moved section numbers: the cross-references follow."""
    post = site.post(POST)
    build_post(post)
    edit_post(post, "## Method {#method}",
              "## Background {#background}\n\nMore.\n\n## Method {#method}")
    edit_post(post, "See [the method](#method).",
              "See [the method](#method) and [background](#background).")
    again = build_post(post)
    assert again.passes >= 2
    aux = (again.outdir / "build" / "post.aux").read_text(encoding="latin-1")
    assert "sec:background" in aux and "{{3}{1}" in aux.replace(" ", "")  # Method is now 3
    assert "??" not in squash(pdf_text(again.pdf))
    assert build_post(post).up_to_date


def test_failed_build_is_not_recorded_and_next_build_recovers(site: Site) -> None:
    post = site.post(POST)
    build_post(post)
    # x^1^2: an error only TeX finds (mdpaper itself refuses undefined macros before TeX)
    edit_post(post, "Entropy is measured", "Entropy $x^1^2$ is measured")
    with pytest.raises(Exception, match="Double superscript"):
        build_post(post)
    assert not (site.root / "output" / "post" / "build" / "mdpaper-build.json").exists()
    edit_post(post, "Entropy $x^1^2$ is measured", "Entropy is measured")
    again = build_post(post)
    assert not again.up_to_date and "??" not in squash(pdf_text(again.pdf))


def test_parallel_builds_every_post_and_reports_failures(site: Site, tmp_path: Path) -> None:
    posts = [site.post(f"Post number {i}.\n", name=f"p{i}.md") for i in range(4)]
    bad = site.post('Bad {{< cite "nokey" >}}.\n', name="bad.md")
    out = tmp_path / "o"
    proc = run_cli("build", "-j", "2", "-o", str(out), *map(str, [posts[0], bad, *posts[1:]]))
    assert proc.returncode == 1
    assert f"{bad}:5: error: unknown citation key 'nokey'" in proc.stderr
    for i in range(4):
        assert f"Post number {i}." in squash(pdf_text(out / f"p{i}" / f"p{i}.pdf"))
    lines = [line.split(":")[0] for line in proc.stdout.splitlines()]
    assert lines == [str(p) for p in posts]  # reported in the order given

    folder = run_cli("build", "-j", "2", "-o", str(out), str(site.root / "content"))
    assert folder.returncode == 1 and folder.stdout.count("is up to date") == 4


def test_jobs_option_is_checked() -> None:
    assert run_cli("build", "-j", "-1", "x.md").returncode == 2
    assert run_cli("build", "-j", "many", "x.md").returncode == 2


def test_up_to_date_build_feeds_the_arxiv_bundle(site: Site, tmp_path: Path) -> None:
    post = site.post(POST)
    build_post(post)
    proc = run_cli("arxiv", "-o", str(tmp_path), str(post))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert os.path.exists(tmp_path / "post-arxiv.tar.gz")


def test_reused_code_highlighting_gives_the_same_tex(site: Site, tmp_path: Path) -> None:
    code = "```python\ndef f(x):\n    return {'a': x ** 2}  # ∞\n```\n\n```bash\necho $HOME\n```\n"
    post = site.post(POST + "\n" + code)
    first = build_post(post)
    cache = first.outdir / "build" / "mdpaper-highlight.json"
    assert cache.is_file()
    edit_post(post, "The method section", "The edited method section")
    again = build_post(post)
    assert again.passes == 1
    fresh = build_post(post, BuildOptions(outdir=tmp_path / "fresh", tex_only=True))
    assert again.tex.read_text(encoding="utf-8") == fresh.tex.read_text(encoding="utf-8")
    cache.write_text("{not json")  # a damaged cache is ignored and rewritten
    edit_post(post, "The edited method section", "The method section")
    assert build_post(post).tex.read_text(encoding="utf-8") == first.tex.read_text("utf-8")


def test_one_pass_is_not_tried_without_a_finished_build(tmp_path: Path) -> None:
    from mdpaper.build.onepass import one_pass

    tex = tmp_path / "doc.tex"
    tex.write_text("\\documentclass{article}\\begin{document}x\\end{document}\n")
    for engine in ("pdflatex", "xelatex", "lualatex"):  # no .fls yet
        assert one_pass(tex, engine=engine, timeout=60) == (None, 0)
    assert not tex.with_suffix(".log").exists()  # TeX never ran


@requires_tex
@pytest.mark.tex
def test_up_to_date_rebuild_imports_no_parser_bibliography_or_highlighter(site: Site) -> None:
    """The start-up rule: a no-op rebuild, through the command line, pays for none of the
    converter's heavy libraries (both builds in fresh interpreters, as a user runs them)."""
    post = site.post(POST + "\n```python\nprint('hi')\n```\n")
    code = ("import sys\nfrom mdpaper import cli\nstatus = cli.main(['build', '-q', sys.argv[1]])\n"
            "heavy = sorted(m for m in ('mistune', 'bibtexparser', 'pygments', 'pylatex', "
            "'PIL') if m in sys.modules)\nprint(status, ','.join(heavy))\n")
    first = subprocess.run([sys.executable, "-c", code, str(post)], capture_output=True,
                           text=True, check=True)
    assert first.stdout.split()[0] == "0", first.stdout + first.stderr
    assert "mistune" in first.stdout  # the check sees a library that was loaded
    again = subprocess.run([sys.executable, "-c", code, str(post)], capture_output=True,
                           text=True, check=True)
    assert again.stdout.strip() == "0", again.stdout + again.stderr



@requires_tex
@pytest.mark.tex
def test_a_cold_build_of_a_post_without_code_never_imports_pygments(site: Site) -> None:
    """The highlight cache of a post with no code block is not written: writing it loaded
    Pygments for its style macros, which nothing would use."""
    code = ("import sys\nfrom mdpaper import cli\nstatus = cli.main(['build', '-q', sys.argv[1]])\n"
            "print(status, 'pygments' in sys.modules)\n")
    run = subprocess.run([sys.executable, "-c", code, str(site.post(POST))],
                         capture_output=True, text=True, check=True)
    assert run.stdout.split() == ["0", "False"], run.stdout + run.stderr


def test_the_code_digest_is_kept_and_made_again_when_a_file_changes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """mdpaper's own digest (part of every build record's key) is kept in the user cache
    by the size and mtime of each file, and made again when a file changes."""
    module = tmp_path / "pkg" / "a.py"
    module.parent.mkdir()
    module.write_text("x = 1\n", encoding="utf-8")
    monkeypatch.setattr(cache, "_code_files",
                        lambda: [(module.parent, module, module.stat())])
    try:
        cache.code_digest.cache_clear()
        first = cache.code_digest()
        assert (cache_root() / "code-digest.json").is_file()
        cache.code_digest.cache_clear()
        assert cache.code_digest() == first  # from the cache
        module.write_text("x = 22\n", encoding="utf-8")
        cache.code_digest.cache_clear()
        assert cache.code_digest() != first
    finally:
        cache.code_digest.cache_clear()
