"""Tables as ``longtable`` with booktabs rules: they may run over pages, and wide ones get
wrapping ``p`` columns instead of running off the page. GitHub tables come here as tokens,
raw HTML tables (``html_table``) as rows of cells; both are set by ``longtable``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mdpaper.latex.escape import shield_argument
from mdpaper.latex.html_table import Cell

if TYPE_CHECKING:  # the renderer imports this module for its handler table
    from mdpaper.latex.renderer import LatexRenderer

Token = dict[str, Any]

_ALIGN = {"left": "l", "center": "c", "right": "r", None: "l"}
_RAGGED = {"left": "\\raggedright", "center": "\\centering", "right": "\\raggedleft",
           None: "\\raggedright"}
# Beyond this many characters in a row, fixed-width columns would overflow the line.
_NATURAL_ROW_LIMIT = 70


def table(r: LatexRenderer, tok: Token) -> str:
    head = next((c for c in tok["children"] if c["type"] == "table_head"), None)
    body = next((c for c in tok["children"] if c["type"] == "table_body"), None)
    head_cells = head["children"] if head else []
    rows = [row["children"] for row in body["children"]] if body else []
    aligns = [c["attrs"].get("align") for c in head_cells] or [
        c["attrs"].get("align") for c in (rows[0] if rows else [])]
    header = r.in_argument(lambda: [Cell(r.inlines(c["children"]).strip())
                                    for c in head_cells])
    body_rows = r.in_argument(
        lambda: [[Cell(r.inlines(c["children"]).strip()) for c in row] for row in rows])
    return longtable(r, [header] if header else [], body_rows, aligns)


def longtable(r: LatexRenderer, head: list[list[Cell]], body: list[list[Cell]],
              aligns: list[str | None]) -> str:
    """A longtable of ``head`` rows (repeated on each page) and ``body`` rows; a cell's own
    alignment or span (an HTML table's) overrides its column's through \\multicolumn."""
    r.state.use_package("booktabs")  # \toprule, \midrule, \bottomrule
    r.state.use_package("longtable")  # tables may run over pages
    r.state.use_package("array")  # >{\raggedright} in the columns of wide tables
    ncols = max([len(aligns)] + [sum(c.span for c in row) for row in [*head, *body]])
    if ncols == 0:
        return ""
    aligns = aligns[:ncols] + [None] * (ncols - len(aligns))
    widest = max((sum(len(c.latex) for c in row) for row in [*head, *body]), default=0)
    wide = widest > _NATURAL_ROW_LIMIT or ncols > 6
    if wide:
        spec = "".join(_column(a, 1, ncols) for a in aligns)
    else:
        spec = "".join(_ALIGN[a] for a in aligns)
    size = "\\small" if ncols > 6 else ""
    lines = [f"{{{size}", f"\\begin{{longtable}}{{@{{}}{spec}@{{}}}}", "\\toprule"]
    if head:
        lines += [_row(row, ncols, aligns, wide) for row in head]
        lines += ["\\midrule", "\\endhead"]
    lines += [_row(row, ncols, aligns, wide) for row in body]
    lines += ["\\bottomrule", "\\end{longtable}", "}"]
    return "\n".join(lines)


def _column(align: str | None, span: int, ncols: int) -> str:
    """A wrapping column of ``span`` shares of the line (\\tabcolsep on both sides)."""
    width = (f"\\dimexpr(\\linewidth-{2 * ncols}\\tabcolsep)*{span}/{ncols}"
             f"+{2 * (span - 1)}\\tabcolsep\\relax")
    return f">{{{_RAGGED[align]}\\arraybackslash}}p{{{width}}}"


def _row(cells: list[Cell], ncols: int, aligns: list[str | None], wide: bool) -> str:
    out, column = [], 0
    for cell in cells:
        if column >= ncols:
            break
        span = min(cell.span, ncols - column)
        # A line break inside a cell would end the row; \newline only works in p columns.
        text = cell.latex.replace("\\newline", " ")
        if span > 1 or (cell.align and cell.align != aligns[column]):
            align = cell.align or aligns[column]
            spec = _column(align, span, ncols) if wide else _ALIGN[align]
            text = f"\\multicolumn{{{span}}}{{{spec}}}{{{text}}}"
        out.append(text)
        column += span
    out += [""] * (ncols - column)
    if out:  # after the last row's \\ (an interval [0, 1] looped TeX; a star was lost)
        out[0] = shield_argument(out[0])
    return " & ".join(out) + " \\\\"


HANDLERS = {"table": table}
