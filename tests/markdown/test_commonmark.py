"""Every example of the CommonMark spec (0.31.2) converts, and its LaTeX compiles.

Conversion runs the whole pipeline per example (a post with front matter, in a Hugo site
that holds stand-ins for the images the examples name). Compiling 652 documents would
take minutes, so the bodies go into a few documents of many examples each, with the
preamble the union of their features; when a batch fails, the example owning the failing
TeX line is compiled alone to confirm, recorded with its number and the error, and the rest
of the batch is compiled again. The counts are printed in pytest's summary.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from mdpaper.build.convert import Conversion, convert
from mdpaper.document.assemble import TitleBlock, assemble
from mdpaper.document.templates import load_template
from mdpaper.errors import MdpaperError
from mdpaper.markdown.parser import create_parser
from mdpaper.model import RenderResult, Requirement
from mdpaper.source.site import load_post
from mdpaper.tex.latexmk import LatexError, compile_tex

from conftest import TESTS, requires_tex, unbalanced

FIXTURES = TESTS / "fixtures" / "commonmark"
SPEC_VERSION = "0.31.2"
EXAMPLES: list[dict[str, Any]] = json.loads(
    (FIXTURES / f"spec-{SPEC_VERSION}.json").read_text(encoding="utf-8"))
FRONT = "---\ntitle: Example\n---\n"
BATCHES = 4

#: Filled in by the tests, printed by conftest's terminal summary.
REPORT: dict[str, str] = {}


@dataclass
class Converted:
    number: int
    conversion: Conversion | None = None
    error: str | None = None
    list_depth: int = 0


@dataclass
class SpecRun:
    root: Path
    converted: list[Converted] = field(default_factory=list)


def _walk(tokens: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for tok in tokens:
        yield tok
        yield from _walk(tok.get("children") or [])


def _provide_images(root: Path, post_dir: Path, markdown: str) -> None:
    """Put a stand-in file wherever an example's images point (inside the site)."""
    for tok in _walk(create_parser().parse_post(markdown, 1).tokens):
        if tok["type"] != "image":
            continue
        src = tok["attrs"]["url"].split("?")[0].split("#")[0]
        if not src or re.match(r"^[a-z][a-z0-9+.-]*:|^//", src, re.I):
            continue
        target = root / "static" / src.lstrip("/") if src.startswith("/") else post_dir / src
        try:
            if not target.resolve().is_relative_to(root.resolve()) or target.exists():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            suffix = target.suffix.lower()
            stand_in = "pixel.jpg" if suffix in (".jpg", ".jpeg") else "pixel.png"
            shutil.copy(FIXTURES / stand_in, target)
        except OSError:
            continue  # a name the file system refuses: the converter will say so


@pytest.fixture(scope="module")
def spec_run(tmp_path_factory: pytest.TempPathFactory) -> SpecRun:
    root = tmp_path_factory.mktemp("cm") / "site"
    posts = root / "content"
    posts.mkdir(parents=True)
    (root / "hugo.toml").write_text('title = "CommonMark"\n')
    run = SpecRun(root)
    for example in EXAMPLES:
        number = example["example"]
        _provide_images(root, posts, example["markdown"])
        path = posts / f"example-{number}.md"
        path.write_text(FRONT + example["markdown"], encoding="utf-8")
        item = Converted(number)
        try:
            item.conversion = convert(load_post(path), f"example-{number}",
                                      engine="pdflatex")  # as the batch compiles
            depth = re.search(r"\\setlistdepth\{(\d+)\}", item.conversion.tex)
            item.list_depth = int(depth.group(1)) if depth else 1
        except MdpaperError as exc:
            item.error = str(exc)
        run.converted.append(item)
    return run


def test_every_commonmark_example_converts(spec_run: SpecRun) -> None:
    failed = [f"example {c.number}: {c.error}" for c in spec_run.converted if c.error]
    ok = len(spec_run.converted) - len(failed)
    REPORT["convert"] = f"{ok}/{len(EXAMPLES)} convert"
    assert len(spec_run.converted) == len(EXAMPLES) == 652
    assert not failed, "\n".join(failed)


def test_commonmark_output_has_balanced_braces(spec_run: SpecRun) -> None:
    bad = [c.number for c in spec_run.converted
           if c.conversion and unbalanced(c.conversion.result.body)]
    assert not bad, f"unbalanced braces in the LaTeX of examples {bad}"


# --- compiling in batches -------------------------------------------------------------

def _document(items: list[Converted]) -> tuple[str, list[tuple[int, int]]]:
    """One .tex holding every item's body; returns it and (first tex line, example) pairs."""
    requirements: dict[str, Requirement] = {}
    parts, offsets, line = [], [], 0
    for item in items:
        assert item.conversion is not None
        result = item.conversion.result
        requirements |= result.requirements
        chunk = (f"\\par\\noindent\\textbf{{Example {item.number}}}\\par\n"
                 f"{result.body.strip()}\n\\par\\medskip\n")
        offsets.append((line, item.number))
        parts.append(chunk)
        line += chunk.count("\n")
    body = RenderResult(body="".join(parts), requirements=requirements)
    depth = max(i.list_depth for i in items)
    tex, body_line = assemble(load_template("article"), TitleBlock(title="CommonMark examples"),
                              body, engine="pdflatex", list_depth=depth)
    return tex, [(first + body_line, number) for first, number in offsets]


def _compile(items: list[Converted], folder: Path) -> tuple[int | None, str] | None:
    """None when the document builds; else (example blamed, first error message)."""
    folder.mkdir(parents=True, exist_ok=True)
    for item in items:
        assert item.conversion is not None
        for name, source in item.conversion.result.figures.items():
            shutil.copy(source, folder / name)
    tex, starts = _document(items)
    (folder / "batch.tex").write_text(tex, encoding="utf-8")
    try:
        compile_tex(folder / "batch.tex", timeout=300)
    except LatexError as exc:
        problem = exc.problems[0]
        owner = None
        for first, number in starts:
            if problem.line is not None and first <= problem.line:
                owner = number
        return owner, problem.message
    return None


def _compile_all(items: list[Converted], folder: Path, failures: dict[int, str]) -> None:
    outcome = _compile(items, folder)
    if outcome is None:
        return
    owner, message = outcome
    if len(items) == 1:
        failures[items[0].number] = message
        return
    blamed = [i for i in items if i.number == owner]
    if owner is not None and blamed and _compile(blamed, folder / f"alone-{owner}") is not None:
        failures[owner] = message
        rest = [i for i in items if i.number != owner]
        if rest:
            _compile_all(rest, folder / f"without-{owner}", failures)
        return
    half = len(items) // 2  # the error shows only in company: find it by halving
    _compile_all(items[:half], folder / "a", failures)
    _compile_all(items[half:], folder / "b", failures)


@requires_tex
@pytest.mark.tex
def test_every_commonmark_example_compiles(spec_run: SpecRun) -> None:
    items = [c for c in spec_run.converted if c.conversion is not None]
    size = -(-len(items) // BATCHES)
    failures: dict[int, str] = {}
    for start in range(0, len(items), size):
        _compile_all(items[start:start + size], spec_run.root / "tex" / f"batch-{start}",
                     failures)
    REPORT["compile"] = f"{len(items) - len(failures)}/{len(EXAMPLES)} compile"
    assert not failures, "\n".join(f"example {n}: {m}" for n, m in sorted(failures.items()))
