"""One format per template, and the pass that starts before the post is converted.

* Every post of a template shares one precompiled preamble, whatever its body uses: a post
  with code, a table, a figure and citations and a post of plain prose take the same
  cached format, both ways round (``document.assemble.SHARED_PACKAGES``).
* A cold build starts pdflatex on the most recently used cached format before converting
  (``build.standby``); when that is the post's own format, that very process makes the
  pass (its log's ``**`` line shows the waiting command), with the PDF a full latexmk build
  of the same .tex makes. When it is not (another template), it is stopped, and the pass
  runs as before. Either way nothing of it is left: no process, no link, no stray file.

Real pdflatex, latexmk and poppler throughout.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image
from test_format_cache import cached, pdf_facts, started_from

from mdpaper.build import format_cache
from mdpaper.build.longtables import JOB as TABLES_JOB
from mdpaper.build.parallel import build_many
from mdpaper.build.post import BuildOptions, build_post
from mdpaper.build.standby import LINK_PREFIX, StandbyPass
from mdpaper.errors import MdpaperError
from mdpaper.tex.preamble_format import FORMAT_JOB

from conftest import Site, live_processes, pdf_text, requires_tex, squash

pytestmark = [requires_tex, pytest.mark.tex]

FEATURES = """## Method {#method}

