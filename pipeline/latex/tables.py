"""GitHub tables as ``longtable`` with booktabs rules: they may run over pages, and wide
ones get wrapping ``p`` columns instead of running off the page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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
    ncols = max([len(aligns)] + [len(row) for row in rows]) if (aligns or rows) else 0
    r.state.use_package("booktabs")  # \toprule, \midrule, \bottomrule
    r.state.use_package("longtable")  # tables may run over pages
    r.state.use_package("array")  # >{\raggedright} in the columns of wide tables
    if ncols == 0:
        return ""
    aligns += [None] * (ncols - len(aligns))
    header = r.in_argument(lambda: [r.inlines(c["children"]).strip() for c in head_cells])
    body_rows = r.in_argument(
        lambda: [[r.inlines(c["children"]).strip() for c in row] for row in rows])
    widest = max((sum(len(c) for c in row) for row in [header, *body_rows]), default=0)
    if widest > _NATURAL_ROW_LIMIT or ncols > 6:
        # Share the line between the columns; \tabcolsep padding is on both sides.
        width = f"\\dimexpr(\\linewidth-{2 * ncols}\\tabcolsep)/{ncols}\\relax"
        spec = "".join(f">{{{_RAGGED[a]}\\arraybackslash}}p{{{width}}}" for a in aligns)
    else:
        spec = "".join(_ALIGN[a] for a in aligns)
    size = "\\small" if ncols > 6 else ""
    lines = [f"{{{size}", f"\\begin{{longtable}}{{@{{}}{spec}@{{}}}}", "\\toprule"]
    if header:
        lines += [_row(header, ncols), "\\midrule", "\\endhead"]
    lines += [_row(row, ncols) for row in body_rows]
    lines += ["\\bottomrule", "\\end{longtable}", "}"]
    return "\n".join(lines)


def _row(cells: list[str], ncols: int) -> str:
    padded = cells + [""] * (ncols - len(cells))
    # A line break inside a cell would end the row; \newline only works in p columns.
    return " & ".join(c.replace("\\newline", " ") for c in padded[:ncols]) + " \\\\"


HANDLERS = {"table": table}
