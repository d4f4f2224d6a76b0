"""The bibliography stage: CSL-JSON (or .bib, or CSL-YAML) in, BibTeX-safe keys and .bib out.

Posts cite CSL ids; LaTeX must cite BibTeX keys, which cannot hold spaces, commas, braces...
``Bibliography`` keeps the mapping, answers "did you mean", and writes the .bib through
bibtexparser. Reading CSL-JSON/YAML text lives in ``reading.py``, the CSL -> BibTeX field
mapping in ``csl.py``, the escaping in ``bibtex_text.py``.
"""

from __future__ import annotations

import difflib
import hashlib
import logging
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bibtexparser
from bibtexparser.library import Library
from bibtexparser.model import Block, Entry, Field, ImplicitComment

from mdpaper.bibliography.csl import CslError, csl_to_bibtex
from mdpaper.bibliography.reading import parse_json, parse_yaml
from mdpaper.errors import MdpaperError, MultipleErrors
from mdpaper.files import ascii_fold, read_utf8
from mdpaper.patterns import lazy_pattern

# Characters kept in a BibTeX key. BibTeX itself takes more, but a key also travels through
# \cite{...} (comma-separated, expanded) and hyperref anchors, so stay conservative.
_SAFE_KEY = lazy_pattern(r"[A-Za-z0-9_:./+-]+")
@dataclass
class _Record:
    id: str
    line: int | None
    key: str
    #: A CSL item becomes a BibTeX entry when first written: a site's bibliography may hold
    #: hundreds that no post cites, and a fault in one no page shows is no error.
    item: dict[str, Any] | None = None
    path: Path | None = None
    made: Entry | None = None
    #: the page's math renderer typesets ``$…$`` in the reference list
    math: bool = True
    #: ``made`` keeps non-ASCII text as UTF-8 (xelatex, lualatex)
    utf8: bool = False

    @property
    def entry(self) -> Entry:
        if self.made is None:
            try:
                etype, fields = csl_to_bibtex(self.item or {}, math=self.math,
                                              utf8=self.utf8)
            except CslError as e:
                raise MdpaperError(f"entry {self.id!r}: {e}", self.path, self.line) from None
            # "month = mar" must stay a bare macro so the style prints "March".
            self.made = Entry(etype, self.key, [
                Field(k, v, enclosing="no-enclosing" if k == "month" else None)
                for k, v in fields])
        return self.made


