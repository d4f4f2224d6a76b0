"""``mdpaper build``: convert, write, compile, and only then replace the outputs.

Layout: ``OUTDIR/NAME/NAME.{tex,bib,pdf}`` plus the figures beside them; TeX runs in
``OUTDIR/NAME/build/`` (aux files stay there between builds). The visible outputs are
replaced atomically after a successful compile, so a failed or interrupted build leaves the
last good PDF (and the .tex/.bib that made it) in place.
"""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from mdpaper.build import cache as buildcache
from mdpaper.errors import Diagnostics, MdpaperError
from mdpaper.files import copy_atomic, write_atomic
from mdpaper.images import stage_figure
from mdpaper.model import BuildResult
from mdpaper.source.site import inside, load_post, output_name
from mdpaper.tex.engines import ENGINE_NAMES

HIGHLIGHTS = "mdpaper-highlight.json"


@dataclass
class BuildOptions:
    """What the command line chose; ``None`` leaves it to the post and the site config."""

    outdir: Path | None = None
    engine: str | None = None
    template: str | None = None
    tex_only: bool = False
    timeout: float = 300.0
    citation_style: str | None = None


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Two builds of the same post at once take turns instead of mixing their files."""
    with open(folder / ".lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def build_post(post_path: Path, options: BuildOptions | None = None) -> BuildResult:
    from mdpaper.build.convert import convert
    from mdpaper.progress import detail, stage
    from mdpaper.source.config import resolve_settings

    options = options or BuildOptions()
    if options.engine is not None and options.engine not in ENGINE_NAMES:
        raise MdpaperError(f"unknown engine '{options.engine}' (choose {', '.join(ENGINE_NAMES)})")
    post = load_post(post_path)
    name = output_name(post)
    diag = Diagnostics(path=post_path)
    settings = resolve_settings(post, engine=options.engine, template=options.template,
                                citation_style=options.citation_style, output=options.outdir)
    for line in settings.describe():
        detail(line)
    outroot = settings.output or post.site_root / "output"
    outdir = outroot / name
    key = buildcache.options_key(settings=settings.describe(), site_root=post.site_root,
                                 outdir=outdir)
    if not options.tex_only and (outdir / "build").is_dir():
        with locked(outdir):
            cached = buildcache.check(buildcache.load(outdir), key, post_path, outdir, name)
        if cached is not None:
            return cached
    highlights = _highlight_cache(outdir / "build")
    conversion = convert(post, name, diagnostics=diag, settings=settings,
                         highlight_cache=highlights)
    digests = buildcache.digest_inputs(conversion.inputs)
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MdpaperError(f"cannot create output folder {outdir}: {exc.strerror}") from None
    figures = conversion.result.figures
    tex_path, bib_path = outdir / f"{name}.tex", outdir / f"{name}.bib"
    result = BuildResult(name=name, outdir=outdir, tex=tex_path,
                         bib=bib_path if conversion.bib is not None else None, pdf=None,
                         figures={n: outdir / n for n in figures},
                         diagnostics=list(diag.items))
    with locked(outdir):
        if options.tex_only:
            _publish_sources(conversion, outdir, tex_path, bib_path)
            return result
        builddir = outdir / "build"
        builddir.mkdir(exist_ok=True)
        previous = buildcache.load(outdir)
        buildcache.forget(outdir)  # from here on the build folder is not a finished build
        # One pass may do when the last build finished here with the same options and the
        # same .bib (so its .bbl is still right); quickpass checks the aux files after it.
        quick = (previous is not None and previous.key == key
                 and previous.bib_sha256 == buildcache.text_digest(conversion.bib))
        write_atomic(builddir / f"{name}.tex", conversion.tex)
        if highlights is not None:
            highlights.path = builddir / HIGHLIGHTS
            highlights.save()
        if conversion.bib is not None:
            write_atomic(builddir / f"{name}.bib", conversion.bib)
        for fig_name, source in figures.items():
            stage_figure(source, builddir / fig_name)
        with stage("latex"):
            outcome = _compile(builddir / f"{name}.tex", conversion, options, quick=quick)
        _publish_sources(conversion, outdir, tex_path, bib_path)
        pdf = outdir / f"{name}.pdf"
        copy_atomic(outcome.pdf, pdf)
        bbl = builddir / f"{name}.bbl"
        result.pdf, result.pages, result.passes = pdf, outcome.pages, outcome.passes
        result.bbl = bbl if bbl.exists() else None
        for problem in outcome.warnings:
            md_line = conversion.result.source_map.md_line(problem.line or 0)
            diag.warn(problem.message, md_line)
        result.diagnostics = list(diag.items)
        record = buildcache.make_record(key, digests, result, conversion.bib)
        if record is not None:
            buildcache.save(outdir, record)
    return result


def _highlight_cache(builddir: Path):  # type: ignore[no-untyped-def]
    """Highlighted code blocks of the last build, when the post has any code at all."""
    from mdpaper.latex.code import HighlightCache

    path = builddir / HIGHLIGHTS
    return HighlightCache(path if path.is_file() else None)


def _publish_sources(conversion, outdir: Path, tex_path: Path, bib_path: Path) -> None:  # type: ignore[no-untyped-def]
    write_atomic(tex_path, conversion.tex)
    if conversion.bib is not None:
        write_atomic(bib_path, conversion.bib)
    for fig_name, source in conversion.result.figures.items():
        if not inside(conversion.post.site_root, source):
            raise MdpaperError(f"image {source} is outside the site folder", conversion.post.path)
        stage_figure(source, outdir / fig_name)


def _compile(tex: Path, conversion, options: BuildOptions, *, quick: bool = False):  # type: ignore[no-untyped-def]
    """latexmk, or first one engine pass when that may be enough (see quickpass)."""
    from mdpaper.tex.latexmk import LatexError
    from mdpaper.tex.process import LatexTimeout, TexToolMissing

    try:
        passes, engine = 0, conversion.settings.engine
        if quick:
            from mdpaper.tex.onepass import one_pass

            done, passes = one_pass(tex, engine=engine, timeout=options.timeout)
            if done is not None:
                return done
        outcome = _latexmk(tex, engine, options.timeout)
        outcome.passes += passes
        return outcome
    except LatexError as exc:
        _forget_aux(tex)
        raise map_latex_error(exc, conversion) from None
    except LatexTimeout as exc:
        _forget_aux(tex)
        raise MdpaperError(exc.message, conversion.post.path) from None
    except TexToolMissing as exc:  # name the post that could not be built
        raise TexToolMissing(exc.message, conversion.post.path) from None


def _latexmk(tex: Path, engine: str, timeout: float):  # type: ignore[no-untyped-def]
    """latexmk, every pass from the precompiled preamble when one is ready for this .tex (a
    rebuild that needs BibTeX or more passes). Should latexmk fail from the format, it runs
    again without it from a clean slate; that run's outcome or error is the build's."""
    from mdpaper.tex.latexmk import LatexError, compile_tex
    from mdpaper.tex.preamble_format import FORMAT_JOB, PreambleFormat

    fmt = PreambleFormat(tex, engine)
    if not fmt.ready():
        return compile_tex(tex, engine=engine, timeout=timeout)
    try:
        return compile_tex(tex, engine=engine, timeout=timeout, fmt=FORMAT_JOB)
    except LatexError:
        # A clean slate: with no database latexmk judges by the .log and the PDF, which
        # are the failed run's.
        _forget_aux(tex)
        for suffix in (".log", ".pdf"):
            with contextlib.suppress(OSError):
                tex.with_suffix(suffix).unlink()
    outcome = compile_tex(tex, engine=engine, timeout=timeout)
    fmt.discard()  # the ordinary run succeeded where the format's failed
    return outcome


#: Files one TeX run writes for the next; after a failed run they may be cut off mid-entry
#: (a bookmark, a label), and the next build, even of a fixed post, would fail reading them.
_AUX_SUFFIXES = (".aux", ".out", ".toc", ".lof", ".lot", ".fdb_latexmk", ".fls")


def _forget_aux(tex: Path) -> None:
    for suffix in _AUX_SUFFIXES:
        with contextlib.suppress(OSError):
            tex.with_suffix(suffix).unlink()


def map_latex_error(exc, conversion) -> MdpaperError:  # type: ignore[no-untyped-def]
    """Name the Markdown line behind each LaTeX error (through the renderer's source map)."""
    from mdpaper.errors import MultipleErrors

    errors = []
    tex_name = f"{conversion.name}.tex"
    for problem in exc.problems or []:
        in_main = problem.path is None or Path(problem.path).name == tex_name
        md_line = None
        if in_main and problem.line and problem.line >= conversion.body_line:
            md_line = conversion.result.source_map.md_line(problem.line)
        if md_line:
            errors.append(MdpaperError(problem.message, conversion.post.path, md_line))
        else:
            where = f" (at {tex_name}:{problem.line})" if problem.line else ""
            errors.append(MdpaperError(problem.message + where, conversion.post.path))
    if not errors:
        return MdpaperError(str(exc), conversion.post.path)
    return errors[0] if len(errors) == 1 else MultipleErrors(errors)


