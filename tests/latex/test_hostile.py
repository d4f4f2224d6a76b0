"""Hostile posts: nothing runs, nothing is read or written outside the site and output."""

from __future__ import annotations

import multiprocessing
from multiprocessing.queues import Queue
from pathlib import Path

import pytest

from mdpaper.build.post import BuildOptions, build_post
from mdpaper.errors import MdpaperError

from conftest import Site, pdf_text, requires_tex, squash


@pytest.mark.parametrize("math", [
    r"$\input{/etc/passwd}$",
    r"$\immediate\write18{touch PWNED}$",
    r"$$\openin5=secret \read5 to\x$$",
    r"$^^5cinput{/etc/passwd}$",
    r"\(\catcode`\@=11\)",
    r"$\csname input\endcsname{x}$",
    r"$\directlua{os.execute('touch PWNED')}$",
    r"$\usepackage{shellesc}$",
    r"$\pdfximage{/etc/hostname}\pdfrefximage\pdflastximage$",
    r"$\XeTeXpicfile \"/etc/hostname\"$",
])
def test_dangerous_math_is_refused_with_its_line(site: Site, math: str) -> None:
    post = site.post(f"Fine.\n\nBad {math} here.\n")
    with pytest.raises(MdpaperError) as info:
        build_post(post, BuildOptions(tex_only=True))
    assert str(info.value).startswith(f"{post}:7: error: math may not use"), str(info.value)
    assert not (site.root / "output").exists()


@requires_tex
def test_latex_in_prose_prints_as_text_and_runs_nothing(site: Site, tmp_path: Path) -> None:
    marker = tmp_path / "PWNED"
    post = site.post(f"\\input{{/etc/passwd}} and \\immediate\\write18{{touch {marker}}} "
                     "and `\\input{/etc/passwd}`.\n\n```latex\n\\input{/etc/passwd}\n```\n")
    result = build_post(post)
    text = squash(pdf_text(result.pdf))
    assert "\\input{/etc/passwd}" in text
    assert "root:x:0:0" not in text
    assert not marker.exists()


@requires_tex
def test_url_with_character_codes_stays_a_url(site: Site) -> None:
    post = site.post("Note[^1].\n\n[^1]: See [x](https://e.org/^^5cinput{/etc/passwd}).\n")
    result = build_post(post)
    assert "root:x:0:0" not in pdf_text(result.pdf)
    assert "\\%5E\\%5E5cinput\\%7B" in result.tex.read_text()


@pytest.mark.parametrize("src", ["../../../../etc/passwd", "/../../../etc/hostname"])
def test_image_paths_outside_the_site_are_refused(site: Site, src: str) -> None:
    post = site.post(f"\n![x]({src})\n")
    with pytest.raises(MdpaperError, match="outside the site") as info:
        build_post(post, BuildOptions(tex_only=True))
    assert info.value.line == 6


def test_bibfile_outside_the_site_is_refused(site: Site) -> None:
    post = site.post("Text.\n", front="---\nbibFile: ../../../etc/passwd\n---\n")
    with pytest.raises(MdpaperError, match="outside the site") as info:
        build_post(post, BuildOptions(tex_only=True))
    assert info.value.line == 2


def test_missing_bibfile_and_image_are_located(site: Site) -> None:
    post = site.post("Text.\n", front="---\ntitle: x\nbibFile: data/nope.json\n---\n")
    with pytest.raises(MdpaperError, match="bibFile 'data/nope.json' not found") as info:
        build_post(post, BuildOptions(tex_only=True))
    assert info.value.line == 3
    # a missing image: the page shows it broken; the paper a placeholder and a warning
    post = site.post("\n\n![x](missing.png)\n", name="img.md")
    result = build_post(post, BuildOptions(tex_only=True))
    [warning] = [d for d in result.diagnostics if "missing.png" in d.message]
    assert warning.severity == "warning" and warning.line == 7
    assert "Image not found: missing.png" in result.tex.read_text()


def _build_in_process(post: str, queue: Queue[tuple[str, object]]) -> None:
    try:
        result = build_post(Path(post))
        queue.put(("ok", result.pdf.read_bytes()[:5]))
    except Exception as exc:  # reported to the parent, which fails the test
        queue.put(("error", repr(exc)))


@requires_tex
def test_two_builds_of_one_post_at_once_both_succeed(site: Site) -> None:
    post = site.post("Concurrent {{< cite \"shannon1948\" >}}.\n")
    queue: Queue[tuple[str, object]] = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=_build_in_process, args=(str(post), queue))
             for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(300)
    results = [queue.get(timeout=5) for _ in procs]
    assert results == [("ok", b"%PDF-")] * 2, results
    assert "(Shannon, 1948)" in squash(pdf_text(site.root / "output" / "post" / "post.pdf"))
