"""Hugo Blox's (formerly Wowchemy's) ``{{< cite page="/publication/x" view="citation" >}}``:
one of the site's publication pages, shown where the call stands as the theme's views show
it: authors, year, the title linked to the page, the venue. hugo-cite's ``cite`` takes keys;
this one names a page and nothing else. Its ``mention`` names a person of the site."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mdpaper.errors import MdpaperError
from mdpaper.latex.escape import escape_url
from mdpaper.latex.figures import inline_markdown
from mdpaper.markdown.shortcodes import ShortcodeCall
from mdpaper.source.permalinks import Permalinks, front_matter

if TYPE_CHECKING:  # the renderer imports this module (through the cite handler)
    from mdpaper.latex.renderer import LatexRenderer


def is_publication_cite(call: ShortcodeCall) -> bool:
    """A cite that names a page of the site and no citation key (hugo-cite's ``page=`` is
    a page number of the work cited, after a key)."""
    page = call.named.get("page") or ""
    return not call.args and "key" not in call.named and "/" in page


def publication_cite(r: LatexRenderer, call: ShortcodeCall) -> str:
    """The publication as the citation view shows it; a page the site lacks is a located
    error (the theme's template stops Hugo's build then)."""
    permalinks = r.state.ctx.permalinks
    line = call.line or r.state.line
    if permalinks is None:
        r.state.diag.warn("a cite of a publication page, but the post is not in a Hugo site: "
                          "left out", line)
        return ""
    try:
        page = permalinks.find(call.named["page"], Path(r.state.ctx.post_path), line)
    except MdpaperError as exc:
        r.state.diag.error(exc.message, line)
        return ""
    data = front_matter(page)
    r.state.shown_files.append(page)
    authors = ", ".join(_author_name(r, permalinks, str(a)) for a in _as_list(data.get("authors")))
    year = str(data.get("date") or data.get("publishdate") or "")[:4]
    title = inline_markdown(r, str(data.get("title") or page.parent.name), line)
    url = permalinks.url(page, absolute=True)
    if re.match(r"https?://", url):
        r.state.use_package("hyperref")
        title = f"\\href{{{escape_url(url)}}}{{{title}}}"
    parts = [r.escape(authors) + (f" ({year})" if year.isdigit() else ""), title,
             inline_markdown(r, str(data.get("publication") or ""), line)]
    return ". ".join(p.strip().rstrip(".") for p in parts if p.strip()) + "."


def mention(r: LatexRenderer, call: ShortcodeCall) -> str:
    """``{{< mention "admin" >}}``: the person as the page names them, the title of their
    profile where the site has one, else the name as written."""
    name = call.positional(0) or ""
    permalinks = r.state.ctx.permalinks
    return r.escape(_author_name(r, permalinks, name) if permalinks else name)


def _author_name(r: LatexRenderer, permalinks: Permalinks, name: str) -> str:
    """An author as the theme prints them: a user name with a profile page
    (``content/authors/admin/``) is that profile's title."""
    profile = permalinks.content / "authors" / name / "_index.md"
    if re.fullmatch(r"[\w.-]+", name) and profile.is_file():
        r.state.shown_files.append(profile)
        return str(front_matter(profile).get("title") or name)
    return name


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value] if value else []

