"""Formulas embedded as pictures from a TeX rendering service (codecogs, Google Charts,
upmath, math.now.sh, GitHub's renderer): the page shows the formula, and the URL holds its
TeX. A paper sets that TeX as math instead of a picture it cannot fetch offline."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlsplit

from mdpaper.patterns import lazy_pattern

#: host (and path start) -> where the TeX is: "query" (all of it), or a query parameter
_SERVICES = (
    (re.compile(r"latex\.codecogs\.com/(?:svg|png|gif|eps|pdf)\.(?:latex|image|download)$"),
     "query"),
    (re.compile(r"chart\.googleapis\.com/chart$"), "chl"),
    (re.compile(r"(?:i\.)?upmath\.me/(?:svg|png)/"), "path"),
    (re.compile(r"math\.now\.sh/?$"), "from"),
    (re.compile(r"render\.githubusercontent\.com/render/math$"), "math"),
)
#: codecogs' rendering options written before the formula (resolution, background, font)
_CODECOGS_OPTIONS = lazy_pattern(r"\\(?:dpi\{\d+\}|bg_\w+|bg\{\w+\}|fn_\w+|inline|large|"
                                 r"Large|huge|small|tiny|normalsize)\s*")


def formula_of(url: str) -> str | None:
    """The TeX a formula-image URL renders, or None for any other image."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https", ""):
        return None
    where = (parts.netloc + parts.path).lower()
    for pattern, place in _SERVICES:
        m = pattern.match(where)
        if not m:
            continue
        if place == "query":
            tex = unquote(parts.query)
        elif place == "path":
            tex = unquote(parts.path.split("/", 2)[2] if parts.path.count("/") >= 2 else "")
        else:
            tex = (parse_qs(parts.query).get(place) or [""])[0]
        tex = _CODECOGS_OPTIONS.sub("", tex).strip()
        return tex or None
    return None
