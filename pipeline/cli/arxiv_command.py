"""``mdpaper arxiv POST``: build the post, then write and prove its arXiv bundle."""

from __future__ import annotations

import argparse

from mdpaper.arxiv.bundle import make_bundle
from mdpaper.build.options import build_options
from mdpaper.build.post import build_post
from mdpaper.cli.report import print_diagnostics
from mdpaper.progress import stage
from mdpaper.source.site import load_post


def run(args: argparse.Namespace) -> int:
    post = args.posts[0]
    result = build_post(post, build_options(args))
    print_diagnostics(result, args.quiet)
    meta = load_post(post).meta
    with stage("bundle"):
        report = make_bundle(result, abstract=meta.abstract, fmt="zip" if args.zip else "tar.gz",
                             include_bib=not args.no_bib, outdir=args.outdir)
    print(report.summary())
    return 0 if report.ok else 1
