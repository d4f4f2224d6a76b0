"""Where a post lives: its Hugo site root, the files it may use, and its output name.

Every path a post names (bibliography, images) is resolved here and refused when it leaves
the site root, so a post cannot make mdpaper read files elsewhere on the machine.
"""

from __future__ import annotations

import re
from pathlib import Path

from mdpaper.errors import MdpaperError
from mdpaper.files import ascii_fold, inside, shorten_name
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
#: The longest output name: files are named NAME.synctex.gz, NAME-arxiv.FAILED.tar.gz …
#: beside temporary files with longer names still, and a file name has at most 255 bytes;
#: a longer slug or file name (a whole title) is cut and ends in a hash of itself.
MAX_OUTPUT_NAME = 80


#: Hugo's language suffix of a content file: ``post.de.md``, ``index.zh-cn.md``.
_LANGUAGE_SUFFIX = re.compile(r"^(?P<name>.+)\.(?P<lang>[a-z]{2})(?:-[a-z0-9]{2,8})?$", re.I)
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
