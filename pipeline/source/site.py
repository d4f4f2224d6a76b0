"""Where a post lives: its Hugo site root, the files it may use, and its output name.

Every path a post names (bibliography, images) is resolved here and refused when it leaves
the site root, so a post cannot make mdpaper read files elsewhere on the machine.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import unquote

from mdpaper.errors import MdpaperError
from mdpaper.files import ascii_fold, inside, shorten_name
from mdpaper.model import Post
from mdpaper.patterns import lazy_pattern
from mdpaper.source.config import has_pyproject_section, load_site_config
from mdpaper.source.frontmatter import (
    manual_summary,
    read_post_text,
    split_front_matter,
    to_meta,
)
from mdpaper.source.permalinks import site_permalinks
from mdpaper.source.site_pages import display_name

SITE_MARKERS = (
    "hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json",
    "config.toml", "config.yaml", "config.yml", "config.json",
    "mdpaper.toml",
)
#: a Hugo site whose config is a folder of files has no file above at its root
SITE_FOLDER_MARKER = Path("config") / "_default"


def find_site_root(post: Path, bib_file: str | None = None) -> Path:
    """The nearest folder above the post with a Hugo/mdpaper config; else the nearest one
    where ``bib_file`` exists; else the post's own folder. A config file inside the content
    folder of a site further up is content, not a site (Hugo reads only its root's): a
    bundle's attached ``config.yaml``, a WordPress export's left in ``content/``."""
    folders = [post.resolve().parent, *post.resolve().parent.parents]
    for folder in folders:
        if _configures_a_site(folder) and not _in_outer_content(folder):
            return folder
    if bib_file:
        rel = bib_file.lstrip("/")
        for folder in folders:
            if (folder / rel).exists():
                return folder
    return post.resolve().parent


def _in_outer_content(folder: Path) -> bool:
    """Whether ``folder`` is in the ``content/`` of a site further up: only the folders
    above such a ``content/`` are read (Hugo's default content folder; reading every config
    up to / to learn its own would fail on any unrelated config.yaml of the user's)."""
    return any(outer.name == "content" and _configures_a_site(outer.parent)
               for outer in [folder, *folder.parents])


def _configures_a_site(folder: Path) -> bool:
    return (any((folder / marker).is_file() for marker in SITE_MARKERS)
            or (folder / SITE_FOLDER_MARKER).is_dir()
            or has_pyproject_section(folder))  # [tool.mdpaper] in pyproject.toml


class SiteFileMissing(MdpaperError):
    """A file the post names is not in the site (the page shows it broken too)."""


def resolve_site_path(
    root: Path, name: str, *, base: Path, post: Path, line: int | None, what: str,
    served: bool = False,
) -> Path:
    """Resolve a path the post names and refuse anything outside the site.

    A ``served`` path (an image) is a URL the page links to: a site-absolute one
    (``/figures/x.png``) is looked up where Hugo serves it from (the static folders and
    mounts of the site and its themes, then ``content/``), a relative one from the page's
    own URL (``../x.png`` of ``posts/p.md``, served at ``/posts/p/``, is ``/posts/x.png``),
    then, as an editor's preview shows it, relative to ``base``, then in ``assets/``. Other
    paths (``bibFile``) are relative to ``base``. The site root itself is the last place
    tried.
    """
    if served:  # a URL: mistune %-escapes a destination's spaces and non-ASCII letters
        name = unquote(name)  # (图.png, Схема.png), and the server gives the file they name
    # themes' image shortcodes and render hooks (Blowfish, Congo, Hinode) take an image
    # found nowhere else from the site's assets/ (resources.Get)
    # (a fallback, never the author's own request: one that would leave the site is no
    # candidate, where the page's own lookups refuse to leave it)
    assets = [found for found in [root / "assets" / name.lstrip("/")]
              if served and inside(root, found)]
    if name.startswith("/"):
        rel = name.lstrip("/")
        candidates = [*published_files(root, name), root / "static" / rel, *assets, root / rel]
    else:
        candidates = [*(_page_relative(root, post, name) if served else []), base / name,
                      *assets]
    for candidate in candidates:
        if not inside(root, candidate):
            raise MdpaperError(f"{what} '{name}' is outside the site folder {root}; "
                               "refusing to read it", post, line)
    for candidate in candidates:
        if candidate.is_file():
            return candidate.resolve()
    shown = next((c for c in candidates if c.parent.is_dir()), candidates[0])
    raise SiteFileMissing(f"{what} '{name}' not found (looked for {shown})", post, line)


def published_files(root: Path, url_path: str) -> list[Path]:
    """The files that may be served at ``url_path`` (``/images/x.png``, or with the path of
    the site's baseURL in front), the winning one first."""
    hugo = load_site_config(root).hugo
    paths = [unquote(url_path).lstrip("/")]
    base = site_permalinks(root, hugo).base_path().lstrip("/")
    if base and paths[0].startswith(base + "/"):
        paths.append(paths[0][len(base) + 1:])
    found = []
    for rel in paths:
        found.append(root / hugo.content_dir / rel)  # (Hugo copies both, in no fixed order)
        for prefix, folder in hugo.static:
            if not prefix or rel.startswith(prefix + "/"):
                found.append(folder / rel[len(prefix):].lstrip("/"))
    return found


def _page_relative(root: Path, post: Path, name: str) -> list[Path]:
    """Where a relative link of the page points: its URL joined to the page's own URL; a
    page bundle's files are served under its URL, whatever its slug."""
    links = site_permalinks(root, load_site_config(root).hugo)
    try:
        page_url = links.page_path(post.resolve())
    except (ValueError, MdpaperError):
        return []  # not a page of the site's content
    target = posixpath.normpath(posixpath.join(page_url, unquote(name)))
    if post.stem.split(".")[0] == "index" and target.startswith(page_url):
        return [post.resolve().parent / target[len(page_url):]]
    return published_files(root, target)


def load_post(path: Path) -> Post:
    text = read_post_text(path)
    data, body, body_line, key_lines = split_front_matter(text, path)
    meta = to_meta(data, key_lines, path)
    summary = None if meta.abstract else manual_summary(body)
    if summary is not None:  # the text before <!--more--> is the abstract, not the body
        meta.abstract, body, first = summary
        meta.key_lines["summary"] = body_line + first
    root = find_site_root(path, meta.bib_file)
    # an academic theme's author term ("admin") shows as its profile page's title (a
    # {name: …} mapping names its author itself)
    mapped = {info.name for info in meta.author_info}
    meta.authors = [term if term in mapped else display_name(root, term)
                    for term in meta.authors]
    return Post(path=path, meta=meta, body=body, body_line=body_line, site_root=root,
                site=load_site_config(root))


_UNSAFE_NAME = lazy_pattern(r"[^A-Za-z0-9._-]+")
#: The longest output name: files are named NAME.synctex.gz, NAME-arxiv.FAILED.tar.gz …
#: beside temporary files with longer names still, and a file name has at most 255 bytes;
#: a longer slug or file name (a whole title) is cut and ends in a hash of itself.
MAX_OUTPUT_NAME = 80


#: Hugo's language suffix of a content file: ``post.de.md``, ``index.zh-cn.md``.
_LANGUAGE_SUFFIX = lazy_pattern(r"^(?P<name>.+)\.(?P<lang>[a-z]{2})(?:-[a-z0-9]{2,8})?$", re.I)
#: ISO 639-1 codes: a suffix is a language only when it is one (``notes.old.md`` is not).
ISO_639_1 = frozenset({
    "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg",
    "bh", "bi", "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv",
    "cy", "da", "de", "dv", "dz", "ee", "el", "en", "eo", "es", "et", "eu", "fa", "ff", "fi",
    "fj", "fo", "fr", "fy", "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr",
    "ht", "hu", "hy", "hz", "ia", "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja",
    "jv", "ka", "kg", "ki", "kj", "kk", "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw",
    "ky", "la", "lb", "lg", "li", "ln", "lo", "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml",
    "mn", "mr", "ms", "mt", "my", "na", "nb", "nd", "ne", "ng", "nl", "nn", "no", "nr", "nv",
    "ny", "oc", "oj", "om", "or", "os", "pa", "pi", "pl", "ps", "pt", "qu", "rm", "rn", "ro",
    "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk", "sl", "sm", "sn", "so", "sq", "sr",
    "ss", "st", "su", "sv", "sw", "ta", "te", "tg", "th", "ti", "tk", "tl", "tn", "to", "tr",
    "ts", "tt", "tw", "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo", "wa", "wo", "xh", "yi",
    "yo", "za", "zh", "zu",
})


def language_of(path: Path) -> str | None:
    """The language a Hugo file name gives its page (``index.de.md`` is German), or None."""
    m = _LANGUAGE_SUFFIX.match(path.stem)
    if m is None or m["lang"].lower() not in ISO_639_1:
        return None
    return path.stem[len(m["name"]) + 1:].lower()


def page_language(post: Post) -> str | None:
    """The language Hugo gives the page: its file name's (``index.de.md``), else that of
    the language whose own ``contentDir`` holds the file; None when neither says."""
    from_name = language_of(post.path)
    hugo = post.site.hugo if post.site is not None else None
    if from_name or hugo is None:
        return from_name
    holding = [(len(Path(folder).parts), language) for language, folder in
               hugo.language_dirs.items() if inside(post.site_root / folder, post.path)]
    return max(holding)[1] if holding else None  # the deepest: content/ may hold content/zh/


def output_name(post: Post) -> str:
    """Slug, else the page bundle's folder name, else the file stem, with the language of a
    translation (``index.de.md`` of bundle ``p`` is ``p-de``, so translations do not
    overwrite each other); made filename-safe (arXiv and TeX dislike spaces and non-ASCII)
    and at most ``MAX_OUTPUT_NAME`` characters long."""
    language = language_of(post.path)
    stem = post.path.stem[: -len(language) - 1] if language else post.path.stem
    if post.meta.slug:
        raw = post.meta.slug
    elif stem in ("index", "_index"):
        raw = post.path.resolve().parent.name
    else:
        raw = stem
    if language:
        raw = f"{raw}-{language}"
    ascii_name = ascii_fold(raw)
    name = _UNSAFE_NAME.sub("-", ascii_name).strip("-.")
    return shorten_name(name, MAX_OUTPUT_NAME) if name else "post"
