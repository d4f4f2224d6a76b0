"""Hugo Blox's ``{{< table path="results.csv" header="true" caption="…" >}}``: a CSV file
of the page bundle shown as a table, each cell's Markdown rendered (the theme runs
``markdownify`` on them), the caption under it as the page prints it (the author numbers
it: "Table 1: …", so it is no LaTeX caption that would number it again)."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from mdpaper.errors import MdpaperError
from mdpaper.files import read_utf8
from mdpaper.latex.figures import inline_markdown
from mdpaper.latex.html_table import Cell
from mdpaper.latex.tables import longtable
from mdpaper.markdown.shortcodes import ShortcodeCall
from mdpaper.source.site import resolve_site_path

if TYPE_CHECKING:  # the renderer imports this module (through the block handlers)
    from mdpaper.latex.renderer import LatexRenderer


def is_data_table(call: ShortcodeCall) -> bool:
    """The theme's table shortcode: a ``path`` to a CSV file (other themes' ``table``
    shortcodes wrap a Markdown table instead)."""
    return call.name == "table" and (call.get("path") or "").lower().endswith(".csv")


def data_table(r: LatexRenderer, call: ShortcodeCall) -> str:
    """The CSV as a table; a file the bundle lacks is a located error, as the theme's
    template stops Hugo's build then."""
    ctx, line = r.state.ctx, call.line or r.state.line
    name = call.get("path") or ""
    try:
        path = resolve_site_path(ctx.site_root, name, base=ctx.post_dir, post=ctx.post_path,
                                 line=line, what="table file")
        text = read_utf8(path, "table file")
    except MdpaperError as exc:
        r.state.diag.error(exc.message, exc.line or line)
        return ""
    r.state.shown_files.append(path)
    rows = list(csv.reader(io.StringIO(text), delimiter=(call.get("delimiter") or ",")[0]))
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        return ""
    cells = r.in_argument(lambda: [[Cell(inline_markdown(r, cell, line)) for cell in row]
                                   for row in rows])
    header = (call.get("header") or "true").lower() == "true"
    table = longtable(r, cells[:1] if header else [], cells[1:] if header else cells, [])
    caption = call.get("caption")
    if caption:
        table += f"\n\\begin{{center}}{inline_markdown(r, caption, line)}\\end{{center}}"
    return table

