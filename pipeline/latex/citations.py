"""hugo-cite shortcodes: ``{{< cite "a; b" 42 >}}`` to natbib, ``{{< bibliography >}}`` to
BibTeX's bibliography at that place, titled by the heading that introduced it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mdpaper.latex.state import RenderState
from mdpaper.markdown.shortcodes import ShortcodeCall
from mdpaper.model import BibliographyPlacement

if TYPE_CHECKING:  # the renderer imports this module (through its handlers)
    from mdpaper.latex.renderer import LatexRenderer

BIBLIOGRAPHY_STYLE = "plainnat"


def use_natbib(state: RenderState) -> None:
    # Its options (round or numbers) are the document's citation style: see
    # mdpaper.document.assemble, which knows the style.
    state.use_package("natbib")


def cite_shortcode(r: LatexRenderer, call: ShortcodeCall) -> str:
    """hugo-cite's ``cite`` as its users write it: keys separated by ``;`` (or ``,``), a key
    written ``-key`` for the year alone, ``suppressAuthor=true`` for all of them, a page or
    range (positional, ``page=`` or ``pages=``: "p. 4", "pp. 4–7")."""
    raw_keys = call.get("keys", 0) or call.get("key") or ""
    keys = [k.strip() for k in raw_keys.replace(",", ";").split(";") if k.strip()]
    if not keys:
        r.state.diag.error("cite shortcode without a citation key", call.line)
        return ""
    year_only = (call.get("suppressAuthor") or "").lower() == "true" or all(
        k.startswith("-") for k in keys)
    found = (resolve_cite_key(r.state, key.lstrip("-"), call.line) for key in keys)
    resolved = [k for k in found if k]
    if not resolved:
        return "[?]"
    use_natbib(r.state)
    locator = call.get("page", 1) or call.get("pages") or call.get("locator")
    command = "\\citeyearpar" if year_only else "\\citep"
    return f"{command}{_locator(r, locator)}{{{','.join(resolved)}}}"


def _locator(r: LatexRenderer, locator: str | None) -> str:
    """natbib's optional note: "p. 4" for a page, "pp. 4--7" for a range or list."""
    if not locator:
        return ""
    text = r.escape(locator.replace("\u2013", "-").replace("--", "-")).replace("-", "--")
    if not locator[:1].isdigit():
        return f"[{r.escape(locator)}]"
    many = any(mark in locator for mark in "-\u2013,")
    return f"[{'pp' if many else 'p'}.~{text}]"


def resolve_cite_key(state: RenderState, key: str, line: int | None) -> str | None:
    """The BibTeX key for a citation key, recorded as cited; None (and a located error)
    when the post has no bibliography or the key is not in it."""
    bib = state.ctx.bibliography
    if bib is None:
        state.diag.error(f"citation '{key}' but the post names no bibliography "
                         "(set bibFile in the front matter)", line)
        return None
    if key not in bib:
        hint = bib.suggest(key)
        more = f"; did you mean '{hint}'?" if hint else ""
        state.diag.error(f"unknown citation key '{key}'{more}", line)
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
        state.diag.error("bibliography shortcode but the post names no bibliography "
                         "(set bibFile in the front matter)", call.line)
        return ""
    title = state.pending_bibliography_title or "References"
    state.pending_bibliography_title = None
    cited_only = "cited" in call.args or call.named.get("cited") in ("true", "yes")
    state.bibliography = BibliographyPlacement(title=title, cited_only=cited_only,
                                               explicit=True)
    return bibliography_commands(state)


def bibliography_commands(state: RenderState) -> str:
    placement = state.bibliography
    assert placement is not None
    use_natbib(state)
    lines = [f"\\renewcommand{{\\refname}}{{{placement.title}}}"]
    if not placement.cited_only:
        lines.append("\\nocite{*}")  # hugo-cite prints every entry of the file
    lines += [f"\\bibliographystyle{{{BIBLIOGRAPHY_STYLE}}}",
              f"\\bibliography{{{state.ctx.bib_name}}}"]
    return "\n".join(lines)
