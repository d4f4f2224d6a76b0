"""Emoji shortcodes (``:smile:``) as Hugo shows them on a site that sets ``enableEmoji``.

Hugo's Goldmark replaces a name from its table wherever it is text: paragraphs, headings,
links, emphasis; never in code, and never in math (a passthrough formula is not text). A
name it does not know stays as written (``:flag-us:``), and so does the page's title. The
table is Hugo's own, names and glyphs (``emoji_names``, asked of the binary from the names
the emoji library knows; its glyphs agree with the library's for all but two names, where
Hugo's are kept). Data, not the library, at run time: importing it costs more than
converting a post.
"""

from __future__ import annotations

from mdpaper.markdown.emoji_names import GLYPHS
from mdpaper.patterns import lazy_pattern

_NAME = lazy_pattern(r":([A-Za-z0-9_+-]+):")
#: VARIATION SELECTOR-16 ("show as emoji"): pdflatex has no glyph for it.
VARIATION_SELECTOR = "\ufe0f"


def glyph(name: str) -> str | None:
    """The character(s) Hugo shows for ``:name:``, None for a name Hugo leaves as text."""
    return GLYPHS.get(name)


def emojify(text: str, *, keep_variation: bool = True) -> str:
    """``text`` with Hugo's emoji names replaced by their glyphs. As in Hugo, a colon that
    does not open a known name is text and the next colon is tried (``10:30:smile:``)."""
    if ":" not in text:
        return text
    out, pos, start = [], 0, text.find(":")
    while start != -1:
        m = _NAME.match(text, start)
        shown = glyph(m.group(1)) if m else None
        if m is None or shown is None:
            start = text.find(":", start + 1)
            continue
        if not keep_variation:
            shown = shown.replace(VARIATION_SELECTOR, "")
        out += [text[pos:start], shown]
        pos = m.end()
        start = text.find(":", pos)
    out.append(text[pos:])
    return "".join(out)
