"""Line marks: where a rendered block begins in the post.

Handlers render text, not positions; the walk (``renderer``) puts a mark before each
top-level block's text, and the finished body is split at the marks into the .tex and its
source map (a TeX error is then reported at the post's line). A post's own NUL characters
are escaped like any control character (``escape``), so a mark is never the author's text.
"""

from __future__ import annotations

from mdpaper.patterns import lazy_pattern

#: a mark, its group the post's line
LINE_MARK = lazy_pattern("\x00L(\\d+)\x00")


def line_mark(line: int) -> str:
    """The mark of the post's ``line``."""
    return f"\x00L{line}\x00"
