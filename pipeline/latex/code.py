"""Code blocks: highlighted by Pygments into fancyvrb ``Verbatim`` (no shell escape, unlike
minted), with long lines wrapped by fvextra."""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path

from mdpaper.model import Definitions, Package, Requirement

STYLE = "default"
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_LANG = re.compile(r"[\w+#.-]+")


@functools.cache
def _formatter():  # type: ignore[no-untyped-def]
    from pygments.formatters import LatexFormatter

    return LatexFormatter(style=STYLE, commandprefix="PY", verboptions="")


class HighlightCache:
    """Highlighted blocks of the last build, kept in its build folder.

    Building the Pygments lexer of a language compiles hundreds of regular expressions (a
    tenth of a second for Python), more than converting the rest of a post. After an edit
    most code blocks are unchanged, so their highlighted text is reused from the file and
    Pygments is not even imported. Keyed by language and code; the file is only trusted
    for the Pygments version and style that wrote it, and keeps the blocks the last
    conversion used.
    """

    def __init__(self, path: Path | None = None):
        self.path = path
        self.stored: dict[str, str] = {}
        self.used: dict[str, str] = {}
        self.styles: str | None = None
        self._stamp = ""
        if path is not None:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                self._stamp = data["stamp"]
                self.stored, self.styles = dict(data["blocks"]), data["styles"]
            except (OSError, ValueError, KeyError, TypeError):
                pass

    @staticmethod
    def key(language: str, code: str) -> str:
        return hashlib.sha256(f"{language}\0{code}".encode()).hexdigest()

    def valid(self) -> bool:
        return self._stamp == _stamp()

    def get(self, key: str) -> str | None:
        found = self.stored.get(key) if self._stamp and self.valid() else None
        if found is not None:
            self.used[key] = found
        return found

    def put(self, key: str, latex: str) -> None:
        self.used[key] = latex

    def save(self) -> None:
        """Write the blocks used this time (only when that changed anything)."""
        if self.path is None or (self.valid() and self.used == self.stored
                                 and self.styles is not None):
            return
        from mdpaper.files import write_atomic

        data = {"stamp": _stamp(), "styles": self.styles or style_definitions(),
                "blocks": self.used}
        write_atomic(self.path, json.dumps(data, sort_keys=True))


@functools.cache
def _stamp() -> str:
    import pygments  # the package itself is small; its lexers and formatters are not

    return f"pygments {pygments.__version__} style {STYLE}"


def style_definitions(cache: HighlightCache | None = None) -> str:
    """The ``\\PY`` macros the highlighted blocks use (goes in the preamble)."""
    if cache is not None and cache.styles is not None and cache.valid():
        return cache.styles
    styles = _formatter().get_style_defs()
    if cache is not None:
        cache.styles = styles
    return styles


#: The name the highlighting macros are declared under (see ``requirements``).
STYLE_DEFINITIONS = "pygments-styles"


def requirements(cache: HighlightCache | None = None) -> list[Requirement]:
    """What a highlighted block needs in the preamble: fancyvrb's Verbatim, fvextra to wrap
    long lines, upquote for straight quotes, and the ``\\PY`` macros."""
    return [Package("fancyvrb"),
            Package("fvextra", setup=("\\fvset{breaklines=true,fontsize=\\small}",)),
            Package("upquote"),
            Definitions(STYLE_DEFINITIONS, style_definitions(cache).strip())]


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


def highlight(code: str, language: str, character: Callable[[str], str],
              cache: HighlightCache | None = None) -> str:
    """Highlighted ``Verbatim`` for ``code``; unknown languages are typeset plain.

    ``character`` turns a non-ASCII character into something the engine can show (the
    Verbatim uses commandchars, so macros are allowed there).
    """
    key = HighlightCache.key(language, code) if cache is not None else ""
    out = cache.get(key) if cache is not None else None
    if out is None:
        # Tabs would be printed at fancyvrb's width of 8; Markdown means 4.
        out = _format(_lexer(language).get_tokens(code.expandtabs(4) + "\n"))
        if cache is not None:
            cache.put(key, out)
    if not code.isascii():
        out = _NON_ASCII.sub(lambda m: character(m.group(0)), out)
    return out.rstrip("\n")
