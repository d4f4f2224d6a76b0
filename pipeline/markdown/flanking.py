"""Emphasis markers the page prints as text beside East Asian punctuation.

CommonMark (and so Goldmark, Hugo's renderer) opens emphasis only at a "left-flanking"
run of ``*`` or ``_`` and closes it only at a "right-flanking" one: a closing ``**`` right
after punctuation must be followed by a space or more punctuation. Chinese and Japanese
put no space there, so ``**注意：**这里`` is no bold on the page: Hugo prints the four
asterisks (checked with Hugo 0.168, its CJK extension on or off). The paper prints what
the page does, and says where, since the author most likely never meant it.
"""

from __future__ import annotations

import unicodedata

from mdpaper.patterns import lazy_pattern

#: a run of one or two emphasis markers (three and more are left alone), not escaped
_RUN = lazy_pattern(r"(?<![\\*])\*{1,2}(?!\*)|(?<![\\_])_{1,2}(?!_)")
#: what is no emphasis whatever it holds: code spans, math, HTML tags, link destinations
_OPAQUE = lazy_pattern(r"(`+)[\s\S]*?\1|\$\$[\s\S]*?\$\$|\$[^$\n]*\$|\\\([\s\S]*?\\\)"
                       r"|<[^>\n]*>|\]\([^)\s]*\)")


def _kind(ch: str) -> str:
    """" " (white space, or the text's edge), "p" (punctuation or symbol) or "a"."""
    if not ch or ch.isspace():
        return " "
    return "p" if unicodedata.category(ch)[0] in "PS" else "a"


def _wide(ch: str) -> bool:
    return bool(ch) and unicodedata.east_asian_width(ch) in "WF"


def unflanked_emphasis(text: str) -> str | None:
    """The first marker run of ``text`` (a paragraph's Markdown) that the author pairs with
    another but CommonMark cannot use (it opens before punctuation after a letter, or
    closes after punctuation before a letter), beside East Asian text; None if none."""
    if text.isascii() or ("*" not in text and "_" not in text):
        return None
    plain = _OPAQUE.sub(lambda m: " " * len(m.group(0)), text)
    runs = list(_RUN.finditer(plain))
    for marker in ("*", "**", "_", "__"):
        same = [m for m in runs if m.group(0) == marker]
        for opener, closer in zip(same[::2], same[1::2], strict=False):
            for m, role in ((opener, "open"), (closer, "close")):
                before = plain[m.start() - 1] if m.start() else ""
                after = plain[m.end()] if m.end() < len(plain) else ""
                b, a = _kind(before), _kind(after)
                fails = (b, a) == (("a", "p") if role == "open" else ("p", "a"))
                # (an underscore between two letters neither opens nor closes)
                fails = fails or (marker[0] == "_" and (b, a) == ("a", "a"))
                if fails and (_wide(before) or _wide(after)):
                    return marker
    return None
