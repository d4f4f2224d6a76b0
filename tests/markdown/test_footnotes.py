"""Footnote definitions read the way Hugo's Goldmark reads them (forms met in a survey of
real posts): a display indented inside a note, a lazy line, a definition right after a
quote or list item. Each case is parsed, and checked against the Hugo binary's own page:
the same words in the notes, the same words in the body."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

import pytest
from mistune.util import unikey

from mdpaper.markdown.parser import ParsedPost, create_parser

from conftest import Site, requires_hugo, run_hugo

CASES = {
    # the display's lines indented 8 (4 for the note, 4 of the author's own)
    "indented-display": ("Error evolves.[^d]\n\nLast body paragraph.\n\n[^d]: Quick derivation:\n"
                         "\n    $$\n        \\begin{aligned}\n        e &= theta - star \\\\\n"
                         "        &= Ae\n        \\end{aligned}\n    $$\n"),
    "lazy-line": ("See the note.[^a]\n\nLast body paragraph.\n\n[^a]: First note line.\n"
                  "Lazy second line.\n"),
    "after-quote": ("> Sharing memory quoted.\n>\n> — Author name[^1]\n"
                    "[^1]: Excerpted from a talk.\n"),
    "after-list-item": "- Item words[^i]\n[^i]: Item note words.\n\nBody after list.\n",
    "lazy-after-indented": ("Body words.[^x]\n\n[^x]: Note start:\n\n    $$\n    x = 1\n    $$\n"
                            "lazily joined\n\n    Second paragraph\nlazy underline\n===\n\n"
                            "Closing body words.\n"),
    "block-ends-lazy": ("Body words.[^n] More.[^m]\n\n[^n]: Plain note\n# Heading words\n"
                        "[^m]:Spaceless note\n2. Numbered item\n\n    Its second paragraph\n"),
}


def parse(text: str) -> ParsedPost:
    return create_parser().parse_post(text, 1)


def words(tokens: Any) -> set[str]:
    """The words of a token tree (text and math alike)."""
    found: set[str] = set()
    if isinstance(tokens, Mapping):
        for key in ("raw", "text", "children"):
            value = tokens.get(key)
            if isinstance(value, str):
                found |= set(re.findall(r"[A-Za-z]{2,}", value))
            elif value is not None:
                found |= words(value)
    elif isinstance(tokens, list):
        for tok in tokens:
            found |= words(tok)
    return found


def note(parsed: ParsedPost, key: str) -> list[dict]:
    return parsed.footnotes[unikey(key)]


def note_text(parsed: ParsedPost, key: str) -> str:
    return " ".join(sorted(words(note(parsed, key))))


def test_a_display_indented_in_a_note_stays_in_the_note() -> None:
    parsed = parse(CASES["indented-display"])
    blocks = [t for t in note(parsed, "d") if t["type"] != "blank_line"]
    assert [t["type"] for t in blocks] == ["paragraph", "block_math"]
    assert blocks[1]["raw"].split() == ["\\begin{aligned}", "e", "&=", "theta", "-", "star",
                                      "\\\\", "&=", "Ae", "\\end{aligned}"]
    assert blocks[1]["_line"] == 7  # the line of its $$
    assert [t["type"] for t in parsed.tokens if t["type"] != "blank_line"] == ["paragraph"] * 2


def test_a_lazy_line_continues_the_notes_paragraph() -> None:
    parsed = parse(CASES["lazy-line"])
    (paragraph,) = note(parsed, "a")
    assert [c.get("raw") for c in paragraph["children"]] == ["First note line.", None,
                                                       "Lazy second line."]
    assert "Lazy" not in words(parsed.tokens)


def test_a_definition_ends_the_quote_and_the_list_item_it_follows() -> None:
    parsed = parse(CASES["after-quote"])
    (quote,) = parsed.tokens
    assert quote["type"] == "block_quote"
    assert quote["children"][-1]["children"][-1] == {"type": "footnote_ref", "raw": "1",
                                                     "attrs": {"index": 1}}
    assert note_text(parsed, "1") == "Excerpted from talk"
    parsed = parse(CASES["after-list-item"])
    assert note_text(parsed, "i") == "Item note words"
    assert [t["type"] for t in parsed.tokens if t["type"] != "blank_line"] == ["list",
                                                                               "paragraph"]


def test_lazy_lines_follow_a_paragraph_only_and_a_block_ends_the_note() -> None:
    parsed = parse(CASES["lazy-after-indented"])
    # Goldmark's $$ display is paragraph text, so the paragraph and its lazy lines go on;
    # a lazy === is text, not a heading's underline
    assert note_text(parsed, "x") == "Note Second joined lazily lazy paragraph start underline"
    assert all(t["type"] != "heading" for t in note(parsed, "x"))
    assert words(parsed.tokens) == {"Body", "words", "Closing", "body"}
    parsed = parse(CASES["block-ends-lazy"])
    assert note_text(parsed, "n") == "Plain note" and note_text(parsed, "m") == "Spaceless note"
    # at the note's level nothing is interrupted: a list starting at 2 ends it too
    assert [t["type"] for t in parsed.tokens if t["type"] != "blank_line"] == [
        "paragraph", "heading", "list"]


@pytest.fixture(scope="module")
def hugo_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    site = Site(tmp_path_factory.mktemp("footnotes") / "site")
    layouts = site.root / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "single.html").write_text("{{ .Content }}")
    for name, text in CASES.items():
        site.post(text, name=f"{name}.md", front=f"---\ntitle: {name}\n---\n")
    done = run_hugo(site.root)
    assert done.returncode == 0, done.stderr
    return {name: (site.root / "public" / "posts" / name / "index.html").read_text()
            for name in CASES}


def page_words(fragment: str) -> set[str]:
    return set(re.findall(r"[A-Za-z]{2,}", html.unescape(re.sub(r"<[^>]+>", " ", fragment))))


@requires_hugo
@pytest.mark.parametrize("name", sorted(CASES))
def test_notes_and_body_hold_the_words_hugos_page_shows_there(
        name: str, hugo_pages: dict[str, str]) -> None:
    page = hugo_pages[name]
    split = page.index('<div class="footnotes"')
    body, notes = page[:split], page[split:]
    parsed = parse(CASES[name])
    assert words(parsed.tokens) == page_words(body)
    assert words(list(parsed.footnotes.values())) == page_words(notes)
