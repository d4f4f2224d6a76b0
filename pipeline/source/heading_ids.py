"""Heading ids as Hugo makes them for ``markup.goldmark.parser.autoHeadingIDType``, so the
post's ``[text](#id)`` links find their headings."""

from __future__ import annotations

import unicodedata

HEADING_ID_TYPES = ("github", "github-ascii", "blackfriday")

def _remove_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn"))


def heading_slug(text: str, id_type: str = "github") -> str:
    """A heading's automatic id the way Hugo makes it for ``autoHeadingIDType``."""
    if id_type == "blackfriday":
        out: list[str] = []
        dash = False
        for ch in text:
            if ch.isalpha() or ch.isdigit():
                if dash and out:
                    out.append("-")
                dash = False
                out.append(ch.lower())
            else:
                dash = True
        return "".join(out)
    ascii_only = id_type == "github-ascii"
    if ascii_only:
        text = _remove_accents(text)
    out = []
    for ch in text.strip():
        if ascii_only and ord(ch) > 127:
            continue
        if ch in " -\t":
            out.append("-")
        elif ch.isalnum() or ch == "_":
            out.append(ch.lower())
    return "".join(out)
