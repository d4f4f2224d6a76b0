"""The test corpus (tests/posts/, a small Hugo site) and the bundled example post build into
PDFs that contain the phrases tests/posts/EXPECTED.md lists, with no unresolved reference."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mdpaper.build.post import BuildOptions, build_post

from conftest import REPO, TESTS, pdf_text, requires_tex

CORPUS = TESTS / "posts"
pytestmark = [requires_tex, pytest.mark.tex]


def expected_phrases() -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = None
    for line in (CORPUS / "EXPECTED.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            sections[current] = []
        elif current and line.strip() and not line.startswith(("#", ">")):
            sections[current].append(line.strip())
    return sections


PHRASES = expected_phrases()


def normalise(text: str) -> str:
    text = re.sub(r"(\w)-\n(\w)", r"\1\2", text)  # words hyphenated at a line end
    return " ".join(text.split())


@pytest.mark.parametrize("post", sorted(PHRASES))
def test_corpus_post_has_expected_text(post: str, tmp_path: Path) -> None:
    path = (CORPUS / post).resolve()
    result = build_post(path, BuildOptions(outdir=tmp_path))
    text = normalise(pdf_text(result.pdf))
    missing = [p for p in PHRASES[post] if " ".join(p.split()) not in text]
    assert not missing, f"missing from {post}: {missing}"
    assert "??" not in text
    log = (result.outdir / "build" / f"{result.name}.log").read_text(errors="replace")
    assert not re.search(r"(Citation|Reference) `[^']*' on page \d+ undefined", log)
    # Escaped shortcodes legitimately print "{{<"; nothing else may leak.
    leftovers = re.sub(r"\{\{[<%] ?/?\*?[^}]*\}\}", "", text) if "house-style" in post or (
        "example-paper" in post) else text
    for markup in ("{{<", "{{%", "[^", "](#", "\\cite"):
        assert markup not in leftovers, markup


def test_every_corpus_post_is_listed() -> None:
    posts = {str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*.md")
             if p.name != "EXPECTED.md"}
    assert posts <= set(PHRASES), posts - set(PHRASES)
    assert any(REPO.joinpath("content").rglob("index.md"))
