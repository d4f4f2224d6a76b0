"""Raw HTML ``<table>`` (sites with ``unsafe = true``) as the same ``longtable`` a Markdown
table becomes: ``<thead>`` rows (or rows of ``<th>`` only, at the top) repeat on every page,
``colspan`` spans columns, ``align`` and ``style="text-align: …"`` align them, and the cells
keep their inline markup (emphasis, links, code), converted by the HTML block's converter.
A ``<caption>`` is printed above, as browsers show it; a table inside a cell is flattened
into the cell's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mdpaper.patterns import lazy_pattern

_ALIGN = lazy_pattern(r"text-align\s*:\s*(left|center|right)", re.I)
#: a <br> or a paragraph inside a cell would end the row: it becomes a space
_BREAKS = lazy_pattern(r"\\mbox\{\}\\\\\n|\s*\n\s*")


@dataclass
class Cell:
    latex: str
    span: int = 1
    align: str | None = None
    header: bool = False


@dataclass
class HtmlTable:
    rows: list[list[Cell]] = field(default_factory=list)
    #: how many of the first rows are the header (from <thead>)
    head_rows: int = 0
    caption: str = ""
    in_head: bool = False
    #: where the open cell's (or caption's) text starts in the converter's output
    start: int | None = None
    open_cell: Cell | None = None

    def row(self) -> None:
        self.rows.append([])
        if self.in_head:
            self.head_rows = len(self.rows)

    def cell(self, tag: str, attrs: dict[str, str], position: int) -> None:
        if not self.rows:
            self.row()
        span = attrs.get("colspan", "1").strip()
        m = _ALIGN.search(attrs.get("style", ""))
        align = (attrs.get("align") or (m.group(1) if m else "")).lower() or None
        self.open_cell = Cell("", int(span) if span.isdigit() and int(span) > 0 else 1,
                              align if align in ("left", "center", "right") else None,
                              tag == "th")
        self.start = position

    def close(self, out: list[str]) -> None:
        """End the open cell or caption: its text leaves ``out`` for the table."""
        if self.start is None:
            return
        text = _BREAKS.sub(" ", "".join(out[self.start:])).strip()
        del out[self.start:]
        if self.open_cell is not None:
            self.open_cell.latex = text
            self.rows[-1].append(self.open_cell)
        else:
            self.caption = text
        self.start, self.open_cell = None, None

    def header_count(self) -> int:
        """<thead> rows; else the leading rows made only of <th> cells."""
        if self.head_rows:
            return self.head_rows
        count = 0
        for row in self.rows:
            if not row or not all(c.header for c in row):
                break
            count += 1
        return count
