"""xelatex and lualatex passes start from an inflated copy of the engine's own format.

* A build with a Unicode engine leaves a copy of the format kpathsea finds, inflated, in the
  user cache; the next build's passes load that copy (the recorder list names it), and the
  PDF is the one latexmk makes with the system's format.
* A copy that was written to since (damaged), or whose record no longer describes the
  format kpathsea finds (a TeX Live update, another ``TEXFORMATS``, a personal format
  made later), is not loaded; the build makes a current copy.
* pdflatex (passes from mdpaper's own preamble format) gets no copy.
* ``mdpaper cache clear`` removes the copies with the formats.
* Every TeX run asks glibc for huge pages, keeping the user's other glibc tunables.

Real xelatex, lualatex, latexmk and poppler.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import threading
from pathlib import Path

import pytest
from test_coldpass import assert_same_pdf

from mdpaper.build import engine_formats, format_cache
from mdpaper.build.post import BuildOptions, build_post
from mdpaper.tex.process import HUGE_PAGES, sandbox_env

from conftest import Site, requires_tex, run_cli

POST = "## Энтропия\n\nМодель делает ставку на слово {word}; её энтропия $H(X)$.\n"


def copy_of(engine: str) -> Path:
    return format_cache.formats_dir() / engine_formats.FOLDER / f"{engine}.fmt"


def formats_read(result_dir: Path, name: str) -> list[str]:
    """The format files the last pass of the job read (from its recorder list)."""
    fls = (result_dir / "build" / f"{name}.fls").read_text(encoding="utf-8")
    return [line.split(" ", 1)[1] for line in fls.splitlines()
            if line.startswith("INPUT ") and line.endswith(".fmt")]


def system_format(engine: str) -> Path:
    program = {"xelatex": "xetex", "lualatex": "luahbtex"}[engine]
    found = subprocess.run(["kpsewhich", f"-engine={program}", f"-progname={engine}",
                            f"{engine}.fmt"], capture_output=True, text=True, check=True)
    return Path(found.stdout.strip())


def build(site: Site, name: str, engine: str, word: str = "один") -> Path:
    post = site.post(POST.format(word=word), f"{name}.md")
    result = build_post(post, BuildOptions(engine=engine))
    assert result.pdf is not None
    return result.outdir


@requires_tex
@pytest.mark.tex
@pytest.mark.parametrize("engine", ["xelatex", "lualatex"])
def test_the_next_pass_loads_the_inflated_copy(engine: str, site: Site,
                                               tmp_path: Path) -> None:
    build(site, "first", engine)
    copy = copy_of(engine)
    assert copy.read_bytes() == gzip.decompress(system_format(engine).read_bytes())
    post = site.post(POST.format(word="два"), "second.md")
    result = build_post(post, BuildOptions(engine=engine))
    assert formats_read(result.outdir, "second") == [str(copy)]
    assert_same_pdf(result, tmp_path, engine)


@requires_tex
@pytest.mark.tex
def test_a_damaged_copy_is_not_loaded_and_is_made_again(site: Site) -> None:
    build(site, "first", "xelatex")
    copy = copy_of("xelatex")
    good = copy.read_bytes()
    with open(copy, "r+b") as fh:  # the same size, other bytes
        fh.seek(len(good) // 2)
        fh.write(b"\xff" * 4096)
    second = build(site, "second", "xelatex", "два")
    assert formats_read(second, "second") == [str(system_format("xelatex"))]
    assert copy.read_bytes() == good
    third = build(site, "third", "xelatex", "три")
    assert formats_read(third, "third") == [str(copy)]


@requires_tex
@pytest.mark.tex
def test_a_copy_of_another_format_is_stale(site: Site,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    build(site, "first", "xelatex")
    record_path = copy_of("xelatex").with_suffix(".json")
    record = json.loads(record_path.read_text(encoding="utf-8"))
    record["source"][0] += 1  # the system's format as a TeX Live update would leave it
    record_path.write_text(json.dumps(record), encoding="utf-8")
    assert engine_formats.copy_env("xelatex") == {}
    second = build(site, "second", "xelatex", "два")
    assert formats_read(second, "second") == [str(system_format("xelatex"))]
    assert engine_formats.copy_env("xelatex")  # made again
    monkeypatch.setenv("TEXFORMATS", str(site.root))  # another search: not this copy
    assert engine_formats.copy_env("xelatex") == {}


@requires_tex
@pytest.mark.tex
def test_a_personal_format_made_later_makes_the_copy_stale(site: Site, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """fmtutil --user writes into the personal var tree, which kpathsea searches first."""
    monkeypatch.setenv("TEXMFVAR", str(tmp_path / "texmf-var"))
    build(site, "first", "xelatex")
    assert engine_formats.copy_env("xelatex")
    personal = tmp_path / "texmf-var" / "web2c" / "xetex" / "xelatex.fmt"
    personal.parent.mkdir(parents=True)
    personal.write_bytes(b"")
    assert engine_formats.copy_env("xelatex") == {}


@requires_tex
@pytest.mark.tex
def test_pdflatex_gets_no_copy_and_clear_removes_them(site: Site) -> None:
    build(site, "latin", "pdflatex")
    assert not (format_cache.formats_dir() / engine_formats.FOLDER).exists()
    build(site, "cyrillic", "xelatex")
    assert copy_of("xelatex").is_file()
    info = run_cli("cache", "info")
    assert "1 inflated engine format" in info.stdout and "\n  xelatex " in info.stdout
    format_cache.clear()
    assert not (format_cache.formats_dir() / engine_formats.FOLDER).exists()


def test_tex_runs_ask_for_huge_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GLIBC_TUNABLES", raising=False)
    assert sandbox_env()["GLIBC_TUNABLES"] == HUGE_PAGES
    monkeypatch.setenv("GLIBC_TUNABLES", "glibc.malloc.arena_max=2")
    assert sandbox_env()["GLIBC_TUNABLES"] == f"glibc.malloc.arena_max=2:{HUGE_PAGES}"
    monkeypatch.setenv("GLIBC_TUNABLES", "glibc.malloc.hugetlb=0")
    assert sandbox_env()["GLIBC_TUNABLES"] == "glibc.malloc.hugetlb=0"  # the user's choice


def test_no_kpsewhich_makes_no_copy_and_raises_nothing(tmp_path: Path) -> None:
    """The copy is made beside a pass, in a thread: a failure there must not print a
    traceback (the build reports a missing TeX tool itself)."""
    errors: list[BaseException | None] = []
    previous = threading.excepthook
    threading.excepthook = lambda args: errors.append(args.exc_value)
    try:
        thread = engine_formats.refresh_while("xelatex", {"PATH": str(tmp_path)})
        assert thread is not None
        thread.join()
    finally:
        threading.excepthook = previous
    assert errors == [] and engine_formats.copy_env("xelatex") == {}
    assert not copy_of("xelatex").exists()
