"""``mdpaper build content/ --into static/papers``: build the posts that opt in and put their
papers where Hugo serves them (``build.site`` plans and publishes; this prints)."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from mdpaper.build.options import build_options
from mdpaper.build.parallel import Outcome, build_many
from mdpaper.build.site import Paper, SitePlan, publish, update_manifest
from mdpaper.cli.report import print_diagnostics, summary
from mdpaper.progress import stage
from mdpaper.source.site import load_post


def failed(outcome: Outcome, args: argparse.Namespace) -> bool:
    """Print a failed build's errors; True when it failed."""
    if outcome.result is not None:
        return False
    if args.debug and outcome.trace:
        print(outcome.trace.rstrip(), file=sys.stderr)
    for warning in outcome.warnings if not args.quiet else []:
        print(warning, file=sys.stderr)
    print(outcome.error, file=sys.stderr)
    return True


def run_site(args: argparse.Namespace, plan: SitePlan) -> int:
    status = 1 if plan.errors else 0
    for error in plan.errors:
        print(str(error), file=sys.stderr)
    if args.verbose:
        for post, why in plan.skipped:
            print(f"{post}: no paper: {why}")
    if not plan.papers:
        if not plan.errors:
            print("mdpaper: error: no post opts in to a paper (front matter 'paper: true', or "
                  "[papers] sections in the site config)", file=sys.stderr)
        return 1
    by_post = {p.post: p for p in plan.papers}
    published: dict[Path, dict[str, list[Path]]] = {}
    for outcome in build_many(list(by_post), build_options(args), args.jobs):
        if failed(outcome, args):
            status = max(status, outcome.exit_code)
            continue
        paper = by_post[outcome.post]
        written, ok = _publish(paper, outcome, args)
        status = status if ok else 1
        published.setdefault(paper.site_root, {})[paper.key] = written
    for root in {p.site_root for p in plan.papers} | {r for r, _ in plan.scanned}:
        prefixes = [prefix for r, prefix in plan.scanned if r == root]
        planned = {p.key for p in plan.papers if p.site_root == root}
        manifest = update_manifest(root, published.get(root, {}), prefixes, planned)
        if manifest is not None and args.verbose:
            print(f"mdpaper: updated {manifest}")
    return status


def _publish(paper: Paper, outcome: Outcome, args: argparse.Namespace
             ) -> tuple[list[Path], bool]:
    """Bundle when asked, copy into the site, print the summary. Returns the files written
    and whether all went well (a failed bundle stays out of the site; the PDF is good and
    goes in all the same)."""
    result = outcome.result
    assert result is not None and result.pdf is not None
    print_diagnostics(result, args.quiet)
    bundle, ok = None, True
    if paper.arxiv:
        # start-up seam: the arXiv stage loads only for a site build that bundles
        from mdpaper.arxiv.bundle import make_bundle

        with stage("bundle"):
            report = make_bundle(result, abstract=load_post(paper.post).meta.abstract)
        if report.ok:
            bundle = report.bundle
        else:
            ok = False
            print(report.summary(), file=sys.stderr)
    written = publish(paper, result.pdf, bundle)
    if not args.quiet:
        shown = dataclasses.replace(result, pdf=written[0])
        print(summary(outcome.post, shown, outcome.seconds))
    return written, ok
