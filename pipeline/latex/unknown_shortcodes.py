"""Shortcodes mdpaper does not know (a site's or a theme's own): left out, with a warning.

Each use is told where it stands (``Diagnostics.in_line_order`` folds a name's uses into
one warning naming the other lines: a theme's shortcode is often used dozens of times in a
post). A paired one (closed somewhere) keeps its content, and its warning says so: only
what its template adds around it (a title, a label, a box) is missing from the paper.
"""

from __future__ import annotations

from dataclasses import replace

from mdpaper.latex.state import RenderState
from mdpaper.markdown.shortcodes import ShortcodeCall


def note_unknown_shortcode(state: RenderState, call: ShortcodeCall) -> None:
    """Tell a use of a shortcode mdpaper leaves out (remember a closing tag's name)."""
    if call.closing:
        state.closed_unknown.add(call.name)
    else:
        state.diag.warn(_left_out(call.name), call.line or state.line)


def _left_out(name: str) -> str:
    return f"unknown shortcode '{name}' left out"


def report_unknown_shortcodes(state: RenderState) -> None:
    """The warnings of the paired ones, once the whole post has shown which are closed."""
    paired = {_left_out(name): name for name in state.closed_unknown}
    items = state.diag.items
    for i, item in enumerate(items):
        if item.message in paired:
            items[i] = replace(item, message=item.message + " around its content (the "
                               "content is kept)")
