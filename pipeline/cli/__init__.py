"""The command line: argument parsing, the manual pages, what is printed. No pipeline logic."""

from mdpaper.cli.commands import main

__all__ = ["main"]
