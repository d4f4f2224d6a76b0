"""``mdpaper cache info`` and ``mdpaper cache clear``: the shared precompiled preamble formats
(``build.format_cache``) that let a cold build start from a preamble another post loaded,
and the preambles xelatex and lualatex builds preload (``build.preload``)."""

from __future__ import annotations

import argparse
import contextlib
import datetime

from mdpaper.build import engine_formats, format_cache, preload
from mdpaper.errors import MdpaperError

MB = 1024 * 1024


def run(args: argparse.Namespace) -> int:
    folder = format_cache.formats_dir()
    if args.action == "clear":
        remembered = len(preload.remembered())
        try:
            count = format_cache.clear()
        except OSError as exc:  # a folder the user cannot write to
            raise MdpaperError(f"cannot clear the cache: {exc.strerror or exc}", folder) from None
        if not args.quiet:
            print(f"{folder}: removed {_count(count, 'format')} and "
                  f"{_count(remembered, 'preamble')}")
        return 0
    found = format_cache.entries()
    total = sum(e.size for e in found)
    print(f"{folder}: {_count(len(found), 'format')}, "
          f"{total / MB:.1f} MB (at most {format_cache.MAX_FORMATS} formats, "
          f"{format_cache.MAX_BYTES // MB} MB; least recently used removed first)")
    for entry in found:
        print(f"  {entry.key[:12]}  {entry.size / MB:5.1f} MB  used {_when(entry.used)}  "
              f"{entry.label}")
    preambles = preload.remembered()
    print(f"{_count(len(preambles), 'preamble')} preloaded while a post converts (engines "
          f"with no format; at most {preload.KEEP} per engine)")
    for engine, path in preambles:
        with contextlib.suppress(OSError):
            print(f"  {path.stem.rsplit('-', 1)[-1][:12]}  {engine}  "
                  f"used {_when(path.stat().st_mtime)}")
    copies = engine_formats.copies()
    print(f"{_count(len(copies), 'inflated engine format')} (one per engine with no format)")
    for engine, size in copies:
        print(f"  {engine}  {size / MB:5.1f} MB")
    return 0


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}{'' if n == 1 else 's'}"


def _when(timestamp: float) -> str:
    return datetime.datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d %H:%M")
