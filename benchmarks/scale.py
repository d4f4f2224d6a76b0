"""One point of the scale series, in a fresh process: ``scale.py WARM POST`` converts WARM
(first-use caches: regexes, lexers, the pdflatex character table), then POST, and prints
POST's conversion seconds (wall), how far the peak RSS grew during it (bytes), the size
of the .tex and the conversion's CPU seconds."""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

from mdpaper.build.convert import convert
from mdpaper.source.site import load_post, output_name


def peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


def main() -> None:
    warm, path = Path(sys.argv[1]), Path(sys.argv[2])
    post = load_post(warm)
    convert(post, output_name(post))
    del post
    before = peak_rss()
    start, cpu = time.perf_counter(), time.process_time()
    post = load_post(path)
    conversion = convert(post, output_name(post))
    tex = conversion.tex.encode("utf-8")  # what build writes
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"{seconds:.6f} {max(0, peak_rss() - before)} {len(tex)} {cpu:.6f}")


if __name__ == "__main__":
    main()
