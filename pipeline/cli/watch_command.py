"""``mdpaper watch POST``: build, then rebuild on every save until Ctrl-C; ``--open`` shows
the PDF in the desktop's viewer after the first good build."""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from mdpaper.build.options import build_options
from mdpaper.build.watch import BuildEvent, describe, watch
from mdpaper.source.site import load_post


def run(args: argparse.Namespace) -> int:
    post = args.posts[0]
    load_post(post)  # a post that cannot be read is an error now, not a watch on nothing
    to_open = args.open

    def show(event: BuildEvent) -> None:
        nonlocal to_open
        for line in describe(event):
            is_error = not event.ok or ": warning: " in line
            if args.quiet and not (is_error and not event.ok):
                continue
            print(line, file=sys.stderr if is_error else sys.stdout, flush=True)
        if to_open and event.ok and event.result is not None and event.result.pdf:
            to_open = False  # once: viewers reload the file on change by themselves
            problem = open_in_viewer(event.result.pdf)
            if problem:
                print(f"mdpaper: warning: cannot open {event.result.pdf}: {problem}",
                      file=sys.stderr, flush=True)

    if not args.quiet:
        print(f"mdpaper: watching {post} (Ctrl-C stops)", file=sys.stderr, flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        watch(post, build_options(args), on_build=show)
    return 0


def open_in_viewer(pdf: Path) -> str | None:
    """Hand the PDF to the platform's opener (the user's default viewer); why not, if not."""
    if sys.platform == "win32":
        os.startfile(pdf)  # Windows' own "open with the default app"
        return None
    opener = "open" if sys.platform == "darwin" else "xdg-open"
    found = shutil.which(opener)
    if found is None:
        return f"{opener} not found (no desktop here?)"
    # its own session and no terminal: the Ctrl-C that stops the watch leaves the viewer open
    subprocess.Popen([found, str(pdf)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL, start_new_session=True)
    return None
