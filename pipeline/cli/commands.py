"""Command line: argument parsing and printing only; the work happens in the pipeline.

Every error a user can cause prints ``file:line: error: message`` and exits 1 (2 for a
wrong command line), without a traceback unless ``--debug`` is given.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mdpaper import __version__
from mdpaper.tex.engines import ENGINE_NAMES

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    import argparse


def _common(p: argparse.ArgumentParser, *, tex: bool = True) -> None:
    p.add_argument("-o", "--outdir", type=Path, metavar="OUTDIR",
                   help="output folder (default: the site config's 'output', else output/ "
                   "in the site root)")
    p.add_argument("--engine", choices=ENGINE_NAMES,
                   help="TeX engine (default: front matter, site config, else pdflatex)")
    p.add_argument("--template", metavar="NAME|PATH",
                   help="article, arxiv, twocolumn, templates/NAME in the site, or a folder "
                   "with a template.toml (default: front matter, site config, else article)")
    p.add_argument("--citation-style", choices=["author-year", "numeric"],
                   help="natbib author-year (Shannon, 1948) or numeric [1] (default: front "
                   "matter, site config, else author-year)")
    if tex:
        p.add_argument("--timeout", type=float, default=300.0, metavar="SECONDS",
                       help="stop a TeX run after this long (default: 300)")
    noise = p.add_mutually_exclusive_group()
    noise.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    noise.add_argument("-v", "--verbose", action="store_true",
                       help="also print each setting and where it came from")
    p.add_argument("--debug", action="store_true", help="show Python tracebacks")


def _jobs(text: str) -> int:
    import argparse

    try:
        jobs = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if jobs < 0:
        raise argparse.ArgumentTypeError("must be 0 (one per core) or more")
    if jobs == 0:
        from mdpaper.build.parallel import default_jobs

        return default_jobs()
    return jobs


def make_parser() -> argparse.ArgumentParser:
    import argparse  # here, so that --version does not pay for it

    from mdpaper.cli import manual as h

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
    _common(watch)
    return parser


def expand_posts(paths: list[Path]) -> list[Path]:
    posts: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*.md") if p.name != "_index.md"
                           and not any(part.startswith(".") for part in p.parts))
            posts += found
        else:
            posts.append(path)
    return posts


def main(argv: list[str] | None = None) -> int:
    if (sys.argv[1:] if argv is None else argv) == ["--version"]:
        print(f"mdpaper {__version__}")  # the one answer that needs no argument parser
        return 0
    args = make_parser().parse_args(argv)
    if args.command is None:
        make_parser().print_help()
        return 2
    from mdpaper.errors import MdpaperError
    from mdpaper.progress import make_reporter, reporting

    commands = {"build": _build, "arxiv": _arxiv, "check": _check, "watch": _watch}
    try:
        # check is for save hooks: its stages are shown with -v only.
        quiet = args.quiet or (args.command == "check" and not args.verbose)
        with reporting(make_reporter(quiet, args.verbose)):
            return commands[args.command](args)
    except MdpaperError as exc:
        if args.debug:
            raise
        print(str(exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("mdpaper: interrupted; previous outputs left in place", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug in mdpaper, not in the post: say so, briefly
        if args.debug:
            raise
        print(f"mdpaper: internal error: {type(exc).__name__}: {exc} (rerun with --debug "
              "for the traceback and report it)", file=sys.stderr)
        return 1


def _options(args: argparse.Namespace, tex_only: bool = False):  # type: ignore[no-untyped-def]
    from mdpaper.build.post import BuildOptions

    return BuildOptions(outdir=args.outdir, engine=args.engine, template=args.template,
                        tex_only=tex_only, timeout=args.timeout,
                        citation_style=args.citation_style)


def _print_diagnostics(result, quiet: bool) -> None:  # type: ignore[no-untyped-def]
    if quiet:
        return
    for item in result.diagnostics:
        print(str(item), file=sys.stderr)


def summary(post: Path, result, seconds: float) -> str:  # type: ignore[no-untyped-def]
    """The last line of a build: output path, pages, warnings, time."""
    made = result.pdf or result.tex
    warnings = sum(1 for d in result.diagnostics if d.severity == "warning")
    pages = f"{result.pages} page{'s' * (result.pages != 1)}, " if result.pages else ""
    what = f"{made} is up to date" if result.up_to_date else f"wrote {made}"
    return (f"{post}: {what} ({pages}{warnings} warning{'s' * (warnings != 1)}, "
            f"{seconds:.1f} s)")


def _build(args: argparse.Namespace) -> int:
    from mdpaper.build.parallel import build_many

    status = 0
    posts = expand_posts(args.posts)
    if not posts:
        print("mdpaper: error: no Markdown posts found", file=sys.stderr)
        return 1
    for outcome in build_many(posts, _options(args, args.tex_only), args.jobs):
        if outcome.result is None:
            if args.debug and outcome.trace:
                print(outcome.trace.rstrip(), file=sys.stderr)
            print(outcome.error, file=sys.stderr)
            status = max(status, outcome.exit_code)
            continue
        result = outcome.result
        _print_diagnostics(result, args.quiet)
        if not args.quiet:
            print(summary(outcome.post, result, outcome.seconds))
    return status


def _arxiv(args: argparse.Namespace) -> int:
    from mdpaper.arxiv.bundle import make_bundle
    from mdpaper.build.post import build_post
    from mdpaper.progress import stage
    from mdpaper.source.site import load_post

    post = args.posts[0]
    result = build_post(post, _options(args))
    _print_diagnostics(result, args.quiet)
    meta = load_post(post).meta
    with stage("bundle"):
        report = make_bundle(result, abstract=meta.abstract, fmt="zip" if args.zip else "tar.gz",
                             include_bib=not args.no_bib, outdir=args.outdir)
    print(report.summary())
    return 0 if report.ok else 1


def _check(args: argparse.Namespace) -> int:
    from mdpaper.build.check import check_posts

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


def _watch(args: argparse.Namespace) -> int:
    from mdpaper.build.watch import describe, watch
    from mdpaper.source.site import load_post

    post = args.posts[0]
    load_post(post)  # a post that cannot be read is an error now, not a watch on nothing

    def show(event) -> None:  # type: ignore[no-untyped-def]
        for line in describe(event):
            is_error = not event.ok or ": warning: " in line
            if args.quiet and not (is_error and not event.ok):
                continue
            print(line, file=sys.stderr if is_error else sys.stdout, flush=True)

    if not args.quiet:
        print(f"mdpaper: watching {post} (Ctrl-C stops)", file=sys.stderr, flush=True)
    import contextlib

    with contextlib.suppress(KeyboardInterrupt):
        watch(post, _options(args), on_build=show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
