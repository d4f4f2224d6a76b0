"""Right-to-left text in its reading order: TeX--XeT direction marks for a run of inlines.

A browser lays out a paragraph with the Unicode bidirectional algorithm: an Arabic or
Hebrew sentence reads right to left, its words too, while a Latin name, a number or a
formula inside it keeps its own order. XeTeX shapes each word but puts the words of a line
left to right unless told otherwise; e-TeX's TeX--XeT (``\\TeXXeTstate=1``) is how it is
told: ``\\beginR ... \\endR`` sets a stretch right to left across line breaks, and
``\\beginL ... \\endL`` a left-to-right stretch inside it. These marks are nodes of the
line, not groups, so a stretch may begin inside ``\\textbf{...}`` and end outside it.

What follows is the algorithm's outline, enough for prose: the paragraph's direction is
that of its first strong letter (as ``dir="auto"``, and Goldmark's pages on sites without a
direction read much the same); digits take the direction of the letters before them;
spaces and punctuation between two letters of one direction take it, others the
paragraph's. Code spans, formulas and other elements are single units (TeX keeps a formula
left to right by itself); emphasis and links are looked into, as their text flows with the
sentence. Right-to-left text is set in its script's own font family (``tex.fonts``): a
font shaping Arabic orders every word right to left, "9," among Latin words too.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any

from mdpaper.tex.fonts import rtl_script, script_family

if TYPE_CHECKING:  # the renderer imports this module for its handler table
    from mdpaper.latex.renderer import LatexRenderer

Token = dict[str, Any]

#: the preamble line that turns the marks on (xelatex), and PDF strings (bookmarks, the
#: document's title) that drop them instead of warning of them
DEFINITION = ("\\TeXXeTstate=1 \\AtBeginDocument{\\ifdefined\\pdfstringdefDisableCommands"
              "\\pdfstringdefDisableCommands{\\let\\beginR\\empty\\let\\endR\\empty"
              "\\let\\beginL\\empty\\let\\endL\\empty}\\fi}")
#: inline tokens whose children flow with the sentence (groups, not boxes: ulem's
#: underlines and strikeouts box their words, so they stay single units)
_FLOWING = frozenset({"emphasis", "strong", "link"})
_MARK = "direction_mark"
_RIGHT_TO_LEFT = "right_to_left_text"
_OPEN = {"R": "\\beginR ", "L": "\\beginL "}
_CLOSE = {"R": "\\endR{}", "L": "\\endL{}"}
_STRONG = {"L": "L", "R": "R", "AL": "R", "EN": "D", "AN": "D"}


def _kind(ch: str) -> str:
    """L, R, D (a digit) or N (anything else) for the outline above."""
    return "L" if ch.isascii() and ch.isalpha() else _STRONG.get(unicodedata.bidirectional(ch), "N")


def _units(tokens: list[Token]) -> list[tuple[Token, str]]:
    """Each token whose direction counts, with its text: a text token's own characters,
    an element's whole text (flowing ones are looked into instead)."""
    found: list[tuple[Token, str]] = []
    for tok in tokens:
        kind = tok["type"]
        if kind in _FLOWING and isinstance(tok.get("children"), list):
            found += _units(tok["children"])
        elif kind == "text":
            found.append((tok, tok.get("raw", "")))
        else:
            found.append((tok, _plain(tok)))
    return found


def _length(tokens: list[Token]) -> int:
    """How many positions of the outline ``tokens`` take (``marked``)."""
    return sum(len(text) if tok["type"] == "text" else 1 for tok, text in _units(tokens))


def _plain(tok: Token) -> str:
    """The text an element shows, for its direction: a code span's code, the text inside a
    strikeout or a mark; none for the rest (a formula, an image, a footnote's number: the
    algorithm takes an embedded object for a neutral)."""
    if tok["type"] == "codespan":
        return str(tok.get("raw") or "")
    children = tok.get("children")
    return "".join(_plain(c) if c["type"] != "text" else c.get("raw", "")
                   for c in children) if isinstance(children, list) else ""


def _first_strong(text: str) -> str:
    return next((ch for ch in text if _kind(ch) in "LR"), "")


def _resolve(kinds: list[str], base: str) -> list[str]:
    """Each position's direction: digits after the last strong letter's, neutrals between
    two of one direction that one, the rest the paragraph's."""
    last = base
    for i, kind in enumerate(kinds):
        if kind in "LR":
            last = kind
        elif kind == "D":
            kinds[i] = last
    following = [base] * len(kinds)
    after = base
    for i in range(len(kinds) - 1, -1, -1):
        following[i] = after
        if kinds[i] in "LR":
            after = kinds[i]
    before = base
    for i, kind in enumerate(kinds):
        if kind in "LR":
            before = kind
        else:
            kinds[i] = before if before == following[i] else base
    return kinds


