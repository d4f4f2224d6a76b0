"""Characters TeX dropped because the font had no glyph for them: never silently blank.

With ``\\tracinglostchars=2`` (set in every preamble, ``document.assemble``) each engine
writes ``Missing character: There is no X (U+XXXX) in font NAME!`` to its log (xetex writes
``("XXXX)``, pdftex the character alone). The log says neither the file nor the line, so
each one is placed at the first line of the .tex that holds the character, which the
build's source map turns into the Markdown line, as for every other TeX warning.
"""

from __future__ import annotations

import unicodedata

from mdpaper.errors import Diagnostic
from mdpaper.patterns import lazy_pattern

_MISSING = lazy_pattern(r"^Missing character: There is no (?P<char>.+?)"
                        r"(?: \((?:U\+|\")(?P<code>[0-9A-Fa-f]+)\))? in font (?P<font>.+?)!?$")


def missing_glyphs(log: str, tex_name: str, tex_text: str) -> list[Diagnostic]:
    """One warning per character and font that the log says was dropped."""
    seen: set[tuple[str, str]] = set()
    found: list[Diagnostic] = []
    source = tex_text.splitlines()
    for line in log.splitlines():
        m = _MISSING.match(line)
        if m is None:
            continue
        ch = chr(int(m["code"], 16)) if m["code"] else m["char"]
        font = m["font"].strip('"[]:')
        if (ch, font) in seen or len(ch) != 1:
            continue
        seen.add((ch, font))
        name = unicodedata.name(ch, f"U+{ord(ch):04X}")
        where = next((i for i, text in enumerate(source, 1)
                      if ch in text and not text.startswith("\\")), None)
        where = where or next((i for i, text in enumerate(source, 1) if ch in text), None)
        found.append(Diagnostic("warning", f"character '{ch}' ({name}, U+{ord(ch):04X}) is not "
                                f"in font {font}: it is missing from the PDF", tex_name, where))
    return found
