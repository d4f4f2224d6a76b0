"""Themes' quotation shortcodes (``{{< quote author="…" source="…" url="…" >}}``,
``blockquote``, Tufte's ``epigraph pre=… cite=… link=…``): the quoted text as a quotation,
its attribution under it as the theme prints it ("— Author, *Source*", the source linked)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mdpaper.latex.escape import escape_url
from mdpaper.markdown.shortcodes import ShortcodeCall

if TYPE_CHECKING:  # the renderer imports the block handlers, which import this module
    from mdpaper.latex.renderer import LatexRenderer

#: a quotation whose end sets the attribution its beginning was given (if any)
QUOTE_ENVIRONMENT = ("\\newenvironment{mdpaperquote}[1]{\\def\\mdpaperattribution{#1}"
                     "\\begin{quote}}{\\ifx\\mdpaperattribution\\empty\\else\\par"
                     "\\hfill--- \\mdpaperattribution\\fi\\end{quote}}")
CLOSE_QUOTE = "\\end{mdpaperquote}"


def open_quote(r: LatexRenderer, call: ShortcodeCall) -> str:
    """The quotation's start, holding its attribution for its end."""
    r.state.define("mdpaperquote", QUOTE_ENVIRONMENT)
    author = (call.get("author") or call.get("pre") or "").strip().rstrip(",")
    source = call.get("source") or call.get("cite") or call.get("title") or ""
    url = call.get("url") or call.get("link") or ""
    shown = r.escape(source)
    if shown and url.startswith(("http://", "https://")):
        r.state.use_package("hyperref")
        shown = f"\\href{{{escape_url(url)}}}{{{shown}}}"
    parts = [r.escape(author), f"\\emph{{{shown}}}" if shown else ""]
    return "\\begin{mdpaperquote}{" + ", ".join(p for p in parts if p) + "}"
