"""mistune's list parser, patched to read list items as Goldmark does and to tell where
each item starts.

* A shortcode line or a footnote definition ends a list item, as in Hugo: Hugo expands
  shortcodes before Markdown, so ``{{% /notice %}}`` right after a list item closes the
  notice; Goldmark's footnote definition interrupts the item's paragraph. mistune takes the
  lines that may interrupt a list item from a fixed list; we add our rules (only for
  parsers that have them).
* mistune hands an item's text to its child state only after reading the next item's
  marker line (and the blank lines before it), so counting back from the cursor lands on a
  later line: the item's first line is recorded (``item_line``) as its lines are read.
"""

from __future__ import annotations

import re
from typing import Any

from mistune import BlockParser, BlockState, list_parser


def patch_list_parser() -> None:
    """Wrap mistune's list-break rules and list-item reader (once per process)."""
    original_rules = list_parser._get_list_break_rules
    if original_rules in _PATCHED:
        return

    def rules(block: Any) -> list[str]:
        found = original_rules(block)
        return [*found, *(name for name in ("hugo_shortcode", "ref_footnote")
                          if name in block.specification)]

    original_collect = list_parser._collect_list_item_lines

    def collect(block: BlockParser, list_item_re: re.Pattern[str], break_sc: re.Pattern[str],
                state: BlockState, text: str,
                continue_width: int) -> list_parser._ListItemLines:
        # The cursor is just past the item's marker line (or at the end of a last line
        # without a newline): that line is where the item starts. It is handed over once
        # the lines are read: a block quote that ends the item is parsed while reading
        # them, and its own child state must not take it.
        counted: Any = state  # markdown.parser's LineBlockState (a plain one has no lines)
        line = None
        if hasattr(counted, "item_line"):
            ends_line = state.src[state.cursor - 1:state.cursor] == "\n"
            line = counted.line_at(state.cursor) - ends_line
        found = original_collect(block, list_item_re, break_sc, state, text, continue_width)
        if line is not None:
            counted.item_line = line
        return found

    _PATCHED.add(rules)
    list_parser._get_list_break_rules = rules
    list_parser._collect_list_item_lines = collect


#: mistune's list-break function once we wrapped it
_PATCHED: set[Any] = set()
