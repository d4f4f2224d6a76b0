"""Located diagnostics: every problem a user can cause names ``file:line``.

Errors stop the build (``MdpaperError``); warnings are collected in ``Diagnostics`` and
printed GCC-style so editors can jump to them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path


def format_location(path: Path | str | None, line: int | None) -> str:
    if path is None:
        return "mdpaper"
    return f"{path}:{line}" if line else str(path)


class MdpaperError(Exception):
    """An error the user caused (bad input, missing file, LaTeX failure...).

    The CLI prints ``str(error)`` and exits 1, without a traceback.
    """

    exit_code = 1

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        #: The warnings the failed build had found by then: printed before the error
        #: (unless ``--quiet``), so a fix for the error does not hide them until the next run.
        self.warnings: list[Diagnostic] = []

    def __str__(self) -> str:
        return f"{format_location(self.path, self.line)}: error: {self.message}"


class UsageError(MdpaperError):
    """A wrong command-line value argparse cannot check itself (e.g. an unknown template):
    exits 2, like argparse's own usage errors."""

    exit_code = 2


class MultipleErrors(MdpaperError):
    """Several located errors found in one pass (e.g. every unknown citation key)."""

    def __init__(self, errors: list[MdpaperError]):
        super().__init__(errors[0].message, errors[0].path, errors[0].line)
        self.errors = errors

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


@dataclass(frozen=True)
class Diagnostic:
    severity: str  # "warning" or "error"
    message: str
    path: Path | str | None = None
    line: int | None = None
    #: An error whose construct was rendered as a visible placeholder, so the .tex is still
    #: safe to compile: TeX may run to find the post's other errors in the same build.
    tex_safe: bool = field(default=False, compare=False)
    #: warnings of one kind (``"remote images"``), each about its own thing, are told once
    #: in a post, at the first, with the others' lines: 150 thumbnails, one warning
    kind: str | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return f"{format_location(self.path, self.line)}: {self.severity}: {self.message}"


def _also_on(lines: list[int], kind: str | None = None, shown: int = 4) -> str:
    """" (also on lines 12, 30 and 5 more)"; of a ``kind``, " (and 9 more remote images:
    lines 12, 30 and 5 more)" (a line with several named once)."""
    count, lines = len(lines), list(dict.fromkeys(lines))
    named = ", ".join(str(n) for n in lines[:shown])
    rest = len(lines) - shown
    more = f" and {rest} more" if rest > 0 else ""
    where = f"line{'s' * (len(lines) > 1)} {named}{more}"
    return f" (and {count} more {kind}: {where})" if kind else f" (also on {where})"


@dataclass
class Diagnostics:
    """Collects warnings and errors for one post; errors are raised together at the end."""

    path: Path | str | None = None
    items: list[Diagnostic] = field(default_factory=list)

    def warn(self, message: str, line: int | None = None, *, kind: str | None = None) -> None:
        self.add(Diagnostic("warning", message, self.path, line, kind=kind))

    def error(self, message: str, line: int | None = None, *, tex_safe: bool = False) -> None:
        self.add(Diagnostic("error", message, self.path, line, tex_safe))

    def add(self, item: Diagnostic) -> None:
        # one problem met twice (an opening and a closing tag, the parser and the
        # renderer) is told once
        if item not in self.items:
            self.items.append(item)

    def in_line_order(self) -> list[Diagnostic]:
        """Every problem, in line order: what ``check`` and ``build`` both print. A warning
        met on several lines (one relative link, linked 32 times) is told once, at its first
        line, with the others named."""
        ordered = sorted(self.items, key=lambda d: (str(d.path), d.line or 0))
        lines: dict[tuple[str, str], list[Diagnostic]] = {}
        for d in ordered:
            if d.severity == "warning" and d.line:
                lines.setdefault((str(d.path), d.kind or d.message), []).append(d)
        told = []
        for d in ordered:
            alike = lines.get((str(d.path), d.kind or d.message), [])
            if d.severity != "warning" or len(alike) < 2:
                told.append(d)
            elif d is alike[0]:
                others = [o.line or 0 for o in alike[1:]]
                told.append(replace(d, message=d.message + _also_on(others, d.kind)))
        return told

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    def tex_can_run(self) -> bool:
        """No error left the .tex unsafe or incomplete (a placeholder stands in for each)."""
        return all(d.tex_safe for d in self.errors)

    def raise_errors(self) -> None:
        errs = [MdpaperError(d.message, d.path, d.line) for d in self.errors]
        if errs:
            raise self.with_warnings(errs[0] if len(errs) == 1 else MultipleErrors(errs))

    def with_warnings(self, error: MdpaperError) -> MdpaperError:
        """``error``, carrying the warnings found so far (in line order)."""
        error.warnings = [d for d in self.in_line_order() if d.severity == "warning"]
        return error
