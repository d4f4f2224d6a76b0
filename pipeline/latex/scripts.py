"""Characters beyond Latin: which ones pdflatex can set, and how emoji are drawn.

* Greek: the ``textalpha`` package (greek-fontenc, Debian's texlive-lang-greek) sets Greek
  letters in any font encoding under pdflatex, so a Latin paper quoting Greek stays with
  pdflatex;
* Cyrillic, CJK, Vietnamese' stacked accents and most other scripts need fonts pdflatex's
  encodings do not reach here (T2A Type 1 fonts need cm-super, T5 needs vntex): a post
  using them gets a Unicode engine (``tex.engines.resolve_engine``);
* emoji: the ``twemojis`` package draws each as a picture on every engine (no TeX engine
  can put a colour bitmap font's glyph in a PDF as text), inside an ``ActualText`` span
  with an invisible glyph so the PDF's text (copy, search, pdftotext) still has the emoji.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

#: Code points that start an emoji, and what may follow in one emoji: variation
#: selector 16, zero-width joiner, skin tones, keycap, tags, regional indicators.
EMOJI_START = "\u2300-\u23ff\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff"
EMOJI = re.compile(f"[{EMOJI_START}](?:[\ufe0f\u20e3\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f]"
                   f"|\u200d[{EMOJI_START}])*")
#: How a picture emoji is written: the twemoji, then an invisible glyph whose text the
#: ActualText span replaces with the emoji itself (a span around a picture alone is not
#: read by PDF text extractors). Under xdvipdfmx, accsupp's span lands apart from the
#: glyph (pdftotext then reads the emoji at the end of the page); ``pdf:code`` keeps it in
#: place.
_EMOJI_BODY = "\\texttwemoji{#1}\\llap{\\textcolor{white}{x}}"
EMOJI_DEFINITION = ("\\newcommand{\\mdpaperemoji}[2]{\\BeginAccSupp{method=hex,unicode,"
                    f"ActualText=#2}}{_EMOJI_BODY}\\EndAccSupp{{}}}}")
EMOJI_DEFINITION_DVIPDFMX = ("\\newcommand{\\mdpaperemoji}[2]{\\special{pdf:code "
                             f"/Span<</ActualText<FEFF#2>>>BDC}}{_EMOJI_BODY}"
                             "\\special{pdf:code EMC}}")
#: A character no font has: its code in a box, so the gap is seen (and a warning says where).
PLACEHOLDER_DEFINITION = "\\newcommand{\\mdpapermissing}[1]{\\fbox{\\scriptsize U+#1}}"
_DEFINE = re.compile(r"\\defineTwemoji\{\d+\}\{([0-9a-f]+(?:-[0-9a-f]+)*)\}")


@functools.cache
def twemoji_codes() -> frozenset[str]:
    """The emoji the installed twemojis package draws, as its names (``1f600``,
    ``1f468-200d-1f4bb``); empty when the package is not installed."""
    exe = shutil.which("kpsewhich")
    if exe is None:
        return frozenset()
    try:
        found = subprocess.run([exe, "twemojis.sty"], capture_output=True, text=True,
                               timeout=20, check=False).stdout.strip()
        text = Path(found).read_text(encoding="utf-8", errors="replace") if found else ""
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(_DEFINE.findall(text))


@functools.cache
def greek_package() -> bool:
    """Whether ``textalpha`` (Greek letters under pdflatex) is installed."""
    exe = shutil.which("kpsewhich")
    if exe is None:
        return False
    try:
        return bool(subprocess.run([exe, "textalpha.sty"], capture_output=True, text=True,
                                   timeout=20, check=False).stdout.strip())
    except (OSError, subprocess.SubprocessError):
        return False


def is_greek(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith("GREEK ") and 0x370 <= ord(ch) <= 0x3FF


def twemoji_name(emoji: str) -> str | None:
    """The twemojis name of an emoji (with or without its variation selector), or None."""
    codes = [f"{ord(c):x}" for c in emoji]
    for name in ("-".join(codes), "-".join(c for c in codes if c != "fe0f")):
        if name in twemoji_codes():
            return name
    return None


def drawn_as_picture(ch: str) -> bool:
    """Whether ``ch`` is an emoji twemojis draws (no font needs to have it)."""
    return EMOJI.fullmatch(ch) is not None and twemoji_name(ch) is not None


def emoji_latex(emoji: str) -> str | None:
    """``\\mdpaperemoji{name}{UTF-16 hex}`` for an emoji twemojis draws, else None."""
    name = twemoji_name(emoji)
    if name is None:
        return None
    utf16 = emoji.encode("utf-16-be").hex().upper()
    return f"\\mdpaperemoji{{{name}}}{{{utf16}}}"
