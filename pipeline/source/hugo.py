"""What Hugo's own config says that changes the meaning of a post.

Read from ``hugo.toml|yaml|yml|json`` or ``config.toml|…`` at the site root, or from
``config/_default/`` (``hugo.*``/``config.*`` and the ``markup.*``/``params.*`` files):

* ``markup.goldmark.extensions.passthrough`` (when ``enable = true``): which delimiters
  are math. Without it every one of ``$…$``, ``\\(…\\)``, ``$$…$$`` and ``\\[…\\]`` is math;
* ``markup.goldmark.parser.autoHeadingIDType``: ``github`` (default), ``github-ascii`` or
  ``blackfriday`` ids for headings, so ``[text](#id)`` links match what the blog makes;
* ``title`` and ``author`` (also ``params.author``, as text or ``{name: …}``): the site's
  title (templates may print it) and the author of posts that name none.

Hugo's keys are case-insensitive; they are compared in lower case here.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from mdpaper.errors import MdpaperError
from mdpaper.files import parse_toml

NAMES = ("hugo", "config")
SUFFIXES = (".toml", ".yaml", ".yml", ".json")
HEADING_ID_TYPES = ("github", "github-ascii", "blackfriday")
#: Every delimiter pair mdpaper treats as math when Hugo's config does not say.
DEFAULT_INLINE = (("$", "$"), ("\\(", "\\)"))
DEFAULT_BLOCK = (("$$", "$$"), ("\\[", "\\]"))


@dataclass(frozen=True)
class MathDelimiters:
    inline: tuple[tuple[str, str], ...] = DEFAULT_INLINE
    block: tuple[tuple[str, str], ...] = DEFAULT_BLOCK


@dataclass
class HugoConfig:
    source: Path | None = None
    title: str | None = None
    author: str | None = None
    math: MathDelimiters = MathDelimiters()
    heading_ids: str = "github"
    #: markup.goldmark.renderer.unsafe: the page shows raw HTML (Hugo's default: omits it)
    raw_html: bool = False
    #: baseURL, and the permalinks config as section -> pattern (for ref/relref)
    base_url: str = "/"
    #: contentDir: where the pages live, relative to the site root
    content_dir: str = "content"
    #: the site's params (keys in lower case, as Hugo reads them)
    params: dict[str, Any] = field(default_factory=dict)
    permalinks: dict[str, str] = field(default_factory=dict)
    #: markup.goldmark.parser.attribute.block: a {.class #id} line dresses the block above
    block_attributes: bool = False


def config_files(root: Path) -> list[Path]:
    found = [root / f"{n}{s}" for n in NAMES for s in SUFFIXES]
    default = root / "config" / "_default"
    found += [default / f"{n}{s}" for n in (*NAMES, "markup", "params") for s in SUFFIXES]
    return found


def _parse(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise MdpaperError(f"cannot read Hugo config: {exc}", path) from None
    if path.suffix == ".toml":
        data: Any = parse_toml(text, path, what="in Hugo config")
    else:
        try:
            data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
        except (ValueError, yaml.YAMLError) as exc:
            mark = getattr(exc, "problem_mark", None)
            line = getattr(exc, "lineno", None) or (mark.line + 1 if mark is not None else None)
            raise MdpaperError(f"cannot read Hugo config: {str(exc).splitlines()[0]}", path,
                               line) from None
    return _lower(data) if isinstance(data, dict) else {}


def _lower(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k).lower(): _lower(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_lower(v) for v in value]
    return value


def _get(data: dict[str, Any], dotted: str) -> Any:
    value: Any = data
    for part in dotted.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def load_hugo_config(root: Path) -> HugoConfig:
    data: dict[str, Any] = {}
    source = None
    for path in config_files(root):
        if not path.is_file():
            continue
        part = _parse(path)
        if path.parent.name == "_default" and path.stem in ("markup", "params"):
            part = {path.stem: part}
        source = source or path
        _merge(data, part)
    config = HugoConfig(source=source)
    if not data:
        return config
    config.title = str(data["title"]) if data.get("title") else None
    author = _get(data, "params.author") or data.get("author")
    if isinstance(author, dict):
        author = author.get("name")
    elif isinstance(author, list):
        author = author[0] if author else None
    config.author = str(author) if author else None
    id_type = _get(data, "markup.goldmark.parser.autoheadingidtype")
    if id_type:
        if id_type not in HEADING_ID_TYPES:
            raise MdpaperError(f"autoHeadingIDType '{id_type}' is not one of "
                               f"{', '.join(HEADING_ID_TYPES)}", source)
        config.heading_ids = id_type
    config.raw_html = _get(data, "markup.goldmark.renderer.unsafe") is True
    config.base_url = str(data.get("baseurl") or "/")
    config.content_dir = str(data.get("contentdir") or "content")
    config.params = data["params"] if isinstance(data.get("params"), dict) else {}
    config.permalinks = _permalink_patterns(data.get("permalinks"))
    config.block_attributes = _get(data, "markup.goldmark.parser.attribute.block") is True
    passthrough = _get(data, "markup.goldmark.extensions.passthrough")
    if isinstance(passthrough, dict) and passthrough.get("enable"):
        delims = passthrough.get("delimiters") or {}
        config.math = MathDelimiters(inline=_pairs(delims.get("inline"), source),
                                     block=_pairs(delims.get("block"), source))
    return config


def _permalink_patterns(value: Any) -> dict[str, str]:
    """``permalinks`` as section -> pattern: Hugo's older flat form (``posts = "..."``) or
    its newer one by kind (``[permalinks.page] posts = "..."``)."""
    if not isinstance(value, dict):
        return {}
    by_kind = value.get("page")
    pages: dict[str, Any] = by_kind if isinstance(by_kind, dict) else value
    return {str(k): v for k, v in pages.items() if isinstance(v, str)}


def _merge(into: dict[str, Any], part: dict[str, Any]) -> None:
    for key, value in part.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into.setdefault(key, value)


def _pairs(value: Any, source: Path | None) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    pairs = []
    for pair in value if isinstance(value, list) else []:
        if (not isinstance(pair, list) or len(pair) != 2
                or not all(isinstance(p, str) and p for p in pair)):
            raise MdpaperError(f"passthrough delimiter {pair!r} must be a pair of strings, "
                               'e.g. ["$", "$"]', source)
        pairs.append((pair[0], pair[1]))
    return tuple(pairs)


# --- heading ids --------------------------------------------------------------------------

def _remove_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn"))


def heading_slug(text: str, id_type: str = "github") -> str:
    """A heading's automatic id the way Hugo makes it for ``autoHeadingIDType``."""
    if id_type == "blackfriday":
        out: list[str] = []
        dash = False
        for ch in text:
            if ch.isalpha() or ch.isdigit():
                if dash and out:
                    out.append("-")
                dash = False
                out.append(ch.lower())
            else:
                dash = True
        return "".join(out)
    ascii_only = id_type == "github-ascii"
    if ascii_only:
        text = _remove_accents(text)
    out = []
    for ch in text.strip():
        if ascii_only and ord(ch) > 127:
            continue
        if ch in " -\t":
            out.append("-")
        elif ch.isalnum() or ch == "_":
            out.append(ch.lower())
    return "".join(out)
