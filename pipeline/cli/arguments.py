"""The command line's grammar: the argument parser, what its values mean for a build.

Imported only after ``--version`` was answered (see ``mdpaper.cli``); nothing here loads the
pipeline's heavy stages, so ``--help`` stays fast.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from mdpaper import __version__
from mdpaper.cli import manual as h
from mdpaper.tex.engines import ENGINE_CHOICES


def _common(p: argparse.ArgumentParser, *, tex: bool = True) -> None:
    p.add_argument("-o", "--outdir", type=Path, metavar="OUTDIR",
                   help="output folder (default: the site config's 'output', else output/ "
                   "in the site root)")
    p.add_argument("--engine", choices=ENGINE_CHOICES,
                   help="TeX engine (default: front matter, site config, else auto: "
                   "chosen from the characters the post uses)")
    p.add_argument("--template", metavar="NAME|PATH",
                   help="article, arxiv, twocolumn, templates/NAME in the site, or a folder "
                   "with a template.toml (default: front matter, site config, else article)")
    p.add_argument("--citation-style", choices=["author-year", "numeric"],
                   help="natbib author-year (Shannon, 1948) or numeric [1] (default: front "
                   "matter, site config, else author-year)")
    if tex:
        p.add_argument("--timeout", type=float, default=300.0, metavar="SECONDS",
                       help="stop a TeX run after this long (default: 300)")
    _noise(p)


def _noise(p: argparse.ArgumentParser) -> None:
    """-q, -v and --debug: every command has them (the dispatcher reads them)."""
    noise = p.add_mutually_exclusive_group()
    noise.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    noise.add_argument("-v", "--verbose", action="store_true",
                       help="also print each setting and where it came from")
    p.add_argument("--debug", action="store_true", help="show Python tracebacks")


def default_jobs() -> int:
    """``-j 0``: one build per core this process may run on."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else (os.cpu_count() or 1))


def _jobs(text: str) -> int:
    try:
        jobs = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if jobs < 0:
        raise argparse.ArgumentTypeError("must be 0 (one per core) or more")
    if jobs == 0:
        return default_jobs()
    return jobs


def make_parser() -> argparse.ArgumentParser:
    _RAW = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(prog="mdpaper", description=h.MAIN, formatter_class=_RAW)
    parser.add_argument("--version", action="version", version=f"mdpaper {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    build = sub.add_parser("build", help="build posts into PDFs", description=h.BUILD,
                           epilog=h.BUILD_EPILOG, formatter_class=_RAW)
    build.add_argument("posts", nargs="+", type=Path, metavar="POST",
                       help="Markdown post, or a folder: every post under it")
    build.add_argument("--tex-only", action="store_true",
                       help="write NAME.tex and NAME.bib, do not run TeX")
    build.add_argument("-j", "--jobs", type=_jobs, default=1, metavar="N",
                       help="build N posts at the same time (default: 1; 0: one per core)")
    build.add_argument("--into", type=Path, metavar="DIR",
                       help="build the posts that opt in (front matter 'paper: true') and "
                       "put NAME.pdf into DIR, e.g. static/papers (default: the site "
                       "config's [papers] into)")
    build.add_argument("--arxiv", action="store_true",
                       help="with --into: also a proven NAME-arxiv.tar.gz beside each PDF")
    _common(build)
    arxiv = sub.add_parser("arxiv", help="build an arXiv submission bundle",
                           description=h.ARXIV, epilog=h.ARXIV_EPILOG, formatter_class=_RAW)
    arxiv.add_argument("posts", nargs=1, type=Path, metavar="POST", help="Markdown post")
    arxiv.add_argument("--zip", action="store_true", help="write a .zip instead of .tar.gz")
    arxiv.add_argument("--no-bib", action="store_true",
                       help="leave the .bib out (the .bbl is always included)")
    _common(arxiv)
    check = sub.add_parser("check", help="lint posts without running TeX",
                           description=h.CHECK, epilog=h.CHECK_EPILOG, formatter_class=_RAW)
    check.add_argument("posts", nargs="+", type=Path, metavar="POST",
                       help="Markdown post, or a folder: every post under it")
    _common(check, tex=False)
    watch = sub.add_parser("watch", help="rebuild a post on every save",
                           description=h.WATCH, epilog=h.WATCH_EPILOG, formatter_class=_RAW)
    watch.add_argument("posts", nargs=1, type=Path, metavar="POST", help="Markdown post")
    watch.add_argument("--open", action="store_true",
                       help="open the PDF in the desktop's viewer after the first build")
    _common(watch)
    _tool_commands(sub)
    return parser


def _tool_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Commands around the builds: the Hugo files, shell completion, the format cache."""
    _RAW = argparse.RawDescriptionHelpFormatter
    hugo = sub.add_parser("hugo", help="install mdpaper's partial and shortcode into a site",
                          description=h.HUGO, epilog=h.HUGO_EPILOG, formatter_class=_RAW)
    actions = hugo.add_subparsers(dest="action", metavar="ACTION", required=True)
    install = actions.add_parser("install", help="write the files into the site's layouts/",
                                 description=h.HUGO, epilog=h.HUGO_EPILOG, formatter_class=_RAW)
    install.add_argument("site", nargs="?", type=Path, default=Path("."), metavar="SITE",
                         help="the Hugo site's folder (default: the current folder)")
    install.add_argument("--force", action="store_true",
                         help="replace files that differ from mdpaper's")
    _noise(install)
    completion = sub.add_parser("completion", help="print a shell completion script",
                                description=h.COMPLETION, epilog=h.COMPLETION_EPILOG,
                                formatter_class=_RAW)
    completion.add_argument("shell", choices=["bash", "zsh", "fish"], help="the shell")
    _noise(completion)
    cache = sub.add_parser("cache", help="show or clear the shared preamble formats",
                           description="The precompiled preambles a cold build starts from, "
                           "shared by posts with the same template (and, for xelatex and "
                           "lualatex, which have none, the preambles loaded while a post "
                           "converts), in $XDG_CACHE_HOME/mdpaper/formats (default "
                           "~/.cache/mdpaper).")
    cache.add_argument("action", choices=["info", "clear"],
                       help="info: where, how many, how big; clear: remove them all")
    _noise(cache)
