"""``mdpaper build``: convert, write, compile, and only then replace the outputs.

Layout: ``OUTDIR/NAME/NAME.{tex,bib,pdf}`` plus the figures beside them; TeX runs in
``OUTDIR/NAME/build/`` (aux files stay there between builds). The visible outputs are
replaced atomically after a successful compile, so a failed or interrupted build leaves the
last good PDF (and the .tex/.bib that made it) in place.

This module is the build's front: the post, its settings, an up-to-date check, and the TeX
run started ahead (``standby``). What follows a conversion (``compile_post``) loads only
then, after that TeX run has started.
"""

from __future__ import annotations

from pathlib import Path

from mdpaper.build import cache as buildcache
from mdpaper.build.options import BuildOptions
from mdpaper.build.preload import likely_engine
from mdpaper.build.standby import Standby, locked, may_have_tables
from mdpaper.errors import Diagnostics, MdpaperError
from mdpaper.model import BuildResult, Post
from mdpaper.progress import detail
from mdpaper.source.config import resolve_settings
from mdpaper.source.site import load_post, output_name
from mdpaper.tex import installed
from mdpaper.tex.engines import ENGINE_CHOICES, ENGINES

__all__ = ["BuildOptions", "build_post"]  # (callers take the options from here too)


def build_post(post_path: Path, options: BuildOptions | None = None) -> BuildResult:
    options = options or BuildOptions()
    if options.engine is not None and options.engine not in ENGINE_CHOICES:
        raise MdpaperError(f"unknown engine '{options.engine}' "
                           f"(choose {', '.join(ENGINE_CHOICES)})")
    post = load_post(post_path)
    name = output_name(post)
    diag = Diagnostics(path=post_path)
    settings = resolve_settings(post, engine=options.engine, template=options.template,
                                citation_style=options.citation_style, output=options.outdir)
    for line in settings.describe():
        detail(line)
    outdir = (settings.output or post.site_root / "output") / name

    def options_key() -> str:  # (hashes mdpaper's own files: a cold build's TeX starts first)
        return buildcache.options_key(settings=settings.describe(), site_root=post.site_root,
                                      outdir=outdir)

    key = None
    if not options.tex_only and (outdir / "build").is_dir():
        key = options_key()
        with locked(outdir):
            cached = buildcache.check(buildcache.load(outdir), key, post_path, outdir, name)
        if cached is not None:
            return cached
    # From here on the post is converted and TeX runs: TeX starts now, on the format it
    # most likely takes, and loads it while Python converts (``standby``).
    waiting = (_start_standby(outdir / "build", name, post, settings.engine)
               if options.standby and not options.tex_only else None)
    # and the one lookup of TeX's files the conversion may ask about, meanwhile too
    installed.prefetch(post.body, settings.engine)
    try:
        # The start-up seam: the converter (mistune, bibtexparser, pygments...) and the TeX
        # runners load only when the post must be converted, never for an up-to-date one,
        # and after the standby run has started (its TeX loads meanwhile).
        from mdpaper.build.compile_post import convert_and_build

        # (--tex-only keeps no record: no key, no hashing of mdpaper's own files)
        return convert_and_build(post, name, diag, settings, options, outdir,
                                 key or ("" if options.tex_only else options_key()), waiting)
    finally:
        if waiting is not None:
            waiting.cancel()


def _start_standby(builddir: Path, name: str, post: Post, engine: str) -> Standby | None:
    """TeX waiting on the most recently used format, when the post's engine most likely
    takes one; else TeX loading that engine's most recent preamble."""
    likely = likely_engine(engine, post.body)
    # An edit rebuild (the last build's .aux is there) runs one pass and measures nothing.
    measuring = not (builddir / f"{name}.aux").is_file() and may_have_tables(post.body)
    if ENGINES[likely].preamble_format:
        return Standby.start(builddir, name, measuring=measuring)
    return Standby.preloading(builddir, name, likely, measuring=measuring)
