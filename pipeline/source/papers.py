"""Which posts of a site want a paper, and where the site wants the papers: the ``[papers]``
table of the site config and the front matter's ``paper:`` key.

A post opts in with ``paper: true`` (or a ``paper:`` mapping of settings, which opts in
too); ``paper: false`` opts a post out of a section the site opted in. The site config
opts in whole sections and says where ``mdpaper build content/`` puts the PDFs::

    [papers]
    into = "static/papers"       # relative to the site root, inside the site
    sections = ["posts"]         # folders under content/ whose posts all opt in
    arxiv = false                # also write NAME-arxiv.tar.gz beside each PDF

Kept free of the rest of ``source`` (it is read while the site config is validated).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mdpaper.errors import MdpaperError
from mdpaper.files import inside

PAPERS_KEYS = ("into", "sections", "arxiv")
#: Hugo's default content folder, which ``sections`` and the page keys are relative to.
CONTENT = "content"


@dataclass
class PapersConfig:
    """The site config's ``[papers]`` table, validated."""

    #: where the PDFs go (absolute; inside the site), or None: only ``--into`` says
    into: Path | None = None
    #: section paths under content/ (``posts``, ``notes/2024``) whose posts opt in
    sections: list[str] = field(default_factory=list)
    arxiv: bool = False


def read_papers_table(value: Any, root: Path, source: Path | None,
                      line: int | None) -> PapersConfig:
    """Validate ``[papers]``; errors name the config file and line."""
    if not isinstance(value, dict):
        raise MdpaperError("'papers' must be a table (into, sections, arxiv)", source, line)
    for key in value:
        if key not in PAPERS_KEYS:
            raise MdpaperError(f"unknown key 'papers.{key}' (known: {', '.join(PAPERS_KEYS)})",
                               source, line)
    config = PapersConfig(arxiv=value.get("arxiv", False))
    if not isinstance(config.arxiv, bool):
        raise MdpaperError("'papers.arxiv' must be true or false", source, line)
    sections = value.get("sections", [])
    if not isinstance(sections, list) or not all(isinstance(s, str) for s in sections):
        raise MdpaperError("'papers.sections' must be a list of folder names under content/",
                           source, line)
    config.sections = [s.strip("/") for s in sections if s.strip("/")]
    into = value.get("into")
    if into is not None:
        if not isinstance(into, str) or not into.strip():
            raise MdpaperError("'papers.into' must be a folder path", source, line)
        # A site config is the site's own text, but it may come with a theme or a clone:
        # it may only send papers somewhere inside the site (the command line may go
        # anywhere).
        target = root / into
        if Path(into).is_absolute() or not inside(root, target):
            raise MdpaperError(f"'papers.into' folder '{into}' is outside the site {root}; "
                               "give it with --into on the command line instead", source, line)
        config.into = target
    return config


def posts_in(folder: Path) -> list[Path]:
    """The posts under a folder, sorted: every ``*.md`` but section pages (``_index.md``)
    and anything in a hidden folder."""
    return sorted(p for p in folder.rglob("*.md") if p.name != "_index.md"
                  and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def page_key(post: Path, root: Path) -> str:
    """The post's path the way Hugo's ``.File.Path`` spells it: relative to content/ with
    forward slashes (relative to the site root for a post outside content/)."""
    resolved = post.resolve()
    content = (root / CONTENT).resolve()
    base = content if resolved.is_relative_to(content) else root.resolve()
    return resolved.relative_to(base).as_posix()


def opts_in(front_matter: dict[str, Any], key: str, sections: list[str]) -> bool:
    """Whether a post wants its paper: its own ``paper:`` first, else its section."""
    choice = front_matter.get("paper")
    if isinstance(choice, bool):
        return choice
    if isinstance(choice, dict):
        return True
    return any(key == s or key.startswith(s + "/") for s in sections)


def expand_posts(paths: list[Path]) -> list[Path]:
    """The posts a command line names: files as given, folders as ``posts_in`` finds them
    (kept out of the argument parser so ``--help`` does not load this module)."""
    posts: list[Path] = []
    for path in paths:
        if path.is_dir():
            posts += posts_in(path)
        else:
            posts.append(path)
    return posts
