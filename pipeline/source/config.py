"""Settings: site defaults, the post's own choices, the command line, in that order.

Three places can choose the template, engine, citation style and output folder of a post:

1. the site: ``mdpaper.toml`` at the site root (top-level keys), else ``[tool.mdpaper]`` in
   the site's ``pyproject.toml``;
2. the post's front matter: ``mdpaper: {template: …}`` (or ``paper:``);
3. the command line (``--template``, ``--engine``, ``--citation-style``, ``-o``).

A later place overrides an earlier one; ``resolve_settings`` says where each value came
from (``mdpaper build -v`` prints it). Hugo's own config (``hugo.toml`` …) is read by
``mdpaper.source.hugo`` for what changes the meaning of the post (math delimiters, heading ids).
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mdpaper.document.templates import find_template
from mdpaper.errors import MdpaperError
from mdpaper.files import parse_toml
from mdpaper.model import AuthorInfo, Post
from mdpaper.patterns import lazy_pattern
from mdpaper.source import hugo
from mdpaper.source.papers import PapersConfig, read_papers_table
from mdpaper.tex.engines import DEFAULT_ENGINE, ENGINE_CHOICES

ENGINES = ENGINE_CHOICES
CITATION_STYLES = ("author-year", "numeric")
#: Keys a site config may set, and the ones a post may set in its ``mdpaper:`` mapping.
SITE_KEYS = ("template", "engine", "citation-style", "lone-formulas", "output", "authors",
             "papers")
POST_KEYS = ("template", "engine", "citation-style", "lone-formulas")
DEFAULTS: dict[str, str] = {"template": "article", "engine": DEFAULT_ENGINE,
                            "citation-style": "author-year", "lone-formulas": "display"}
#: a paragraph that is one inline formula (the page shows it on a line of its own): set as
#: display math, as a paper would, or left inline as written
LONE_FORMULAS = ("display", "inline")
_ORCID = lazy_pattern(r"^(?:https?://orcid\.org/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$")


@dataclass
class SiteConfig:
    """What the site says: mdpaper defaults and Hugo's settings (see ``mdpaper.source.hugo``)."""

    root: Path
    #: ``template``, ``engine``, ``citation-style``, ``output`` (validated, as written)
    values: dict[str, Any] = field(default_factory=dict)
    #: file the values came from (mdpaper.toml or pyproject.toml), for messages
    source: Path | None = None
    #: author name -> details, from ``[authors."Name"]``
    authors: dict[str, AuthorInfo] = field(default_factory=dict)
    hugo: Any = None  # mdpaper.source.hugo.HugoConfig
    #: ``[papers]``: where ``mdpaper build content/`` publishes, which sections opt in
    papers: PapersConfig = field(default_factory=PapersConfig)


@dataclass
class Settings:
    """The effective settings of one post."""

    template: str = DEFAULTS["template"]
    engine: str = DEFAULTS["engine"]
    citation_style: str = DEFAULTS["citation-style"]
    lone_formulas: str = DEFAULTS["lone-formulas"]
    #: output folder (``None``: ``output/`` in the site root)
    output: Path | None = None
    #: the template folder ``template`` resolved to
    template_dir: Path | None = None
    #: key -> "default" | "site config (FILE)" | "front matter" | "command line"
    origin: dict[str, str] = field(default_factory=dict)

    def describe(self) -> list[str]:
        rows = [("template", self.template), ("engine", self.engine),
                ("citation-style", self.citation_style),
                ("lone-formulas", self.lone_formulas), ("output", self.output)]
        return [f"{key} = {value} ({self.origin.get(key, 'default')})"
                for key, value in rows if value is not None]


# --- reading ----------------------------------------------------------------------------

def _read_toml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise MdpaperError(f"cannot read site config: {exc}", path) from None
    return parse_toml(text, path)


def has_pyproject_section(folder: Path) -> bool:
    path = folder / "pyproject.toml"
    if not path.is_file():
        return False
    try:
        return "mdpaper" in tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False


