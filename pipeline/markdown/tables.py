"""GitHub tables as Goldmark reads them on Hugo's page (its table extension, GFM's rules),
in place of mistune's table plugin, which drops the whole table to a paragraph of pipes:

* the outer pipes are optional on every row, each row on its own (a header without them
  over rows with them, as table generators write it, is one table);
* the header may not have more cells than the delimiter row; a header or body row with
  fewer is filled with empty cells, a body row with more loses the extra ones;
* the body runs to a blank line or the start of another block: a following line without a
  pipe (``*source: …*``) is a row of one cell;
* ``\\|`` is a pipe inside a cell, code spans included.

The tokens are mistune's (``table``, ``table_head``, ``table_body``, ``table_row``,
``table_cell`` with ``align`` and ``head``).
"""

from __future__ import annotations

import re
from typing import Any

from mistune.core import BlockState

from mdpaper.patterns import lazy_pattern

#: a header row then a delimiter row (a pipe in one of them; checked cell by cell below)
TABLE = (r"^ {0,3}(?P<table_head>[^\n]*\|[^\n]*|[^\n]+(?=\n {0,3}[-:| \t]*\|))\n"
         r"(?P<table_delimiter> {0,3}[-:| \t]*-[-:| \t]*)(?:\n|$)")
_LIST_ITEM = lazy_pattern(r" {0,3}[-+*](?:[ \t]|$)")
_DELIMITER_CELL = lazy_pattern(r"[ \t]*(:?)-+(:?)[ \t]*")


def register(md: Any) -> None:
    """Read tables with the rules above, also in lists and block quotes."""
    md.block.register("table", TABLE, _parse_table, before="paragraph")
    for rules in (md.block.list_rules, md.block.block_quote_rules):
        md.block.insert_rule(rules, "table", before="paragraph")


def _parse_table(block: Any, m: re.Match[str], state: BlockState) -> int | None:
    aligns = _alignments(m.group("table_delimiter"))
    if aligns is None:
        return None
    header = _cells(m.group("table_head"))
    if len(header) > len(aligns):
        return None  # as Goldmark: not a table (a setext heading, a paragraph)
    header += [""] * (len(aligns) - len(header))
    pos = m.end()
    rows = []
    others = block.compile_sc([name for name in block.rules if name != "table"])
    while pos < state.cursor_max:
        line = state.get_line(pos)
        if not line.strip() or others.match(state.src, pos):
            break
        cells = (_cells(line) + [""] * len(aligns))[:len(aligns)]
        rows.append(_row(cells, aligns, head=False))
        pos += len(line)
    head = _row(header, aligns, head=True)
    state.append_token({"type": "table", "children": [
        {"type": "table_head", "children": head["children"]},
        {"type": "table_body", "children": rows}]})
    return pos


def _alignments(line: str) -> list[str | None] | None:
    if _LIST_ITEM.match(line):
        return None  # ``- | -`` starts a list item, which ends the paragraph above it
    cells = line.strip().split("|")
    if cells and not cells[0].strip():
        cells = cells[1:]
    if cells and not cells[-1].strip():
        cells = cells[:-1]
    aligns: list[str | None] = []
    for cell in cells:
        m = _DELIMITER_CELL.fullmatch(cell)
        if m is None:
            return None
        left, right = bool(m.group(1)), bool(m.group(2))
        aligns.append("center" if left and right else "left" if left
                      else "right" if right else None)
    return aligns or None


def _cells(line: str) -> list[str]:
    """A row's cells: one leading and one trailing pipe are the row's edges; a pipe after
    a backslash is text (and the backslash goes)."""
    text = line.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and (len(text) - 1 - len(text[:-1].rstrip("\\"))) % 2 == 0:
        text = text[:-1]
    cells, cell, escaped = [], "", False
    for char in text:
        if char == "|" and not escaped:
            cells.append(cell)
            cell = ""
        else:
            cell += char
        escaped = char == "\\" and not escaped
    cells.append(cell)
    return [cell.strip().replace("\\|", "|") for cell in cells]


def _row(cells: list[str], aligns: list[str | None], *, head: bool) -> dict[str, Any]:
    return {"type": "table_row", "children": [
        {"type": "table_cell", "text": text, "attrs": {"align": align, "head": head}}
        for text, align in zip(cells, aligns, strict=True)]}
