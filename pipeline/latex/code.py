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


@functools.lru_cache(maxsize=64)
def _lexer(language: str):  # type: ignore[no-untyped-def]
    """One lexer per language for the whole run (looking one up by name is slow)."""
    from pygments.lexers import TextLexer, get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name(language, stripnl=False) if language else TextLexer()
    except ClassNotFound:
        return TextLexer()


# What Pygments' LatexFormatter does to token text (its escape_tex), as one translate table.
_PY_ESCAPES = {"\\": "Zbs", "{": "Zob", "}": "Zcb", "^": "Zca", "_": "Zus", "&": "Zam",
               "<": "Zlt", ">": "Zgt", "#": "Zsh", "%": "Zpc", "$": "Zdl", "-": "Zhy",
               "'": "Zsq", '"': "Zdq", "~": "Zti",
               # escape_tex uses these three as placeholders, so it maps them too
               "\x00": "Zbs", "\x01": "Zob", "\x02": "Zcb"}
_PY_TABLE = str.maketrans({ch: f"\\PY{name}{{}}" for ch, name in _PY_ESCAPES.items()})


@functools.cache
def _style_name(ttype) -> str:  # type: ignore[no-untyped-def]
    """The ``\\PY{...}`` style argument of a token type, as LatexFormatter computes it."""
    from pygments.formatters.latex import _get_ttype_name
    from pygments.token import Token

    names = _formatter().ttype2name
    styles = []
    while ttype is not Token:
        styles.append(names[ttype] if ttype in names else _get_ttype_name(ttype))
        ttype = ttype.parent
    return "+".join(reversed(styles))


def _format(tokens) -> str:  # type: ignore[no-untyped-def]
    """Pygments' LatexFormatter output for our options (Verbatim with commandchars, no line
    numbers or escapes), byte for byte, without its per-token overhead."""
    from pygments.token import Token

    escape = Token.Escape
    out = ["\\begin{Verbatim}[commandchars=\\\\\\{\\}]\n"]
    for ttype, value in tokens:
        if ttype not in escape:
            value = value.translate(_PY_TABLE)
        style = _style_name(ttype)
        if not style:
            out.append(value)
            continue
        *lines, last = value.split("\n")
        for line in lines:
            if line:
                out.append(f"\\PY{{{style}}}{{{line}}}")
            out.append("\n")
        if last:
            out.append(f"\\PY{{{style}}}{{{last}}}")
    out.append("\\end{Verbatim}\n")
    return "".join(out)


def highlight(code: str, language: str, character: Callable[[str], str]) -> str:
    """Highlighted ``Verbatim`` for ``code``; unknown languages are typeset plain.

    ``character`` turns a non-ASCII character into something the engine can show (the
    Verbatim uses commandchars, so macros are allowed there).
    """
    # Tabs would be printed at fancyvrb's width of 8; Markdown means 4.
    out = _format(_lexer(language).get_tokens(code.expandtabs(4) + "\n"))
    if not code.isascii():
        out = _NON_ASCII.sub(lambda m: character(m.group(0)), out)
    return out.rstrip("\n")
