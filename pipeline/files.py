"""File I/O with the project's guarantees: reading names the file (and line) of every
problem, writing replaces atomically so a failure never leaves a half-written output."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
import tomllib
import unicodedata
from pathlib import Path, PurePosixPath
from typing import Any

from mdpaper.errors import MdpaperError
from mdpaper.patterns import lazy_pattern


def read_utf8(path: Path, what: str = "file") -> str:
    """Read ``path`` as UTF-8 (a BOM is dropped); missing, unreadable or non-UTF-8 files are
    located errors: ``post.md:4: error: … is not valid UTF-8 (byte 0xe9 at offset 20)``."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise MdpaperError("no such file", path) from None
    except IsADirectoryError:
        raise MdpaperError(f"{what} is a directory, not a file", path) from None
    except OSError as exc:
        raise MdpaperError(f"cannot read {what}: {exc.strerror or exc}", path) from None
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise MdpaperError(
            f"{what} is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save it as UTF-8", path, line) from None


def inside(root: Path, candidate: Path) -> bool:
    """True when ``candidate`` (symlinks resolved) lies inside ``root``: the one test that
    confines every path a post names (images, bibliography, templates) to the site."""
    try:
        return candidate.resolve().is_relative_to(root.resolve())
    except OSError:
        return False


def cache_root() -> Path:
    """mdpaper's per-user cache: ``$XDG_CACHE_HOME/mdpaper``, else ``~/.cache/mdpaper`` (the
    XDG rule: a relative ``XDG_CACHE_HOME`` is ignored)."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".cache"
    return root / "mdpaper"


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write via a temporary file in the same folder and rename it into place."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def copy_atomic(src: Path, dest: Path) -> None:
    """Copy ``src`` over ``dest`` atomically; an identical ``dest`` is left untouched."""
    data = src.read_bytes()
    if dest.exists() and dest.stat().st_size == len(data) and dest.read_bytes() == data:
        return
    write_atomic(dest, data)


_TOML_LINE = lazy_pattern(r"\(at line (\d+)")


def parse_toml(text: str, path: Path | str | None = None, first_line: int = 1,
               what: str = "") -> dict[str, Any]:
    """Parse TOML; a syntax error is a located error at the line of ``path`` it is on
    (``first_line``: where ``text`` starts in that file, e.g. after a ``+++`` fence)."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = _TOML_LINE.search(str(exc))
        # tomllib says "(at end of document)" for a value cut short: the last line
        offset = int(m.group(1)) if m else max(1, len(text.rstrip("\n").splitlines()))
        line = first_line + offset - 1
        message = str(exc).split(" (at ")[0]
        raise MdpaperError(f"invalid TOML{' ' + what if what else ''}: {message}", path,
                           line) from None


def toml_value_line(text: str, key: str) -> int | None:
    """The 1-based line where the value of top-level ``key`` starts: the key's own line, or
    the next one for a multi-line string whose opening quotes end the line (TOML drops
    that first newline)."""
    pattern = re.compile(r'^\s*["\']?' + re.escape(key) + r'["\']?\s*=\s*(\'\'\'|""")?\s*$|'
                         r'^\s*["\']?' + re.escape(key) + r'["\']?\s*=')
    for number, line in enumerate(text.splitlines(), 1):
        m = pattern.match(line)
        if m:
            return number + 1 if m.group(1) else number
    return None


# Latin letters NFKD does not decompose into an ASCII base letter.
_ASCII_SPELLING = str.maketrans(
    {"ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O", "ł": "l"}
    | {"Ł": "L", "đ": "d", "Đ": "D", "þ": "th", "ı": "i"}
)


def ascii_fold(text: str) -> str:
    """``text`` in ASCII letters for names TeX, BibTeX and arXiv accept (``Søren Kjær`` ->
    ``Soren Kjaer``); characters with no Latin spelling (CJK, emoji) are dropped."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_ASCII_SPELLING))
    return decomposed.encode("ascii", "ignore").decode()


def shorten_name(name: str, limit: int) -> str:
    """``name`` if it has at most ``limit`` characters, else its start, a dash and 8 hex
    digits of a hash of the whole name, extension kept: the same long name always gives the
    same short one, and two long names that share their start still differ."""
    if len(name) <= limit:
        return name
    suffix = PurePosixPath(name).suffix
    suffix = suffix if len(suffix) <= 10 else ""
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    start = name[: max(limit - len(suffix) - len(digest) - 1, 1)].rstrip("-._/")
    return f"{start}-{digest}{suffix}"
