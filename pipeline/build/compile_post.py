"""The build after the front (``build.post``): convert the post, write the build folder,
compile (one pass when it may do, else latexmk), and only then replace the outputs."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from mdpaper.build import cache as buildcache
from mdpaper.build.coldpass import cold_pass
from mdpaper.build.convert import Conversion, convert
from mdpaper.build.engine_formats import refresh_while
from mdpaper.build.failure import all_errors, build_error, latexmk_from_format
from mdpaper.build.format_cache import SharedFormat
from mdpaper.build.onepass import one_pass
from mdpaper.build.options import BuildOptions
from mdpaper.build.standby import Standby, locked
from mdpaper.errors import Diagnostics, MdpaperError
from mdpaper.files import copy_atomic, write_atomic
from mdpaper.images import data_uri_folder, stage_figure
from mdpaper.latex.code import HighlightCache
from mdpaper.model import BuildResult, Post
from mdpaper.progress import stage
from mdpaper.source.config import Settings
from mdpaper.source.site import inside
from mdpaper.tex.latexmk import CompileOutcome, LatexError
from mdpaper.tex.process import LatexTimeout, TexToolMissing, sandbox_env

HIGHLIGHTS = "mdpaper-highlight.json"


def convert_and_build(post: Post, name: str, diag: Diagnostics, settings: Settings,
                       options: BuildOptions, outdir: Path, key: str,
                       waiting: Standby | None) -> BuildResult:
    highlights = _highlight_cache(outdir / "build")
    conversion = convert(post, name, diagnostics=diag, settings=settings,
                         highlight_cache=highlights, keep_safe_errors=not options.tex_only)
    digests = None if options.tex_only else buildcache.digest_inputs(conversion.inputs)
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MdpaperError(f"cannot create output folder {outdir}: {exc.strerror}") from None
    result = _planned_result(conversion, outdir, diag)
    with locked(outdir, waiting):
        if options.tex_only:
            _publish_sources(conversion, outdir)
            return result
        tex, quick = _prepare_build_folder(conversion, outdir, key, highlights)
        with stage("latex"):
            outcome = _compile(tex, conversion, settings.engine, options.timeout, quick=quick,
                               diag=diag, waiting=waiting)
        _publish(conversion, outdir, outcome, result, diag)
        record = buildcache.make_record(key, digests, result, conversion.bib)
        if record is not None:
            buildcache.save(outdir, record)
    return result


def _planned_result(conversion: Conversion, outdir: Path, diag: Diagnostics) -> BuildResult:
    """The outputs this build will write (no PDF yet)."""
    name = conversion.name
    return BuildResult(name=name, outdir=outdir, tex=outdir / f"{name}.tex",
                       bib=outdir / f"{name}.bib" if conversion.bib is not None else None,
                       pdf=None, figures={n: outdir / n for n in conversion.result.figures},
                       diagnostics=diag.in_line_order())


def _prepare_build_folder(conversion: Conversion, outdir: Path, key: str,
                          highlights: HighlightCache) -> tuple[Path, bool]:
    """Write what TeX reads into the build folder: the .tex to compile, and whether one
    engine pass may be enough."""
    builddir = outdir / "build"
    builddir.mkdir(exist_ok=True)
    previous = buildcache.load(outdir)
    buildcache.forget(outdir)  # from here on the build folder is not a finished build
    # One pass may do when the last build finished here with the same options and the
    # same .bib (so its .bbl is still right); onepass checks the aux files after it.
    quick = (previous is not None and previous.key == key
             and previous.bib_sha256 == buildcache.text_digest(conversion.bib))
    tex = builddir / f"{conversion.name}.tex"
    write_atomic(tex, conversion.tex)
    highlights.path = builddir / HIGHLIGHTS
    highlights.save()
    if conversion.bib is not None:
        write_atomic(tex.with_suffix(".bib"), conversion.bib)
    _stage_figures(conversion.result.figures, builddir)
    return tex, quick


def _stage_figures(figures: dict[str, Path], folder: Path) -> None:
    """The figures TeX reads, converted side by side (rsvg-convert, Pillow): a post's
    eleven SVGs took 1.5 s one after another, on the critical path of the build."""
    if len(figures) < 2:
        for fig_name, source in figures.items():
            stage_figure(source, folder / fig_name)
        return
    with ThreadPoolExecutor(max_workers=min(len(figures), os.cpu_count() or 1)) as pool:
        staged = [pool.submit(stage_figure, source, folder / fig_name)
                  for fig_name, source in figures.items()]
        for future in staged:
            future.result()  # (the first failure in the post's order is the one raised)


def _publish(conversion: Conversion, outdir: Path, outcome: CompileOutcome,
             result: BuildResult, diag: Diagnostics) -> None:
    """Replace the visible outputs with this build's, and say what the PDF came with."""
    _publish_sources(conversion, outdir, outcome.pdf.parent)
    result.pdf = outdir / f"{conversion.name}.pdf"
    copy_atomic(outcome.pdf, result.pdf)
    synctex = outcome.pdf.with_suffix(".synctex.gz")  # beside the PDF, where viewers look
    if synctex.is_file():
        copy_atomic(synctex, outdir / synctex.name)
    bbl = outcome.pdf.with_suffix(".bbl")
    result.pages, result.passes = outcome.pages, outcome.passes
    result.bbl = bbl if bbl.exists() else None
    for problem in outcome.warnings:
        md_line = conversion.result.source_map.md_line(problem.line or 0)
        diag.warn(problem.message, md_line)
    result.diagnostics = diag.in_line_order()


