"""Command line: argument parsing and printing only; the work happens in the pipeline.

Every error a user can cause prints ``file:line: error: message`` and exits 1 (2 for a
wrong command line), without a traceback unless ``--debug`` is given.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mdpaper import __version__

DESCRIPTION = """Turn a Hugo Markdown post into a paper: LaTeX, BibTeX, PDF, arXiv bundle.

commands:
  build POST...   convert each post and compile it to OUTDIR/NAME/NAME.pdf
  arxiv POST      build, then write an arXiv bundle and prove it compiles alone

Run 'mdpaper COMMAND --help' for a command's options."""

BUILD_EPILOG = """Output: OUTDIR/NAME/NAME.tex, NAME.bib, NAME.pdf and the figures, where NAME is
the post's slug, else its page-bundle folder, else its file name; OUTDIR defaults to
output/ in the site root (the nearest folder above the post with hugo.toml, config.toml or
mdpaper.toml). TeX runs in OUTDIR/NAME/build/; a failed build keeps the last good PDF.

exit status: 0 built, 1 an error in a post (printed as file:line: error: ...), 2 usage."""


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--outdir", type=Path, metavar="OUTDIR",
                   help="output folder (default: output/ in the site root)")
    p.add_argument("--engine", default="pdflatex", choices=["pdflatex", "xelatex", "lualatex"],
                   help="TeX engine (default: pdflatex)")
    p.add_argument("--template", default="article", metavar="NAME|PATH",
                   help="template name in templates/ or a template folder (default: article)")
    p.add_argument("--timeout", type=float, default=300.0, metavar="SECONDS",
                   help="stop a TeX run after this long (default: 300)")
    p.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    p.add_argument("--debug", action="store_true", help="show Python tracebacks")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mdpaper", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"mdpaper {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    build = sub.add_parser("build", help="build posts into PDFs", epilog=BUILD_EPILOG,
                           description="Convert Hugo posts to LaTeX and compile them.",
                           formatter_class=argparse.RawDescriptionHelpFormatter)
    build.add_argument("posts", nargs="+", type=Path, metavar="POST",
                       help="Markdown post, or a folder: every post under it")
    build.add_argument("--tex-only", action="store_true",
                       help="write NAME.tex and NAME.bib, do not run TeX")
    _common(build)
    arxiv = sub.add_parser("arxiv", help="build an arXiv submission bundle",
                           description="Build the post, bundle what arXiv needs (main .tex, "
                           ".bbl, .bib, figures, 00README.json), then compile the bundle alone "
                           "the way arXiv does to prove it works.")
    arxiv.add_argument("posts", nargs=1, type=Path, metavar="POST")
    arxiv.add_argument("--zip", action="store_true", help="write a .zip instead of .tar.gz")
    arxiv.add_argument("--no-bib", action="store_true",
                       help="leave the .bib out (the .bbl is always included)")
    _common(arxiv)
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
    args = make_parser().parse_args(argv)
    if args.command is None:
        make_parser().print_help()
        return 2
    from mdpaper.errors import MdpaperError

    try:
        if args.command == "build":
            return _build(args)
        return _arxiv(args)
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
    from mdpaper.build import BuildOptions

    return BuildOptions(outdir=args.outdir, engine=args.engine, template=args.template,
                        tex_only=tex_only, timeout=args.timeout)


def _print_diagnostics(result, quiet: bool) -> None:  # type: ignore[no-untyped-def]
    if quiet:
        return
    for item in result.diagnostics:
        print(str(item), file=sys.stderr)


def _build(args: argparse.Namespace) -> int:
    from mdpaper.build import build_post
    from mdpaper.errors import MdpaperError

    status = 0
    posts = expand_posts(args.posts)
    if not posts:
        print("mdpaper: error: no Markdown posts found", file=sys.stderr)
        return 1
    for post in posts:
        try:
            result = build_post(post, _options(args, args.tex_only))
        except MdpaperError as exc:
            if args.debug:
                raise
            print(str(exc), file=sys.stderr)
            status = 1
            continue
        _print_diagnostics(result, args.quiet)
        if not args.quiet:
            made = result.pdf or result.tex
            pages = f" ({result.pages} pages)" if result.pages else ""
            print(f"{post}: wrote {made}{pages}")
    return status


def _arxiv(args: argparse.Namespace) -> int:
    from mdpaper.arxiv import make_bundle
    from mdpaper.build import build_post
    from mdpaper.site import load_post

    post = args.posts[0]
    result = build_post(post, _options(args))
    _print_diagnostics(result, args.quiet)
    meta = load_post(post).meta
    report = make_bundle(result, abstract=meta.abstract, fmt="zip" if args.zip else "tar.gz",
                         include_bib=not args.no_bib, outdir=args.outdir)
    print(report.summary())
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
