"""hugo-cite shortcodes: ``{{< cite "a; b" 42 >}}`` to natbib, ``{{< bibliography >}}`` to
BibTeX's bibliography at that place, titled by the heading that introduced it."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from mdpaper.bibliography.locate import bibliography_src, is_url, resolve_bibliography_src
from mdpaper.errors import MdpaperError
from mdpaper.latex.publication_cite import is_publication_cite, publication_citation
from mdpaper.latex.state import RenderState
from mdpaper.markdown.shortcodes import ShortcodeCall
from mdpaper.model import BibliographyPlacement

if TYPE_CHECKING:  # the renderer imports this module (through its handlers)
    from mdpaper.latex.renderer import LatexRenderer

BIBLIOGRAPHY_STYLE = "plainnat"
Token = dict[str, Any]
NO_BIBLIOGRAPHY = ("the post names no bibliography (set bibFile in the front matter, or put a "
                   "bib.json in the page bundle)")


#: other names of a shortcode that lists the cited entries where it stands (hugo-simplecite's
#: ``{{< references >}}``; a site's own that prints hugo-cite's ``bibliography``)
REFERENCE_LIST_NAMES = {"references"}


def reference_lists_named(tokens: list[Token]) -> None:
    """Take a top-level ``{{< references >}}`` (no arguments) as the bibliography shortcode
    of the cited entries, for a post that has a bibliography: the page lists them there,
    under the heading before it. (Without a bibliography it stays a shortcode mdpaper does
    not know.)"""
    for tok in tokens:
        call = tok.get("call")
        if (tok["type"] == "shortcode_block" and call is not None
                and call.name in REFERENCE_LIST_NAMES and not call.args and not call.named):
            tok["call"] = replace(call, name="bibliography", args=["cited"])


def use_natbib(state: RenderState) -> None:
    # Its options (round or numbers) are the document's citation style: see
    # mdpaper.document.assemble, which knows the style.
    state.use_package("natbib")


def cite_shortcode(r: LatexRenderer, call: ShortcodeCall) -> str:
    """hugo-cite's ``cite`` as its users write it: keys separated by ``;`` (or ``,``), a key
    written ``-key`` for the year alone, ``suppressAuthor=…`` for all of them, a page or
    range (positional, ``page=`` or ``pages=``: "p. 4", "pp. 4–7")."""
    if not (call.get("keys", 0) or call.get("key")) and ("target" in call.named
                                                         or "label" in call.named):
        return _own_label(r, call)
    if is_publication_cite(call):  # Hugo Blox's: a publication page of the site
        return publication_citation(r, call)
    style = _style_first(r.state, call)
    raw_keys = call.positional(1) if style else call.get("keys", 0) or call.get("key") or ""
    keys = [k.strip() for k in (raw_keys or "").replace(",", ";").split(";") if k.strip()]
    if not keys:
        r.state.diag.error("cite shortcode without a citation key", call.line)
        return ""
    year_only = hugo_truthy(call, "suppressAuthor") or all(k.startswith("-") for k in keys)
    found = (resolve_cite_key(r.state, key.lstrip("-"), call.line) for key in keys)
    resolved = [k for k in found if k]
    if not resolved:
        return "[?]"
    use_natbib(r.state)
    pages = call.get("page", None if style else 1) or call.get("pages")
    note = _pages(r, pages) if pages else _note(r, call.get("locator"))
    command = "\\citeyearpar" if year_only else _STYLE_FIRST.get(style or "p", "\\citep")
    return f"{command}{note}{{{','.join(resolved)}}}"


#: Sites' own cite shortcodes that take the style first: ``{{< cite t Key >}}`` (textual),
#: ``p`` (parenthetical), ``alp`` (no parentheses), ``f`` (the full entry: on paper, the
#: textual form, the entry being in the list) -> the natbib command that shows it.
_STYLE_FIRST = {"t": "\\citet", "p": "\\citep", "f": "\\citet", "alp": "\\citealp",
                "alt": "\\citealt", "author": "\\citeauthor", "year": "\\citeyear"}


def _style_first(state: RenderState, call: ShortcodeCall) -> str | None:
    """The style word of ``{{< cite STYLE KEY >}}``: a known one, or any first word that
    is not a key of the bibliography when the second one is."""
    first, second = call.positional(0), call.positional(1)
    if not first or not second:
        return None
    if first in _STYLE_FIRST:
        return first
    bib = state.ctx.bibliography
    if bib is not None and first not in bib and second in bib and re.fullmatch(r"\w+", first):
        return first
    return None


def _own_label(r: LatexRenderer, call: ShortcodeCall) -> str:
    """A site's own cite that prints its arguments (``target=… label="1" text="Prop. 1"``
    shows "[1, Prop. 1]"): the same text, linked to nothing a paper has."""
    shown = [v for v in (call.named.get("label"), call.named.get("text")) if v]
    return r.escape("[" + ", ".join(shown or [call.named.get("target") or "?"]) + "]")


def hugo_truthy(call: ShortcodeCall, key: str) -> bool:
    """A named argument as a Hugo template's ``if`` sees it: Hugo types an unquoted
    ``false`` or ``0`` (false), and any other text is true, ``"false"`` in quotes too."""
    value = call.named.get(key)
    if not value:
        return False
    bare = re.search(rf"(?<![\w-]){re.escape(key)}\s*=\s*(?![\"`])", call.source)
    return not (bare and value in ("false", "0"))


def _pages(r: LatexRenderer, pages: str) -> str:
    """hugo-cite's page note: "p. 4", and "pp. 4--7" for a range (a list too, in a paper)."""
    if re.match(r"pp?\.", pages):
        return _note(r, pages)  # already says so
    text = r.escape(pages.replace("\u2013", "-").replace("--", "-")).replace("-", "--")
    many = any(mark in pages for mark in "-\u2013,")
    return f"[{'pp' if many else 'p'}.~{text}]"


