"""Which bibliography file a post cites from, found where hugo-cite finds it.

hugo-cite's ``cite`` shortcode reads the CSL-JSON file named by the front matter's
``bibFile`` (relative to the site root), else the page bundle's first file matching
``*bib*.json`` (Hugo's ``.Resources.GetMatch``: case-insensitive, not in a sub-folder, the
first name in byte order). Its ``bibliography`` shortcode lists the file its ``src`` (or
first positional argument, relative to the site root) names, else the same two.

mdpaper uses one file per post: ``bibFile``, else the bundle's ``*bib*.json``, else the file
a ``{{< bibliography src="…" >}}`` names (hugo-cite's cites would find nothing then; the
paper's cite the list the page shows). A ``src`` naming another file than the one chosen is
reported where the shortcode renders (``mdpaper.latex.citations``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from mdpaper.errors import MdpaperError
from mdpaper.markdown.shortcodes import INLINE_PATTERN, hide_comments, parse_call
from mdpaper.model import Post
from mdpaper.patterns import lazy_pattern
from mdpaper.source.site import resolve_site_path
from mdpaper.source.site_shortcodes import shortcode_template

#: hugo-cite's page resource pattern ``*bib*.json``
_BUNDLE_FILE = lazy_pattern(r"[^/]*bib[^/]*\.json", re.IGNORECASE)
_SHORTCODE = lazy_pattern(INLINE_PATTERN)
_URL = lazy_pattern(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


@dataclass(frozen=True)
class BibliographySource:
    path: Path
    #: where the post named it: "bibFile", "page bundle" or "bibliography shortcode"
    how: str


def bibliography_src(args: list[str], named: dict[str, str]) -> str | None:
    """The file a ``bibliography`` shortcode names: ``src=``, else a first positional
    argument other than ``cited`` (hugo-cite takes a name of two characters or more)."""
    src = named.get("src")
    if src is None and args and args[0] != "cited":
        src = args[0]
    return src if src and len(src) > 1 else None


def is_url(name: str) -> bool:
    return _URL.match(name) is not None


def find_bibliography(post: Post) -> BibliographySource | None:
    """The post's bibliography file, or None; a named file that is missing or outside the
    site is a located error."""
    if post.meta.bib_file:
        line = post.meta.key_lines.get("bibFile")
        path = resolve_site_path(post.site_root, post.meta.bib_file.lstrip("/"),
                                 base=post.site_root, post=post.path, line=line, what="bibFile")
        return BibliographySource(path, "bibFile")
    bundled = bundle_bibliography(post.path)
    if bundled is not None:
        return BibliographySource(bundled, "page bundle")
    for src, line in shortcode_sources(post):
        if is_url(src):
            raise MdpaperError(f"the bibliography shortcode reads '{src}' from the web; mdpaper "
                               "reads local files only: save it in the site and name that "
                               "file", post.path, line)
        path = resolve_bibliography_src(post.site_root, post.path, src, line)
        return BibliographySource(path, "bibliography shortcode")
    return site_own_bibliography(post)


#: Where sites whose theme brings its own cite shortcode keep a bibliography that a front
#: matter ``bib``/``bibliography`` or a bare ``bibliography src="NAME"`` names (seen on real
#: sites: ``resources.Get`` reads assets/, the page serves static/).
_PARAM_FOLDERS = ("", "assets", "static", "data")
_SRC_FOLDERS = ("", "static/bibliography", "assets/bibliography", "static", "assets")
_SUFFIXES = ("", ".json", ".bib", ".yaml", ".yml")
#: site data files a theme's cite shortcode reads (``site.Data.bib``, ``site.Data.citations``)
_DATA_FILE = lazy_pattern(r"(?:[^/]*bib[^/]*|citations|references)\.(?:json|ya?ml)", re.I)


def resolve_bibliography_src(site_root: Path, post_path: Path, src: str,
                             line: int | None) -> Path:
    """The file ``{{< bibliography src="…" >}}`` names: site-relative as hugo-cite reads it,
    else ``static/bibliography/NAME.bib`` and the like; outside the site: a located error."""
    named = site_convention_file(site_root, post_path, src, _SRC_FOLDERS) or src.lstrip("/")
    return resolve_site_path(site_root, named, base=site_root, post=post_path, line=line,
                             what="bibliography src")


def site_convention_file(site_root: Path, post_path: Path, name: str,
                         folders: tuple[str, ...]) -> str | None:
    """The first existing ``FOLDER/NAME[.SUFFIX]`` under the site, as a site-relative path
    (still confined by ``resolve_site_path``), or None."""
    name = name.strip().lstrip("/")
    if not name or ".." in Path(name).parts:
        return None
    bundle = post_path.parent
    for folder in folders:
        for suffix in _SUFFIXES:
            relative = str(Path(folder, name + suffix)) if folder else name + suffix
            for base in (bundle, site_root) if not folder else (site_root,):
                if (base / relative).is_file():
                    return str((base / relative).relative_to(site_root))
    return None


def site_own_bibliography(post: Post) -> BibliographySource | None:
    """A front matter ``bib``/``bibliography`` file, else, unless the site's cite shortcode
    is hugo-cite's, the site's one bibliography data file (``data/bib.json``, read as
    ``site.Data.bib``): what themes' own cite shortcodes read."""
    for key in ("bib", "bibliography", "bibfile"):
        value = post.meta.params.get(key)
        if isinstance(value, str):
            found = site_convention_file(post.site_root, post.path, value, _PARAM_FOLDERS)
            if found is not None:
                path = resolve_site_path(post.site_root, found, base=post.site_root,
                                         post=post.path, line=post.meta.key_lines.get(key),
                                         what=key)
                return BibliographySource(path, f"front matter {key}")
    if not _cite_reads_site_data(post):
        return None  # hugo-cite's cite reads no site data
    data = post.site_root / "data"
    found_data = sorted(p.name for p in data.iterdir()
                        if p.is_file() and _DATA_FILE.fullmatch(p.name)) if data.is_dir() else []
    if len(found_data) == 1:  # more than one: which the theme reads is anybody's guess
        path = resolve_site_path(post.site_root, f"data/{found_data[0]}", base=post.site_root,
                                 post=post.path, line=None, what="site data")
        return BibliographySource(path, "site data")
    return None