Cross-entropy {{< cite "shannon1948" >}} bounds ~~all~~ every code, see [below](#result).

![A red square](red.png)

| Code | Bits |
|------|-----:|
| A    | 1    |
| B    | 2    |

```python
def entropy(p):
    return -sum(q * log2(q) for q in p)
```

## Result {#result}

Done.[^1]

[^1]: A footnote.
"""

PROSE = """## Plain words

Nothing but prose here: no code, no table, no citation, no figure. $x^2$ once.

## More words

And a second section that says little.
"""


def latexmk_pdf(build: Path, name: str, dest: Path) -> Path:
    """A full latexmk build of the same .tex (and its .bib and figures), no format."""
    dest.mkdir()
    for path in build.iterdir():
        if path.name == f"{name}.tex" or path.suffix in (".bib", ".png", ".pdf", ".jpg"):
            if path.stem == name and path.suffix == ".pdf":
                continue
            shutil.copy2(path, dest / path.name)
    subprocess.run(["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error",
                    f"{name}.tex"], cwd=dest, capture_output=True, check=True, timeout=300)
    return dest / f"{name}.pdf"


def first_line_of_job(build: Path, name: str) -> str:
    """The ``**`` line of the log: what TeX was given to do first."""
    log = (build / f"{name}.log").read_text(encoding="latin-1")
    return next(line for line in log.splitlines() if line.startswith("**"))


def leftovers(build: Path) -> list[str]:
    """The standby's link or preamble, and the recorder list TeX names after its program
    (the format, or the engine) and pid until it knows the job."""
    return sorted(p.name for p in build.iterdir() if p.name.startswith(LINK_PREFIX)
                  or re.fullmatch(r"(xe|lua|pdf)latex\d+\.fls", p.name))


def runs_let_go(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The job of every waiting run let go from now on, in order."""
    went: list[str] = []
    real_go = StandbyPass.go

    def spy(self: StandbyPass, timeout: float, source: Path) -> int:
        went.append(self.job)
        return real_go(self, timeout, source)

    monkeypatch.setattr(StandbyPass, "go", spy)
    return went


def feature_post(site: Site, name: str) -> Path:
    Image.new("RGB", (40, 40), "red").save(site.root / "content" / "posts" / "red.png")
    return site.post(FEATURES, f"{name}.md")


@pytest.mark.parametrize("order", ["features-first", "prose-first"])
def test_posts_unlike_each_other_share_the_template_format(site: Site, tmp_path: Path,
                                                           order: str) -> None:
    posts = [feature_post(site, "rich"), site.post(PROSE, "plain.md")]
    if order == "prose-first":
        posts.reverse()
    first = build_post(posts[0])
    [fmt] = cached()
    second = build_post(posts[1])
    build = second.outdir / "build"
    assert started_from(build, posts[1].stem) == FORMAT_JOB and second.passes == 1
    assert cached() == [fmt]  # no second format: the template's one served both
    assert pdf_facts(second.pdf) == pdf_facts(latexmk_pdf(build, posts[1].stem,
                                                          tmp_path / "latexmk"))
    texts = {p.stem: squash(pdf_text(r.pdf)) for p, r in zip(posts, (first, second),
                                                            strict=True)}
    assert "Nothing but prose here" in texts["plain"] and "def entropy(p):" in texts["rich"]


def test_the_waiting_pass_makes_the_pdf(site: Site, tmp_path: Path) -> None:
    build_post(feature_post(site, "rich"))  # fills the cache
    result = build_post(site.post(PROSE, "plain.md"))
    build = result.outdir / "build"
    assert "\\read-1to\\mdpaperstandbygo" in first_line_of_job(build, "plain")
    assert started_from(build, "plain") == FORMAT_JOB and result.passes == 1
    assert pdf_facts(result.pdf) == pdf_facts(latexmk_pdf(build, "plain", tmp_path / "lmk"))
    assert leftovers(build) == [] and not live_processes(LINK_PREFIX)


def test_the_longtable_measuring_run_waits_too(site: Site, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    build_post(site.post(PROSE, "plain.md"))  # fills the cache
    went = runs_let_go(monkeypatch)
    result = build_post(feature_post(site, "rich"))
    build = result.outdir / "build"
    assert went == [TABLES_JOB, "rich"] and result.passes == 1
    assert pdf_facts(result.pdf) == pdf_facts(latexmk_pdf(build, "rich", tmp_path / "lmk"))
    assert leftovers(build) == [] and not live_processes(LINK_PREFIX)


def test_another_templates_format_is_not_taken(site: Site) -> None:
    build_post(site.post(PROSE, "plain.md"))  # the article template's format
    build_post(site.post(PROSE, "pre.md"), BuildOptions(template="arxiv"))  # most recent
    assert len(cached()) == 2
    again = build_post(site.post(PROSE.replace("little", "less"), "third.md"))
    build = again.outdir / "build"
    # the waiting pass had the arxiv format: stopped; the pass ran from the article one
    assert first_line_of_job(build, "third") == "**third.tex"
    assert started_from(build, "third") == FORMAT_JOB and again.passes == 1
    assert "says less" in squash(pdf_text(again.pdf))
    assert leftovers(build) == [] and not live_processes(LINK_PREFIX)


def test_a_post_that_fails_to_convert_stops_the_waiting_pass(site: Site) -> None:
    good = build_post(site.post(PROSE, "plain.md"))
    before = good.pdf.read_bytes()
    site.post(PROSE + "\n![x](../../../../etc/hostname.png)\n", "plain.md")
    with pytest.raises(MdpaperError, match="outside"):
        build_post(site.root / "content" / "posts" / "plain.md")
    assert good.pdf.read_bytes() == before
    deadline = time.monotonic() + 5  # (kill_group waits for the group to go)
    while live_processes(LINK_PREFIX) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not live_processes(LINK_PREFIX)
    assert leftovers(good.outdir / "build") == []


def test_a_first_build_that_fails_leaves_no_empty_folders(site: Site) -> None:
    build_post(site.post(PROSE, "plain.md"))  # fills the cache: the next build has a standby
    bad = site.post(PROSE + "\n![x](../../../../etc/hostname.png)\n", "bad.md")
    with pytest.raises(MdpaperError, match="outside"):
        build_post(bad)
    assert not (site.root / "output" / "bad").exists()
    assert (site.root / "output" / "plain" / "plain.pdf").is_file()


def test_no_standby_without_a_cached_format(site: Site) -> None:
    assert format_cache.newest(site.root) is None
    result = build_post(site.post(PROSE, "plain.md"))
    assert first_line_of_job(result.outdir / "build", "plain") == "**plain.tex"
    assert leftovers(result.outdir / "build") == []


def test_a_killed_build_leaves_no_waiting_tex(site: Site) -> None:
    """SIGTERM while the post converts: the waiting pdflatex goes with the build."""
    build_post(site.post(PROSE, "plain.md"))
    long_post = site.post(PROSE * 4000, "long.md")  # converts for a while
    proc = subprocess.Popen([sys.executable, "-m", "mdpaper", "build", "-q", str(long_post)],
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 20
    while not live_processes(LINK_PREFIX) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert live_processes(LINK_PREFIX), "the waiting pass never started"
    proc.terminate()
    assert proc.wait(timeout=30) == 143
    assert not live_processes(LINK_PREFIX)


def test_a_run_over_many_posts_starts_no_waiting_tex(site: Site) -> None:
    """Throughput over many posts is -j's: their builds leave the other cores alone."""
    build_post(site.post(PROSE, "plain.md"))  # fills the cache
    posts = [site.post(PROSE.replace("little", f"little {n}"), f"p{n}.md") for n in (1, 2)]
    outcomes = list(build_many(posts, BuildOptions(), jobs=1))
    assert all(o.error is None for o in outcomes)
    for post in posts:
        assert first_line_of_job(site.root / "output" / post.stem / "build",
                                 post.stem) == f"**{post.stem}.tex"
