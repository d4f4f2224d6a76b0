"""What happens after TeX fails: the aux files it may have cut short are removed, a pass
from the precompiled preamble is retried without it (and the format discarded when that
was the cause), and LaTeX's errors are mapped back to the post's Markdown lines.

A failed run may leave its aux files cut off mid-entry (a bookmark, a label); the next
build, even of a fixed post, would fail reading them. The format can make a build faster,
never different or broken: a run from it that fails is run again the ordinary way, and
only when that one succeeds was the format to blame.
"""

from __future__ import annotations

import contextlib
import difflib
from collections.abc import Callable, Collection, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from mdpaper.build.engine_formats import copy_env
from mdpaper.build.format_cache import SharedFormat
from mdpaper.errors import Diagnostics, MdpaperError, MultipleErrors
from mdpaper.latex.math import DISPLAY_ENVS, KNOWN_NAMES
from mdpaper.latex.math_rewrite import did_you_mean
from mdpaper.latex.math_web_names import KATEX_NAMES
from mdpaper.patterns import lazy_pattern
from mdpaper.tex.latexmk import CompileOutcome, LatexError, compile_tex
from mdpaper.tex.preamble_format import FORMAT_JOB, PreambleFormat
from mdpaper.tex.process import LatexTimeout, TexToolMissing

if TYPE_CHECKING:  # loading the converter is the build's start-up seam, not ours
    from mdpaper.build.convert import Conversion

#: Files one TeX run writes for the next.
AUX_SUFFIXES = (".aux", ".out", ".toc", ".lof", ".lot", ".fdb_latexmk", ".fls")


def forget_aux(tex: Path, keep: Collection[str] = ()) -> None:
    """Remove the aux files of ``tex`` (but those with a suffix in ``keep``): the next run
    starts from none."""
    for suffix in AUX_SUFFIXES:
        if suffix not in keep:
            with contextlib.suppress(OSError):
                tex.with_suffix(suffix).unlink()


def forget_run(tex: Path, keep: Collection[str] = ()) -> None:
    """A clean slate for latexmk: with no database it judges by the .log and the PDF, which
    would be the failed run's. ``keep``: suffixes of files a waiting run holds open."""
    forget_aux(tex, keep)
    for suffix in (".log", ".pdf"):
        if suffix not in keep:
            with contextlib.suppress(OSError):
                tex.with_suffix(suffix).unlink()


def save_files(folder: Path, names: Iterable[str]) -> dict[str, bytes]:
    """The contents of the files in ``folder`` that exist, to put back with restore_files."""
    return {name: (folder / name).read_bytes() for name in names if (folder / name).is_file()}


def restore_files(folder: Path, saved: dict[str, bytes]) -> None:
    for name, data in saved.items():
        (folder / name).write_bytes(data)


def pass_from_format(fmt: PreambleFormat, from_format: Callable[[], int],
                     ordinary: Callable[[], int], state: Iterable[str]) -> int:
    """One engine pass from the format (``from_format``), else the ordinary way
    (``ordinary``): its exit code.

    A failed pass from the format may have cut the aux files (``state``) short; the ordinary
    pass, from the aux files as they were, decides (and names the error if there is one).
    Only when it succeeds was the format to blame (a broken file); a mistake in the post
    keeps it.
    """
    saved = save_files(fmt.folder, state)
    if from_format() == 0:
        return 0
    restore_files(fmt.folder, saved)
    returncode = ordinary()
    if returncode == 0:
        fmt.discard()
    return returncode


def latexmk_from_format(tex: Path, engine: str, timeout: float) -> CompileOutcome:
    """latexmk, every pass from the precompiled preamble when one is ready for this .tex (a
    rebuild that needs BibTeX or more passes). Should latexmk fail from the format, it runs
    again without it from a clean slate; that run's outcome or error is the build's."""
    fmt = SharedFormat(tex, engine)
    if not fmt.ready():
        return compile_tex(tex, engine=engine, timeout=timeout, extra_env=copy_env(engine))
    try:
        return compile_tex(tex, engine=engine, timeout=timeout, fmt=FORMAT_JOB)
    except LatexError:
        forget_run(tex)
    outcome = compile_tex(tex, engine=engine, timeout=timeout)
    fmt.discard()  # the ordinary run succeeded where the format's failed
    return outcome


