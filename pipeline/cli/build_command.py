"""``mdpaper build POST...``: build each post (``-j N`` at a time), print its problems and a
summary line."""

from __future__ import annotations

import argparse
import sys

from mdpaper.build.parallel import build_many
from mdpaper.cli.arguments import build_options, expand_posts
from mdpaper.cli.report import print_diagnostics, summary


def run(args: argparse.Namespace) -> int:
    status = 0
    posts = expand_posts(args.posts)
    if not posts:
        print("mdpaper: error: no Markdown posts found", file=sys.stderr)
        return 1
    for outcome in build_many(posts, build_options(args, args.tex_only), args.jobs):
        if outcome.result is None:
            if args.debug and outcome.trace:
                print(outcome.trace.rstrip(), file=sys.stderr)
            print(outcome.error, file=sys.stderr)
            status = max(status, outcome.exit_code)
            continue
        result = outcome.result
        print_diagnostics(result, args.quiet)
        if not args.quiet:
            print(summary(outcome.post, result, outcome.seconds))
    return status
