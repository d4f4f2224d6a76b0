"""Footnote definitions, read the way Hugo's Goldmark reads them.

Goldmark's footnote definition is a container block, like a list item: its text starts
after ``[^key]:`` (a space there is optional), a later line belongs to it when blank or
indented four columns (which are stripped), and any other line either continues the
definition's open paragraph lazily or, when it starts a block, ends the definition. The
definition may interrupt a paragraph, also the last one of a block quote or list item.

mistune's footnotes plugin, which mdpaper keeps for the ``[^key]`` references, reads
continuation lines only with 1-4 spaces and never lazily, and lets a quote swallow the
next line's definition; its definition rule is replaced here. A definition's text is kept
line for line, so its line numbers are the post's. (A definition right after a block
quote ends the quote: ``markdown.quotes``.)
"""

from __future__ import annotations

import re
from typing import Any

from mistune.core import BlockState
from mistune.plugins.footnotes import _FOOTNOTE_LABEL, footnotes, md_footnotes_hook
from mistune.util import expand_leading_tab, unikey

from mdpaper.markdown.shortcodes import left_open
from mdpaper.patterns import lazy_pattern

#: a definition's first line: up to three spaces of indent (four make it code), the label
#: as the plugin's ``[^key]`` rule reads it
DEFINITION = (r"^ {0,3}\[\^(?P<footnote_key>" + _FOOTNOTE_LABEL
              + r")\]:(?P<footnote_text>[^\n]*)$")

#: blocks that end a definition where its paragraph would otherwise go on lazily (at the
#: definition's level nothing is interrupted, so any list item counts, "2." and empty ones
#: too); ``$$`` lines and shortcodes do not: Goldmark reads them as paragraph text
_ENDS_LAZY = ["thematic_break", "atx_heading", "fenced_code", "block_quote", "list",
              "block_html", "ref_footnote"]

#: lines of a definition's text after which no paragraph is open (a block of their own,
#: or a setext underline that made the paragraph a heading)
_NO_PARAGRAPH = ["atx_heading", "setex_heading", "thematic_break", "block_html"]

_FENCE = lazy_pattern(r" {0,3}(?P<fence>`{3,}|~{3,})")
#: a paired shortcode's closing tag alone on its line: Hugo renders the inner text apart
#: (markdownify) or puts the template's closing HTML there, so a definition that is the
#: last thing inside a shortcode ends at it and never takes it as a lazy line
_SHORTCODE_CLOSE = lazy_pattern(r" {0,3}\{\{[<%]\s*/\s*(?P<name>[^\s>%}]+)\s*[>%]\}\}[ \t]*$")
_CONTAINER_MARKS = lazy_pattern(r"(?: {0,3}(?:>|[-+*][ \t]|\d{1,9}[.)][ \t]))+")


def register(md: Any) -> None:
    """Footnote references as mistune's plugin reads them (its hook, which appends an HTML
    list, removed: a paper sets each note where it is cited), definitions as Goldmark does,
    at the top level and in quotes and list items."""
    footnotes(md)
    md.after_render_hooks = [h for h in md.after_render_hooks if h is not md_footnotes_hook]
    md.block.register("ref_footnote", DEFINITION, parse_definition, before="ref_link")
    for rules in (md.block.block_quote_rules, md.block.list_rules):
        if "ref_footnote" not in rules:
            md.block.insert_rule(rules, "ref_footnote", before="ref_link")


def parse_definition(block: Any, m: re.Match[str], state: BlockState) -> int:
    """Record a definition's text (``env["ref_footnotes"]``, stripped of its indent), its
    line (``env["footnote_lines"]``) and where its lazy lines start in the text
    (``env["footnote_lazy"]``: a lazy ``===`` is text, not a heading's underline); the
    first definition of a key wins."""
    lines, lazy, end = _definition_lines(block, state, m)
    key = unikey(m.group("footnote_key"))
    refs = state.env.setdefault("ref_footnotes", {})
    if key not in refs:
        refs[key] = "".join(lines)
        line_at = getattr(state, "line_at", None)
        state.env.setdefault("footnote_lines", {})[key] = line_at and line_at(state.cursor)
        state.env.setdefault("footnote_lazy", {})[key] = lazy
    return end


def _definition_lines(block: Any, state: BlockState,
                      m: re.Match[str]) -> tuple[list[str], set[int], int]:
    """The definition's text, one entry per post line, the offsets in it where lazy lines
    start, and where the definition ends."""
    lines = [m.group("footnote_text").lstrip(" \t") + "\n"]
    pos = state.find_line_end_at(m.start())
    ends_lazy, no_paragraph = block.compile_sc(_ENDS_LAZY), block.compile_sc(_NO_PARAGRAPH)
    context = _after(None, lines[0], no_paragraph)
    kept, lazy, size = pos, set(), len(lines[0])  # kept: after the last line not blank
    while pos < state.cursor_max:
        raw = state.get_line(pos)
        line = expand_leading_tab(raw)
        if not line.strip():
            lines.append("\n")
        elif line.startswith("    "):
            lines.append(line[4:])
        elif context == "paragraph" and not ends_lazy.match(state.src, pos) \
                and not _closes_outer_shortcode(line, lines):
            lazy.add(size)
            lines.append(raw)
        else:
            break
        context = "paragraph" if size in lazy else _after(context, lines[-1], no_paragraph)
        size += len(lines[-1])
        pos += len(raw)
        if lines[-1].strip():
            kept = pos
    # blank lines at its end are the document's: a definition ends before them
    return lines[:len(lines) - state.src.count("\n", kept, pos)], lazy, kept


def _closes_outer_shortcode(line: str, lines: list[str]) -> bool:
    """A closing tag on its own line of a shortcode the definition did not open itself."""
    closing = _SHORTCODE_CLOSE.match(line)
    return closing is not None and not left_open("".join(lines), closing["name"])


def _after(context: str | None, line: str, no_paragraph: re.Pattern[str]) -> str | None:
    """What is open at the end of ``line`` of a definition's text, given what was open
    before it: ``"paragraph"`` (a lazy line may follow), a code fence (its marker), or
    nothing that takes lazy lines."""
    if context is not None and context != "paragraph":  # in a fenced code block
        closing = _FENCE.match(line)
        done = (closing and closing["fence"][0] == context[0]
                and len(closing["fence"]) >= len(context) and not line[closing.end():].strip())
        return None if done else context
    if not line.strip():
        return None
    if context != "paragraph" and line.startswith("    "):
        return None  # indented code
    inner = line[m.end():] if (m := _CONTAINER_MARKS.match(line)) else line
    if (fence := _FENCE.match(inner)) is not None:
        return fence["fence"]
    if not inner.strip() or no_paragraph.match(inner):
        return None
    return "paragraph"
