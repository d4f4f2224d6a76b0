"""The command line: arguments, manual pages and what is printed; no pipeline logic.

``main`` answers ``mdpaper --version`` before anything else is loaded; every other command
line goes to ``cli.commands`` (the start-up seam: argparse and the pipeline load there).
"""

from __future__ import annotations

import sys

from mdpaper import __version__


def main(argv: list[str] | None = None) -> int:
    if (sys.argv[1:] if argv is None else argv) == ["--version"]:
        print(f"mdpaper {__version__}")  # the one answer that needs no argument parser
        return 0
    from mdpaper.cli.commands import run  # start-up seam (see the module docstring)

    return run(argv)


__all__ = ["main"]
