"""Split a post into front matter and body, and validate the front matter into PaperMeta.

Hugo accepts YAML (``---``), TOML (``+++``) and JSON (``{ … }``) front matter. Real posts
sometimes start with blank lines, so those are skipped. The body keeps its line offset so
every later diagnostic can name the line in the original file.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from pathlib import Path
from typing import Any

import yaml

from mdpaper.errors import MdpaperError
from mdpaper.files import parse_toml, read_utf8
from mdpaper.model import PaperMeta
from mdpaper.patterns import lazy_pattern
from mdpaper.source.config import author_infos, post_settings


def read_post_text(path: Path) -> str:
    """The post's text, UTF-8, with Windows and old-Mac line endings made Unix."""
    text = read_utf8(path, "post")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str, int, dict[str, int]]:
    """Return (data, body, body_line, key_lines); body_line is the 1-based line of the body."""
    lines = text.split("\n")
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start == len(lines):
        return {}, text, 1, {}
    opener = lines[start].rstrip()
    if opener in ("---", "+++"):
        end = next((i for i in range(start + 1, len(lines)) if lines[i].rstrip() == opener), None)
        if end is None:
            raise MdpaperError(f"front matter opened with '{opener}' is never closed",
                               path, start + 1)
        raw = "\n".join(lines[start + 1 : end])
        first = start + 2  # file line of raw's first line
        data = _parse_yaml(raw, path, first) if opener == "---" else _parse_toml(raw, path, first)
        body_from = end + 1
    elif opener.startswith("{"):
        # JSON front matter is one object, on one line or many; raw_decode finds its end.
        offset = sum(len(line) + 1 for line in lines[:start])
        first = start + 1
        try:
            data, end_offset = json.JSONDecoder().raw_decode(text, offset)
        except json.JSONDecodeError as exc:
            raise MdpaperError(f"invalid JSON front matter: {exc.msg}", path, exc.lineno) from None
        raw = text[offset:end_offset]
        end = text.count("\n", 0, end_offset)  # 0-based line holding the closing brace
        body_from = end + 1
    else:
        return {}, text, 1, {}
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise MdpaperError("front matter must be a mapping of keys to values", path, first)
    key_lines = _key_lines(raw, first)
    return data, "\n".join(lines[body_from:]), body_from + 1, key_lines


def _parse_yaml(raw: str, path: Path, first: int) -> Any:
    try:
        return yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = first + mark.line if mark is not None else first
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise MdpaperError(f"invalid YAML front matter: {problem}", path, line) from None


def _parse_toml(raw: str, path: Path, first: int) -> Any:
    return parse_toml(raw, path, first, what="front matter")


#: a key's line: ``key:``, ``key =``, or a TOML table's header ``[key]``
_KEY = lazy_pattern(r'^\s*(?:"?([A-Za-z_][\w-]*)"?\s*[:=]|\[\s*"?([A-Za-z_][\w-]*)"?\s*\])')


def _key_lines(raw: str, first: int) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, line in enumerate(raw.split("\n")):
        m = _KEY.match(line)
        if m and (key := m.group(1) or m.group(2)) not in found:
            found[key] = first + i
    return found


def _as_text(value: Any, key: str, path: Path, line: int | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, (str, int, float)):
        return str(value)
    raise MdpaperError(f"front matter key '{key}' must be text", path, line)


