"""What Hugo's own config says that changes the meaning of a post.

Read as Hugo reads it (``hugo config`` prints the same merge): the first of
``hugo.toml|yaml|yml|json``, ``config.toml|…`` at the site root, under the files of the
``config/_default/`` folder, under those of ``config/production/`` (what ``hugo`` builds;
``HUGO_ENVIRONMENT`` names another, as for Hugo);
in those folders ``hugo.*``/``config.*`` hold the whole config and any other file the table
of the key it is named after (``params.toml``, ``markup.yaml``, ``menus.en.toml`` for
language ``en``). A theme's config (``theme = "x"``: ``themes/x/``, read the same way)
gives its ``params`` as defaults, and its ``markup`` where the site's ``_merge`` asks for it
(``hugo_modules``: also that of a Wowchemy or Hugo Blox module). What it says:

* ``markup.goldmark.extensions.passthrough`` (when ``enable = true``): which delimiters
  are math, its text raw. Without it Goldmark reads math as Markdown first
  (``markdown.goldmark_escape``): ``$…$``, ``\\\\(…\\\\)``, ``$$…$$`` and ``\\\\[…\\\\]`` are math;
  with no Hugo config at all, every one of ``$…$``, ``\\(…\\)``, ``$$…$$`` and ``\\[…\\]``;
* ``markup.goldmark.parser.autoHeadingIDType``: ``github`` (default), ``github-ascii`` or
  ``blackfriday`` ids for headings, so ``[text](#id)`` links match what the blog makes;
* ``title`` and ``author`` (also ``params.author``, as text or ``{name: …}``): the site's
  title (templates may print it) and the author of posts that name none;
* where site-absolute paths (``/images/x.png``) are served from: ``staticDir`` (default
  ``static``; a later folder wins), or the ``[[module.mounts]]`` whose target is
  ``static…``, then each theme's.

Hugo's keys are case-insensitive; they are compared in lower case here.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from mdpaper.errors import MdpaperError
from mdpaper.files import inside, parse_toml
from mdpaper.patterns import lazy_pattern
from mdpaper.source.heading_ids import HEADING_ID_TYPES
from mdpaper.source.hugo_modules import (
    is_academic_module,
    merged_markup,
    module_markup,
    overlay,
)
from mdpaper.source.page_math import Pairs, renderer_delimiters

NAMES = ("hugo", "config")
SUFFIXES = (".toml", ".yaml", ".yml", ".json")
#: the environment ``hugo`` builds (``hugo server`` builds ``development``), unless set
ENVIRONMENT_VARIABLE, DEFAULT_ENVIRONMENT = "HUGO_ENVIRONMENT", "production"
#: Every delimiter pair mdpaper treats as math when Hugo's config does not say.
DEFAULT_INLINE = (("$", "$"), ("\\(", "\\)"))
DEFAULT_BLOCK = (("$$", "$$"), ("\\[", "\\]"))


#: What is math on a Hugo page without passthrough: the delimiters Goldmark leaves for
#: MathJax, so ``\\(`` in the post (a ``\(`` on the page).
ESCAPED_INLINE = (("$", "$"), ("\\\\(", "\\\\)"))
ESCAPED_BLOCK = (("$$", "$$"), ("\\\\[", "\\\\]"))


@dataclass(frozen=True)
class MathDelimiters:
    inline: Pairs = DEFAULT_INLINE
    block: Pairs = DEFAULT_BLOCK
    #: the math text is Markdown to Goldmark (no passthrough): its escapes apply first
    escaped: bool = False
    #: the pairs, of those above, that passthrough leaves to the page's renderer: their
    #: text is Markdown to Goldmark too
    markdown: Pairs = ()

    def read_by_goldmark(self, matched: str) -> bool:
        """Is the math of this match (the text a math pattern matched, delimiters
        included) Markdown to Goldmark first? Its longest opening delimiter says."""
        if self.escaped or not self.markdown:
            return self.escaped
        text = matched.lstrip(" ")
        opening = max((o for o, _ in (*self.inline, *self.block) if text.startswith(o)),
                      key=len, default=None)
        return any(o == opening for o, _ in self.markdown)


@dataclass
class HugoConfig:
    source: Path | None = None
    title: str | None = None
    author: str | None = None
    math: MathDelimiters = MathDelimiters()
    heading_ids: str = "github"
    #: markup.goldmark.renderer.unsafe: the page shows raw HTML (Hugo's default: omits it)
    raw_html: bool = False
    #: enableInlineShortcodes: a post's {{< x.inline >}} templates run (else show nothing)
    inline_shortcodes: bool = False
    #: markup.goldmark.renderer.hardWraps: each line break of a paragraph shows as one
    hard_wraps: bool = False
    #: markup.goldmark.extensions.strikethrough (on unless turned off): ~x~ and ~~x~~
    strikethrough: bool = True
    #: markup.goldmark.extensions.extras: those turned on (superscript, subscript, mark,
    #: insert, delete; all off by default)
    extras: frozenset[str] = frozenset()
    #: baseURL, and the permalinks config as section -> pattern (for ref/relref)
    base_url: str = "/"
    #: contentDir: where the pages live, relative to the site root
    content_dir: str = "content"
    #: the site's params (keys in lower case, as Hugo reads them)
    params: dict[str, Any] = field(default_factory=dict)
    permalinks: dict[str, str] = field(default_factory=dict)
    #: markup.goldmark.parser.attribute.block: a {.class #id} line dresses the block above
    block_attributes: bool = False
    #: enableEmoji: :smile: in the text shows as its glyph
    emoji: bool = False
    #: buildDrafts: the site publishes pages marked draft
    build_drafts: bool = False
    #: (URL prefix, folder) pairs serving site-absolute paths, the winning one first
    static: list[tuple[str, Path]] = field(default_factory=list)
    #: language -> its own params (``[languages.de.params]``, ``params.de.toml``)
    language_params: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: the languages the site configures (``[languages.de]``), in lower case
    language_names: set[str] = field(default_factory=set)
    #: language -> its own content folder (``[languages.de] contentDir``): its pages
    language_dirs: dict[str, str] = field(default_factory=dict)
    #: language -> its own languageCode (``[languages.de] languageCode = "de-CH"``)
    language_codes: dict[str, str] = field(default_factory=dict)
    default_language: str = "en"
    #: the site's languageCode (BCP-47), the language of its pages (document.language)
    language_code: str = ""
    #: themes and modules the config names that are not on disk (a git submodule not
    #: checked out, a Hugo module): shortcodes of theirs may be used, unseen
    themes_missing: tuple[str, ...] = ()
    #: one of those is a Wowchemy or Hugo Blox module: its shortcodes are the site's
    hugo_blox: bool = False
    #: the theme folders the config names, the one that wins first (``theme = ["a", "b"]``:
    #: a's templates before b's), with the themes they name in turn
    themes: tuple[Path, ...] = ()

    def params_for(self, language: str | None) -> dict[str, Any]:
        """The site params a page of ``language`` sees (its language's own win)."""
        own = self.language_params.get((language or self.default_language).lower(), {})
        return overlay(self.params, own)


def config_files(root: Path) -> list[Path]:
    """Every file that may hold the site's Hugo config (for change stamps): the site's
    and each theme's under ``themes/``."""
    folders = [root, *sorted(p for p in (root / "themes").glob("*") if p.is_dir())]
    found = []
    for folder in folders:
        found += [folder / f"{n}{s}" for n in NAMES for s in SUFFIXES]
        found += _folder_files(folder)
    return found


def _folder_files(folder: Path) -> list[Path]:
    """The files of ``config/_default/`` then ``config/<environment>/`` (later ones win)."""
    found: list[Path] = []
    for env in ("_default", os.environ.get(ENVIRONMENT_VARIABLE) or DEFAULT_ENVIRONMENT):
        env_dir = folder / "config" / env
        if env_dir.is_dir():
            found += sorted(p for p in env_dir.iterdir() if p.suffix in SUFFIXES and p.is_file())
    return found


def _read_folder_config(folder: Path) -> tuple[dict[str, Any], Path | None]:
    """A site's (or theme's) merged config and the first file it came from."""
    root_file = next((folder / f"{n}{s}" for n in NAMES for s in SUFFIXES
                      if (folder / f"{n}{s}").is_file()), None)  # only the first one
    data: dict[str, Any] = {}
    files = ([root_file] if root_file else []) + _folder_files(folder)
    for path in files:
        part = _parse(path)
        if path.parent.parent.name == "config" and path.stem.split(".")[0] not in NAMES:
            key, _, language = path.stem.lower().partition(".")
            part = {"languages": {language: {key: part}}} if language else {key: part}
        data = overlay(data, part)
    return data, files[0] if files else None


def _themes(root: Path, data: dict[str, Any]) -> list[tuple[Path, dict[str, Any]]]:
    """The theme folders the config names (``theme``, and ``module.imports`` of a local
    theme), with the themes they name in turn, in precedence order, and their configs."""
    found: list[tuple[Path, dict[str, Any]]] = []
    pending = [data]
    while pending:
        config = pending.pop(0)
        for name in _theme_names(config):
            folder = root / "themes" / name
            if folder.is_dir() and inside(root, folder) and all(f != folder for f, _ in found):
                found.append((folder, _read_folder_config(folder)[0]))
                pending.append(found[-1][1])
    return found


def _theme_names(config: dict[str, Any]) -> list[str]:
    """The themes one config names: ``theme`` (a name or a list), ``module.imports``."""
    names = config.get("theme")
    found = [names] if isinstance(names, str) else [str(n) for n in names or []]
    imports = _get(config, "module.imports")
    for item in imports if isinstance(imports, list) else []:
        if isinstance(item, dict) and isinstance(item.get("path"), str):
            found.append(item["path"])
    return found


def _missing_themes(root: Path, data: dict[str, Any]) -> tuple[str, ...]:
    """The themes the site's config names that have no folder (or an empty one, as git
    leaves a submodule it did not check out) under ``themes/``."""
    themes = root / "themes"
    return tuple(name for name in _theme_names(data)
                 if not (themes / name).is_dir() or not any((themes / name).iterdir()))


def _static_dirs(folder: Path, data: dict[str, Any]) -> list[tuple[str, Path]]:
    """(URL prefix, folder) pairs of one site or theme, the winning one first: its mounts
    whose target is ``static…`` (they replace the default), else ``staticDir``; of two
    that serve the same path, the later one wins (as Hugo publishes them)."""
    mounts = _get(data, "module.mounts")
    pairs = []
    for mount in mounts if isinstance(mounts, list) else []:
        target = str(mount.get("target", "")).strip("/") if isinstance(mount, dict) else ""
        if target == "static" or target.startswith("static/"):
            pairs.append((target.removeprefix("static").strip("/"),
                          folder / str(mount.get("source", ""))))
    if not pairs:
        dirs = data.get("staticdir") or ["static"]
        pairs = [("", folder / str(d)) for d in ([dirs] if isinstance(dirs, str) else dirs)]
    return [(prefix, path) for prefix, path in reversed(pairs) if inside(folder, path)]


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
    data, source = _read_folder_config(root)
    static = _static_dirs(root, data)
    missing = _missing_themes(root, data)
    themes = _themes(root, data)
    markup = merged_markup(data, [
        *(t["markup"] for _, t in themes if isinstance(t.get("markup"), dict)),
        *(module_markup(root, name) for name in missing)])
    if markup:
        data["markup"] = markup
    for theme, theme_data in themes:
        static += _static_dirs(theme, theme_data)
        defaults = {k: theme_data[k] for k in ("params", "languages") if isinstance(
            theme_data.get(k), dict)}  # what a theme may configure, as the site's defaults
        data = overlay(defaults, data)
    config = HugoConfig(source=source, static=static, themes_missing=missing,
                        hugo_blox=any(map(is_academic_module, missing)),
                        themes=tuple(folder for folder, _ in themes))
    if source is not None:  # a Hugo site: math is Markdown unless passthrough says not
        config.math = MathDelimiters(ESCAPED_INLINE, ESCAPED_BLOCK, escaped=True)
    if not data:
        return config
    _languages(config, data)
    config.title = str(data["title"]) if data.get("title") else None
    author = _get(data, "params.author") or data.get("author")
    if isinstance(author, dict):
        author = author.get("name")
    elif isinstance(author, list):
        author = author[0] if author else None
    config.author = str(author) if author else None
    id_type = (_get(data, "markup.goldmark.parser.autoidtype")  # its newer name
               or _get(data, "markup.goldmark.parser.autoheadingidtype"))
    if id_type:
        if id_type not in HEADING_ID_TYPES:
            raise MdpaperError(f"autoHeadingIDType '{id_type}' is not one of "
                               f"{', '.join(HEADING_ID_TYPES)}", source)
        config.heading_ids = id_type
    config.raw_html = _get(data, "markup.goldmark.renderer.unsafe") is True
    config.hard_wraps = _get(data, "markup.goldmark.renderer.hardwraps") is True
    config.inline_shortcodes = _get(data, "enableinlineshortcodes") is True
    config.strikethrough = _get(data, "markup.goldmark.extensions.strikethrough") is not False
    extras = _get(data, "markup.goldmark.extensions.extras")
    config.extras = frozenset(name for name, table in (extras or {}).items()
                              if isinstance(table, dict) and table.get("enable") is True)
    config.base_url = str(data.get("baseurl") or "/")
    config.content_dir = str(data.get("contentdir") or "content")
    config.params = data["params"] if isinstance(data.get("params"), dict) else {}
    config.permalinks = _permalink_patterns(data.get("permalinks"))
    config.block_attributes = _get(data, "markup.goldmark.parser.attribute.block") is True
    config.emoji = data.get("enableemoji") is True
    config.build_drafts = data.get("builddrafts") is True
    passthrough = _get(data, "markup.goldmark.extensions.passthrough")
    if isinstance(passthrough, dict) and passthrough.get("enable"):
        delims = passthrough.get("delimiters") or {}
        config.math = _with_page_renderer(root, _pairs(delims.get("inline"), source),
                                          _pairs(delims.get("block"), source))
    return config


def _with_page_renderer(root: Path, inline: Pairs, block: Pairs) -> MathDelimiters:
    """The passthrough pairs (their text raw), and the ones the page's MathJax or KaTeX
    finds in the text Goldmark outputs (``\\\\[…\\\\]`` in the post is ``\\[…\\]`` there)."""
    page_inline, page_display = renderer_delimiters(root)
    passed = set(inline) | set(block)
    more_inline = tuple(p for p in map(_as_written, page_inline) if p not in passed)
    more_block = tuple(p for p in map(_as_written, page_display) if p not in passed)
    return MathDelimiters(inline=inline + more_inline, block=block + more_block,
                          markdown=more_inline + more_block)


#: a backslash before ASCII punctuation, which Goldmark reads as an escape
_ESCAPABLE = lazy_pattern(r"\\(?=[!-/:-@\[-`{-~])")


def _as_written(pair: tuple[str, str]) -> tuple[str, str]:
    """What a post says for Goldmark to output this delimiter pair: a backslash before ASCII
    punctuation doubled (Goldmark reads ``\\(`` as an escaped parenthesis)."""
    return _ESCAPABLE.sub(r"\\\\", pair[0]), _ESCAPABLE.sub(r"\\\\", pair[1])


def _permalink_patterns(value: Any) -> dict[str, str]:
    """``permalinks`` as section -> pattern: Hugo's older flat form (``posts = "..."``) or
    its newer one by kind (``[permalinks.page] posts = "..."``)."""
    if not isinstance(value, dict):
        return {}
    by_kind = value.get("page")
    pages: dict[str, Any] = by_kind if isinstance(by_kind, dict) else value
    return {str(k): v for k, v in pages.items() if isinstance(v, str)}


def _languages(config: HugoConfig, data: dict[str, Any]) -> None:
    config.default_language = str(data.get("defaultcontentlanguage") or "en").lower()
    config.language_code = str(data.get("languagecode") or "")
    languages = data.get("languages")
    for name, table in (languages.items() if isinstance(languages, dict) else ()):
        if not isinstance(table, dict):
            continue
        config.language_names.add(str(name).lower())
        if isinstance(table.get("params"), dict):
            config.language_params[str(name).lower()] = table["params"]
        for key, found in (("contentdir", config.language_dirs),
                           ("languagecode", config.language_codes)):
            if isinstance(table.get(key), str) and table[key].strip():
                found[str(name).lower()] = table[key].strip()


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