def marked(tokens: list[Token], *, paragraph: bool) -> list[Token]:
    """``tokens`` with direction marks, when any of its text is right to left (else as
    they are). A right-to-left ``paragraph`` is left open at its end: TeX closes it after
    the paragraph's final fill, so its last line ends at the right margin, as on the page."""
    units = _units(tokens)
    text = "".join(t if tok["type"] == "text" else (_first_strong(t) or " ")
                   for tok, t in units)
    kinds = [_kind(ch) for ch in text]
    if "R" not in kinds:
        return tokens
    base = next(k for k in kinds if k in "LR")
    writer = _Writer(base, _resolve(kinds, base), next(filter(None, map(rtl_script, text)), None))
    out = ([_mark(_OPEN["R"])] if base == "R" else []) + writer.rewrite(tokens)
    out += [_mark(_CLOSE[writer.open])] if writer.open else []
    if base == "R" and not paragraph:
        out.append(_mark(_CLOSE["R"]))
    return out


class _Writer:
    """Rebuilds the tokens with a mark wherever the direction leaves the paragraph's."""

    def __init__(self, base: str, directions: list[str], script: str | None) -> None:
        self.base, self.directions = base, directions
        self.at = 0  # the position in ``directions`` of the next unit
        self.open = ""  # the direction of the stretch open now ("" for none)
        self.script = script  # of the last right-to-left letters

    def _next(self) -> str:
        self.at += 1
        return self.directions[self.at - 1]

    def rewrite(self, tokens: list[Token]) -> list[Token]:
        out: list[Token] = []
        for tok in tokens:
            kind = tok["type"]
            if kind in _FLOWING and isinstance(tok.get("children"), list):
                # of one direction throughout, its marks go around it, not into it (an
                # autolink's text stays the one text that makes it \url)
                span = set(self.directions[self.at:self.at + _length(tok["children"])])
                out += self._turn(span.pop()) if len(span) == 1 else []
                out.append({**tok, "children": self.rewrite(tok["children"])})
            elif kind == "text":
                out += self._text(tok)
            else:
                out += self._turn(self._next())
                out.append(tok)
        return out

    def _text(self, tok: Token) -> list[Token]:
        """The token cut where the direction turns, its right-to-left pieces in their
        script's family."""
        raw = tok.get("raw", "")
        out: list[Token] = []
        start, current = 0, ""
        for i in range(len(raw) + 1):
            direction = self._next() if i < len(raw) else ""
            if i < len(raw) and direction == current:
                continue
            if i > start:
                out += self._pieces(tok, raw[start:i], current)
            if direction:
                out += self._turn(direction)
            start, current = i, direction
        return out or [tok]

    def _pieces(self, tok: Token, text: str, direction: str) -> list[Token]:
        """``text`` as tokens: left-to-right text as it is, right-to-left text in its
        script's family, cut where the script changes (Hebrew beside Arabic)."""
        if direction != "R":
            return [{**tok, "raw": text}]
        out, start = [], 0
        for i, ch in enumerate(text):
            script = rtl_script(ch)
            if script and script != self.script:
                if i > start:
                    out.append(self._in_script(tok, text[start:i]))
                start, self.script = i, script
        return [*out, self._in_script(tok, text[start:])]

    def _in_script(self, tok: Token, text: str) -> Token:
        if self.script is None:  # (a letter of no script mdpaper has a font for)
            return {**tok, "raw": text}
        return {**tok, "type": _RIGHT_TO_LEFT, "raw": text, "script": self.script}

    def _turn(self, direction: str) -> list[Token]:
        """The marks before a unit of ``direction``: a stretch closed, one opened."""
        wanted = "" if direction == self.base else direction
        if wanted == self.open:
            return []
        marks = [_mark(_CLOSE[self.open])] if self.open else []
        if wanted:
            marks.append(_mark(_OPEN[wanted]))
        self.open = wanted
        return marks


def _mark(latex: str) -> Token:
    return {"type": _MARK, "raw": latex}


def direction_mark(r: LatexRenderer, tok: Token) -> str:
    return str(tok["raw"])


def right_to_left_text(r: LatexRenderer, tok: Token) -> str:
    """Text in its script's family, which shapes it (Arabic's joined letters) right to
    left; ``{}`` ends the control word, so a piece that is a space stays one."""
    return "{\\" + script_family(tok["script"]) + "{}" + r.inline({**tok, "type": "text"}) + "}"


INLINE_HANDLERS = {_MARK: direction_mark, _RIGHT_TO_LEFT: right_to_left_text}
