"""Papers on the site: ``mdpaper build content/ --into static/papers`` builds every post that
opts in and puts ``NAME.pdf`` (and, if asked, ``NAME-arxiv.tar.gz``) where Hugo serves it.

Which posts: those picked from a folder must opt in (``paper: true``, a ``paper:`` mapping, or
a section listed in the site config's ``[papers] sections``; see ``source.papers``); drafts
are left out, since Hugo would publish a static file even for a draft. A post named on the
command line is built whatever it says. Where: ``--into``, else the site config's ``[papers]
into`` (which must lie inside the site).

Each post is built as usual in the site's output folder (caches included); only then is its
PDF copied into the target, atomically, so a failed build leaves the last good PDF on the
site. The link from the page: ``data/mdpaper/papers.json`` in the site maps each page's
``.File.Path`` to its paper's path under ``static/``, which the partial that
``mdpaper hugo install`` puts into the site reads (through ``relURL``, so a baseURL with a
subpath works).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mdpaper.errors import MdpaperError
from mdpaper.files import copy_atomic, read_utf8, write_atomic
from mdpaper.source.config import load_site_config
from mdpaper.source.frontmatter import read_post_text, split_front_matter
from mdpaper.source.papers import opts_in, page_key, posts_in
from mdpaper.source.site import SITE_MARKERS, find_site_root, load_post, output_name

#: Where the page-to-paper map lives in the site (Hugo reads ``data/`` as site data).
MANIFEST = Path("data") / "mdpaper" / "papers.json"


@dataclass
class Paper:
    """One post to publish: where its PDF goes and how the page finds it."""

    post: Path
    name: str
    site_root: Path
    into: Path
    #: the page's ``.File.Path``
    key: str
    arxiv: bool = False

    @property
    def pdf(self) -> Path:
        return self.into / f"{self.name}.pdf"


@dataclass
class SitePlan:
    papers: list[Paper] = field(default_factory=list)
    #: posts of the folders that did not opt in (or are drafts), with the reason
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    #: posts that could not be planned: their located errors
    errors: list[MdpaperError] = field(default_factory=list)
    #: (site root, page-key prefix) of each folder scanned: their manifest entries are
    #: replaced by this run's (a post that opted out loses its link)
    scanned: list[tuple[Path, str]] = field(default_factory=list)


def _site_of(folder: Path) -> Path:
    # find_site_root starts from a post's folder: a name inside the folder starts there
    return find_site_root(folder / SITE_MARKERS[0])


def wants_site(paths: list[Path], into: Path | None) -> bool:
    """Whether this command line publishes to a site: ``--into``, or a folder whose site
    config says where its papers go."""
    if into is not None:
        return True
    for path in paths:
        if path.is_dir() and load_site_config(_site_of(path)).papers.into is not None:
            return True
    return False


def plan_site(paths: list[Path], into: Path | None, arxiv: bool = False) -> SitePlan:
    """Which posts to build and where each paper goes."""
    plan = SitePlan()
    for path in paths:
        if path.is_dir():
            root = _site_of(path)
            sections = load_site_config(root).papers.sections
            plan.scanned.append((root, _prefix(path, root)))
            for post in posts_in(path):
                _add(plan, post, into, arxiv, sections)
        else:
            _add(plan, path, into, arxiv, None)
    _refuse_clashes(plan)
    return plan


def _prefix(folder: Path, root: Path) -> str:
    key = page_key(folder / "x", root)
    return key[: -len("x")]


def _add(plan: SitePlan, post: Path, into: Path | None, arxiv: bool,
         sections: list[str] | None) -> None:
    """Plan one post; ``sections`` is None for a post named on the command line."""
    try:
        loaded = load_post(post)
        key = page_key(post, loaded.site_root)
        if sections is not None:
            # the raw front matter: paper: true|false is not a setting, so load_post drops it
            data = split_front_matter(read_post_text(post), post)[0]
            if not opts_in(data, key, sections):
                plan.skipped.append((post, "not opted in (front matter 'paper: true', or "
                                     "[papers] sections in the site config)"))
                return
            if loaded.meta.draft:
                plan.skipped.append((post, "a draft"))
                return
        papers = load_site_config(loaded.site_root).papers
        target = into if into is not None else papers.into
        if target is None:
            raise MdpaperError("no folder for the paper: give --into, or set 'into' under "
                               "[papers] in the site config", post)
        plan.papers.append(Paper(post, output_name(loaded), loaded.site_root,
                                 target.resolve(), key, arxiv=arxiv or papers.arxiv))
    except MdpaperError as exc:
        plan.errors.append(exc)


def _refuse_clashes(plan: SitePlan) -> None:
    seen: dict[Path, Paper] = {}
    kept = []
    for paper in plan.papers:
        other = seen.get(paper.pdf)
        if other is not None:
            plan.errors.append(MdpaperError(
                f"its paper would be {paper.pdf}, like that of {other.post}; give one of "
                "them a 'slug'", paper.post))
            continue
        seen[paper.pdf] = paper
        kept.append(paper)
    plan.papers = kept


def publish(paper: Paper, pdf: Path, bundle: Path | None = None) -> list[Path]:
    """Copy a built PDF (and a proven arXiv bundle) into the site, atomically."""
    try:
        paper.into.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MdpaperError(f"cannot create the papers folder: {exc.strerror}",
                           paper.into) from None
    copy_atomic(pdf, paper.pdf)
    written = [paper.pdf]
    if bundle is not None:
        target = paper.into / bundle.name
        copy_atomic(bundle, target)
        written.append(target)
    return written


def site_url(root: Path, path: Path) -> str | None:
    """``path``'s URL relative to the site's base URL, when Hugo serves it from static/."""
    static = (root / "static").resolve()
    resolved = path.resolve()
    return resolved.relative_to(static).as_posix() if resolved.is_relative_to(static) else None


def update_manifest(root: Path, published: dict[str, list[Path]], scanned: list[str],
                    planned: set[str]) -> Path | None:
    """Record each page's paper in ``data/mdpaper/papers.json`` for the partial.

    ``published``: page key -> the files written (PDF first); ``scanned``: page-key
    prefixes of the folders built: their posts that no longer opt in lose their entry
    (``planned``: the keys that do; one whose build failed keeps its last good paper).
    Entries whose PDF is gone are dropped. Returns the manifest's path, or None when
    nothing changed.
    """
    path = root / MANIFEST
    old: dict[str, Any] = _read_manifest(path)
    entries = {key: value for key, value in old.items()
               if (key in planned or not any(key.startswith(p) for p in scanned))
               and isinstance(value, dict) and _served(root, value.get("pdf"))}
    for key, files in published.items():
        urls = [site_url(root, f) for f in files]
        if urls[0] is None:
            continue  # not under static/: Hugo does not serve it, nothing to link
        entry = {"pdf": urls[0]}
        if len(urls) > 1 and urls[1] is not None:
            entry["arxiv"] = urls[1]
        entries[key] = entry
    if entries == old:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(entries, indent=2, sort_keys=True) + "\n")
    return path


def _served(root: Path, url: Any) -> bool:
    return isinstance(url, str) and (root / "static" / url).is_file()


def _read_manifest(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        data = json.loads(read_utf8(path, "paper list"))
    except json.JSONDecodeError as exc:
        raise MdpaperError(f"invalid JSON: {exc.msg} (mdpaper writes this file; delete it "
                           "and build again)", path, exc.lineno) from None
    return data if isinstance(data, dict) else {}
