"""The shared preamble format cache (``build.format_cache``): a cold build of a new post whose
template and packages another post already used runs one pdflatex pass from the cached
format, with the PDF a full latexmk build of the same .tex makes; concurrent builds share the
cache; a corrupt format is ignored and replaced; ``mdpaper cache clear`` empties it; the
bound evicts the least recently used.

Real pdflatex and latexmk throughout. Which format a pass started from is read from the
first line of its .log; the PDFs are compared by pdftotext's text, pdfinfo's page count,
pdftohtml's outline and the link targets in the file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from mdpaper.build import format_cache
from mdpaper.build.post import BuildOptions, build_post
from mdpaper.tex.preamble_format import FORMAT_JOB

from conftest import (
    Site,
    pdf_internal_link_targets,
    pdf_object_bytes,
    pdf_text,
    requires_tex,
    run_cli,
    squash,
)

pytestmark = [requires_tex, pytest.mark.tex]


def post_text(topic: str, cite: str) -> str:
    """Posts that differ in every word of prose but use the same features (so the same
    packages: the same shared preamble)."""
    return f"""## {topic} in theory {{#theory}}

{topic} is measured in bits {{{{< cite "{cite}" >}}}}, see [the practice](#practice) and
[a site](https://example.org/{topic.lower()}).

$$
H(X) = -\\sum_x p(x) \\log_2 p(x)
$$

## {topic} in practice {{#practice}}

The practice of {topic.lower()}, which [the theory](#theory) points to.
"""


def front(title: str) -> str:
    return f"---\ntitle: {title}\nbibFile: data/bibliography.json\n---\n"


def started_from(build: Path, name: str) -> str:
    first = (build / f"{name}.log").read_text(encoding="latin-1").splitlines()[0]
    return first.split("format=")[1].split()[0]


def cached() -> list[Path]:
    return sorted(format_cache.formats_dir().glob("*.fmt"))


def assert_whole(fmt: Path) -> None:
    """The cached format is the one its record describes."""
    record = json.loads(fmt.with_suffix(".json").read_text(encoding="utf-8"))
    data = fmt.read_bytes()
    assert record["ok"] is True and record["fmt_size"] == len(data)
    assert record["fmt_sha256"] == hashlib.sha256(data).hexdigest()


def pdf_facts(pdf: Path) -> dict[str, object]:
    """What a reader sees: text, pages, outline, internal and external link targets."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    xml = subprocess.run(["pdftohtml", "-xml", "-i", "-stdout", "-q", str(pdf)],
                         capture_output=True, text=True, check=True).stdout
    outline = xml[xml.find("<outline>"):]
    uris = set(re.findall(rb"/URI\s*\(([^)]*)\)", pdf_object_bytes(pdf)))
    return {"text": pdf_text(pdf), "pages": re.search(r"Pages:\s+(\d+)", info).group(1),
            "outline": outline, "goto": pdf_internal_link_targets(pdf), "uris": uris}


def latexmk_pdf(build: Path, name: str, dest: Path) -> Path:
    """A full latexmk build of the same .tex and .bib in a fresh folder, no format."""
    dest.mkdir()
    for suffix in (".tex", ".bib"):
        shutil.copy2(build / f"{name}{suffix}", dest / f"{name}{suffix}")
    subprocess.run(["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error",
                    f"{name}.tex"], cwd=dest, capture_output=True, check=True, timeout=300)
    return dest / f"{name}.pdf"


def warm(site: Site) -> Path:
    """Build a first post: its cold build puts the shared format into the cache."""
    first = build_post(site.post(post_text("Entropy", "shannon1948"), "first.md",
                                 front("The first post")))
    assert first.passes == 1
    [fmt] = cached()
    assert_whole(fmt)
    return fmt


def test_second_post_runs_one_pass_from_the_cached_format(site: Site, tmp_path: Path) -> None:
    fmt = warm(site)
    second = build_post(site.post(post_text("Divergence", "cover2006"), "second.md",
                                  front("The second post")))
    build = second.outdir / "build"
    assert second.passes == 1 and started_from(build, "second") == FORMAT_JOB
    assert cached() == [fmt] and format_cache.entries()[0].key == fmt.stem
    text = squash(pdf_text(second.pdf))
    assert "The second post" in text and "Divergence in practice" in text
    assert "(Cover and Thomas, 2006)" in text and "??" not in text
    ours = pdf_facts(second.pdf)
    reference = pdf_facts(latexmk_pdf(build, "second", tmp_path / "latexmk"))
    assert ours == reference
    assert ours["outline"].count("<item") == 2 and ours["goto"] and ours["uris"]


def test_the_cached_format_is_inflated_and_linked(site: Site) -> None:
    """The cache keeps the format uncompressed (it loads in about half the CPU time) and a
    cold build links it rather than copying 22 MB."""
    fmt = warm(site)
    assert fmt.read_bytes()[:2] != b"\x1f\x8b"  # not gzip, as TeX wrote it
    second = build_post(site.post(post_text("Divergence", "cover2006"), "second.md",
                                  front("The second post")))
    linked = second.outdir / "build" / f"{FORMAT_JOB}.fmt"
    assert started_from(second.outdir / "build", "second") == FORMAT_JOB
    assert linked.is_symlink() and linked.resolve() == fmt.resolve()
    assert "Divergence in practice" in squash(pdf_text(second.pdf))


def test_two_builds_share_the_cache_at_once(site: Site) -> None:
    """Two processes, then two more, each building a different post into a new folder:
    the first two both make the format (one of them is kept, whole), the next two start
    from it."""
    def build_together(topics: list[str]) -> list[subprocess.CompletedProcess[str]]:
        procs = []
        for topic in topics:
            post = site.post(post_text(topic, "shannon1948"), f"{topic.lower()}.md",
                             front(topic))
            procs.append(subprocess.Popen([sys.executable, "-m", "mdpaper", "build", str(post)],
                                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                          text=True, stdin=subprocess.DEVNULL))
        results = []
        for proc in procs:
            out, err = proc.communicate(timeout=300)
            assert proc.returncode == 0, err
            results.append(subprocess.CompletedProcess(proc.args, 0, out, err))
        return results

    build_together(["Alpha", "Beta"])
    [fmt] = cached()
    assert_whole(fmt)
    for topic, result in zip(["Gamma", "Delta"], build_together(["Gamma", "Delta"]),
                             strict=True):
        output = result.stdout + result.stderr
        assert len(re.findall(r"pdflatex pass \d", output)) == 1, output
        name = topic.lower()
        build = site.root / "output" / name / "build"
        assert started_from(build, name) == FORMAT_JOB
        assert f"{topic} in practice" in squash(pdf_text(build.parent / f"{name}.pdf"))
    assert cached() == [fmt]
    assert_whole(fmt)


def cut_short(fmt: Path) -> None:
    with fmt.open("r+b") as fh:
        fh.truncate(fmt.stat().st_size // 2)


def flipped_byte(fmt: Path) -> None:
    """The same size, one byte changed in place: only the hash tells."""
    with fmt.open("r+b") as fh:
        fh.seek(fmt.stat().st_size // 2)
        byte = fh.read(1)
        fh.seek(-1, os.SEEK_CUR)
        fh.write(bytes([byte[0] ^ 0xFF]))


def garbage_record(fmt: Path) -> None:
    fmt.with_suffix(".json").write_text("{not json", encoding="utf-8")


def rejected_by_tex(fmt: Path) -> None:
    """A broken format whose record vouches for it: only pdflatex finds out."""
    cut_short(fmt)
    record = json.loads(fmt.with_suffix(".json").read_text(encoding="utf-8"))
    data = fmt.read_bytes()
    record.update(fmt_size=len(data), fmt_sha256=hashlib.sha256(data).hexdigest())
    fmt.with_suffix(".json").write_text(json.dumps(record), encoding="utf-8")


@pytest.mark.parametrize("corrupt", [cut_short, flipped_byte, garbage_record,
                                     rejected_by_tex])
def test_a_corrupt_cached_format_is_ignored_and_replaced(
        site: Site, corrupt: Callable[[Path], None]) -> None:
    fmt = warm(site)
    corrupt(fmt)
    second = build_post(site.post(post_text("Divergence", "cover2006"), "second.md",
                                  front("The second post")))
    assert "Divergence in practice" in squash(pdf_text(second.pdf))
    assert second.passes == 1
    if corrupt is not rejected_by_tex:  # the cache's own checks caught it
        assert started_from(second.outdir / "build", "second") == "pdflatex"
        [replaced] = cached()  # built again alongside the pass
        assert_whole(replaced)
    else:  # pdflatex failed from it, the ordinary pass ran, and the entry was dropped:
        assert cached() == []  # the next build makes it again alongside its pass
    third = build_post(site.post(post_text("Capacity", "shannon1948"), "third.md",
                                 front("The third post")))
    assert third.passes == 1
    expected = "pdflatex" if corrupt is rejected_by_tex else FORMAT_JOB
    assert started_from(third.outdir / "build", "third") == expected
    assert "Capacity in practice" in squash(pdf_text(third.pdf))
    [fmt] = cached()
    assert_whole(fmt)


def test_a_format_tex_rejects_is_dropped_after_a_longtable_measuring_run(site: Site) -> None:
    """The measuring run links the cached format first; when pdflatex then rejects it, the
    pass still drops it from the cache (it knows the link), and a whole one replaces it."""
    table = "\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    build_post(site.post(post_text("Entropy", "shannon1948") + table, "first.md",
                         front("The first post")))
    [fmt] = cached()
    size = fmt.stat().st_size
    rejected_by_tex(fmt)
    second = build_post(site.post(post_text("Divergence", "cover2006") + table, "second.md",
                                  front("The second post")))
    assert "Divergence in practice" in squash(pdf_text(second.pdf))
    [replaced] = cached()  # the rejected one dropped, a new one made beside a later pass
    assert replaced.stat().st_size == size
    assert_whole(replaced)


def test_cache_clear_empties_it_and_info_says_so(site: Site) -> None:
    fmt = warm(site)
    info = run_cli("cache", "info")
    assert info.returncode == 0 and "1 format," in info.stdout and fmt.stem[:12] in info.stdout
    assert str(format_cache.formats_dir()) in info.stdout
    cleared = run_cli("cache", "clear")
    assert cleared.returncode == 0 and "removed 1 format" in cleared.stdout
    assert cached() == [] and list(format_cache.formats_dir().glob("*.json")) == []
    assert "0 formats" in run_cli("cache", "info").stdout
    # The next cold build runs without a format and fills the cache again.
    again = build_post(site.post(post_text("Capacity", "shannon1948"), "third.md",
                                 front("The third post")),
                       BuildOptions(outdir=site.root / "again"))
    assert started_from(again.outdir / "build", "third") == "pdflatex"
    assert len(cached()) == 1


def test_the_bound_evicts_the_least_recently_used(site: Site) -> None:
    fmt = warm(site)
    size = fmt.stat().st_size
    folder = format_cache.formats_dir()
    keys = ["a" * 32, "b" * 32, "c" * 32]
    for age, key in enumerate(keys):  # a newest (but the real one) ... c oldest
        for suffix in (".fmt", ".json"):
            shutil.copy2(fmt.with_suffix(suffix), folder / f"{key}{suffix}")
        stamp = fmt.stat().st_mtime - 100 * (age + 1)
        os.utime(folder / f"{key}.json", (stamp, stamp))  # the record says when last used
    dead_writer = folder / ".tmp-dead.fmt.tmp"  # a build killed while it wrote a format
    dead_writer.write_bytes(b"half a format")
    assert format_cache.prune(max_formats=3) == ["c" * 32]
    assert not dead_writer.exists()
    assert format_cache.prune(max_bytes=2 * size + 1) == ["b" * 32]
    assert [p.stem for p in cached()] == sorted([fmt.stem, "a" * 32])
    assert not (folder / f"{'c' * 32}.json").exists()
    # Using a format makes it the most recent: a cache hit touches it.
    os.utime(fmt.with_suffix(".json"), (fmt.stat().st_mtime - 1000,) * 2)
    build_post(site.post(post_text("Divergence", "cover2006"), "second.md",
                         front("The second post")))
    assert format_cache.prune(max_formats=1) == ["a" * 32]
    assert cached() == [fmt]


def test_the_cache_follows_xdg_cache_home(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert format_cache.formats_dir() == tmp_path / "xdg" / "mdpaper" / "formats"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert format_cache.formats_dir() == tmp_path / "home" / ".cache" / "mdpaper" / "formats"
