"""The command line: arguments, manual pages and what is printed; no pipeline logic.

``main`` answers ``mdpaper --version`` and ``mdpaper --help`` before anything else is loaded
(the help from ``top_help.txt``: the parser's own text at 80 columns, stored;
tests/cli/test_top_help.py keeps it so); every other command line goes
to ``cli.commands`` (the start-up seam: argparse and the pipeline load there).
"""

from __future__ import annotations

import os
import sys

from mdpaper import __version__


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args == ["--version"]:
        print(f"mdpaper {__version__}")  # answers that need no argument parser
        return 0
    if args in (["--help"], ["-h"]):
        with open(os.path.join(os.path.dirname(__file__), "top_help.txt"), encoding="utf-8") as fh:
            print(fh.read(), end="")
        return 0
    from mdpaper.cli.commands import run  # start-up seam (see the module docstring)

    return run(argv)


__all__ = ["main"]