class Bibliography:
    """The references of a site, addressed by their original (CSL) ids."""

    def __init__(
        self,
        path: Path,
        records: list[_Record],
        *,
        extra_blocks: Iterable[Block] = (),
        verbatim: bool = False,
        notes: Iterable[tuple[str, int | None]] = (),
    ) -> None:
        self.path = path
        #: (message, line): what is wrong in the file that the page shows anyway (warnings)
        self.notes = list(notes)
        self._records = records
        self._by_id = {r.id: r for r in records}
        # @string/@preamble blocks of a .bib input; written along with any subset.
        self._extra = list(extra_blocks)
        # .bib input is written back exactly as parsed (values keep their own delimiters).
        self._verbatim = verbatim

    # --- loading -------------------------------------------------------------------------

    @classmethod
    def load(cls, path: Path, *, math: bool = True) -> Bibliography:
        """Read a .json (CSL-JSON), .yaml/.yml (CSL-YAML) or .bib file; ``math``: the
        page's renderer typesets ``$…$`` (in CSL text: a .bib says for itself).

        Raises ``MdpaperError`` naming the file and, where it can, the line.
        """
        path = Path(path)
        text = read_utf8(path, "bibliography")
        suffix = path.suffix.lower()
        if suffix == ".bib":
            return cls._from_bibtex(text, path)
        if suffix == ".json":
            items = parse_json(text, path)
        elif suffix in (".yaml", ".yml"):
            items = parse_yaml(text, path)
        else:
            raise MdpaperError(
                f"unsupported bibliography format {suffix or path.name!r} "
                "(expected .json, .yaml, .yml or .bib)",
                path,
            )
        return cls._from_csl(items, path, math)

    @classmethod
    def _from_csl(cls, items: list[tuple[Any, int | None]], path: Path,
                  math: bool) -> Bibliography:
        errors: list[MdpaperError] = []
        records: list[_Record] = []
        notes: list[tuple[str, int | None]] = []
        first_line: dict[str, int | None] = {}
        for n, (item, line) in enumerate(items, 1):
            if not isinstance(item, dict):
                errors.append(MdpaperError(f"entry {n} is not an object", path, line))
                continue
            raw_id = item.get("id")
            if raw_id is None or str(raw_id).strip() == "" or isinstance(raw_id, dict | list):
                what = f"entry {n}" + (f" ({item['title']!r})" if item.get("title") else "")
                errors.append(MdpaperError(f'{what} has no "id"', path, line))
                continue
            csl_id = str(raw_id)
            if csl_id in first_line:
                where = f" (first on line {first_line[csl_id]})" if first_line[csl_id] else ""
                # hugo-cite's page shows the entries all the same: the first is the one cited
                notes.append((f"duplicate id {csl_id!r}{where}: this entry is left out", line))
                continue
            first_line[csl_id] = line
            records.append(_Record(csl_id, line, csl_id, item, path, math=math))
        _raise(errors)
        keys = assign_keys([r.id for r in records])
        for r in records:
            r.key = keys[r.id]
        return cls(path, records, notes=notes)

    @classmethod
    def _from_bibtex(cls, text: str, path: Path) -> Bibliography:
        # An empty parse stack keeps every value with its own delimiters and @string
        # references unresolved, so writing it back (unparse_stack=[]) changes nothing.
        with _quiet_logger("bibtexparser"):
            library = bibtexparser.parse_string(text, parse_stack=[])
        errors = []
        for block in library.failed_blocks:
            reason = getattr(block.error, "abort_reason", None) or str(block.error)
            line = block.start_line + 1 if block.start_line is not None else None
            errors.append(MdpaperError(f"invalid BibTeX: {reason.strip()}", path, line))
        seen: dict[str, Entry] = {}
        for entry in library.entries:
            # BibTeX compares keys case-insensitively; bibtexparser does not.
            if (other := seen.setdefault(entry.key.lower(), entry)) is not entry:
                msg = f"duplicate key {entry.key!r} (BibTeX ignores case: {other.key!r})"
                errors.append(MdpaperError(msg, path, (entry.start_line or 0) + 1))
        _raise(errors)
        records = [
            _Record(e.key, e.start_line + 1 if e.start_line is not None else None, e.key,
                    made=e)
            for e in library.entries
        ]
        return cls(path, records, extra_blocks=[*library.strings, *library.preambles],
                   verbatim=True)

    # --- queries -------------------------------------------------------------------------

    def __contains__(self, csl_id: object) -> bool:
        return csl_id in self._by_id

    def __len__(self) -> int:
        return len(self._records)

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids())

    def characters(self) -> set[str]:
        """Every character the entries' text holds (the file's, and its CSL strings with
        JSON's ``\\u0418`` escapes read): what the engine and the fonts must set."""
        found: set[str] = set()
        with suppress(OSError, UnicodeDecodeError):
            found.update(self.path.read_text(encoding="utf-8"))
        for r in self._records:
            found.update(*_strings(r.item))
        return found

    def ids(self) -> list[str]:
        """The original ids, in file order."""
        return [r.id for r in self._records]

    def line(self, csl_id: str) -> int | None:
        """Line of the entry in the bibliography file (for located messages)."""
        return self._record(csl_id).line

    def bibtex_key(self, csl_id: str) -> str:
        """The key to use in ``\\cite``: the id itself when BibTeX-safe, else a safe variant."""
        return self._record(csl_id).key

    def suggest(self, unknown: str) -> str | None:
        """The id the user probably meant, or None."""
        ids = self.ids()
        folded = {i.casefold(): i for i in reversed(ids)}  # first id wins on ties
        if unknown.casefold() in folded:
            return folded[unknown.casefold()]
        # Users sometimes cite the generated key instead of the id.
        for r in self._records:
            if r.key.casefold() == unknown.casefold():
                return r.id
        close = difflib.get_close_matches(unknown.casefold(), list(folded), n=1, cutoff=0.6)
        return folded[close[0]] if close else None

    def _record(self, csl_id: str) -> _Record:
        try:
            return self._by_id[csl_id]
        except KeyError:
            hint = self.suggest(csl_id)
            more = f"; did you mean {hint!r}?" if hint else ""
            raise KeyError(f"{csl_id!r} is not in {self.path}{more}") from None

    # --- output --------------------------------------------------------------------------

    def to_bibtex(self, ids: Iterable[str] | None = None, *, utf8: bool = False) -> str:
        """The .bib text for ``ids`` (in that order, duplicates dropped); None = every entry.
        ``utf8``: CSL text's non-ASCII characters as they are (for xelatex and lualatex).

        Raises ``KeyError`` for an unknown id: callers check ``in`` first and report the
        citation's own location; ``MdpaperError`` at the bibliography's lines for entries
        that cannot be written.
        """
        if ids is None:
            chosen = list(self._records)
        else:
            chosen = list({i: self._record(i) for i in ids}.values())
        if self._verbatim:
            chosen += self._crossref_targets(chosen)
        library = Library()
        name = self.path.name.replace("@", "")  # BibTeX would read "@" as an entry start
        library.add(ImplicitComment(f"% Generated by mdpaper from {name}; edit that file."))
        entries: list[Block] = []
        errors: list[MdpaperError] = []
        for r in chosen:
            if r.item is not None and r.utf8 != utf8:
                r.utf8, r.made = utf8, None
            try:
                entries.append(r.entry)
            except MdpaperError as e:
                errors.append(e)
        _raise(errors)
        library.add(self._extra + entries)
        if self._verbatim:
            return bibtexparser.write_string(library, unparse_stack=[])
        return bibtexparser.write_string(library)

    def _crossref_targets(self, chosen: list[_Record]) -> list[_Record]:
        # BibTeX needs a cross-referenced entry in the file, after the entries citing it.
        by_key = {r.entry.key.lower(): r for r in self._records}
        have = {r.entry.key.lower() for r in chosen}
        extra = []
        for r in chosen:
            ref = r.entry.fields_dict.get("crossref")
            target = ref and by_key.get(str(ref.value).strip('{}"').lower())
            if target and target.entry.key.lower() not in have:
                have.add(target.entry.key.lower())
                extra.append(target)
        return extra


