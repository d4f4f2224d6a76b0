"""Pandoc-style citation tokens (see ``mdpaper.markdown.citations_pandoc``) to natbib.

``[@a]`` -> ``\\citep{a}``; ``[see @a, p. 4]`` -> ``\\citep[see][p.~4]{a}``;
``[-@a]`` -> ``\\citeyearpar{a}``; ``@a`` -> ``\\citet{a}``; several items with notes ->
``\\citetext{see \\citealp{a}, p.~4; \\citealp{b}}``, which natbib brackets like a
``\\citep`` in either citation style.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from mdpaper.latex.citations import resolve_cite_key, use_natbib
from mdpaper.patterns import lazy_pattern

if TYPE_CHECKING:  # the renderer imports this module for its handler table
    from mdpaper.latex.renderer import LatexRenderer

Token = dict[str, Any]
_PAGE = lazy_pattern(r"^(pp?|ch|chap|sec|fig|vol|no)\.\s+", re.I)


def pandoc_cite(r: LatexRenderer, tok: Token) -> str:
    state = r.state
    line = tok.get("_line") or state.line
    bib = state.ctx.bibliography
    items = tok["items"]
    if tok["mode"] == "text":
        key = items[0]["key"]
        if bib is None or key not in bib:
            hint = bib.suggest(key) if bib is not None else None
            if hint:
                state.diag.warn(f"'@{key}' is not a citation key; did you mean '@{hint}'? "
                                "(left as text)", line)
            return r.escape(tok["raw"])
    elif bib is None:
        state.diag.warn(f"'{tok['raw']}' looks like a Pandoc citation but the post names "
                        "no bibliography (set bibFile); left as text", line)
        return r.escape(tok["raw"])
    found = [resolve_cite_key(state, item["key"], line) for item in items]
    keys = [key for key in found if key]
    if len(keys) < len(found):
        return "[?]"
    use_natbib(state)
    notes = [(_note(r, i["prefix"]), _note(r, i["suffix"]), i["suppress"]) for i in items]
    return _natbib(tok["mode"], keys, notes)


def _natbib(mode: str, keys: list[str], notes: list[tuple[str, str, bool]]) -> str:
    """The natbib command for resolved keys and their (prefix, locator, suppress) notes."""
    if mode == "text":
        post = notes[0][1]
        return f"\\citet[{post}]{{{keys[0]}}}" if post else f"\\citet{{{keys[0]}}}"
    if not any(p or s or x for p, s, x in notes):
        return f"\\citep{{{','.join(keys)}}}"
    if len(keys) == 1:
        pre, post, suppress = notes[0]
        command = "citeyearpar" if suppress else "citep"
        opts = f"[{pre}][{post}]" if pre else f"[{post}]" if post else ""
        return f"\\{command}{opts}{{{keys[0]}}}"
    parts = []
    for key, (pre, post, suppress) in zip(keys, notes, strict=True):
        cite = f"\\citeyear{{{key}}}" if suppress else f"\\citealp{{{key}}}"
        parts.append((pre + " " if pre else "") + cite + (", " + post if post else ""))
    return "\\citetext{" + "; ".join(parts) + "}"


def _note(r: LatexRenderer, text: str) -> str:
    """A prefix or locator as LaTeX text: ``p. 4`` keeps its space unbreakable."""
    if not text:
        return ""
    m = _PAGE.match(text)
    if m:
        return r.escape(text[: m.end()].rstrip()) + "~" + r.escape(text[m.end():])
    return r.escape(text)


INLINE_HANDLERS = {"pandoc_cite": pandoc_cite}
