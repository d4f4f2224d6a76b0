"""A site's own bibliography data: a mapping from citation key to a plain entry -> CSL items.

Sites with their own cite shortcode often keep references in ``data/`` as
``{key: {authors: [...], year: ..., title: ..., venue: ...}}`` (sometimes under one
wrapping key such as ``citations:``) rather than as a CSL list. The page shows them
through the site's template; mdpaper reads the same facts: the common field names are
mapped to their CSL names, a name written "Last, First" or "First Last" to a CSL name.
Anything already in CSL form (``author`` as name objects, ``issued``) passes through.
"""

from __future__ import annotations

from typing import Any

# The site's field name -> the CSL variable it holds.
_FIELD_NAMES = {
    "authors": "author", "author": "author", "editors": "editor", "editor": "editor",
    "venue": "container-title", "journal": "container-title", "booktitle": "container-title",
    "container": "container-title", "conference": "container-title",
    "url": "URL", "link": "URL", "doi": "DOI", "isbn": "ISBN",
    "pages": "page", "number": "issue",
}  # fmt: skip

# The site's entry type -> the CSL type (anything else: an article if it has a venue).
_TYPE_NAMES = {
    "online": "webpage", "web": "webpage", "website": "webpage", "blog": "post-weblog",
    "article": "article-journal", "journal": "article-journal",
    "inproceedings": "paper-conference", "conference": "paper-conference",
    "proceedings": "paper-conference", "book": "book", "chapter": "chapter",
    "incollection": "chapter", "thesis": "thesis", "phdthesis": "thesis",
    "report": "report", "techreport": "report", "preprint": "article", "misc": "document",
}  # fmt: skip


def is_keyed(data: Any) -> bool:
    """True when ``data`` maps keys to entries that look like references."""
    if not isinstance(data, dict) or not data:
        return False
    return all(isinstance(v, dict) and ("title" in v or "author" in v or "authors" in v)
               for v in data.values())  # fmt: skip


def unwrap(data: Any) -> tuple[Any, str | None]:
    """A keyed mapping itself, or the one under a single wrapping key (``citations:``)."""
    if isinstance(data, dict) and len(data) == 1:
        (name, inner), = data.items()
        if is_keyed(inner):
            return inner, str(name)
    return data, None


def to_csl(key: str, entry: dict[str, Any]) -> dict[str, Any]:
    """One site entry -> a CSL item with ``id`` = its key."""
    item: dict[str, Any] = {"id": key}
    for name, value in entry.items():
        csl_name = _FIELD_NAMES.get(name.lower(), name)
        if csl_name in ("author", "editor"):
            value = _names(value)
        item.setdefault(csl_name, value)
    if "issued" not in item and (year := entry.get("year") or entry.get("date")) is not None:
        item["issued"] = {"raw": str(year)}
    site_type = str(entry.get("type") or "").strip().lower()
    if site_type in _TYPE_NAMES or not site_type:
        fallback = "article-journal" if item.get("container-title") else "document"
        item["type"] = _TYPE_NAMES.get(site_type, fallback)
    return item


def _names(value: Any) -> Any:
    if isinstance(value, str):
        value = [v.strip() for v in value.split(" and ") if v.strip()]
    if not isinstance(value, list):
        return value
    return [_name(v) if isinstance(v, str) else v for v in value]


def _name(text: str) -> dict[str, str]:
    if "," in text:
        family, given = (p.strip() for p in text.split(",", 1))
        return {"family": family, "given": given}
    words = text.split()
    if len(words) < 2:
        return {"literal": text.strip()}
    return {"family": words[-1], "given": " ".join(words[:-1])}
