"""``mdpaper check``: what a build would complain about, without running TeX.

The checks are the converter's own (``mdpaper.build.convert.convert``): unknown citation keys,
links to missing heading ids, unknown shortcodes, missing images, duplicate explicit ids,
empty sections, refused math, characters the engine cannot show, bad front matter, site
config or template. ``check`` only lets the converter collect every error instead of
stopping at the first batch, and sorts what it found by line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mdpaper.build.convert import convert
from mdpaper.errors import Diagnostic, Diagnostics, MdpaperError, MultipleErrors
from mdpaper.progress import detail
from mdpaper.source.config import resolve_settings
from mdpaper.source.site import load_post, output_name


@dataclass
class CollectingDiagnostics(Diagnostics):
    """Diagnostics that never raise: ``check`` wants the whole list."""

    def raise_errors(self) -> None:
        return None


def check_post(path: Path, *, engine: str | None = None, template: str | None = None,
               citation_style: str | None = None) -> list[Diagnostic]:
    """Every diagnostic for one post, errors and warnings, in line order."""
    diag = CollectingDiagnostics(path=path)
    try:
        post = load_post(path)
        settings = resolve_settings(post, engine=engine, template=template,
                                    citation_style=citation_style)
        for line in settings.describe():
            detail(f"{path}: {line}")
        convert(post, output_name(post), settings=settings, diagnostics=diag)
    except MultipleErrors as exc:
        for error in exc.errors:
            diag.add(_as_diagnostic(error))
    except MdpaperError as exc:
        diag.add(_as_diagnostic(exc))
    return diag.in_line_order()


def _as_diagnostic(exc: MdpaperError) -> Diagnostic:
    return Diagnostic("error", exc.message, exc.path, exc.line)


def check_posts(paths: list[Path], *, engine: str | None = None, template: str | None = None,
                citation_style: str | None = None) -> tuple[list[Diagnostic], int]:
    """Diagnostics of every post, and how many of them are errors."""
    found: list[Diagnostic] = []
    for path in paths:
        found += check_post(path, engine=engine, template=template,
                            citation_style=citation_style)
    return found, sum(1 for d in found if d.severity == "error")