def _cite_reads_site_data(post: Post) -> bool:
    """Whether the cite shortcode the site renders with may read site data: the first
    ``cite.html`` in Hugo's order (``source.site_shortcodes``) does unless it is hugo-cite's (it
    reads ``bibFile``). With none on disk, a theme the config names but the checkout lacks
    (a git submodule) most likely brings it (real sites: hugo-simplecite, ``site.Data.bib``)."""
    themes = post.site.hugo.themes if post.site is not None else ()
    template = shortcode_template(post.site_root, "cite", themes)
    if template is not None:
        return "bibFile" not in template.read_text(encoding="utf-8", errors="replace")
    return post.site is not None and bool(post.site.hugo.themes_missing)


def bundle_bibliography(post_path: Path) -> Path | None:
    """A leaf bundle's (``index.md``, ``index.de.md``) first ``*bib*.json``, as Hugo picks it."""
    if post_path.name.split(".")[0] != "index":
        return None  # a plain page (posts/p.md) has no resources
    folder = post_path.resolve().parent
    names = sorted(p.name for p in folder.iterdir()
                   if p.is_file() and _BUNDLE_FILE.fullmatch(p.name))
    return folder / names[0] if names else None


def shortcode_sources(post: Post) -> list[tuple[str, int]]:
    """What each ``bibliography`` shortcode of the body names, with its line (shortcodes in
    code blocks count: Hugo expands them there too; hidden comments do not)."""
    body = hide_comments(post.body)[0]
    found = []
    for m in _SHORTCODE.finditer(body):
        if m.group("sc_body") is None:
            continue  # {{</* … */>}}: shown, not called
        call = parse_call(m.group("sc_body"))
        src = bibliography_src(call.args, call.named) if call.name == "bibliography" else None
        if src is not None and not call.closing:
            found.append((src, post.body_line + body.count("\n", 0, m.start())))
    return found
