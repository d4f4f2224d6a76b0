"""Pandoc-style citations in the Markdown, beside hugo-cite's shortcodes.

* ``[@key]``, ``[@a; @b]``, ``[see @a, p. 4; also @b]`` -> a parenthetical citation;
* ``[-@key]`` -> the year only (``\\citeyearpar``), for "Shannon [-@shannon1948] showed";
* ``@key`` in running text -> a textual citation (``\\citet``), with an optional locator
  right after it: ``@key [p. 4]``.

Keys start with a letter, digit or ``_`` and may hold ``:.#$%&-+?<>~/`` inside (as in
Pandoc), or are written ``@{key}``. An ``@`` right after a letter, digit, ``.``, ``+`` or
``-`` is not a citation, so e-mail addresses stay text. A textual ``@word`` whose key is
not in the bibliography stays text too (it is more often a handle than a typo); brackets
with an unknown key are an error, as with ``{{< cite >}}``.
"""

from __future__ import annotations

import re
from typing import Any

from mdpaper.patterns import lazy_pattern

Token = dict[str, Any]

KEY = r"[\w](?:[\w]|[:.#$%&+?<>~/-](?=[\w]))*"
_AT_KEY = r"@(?:\{[^{}\s]+\}|" + KEY + r")"
#: Parenthetical: brackets holding at least one @key, not a link's text or a footnote.
BRACKET_PATTERN = (r"\[(?!\^)(?P<pc_body>[^\[\]\n]*?(?<![\w.+@-])-?" + _AT_KEY
                   + r"[^\[\]\n]*?)\](?![(\[:])")
#: Textual: @key, optionally followed by ``[locator]``.
TEXT_PATTERN = (r"(?<![\w.+@-])@(?P<pc_key>\{[^{}\s]+\}|" + KEY + r")"
                r"(?:[ \t]\[(?P<pc_loc>[^\[\]@\n]*)\](?![(\[:]))?")
_ITEM = lazy_pattern(r"^(?P<prefix>.*?)(?P<minus>-?)@(?:\{(?P<bkey>[^{}\s]+)\}|(?P<key>" + KEY
                     + r"))(?P<suffix>.*)$", re.S)


def parse_items(body: str) -> list[dict[str, Any]] | None:
    """The items of a bracketed citation, or None when it is not one."""
    items = []
    for part in body.split(";"):
        m = _ITEM.match(part.strip())
        if not m or (m.group("prefix") and m.group("prefix")[-1:].isalnum()):
            return None
        items.append({
            "key": m.group("bkey") or m.group("key"),
            "prefix": m.group("prefix").strip(),
            "suffix": m.group("suffix").strip().lstrip(",").strip(),
            "suppress": bool(m.group("minus")),
        })
    return items or None


def _line(state: Any, pos: int) -> int | None:
    base = state.env.get("_line")
    return None if base is None else base + state.src.count("\n", 0, pos)


def _parse_bracket(inline: Any, m: re.Match[str], state: Any) -> int | None:
    items = parse_items(m.group("pc_body"))
    if items is None:
        return None
    state.append_token({"type": "pandoc_cite", "mode": "paren", "items": items,
                        "raw": m.group(0), "_line": _line(state, m.start())})
    return m.end()


def _parse_text(inline: Any, m: re.Match[str], state: Any) -> int:
    key = m.group("pc_key").strip("{}")
    locator = (m.group("pc_loc") or "").strip()
    state.append_token({"type": "pandoc_cite", "mode": "text",
                        "items": [{"key": key, "prefix": "", "suffix": locator,
                                   "suppress": False}],
                        "raw": m.group(0), "_line": _line(state, m.start()),
                        "key_raw": "@" + m.group("pc_key")})
    return m.end()


def register(md: Any) -> None:
    """Add both forms to a mistune Markdown instance (before links and e-mail autolinks)."""
    md.inline.register("pandoc_cite", BRACKET_PATTERN, _parse_bracket, before="link",
                       start_chars="[")
    md.inline.register("pandoc_textcite", TEXT_PATTERN, _parse_text, before="link",
                       start_chars="@")
