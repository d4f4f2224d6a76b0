"""Other pages of the site that academic themes (Wowchemy, Hugo Blox, Academic) show parts
of in a post.

* Author names: the front matter's ``authors`` are terms of an ``authors`` taxonomy
  (``admin``, ``jane-doe``), and the page prints each term page's title, set in
  ``content/authors/TERM/_index.md`` (the profile: "Jane Doe"), or the term as written when
  there is no such page.
* Publications: Hugo Blox's ``{{< cite page="/publication/x" >}}`` shows the front matter
  of that page (``content/publication/x/index.md``) as a citation.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from mdpaper.patterns import lazy_pattern
from mdpaper.source.frontmatter import read_post_text, split_front_matter

#: what Hugo's urlize drops from a term on its way to the term page's path
_NOT_IN_PATH = lazy_pattern(r"[^\w.~-]+")


def term_path(term: str) -> str:
    """The folder of ``term``'s page, as Hugo's ``urlize`` makes it (lower case, spaces as
    hyphens)."""
    return _NOT_IN_PATH.sub("", re.sub(r"\s+", "-", term.strip().lower()))


def display_name(site_root: Path, term: str) -> str:
    """The name the page shows for the author ``term``: the profile page's ``linkTitle`` or
    ``title``, else the term itself."""
    folder = term_path(term)
    if not folder:
        return term
    profile = site_root / "content" / "authors" / folder / "_index.md"
    if not profile.is_file():
        return term
    data = _front_matter(profile)
    for key in ("linkTitle", "linktitle", "title"):
        if isinstance(data.get(key), str) and data[key].strip():
            return data[key].strip()
    return term


def profile_pages(site_root: Path) -> list[Path]:
    """Every author profile page of the site (inputs of a build: a renamed author changes
    the paper)."""
    return sorted((site_root / "content" / "authors").glob("*/_index.md"))


def page_front_matter(site_root: Path, ref: str) -> tuple[Path, dict[str, Any]] | None:
    """The file and front matter of the content page ``ref`` names as Hugo's ``GetPage``
    finds it (``/publication/x``: a bundle's ``index.md`` or ``_index.md``, or ``x.md``),
    or None when the site has no such page."""
    content = site_root / "content"
    path = ref.strip().strip("/")
    if not path or ".." in path.split("/"):
        return None
    stem = content / path
    for candidate in (stem / "index.md", stem / "_index.md", stem.with_suffix(".md"),
                      stem if stem.suffix == ".md" else None):
        if candidate is not None and candidate.is_file():
            return candidate, _front_matter(candidate)
    return None


def _front_matter(path: Path) -> dict[str, Any]:
    return split_front_matter(read_post_text(path), path)[0]
