"""Where a post lives: its Hugo site root, the files it may use, and its output name.

Every path a post names (bibliography, images) is resolved here and refused when it leaves
the site root, so a post cannot make mdpaper read files elsewhere on the machine.
"""

from __future__ import annotations

import re
from pathlib import Path

from mdpaper.errors import MdpaperError
from mdpaper.files import ascii_fold, inside
from mdpaper.model import Post
from mdpaper.source.config import has_pyproject_section, load_site_config
from mdpaper.source.frontmatter import read_post_text, split_front_matter, to_meta

SITE_MARKERS = (
    "hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json",
    "config.toml", "config.yaml", "config.yml", "config.json",
    "mdpaper.toml",
)


def find_site_root(post: Path, bib_file: str | None = None) -> Path:
    """The nearest folder above the post with a Hugo/mdpaper config; else the nearest one
    where ``bib_file`` exists; else the post's own folder."""
    parents = list(post.resolve().parent.parents)
    folders = [post.resolve().parent, *parents]
    for folder in folders:
        if any((folder / marker).is_file() for marker in SITE_MARKERS):
            return folder
        if has_pyproject_section(folder):  # [tool.mdpaper] in pyproject.toml
            return folder
    if bib_file:
        rel = bib_file.lstrip("/")
        for folder in folders:
            if (folder / rel).exists():
                return folder
    return post.resolve().parent


def resolve_site_path(
    root: Path, name: str, *, base: Path, post: Path, line: int | None, what: str
) -> Path:
    """Resolve a path from the post the way Hugo does and refuse anything outside the site.

    Site-absolute names (``/figures/x.png``) are looked up in ``static/`` and then the site
    root; relative names are relative to ``base`` (the post's folder, for page bundles).
    """
    if name.startswith("/"):
        rel = name.lstrip("/")
        candidates = [root / "static" / rel, root / rel]
    else:
        candidates = [base / name]
    for candidate in candidates:
        if not inside(root, candidate):
            raise MdpaperError(f"{what} '{name}' is outside the site folder {root}; "
                               "refusing to read it", post, line)
    for candidate in candidates:
        if candidate.exists():
            return candidate.resolve()
    raise MdpaperError(f"{what} '{name}' not found (looked for {candidates[0]})", post, line)


def load_post(path: Path) -> Post:
    text = read_post_text(path)
    data, body, body_line, key_lines = split_front_matter(text, path)
    meta = to_meta(data, key_lines, path)
    root = find_site_root(path, meta.bib_file)
    return Post(path=path, meta=meta, body=body, body_line=body_line, site_root=root,
                site=load_site_config(root))


_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def output_name(post: Post) -> str:
    """Slug, else the page bundle's folder name, else the file stem; made filename-safe
    (arXiv and TeX both dislike spaces and non-ASCII in file names)."""
    if post.meta.slug:
        raw = post.meta.slug
    elif post.path.stem in ("index", "_index"):
        raw = post.path.resolve().parent.name
    else:
        raw = post.path.stem
    ascii_name = ascii_fold(raw)
    name = _UNSAFE_NAME.sub("-", ascii_name).strip("-.")
    return name or "post"