def _note(r: LatexRenderer, locator: str | None) -> str:
    return f"[{r.escape(locator)}]" if locator else ""


def resolve_cite_key(state: RenderState, key: str, line: int | None) -> str | None:
    """The BibTeX key for a citation key, recorded as cited; None (and a located error)
    when the post has no bibliography or the key is not in it."""
    bib = state.ctx.bibliography
    if bib is None:
        state.diag.error(f"citation '{key}' but {NO_BIBLIOGRAPHY}", line, tex_safe=True)
        return None
    if key not in bib:
        hint = bib.suggest(key)
        more = f"; did you mean '{hint}'?" if hint else ""
        # "[?]" stands in for it, so TeX can still look for the post's other errors
        state.diag.error(f"unknown citation key '{key}'{more}", line, tex_safe=True)
        return None
    bibtex_key = bib.bibtex_key(key)
    state.cite_keys.setdefault(bibtex_key, line or 0)
    return bibtex_key


def bibliography_shortcode(r: LatexRenderer, call: ShortcodeCall) -> str:
    state = r.state
    if state.bibliography is not None and state.bibliography.explicit:
        state.diag.warn("a second bibliography shortcode is ignored", call.line)
        return ""
    if state.ctx.bibliography is None:
        state.diag.error(f"bibliography shortcode but {NO_BIBLIOGRAPHY}", call.line)
        return ""
    title = state.pending_bibliography_title or "References"
    state.pending_bibliography_title = None
    cited_only = "cited" in call.args or hugo_truthy(call, "cited")
    if not cited_only:  # hugo-cite lists the cited entries whatever src says
        _check_src(state, call)
    state.bibliography = BibliographyPlacement(title=title, cited_only=cited_only,
                                               explicit=True)
    return bibliography_commands(state)


def _check_src(state: RenderState, call: ShortcodeCall) -> None:
    """A ``src`` naming another file than the post's bibliography: the page lists that
    file's entries, the paper those of the file its citations use (one per paper)."""
    src = bibliography_src(call.args, call.named)
    bib = state.ctx.bibliography
    if src is None or bib is None:
        return
    if not is_url(src):
        try:
            found = resolve_bibliography_src(state.ctx.site_root, state.ctx.post_path, src,
                                             call.line)
        except MdpaperError as exc:
            state.diag.error(exc.message, call.line)
            return
        if found == bib.path.resolve():
            return
    state.diag.warn(f"the bibliography shortcode lists '{src}', but the citations use "
                    f"{bib.path.name}; the paper lists the entries of {bib.path.name}",
                    call.line)


def bibliography_commands(state: RenderState) -> str:
    placement = state.bibliography
    assert placement is not None
    use_natbib(state)
    # The default title is the language's own word (\refname: babel, document.language).
    lines = ([f"\\renewcommand{{\\refname}}{{{placement.title}}}"]
             if placement.title != BibliographyPlacement.title else [])
    if not placement.cited_only:
        lines.append("\\nocite{*}")  # hugo-cite prints every entry of the file
    lines += [f"\\bibliographystyle{{{BIBLIOGRAPHY_STYLE}}}",
              f"\\bibliography{{{state.ctx.bib_name}}}"]
    return "\n".join(lines)
