"""Property-based tests: any post from the supported grammar builds, or fails located.

The grammar (tests/mdgrammar.py) covers headings with ids, emphasis, code, links, images,
deep mixed and task lists, tables, quotes, fenced and indented code, footnotes, HTML, every
math form, Hugo shortcodes, LaTeX specials and non-ASCII text. Some posts carry "bad" math
on purpose; those must fail with ``file:line: error:`` naming a line of the block that holds
it, and all the others must build.

Runs are reproducible: the ``mdpaper`` hypothesis profile is derandomized (a fixed seed per
test) and keeps no example database. For a longer hunt, scale the example counts:

    MDPAPER_HYPOTHESIS_SCALE=10 pytest tests/markdown/test_properties.py

(``MDPAPER_HYPOTHESIS_SEED=N`` draws a different, still reproducible, set.)
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, seed, settings

from mdpaper.build.convert import convert
from mdpaper.build.post import BuildOptions, build_post
from mdpaper.errors import MdpaperError, MultipleErrors
from mdpaper.source.site import load_post

from conftest import REPO, Site, requires_tex, unbalanced
from mdgrammar import Doc, posts

SCALE = float(os.environ.get("MDPAPER_HYPOTHESIS_SCALE", "1"))
SEED = int(os.environ.get("MDPAPER_HYPOTHESIS_SEED", "0"))
settings.register_profile(
    "mdpaper", derandomize=SEED == 0, database=None, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.large_base_example],
)
settings.load_profile("mdpaper")

FRONT = "---\ntitle: Generated post\nbibFile: data/bibliography.json\n---\n"
BODY_LINE = FRONT.count("\n") + 1
#: Example counts per property, printed in the pytest summary (conftest).
REPORT: dict[str, str] = {}
_stats: dict[str, Counter[str]] = {}


def _examples(n: int) -> int:
    return max(1, int(n * SCALE))


def _seeded(test: Callable[..., None]) -> Callable[..., None]:
    return seed(SEED)(test) if SEED else test


class Workspace:
    """One Hugo site reused by every example of a property (hypothesis forbids
    function-scoped fixtures), with a fresh post file and output folder per example."""

    def __init__(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="mdpaper-prop-"))
        self.site = Site(self.tmp / "site")
        figures = self.site.root / "static" / "figures"
        figures.mkdir(parents=True)
        shutil.copy(REPO / "tests" / "fixtures" / "commonmark" / "pixel.png",
                    figures / "pixel.png")
        # the page the grammar's {{< ref "other-post.md" >}} names (Hugo refuses a missing one)
        self.site.post("A page to link to.\n", name="other-post.md")
        self.counter = itertools.count()

    def post(self, doc: Doc) -> tuple[Path, Path]:
        n = next(self.counter)
        path = self.site.post(doc.text, name=f"p{n}.md", front=FRONT)
        return path, self.tmp / "out" / str(n)

    def close(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)


@pytest.fixture(scope="module")
def workspace() -> Iterator[Workspace]:
    ws = Workspace()
    yield ws
    ws.close()


_LOCATED = re.compile(r"^(?P<path>.+?):(?P<line>\d+): error: \S")


def assert_located(exc: MdpaperError, path: Path) -> list[int]:
    """Every line of the error names ``path`` and a line of the post; returns the lines."""
    nlines = path.read_text(encoding="utf-8").count("\n") + 1
    errors = exc.errors if isinstance(exc, MultipleErrors) else [exc]
    lines = []
    for err in errors:
        text = str(err).splitlines()[0]
        m = _LOCATED.match(text)
        assert m and m["path"] == str(path), f"error not located in the post: {text}"
        assert 1 <= int(m["line"]) <= nlines, f"line outside the post: {text}"
        lines.append(int(m["line"]))
    return lines


def _record(name: str, outcome: str) -> None:
    counts = _stats.setdefault(name, Counter())
    counts[outcome] += 1
    parts = ", ".join(f"{v} {k}" for k, v in sorted(counts.items()))
    REPORT[name] = f"{sum(counts.values())} examples ({parts})"


def _check_failure(exc: MdpaperError, doc: Doc, path: Path) -> None:
    lines = assert_located(exc, path)
    assert doc.bad, f"a post without bad fragments failed:\n{exc}\n--- post ---\n{doc.text}"
    assert any(doc.error_expected_at(line, BODY_LINE) for line in lines), (
        f"error lines {lines} are not in a block holding {doc.bad} (blocks "
        f"{doc.bad_blocks}, body from line {BODY_LINE}):\n{exc}\n--- post ---\n{doc.text}")


@_seeded
@settings(max_examples=_examples(300))
@given(doc=posts(wild=True, bad_rate=12))
def test_any_post_converts_or_fails_located(workspace: Workspace, doc: Doc) -> None:
    """Conversion only (no TeX): never a crash, and LaTeX whose groups balance."""
    path, _ = workspace.post(doc)
    try:
        conversion = convert(load_post(path), path.stem)
    except MdpaperError as exc:
        assert_located(exc, path)
        _record("hypothesis, conversion only", "located errors")
        return
    body = conversion.result.body
    problem = unbalanced(body)
    assert problem is None, f"{problem}\n--- post ---\n{doc.text}\n--- LaTeX ---\n{body}"
    assert "\x00" not in body, "a line sentinel was left in the LaTeX"
    _record("hypothesis, conversion only", "converted")


@requires_tex
@pytest.mark.tex
@_seeded
@settings(max_examples=_examples(30))
@given(doc=posts(bad_rate=8))
def test_any_post_builds_or_fails_at_its_bad_line(workspace: Workspace, doc: Doc) -> None:
    """The real latexmk: good posts build a PDF; bad math fails located in its block."""
    path, outdir = workspace.post(doc)
    try:
        result = build_post(path, BuildOptions(outdir=outdir, timeout=120))
    except MdpaperError as exc:
        _check_failure(exc, doc, path)
        _record("hypothesis, real TeX", "failed where expected")
        return
    finally:
        shutil.rmtree(outdir, ignore_errors=True)
    assert not doc.bad, f"bad fragments {doc.bad} built without an error:\n{doc.text}"
    assert result.pages and result.pages >= 1
    _record("hypothesis, real TeX", "built")
