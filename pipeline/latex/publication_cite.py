"""Hugo Blox's (Wowchemy's, Academic's) ``{{< cite page="/publication/x" view="citation" >}}``:
not hugo-cite's citation of a key, but the site's publication page shown in a list view.
The paper shows what the citation view prints, from that page's front matter: "Authors
(Year). Title. Publication." (the title linked to its DOI when it has one), a paragraph of
its own as the view's block is on the page. Its ``mention`` names a person of the site."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mdpaper.latex.escape import escape_url
from mdpaper.latex.figures import parse_inline_markdown
from mdpaper.markdown.shortcodes import ShortcodeCall
from mdpaper.source.site_pages import display_name, page_front_matter

if TYPE_CHECKING:  # the renderer imports the handler modules that use this one
    from mdpaper.latex.renderer import LatexRenderer


def is_publication_cite(call: ShortcodeCall) -> bool:
    """Whether a ``cite`` names a page of the site (``page=``) rather than citation keys."""
    return bool(call.get("page")) and not (call.get("keys", 0) or call.get("key"))


def publication_citation(r: LatexRenderer, call: ShortcodeCall) -> str:
    """The citation line of the page ``page=`` names; a page the site lacks shows nothing
    on the web page (Hugo Blox prints nothing for it), and is warned about here."""
    state = r.state
    ref = call.get("page") or ""
    found = page_front_matter(state.ctx.site_root, ref)
    if found is None:
        state.diag.warn(f"cite shortcode: '{ref}' is no page of this site; the page shows "
                        "nothing there, and neither does the paper", call.line or state.line)
        return ""
    state.shown_files.append(found[0])  # (a new title or venue changes the paper)
    data = found[1]
    parts = [_authors(r, data), _year(data)]
    line = " ".join(p for p in parts if p)
    title = r.escape(str(data.get("title") or ref))
    if data.get("doi"):
        state.use_package("hyperref")
        title = f"\\href{{{escape_url('https://doi.org/' + str(data['doi']))}}}{{{title}}}"
    shown = [line + "." if line else "", title + "."]
    publication = data.get("publication_short") or data.get("publication")
    if publication:  # (Markdown: the view markdownifies it, *Journal*)
        tokens = parse_inline_markdown(r, str(publication), call.line)
        shown.append(r.inlines(tokens).strip() + ".")
    text = " ".join(s for s in shown if s)
    # the view is a <div>: a block of its own on the page, also amid a paragraph's text
    # (consecutive calls, one per line, are a list of publications)
    return text if state.in_argument else f"\\par {text}\\par "


def _authors(r: LatexRenderer, data: dict[str, Any]) -> str:
    terms = data.get("authors") or []
    names = [display_name(r.state.ctx.site_root, str(t)) for t in
             (terms if isinstance(terms, list) else [terms])]
    return r.escape(", ".join(names))


def _year(data: dict[str, Any]) -> str:
    date = str(data.get("publishDate") if data.get("date") is None else data["date"])
    return f"({date[:4]})" if date[:4].isdigit() else ""


def mention(r: LatexRenderer, call: ShortcodeCall) -> str:
    """``{{< mention "admin" >}}``: the person as the page names them, the title of their
    profile where the site has one, else the name as written."""
    return r.escape(display_name(r.state.ctx.site_root, call.positional(0) or ""))
