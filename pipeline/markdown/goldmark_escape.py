"""Math on a Hugo site without the passthrough extension: Goldmark reads it as Markdown
first, and MathJax or KaTeX then sees what Goldmark left of it.

Checked against the Hugo binary (tests/latex/test_math_goldmark_escaping.py):

* a backslash before ASCII punctuation is an escape: ``\\{`` leaves ``{`` (so authors write
  ``\\\\{``), ``\\_`` leaves ``_``, ``\\\\`` leaves ``\\`` (a line break in ``aligned`` is
  written ``\\\\\\\\``), ``\\,`` leaves ``,``; a backslash before anything else stays;
* the inline delimiters MathJax looks for are what is left too: ``\\\\(x\\\\)`` on the page is
  ``\\(x\\)``, while ``\\(x\\)`` is only ``(x)``;
* entity references are characters (``&lt;`` is ``<``); a lone backslash before a line end
  is a line break (MathJax reads it as a new line);
* ``*``/``_`` runs that Goldmark pairs into emphasis (``$a*b*c$``, ``$_a_ b$``) and paired
  backticks (a code span) cut the formula with HTML tags: MathJax then shows no formula at
  all. The text is kept as written, and the caller warns.

Hugo's typographer also turns ``'`` into ’, ``...`` into … and ``--`` into –, inside math
too; those change glyphs, not the formula (MathJax shows ’ where a prime was meant), so they
are left as the author typed them.
"""

from __future__ import annotations

import functools
import html
import string
import unicodedata
from collections.abc import Set as AbstractSet
from typing import Any

from mdpaper.patterns import lazy_pattern

#: CommonMark's ASCII punctuation: what a backslash escapes
_PUNCTUATION = frozenset(string.punctuation)
#: (a backslash at a line's end is a hard break only after a character other than a
#: backslash, as Hugo's Goldmark reads it: three backslashes and a newline leave two)
_ESCAPE_OR_ENTITY = lazy_pattern(
    r"\\(?P<punct>[!-/:-@\[-`{-~])|(?<!\\)\\(?P<br>\n)"
    r"|&(?P<entity>#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
)


_REFERENCE = lazy_pattern(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});")


def decode_references(text: str) -> str:
    """HTML character references as the browser reads them in the page's text (``&copy;`` →
    ©, ``&#x41;`` → A, ``&nbsp;`` → a no-break space; the semicolon is required, as
    CommonMark requires it; unknown names stay as written)."""
    return _REFERENCE.sub(lambda m: html.unescape(m.group(0)), text) if "&" in text else text


_ESCAPED_STAR = lazy_pattern(r"(\\(?:begin|end)\{[a-z]+)\\\*\}")


def unescape_env_star(text: str) -> str:
    """``\\begin{align\\*}`` (ox-hugo's spelling) as Goldmark leaves it: ``align*``."""
    return _ESCAPED_STAR.sub(r"\1*}", text) if "\\*}" in text else text


_DOUBLE_ESCAPE = lazy_pattern(r"\\\\[{}_]")


def meant_before_passthrough(text: str) -> str | None:
    """Math a passthrough site passes raw but that is written for Goldmark's escapes
    (``\\left\\\\{``, from before the site enabled passthrough): the text its author
    meant, or None when nothing in it looks escaped twice."""
    return goldmark_math(text)[0] if _DOUBLE_ESCAPE.search(text) else None


