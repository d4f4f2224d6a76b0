"""Code blocks: highlighted by Pygments into fancyvrb ``Verbatim`` (no shell escape, unlike
minted), with long lines wrapped by fvextra."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from mdpaper.files import write_atomic
from mdpaper.latex.escape import CONTROL
from mdpaper.model import Definitions, Package, Requirement
from mdpaper.patterns import lazy_pattern

if TYPE_CHECKING:  # the real imports are in _Pygments: only posts with code pay for them
    from pygments.formatters.latex import LatexFormatter
    from pygments.lexer import Lexer

STYLE = "default"
_NON_ASCII = lazy_pattern(r"[^\x00-\x7f]")
_LANG = lazy_pattern(r"[\w+#.-]+")
#: A token type is a tuple of names (``Token.Name.Function`` is ``("Name", "Function")``).
TokenType = tuple[str, ...]
#: what a Pygments lexer yields: (token type, text); Pygments' own token type is a tuple too
TokenStream = Iterable[tuple[TokenType, str]]


class _Pygments:
    """The one place Pygments is imported, on first use: its lexers and formatters cost
    more to import than converting a post, and posts without code never need them."""

    @functools.cached_property
    def version(self) -> str:
        import pygments  # lazy on purpose (see the class); the package itself is small

        return str(pygments.__version__)

    @functools.cached_property
    def modules(self) -> dict[str, ModuleType]:
        # lazy on purpose (see the class): lexers and formatters are the expensive part
        import pygments.formatters.latex
        import pygments.lexers
        import pygments.token
        import pygments.util

        return {"formatters": pygments.formatters.latex, "lexers": pygments.lexers,
                "token": pygments.token, "util": pygments.util}


_PYGMENTS = _Pygments()


@functools.cache
def _formatter() -> LatexFormatter:
    """Pygments' LaTeX formatter for our options; ``nowrap``: ``_format`` writes the
    Verbatim around the tokens."""
    formatters = _PYGMENTS.modules["formatters"]
    formatter: LatexFormatter = formatters.LatexFormatter(
        style=STYLE, commandprefix="PY", verboptions="", nowrap=True)
    return formatter


def _written(tokens: Iterable[tuple[Any, str]]) -> str:  # Pygments types its own tokens
    out = io.StringIO()
    _formatter().format(tokens, out)
    return out.getvalue()


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
        if self.path is None:
            return
        if not self.used:  # no code: nothing to keep, and no reason to import Pygments
            if self.stored or self._stamp:
                with contextlib.suppress(OSError):
                    self.path.unlink()
            return
        if self.valid() and self.used == self.stored and self.styles is not None:
            return
        data = {"stamp": _stamp(), "styles": self.styles or style_definitions(),
                "blocks": self.used}
        write_atomic(self.path, json.dumps(data, sort_keys=True))


#: Redefinitions after Pygments' style macros: a code block's quotes as the page shows them.
STRAIGHT_QUOTES = "\n".join(["", r"\def\PYZsq{\textquotesingle}",
                                r"\def\PYZbq{\textasciigrave}", ""])


def _stamp() -> str:
    return f"pygments {_PYGMENTS.version} style {STYLE} quotes 2"


def style_definitions(cache: HighlightCache | None = None) -> str:
    """The ``\\PY`` macros the highlighted blocks use (goes in the preamble)."""
    if cache is not None and cache.styles is not None and cache.valid():
        return cache.styles
    # Pygments types a quote as \char`\' and a backtick as \char`\`, which the T1 typewriter
    # font shows as curly quotes (upquote acts on the characters, not on \char); the page
    # shows straight ones.
    styles = _formatter().get_style_defs() + STRAIGHT_QUOTES
    if cache is not None:
        cache.styles = styles
    return styles


#: The name the highlighting macros are declared under (see ``requirements``).
STYLE_DEFINITIONS = "pygments-styles"


#: The packages a highlighted block needs (its ``\\PY`` macros are definitions).
CODE_PACKAGES = (Package("fancyvrb"),
                 Package("fvextra", setup=("\\fvset{breaklines=true,fontsize=\\small}",)),
                 Package("upquote"))


def requirements(cache: HighlightCache | None = None) -> list[Requirement]:
    """What a highlighted block needs in the preamble: fancyvrb's Verbatim, fvextra to wrap
    long lines, upquote for straight quotes, and the ``\\PY`` macros."""
    return [*CODE_PACKAGES, Definitions(STYLE_DEFINITIONS, style_definitions(cache).strip())]


_OPTIONS = lazy_pattern(r"\{(?P<options>[^{}]*)\}\s*$")
_OPTION = lazy_pattern(r'\s*(?P<key>\w+)\s*=\s*(?P<value>\[[^\]]*\]|"[^"]*"|[^,]*)\s*,?')


def verbatim_options(info: str | None) -> list[str]:
    """Hugo's code block options (``{linenos=table,hl_lines=[8,"15-17"],linenostart=199}``
    after a fence's language, or the highlight shortcode's) as Verbatim options: line
    numbers, the first number, highlighted lines (counted from the block's first line)."""
    m = _OPTIONS.search(info or "")
    if m is None:
        return []
    found = {o["key"].lower(): o["value"].strip() for o in _OPTION.finditer(m["options"])}
    options, shift = [], 0
    if found.get("linenos", "false").strip('"').lower() in ("true", "table", "inline"):
        options.append("numbers=left")
        start = found.get("linenostart", "").strip('"')
        if start.isdigit():
            options.append(f"firstnumber={int(start)}")
            shift = int(start) - 1
    # Hugo counts hl_lines from the block's first line whatever linenostart says; fvextra
    # counts by the printed numbers
    lines = [re.sub(r"\d+", lambda n: str(int(n.group(0)) + shift), span)
             for span in re.findall(r"\d+(?:-\d+)?", found.get("hl_lines", ""))]
    if lines:
        options.append("highlightlines={" + ",".join(lines) + "}")
    return options


def language_of(info: str | None) -> str:
    """The language named by a fence's info string: "python {linenos=true}" -> "python"."""
    m = _LANG.match((info or "").strip())
    return m.group(0).lower() if m else ""


@functools.lru_cache(maxsize=64)
def _lexer(language: str) -> Lexer:
    """One lexer per language for the whole run (looking one up by name is slow)."""
    lexers, util = _PYGMENTS.modules["lexers"], _PYGMENTS.modules["util"]
    try:
        if language:
            lexer: Lexer = lexers.get_lexer_by_name(language, stripnl=False)
            return lexer
    except util.ClassNotFound:
        pass
    text_lexer: Lexer = lexers.TextLexer()
    return text_lexer


@functools.cache
def _escapes() -> dict[int, str]:
    """How the formatter writes each ASCII character of a token (``\\PYZbs{}``...), asked of
    the formatter itself: a plain-text token of every character, one per line."""
    chars = [chr(c) for c in range(128) if chr(c) != "\n"]
    plain = _PYGMENTS.modules["token"].Token.Text
    written = _written([(plain, "\n".join(chars))]).split("\n")
    return str.maketrans({c: w for c, w in zip(chars, written, strict=True) if c != w})


_PROBE = "x"
_STYLED = lazy_pattern(r"\\PY\{([^{}]*)\}\{" + _PROBE + r"\}")


@functools.cache
def _style_name(ttype: TokenType) -> str:
    """The ``\\PY{...}`` style argument of a token type ("" when it has no style), read off
    what the formatter writes for one token of that type."""
    m = _STYLED.fullmatch(_written([(ttype, _PROBE)]))
    return m.group(1) if m else ""


def _format(tokens: TokenStream) -> str:
    """Pygments' LatexFormatter output for our options (Verbatim with commandchars, no line
    numbers or escapes), byte for byte, without its per-token overhead: token text is
    escaped with one translate table and each token type's style looked up once."""
    escape, table = _PYGMENTS.modules["token"].Token.Escape, _escapes()
    out = ["\\begin{Verbatim}[commandchars=\\\\\\{\\}]\n"]
    for ttype, value in tokens:
        if ttype not in escape:
            value = value.translate(table)
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
    if CONTROL.search(code):  # (an author's vertical tab, a stray NUL: no page shows them)
        code = CONTROL.sub("", code)
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
