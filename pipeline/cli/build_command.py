"""``mdpaper build POST...``: build each post (``-j N`` at a time), print its problems and a
summary line. With ``--into`` (or a site config's ``[papers] into``) it builds the site's
papers instead: the posts that opt in, each PDF copied where Hugo serves it."""

from __future__ import annotations

import argparse
import sys

from mdpaper.build.options import build_options
from mdpaper.build.parallel import build_many
from mdpaper.build.site import plan_site, wants_site
from mdpaper.cli.report import print_diagnostics, summary
from mdpaper.cli.site_build import failed, run_site
from mdpaper.errors import UsageError
from mdpaper.source.papers import expand_posts


def run(args: argparse.Namespace) -> int:
    if wants_site(args.posts, args.into):
        if args.tex_only:
            raise UsageError("--tex-only makes no PDF to put on the site; leave out --into")
        return run_site(args, plan_site(args.posts, args.into, arxiv=args.arxiv))
    if args.arxiv:
        raise UsageError("--arxiv puts bundles beside the site's papers: it needs --into "
                         "(or [papers] into in the site config)")
    status = 0
    posts = expand_posts(args.posts)
    if not posts:
        print("mdpaper: error: no Markdown posts found", file=sys.stderr)
        return 1
    for outcome in build_many(posts, build_options(args, args.tex_only), args.jobs):
        if failed(outcome, args):
            status = max(status, outcome.exit_code)
            continue
        assert outcome.result is not None
        print_diagnostics(outcome.result, args.quiet)
        if not args.quiet:
            print(summary(outcome.post, outcome.result, outcome.seconds))
    return status
