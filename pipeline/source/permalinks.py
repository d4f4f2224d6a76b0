"""Where Hugo publishes a page: ``ref``/``relref`` targets found the way Hugo finds them, and
the permalink each gets (``baseURL`` + section + slug, or the site's ``permalinks``
patterns), so a link to another post of the blog is a working link in the paper.

Hugo's rules, as its documentation states them: a path (with or without its ``.md``)
starting with ``/`` is relative to ``content/``; other paths are tried relative to the
current page's folder, then from ``content/``; a bare name matches a page of that file or
bundle name anywhere. A page's URL is its section and its slug (the ``slug`` front matter
key, else the file or bundle name), unless ``url`` is set or the site's ``permalinks`` map
the section to a pattern.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mdpaper.errors import MdpaperError
from mdpaper.files import inside
from mdpaper.patterns import lazy_pattern
from mdpaper.source.frontmatter import read_post_text, split_front_matter
from mdpaper.source.hugo import HugoConfig

_PATTERN_TOKEN = lazy_pattern(r":(year|month|day|slug|title|filename|section|contentbasename)")


@dataclass
class Permalinks:
    """Resolves ``ref``/``relref`` targets for the pages of one site."""

    content: Path
    base_url: str = "/"
    #: section -> pattern, from the site config's ``permalinks``
    patterns: dict[str, str] = field(default_factory=dict)
    #: the site's languages: a code before a page's extension (``a.zh.md``) is one
    languages: frozenset[str] = frozenset()
    #: language -> its own content folder (``[languages.zh] contentDir``), where a path
    #: from ``/`` starts for its pages
    language_roots: dict[str, Path] = field(default_factory=dict)

    def find(self, target: str, current: Path, line: int | None) -> Path:
        """The content file ``target`` names, seen from the page ``current``; a located
        error (with a did-you-mean) when there is none, as Hugo refuses to build then."""
        name = self._without_language(target.split("#", 1)[0].strip())
        candidates = self._candidates(name, current)
        if name.endswith(".md"):  # Hugo finds "/posts/b.md" as the bundle posts/b/index.md
            candidates += [c.with_suffix("") for c in candidates]
        for candidate in candidates:
            if candidate.is_file():
                return candidate.resolve()
            if (candidate / "index.md").is_file():
                return (candidate / "index.md").resolve()
            if (candidate / "_index.md").is_file():
                return (candidate / "_index.md").resolve()
            # a path without its extension ("posts/p") names the page file posts/p.md
            if not name.endswith(".md") and candidate.with_name(candidate.name + ".md").is_file():
                return candidate.with_name(candidate.name + ".md").resolve()
        pages = self._pages()
        stem = Path(name).stem
        by_name = [p for p in pages if _page_name(p) == stem]
        if not name.startswith("/") and "/" not in name and len(by_name) == 1:
            return by_name[0]
        names = sorted({str(p.relative_to(self.content)) for p in pages})
        close = difflib.get_close_matches(name.lstrip("/"), names, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise MdpaperError(f"ref to '{target}': no such page in {self.content}{hint}",
                           current, line)

    def url(self, page: Path, *, absolute: bool) -> str:
        """The page's permalink (``ref``) or its path on the site (``relref``)."""
        path = self.page_path(page)
        return self.base_url.rstrip("/") + path if absolute else self._site_path(path)

    def page_path(self, page: Path) -> str:
        """The page's path under the site's base (``/posts/p/``), from which its relative
        links are resolved as a browser resolves them."""
        data = front_matter(page)
        relative = page.relative_to(self.content.resolve())
        section = relative.parts[0] if len(relative.parts) > 1 else ""
        if isinstance(data.get("url"), str):
            path = "/" + data["url"].strip("/") + "/"
        elif section in self.patterns:
            path = self._expand(self.patterns[section], page, data, section)
        else:
            bundle = page.stem in ("index", "_index")
            folder = relative.parent.parent if bundle else relative.parent
            slug = str(data.get("slug") or _page_name(page))
            path = "/" + "/".join([*folder.parts, slug]).strip("/") + "/"
            if page.stem == "_index":
                path = "/" + "/".join(relative.parent.parts) + "/"
        return re.sub(r"/{2,}", "/", path)

    def _site_path(self, path: str) -> str:
        # relref gives the path under baseURL's own path (a site served from /blog/)
        return self.base_path() + path

    def base_path(self) -> str:
        """baseURL's own path without its end slash (``/blog`` for ``https://x.org/blog/``)."""
        return re.sub(r"^[a-z]+://[^/]*", "", self.base_url).rstrip("/")

    def _without_language(self, name: str) -> str:
        """``/post/a.zh.md`` names the page ``/post/a.md`` (Hugo reads a language code
        before the extension as the page's language, not its name)."""
        m = re.fullmatch(r"(.+)\.([A-Za-z-]+)\.md", name)
        return m.group(1) + ".md" if m and m.group(2).lower() in self.languages else name

    def _candidates(self, name: str, current: Path) -> list[Path]:
        roots = [root for root in self.language_roots.values() if inside(root, current)]
        roots.append(self.content)
        if name.startswith("/"):
            return [root / name.lstrip("/") for root in roots]
        folder = current.parent  # a bundle's folder for its index.md; siblings are one up
        return [folder / name, *(root / name for root in roots), folder.parent / name]

    def _pages(self) -> list[Path]:
        return sorted(p.resolve() for p in self.content.rglob("*.md"))

    def _expand(self, pattern: str, page: Path, data: dict[str, Any], section: str) -> str:
        day = _date(data.get("date"))
        values = {"year": f"{day.year:04d}" if day else "", "month": f"{day.month:02d}" if day
                  else "", "day": f"{day.day:02d}" if day else "",
                  "slug": str(data.get("slug") or _page_name(page)),
                  "title": _urlize(str(data.get("title") or _page_name(page))),
                  "filename": _page_name(page), "contentbasename": _page_name(page),
                  "section": section}
        return "/" + _PATTERN_TOKEN.sub(lambda m: values[m.group(1)], pattern).strip("/") + "/"


def site_permalinks(root: Path, config: HugoConfig | None) -> Permalinks:
    """Where the site's pages are published; without a content folder (a folder of posts
    that is not a whole Hugo site) the pages are the files under the site root."""
    content = root / (config.content_dir if config else "content")
    if config is None:
        return Permalinks(content if content.is_dir() else root)
    roots = {name: root / folder for name, folder in config.language_dirs.items()}
    return Permalinks(content if content.is_dir() else root, config.base_url, config.permalinks,
                      frozenset(config.language_names), roots)


def _page_name(page: Path) -> str:
    """A page's own name: its file's stem, or its bundle's folder for index.md."""
    return page.parent.name if page.stem in ("index", "_index") else page.stem.split(".")[0]


def front_matter(page: Path) -> dict[str, Any]:
    """A page's front matter, its keys lower-cased as Hugo reads them."""
    data, _body, _line, _keys = split_front_matter(read_post_text(page), page)
    return {str(k).lower(): v for k, v in data.items()}


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _urlize(text: str) -> str:
    return re.sub(r"[^\w-]+", "-", text.lower()).strip("-")
