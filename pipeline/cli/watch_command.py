"""``mdpaper watch POST``: build, then rebuild on every save until Ctrl-C."""

from __future__ import annotations

import argparse
import contextlib
import sys

from mdpaper.build.watch import BuildEvent, describe, watch
from mdpaper.cli.arguments import build_options
from mdpaper.source.site import load_post


def run(args: argparse.Namespace) -> int:
    post = args.posts[0]
    load_post(post)  # a post that cannot be read is an error now, not a watch on nothing

    def show(event: BuildEvent) -> None:
        for line in describe(event):
            is_error = not event.ok or ": warning: " in line
            if args.quiet and not (is_error and not event.ok):
                continue
            print(line, file=sys.stderr if is_error else sys.stdout, flush=True)

    if not args.quiet:
        print(f"mdpaper: watching {post} (Ctrl-C stops)", file=sys.stderr, flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        watch(post, build_options(args), on_build=show)
    return 0