# --- keys ------------------------------------------------------------------------------


def _fold_key(csl_id: str) -> str:
    ascii_id = ascii_fold(csl_id)
    key = re.sub(r"[^A-Za-z0-9_:./+-]+", "_", ascii_id).strip("_")
    # An id with nothing foldable (e.g. CJK) still needs a stable, distinct key.
    return key or "ref-" + hashlib.sha1(csl_id.encode()).hexdigest()[:8]


def assign_keys(ids: list[str]) -> dict[str, str]:
    """Map each id to a BibTeX key: unique ignoring case (as BibTeX compares them).

    Safe ids keep themselves, whatever their position in the file, so adding an unsafe id
    never renames an existing key; unsafe ids are folded and get -2, -3... on collisions.
    """
    keys: dict[str, str] = {}
    taken: set[str] = set()
    pending = []
    for i in ids:
        if _SAFE_KEY.fullmatch(i) and i.lower() not in taken:
            keys[i] = i
            taken.add(i.lower())
        else:
            pending.append(i)
    for i in pending:
        base = key = _fold_key(i)
        n = 2
        while key.lower() in taken:
            key = f"{base}-{n}"
            n += 1
        keys[i] = key
        taken.add(key.lower())
    return keys


def _strings(value: Any) -> Iterator[str]:
    """The strings in a CSL item, however nested (names, dates)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict | list):
        for inner in value.values() if isinstance(value, dict) else value:
            yield from _strings(inner)


def _raise(errors: list[MdpaperError]) -> None:
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise MultipleErrors(errors)


@contextmanager
def _quiet_logger(name: str) -> Iterator[None]:
    # bibtexparser logs each syntax error; we raise them as located errors instead.
    logger = logging.getLogger(name)
    old = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(old)
