"""File I/O with the project's guarantees: reading names the file (and line) of every
problem, writing replaces atomically so a failure never leaves a half-written output."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from mdpaper.errors import MdpaperError


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