def _as_list(value: Any, key: str, path: Path, line: int | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        out = []
        for item in value:
            if isinstance(item, dict):  # Hugo themes use {name: ..., ...} for authors
                item = item.get("name") or item.get("title")
            if item is not None:
                out.append(str(item))
        return out
    if isinstance(value, dict) and value.get("name"):
        return [str(value["name"])]
    if isinstance(value, dict) and all(v in (None, "") for v in value.values()):
        # TOML's bare ``[author]`` table, FixIt's and LoveIt's archetype (``author:`` with
        # ``name:``, ``link:``, ``email:`` left empty): no name for the page to show
        return []
    raise MdpaperError(f"front matter key '{key}' must be text or a list", path, line)


#: Hugo's manual summary divider, on a line of its own
_DIVIDER = lazy_pattern(r"^[ \t]*<!--more-->[ \t]*$", re.MULTILINE)
#: lines that start a block an abstract cannot hold (heading, list, quote, code, table,
#: HTML, shortcode, display math, image, rule, footnote or link definition, attributes)
_NOT_PROSE = lazy_pattern(r"^(?: {4}|\t| {0,3}(?:[#>|<{]|[-*+][ \t]|\d+[.)][ \t]|```|~~~|\$\$"
                          r"|\\\[|!\[|\[\^|\[[^\]]*\]:|[-*_](?:[ \t]*[-*_]){2,}[ \t]*$))")


def manual_summary(body: str) -> tuple[str, str, int] | None:
    """Hugo's manual summary: the text before ``<!--more-->``, when it is plain paragraphs
    (an abstract holds no heading, figure or list). Returns the summary, the body with the
    summary's lines and the divider blanked (so every later line keeps its number), and the
    0-based line where the summary starts; None without such a summary."""
    m = _DIVIDER.search(body)
    if m is None:
        return None
    summary = body[: m.start()]
    lines = summary.split("\n")
    if (not summary.strip() or "![" in summary or "[^" in summary
            or any(_NOT_PROSE.match(line) for line in lines if line.strip())):
        return None
    first = next(i for i, line in enumerate(lines) if line.strip())
    blanked = "\n" * body.count("\n", 0, m.end()) + body[m.end():]
    return summary.strip(), blanked, first


def format_date(value: Any) -> str | None:
    """Dates print like a paper's title block: 'March 4, 2024'."""
    if isinstance(value, str):
        try:
            value = _dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        return f"{value:%B} {value.day}, {value.year}"
    return None if value is None else str(value)


def to_meta(data: dict[str, Any], key_lines: dict[str, int], path: Path) -> PaperMeta:
    def line(key: str) -> int | None:
        return key_lines.get(key)

    params: dict[str, Any] = data["params"] if isinstance(data.get("params"), dict) else {}
    authors: list[str] = []
    for key in ("authors", "author"):
        authors += _as_list(data.get(key), key, path, line(key))
    keywords: list[str] = []
    for key in ("keywords", "tags"):
        for word in _as_list(data.get(key), key, path, line(key)):
            if word not in keywords:
                keywords.append(word)
    abstract = _as_text(data.get("summary"), "summary", path, line("summary"))
    if abstract is None:
        abstract = _as_text(data.get("description"), "description", path, line("description"))
    bib = data.get("bibFile", params.get("bibFile"))
    if bib is not None and not isinstance(bib, str):
        raise MdpaperError("front matter key 'bibFile' must be a path", path, line("bibFile"))
    if "bibFile" not in key_lines and "params" in key_lines:
        key_lines = {**key_lines, "bibFile": key_lines["params"]}
    draft = data.get("draft", False)
    info = []
    for key in ("authors", "author"):
        info += author_infos(data.get(key), path, line(key))
    params = {str(k).lower(): v for k, v in data.items()}
    if isinstance(data.get("params"), dict):
        params.update({str(k).lower(): v for k, v in data["params"].items()})
    return PaperMeta(
        title=_as_text(data.get("title"), "title", path, line("title")),
        subtitle=_as_text(data.get("subtitle"), "subtitle", path, line("subtitle")),
        date=format_date(data.get("date")),
        authors=authors,
        abstract=abstract.strip() if abstract else None,
        keywords=keywords,
        bib_file=bib,
        slug=_as_text(data.get("slug"), "slug", path, line("slug")),
        draft=bool(draft),
        author_info=info,
        settings=post_settings(data, key_lines, path),
        key_lines=key_lines,
        params=params,
    )
