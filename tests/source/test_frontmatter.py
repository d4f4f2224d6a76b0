"""Front matter: YAML, TOML and JSON (also after blank lines), validation, located errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdpaper.errors import MdpaperError
from mdpaper.source.frontmatter import read_post_text, split_front_matter, to_meta

P = Path("post.md")


def meta_of(text: str):  # type: ignore[no-untyped-def]
    data, body, body_line, lines = split_front_matter(text, P)
    return to_meta(data, lines, P), body, body_line


def test_yaml_with_all_keys() -> None:
    meta, body, line = meta_of(
        "---\ntitle: T\nsubtitle: S\ndate: 2024-03-18\nauthors: [Ada, {name: Bob}]\n"
        "summary: The abstract.\ntags: [a, b]\nkeywords: [b, c]\nbibFile: data/b.json\n"
        "slug: my-slug\ndraft: true\n---\nBody\n")
    assert (meta.title, meta.subtitle, meta.date) == ("T", "S", "March 18, 2024")
    assert meta.authors == ["Ada", "Bob"]
    assert meta.abstract == "The abstract."
    assert meta.keywords == ["b", "c", "a"]
    assert (meta.bib_file, meta.slug, meta.draft) == ("data/b.json", "my-slug", True)
    assert body == "Body\n" and line == 13
    assert meta.key_lines["bibFile"] == 9


def test_toml_with_params_bibfile_and_description() -> None:
    meta, body, line = meta_of('+++\ntitle = "T"\nauthor = "Ada"\ndescription = "D"\n'
                               '[params]\nbibFile = "refs.json"\n+++\n\nText\n')
    assert meta.title == "T" and meta.authors == ["Ada"] and meta.abstract == "D"
    assert meta.bib_file == "refs.json"
    assert line == 8 and body.strip() == "Text"


def test_json_multiline_and_single_line() -> None:
    meta, body, line = meta_of('{\n  "title": "J",\n  "tags": ["x"]\n}\nBody\n')
    assert meta.title == "J" and meta.keywords == ["x"] and body == "Body\n" and line == 5
    meta, body, line = meta_of('{"title": "One line"}\nBody\n')
    assert meta.title == "One line" and body == "Body\n" and line == 2


def test_leading_blank_lines_are_skipped() -> None:
    meta, body, line = meta_of("\n\n\n---\ntitle: Late\n---\nBody\n")
    assert meta.title == "Late" and line == 7


def test_no_front_matter_keeps_everything() -> None:
    meta, body, line = meta_of("# Heading\n\ntext\n")
    assert meta.title is None and body == "# Heading\n\ntext\n" and line == 1


@pytest.mark.parametrize(("text", "line", "words"), [
    ("---\ntitle: ok\nbad: [unclosed\n---\n", 3, "invalid YAML"),
    ('+++\ntitle = "ok"\nbad = = 1\n+++\n', 3, "invalid TOML"),
    ('{\n "title": "x",\n "a": }\n', 3, "invalid JSON"),
    ("---\ntitle: never closed\n", 1, "never closed"),
    ("---\n- a list\n---\n", 2, "must be a mapping"),
    ("---\ntitle: [1, 2]\n---\n", 2, "'title' must be text"),
    ('+++\ntitle = "x"\n[author]\nemail = "a@b.org"\n+++\n', 3, "'author' must be text"),
])
def test_errors_name_the_line(text: str, line: int, words: str) -> None:
    with pytest.raises(MdpaperError) as info:
        meta_of(text)
    assert info.value.line == line, str(info.value)
    assert words in str(info.value)
    assert str(info.value).startswith(f"post.md:{line}: error: ")


def test_an_empty_toml_author_table_is_no_author() -> None:
    """``[author]`` with nothing under it: Hugo 0.168 gives the page an empty map (no name
    to show) and builds it; the paper has no author line."""
    meta, body, _ = meta_of('+++\ntitle = "x"\ntags = ["a"]\n[author]\n+++\nBody.\n')
    assert meta.authors == [] and meta.keywords == ["a"] and body.strip() == "Body."


def test_an_author_mapping_left_empty_is_no_author() -> None:
    """FixIt's and LoveIt's archetype writes ``author:`` with ``name:``, ``link:`` and
    ``email:`` empty; Hugo builds the page, which names no author (it was an error)."""
    meta, _, _ = meta_of("---\ntitle: x\nauthor:\n  name:\n  link: ''\n  email:\n---\nBody.\n")
    assert meta.authors == []


def test_non_utf8_file_names_line_and_offset(tmp_path: Path) -> None:
    post = tmp_path / "p.md"
    post.write_bytes(b"---\ntitle: x\n---\ncaf\xe9\n")
    with pytest.raises(MdpaperError) as info:
        read_post_text(post)
    assert info.value.line == 4 and "offset 20" in str(info.value)


def test_missing_post_and_directory(tmp_path: Path) -> None:
    with pytest.raises(MdpaperError, match="no such file"):
        read_post_text(tmp_path / "nope.md")
    with pytest.raises(MdpaperError, match="is a directory"):
        read_post_text(tmp_path)


def test_bom_and_crlf_are_normalised(tmp_path: Path) -> None:
    post = tmp_path / "p.md"
    post.write_bytes("\ufeff---\r\ntitle: x\r\n---\r\nText\r\n".encode())
    assert read_post_text(post) == "---\ntitle: x\n---\nText\n"
