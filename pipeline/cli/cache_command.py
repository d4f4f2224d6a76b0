"""``mdpaper cache info`` and ``mdpaper cache clear``: the shared precompiled preamble formats
(``build.format_cache``) that let a cold build start from a preamble another post loaded."""

from __future__ import annotations

import argparse
import datetime

from mdpaper.build import format_cache
from mdpaper.errors import MdpaperError

MB = 1024 * 1024


def run(args: argparse.Namespace) -> int:
    folder = format_cache.formats_dir()
    if args.action == "clear":
        try:
            count = format_cache.clear()
        except OSError as exc:  # a folder the user cannot write to
            raise MdpaperError(f"cannot clear the cache: {exc.strerror or exc}", folder) from None
        if not args.quiet:
            print(f"{folder}: removed {count} format{'' if count == 1 else 's'}")
        return 0
    found = format_cache.entries()
    total = sum(e.size for e in found)
    print(f"{folder}: {len(found)} format{'' if len(found) == 1 else 's'}, "
          f"{total / MB:.1f} MB (at most {format_cache.MAX_FORMATS} formats, "
          f"{format_cache.MAX_BYTES // MB} MB; least recently used removed first)")
    for entry in found:
        used = datetime.datetime.fromtimestamp(entry.used).strftime("%Y-%m-%d %H:%M")
        print(f"  {entry.key[:12]}  {entry.size / MB:5.1f} MB  used {used}  {entry.label}")
    return 0