def build_error(exc: LatexError | LatexTimeout | TexToolMissing, tex: Path,
                conversion: Conversion, diag: Diagnostics | None = None) -> MdpaperError:
    """The error a failed compile of ``tex`` raises, located in the post, with the
    conversion's own errors (``diag``) when TeX ran despite them."""
    if isinstance(exc, TexToolMissing):  # nothing ran, so the aux files are intact
        return TexToolMissing(exc.message, conversion.post.path)
    forget_aux(tex)
    if isinstance(exc, LatexError):
        return all_errors(diag, map_latex_errors(exc, conversion))
    return all_errors(diag, [MdpaperError(exc.message, conversion.post.path)])


def map_latex_errors(exc: LatexError, conversion: Conversion) -> list[MdpaperError]:
    """Name the Markdown line behind each LaTeX error (through the renderer's source map)."""
    errors = []
    tex_name = f"{conversion.name}.tex"
    for problem in exc.problems or []:
        in_main = problem.path is None or Path(problem.path).name == tex_name
        md_line = None
        if in_main and problem.line and problem.line >= conversion.body_line:
            md_line = conversion.result.source_map.md_line(problem.line)
        message = _with_suggestion(problem.message)
        if md_line:
            errors.append(MdpaperError(message, conversion.post.path, md_line))
        else:
            where = f" (at {tex_name}:{problem.line})" if problem.line else ""
            errors.append(MdpaperError(message + where, conversion.post.path))
    return errors or [MdpaperError(str(exc), conversion.post.path)]


_UNDEFINED = lazy_pattern(r"Undefined control sequence \\([A-Za-z]+)$")
_UNDEFINED_ENVIRONMENT = lazy_pattern(r"LaTeX Error: Environment (\S+) undefined")
#: the display environments and their starred forms: what ``align**`` was meant to be
_DISPLAY_NAMES = frozenset(DISPLAY_ENVS) | {name + "*" for name in DISPLAY_ENVS}


def _with_suggestion(message: str) -> str:
    """TeX's undefined control sequence (or display environment) with the did-you-mean
    ``check`` gives."""
    if (env := _UNDEFINED_ENVIRONMENT.match(message)) is not None:
        close = difflib.get_close_matches(env.group(1), _DISPLAY_NAMES, n=1, cutoff=0.75)
        return f"{message}; did you mean '{close[0]}'?" if close else message
    m = _UNDEFINED.match(message)
    if m and m.group(1) in KATEX_NAMES:  # not a typo: the page's KaTeX knows it
        return f"{message} (KaTeX has it, LaTeX here does not)"
    hint = did_you_mean(m.group(1), KNOWN_NAMES) if m else None
    return f"{message}; did you mean '{hint}'?" if hint else message


def all_errors(diag: Diagnostics | None, tex_errors: list[MdpaperError]) -> MdpaperError:
    """The conversion's errors and TeX's, in line order, as one error to raise.

    TeX's errors on one Markdown line are told once (the first, and how many more): one
    slip often makes TeX complain several times. One the conversion already reported (the
    same message on the same line) is not told again.
    """
    found = [MdpaperError(d.message, d.path, d.line) for d in (diag.errors if diag else [])]
    told = {(e.line, e.message.split(";")[0].removesuffix(" in math")) for e in found}
    by_line: dict[int | None, list[MdpaperError]] = {}
    for error in tex_errors:
        if error.line is None or (error.line, error.message.split(";")[0]) not in told:
            by_line.setdefault(error.line, []).append(error)
    for line, errors in by_line.items():
        if line is None:
            found += errors
            continue
        first = errors[0]
        more = len(errors) - 1
        if more:
            s = "" if more == 1 else "s"
            first = MdpaperError(f"{first.message}; and {more} more TeX error{s} on this line",
                                 first.path, first.line)
        found.append(first)
    found.sort(key=lambda e: e.line or 0)
    error = found[0] if len(found) == 1 else MultipleErrors(found)
    return diag.with_warnings(error) if diag is not None else error
