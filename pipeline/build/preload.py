"""Shared preambles of recent xelatex and lualatex builds, for a run to load ahead of time.

pdflatex passes start from a precompiled preamble (``format_cache``). The Unicode engines
cannot have one: XeTeX refuses to dump a font, and fontspec (even the LaTeX kernel, in TU
encoding) has loaded one before the preamble ends; LuaTeX keeps Lua state outside its
formats. So each of their passes loads the whole preamble: measured on a short Chinese
post, 0.7 s of a 0.8 s xelatex pass are the engine starting and the preamble loading
(fontspec, xeCJK, hyperref and the fonts), the body less than 0.1 s.

The shared part of the preamble (``tex.preamble_format``: class, packages, fonts; not the
post's title) is the same text for posts of one template and language. So a build
remembers the shared part its engine loaded, here, and the next cold build of a post that
will most likely need that engine starts the engine on it at once, on the idle core, while
Python converts (``build.standby``): TeX reads the remembered text from a file of the build
folder, then waits. When the post's .tex is written and its shared part is that very text,
byte for byte, TeX goes on into the .tex, whose ``\\documentclass`` now skips to the end of
the shared part (as in a run from a format), so the rest runs as in any pass. Otherwise the
waiting run is stopped and the ordinary pass runs: a wrong guess costs the idle core only.

The texts live beside the formats (``format_cache.formats_dir``) as
``preamble-ENGINE-DIGEST.tex``, at most ``KEEP`` per engine, the least recently used removed
first; ``mdpaper cache clear`` removes them with the formats.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

from mdpaper.build.format_cache import formats_dir, locked
from mdpaper.files import write_atomic
from mdpaper.tex.engines import AUTO, ENGINES, PLAIN_ENGINE, UNICODE_ENGINE
from mdpaper.tex.fonts import is_cjk

#: The remembered preambles of one engine: ``preamble-ENGINE-DIGEST.tex``.
PREFIX = "preamble-"
#: How many are kept per engine (one template in a few languages, say).
KEEP = 4
#: Characters below this are never CJK (``fonts.is_cjk``); a post's text is mostly these.
_FIRST_CJK = "\u2e80"


def remember(engine: str, preamble: str) -> None:
    """Keep ``preamble`` (a shared part ``engine`` just loaded) as the newest of its engine.
    A full or read-only cache keeps nothing."""
    digest = hashlib.sha256(preamble.encode("utf-8")).hexdigest()[:32]
    with contextlib.suppress(OSError), locked(exclusive=True) as folder:
        path = folder / f"{PREFIX}{engine}-{digest}.tex"
        if path.is_file():
            os.utime(path)  # the most recently used: the next guess
        else:
            write_atomic(path, preamble)
        for old in _texts(folder, engine)[KEEP:]:
            with contextlib.suppress(OSError):
                old.unlink()


def recall(engine: str) -> str | None:
    """The shared part ``engine`` loaded most recently, if any is remembered."""
    try:
        with locked(exclusive=False) as folder:
            texts = _texts(folder, engine)
            return texts[0].read_text(encoding="utf-8") if texts else None
    except (OSError, UnicodeDecodeError):
        return None


def remembered() -> list[tuple[str, Path]]:
    """Every remembered preamble as (engine, file), most recently used first (for
    ``mdpaper cache info``)."""
    folder = formats_dir()
    found = [(engine, path) for engine in ENGINES if folder.is_dir()
             for path in _texts(folder, engine)]
    return sorted(found, key=lambda item: _mtime(item[1]), reverse=True)


def likely_engine(engine: str, markdown: str) -> str:
    """The engine a post will most likely be built with, guessed before it is converted:
    ``engine`` unless it is automatic; then xelatex for a post with CJK text (what most
    posts that need a Unicode engine have), pdflatex otherwise."""
    if engine != AUTO:
        return engine
    wide = (ch for ch in set(markdown) if ch >= _FIRST_CJK)
    return UNICODE_ENGINE if any(is_cjk(ch) for ch in wide) else PLAIN_ENGINE


def _texts(folder: Path, engine: str) -> list[Path]:
    """The remembered preambles of ``engine``, most recently used first."""
    if engine not in ENGINES:
        return []
    paths = list(folder.glob(f"{PREFIX}{engine}-*.tex"))
    return sorted(paths, key=_mtime, reverse=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:  # (removed meanwhile: the oldest)
        return 0.0


__all__ = ["KEEP", "likely_engine", "recall", "remember", "remembered"]
