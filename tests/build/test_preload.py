"""xelatex (no format possible) loads the shared preamble while the post converts.

* A build remembers the shared part of the preamble its xelatex pass loaded
  (``build.preload``); the next cold build of a post with CJK text starts xelatex on it at
  once, and that very process makes the pass (its log's ``**`` line shows the preamble file
  it read, then the wait), with the PDF a full latexmk build of the same .tex makes.
* A remembered preamble that is not the post's (another template, or any other text) is
  stopped before anything else runs; the ordinary pass makes the PDF, and the post's own
  shared part is remembered instead.
* Either way nothing is left: no process, no preamble file, no stray file.
* A preloading run holds its post's output-folder lock (it has the job's log open): builds
  of one post at once take turns, and their logs never mix.

Real xelatex, latexmk and poppler throughout.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from test_coldpass import assert_same_pdf
from test_standby import first_line_of_job, leftovers, runs_let_go

from mdpaper.build import compile_post as post_module
from mdpaper.build import convert as convert_module
from mdpaper.build import preload
from mdpaper.build.format_cache import formats_dir
from mdpaper.build.longtables import JOB as TABLES_JOB
from mdpaper.build.post import BuildOptions, build_post
from mdpaper.build.standby import LINK_PREFIX, LOCK, Standby
from mdpaper.errors import MdpaperError
from mdpaper.tex.preamble_format import PreambleFormat

from conftest import Site, live_processes, pdf_text, requires_tex

CHINESE = """## 熵 {{#entropy}}