def _highlight_cache(builddir: Path) -> HighlightCache:
    """Highlighted code blocks of the last build, when the post has any code at all."""
    path = builddir / HIGHLIGHTS
    return HighlightCache(path if path.is_file() else None)


def _publish_sources(conversion: Conversion, outdir: Path, staged: Path | None = None) -> None:
    """``staged``: the build folder, where TeX's copies of the figures are."""
    name = conversion.name
    write_atomic(outdir / f"{name}.tex", conversion.tex)
    if conversion.bib is not None:
        write_atomic(outdir / f"{name}.bib", conversion.bib)
    for fig_name, source in conversion.result.figures.items():
        if not (inside(conversion.post.site_root, source) or inside(data_uri_folder(), source)):
            raise MdpaperError(f"image {source} is outside the site folder", conversion.post.path)
        stage_figure(source, outdir / fig_name, staged / fig_name if staged else None)


def _compile(tex: Path, conversion: Conversion, engine: str, timeout: float, *,
             quick: bool = False, diag: Diagnostics,
             waiting: Standby | None = None) -> CompileOutcome:
    """latexmk, or first one engine pass when that may be enough: after an edit, from the
    last build's aux files (onepass); in a cold build, from predicted ones (coldpass).
    The conversion's errors (``diag``) are raised with TeX's, after TeX ran: the PDF made
    around their placeholders is never published."""
    outcome = _compile_tex(tex, conversion, engine, timeout, quick=quick, diag=diag,
                           waiting=waiting)
    if diag.errors:
        raise all_errors(diag, [])
    return outcome


def _compile_tex(tex: Path, conversion: Conversion, engine: str, timeout: float, *,
                 quick: bool, diag: Diagnostics, waiting: Standby | None) -> CompileOutcome:
    # (the engine's own format inflated for later builds, on the core TeX leaves idle)
    inflating = refresh_while(engine, sandbox_env())
    try:
        if waiting is not None:
            waiting.keep_if_taken(SharedFormat(tex, engine))
        first_pass = one_pass if quick else cold_pass
        done, passes = first_pass(tex, engine=engine, timeout=timeout, waiting=waiting)
        if done is not None:
            return done
        if waiting is not None:
            waiting.stop()  # (a run that preloaded the preamble holds the job's log)
        outcome = latexmk_from_format(tex, engine, timeout)
        outcome.passes += passes
        return outcome
    except (LatexError, LatexTimeout, TexToolMissing) as exc:
        raise build_error(exc, tex, conversion, diag) from None
    finally:
        if inflating is not None:
            inflating.join()
