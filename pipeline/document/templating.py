"""A logic-less template language for ``template.toml`` (a small Mustache with ``<< >>``).

LaTeX is full of braces, so the tags are ``<<name>>`` (a value), ``<<#name>>…<</name>>``
(a section: repeated for each item of a list, shown once for any other true value) and
``<<^name>>…<</name>>`` (shown when the value is empty or false). Inside a list section the
item's own fields come first, then the outer ones; ``<<.>>`` is the item itself. Values are
LaTeX already (mdpaper escapes them before they get here). A tag naming a variable that
does not exist is an error, so a typo in a template does not silently print nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mdpaper.errors import MdpaperError
from mdpaper.patterns import lazy_pattern

_TAG = lazy_pattern(r"<<\s*([#^/]?)\s*([\w.-]+)\s*>>")


def render(text: str, context: Mapping[str, Any], source: Path | str | None = None,
           first_line: int = 1) -> str:
    """Fill in ``text``; errors name ``source`` and the line there (``first_line``: the line
    of ``source`` on which ``text`` begins)."""
    tree, end = _parse(text, 0, None, source, first_line)
    return _render(tree, [context], source)


def _parse(text: str, pos: int, closing: str | None, source: Path | str | None,
           first_line: int) -> tuple[list[Any], int]:
    nodes: list[Any] = []
    while True:
        m = _TAG.search(text, pos)
        if m is None:
            if closing is not None:
                raise MdpaperError(f"template section <<#{closing}>> is never closed "
                                   f"(<</{closing}>>)", source, _line(text, len(text), first_line))
            nodes.append(text[pos:])
            return nodes, len(text)
        nodes.append(text[pos:m.start()])
        kind, name = m.group(1), m.group(2)
        if kind == "/":
            if name != closing:
                raise MdpaperError(f"template closes <</{name}>> but "
                                   + (f"<<#{closing}>> is open" if closing else "nothing is open"),
                                   source, _line(text, m.start(), first_line))
            return nodes, m.end()
        if kind in ("#", "^"):
            children, pos = _parse(text, m.end(), name, source, first_line)
            nodes.append((kind, name, children, _line(text, m.start(), first_line)))
            continue
        nodes.append(("=", name, None, _line(text, m.start(), first_line)))
        pos = m.end()


def _line(text: str, pos: int, first_line: int) -> int:
    return text.count("\n", 0, pos) + first_line


def _lookup(stack: list[Any], name: str, source: Path | str | None, line: int) -> Any:
    if name == ".":
        return stack[-1]
    for scope in reversed(stack):
        if isinstance(scope, Mapping) and name in scope:
            return scope[name]
    raise MdpaperError(f"template uses <<{name}>>, which is not a template variable "
                       "(see README, Templates)", source, line)


def _render(nodes: list[Any], stack: list[Any], source: Path | str | None) -> str:
    out = []
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
            continue
        kind, name, children, line = node
        value = _lookup(stack, name, source, line)
        if kind == "=":
            out.append("" if value is None or value is False else str(value))
        elif kind == "^":
            if not value:
                out.append(_render(children, stack, source))
        elif isinstance(value, list):
            for item in value:
                out.append(_render(children, [*stack, item], source))
        elif value:
            out.append(_render(children, [*stack, value], source))
    return "".join(out)
