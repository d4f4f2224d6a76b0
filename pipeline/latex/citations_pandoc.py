"""Pandoc-style citation tokens (see ``mdpaper.markdown.citations_pandoc``) to natbib.

``[@a]`` -> ``\\citep{a}``; ``[see @a, p. 4]`` -> ``\\citep[see][p.~4]{a}``;
``[-@a]`` -> ``\\citeyearpar{a}``; ``@a`` -> ``\\citet{a}``; several items with notes ->
``\\citetext{see \\citealp{a}, p.~4; \\citealp{b}}``, which natbib brackets like a
``\\citep`` in either citation style.
"""

from __future__ import annotations

import re
from typing import Any

Token = dict[str, Any]
_PAGE = re.compile(r"^(pp?|ch|chap|sec|fig|vol|no)\.\s+", re.I)


class PandocCitationsMixin:
    def inline_pandoc_cite(self, tok: Token) -> str:
        line = tok.get("_line") or self.line
        bib = self.ctx.bibliography
        items = tok["items"]
        if tok["mode"] == "text":
            key = items[0]["key"]
            if bib is None or key not in bib:
                hint = bib.suggest(key) if bib is not None else None
                if hint:
                    self.diag.warn(f"'@{key}' is not a citation key; did you mean '@{hint}'? "
                                   "(left as text)", line)
                return self.escape(tok["raw"])
        elif bib is None:
            self.diag.warn(f"'{tok['raw']}' looks like a Pandoc citation but the post names "
                           "no bibliography (set bibFile); left as text", line)
            return self.escape(tok["raw"])
        keys = [self.resolve_cite_key(item["key"], line) for item in items]
        if not all(keys):
            return "[?]"
        self.features.add("cite")
        notes = [(self._note(i["prefix"]), self._note(i["suffix"]), i["suppress"])
                 for i in items]
        if tok["mode"] == "text":
            post = notes[0][1]
            return f"\\citet[{post}]{{{keys[0]}}}" if post else f"\\citet{{{keys[0]}}}"
        if not any(p or s or x for p, s, x in notes):
            return f"\\citep{{{','.join(keys)}}}"  # type: ignore[arg-type]
        if len(items) == 1:
            pre, post, suppress = notes[0]
            command = "citeyearpar" if suppress else "citep"
            opts = f"[{pre}][{post}]" if pre else f"[{post}]" if post else ""
            return f"\\{command}{opts}{{{keys[0]}}}"
        parts = []
        for key, (pre, post, suppress) in zip(keys, notes, strict=True):
            cite = f"\\citeyear{{{key}}}" if suppress else f"\\citealp{{{key}}}"
            parts.append((pre + " " if pre else "") + cite + (", " + post if post else ""))
        return "\\citetext{" + "; ".join(parts) + "}"

    def _note(self, text: str) -> str:
        """A prefix or locator as LaTeX text: ``p. 4`` keeps its space unbreakable."""
        if not text:
            return ""
        m = _PAGE.match(text)
        if m:
            return self.escape(text[: m.end()].rstrip()) + "~" + self.escape(text[m.end():])
        return self.escape(text)
