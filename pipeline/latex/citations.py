"""hugo-cite shortcodes: ``{{< cite "a; b" 42 >}}`` to natbib, ``{{< bibliography >}}`` to
BibTeX's bibliography at that place, titled by the heading that introduced it."""

from __future__ import annotations

from typing import Any

from mdpaper.model import BibliographyPlacement

BIBLIOGRAPHY_STYLE = "plainnat"


class CitationsMixin:
    pending_bibliography_title: str | None = None
    #: file name (without .bib) of the bibliography the document uses
    bib_name: str = "references"

    def cite_shortcode(self, call: Any) -> str:
        raw_keys = call.get("keys", 0) or call.get("key") or ""
        keys = [k.strip() for k in raw_keys.replace(",", ";").split(";") if k.strip()]
        if not keys:
            self.diag.error("cite shortcode without a citation key", call.line)
            return ""
        resolved = [k for k in (self.resolve_cite_key(key, call.line) for key in keys) if k]
        if not resolved:
            return "[?]"
        self.features.add("cite")
        locator = call.get("page", 1) or call.get("locator")
        opt = ""
        if locator:
            text = self.escape(locator)
            opt = f"[p.~{text}]" if locator[:1].isdigit() else f"[{text}]"
        return f"\\citep{opt}{{{','.join(resolved)}}}"

    def resolve_cite_key(self, key: str, line: int | None) -> str | None:
        """The BibTeX key for a citation key, recorded as cited; None (and a located error)
        when the post has no bibliography or the key is not in it."""
        bib = self.ctx.bibliography
        if bib is None:
            self.diag.error(f"citation '{key}' but the post names no bibliography "
                            "(set bibFile in the front matter)", line)
            return None
        if key not in bib:
            hint = bib.suggest(key)
            more = f"; did you mean '{hint}'?" if hint else ""
            self.diag.error(f"unknown citation key '{key}'{more}", line)
            return None
        bibtex_key = bib.bibtex_key(key)
        self.cite_keys.setdefault(bibtex_key, line or 0)
        return bibtex_key

    def bibliography_shortcode(self, call: Any) -> str:
        if self.bibliography is not None and self.bibliography.explicit:
            self.diag.warn("a second bibliography shortcode is ignored", call.line)
            return ""
        if self.ctx.bibliography is None:
            self.diag.error("bibliography shortcode but the post names no bibliography "
                            "(set bibFile in the front matter)", call.line)
            return ""
        title = self.pending_bibliography_title or "References"
        self.pending_bibliography_title = None
        cited_only = "cited" in call.args or call.named.get("cited") in ("true", "yes")
        self.bibliography = BibliographyPlacement(title=title, cited_only=cited_only,
                                                  explicit=True)
        return self.bibliography_commands()

    def bibliography_commands(self) -> str:
        placement = self.bibliography
        assert placement is not None
        self.features.add("cite")
        lines = [f"\\renewcommand{{\\refname}}{{{placement.title}}}"]
        if not placement.cited_only:
            lines.append("\\nocite{*}")  # hugo-cite prints every entry of the file
        lines += [f"\\bibliographystyle{{{BIBLIOGRAPHY_STYLE}}}",
                  f"\\bibliography{{{self.bib_name}}}"]
        return "\n".join(lines)