每次语言模型预测下一个词时，它都在下注 {word}。设 $X$ 为随机变量，其熵为
$H(X) = -\\sum_x p(x)\\log p(x)$，见 [上文](#entropy)。
"""


def chinese_post(site: Site, name: str, word: str) -> Path:
    return site.post(CHINESE.format(word=word), f"{name}.md")


def compact(pdf: Path | None) -> str:
    """The PDF's text without spaces (pdftotext puts one between CJK characters)."""
    assert pdf is not None
    return "".join(pdf_text(pdf).split())


def shared_part(result_tex: Path) -> str:
    return PreambleFormat(result_tex, "xelatex").preamble


@requires_tex
@pytest.mark.tex
def test_the_preloaded_run_makes_the_pdf(site: Site, tmp_path: Path) -> None:
    first = build_post(chinese_post(site, "first", "甲"))
    assert preload.recall("xelatex") == shared_part(first.tex.parent / "build" / "first.tex")
    result = build_post(chinese_post(site, "second", "乙"))
    build = result.outdir / "build"
    line = first_line_of_job(build, "second")
    assert "-preamble.tex \\scrollmode\\read-1to\\mdpaperstandbygo" in line
    assert result.passes == 1
    assert_same_pdf(result, tmp_path, "xelatex")
    assert "下注乙" in compact(result.pdf)
    assert leftovers(build) == [] and not live_processes(LINK_PREFIX)


@requires_tex
@pytest.mark.tex
def test_another_preamble_is_stopped_and_replaced(site: Site, tmp_path: Path) -> None:
    build_post(chinese_post(site, "first", "甲"), BuildOptions(template="arxiv"))
    arxiv = preload.recall("xelatex")
    result = build_post(chinese_post(site, "second", "乙"))  # the article template
    build = result.outdir / "build"
    assert first_line_of_job(build, "second") == "**second.tex"  # the ordinary pass
    assert result.passes == 1
    assert_same_pdf(result, tmp_path, "xelatex")
    assert leftovers(build) == [] and not live_processes(LINK_PREFIX)
    assert preload.recall("xelatex") == shared_part(build / "second.tex") != arxiv


@requires_tex
@pytest.mark.tex
def test_a_preamble_that_fails_is_judged_by_the_ordinary_pass(site: Site,
                                                             tmp_path: Path) -> None:
    """A remembered text TeX cannot even load (here: one that is not a preamble) dies
    while the post converts; the pass runs the ordinary way."""
    preload.remember("xelatex", "\\undefinedcommand\n\\end\n")
    result = build_post(chinese_post(site, "first", "甲"))
    build = result.outdir / "build"
    assert first_line_of_job(build, "first") == "**first.tex"
    assert "下注甲" in compact(result.pdf)
    assert leftovers(build) == [] and not live_processes(LINK_PREFIX)


def test_the_likely_engine() -> None:
    assert preload.likely_engine("auto", "Plain text, ünïcödé, Ελληνικά") == "pdflatex"
    assert preload.likely_engine("auto", "Mostly Latin, one 漢 character") == "xelatex"
    assert preload.likely_engine("auto", "ひらがな") == "xelatex"
    assert preload.likely_engine("auto", "한국어") == "xelatex"
    assert preload.likely_engine("lualatex", "漢字") == "lualatex"
    assert preload.likely_engine("pdflatex", "漢字") == "pdflatex"


def test_the_most_recent_preambles_are_kept_per_engine() -> None:
    texts = [f"\\documentclass{{article}}% {n}\n" for n in range(preload.KEEP + 2)]
    past = time.time() - 1000
    for n, text in enumerate(texts):
        preload.remember("xelatex", text)
        for path in formats_dir().glob("preamble-xelatex-*.tex"):  # (mtimes strictly rise)
            if path.read_text(encoding="utf-8") == text:
                os.utime(path, (past + n, past + n))
    preload.remember("lualatex", "\\documentclass{report}\n")
    assert len(list(formats_dir().glob("preamble-xelatex-*.tex"))) == preload.KEEP
    assert preload.recall("xelatex") == texts[-1]
    assert preload.recall("lualatex") == "\\documentclass{report}\n"
    preload.remember("xelatex", texts[-3])  # used again: the newest
    assert preload.recall("xelatex") == texts[-3]


@requires_tex
@pytest.mark.tex
def test_one_preloading_run_per_output_folder(site: Site) -> None:
    """A preloading run opens the job's log long before its build compiles: it holds the
    post's output-folder lock, so a second build of the post neither preloads into the
    same files nor compiles until the first is done."""
    build_post(chinese_post(site, "first", "甲"))
    build = site.root / "output" / "second" / "build"
    first = Standby.preloading(build, "second", "xelatex", measuring=False)
    assert first is not None and first.document is not None and first.lock is not None
    try:
        assert Standby.preloading(build, "second", "xelatex", measuring=False) is None
        with open(build.parent / LOCK, "wb") as other, pytest.raises(BlockingIOError):
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
    finally:
        first.cancel()
    again = Standby.preloading(build, "second", "xelatex", measuring=False)
    assert again is not None
    again.cancel()
    assert not live_processes(LINK_PREFIX)
    # made for nothing, removed, but the lock file (a build waiting on it would lose it)
    assert [p.name for p in (site.root / "output" / "second").iterdir()] == [LOCK]


@requires_tex
@pytest.mark.tex
def test_a_run_stopped_while_it_loads_leaves_no_recorder_list(site: Site) -> None:
    """Until TeX knows the job's name it records into ``xelatexPID.fls`` (a post whose
    preamble turns out another's stops it then): stopping it removes that file too."""
    build_post(chinese_post(site, "first", "甲"))
    build = site.root / "output" / "second" / "build"
    build.mkdir(parents=True)  # (kept: a folder the standby made would go with the file)
    standby = Standby.preloading(build, "second", "xelatex", measuring=False)
    assert standby is not None and standby.document is not None
    early = build / f"xelatex{standby.document.proc.pid}.fls"
    deadline = time.monotonic() + 10
    while not early.exists() and time.monotonic() < deadline:
        time.sleep(0.002)
    try:
        assert early.exists(), "TeX named its recorder list after the job at once"
    finally:
        standby.cancel()
    assert leftovers(build) == [] and not live_processes(LINK_PREFIX)


@requires_tex
@pytest.mark.tex
def test_builds_of_one_post_at_once_keep_their_logs_apart(site: Site) -> None:
    build_post(chinese_post(site, "first", "甲"))  # remembers the preamble
    post = chinese_post(site, "second", "乙")
    procs = [subprocess.Popen([sys.executable, "-m", "mdpaper", "build", "-q", str(post)],
                              stderr=subprocess.PIPE, text=True) for _ in range(3)]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    build = site.root / "output" / "second" / "build"
    log = (build / "second.log").read_text(encoding="utf-8", errors="replace")
    assert log.count("This is XeTeX") == 1 and log.count("Output written on") == 1
    assert "下注乙" in compact(site.root / "output" / "second" / "second.pdf")
    assert leftovers(build) == [] and not live_processes(LINK_PREFIX)


@requires_tex
@pytest.mark.tex
def test_an_edit_rebuild_goes_on_from_the_preloaded_run(site: Site, tmp_path: Path) -> None:
    """The edit rebuild compares what its pass wrote with what the last pass recorded: the
    recorder list the preloading run replaced was read before it started."""
    post = chinese_post(site, "first", "甲")
    build_post(post)
    chinese_post(site, "first", "丙")  # a one-word edit
    again = build_post(post)
    build = again.outdir / "build"
    assert "-preamble.tex \\scrollmode" in first_line_of_job(build, "first")
    assert again.passes == 1 and not again.up_to_date
    assert "下注丙" in compact(again.pdf)
    assert_same_pdf(again, tmp_path, "xelatex")
    assert leftovers(build) == [] and not live_processes(LINK_PREFIX)


@requires_tex
@pytest.mark.tex
def test_an_edit_the_one_pass_cannot_finish_goes_to_latexmk(site: Site) -> None:
    """A new heading and a link to it: the pass's .aux differs from the last one's, so the
    run that preloaded the preamble is not the last word; latexmk finishes from a clean
    slate (the waiting run long gone) and the link resolves."""
    post = chinese_post(site, "first", "甲")
    build_post(post)
    post.write_text(post.read_text(encoding="utf-8")
                    + "\n见 [新节](#fresh)。\n\n## 新节 {#fresh}\n\n新的内容。\n", encoding="utf-8")
    again = build_post(post)
    assert again.passes >= 2
    text = compact(again.pdf)
    assert "见新节。2新节新的内容" in text and "??" not in text
    assert leftovers(again.outdir / "build") == [] and not live_processes(LINK_PREFIX)


@requires_tex
@pytest.mark.tex
def test_a_longtable_is_measured_by_a_preloaded_run(site: Site, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """xelatex has no format, so its longtables took a second pass; the measuring run (the
    preamble and the tables alone) now preloads the preamble too, and the pass is final."""
    build_post(chinese_post(site, "first", "甲"))
    went = runs_let_go(monkeypatch)
    table = "\n| 模型 | 比特 |\n|------|-----:|\n| 均匀分布 | 2.00 |\n| 一元模型 | 1.75 |\n"
    result = build_post(site.post(CHINESE.format(word="乙") + table, "second.md"))
    build = result.outdir / "build"
    assert went == [TABLES_JOB, "second"] and result.passes == 1
    assert "均匀分布" in compact(result.pdf) and "1.75" in compact(result.pdf)
    assert_same_pdf(result, tmp_path, "xelatex")
    assert leftovers(build) == [] and not live_processes(LINK_PREFIX)
    assert {p.suffix for p in build.glob(f"{TABLES_JOB}.*")} <= {".tex"}  # (no .xdv, .pdf)


@requires_tex
@pytest.mark.tex
def test_cache_info_lists_the_preambles_and_clear_removes_them(site: Site) -> None:
    build_post(chinese_post(site, "first", "甲"))
    info = subprocess.run([sys.executable, "-m", "mdpaper", "cache", "info"],
                          capture_output=True, text=True, check=True).stdout
    assert "1 preamble preloaded" in info and " xelatex  used " in info
    cleared = subprocess.run([sys.executable, "-m", "mdpaper", "cache", "clear"],
                             capture_output=True, text=True, check=True).stdout
    assert "removed 0 formats and 1 preamble" in cleared
    assert preload.recall("xelatex") is None and preload.remembered() == []


@requires_tex
@pytest.mark.tex
def test_a_post_that_fails_to_convert_keeps_the_next_edit_to_one_pass(
        site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """The preloading run replaced the last pass's recorder list; when the post then fails
    to convert (a slip the author fixes next: here a broken bibliography file), the list is
    put back, so the fixed post's rebuild is still one pass, not latexmk's."""
    post = chinese_post(site, "first", "甲")
    first = build_post(post)
    real_convert = convert_module.convert

    def once_tex_has_its_files(*args: Any, **kwargs: Any) -> Any:
        log = first.outdir / "build" / "first.log"  # (the waiting run opened it: replaced)
        deadline = time.monotonic() + 20
        while log.stat().st_size > 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        return real_convert(*args, **kwargs)

    bib = site.root / "data" / "bibliography.json"
    good_bib = bib.read_text(encoding="utf-8")
    bib.write_text(good_bib[: len(good_bib) // 2], encoding="utf-8")  # cut off: not JSON
    monkeypatch.setattr(convert_module, "convert", once_tex_has_its_files)
    with pytest.raises(MdpaperError):
        build_post(post)
    monkeypatch.undo()
    assert not list((first.outdir / "build").glob("*busy*"))  # (SyncTeX's, opened early)
    bib.write_text(good_bib, encoding="utf-8")
    chinese_post(site, "first", "丁")
    finished: list[bool] = []  # the edit rebuild's one pass made the PDF
    real_one_pass = post_module.one_pass

    def spy(*args: Any, **kwargs: Any) -> Any:
        outcome = real_one_pass(*args, **kwargs)
        finished.append(outcome[0] is not None)
        return outcome

    monkeypatch.setattr(post_module, "one_pass", spy)
    again = build_post(post)
    assert finished == [True] and again.passes == 1 and "下注丁" in compact(again.pdf)
    assert leftovers(again.outdir / "build") == [] and not live_processes(LINK_PREFIX)
