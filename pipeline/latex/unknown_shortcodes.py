"""Shortcodes mdpaper does not know (a site's or a theme's own): left out, told once each.

A theme's shortcode is often used dozens of times in a post (a version badge, an
environment around each theorem); one warning per use buried the others. Each name is told
once, at its first use, with how many uses there are and where the next few are; a paired
one (closed somewhere) says that its content is kept: only what its template adds around
it (a title, a label, a box) is missing from the paper.
"""

from __future__ import annotations

from dataclasses import replace

from mdpaper.errors import Diagnostic
from mdpaper.latex.state import RenderState
from mdpaper.markdown.shortcodes import ShortcodeCall

#: how many further lines a warning lists
_SHOWN_LINES = 4


def note_unknown_shortcode(state: RenderState, call: ShortcodeCall) -> None:
    """Record a use (or the closing tag) of a shortcode mdpaper leaves out."""
    if call.closing:
        state.closed_unknown.add(call.name)
        return
    if call.line is None:
        call.line = state.line
    uses = state.unknown_shortcodes.setdefault(call.name, [])
    if not uses:  # told now, in its place among the line's others; completed at the end
        state.diag.warn(_left_out(call.name), call.line)
    if all(use is not call for use in uses):  # (a heading's title renders more than once)
        uses.append(call)


def _left_out(name: str) -> str:
    return f"unknown shortcode '{name}' left out"


def report_unknown_shortcodes(state: RenderState) -> None:
    """Complete each unknown shortcode's warning: paired, how many uses, where."""
    for name, uses in state.unknown_shortcodes.items():
        lines = list(dict.fromkeys(use.line or 0 for use in uses))
        message = _left_out(name)
        if name in state.closed_unknown:
            message += " around its content (the content is kept)"
        if len(uses) > 1:
            more = ", ".join(str(n) for n in lines[1:1 + _SHOWN_LINES])
            rest = len(lines) - 1 - _SHOWN_LINES
            more += f" and {rest} more" if rest > 0 else ""
            where = f": also on line{'s' * (len(lines) > 2)} {more}" if more else ""
            message += f" ({len(uses)} uses{where})"
        first = Diagnostic("warning", _left_out(name), state.diag.path, uses[0].line)
        if message != first.message and first in state.diag.items:
            state.diag.items[state.diag.items.index(first)] = replace(first, message=message)


__all__ = ["note_unknown_shortcode", "report_unknown_shortcodes"]
