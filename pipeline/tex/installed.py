"""Which of the TeX files a conversion asks about are installed: one kpsewhich run.

A conversion of a post with characters beyond Latin-1 asks about a few files: the input
encodings' ``.dfu`` files (which characters pdflatex maps), twemojis (emoji), textalpha
(Greek), cm-super's T2A fonts (Cyrillic), T5 (Vietnamese), CJKutf8 and the CJK families'
metrics. A kpsewhich run costs 40-50 ms whatever it looks up (it reads TeX Live's file
databases); three of them one after another sat on the critical path of a Russian post's
first PDF. So one run looks up all of them, started as soon as the build has the post
(``start``, beside the TeX run it starts then), and answers every question after it.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from mdpaper.tex.engines import ENGINES

#: The encodings' files whose ``\DeclareUnicodeCharacter`` lines say what pdflatex maps.
ENCODING_FILES = ("t1enc.dfu", "ts1enc.dfu", "ot1enc.dfu", "omsenc.dfu", "utf8enc.dfu")
#: The CJK package's families pdflatex may use (CJKutf8), and their metrics' name prefix.
CJK_FAMILIES = {"gbsn": "gbsnu", "min": "udmj", "nanummj": "nanummjm"}
#: Every file the conversion asks about.
WANTED = (*ENCODING_FILES, "twemojis.sty", "textalpha.sty", "t2aenc.dfu", "sfrm1000.pfb",
          "t5enc.dfu", "t5lmr.fd", "CJKutf8.sty",
          *(f"c70{family}.fd" for family in CJK_FAMILIES),
          *(f"{prefix}30.tfm" for prefix in CJK_FAMILIES.values()))

#: Characters T1 and TS1 have always declared (a test checks them against the installed
#: .dfu files): Latin-1, Latin Extended-A but nine letters T1 has no glyph for, and the
#: dashes, quotes and signs of European prose. ``latex.escape`` answers for these without
#: reading the .dfu files, so a post in English, German, French or Polish, or citing
#: such names, starts no kpsewhich.
KNOWN_WITHOUT_LOOKUP = frozenset(
    {chr(c) for c in range(0xA0, 0x180)}
    - set("\u0126\u0127\u0138\u013f\u0140\u0149\u0166\u0167\u017f")
    | set("\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2020\u2021\u2022\u2026"
          "\u2030\u2039\u203a\u20ac"))

_running: subprocess.Popen[str] | None = None
_found: dict[str, Path] | None = None


def lookup_needed(text: str) -> bool:
    """Whether ``text`` has a non-ASCII character whose fate under pdflatex needs the
    lookup (one beyond ``KNOWN_WITHOUT_LOOKUP``)."""
    return not text.isascii() and any(
        ch >= "\x80" and ch not in KNOWN_WITHOUT_LOOKUP for ch in set(text))


def prefetch(text: str, engine: str) -> None:
    """Start the lookup when the conversion of ``text`` will ask for it: under pdflatex, or
    the automatic choice (which asks what pdflatex could set), with a character beyond
    ``KNOWN_WITHOUT_LOOKUP``."""
    if not getattr(ENGINES.get(engine), "unicode", False) and lookup_needed(text):
        start()


def start() -> None:
    """Start the lookup, unless it is started or done (it answers in the background)."""
    global _running
    if _running is not None or _found is not None:
        return
    exe = shutil.which("kpsewhich")
    if exe is None:
        return
    try:
        _running = subprocess.Popen([exe, *WANTED], stdout=subprocess.PIPE,
                                    stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                                    text=True)
    except OSError:
        _running = None


def find(name: str) -> Path | None:
    """Where ``name`` (one of ``WANTED``) is installed; None when it is not (or there is no
    kpsewhich: a bare machine converting with ``--tex-only``)."""
    return _lookup().get(name)


def _lookup() -> dict[str, Path]:
    global _found, _running
    if _found is not None:
        return _found
    start()
    out = ""
    if _running is not None:
        proc, _running = _running, None
        try:
            out = proc.communicate(timeout=20)[0]
        except subprocess.SubprocessError:
            proc.kill()
            proc.communicate()
    _found = {Path(line).name: Path(line) for line in out.splitlines() if line.strip()}
    return _found


__all__ = ["CJK_FAMILIES", "ENCODING_FILES", "KNOWN_WITHOUT_LOOKUP", "WANTED", "find",
           "lookup_needed", "prefetch", "start"]
