"""The precompiled preamble of the edit rebuild (``preamble_format``): used when it is safe,
rebuilt when what it was made from changes, never a different PDF or a hidden error.

Real pdflatex throughout. Which format a pass started from is read from the first line of
its .log ("preloaded format=..."), what it produced from the PDF's text.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from mdpaper.build.format_cache import formats_dir
from mdpaper.build.post import BuildOptions, build_post
from mdpaper.errors import MdpaperError
from mdpaper.tex.preamble_format import FORMAT_JOB

from conftest import REPO, Site, edit_post, pdf_text, requires_tex, squash

pytestmark = [requires_tex, pytest.mark.tex]

POST = """## Introduction {#intro}

Entropy is measured in bits {{< cite "shannon1948" >}}. See [the method](#method).

$$
H(X) = -\\sum_x p(x) \\log_2 p(x)
$$

```python
def entropy(p):
    return -sum(x * math.log2(x) for x in p)
```

## Method {#method}

The method section, which [the introduction](#intro) points to.
"""


def started_from(build: Path, name: str = "post") -> str:
    """The format named on the first line of the pass's log."""
    first = (build / f"{name}.log").read_text(encoding="latin-1").splitlines()[0]
    return first.split("format=")[1].split()[0]


def record(build: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((build / f"{FORMAT_JOB}.json").read_text(encoding="utf-8"))


def cut_short(path: Path) -> None:
    """As a full disk or a killed writer would leave the file."""
    with path.open("r+b") as fh:
        fh.truncate(path.stat().st_size // 2)


def cut_short_everywhere(build: Path) -> None:
    """The post's format and the shared cache's copies of it broken alike (a pass started
    on the cached one before converting would else never read the post's own)."""
    for fmt in [build / f"{FORMAT_JOB}.fmt", *formats_dir().glob("*.fmt")]:
        if not fmt.is_symlink():
            cut_short(fmt)


def next_edit_uses_format(post: Path, build: Path, old: str, new: str) -> None:
    edit_post(post, old, new)
    assert build_post(post).passes == 1 and started_from(build) == FORMAT_JOB


def edited_twice(site: Site, options: BuildOptions | None = None) -> tuple[Path, Path]:
    """Build, then two text edits: the cold build's one pass (from no format) builds the
    format alongside, and the edits use it."""
    post = site.post(POST)
    cold = build_post(post, options)
    build = cold.outdir / "build"
    assert cold.passes == 1 and started_from(build) == "pdflatex"
    edit_post(post, "The method section", "The first edit of the method section")
    first = build_post(post, options)
    assert first.passes == 1
    assert started_from(build) == FORMAT_JOB and record(build)["ok"] is True
    edit_post(post, "The first edit", "The second edit")
    return post, build


def test_second_edit_starts_from_the_format_and_gives_the_same_pdf(
        site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    post, build = edited_twice(site)
    again = build_post(post)
    assert again.passes == 1 and started_from(build) == FORMAT_JOB
    fast_text = pdf_text(again.pdf)
    assert "The second edit of the method section" in squash(fast_text)
    # A cold build of the same post, with no format anywhere (an empty shared cache too),
    # reads the same.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "empty-cache"))
    cold = build_post(post, BuildOptions(outdir=tmp_path / "cold"))
    assert started_from(cold.outdir / "build") == "pdflatex"
    assert fast_text == pdf_text(cold.pdf) and again.pages == cold.pages


def test_a_changed_title_keeps_the_format(site: Site) -> None:
    """The title and the PDF's metadata follow the shared part of the preamble: the same
    format serves them."""
    post, build = edited_twice(site)
    digest = record(build)["preamble_sha256"]
    edit_post(post, "title: Test post", "title: A renamed post")
    again = build_post(post)
    assert started_from(build) == FORMAT_JOB and record(build)["preamble_sha256"] == digest
    assert "A renamed post" in squash(pdf_text(again.pdf))
    info = subprocess.run(["pdfinfo", str(again.pdf)], capture_output=True, text=True,
                          check=True).stdout
    assert "A renamed post" in info


def test_a_changed_shared_preamble_is_not_served_from_the_old_format(site: Site) -> None:
    post, build = edited_twice(site)
    old_digest = record(build)["preamble_sha256"]
    # Numeric citations load natbib with other options: a preamble the format does not hold
    # (what a post's body uses does not change it: every post of a template shares one).
    edit_post(post, "bibFile:", "mdpaper:\n  citation-style: numeric\nbibFile:")
    again = build_post(post)
    # Its first pass runs without a format and builds the new one alongside (latexmk may
    # then finish from that new one).
    assert "The second edit" in squash(pdf_text(again.pdf))
    assert record(build)["ok"] is True and record(build)["preamble_sha256"] != old_digest
    next_edit_uses_format(post, build, "second edit", "third edit")


def test_a_changed_input_of_the_format_rebuilds_it(site: Site) -> None:
    """A TeX Live update changes files the format was made from (sizes, mtimes): both the
    post's copy and the shared cache's are stale then."""
    post, build = edited_twice(site)
    [cached] = formats_dir().glob("*.json")
    saved = record(build)
    package = next(name for name in saved["inputs"] if name.endswith("amsmath.sty"))
    for path in (build / f"{FORMAT_JOB}.json", cached):
        stale = json.loads(path.read_text(encoding="utf-8"))
        stale["inputs"][package][1] -= 1  # as if amsmath.sty had been replaced since
        path.write_text(json.dumps(stale), encoding="utf-8")
    build_post(post)
    assert started_from(build) == "pdflatex"
    assert record(build)["inputs"][package] == saved["inputs"][package]
    remade = json.loads(cached.read_text(encoding="utf-8"))
    assert remade["inputs"][package] == saved["inputs"][package]


def test_an_error_after_the_format_is_reported_at_the_markdown_line(site: Site) -> None:
    post, build = edited_twice(site)
    build_post(post)
    assert started_from(build) == FORMAT_JOB
    # The format pass fails; the ordinary pass reruns from the saved aux files and names
    # the post's line, as any build does.
    edit_post(post, "H(X) = ", "x^1^2 H(X) = ")  # an error only TeX finds
    with pytest.raises(MdpaperError) as err:
        build_post(post)
    line = post.read_text(encoding="utf-8").splitlines().index(
        "x^1^2 H(X) = -\\sum_x p(x) \\log_2 p(x)") + 1
    assert err.value.line is not None and abs(err.value.line - line) <= 1
    assert "Double superscript" in str(err.value)
    assert (build / f"{FORMAT_JOB}.fmt").is_file()  # the post's mistake, not the format's
    edit_post(post, "x^1^2 ", "")
    fixed = build_post(post)  # after a failed build latexmk starts afresh
    assert "The second edit" in squash(pdf_text(fixed.pdf))
    next_edit_uses_format(post, build, "The second edit", "The third edit")


def test_a_broken_format_file_falls_back_to_the_ordinary_pass(site: Site) -> None:
    post, build = edited_twice(site)
    fmt = build / f"{FORMAT_JOB}.fmt"
    cut_short_everywhere(build)
    again = build_post(post)
    assert again.passes == 1 and started_from(build) == "pdflatex"
    assert "The second edit" in squash(pdf_text(again.pdf))
    assert not fmt.exists()
    edit_post(post, "The second edit", "The third edit")
    build_post(post)  # builds the format again, alongside its pass
    assert record(build)["ok"] is True and fmt.is_file()


def test_a_preamble_that_opens_a_file_is_never_dumped(site: Site) -> None:
    folder = site.root / "templates" / "writes"
    folder.mkdir(parents=True)
    article = (REPO / "templates" / "article" / "template.toml").read_text(encoding="utf-8")
    article = article.replace("\\usepackage[margin=1in]{geometry}",
                              "\\newwrite\\notes\\immediate\\openout\\notes=notes.txt")
    (folder / "template.toml").write_text(article, encoding="utf-8")
    options = BuildOptions(template="writes")
    post = site.post(POST)
    build_post(post, options)
    edit_post(post, "The method section", "The first edit of the method section")
    first = build_post(post, options)
    build = first.outdir / "build"
    assert record(build)["ok"] is False and not (build / f"{FORMAT_JOB}.fmt").exists()
    edit_post(post, "The first edit", "The second edit")
    again = build_post(post, options)
    assert again.passes == 1 and started_from(build) == "pdflatex"
    assert "The second edit" in squash(pdf_text(again.pdf))


@pytest.mark.skipif(shutil.which("xelatex") is None, reason="needs xelatex")
def test_other_engines_never_build_a_format(site: Site) -> None:
    options = BuildOptions(engine="xelatex")
    post = site.post(POST)
    build_post(post, options)
    edit_post(post, "The method section", "The edited method section")
    again = build_post(post, options)
    assert not (again.outdir / "build" / f"{FORMAT_JOB}.json").exists()


def test_latexmk_rebuilds_start_from_the_format_too(site: Site) -> None:
    """A new citation needs BibTeX and more passes: latexmk runs them from the format."""
    post, build = edited_twice(site)
    edit_post(post, "The second edit", 'The second edit {{< cite "cover2006" >}}')
    again = build_post(post)
    assert again.passes >= 2 and started_from(build) == FORMAT_JOB
    text = squash(pdf_text(again.pdf))
    assert "(Cover and Thomas, 2006)" in text and "Elements of Information Theory" in text
    assert "??" not in text


def test_latexmk_falls_back_when_the_format_fails(site: Site) -> None:
    """A changed bibliography goes straight to latexmk; a broken format cannot stop it."""
    post, build = edited_twice(site)
    build_post(post)
    fmt = build / f"{FORMAT_JOB}.fmt"
    cut_short_everywhere(build)
    bib = site.root / "data" / "bibliography.json"
    bib.write_text(bib.read_text().replace("A Mathematical Theory", "The Mathematical Theory"))
    again = build_post(post)
    assert started_from(build) == "pdflatex" and not fmt.exists()
    assert "The Mathematical Theory of Communication" in squash(pdf_text(again.pdf))
