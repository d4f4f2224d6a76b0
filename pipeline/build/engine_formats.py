"""Inflated copies of xelatex's and lualatex's own formats, so their passes start sooner.

pdflatex passes start from mdpaper's precompiled preamble, kept uncompressed
(``tex.preamble_format``). The Unicode engines cannot have one, so every pass of theirs
loads the engine's own format (``xelatex.fmt``, 10 MB gzip-compressed, 37 MB inflated;
``lualatex.fmt``, 26 MB inflated), and inflating it piecemeal is a large part of starting
the engine: measured on a 10 KB Chinese post, a xelatex pass took 0.96 s of CPU from the
system's compressed format and 0.76 s from an inflated copy of the same file (lualatex on a
one-line document: 0.62 s and 0.49 s). TeX reads formats through zlib, which passes an
uncompressed file through as it is, so the state loaded is the same bytes either way.

So the cache keeps one inflated copy per engine, ``formats/engines/NAME.fmt`` (NAME being
the engine's format, ``xelatex``), with ``NAME.json``: the path of the format kpathsea found
(``kpsewhich``), that file's size and modification time, the environment variables that
steer kpathsea's search, and the copy's device, inode and change time (any write to it,
even one that keeps its size, moves the change time). A pass takes the copy
(``TEXFORMATS`` names the folder ahead of the usual search path) only when every one of
those still holds, so a TeX Live update (fmtutil rewrites the format) or another
``TEXFORMATS`` makes it stale; a stale or missing copy is made again while the pass runs on
the other core (``refresh_while``).
A format of the same name that ``fmtutil --user`` makes later in a personal tree (which
kpathsea searches first) makes the copy stale too; ``mdpaper cache clear`` forgets them.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import subprocess
import threading
import zlib
from pathlib import Path

from mdpaper.build.format_cache import file_identity, formats_dir, locked
from mdpaper.files import write_atomic
from mdpaper.tex.engines import ENGINES

#: The personal trees, whose formats kpathsea finds before the system's (``fmtutil --user``).
_USER_TREES = ("$TEXMFCONFIG", "$TEXMFVAR", "$TEXMFHOME")
#: The copies' folder, inside the formats folder (``mdpaper cache clear`` empties both).
FOLDER = "engines"
#: What decides which format file a run of the engine loads (kpathsea's search), beyond the
#: file itself: a change of any of them makes the copy stale.
_SEARCH_ENV = ("TEXFORMATS", "TEXMFVAR", "TEXMFSYSVAR", "TEXMFCONFIG", "TEXMFHOME",
               "TEXMFLOCAL", "TEXMF", "TEXMFCNF", "HOME")  # fmt: skip


def copy_env(engine: str) -> dict[str, str]:
    """The environment a pass of ``engine`` needs to load the inflated copy of its format:
    empty when there is none, or it is not a copy of the format the engine would load."""
    if not _inflatable(engine):
        return {}
    folder = formats_dir() / FOLDER
    try:
        record = json.loads((folder / f"{engine}.json").read_text(encoding="utf-8"))
        fresh = (record.get("search") == _search_env()
                 and record.get("source") == _identity(Path(record["path"]))
                 and not any(map(os.path.exists, record["shadows"]))
                 and record.get("copy") == _untouched(folder / f"{engine}.fmt"))
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    if not fresh:
        return {}
    inherited = os.environ.get("TEXFORMATS", "")
    # the empty entry after the colon stands for kpathsea's usual path (with "." first)
    return {"TEXFORMATS": f"{folder}:{inherited}"}


def refresh_while(engine: str, env: dict[str, str]) -> threading.Thread | None:
    """Make the copy of ``engine``'s format when it has none that is current, in a thread
    (the pass it is started beside keeps the other core busy); join it before exiting."""
    if not _inflatable(engine) or copy_env(engine):
        return None
    thread = threading.Thread(target=_refresh, args=(engine, env), daemon=True)
    thread.start()
    return thread


def _refresh(engine: str, env: dict[str, str]) -> None:
    program = ENGINES[engine].program
    try:
        found = subprocess.run(
            ["kpsewhich", f"-engine={program}", f"-progname={engine}",
             f"-expand-var={':'.join(_USER_TREES)}", f"{engine}.fmt"],
            env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
    except OSError:  # no kpsewhich: the build says what is missing; the copy can wait
        return
    lines = found.stdout.splitlines()
    if found.returncode != 0 or len(lines) != 2 or not os.path.isabs(lines[1]):
        return
    path = Path(lines[1])
    # Where fmtutil --user would put a format that kpathsea then finds first.
    shadows = [str(Path(tree, "web2c", sub, f"{engine}.fmt"))
               for tree in lines[0].split(":") if os.path.isabs(tree) for sub in (program, "")]
    if any(os.path.exists(p) for p in shadows if p != str(path)):
        return
    with contextlib.suppress(OSError, EOFError, zlib.error), locked(exclusive=True) as top:
        source = _identity(path)
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":  # gzip's magic number; an inflated format stays as it is
            data = gzip.decompress(data)
        folder = top / FOLDER
        folder.mkdir(exist_ok=True)
        copy = folder / f"{engine}.fmt"
        write_atomic(copy, data)
        write_atomic(folder / f"{engine}.json", json.dumps({
            "path": str(path), "source": source, "search": _search_env(),
            "shadows": [p for p in shadows if p != str(path)], "copy": _untouched(copy),
        }))  # fmt: skip


def copies() -> list[tuple[str, int]]:
    """The inflated copies in the cache (``mdpaper cache info``): (engine, bytes)."""
    folder = formats_dir() / FOLDER
    found = []
    for engine in sorted(e for e in ENGINES if _inflatable(e)):
        with contextlib.suppress(OSError):
            found.append((engine, (folder / f"{engine}.fmt").stat().st_size))
    return found


def _identity(path: Path) -> list[int]:
    """The system's format as fmtutil left it."""
    st = path.stat()
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def _untouched(copy: Path) -> list[int]:
    """The copy as it was written (``format_cache.file_identity``: a damaged copy is made
    again rather than loaded)."""
    return file_identity(copy.stat())


def _search_env() -> dict[str, str]:
    return {name: os.environ[name] for name in _SEARCH_ENV if name in os.environ}


def _inflatable(engine: str) -> bool:
    """An engine with no preamble format (pdflatex passes start from mdpaper's own)."""
    return engine in ENGINES and not ENGINES[engine].preamble_format
