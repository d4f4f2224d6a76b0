"""The precompiled preamble formats of all posts, shared in a per-user cache.

A format (``tex.preamble_format``) holds the *shared* part of a post's preamble: the class,
the packages and the macros, not the post's title or metadata. Posts with the same template
and the same packages have the same shared part, so the format one build made serves the
cold build of another: its first pass starts from the format, skipping the package loading.

The formats live in ``$XDG_CACHE_HOME/mdpaper/formats`` (``~/.cache/mdpaper/formats`` when
``XDG_CACHE_HOME`` is unset or not absolute), two files per shared part: ``KEY.fmt`` and
``KEY.json``. KEY hashes the shared part, the engine and the engine binary (path, size,
mtime); the record also names every file the format was made from (as
``preamble_format`` does, so a TeX Live update makes it stale), the day it was made, and the
format file's size and SHA-256. A format that fails any of these checks, or whose bytes do
not match, is removed and built again alongside the pass: the cache can make a build
faster, never different or broken.

A post takes a cached format by a symbolic link in its build folder (a copy where links
cannot be made): the format is 22 MB uncompressed (``preamble_format``), and reading,
hashing and writing it would cost a cold build about as much CPU time as its conversion.
Its bytes are hashed again only when the file is not the very one the record describes
(device, inode and change time, which any write, truncation or ``utime`` moves on).

Concurrent builds (``-j``, two terminals) share it safely: readers hold a shared ``flock`` on
``formats/.lock`` while they check and link a format, writers an exclusive one while they
move a finished format in (written to a temporary file first, then ``os.replace``, so a
link made earlier still reads a whole format). It is bounded: at most ``MAX_FORMATS``
formats and ``MAX_BYTES`` bytes, the least recently used (by the record's mtime, touched
on every use) removed first. ``mdpaper cache info`` and ``mdpaper cache clear`` show and
empty it.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from mdpaper.files import cache_root, write_atomic
from mdpaper.tex.preamble_format import FORMAT_JOB, RECORD, PreambleFormat, record_current

#: At most this many formats (a format of mdpaper's templates is about 22 MB) ...
MAX_FORMATS = 16
#: ... and this many bytes of them.
MAX_BYTES = 400 * 1024 * 1024
_LOCK = ".lock"


def formats_dir() -> Path:
    return cache_root() / "formats"


@contextlib.contextmanager
def locked(exclusive: bool) -> Iterator[Path]:
    """The formats folder, under a shared (readers) or exclusive (writers) lock."""
    folder = formats_dir()
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / _LOCK, "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        try:
            yield folder
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


class Entry(NamedTuple):
    """One cached format, as ``mdpaper cache info`` lists it."""

    key: str
    size: int
    used: float
    label: str


def entries() -> list[Entry]:
    """The cached formats, most recently used first."""
    folder = formats_dir()
    found = []
    for fmt in _formats(folder) if folder.is_dir() else []:
        with contextlib.suppress(OSError, ValueError):
            record_path = fmt.with_suffix(".json")
            record = json.loads(record_path.read_text(encoding="utf-8"))
            found.append(Entry(fmt.stem, fmt.stat().st_size, _last_used(fmt),
                               str(record.get("label", ""))))
    return sorted(found, key=lambda e: e.used, reverse=True)


def clear() -> int:
    """Remove every cached format; how many there were."""
    if not formats_dir().is_dir():
        return 0
    with locked(exclusive=True) as folder:
        count = len(_formats(folder))
        for path in folder.iterdir():
            if path.name != _LOCK:
                _remove(path)
    return count


def prune(max_formats: int = MAX_FORMATS, max_bytes: int = MAX_BYTES) -> list[str]:
    """Remove the least recently used formats beyond the bounds; their keys."""
    with locked(exclusive=True) as folder:
        return _prune(folder, max_formats, max_bytes)


def _prune(folder: Path, max_formats: int, max_bytes: int) -> list[str]:
    formats = []
    for fmt in _formats(folder):
        with contextlib.suppress(OSError):
            formats.append((_last_used(fmt), fmt.stat().st_size, fmt))
    formats.sort(reverse=True)  # newest first: the ones kept
    kept = total = 0
    removed = []
    for _, size, fmt in formats:
        if kept < max_formats and total + size <= max_bytes:
            kept += 1
            total += size
            continue
        for path in (fmt, fmt.with_suffix(".json")):
            _remove(path)
        removed.append(fmt.stem)
    for record in folder.glob("*.json"):  # a record whose format is gone
        if not record.with_suffix(".fmt").exists():
            _remove(record)
    for tmp in folder.glob(".tmp-*"):  # writers hold the lock we hold: these are a dead one's
        _remove(tmp)
    return removed


def _formats(folder: Path) -> list[Path]:
    """The cached formats (not a writer's hidden temporary file)."""
    return [fmt for fmt in folder.glob("*.fmt") if not fmt.name.startswith(".")]


def _last_used(fmt: Path) -> float:
    """When a build last took this format: its record's mtime (touched on every use; not
    the format's own, whose change time vouches for its bytes), else the format's."""
    try:
        return fmt.with_suffix(".json").stat().st_mtime
    except OSError:
        return fmt.stat().st_mtime


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()


class SharedFormat(PreambleFormat):
    """A post's format, taken from the shared cache when the post has none of its own, and
    put into the cache when the post builds one."""

    def __init__(self, tex: Path, engine: str) -> None:
        super().__init__(tex, engine)
        self.key = _key(self.digest, engine)
        #: The SHA-256 of the cached format this post's copy came from (to drop it if bad).
        self.fetched: str | None = None

    def ready(self) -> bool:
        if super().ready():
            return True
        return self.enabled and self._from_cache()

    def discard(self) -> None:
        if self.fetched is None and self._linked():  # linked by an earlier step or build
            sha256 = (self.load_record() or {}).get("fmt_sha256")
            self.fetched = sha256 if isinstance(sha256, str) else None
        super().discard()
        if self.fetched is not None:  # the cached one is as bad as our copy of it
            self._drop(self.fetched)
            self.fetched = None

    def _linked(self) -> bool:
        """The build folder's format is a link to this key's cached one."""
        fmt, cached = self.folder / f"{FORMAT_JOB}.fmt", formats_dir() / f"{self.key}.fmt"
        try:
            return fmt.is_symlink() and fmt.resolve() == cached.resolve()
        except OSError:
            return False

    def finish_build(self, proc: subprocess.Popen[bytes], timeout: float) -> bool:
        ok = super().finish_build(proc, timeout)
        if ok:
            with contextlib.suppress(OSError):  # a full or read-only cache: no sharing
                self._publish()
        return ok

    def _from_cache(self) -> bool:
        """Link the cached format into the build folder when it is whole and still valid."""
        cached = formats_dir() / f"{self.key}.fmt"
        try:
            with locked(exclusive=False) as folder:
                record, whole = _read_entry(folder / f"{self.key}.json", cached)
                if record is not None and whole:
                    os.utime(folder / f"{self.key}.json")  # recently used: evicted last
        except OSError:
            return False
        if record is None or not whole:
            if record is not None:
                self._drop(record.get("fmt_sha256"))  # corrupt: made again alongside
            return False
        if not self.record_valid(record):  # TeX Live or a file it read changed
            self._drop(record.get("fmt_sha256"))
            return False
        try:
            _link(self.folder / f"{FORMAT_JOB}.fmt", cached)
        except OSError:
            return False
        write_atomic(self.folder / RECORD, json.dumps(record, indent=1, sort_keys=True))
        self.fetched = str(record["fmt_sha256"])
        return True

    def _publish(self) -> None:
        data = (self.folder / f"{FORMAT_JOB}.fmt").read_bytes()
        record = self.load_record() or {}
        first = self.preamble.split("\n", 1)[0].rstrip("%")
        packages = self.preamble.count("\\usepackage")
        record.update(fmt_sha256=hashlib.sha256(data).hexdigest(), fmt_size=len(data),
                      label=f"{self.engine} {first} + {packages} packages", key=self.key,
                      engine=self.engine)
        with locked(exclusive=True) as folder:
            _write(folder / f"{self.key}.fmt", data)
            record["fmt_stat"] = file_identity(os.stat(folder / f"{self.key}.fmt"))
            _write(folder / f"{self.key}.json",
                   json.dumps(record, indent=1, sort_keys=True).encode("utf-8"))
            _prune(folder, MAX_FORMATS, MAX_BYTES)

    def _drop(self, sha256: object) -> None:
        """Remove the cached entry, unless another build has replaced it meanwhile."""
        with contextlib.suppress(OSError), locked(exclusive=True) as folder:
            record_path = folder / f"{self.key}.json"
            try:
                current = json.loads(record_path.read_text(encoding="utf-8")).get("fmt_sha256")
            except (OSError, ValueError, AttributeError):
                current = sha256
            if current == sha256:
                _remove(folder / f"{self.key}.fmt")
                _remove(record_path)


def newest(folder: Path) -> tuple[str, str] | None:
    """The key and engine of the most recently used cached format, when it is whole and
    still valid seen from the build ``folder`` (the one a cold build most likely takes:
    posts of one template share it)."""
    try:
        with locked(exclusive=False) as formats:
            cached = _formats(formats)
            if not cached:
                return None
            fmt = max(cached, key=_last_used)
            record, whole = _read_entry(fmt.with_suffix(".json"), fmt)
    except OSError:
        return None
    if record is None or not whole or not record_current(record, folder):
        return None
    engine = record.get("engine")
    return (fmt.stem, engine) if isinstance(engine, str) else None


def _read_entry(record_path: Path, fmt: Path) -> tuple[dict[str, Any] | None, bool]:
    """The record (None when missing or unreadable), and whether the format's bytes are the
    ones it describes."""
    try:
        record = json.loads(record_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        record = None
    if not isinstance(record, dict) or not isinstance(record.get("fmt_sha256"), str):
        if fmt.exists():  # a format with no usable record cannot be trusted
            return {"fmt_sha256": None}, False
        return None, False
    try:
        st = fmt.stat()
        if st.st_size != record.get("fmt_size"):
            return record, False
        if record.get("fmt_stat") == file_identity(st):  # untouched since it was written whole
            return record, True
        with open(fmt, "rb") as fh:
            return record, hashlib.file_digest(fh, "sha256").hexdigest() == record["fmt_sha256"]
    except OSError:
        return record, False


def file_identity(st: os.stat_result) -> list[int]:
    """Which file, and its last change: a write, truncation, chmod or utime moves ctime."""
    return [st.st_dev, st.st_ino, st.st_ctime_ns]


def _link(link: Path, target: Path) -> None:
    """``link`` names ``target`` (replacing whatever it was), or is a copy of it."""
    tmp = link.with_name(f".{link.name}.link")
    with contextlib.suppress(OSError):
        tmp.unlink()
    try:
        os.symlink(target, tmp)
    except OSError:  # a file system without symbolic links
        write_atomic(link, target.read_bytes())
        return
    os.replace(tmp, link)


def _write(path: Path, data: bytes) -> None:
    """A temporary file beside ``path``, renamed over it: a reader sees the old or the new."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=f"{path.suffix}.tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        _remove(Path(tmp))
        raise


def _key(digest: str, engine: str) -> str:
    """The shared part's digest, the engine, and which engine binary (a TeX Live update
    replaces it)."""
    binary = shutil.which(engine) or engine
    real = os.path.realpath(binary)
    try:
        st = os.stat(real)
        identity = f"{real}|{st.st_size}|{st.st_mtime_ns}"
    except OSError:
        identity = real
    return hashlib.sha256(f"{engine}\n{identity}\n{digest}".encode()).hexdigest()[:32]


__all__ = ["MAX_BYTES", "MAX_FORMATS", "Entry", "SharedFormat", "cache_root", "clear",
           "entries", "formats_dir", "newest", "prune"]