_CACHE: dict[tuple[Path, tuple[float, ...]], SiteConfig] = {}


def load_site_config(root: Path) -> SiteConfig:
    """The site's mdpaper defaults and Hugo config (cached until one of the files changes)."""
    files = [root / "mdpaper.toml", root / "pyproject.toml", *hugo.config_files(root)]
    stamp = tuple(f.stat().st_mtime if f.is_file() else -1.0 for f in files)
    cached = _CACHE.get((root, stamp))
    if cached is not None:
        return cached
    config = SiteConfig(root=root, hugo=hugo.load_hugo_config(root))
    data: dict[str, Any] | None = None
    if (root / "mdpaper.toml").is_file():
        config.source = root / "mdpaper.toml"
        data = _read_toml(config.source)
    elif (root / "pyproject.toml").is_file():
        tool = _read_toml(root / "pyproject.toml").get("tool", {})
        if isinstance(tool, dict) and isinstance(tool.get("mdpaper"), dict):
            config.source, data = root / "pyproject.toml", tool["mdpaper"]
    if data is not None:
        _validate_site(config, data)
    _CACHE[(root, stamp)] = config
    return config


def _validate_site(config: SiteConfig, data: dict[str, Any]) -> None:
    source = config.source
    for key, value in data.items():
        if key not in SITE_KEYS:
            close = difflib.get_close_matches(key, SITE_KEYS, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise MdpaperError(f"unknown setting '{key}' (known: {', '.join(SITE_KEYS)}){hint}",
                               source, _key_line(source, key))
        if key == "authors":
            if not isinstance(value, dict):
                raise MdpaperError("'authors' must be a table of author names", source,
                                   _key_line(source, key))
            for name, details in value.items():
                found = _author(dict(details, name=name) if isinstance(details, dict) else None,
                                source, _key_line(source, name))
                if found is None:
                    raise MdpaperError(f"author '{name}' must be a table (affiliation, email, "
                                       "orcid)", source, _key_line(source, name))
                config.authors[name] = found
            continue
        if key == "papers":
            config.papers = read_papers_table(value, config.root, source, _key_line(source, key))
            continue
        config.values[key] = check_value(key, value, source, _key_line(source, key))


def _key_line(path: Path | None, key: str) -> int | None:
    if path is None:
        return None
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    pattern = re.compile(r'^\s*(\[[^\]]*)?["\']?' + re.escape(key) + r'["\']?\s*[=\].]')
    return next((i for i, line in enumerate(lines, 1) if pattern.match(line)), None)


def check_value(key: str, value: Any, path: Path | str | None, line: int | None) -> Any:
    """Validate one setting's value; raise a located error naming the choices."""
    if not isinstance(value, str) or not value.strip():
        raise MdpaperError(f"setting '{key}' must be text", path, line)
    choices = {"engine": ENGINES, "citation-style": CITATION_STYLES,
               "lone-formulas": LONE_FORMULAS}.get(key)
    if choices and value not in choices:
        raise MdpaperError(f"{key} '{value}' is not one of {', '.join(choices)}", path, line)
    return value


# --- front matter ---------------------------------------------------------------------

def post_settings(data: dict[str, Any], key_lines: dict[str, int], path: Path) -> dict[str, Any]:
    """The front matter's ``mdpaper:`` (or ``paper:``) mapping, validated."""
    for key in ("mdpaper", "paper"):
        block = data.get(key)
        if block is None:
            continue
        line = key_lines.get(key)
        if key == "paper" and isinstance(block, bool):
            continue  # paper: true|false opts in or out of the site's papers (source.papers)
        if not isinstance(block, dict):
            raise MdpaperError(f"front matter key '{key}' must be a mapping "
                               "(e.g. template: arxiv)" + " or true/false" * (key == "paper"),
                               path, line)
        out = {}
        for name, value in block.items():
            name = str(name).replace("_", "-").lower()
            if name == "citationstyle":
                name = "citation-style"
            if name in POST_KEYS:
                out[name] = check_value(name, value, path, key_lines.get(name, line))
        return out
    return {}


def _as_strings(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    return [str(value).strip()] if str(value).strip() else []


def _author(item: dict[str, Any] | None, path: Path | None, line: int | None
            ) -> AuthorInfo | None:
    if not isinstance(item, dict):
        return None
    name = item.get("name") or item.get("title")
    if not name:
        return None
    affiliations = _as_strings(item.get("affiliations")) + _as_strings(item.get("affiliation"))
    orcid = item.get("orcid")
    if orcid is not None:
        m = _ORCID.match(str(orcid).strip())
        if not m:
            raise MdpaperError(f"ORCID '{orcid}' of {name} is not of the form "
                               "0000-0000-0000-0000", path, line)
        orcid = m.group(1)
    email = str(item["email"]).strip() if item.get("email") else None
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise MdpaperError(f"e-mail address '{email}' of {name} looks wrong", path, line)
    return AuthorInfo(name=str(name), affiliations=affiliations, email=email, orcid=orcid)


def author_infos(value: Any, path: Path, line: int | None) -> list[AuthorInfo]:
    """Authors given as mappings in the front matter (``authors: [{name, affiliation}]``)."""
    items = value if isinstance(value, list) else [value]
    found = []
    for item in items:
        info = _author(item, path, line)
        if info is not None:
            found.append(info)
    return found


def authors_for(post: Post) -> list[AuthorInfo]:
    """Every author of the post, with details from the front matter, else the site config.

    Without any author in the front matter, the site's Hugo ``author`` is the author.
    """
    site: SiteConfig | None = post.site
    names = list(post.meta.authors)
    if not names and site is not None and site.hugo is not None and site.hugo.author:
        names = [site.hugo.author]
    given = {a.name: a for a in post.meta.author_info}
    known = site.authors if site is not None else {}
    out = []
    for name in names:
        mine, theirs = given.get(name), known.get(name)
        out.append(AuthorInfo(
            name=name,
            affiliations=(mine.affiliations if mine and mine.affiliations
                          else theirs.affiliations if theirs else []),
            email=(mine.email if mine and mine.email else theirs.email if theirs else None),
            orcid=(mine.orcid if mine and mine.orcid else theirs.orcid if theirs else None),
        ))
    return out


# --- resolution -----------------------------------------------------------------------

def resolve_settings(post: Post, *, template: str | None = None, engine: str | None = None,
                     citation_style: str | None = None, output: Path | None = None) -> Settings:
    """Defaults < site config < front matter < command line (arguments given here)."""
    site: SiteConfig | None = post.site
    layers: list[tuple[str, dict[str, Any], Path]] = []
    if site is not None and site.values:
        layers.append((f"site config {site.source}", site.values, post.site_root))
    layers.append(("front matter", post.meta.settings, post.site_root))
    cli = {"template": template, "engine": engine, "citation-style": citation_style,
           "output": output}
    layers.append(("command line", {k: v for k, v in cli.items() if v is not None}, Path.cwd()))
    chosen: dict[str, Any] = dict(DEFAULTS)
    origin = {key: "default" for key in DEFAULTS}
    base: dict[str, Path] = {}
    for name, values, folder in layers:
        for key, value in values.items():
            chosen[key], origin[key], base[key] = value, name, folder
    settings = Settings(template=str(chosen["template"]), engine=str(chosen["engine"]),
                        citation_style=str(chosen["citation-style"]),
                        lone_formulas=str(chosen["lone-formulas"]), origin=origin)
    if cli["engine"] is not None:
        check_value("engine", engine, None, None)
    if "output" in chosen:
        out = Path(chosen["output"]).expanduser()
        settings.output = out if out.is_absolute() else base["output"] / out
    settings.template_dir = find_template(
        settings.template, base=base.get("template", post.site_root), site_root=post.site_root,
        confined=origin["template"] == "front matter",
        where=(post.path, post.meta.key_lines.get("mdpaper") or post.meta.key_lines.get("paper"))
        if origin["template"] == "front matter" else (None, None),
        usage=origin["template"] == "command line")
    return settings

