"""``mdpaper hugo install [SITE]``: put mdpaper's partial and ``paper-pdf`` shortcode into a
Hugo site's ``layouts/``."""

from __future__ import annotations

import argparse

from mdpaper.errors import UsageError
from mdpaper.hugo.install import install
from mdpaper.source import hugo


def run(args: argparse.Namespace) -> int:
    site = args.site
    if not site.is_dir():
        raise UsageError(f"no such folder: {site}")
    if not any(f.is_file() for f in hugo.config_files(site)):
        raise UsageError(f"{site} is not a Hugo site (no hugo.toml, hugo.yaml, config.toml "
                         "or config/_default/ in it); give the site's folder")
    for item in install(site, force=args.force):
        if not args.quiet or item.what.startswith("kept"):
            print(f"{item.path}: {item.what}")
    if not args.quiet:
        print("mdpaper: in a template, {{ partial \"mdpaper/paper-pdf.html\" . }} links a page "
              "to its paper; in a post, {{< paper-pdf >}}")
    return 0