@functools.lru_cache(maxsize=4096)  # posts repeat their formulas ($x$, $p(x)$...)
def goldmark_math(text: str, *, before: str = "$", after: str = "$") -> tuple[str, str | None]:
    """``(what Goldmark leaves of the math text, why the page shows no formula or None)``.

    ``before``/``after``: the characters around the text in the post (its delimiters),
    which decide whether an emphasis run at its edge can open or close.
    """
    if "\\" not in text and "&" not in text:  # nothing escaped (most formulas are not)
        return text, _breaking_markup(text, frozenset(), before, after)
    parts: list[str] = []
    escaped: set[int] = set()  # positions in the result of characters an escape gave
    pos = length = 0
    for m in _ESCAPE_OR_ENTITY.finditer(text):
        parts.append(text[pos:m.start()])
        length += m.start() - pos
        if m.group("punct") is not None:
            piece = m.group("punct")
        elif m.group("br") is not None:
            piece = "\n"
        else:
            piece = html.unescape(m.group(0))  # (an unknown name stays as written)
        parts.append(piece)
        escaped.update(range(length, length + len(piece)))
        length += len(piece)
        pos = m.end()
    parts.append(text[pos:])
    plain = "".join(parts)
    return plain, _breaking_markup(plain, escaped, before, after)


def as_goldmark_leaves(token: dict[str, Any], whole: str) -> dict[str, Any]:
    """A math token of the parser (``whole``: the text its pattern matched, delimiters
    included) as MathJax sees it; ``web_broken`` says why the page shows no formula."""
    start = whole.find(token["raw"]) if token["raw"] else -1
    before = whole[start - 1] if start > 0 else " "
    end = start + len(token["raw"])
    after = whole[end] if start >= 0 and end < len(whole) else " "
    written = token["raw"]
    token["raw"], broken = goldmark_math(written, before=before, after=after)
    if token["raw"] != written:
        token["as_written"] = written  # what the author meant, when the page shows it broken
    if broken:
        token["web_broken"] = broken
    return token


def _breaking_markup(plain: str, escaped: AbstractSet[int], before: str,
                     after: str) -> str | None:
    runs = _delimiter_runs(plain, escaped, before, after)
    if _emphasis(runs):
        return "Goldmark reads its '*' or '_' as emphasis"
    ticks = [length for char, length, _, _ in runs if char == "`"]
    if any(ticks.count(n) >= 2 for n in ticks):
        return "Goldmark reads its backticks as code"
    return None


_Run = tuple[str, int, bool, bool]  # character, length, can open, can close
#: A run of one delimiter character (split where an escape gave one of them).
_DELIMITERS = lazy_pattern(r"\*+|_+|`+")


def _delimiter_runs(plain: str, escaped: AbstractSet[int], before: str,
                    after: str) -> list[_Run]:
    runs: list[_Run] = []
    for m in _DELIMITERS.finditer(plain):
        i = m.start()
        while i < m.end():
            if i in escaped:  # an escaped delimiter is a character like any other
                i += 1
                continue
            j = i
            while j < m.end() and j not in escaped:
                j += 1
            runs.append(_run(plain, i, j, before, after))
            i = j
    return runs


def _run(plain: str, i: int, j: int, before: str, after: str) -> _Run:
    """The delimiter run ``plain[i:j]``: whether it can open and close emphasis."""
    char = plain[i]
    prev = plain[i - 1] if i else before
    nxt = plain[j] if j < len(plain) else after
    left = not nxt.isspace() and (not _punct(nxt) or prev.isspace() or _punct(prev))
    right = not prev.isspace() and (not _punct(prev) or nxt.isspace() or _punct(nxt))
    if char != "_":
        return char, j - i, left, right
    # an underscore run inside a word neither opens nor closes
    opens, closes = left and (not right or _punct(prev)), right and (not left or _punct(nxt))
    return char, j - i, opens, closes


def _emphasis(runs: list[_Run]) -> bool:
    """Whether some closer pairs with an earlier opener (CommonMark's rule of three kept)."""
    openers: list[_Run] = []
    for run in runs:
        char, length, opens, closes = run
        if char == "`":
            continue
        if closes:
            for o_char, o_length, _, o_closes in reversed(openers):
                both = o_closes or opens
                if o_char == char and not (both and (o_length + length) % 3 == 0
                                           and not (o_length % 3 == 0 and length % 3 == 0)):
                    return True
        if opens:
            openers.append(run)
    return False


def _punct(ch: str) -> bool:
    return ch in _PUNCTUATION or unicodedata.category(ch)[0] in "PS"

