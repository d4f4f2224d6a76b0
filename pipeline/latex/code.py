"""Code blocks: highlighted by Pygments into fancyvrb ``Verbatim`` (no shell escape, unlike
minted), with long lines wrapped by fvextra."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

STYLE = "default"
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_LANG = re.compile(r"[\w+#.-]+")


@functools.cache
def _formatter():  # type: ignore[no-untyped-def]
    from pygments.formatters import LatexFormatter

    return LatexFormatter(style=STYLE, commandprefix="PY", verboptions="")


def style_definitions() -> str:
    """The ``\\PY`` macros the highlighted blocks use (goes in the preamble)."""
    return _formatter().get_style_defs()


def language_of(info: str | None) -> str:
    """The language named by a fence's info string: "python {linenos=true}" -> "python"."""
    m = _LANG.match((info or "").strip())
    return m.group(0).lower() if m else ""


def highlight(code: str, language: str, character: Callable[[str], str]) -> str:
    """Highlighted ``Verbatim`` for ``code``; unknown languages are typeset plain.

    ``character`` turns a non-ASCII character into something the engine can show (the
    Verbatim uses commandchars, so macros are allowed there).
    """
    from pygments import highlight as pyg_highlight
    from pygments.lexers import TextLexer, get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        lexer = get_lexer_by_name(language, stripnl=False) if language else TextLexer()
    except ClassNotFound:
        lexer = TextLexer()
    # Tabs would be printed at fancyvrb's width of 8; Markdown means 4.
    out = pyg_highlight(code.expandtabs(4) + "\n", lexer, _formatter())
    return _NON_ASCII.sub(lambda m: character(m.group(0)), out).rstrip("\n")
