"""The ``markup`` a site's themes and Hugo modules give it, merged as Hugo merges it.

Hugo takes a theme's (or module's) ``markup`` only where the site asks for it with
``_merge`` (``markup: {_merge: deep}``, or ``_merge`` at the config's top, which every key
inherits): ``deep`` puts the site's settings over the theme's, ``shallow`` adds only the
keys the site's ``markup`` lacks, and without ``_merge`` (Hugo's default for ``markup``:
``none``) the theme's are ignored (checked against Hugo 0.168). A theme on disk gives the
``markup`` of its own config. A Hugo module is not on disk (Hugo downloads it), so for the
academic sites' modules, Wowchemy and Hugo Blox, their documented settings are a table
here, by the version the site's ``go.mod`` requires: every starter of theirs since mid-2021
sets ``markup: {_merge: deep}`` and relies on them (raw HTML shown, ``{.class}`` lines,
and on Hugo Blox's Tailwind module math passed through and ``==mark==``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from mdpaper.patterns import lazy_pattern

#: What Wowchemy's module config sets from its v5 of June 2021 (Hugo 0.84 made a module's
#: ``markup`` mergeable), and every Hugo Blox module after it: raw HTML on the page, block
#: attributes (its callouts are quotes with a ``{.callout}`` line).
_GOLDMARK = {"renderer": {"unsafe": True}, "parser": {"attribute": {"block": True,
                                                                      "title": True}}}
#: Hugo Blox's Tailwind module from 28 January 2024 (Hugo 0.122's passthrough).
_PASSTHROUGH = {"extensions": {"passthrough": {"enable": True, "delimiters": {
    "block": [["\\[", "\\]"], ["$$", "$$"]], "inline": [["\\(", "\\)"], ["$", "$"]]}}}}
#: ... and from 18 May 2024 its Goldmark extras: ``==mark==``, ``H~2~O``, ``x^2^``.
_EXTRAS = {"extensions": {"extras": {"insert": {"enable": False}, "mark": {"enable": True},
                                     "subscript": {"enable": True},
                                     "superscript": {"enable": True}}}}

_HUGO_BLOX = "github.com/hugoblox/hugo-blox-builder/modules/"
_WOWCHEMY = "github.com/wowchemy/wowchemy-hugo-"
#: (module path, first commit time (UTC) it holds from, first tag it holds in, the
#: goldmark settings): facts of the modules' own config files, in their repository's
#: history. A version is a pseudo-version's time or a tag; an unknown one is the newest.
MODULE_GOLDMARK: tuple[tuple[re.Pattern[str], str, str, dict[str, Any]], ...] = (
    (re.compile(re.escape(_WOWCHEMY + "modules/wowchemy") + r"(/v5)?"),
     "20210624230030", "", _GOLDMARK),
    (re.compile(re.escape(_WOWCHEMY) + r"themes/modules/wowchemy(-bootstrap)?(/v5)?"),
     "", "", _GOLDMARK),
    (re.compile(re.escape(_HUGO_BLOX) + r"blox-bootstrap(/v5)?"), "", "", _GOLDMARK),
    (re.compile(re.escape(_HUGO_BLOX) + r"blox-tailwind"), "", "", _GOLDMARK),
    (re.compile(re.escape(_HUGO_BLOX) + r"blox-tailwind"), "20240128183758", "v0.3.0",
     _PASSTHROUGH),
    (re.compile(re.escape(_HUGO_BLOX) + r"blox-tailwind"), "20240518201414", "v0.3.0",
     _EXTRAS),
    (re.compile(re.escape(_HUGO_BLOX) + r"blox"), "", "", {**_GOLDMARK, "extensions": {
        **_PASSTHROUGH["extensions"], **_EXTRAS["extensions"]}}),
)

#: a ``require`` line of go.mod (in a block or not): module path and version
_REQUIRE = lazy_pattern(r"(?m)^\s*(?:require\s+)?(\S+)\s+(v\d\S*)")
#: a pseudo-version's time: v0.0.0-20210303111450-5529404d1942, v5.9.8-0.20240908170534-…
_PSEUDO_TIME = lazy_pattern(r"[-.](\d{14})-[0-9a-f]{12}$")


def module_markup(root: Path, path: str) -> dict[str, Any]:
    """The ``markup`` the module ``path`` (not on disk) gives at the version the site's
    go.mod requires, as far as the table knows it."""
    version = _required_versions(root).get(path.lower(), "")
    goldmark: dict[str, Any] = {}
    for pattern, since, first_tag, settings in MODULE_GOLDMARK:
        if pattern.fullmatch(path.lower()) and _holds(version, since, first_tag):
            goldmark = overlay(goldmark, settings)
    return {"goldmark": goldmark} if goldmark else {}


def is_academic_module(path: str) -> bool:
    """Whether ``path`` names a Wowchemy or Hugo Blox module (whose shortcodes, such as its
    figure, the site's pages use where the site defines none of its own)."""
    return any(pattern.fullmatch(path.lower()) for pattern, *_ in MODULE_GOLDMARK)


def _required_versions(root: Path) -> dict[str, str]:
    try:
        text = (root / "go.mod").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    return {path.lower(): version for path, version in _REQUIRE.findall(text)}


def _holds(version: str, since: str, first_tag: str) -> bool:
    """Whether a setting made at time ``since`` (first tagged ``first_tag``) is in
    ``version``; no version, or a tag the table cannot place, is the newest."""
    if not since or not version:
        return True
    pseudo = _PSEUDO_TIME.search(version)
    if pseudo:
        return pseudo.group(1) >= since
    if not first_tag:
        return True
    return _numbers(version) >= _numbers(first_tag)


def _numbers(tag: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", tag.split("-")[0].split("+")[0]))


def merged_markup(data: dict[str, Any], given: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The site's ``markup`` with what its themes and modules give (each a ``markup``
    mapping, the winning one first), merged as the site's ``_merge`` says."""
    own: dict[str, Any] = data["markup"] if isinstance(data.get("markup"), dict) else {}
    strategy = str(own.get("_merge") or data.get("_merge") or "none").lower()
    merged = dict(own)
    for markup in given:
        if strategy == "deep":
            merged = overlay(markup, merged)
        elif strategy == "shallow":
            merged = {**markup, **merged}
    return merged


def overlay(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``top`` merged in deeply; ``top``'s values win."""
    out = dict(base)
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = overlay(out[key], value)
        else:
            out[key] = value
    return out
