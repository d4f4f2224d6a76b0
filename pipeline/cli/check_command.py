"""``mdpaper check POST...``: every problem a build would report, without running TeX."""

from __future__ import annotations

import argparse
import sys

from mdpaper.build.check import check_posts
from mdpaper.source.papers import expand_posts


def run(args: argparse.Namespace) -> int:
    posts = expand_posts(args.posts)
    if not posts:
        print("mdpaper: error: no Markdown posts found", file=sys.stderr)
        return 1
    found, errors = check_posts(posts, engine=args.engine, template=args.template,
                                citation_style=args.citation_style)
    for item in found:
        if item.severity == "error" or not args.quiet:
            print(str(item))
    if args.verbose:
        warnings = len(found) - errors
        print(f"mdpaper: checked {len(posts)} post{'s' * (len(posts) != 1)}: {errors} "
              f"error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}",
              file=sys.stderr)
    return 1 if errors else 0
