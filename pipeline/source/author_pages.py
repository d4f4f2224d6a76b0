"""Author names as academic themes (Wowchemy, Hugo Blox, Academic) show them: the front
matter's ``authors`` are terms of an ``authors`` taxonomy (``admin``, ``jane-doe``), and the
page prints each term page's title, set in ``content/authors/TERM/_index.md`` (the
profile: "Jane Doe"), or the term as written when there is no such page."""

from __future__ import annotations

import re
from pathlib import Path

from mdpaper.source.frontmatter import read_post_text, split_front_matter

#: what Hugo's urlize drops from a term on its way to the term page's path
_NOT_IN_PATH = re.compile(r"[^\w.~-]+")


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
    data = split_front_matter(read_post_text(profile), profile)[0]
    for key in ("linkTitle", "linktitle", "title"):
        if isinstance(data.get(key), str) and data[key].strip():
            return data[key].strip()
    return term


def profile_pages(site_root: Path) -> list[Path]:
    """Every author profile page of the site (inputs of a build: a renamed author changes
    the paper)."""
    return sorted((site_root / "content" / "authors").glob("*/_index.md"))
