"""A site's own paired ``cite`` shortcode that holds a BibTeX entry.

Some sites write a reference where it is discussed as ``{{< cite >}}@article{key, …}
{{< /cite >}}``: their ``cite.html`` hides the entry in the page and a script shows it
formatted, authors, title, venue and year, where the shortcode stands. The paper shows
that reference there too, as a paragraph of Markdown made from the entry's fields (read
by bibtexparser, LaTeX accents decoded), so no BibTeX ever reaches the text.

(Other keyless paired cites, ``<cite>{{ .Inner }}</cite>`` around a quotation's author,
are shown as HTML's ``cite`` is: ``latex.citations``.)
"""

from __future__ import annotations

import re

import bibtexparser
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors, SplitNameParts
from bibtexparser.model import Entry

from mdpaper.patterns import lazy_pattern

_PAIR = lazy_pattern(r"\{\{([<%])\s*cite\s*[>%]\}\}(?P<entry>\s*@[A-Za-z]+\s*\{[\s\S]*?)"
                     r"\{\{[<%]\s*/\s*cite\s*[>%]\}\}")
#: what Markdown would read as markup inside a field's text
_MARKDOWN_SPECIAL = lazy_pattern(r"([\\`*_\[\]<>#|~$])")


def format_bibtex_cites(body: str) -> str:
    """``body`` with each paired ``cite`` holding one BibTeX entry replaced by the reference
    as Markdown; the lines it spanned stay (blank), so later lines keep their numbers."""
    if "@" not in body or "cite" not in body:
        return body
    return _PAIR.sub(_reference_in_place, body)


def _reference_in_place(m: re.Match[str]) -> str:
    library = bibtexparser.parse_string(m.group("entry"), append_middleware=[
        LatexDecodingMiddleware(), SeparateCoAuthors(), SplitNameParts()])
    if len(library.entries) != 1 or library.failed_blocks:
        return m.group(0)  # not one entry: the cite shortcode's own handling says so
    return reference_markdown(library.entries[0]) + "\n" * m.group(0).count("\n")


def reference_markdown(entry: Entry) -> str:
    """The entry as a reference reads: "A, B and C. Title. *Venue*, 42(4), July 2023."
    (followed by its URL or DOI when it has one)."""
    fields = {f.key.lower(): f.value for f in entry.fields}
    parts = [_names(fields.get("author") or fields.get("editor")),
             _text(fields.get("title"))]
    venue = _text(fields.get("journal") or fields.get("booktitle")
                  or fields.get("publisher") or fields.get("school"))
    numbering = _text(fields.get("volume"))
    if numbering and fields.get("number"):
        numbering += f"({_text(fields['number'])})"
    date = " ".join(t for t in (_text(fields.get("month")), _text(fields.get("year"))) if t)
    where = ", ".join(t for t in (f"*{venue}*" if venue else "", numbering, date) if t)
    parts.append(where)
    link = fields.get("url") or (f"https://doi.org/{fields['doi']}" if fields.get("doi")
                                 else None)
    if isinstance(link, str) and link.strip():
        parts.append(f"<{link.strip()}>")
    return " ".join(p if p.endswith((".", ">")) else p + "." for p in parts if p)


def _names(value: object) -> str:
    """Given names first: "Ada Lovelace, Alan Turing and Grace Hopper"."""
    if not isinstance(value, list):
        return _text(value)
    names = []
    for name in value:
        words = [*name.first, *name.von, *name.last, *name.jr] if hasattr(name, "first") \
            else [str(name)]
        names.append(_text(" ".join(words)))
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _text(value: object) -> str:
    """A field's text for Markdown: braces BibTeX keeps for case gone, one line, markup
    characters escaped."""
    if not isinstance(value, str):
        return ""
    text = " ".join(value.replace("{", "").replace("}", "").split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


__all__ = ["format_bibtex_cites", "reference_markdown"]
