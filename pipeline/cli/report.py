"""What a command prints about a build: its diagnostics and its summary line."""

from __future__ import annotations

import sys
from pathlib import Path

from mdpaper.model import BuildResult


def print_diagnostics(result: BuildResult, quiet: bool) -> None:
    if quiet:
        return
    for item in result.diagnostics:
        print(str(item), file=sys.stderr)


def summary(post: Path, result: BuildResult, seconds: float) -> str:
    """The last line of a build: output path, pages, warnings, time."""
    made = result.pdf or result.tex
    warnings = sum(1 for d in result.diagnostics if d.severity == "warning")
    pages = f"{result.pages} page{'s' * (result.pages != 1)}, " if result.pages else ""
    what = f"{made} is up to date" if result.up_to_date else f"wrote {made}"
    return (f"{post}: {what} ({pages}{warnings} warning{'s' * (warnings != 1)}, "
            f"{seconds:.1f} s)")
