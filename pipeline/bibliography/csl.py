"""CSL-JSON item -> BibTeX entry type and fields (values escaped, ready for bibtexparser).

bibtexparser writes values as given, so everything here produces valid BibTeX *values*:
braces balanced, LaTeX specials escaped, non-ASCII turned into LaTeX accents (via pylatexenc),
titles (and thesis types) kept in the case they are written. URLs and DOIs stay raw apart
from what BibTeX and ``\\url`` cannot carry. Problems raise ``CslError``; the caller adds the
file and line.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mdpaper.bibliography.bibtex_text import escape, kept_case, raw_url, rich_text, utf8_text

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


class CslError(ValueError):
    """A CSL item that cannot be mapped (the message names the offending field)."""


# --- names -------------------------------------------------------------------------------


def _name_part(text: Any) -> str:
    s = escape(str(text))
    # A comma or a lone "and" would make BibTeX split the name list or the name itself.
    if "," in s or re.search(r"(?i)(^|\s)and(\s|$)", s):
        return "{" + s + "}"
    return s


def format_name(name: Any, field: str) -> str:
    """One CSL name -> "von Last, Jr, First" (the BibTeX form that needs no guessing)."""
    if not isinstance(name, dict):
        raise CslError(f'"{field}" must contain name objects, not {type(name).__name__}')
    if name.get("literal"):
        return "{" + escape(str(name["literal"])) + "}"  # institutions: never split
    family = str(name.get("family") or "").strip()
    given = str(name.get("given") or "").strip()
    if not family:
        if not given:
            raise CslError(f'a name in "{field}" has no "family", "given" or "literal"')
        return _name_part(given)
    # Both particles go before the family name ("van der Maaten, Laurens"): BibTeX reads
    # lowercase words there as the "von" part and prints them in the right place.
    particle = " ".join(
        p
        for k in ("dropping-particle", "non-dropping-particle")
        if (p := str(name.get(k) or "").strip())
    )
    last = _name_part(family)
    if particle:
        # "d'" and "al-" attach without a space (CSL's rule).
        sep = "" if particle.endswith(("'", "\u2019", "-")) else " "
        last = _name_part(particle) + sep + last
    parts = [last]
    if name.get("suffix"):
        parts.append(_name_part(name["suffix"]))
    if given or len(parts) > 1:
        parts.append(_name_part(given))
    return ", ".join(parts)


def format_names(names: Any, field: str) -> str:
    if not isinstance(names, list):
        raise CslError(f'"{field}" must be a list of names')
    return " and ".join(format_name(n, field) for n in names)


# --- dates -------------------------------------------------------------------------------


def parse_date(value: Any, field: str) -> tuple[str | None, int | None, int | None]:
    """CSL date (date-parts with ints or strings, raw, literal; YAML dates) -> year, month, day.

    The year is a BibTeX value; for an unparseable literal ("in press") it is that text.
    """
    if isinstance(value, dt.date):
        return str(value.year), value.month, value.day
    if isinstance(value, str | int):
        value = {"raw": str(value)}
    if isinstance(value, list) and value and isinstance(value[0], dict):
        value = {"date-parts": [[value[0].get(k) for k in ("year", "month", "day")]]}
    if not isinstance(value, dict):
        raise CslError(f'"{field}" must be a date object')
    if value.get("date-parts"):
        parts = value["date-parts"]
        first = parts[0] if isinstance(parts, list) and parts else None
        if not isinstance(first, list) or not first:
            raise CslError(f'"{field}": "date-parts" must look like [[2022, 3, 1]]')
        nums: list[int] = []
        for p in first[:3]:
            if p is None or p == "":
                break
            try:
                nums.append(int(str(p).strip()))
            except ValueError:
                raise CslError(f'"{field}": date part {p!r} is not a number') from None
        if not nums:
            raise CslError(f'"{field}": "date-parts" has no year')
        month = nums[1] if len(nums) > 1 and 1 <= nums[1] <= 12 else None  # 13+ are seasons
        return str(nums[0]), month, nums[2] if month and len(nums) > 2 else None
    text = str(value.get("raw") or value.get("literal") or "").strip()
    m = re.fullmatch(r"(-?\d{1,4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?", text)
    if m:
        month = int(m.group(2)) if m.group(2) and 1 <= int(m.group(2)) <= 12 else None
        return str(int(m.group(1))), month, int(m.group(3)) if month and m.group(3) else None
    if value.get("raw") and (m := re.search(r"\b(\d{4})\b", text)):
        return m.group(1), None, None  # "March 2022": the year is enough for BibTeX
    return (escape(text).strip() or None), None, None


def _iso(date: tuple[str | None, int | None, int | None]) -> str:
    year, month, day = date
    return "-".join([year or ""] + [f"{n:02d}" for n in (month, day) if n])


# --- fields ------------------------------------------------------------------------------

_ORDINALS = ("First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth",
             "Ninth", "Tenth")  # fmt: skip


def _edition(value: Any) -> str:
    # BibTeX styles print "<edition> edition", so "2" must become "Second".
    m = re.fullmatch(r"(\d+)(?:st|nd|rd|th)?(?:\s*ed(?:ition|\.)?)?", str(value).strip(), re.I)
    if not m:
        return escape(str(value))
    n = int(m.group(1))
    if 1 <= n <= len(_ORDINALS):
        return _ORDINALS[n - 1]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _pages(value: Any) -> str:
    return escape(re.sub(r"\s*[-\u2010-\u2015]+\s*", "--", str(value)))


_ARXIV_ID = r"(\d{4}\.\d{4,5}(?:v\d+)?|[a-z][a-z.\-]*(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?)"


def arxiv_id(item: dict[str, Any]) -> str | None:
    """The arXiv identifier from ``number``, ``DOI`` (10.48550/arXiv.X) or an arxiv.org URL."""
    number = str(item.get("number") or "").strip()
    if m := re.fullmatch(r"(?i:arxiv:\s*)?" + _ARXIV_ID, number):
        return m.group(1)
    if m := re.fullmatch(r"(?i:(?:https?://(?:dx\.)?doi\.org/)?10\.48550/arxiv\.)(.+)",
                         str(item.get("DOI") or "").strip()):  # fmt: skip
        return m.group(1)
    if m := re.search(r"arxiv\.org/(?:abs|pdf)/" + _ARXIV_ID, str(item.get("URL") or "")):
        return m.group(1)
    return None


def _doi(value: Any) -> str:
    return raw_url(re.sub(r"(?i)^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", str(value)))


WEB_TYPES = {"webpage", "post-weblog", "post"}
_ARTICLE_TYPES = {"article-journal", "article-magazine", "article-newspaper"}
_SIMPLE = {"book": "book", "chapter": "incollection", "paper-conference": "inproceedings",
           "report": "techreport"}  # fmt: skip


def _entry_type(item: dict[str, Any], csl_type: str, arxiv: str | None) -> str:
    if csl_type in _ARTICLE_TYPES:
        return "article"
    if csl_type in _SIMPLE:
        return _SIMPLE[csl_type]
    if csl_type == "thesis":
        genre = str(item.get("genre") or "").lower()
        masters = re.search(r"master|\bm\.?\s?(?:sc|a|s)\b", genre)
        return "mastersthesis" if masters else "phdthesis"
    if csl_type == "article" and (arxiv or item.get("container-title")):
        return "article"
    return "misc"


def _is_phd_genre(genre: str) -> bool:
    g = re.sub(r"[.\s]", "", genre.lower())
    return any(w in g for w in ("phd", "doctor", "dissertation"))


@dataclass(frozen=True)
class _CslItem:
    """One CSL item and what the mapping decides once about it."""

    data: dict[str, Any]
    csl_type: str
    entry_type: str
    arxiv: str | None
    #: the page's math renderer typesets ``$…$`` in the reference's text
    math: bool

    @classmethod
    def of(cls, item: dict[str, Any], math: bool) -> _CslItem:
        csl_type = str(item.get("type") or "").strip()
        arxiv = arxiv_id(item)
        return cls(item, csl_type, _entry_type(item, csl_type, arxiv), arxiv, math)

    def text(self, key: str, *, keep_case: bool = False) -> str | None:
        """A CSL text variable as a BibTeX value (None when absent or empty)."""
        value = self.data.get(key)
        if isinstance(value, list):  # CSL-YAML sometimes lists container titles
            value = value[0] if value else None
        if isinstance(value, dict):  # CSL 1.0.2 "event": {"name": ...}
            value = value.get("name")
        if value in (None, ""):
            return None
        return rich_text(str(value), keep_case=keep_case, math=self.math) or None

    @property
    def container(self) -> str | None:
        return self.text("container-title")

    @property
    def genre(self) -> str | None:
        return self.text("genre")

    @property
    def web(self) -> bool:
        return self.csl_type in WEB_TYPES

    @property
    def preprint(self) -> bool:
        return self.arxiv is not None and self.csl_type == "article"


class _Fields:
    """The fields of one BibTeX entry, in the order they are added; empty ones left out."""

    def __init__(self) -> None:
        self.pairs: list[tuple[str, str]] = []

    def add(self, name: str, value: Any, fmt: Callable[[Any], str] = escape) -> None:
        if value is None or value == "" or value == []:
            return
        out = fmt(value if isinstance(value, list) else str(value)).strip()
        if out:
            self.pairs.append((name, out))


def csl_to_bibtex(item: dict[str, Any], *, math: bool = True,
                  utf8: bool = False) -> tuple[str, list[tuple[str, str]]]:
    """Map one CSL item to ``(entry_type, [(field, value), ...])``; ``math``: the page's
    renderer typesets ``$…$`` (formulas in its text print as math); ``utf8``: non-ASCII
    text as it is (xelatex, lualatex), else in LaTeX's spellings (pdflatex).

    Values are finished BibTeX values without the outer braces; ``month`` is a bare macro
    (``mar``) so that styles print the month name.
    """
    with utf8_text(utf8):
        return _entry(_CslItem.of(item, math))


def _entry(csl: _CslItem) -> tuple[str, list[tuple[str, str]]]:
    item = csl.data
    fields = _Fields()
    for role in ("author", "editor"):
        fields.add(role, item.get(role), functools.partial(format_names, field=role))
    fields.add("title", csl.text("title", keep_case=True), str)
    _add_container(fields, csl)
    _add_numbering(fields, csl)
    _add_publisher(fields, csl)
    if item.get("issued") not in (None, "", {}, []):
        year, month, _ = parse_date(item["issued"], "issued")
        fields.add("year", year, str)
        if month:
            fields.pairs.append(("month", MONTHS[month - 1]))
    else:
        fields.add("year", "n.d.")  # as hugo-cite's page says, in the list and the citation
    notes = _add_links(fields, csl)
    fields.add("isbn", item.get("ISBN"))
    fields.add("issn", item.get("ISSN"))
    fields.add("note", ". ".join(notes + _notes(csl)), str)
    return csl.entry_type, fields.pairs


def _add_container(fields: _Fields, csl: _CslItem) -> None:
    """Where the work appeared: journal, book or proceedings, or how it was published."""
    container, etype = csl.container, csl.entry_type
    if etype == "article":
        # plainnat has no eprint field; a journal string is how arXiv papers get printed.
        preprint_journal = f"arXiv preprint arXiv:{csl.arxiv}" if csl.preprint else None
        fields.add("journal", container or preprint_journal, str)
    elif etype in ("inproceedings", "incollection"):
        booktitle = container or csl.text("event-title") or csl.text("event")
        fields.add("booktitle", booktitle, str)
    elif etype == "misc" and not (csl.web and csl.data.get("URL")):
        publisher = None if csl.web else csl.text("publisher")
        fields.add("howpublished", container or publisher, str)


def _add_numbering(fields: _Fields, csl: _CslItem) -> None:
    """Series, volume, number, chapter, pages and edition."""
    item = csl.data
    fields.add("series", csl.text("collection-title"), str)
    fields.add("volume", item.get("volume"))
    if not (csl.preprint and not csl.container):  # the arXiv id is already in "journal"
        number = item.get("issue") or item.get("number") or item.get("collection-number")
        fields.add("number", number)
    fields.add("chapter", item.get("chapter-number"))
    fields.add("pages", item.get("page"), _pages)
    fields.add("edition", item.get("edition"), _edition)


_PUBLISHER_FIELD = {"phdthesis": "school", "mastersthesis": "school", "techreport": "institution"}


def _add_publisher(fields: _Fields, csl: _CslItem) -> None:
    """Publisher (or school, institution), its place, and the report or thesis type."""
    etype, genre = csl.entry_type, csl.genre
    if etype != "misc":
        fields.add(_PUBLISHER_FIELD.get(etype, "publisher"), csl.text("publisher"), str)
    fields.add("address", csl.text("publisher-place"), str)
    if genre and (etype == "techreport" or (etype == "phdthesis" and not _is_phd_genre(genre))):
        # plainnat prints it instead of "Technical Report"/"PhD thesis" (sentence-cased).
        fields.add("type", genre, kept_case)


#: the entry types whose doi field plainnat prints (not misc, theses, reports)
_PRINTS_DOI = {"article", "book", "incollection", "inproceedings"}


def _add_links(fields: _Fields, csl: _CslItem) -> list[str]:
    """DOI, arXiv eprint and URL; returns the notes a web page needs (site, access date)."""
    item, notes = csl.data, []
    fields.add("doi", item.get("DOI"), _doi)
    if csl.arxiv:
        fields.pairs += [("eprint", csl.arxiv), ("archivePrefix", "arXiv")]
    if csl.web and item.get("URL"):
        # plainnat's misc prints howpublished and url alike; one copy of the link is enough.
        fields.add("howpublished", item["URL"], lambda u: r"\url{" + raw_url(u) + "}")
        if csl.container:
            notes.append(csl.container)
    elif item.get("DOI") and csl.entry_type not in _PRINTS_DOI:
        # plainnat leaves the doi of this entry type out; hugo-cite's page shows the DOI's
        # link (in place of the URL), so the url field carries it
        fields.add("url", "https://doi.org/" + _doi(item["DOI"]), str)
    else:
        fields.add("url", item.get("URL"), raw_url)
    if csl.web and item.get("accessed"):
        notes.append("Accessed " + _iso(parse_date(item["accessed"], "accessed")))
    return notes


def _notes(csl: _CslItem) -> list[str]:
    """What kind of thing a misc entry is (dataset, software...). The item's own ``note`` is
    left out, as hugo-cite's page leaves it out: it is where reference managers put what
    no reader needs ("arXiv:2205.10803 [cs] This CSL Item was generated by Manubot…",
    "Copyright 2011 Elsevier B.V.")."""
    notes = []
    if csl.entry_type == "misc" and not csl.web and csl.csl_type:
        # Say what it is: misc alone would not tell the reader.
        label = "preprint" if csl.csl_type == "article" else csl.csl_type.replace("_", " ")
        notes.append(csl.genre or escape(label.replace("-", " ").capitalize()))
    return notes
