"""Posts whose names are whole titles: the build and the arXiv bundle shorten what would be
too long for a file name (255 bytes) or for the portable tar arXiv unpacks (100 characters),
the same way on every run, and two long names never share a short one."""

from __future__ import annotations

import tarfile
from pathlib import Path

from test_arxiv import write_png

from mdpaper.arxiv.sources import MAX_ARCHIVE_NAME, gather
from mdpaper.files import shorten_name
from mdpaper.source.site import MAX_OUTPUT_NAME, load_post, output_name

from conftest import Site, pdf_text, requires_tex, run_cli, squash

#: a title-derived page-bundle folder of 215 characters
LONG = "-".join(["why-mutual-information-bounds-the-error-of-in-context-learning"] * 3) + "-x"
#: a figure whose name alone is nearly as long as a file name may be
FIGURE = "figures/" + "a-figure-named-after-its-whole-caption-" * 6 + "final.png"


def test_long_names_are_cut_with_a_hash_of_the_whole_name() -> None:
    short = shorten_name(LONG, 80)
    assert len(short) == 80 and short.startswith(LONG[:60])
    assert shorten_name(LONG, 80) == short  # stable from run to run
    assert shorten_name(LONG + "2", 80) != short  # same start, different name
    assert shorten_name("x" * 120 + ".png", 40).endswith(".png")
    assert shorten_name("short.png", 40) == "short.png"


def test_output_name_of_a_long_slug_and_of_a_long_file_name(site: Site) -> None:
    by_slug = site.post("Text.\n", front=f"---\ntitle: T\nslug: {LONG}\n---\n")
    by_file = site.post("Text.\n", name=f"{'b' * 248}.md", front="---\ntitle: T\n---\n")
    twin = site.post("Text.\n", front=f"---\ntitle: T\nslug: {LONG}-2\n---\n", name="p2.md")
    names = [output_name(load_post(p)) for p in (by_slug, by_file, twin)]
    assert all(len(n) <= MAX_OUTPUT_NAME for n in names)
    assert len(set(names)) == 3
    assert names[0].startswith("why-mutual-information")


def test_a_figure_path_too_long_for_a_tar_is_renamed_in_the_bundle(tmp_path: Path) -> None:
    folder = "x" * 60 + "/" + "y" * 60
    tex = tmp_path / "main.tex"
    tex.write_text(f"\\includegraphics{{{folder}/fig.png}}\n")
    write_png(tmp_path / folder / "fig.png", 4, 4)
    sources = gather(tex, {}, "main", tmp_path / "work")
    [name] = sources.figures
    assert len(name) <= MAX_ARCHIVE_NAME and name.endswith(".png")
    assert f"\\includegraphics{{{name}}}" in sources.tex
    assert gather(tex, {}, "main", tmp_path / "work").figures.keys() == {name}  # stable


@requires_tex
def test_arxiv_bundle_of_a_post_with_a_long_name(site: Site) -> None:
    post = site.post(
        "The bound of [@shannon1948] holds.\n\n![The gradient]("
        + FIGURE.removeprefix("figures/") + ")\n",
        name=f"{LONG}/index.md",
        front="---\ntitle: Long names\nsummary: A post named after its title.\n"
              "bibFile: data/bibliography.json\n---\n")
    write_png(post.parent / FIGURE.removeprefix("figures/"), 40, 20)
    first = run_cli("arxiv", str(post))
    assert first.returncode == 0, first.stdout + first.stderr
    assert "OK: compiles alone" in first.stdout
    bundles = list((site.root / "output").glob("*-arxiv.tar.gz"))
    assert len(bundles) == 1 and len(bundles[0].name) < 100
    with tarfile.open(bundles[0]) as tar:
        names = tar.getnames()
    assert all(len(n) <= 100 for n in names), names
    assert any(n.endswith(".png") for n in names) and any(n.endswith(".bbl") for n in names)
    pdf = next((site.root / "output").glob("*/*.pdf"))
    text = squash(pdf_text(pdf))
    assert "The bound of (Shannon, 1948) holds." in text
    again = run_cli("arxiv", str(post))  # the same names on the next run: one bundle
    assert again.returncode == 0, again.stdout + again.stderr
    assert [b.name for b in (site.root / "output").glob("*-arxiv.tar.gz")] == [bundles[0].name]
