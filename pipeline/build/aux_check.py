"""Did the first pass of a cold build agree with the prediction it was given (``predict``)?

The pass read the seeded .aux and wrote its own. The PDF is final when, for everything the
document *uses*, the two agree: the cited keys and their order (so BibTeX's .bbl stands),
the bibliography's ``\\bibcite`` entries, and the number and anchor (and the page or title,
when something shows them) of every label the document refers to. Longtable widths are
left to the caller: they are right only when two passes wrote the same. Entries nothing reads
back into the page (page numbers of unreferenced labels, toc lines with no table of
contents, the last page) do not count. Everything else in the .aux must be an entry known
to be harmless; anything unknown counts as a disagreement, so latexmk decides.
"""

from __future__ import annotations

import re
from pathlib import Path

from mdpaper.build.predict import Prediction
from mdpaper.patterns import lazy_pattern

_LONGTABLE = lazy_pattern(r"\\gdef \\LT@[a-z]+ \{(?:\\LT@entry\s*\{[^{}]*\}\{[^{}]*\}\s*)*\}", re.S)
_NEWLABEL = lazy_pattern(r"\\newlabel\{([^}]*)\}(\{.*\})$")
_BIBCITE = lazy_pattern(r"\\bibcite\{[^}]*\}\{.*\}$")
_ONE_ARG = lazy_pattern(r"\\(citation|bibstyle|bibdata)\{([^}]*)\}$")
#: hyperref's page labels under xdvipdfmx (``predict.PAGE_LABELS``)
_PAGE_LABEL = lazy_pattern(r"\\HyPL@Entry\{(.*)\}")
#: Lines that never shape the next pass's page: hyperref's set-up for an .aux read
#: without hyperref, toc/lof/lot lines (no list is printed: ``predict`` refuses those),
#: the page count, and bookmark's outline entries (it reads them back at the end of the
#: same pass to write the outline; at the start of the next they are ignored).
_HARMLESS = lazy_pattern(
    r"\\relax ?|\\providecommand\s*\\(?:hyper|Hy|HyField)\S*.*|\\HyperFirstAtBeginDocument.*"
    r"|\\global\\let\\(?:oldnewlabel\\newlabel|hyper@last\\relax ?)|\\gdef\s*\\newlabel.*"
    r"|\\AtEndDocument\{\\ifx\\hyper@anchor.*|\\let\\newlabel\\oldnewlabel|\\fi\}?"
    r"|\\gdef\s*\\HyperFirstAtBeginDocument.*|\\@writefile\{(?:toc|lof|lot)\}.*"
    r"|\\gdef\s*\\@abspage@last\{\d+\}|\\providecommand\\BKM@entry\[2\]\{\}|\\BKM@entry\{.*"
    r"|\\providecommand\*\\HyPL@Entry\[1\]\{\}"
)
#: Requests for another run that this check answers itself (labels, citations; longtable
#: widths are compared by the caller); any other one (a package's own rerun check) means
#: latexmk must decide.
_ANSWERED = lazy_pattern(r"Label\(s\) may have changed|Citation\(s\) may have changed"
                         r"|Table widths have changed|Rerun to get (?:citations correct"
                         r"|cross-references right)")
_RERUN = lazy_pattern(r"^(?!Package: ).*\bRerun\b.*$", re.M)  # not a package banner
_UNDEFINED = lazy_pattern(r"(?:Reference|Citation) .* undefined|There were undefined")


def groups(text: str) -> list[str]:
    """The top-level ``{...}`` groups of ``text``, without their braces."""
    found, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "{":
            if depth == 0:
                start = i + 1
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                found.append(text[start:i])
    return found


def longtable_widths(aux: str) -> list[str]:
    """The column widths of each longtable, as the pass wrote them."""
    return _LONGTABLE.findall(aux)


def disagreement(prediction: Prediction, bibcite_lines: list[str], aux: str, log: str,
                 outputs: set[str], page_labels: tuple[str, ...] = ()) -> str | None:
    """Why the pass that wrote ``aux`` and ``log`` is not final, or None when it is.
    ``outputs``: the other files it wrote (from its -recorder list) that a pass reads;
    ``page_labels``: the hyperref page labels the pass read (``predict.seeded_aux``)."""
    if outputs:
        return f"the pass wrote {', '.join(sorted(outputs))}, which a later pass reads"
    if _UNDEFINED.search(log):
        return "an undefined reference or citation"
    for request in _RERUN.findall(log):
        if not _ANSWERED.search(request):
            return f"a package asks for another run: {request.strip()}"
    aux, _ = _LONGTABLE.subn("", aux)
    labels_written: list[str] = []  # hyperref's page labels
    citations: list[str] = []
    style: dict[str, str] = {}
    labels: dict[str, list[str]] = {}
    cites: list[str] = []
    for line in aux.splitlines():
        line = line.strip()
        if not line or _HARMLESS.fullmatch(line):
            continue
        if m := _NEWLABEL.match(line):
            outer = groups(m[2])
            labels[m[1]] = groups(outer[0]) if outer else []
        elif _BIBCITE.match(line):
            cites.append(line)
        elif m := _PAGE_LABEL.fullmatch(line):
            labels_written.append(m[1])
        elif m := _ONE_ARG.match(line):
            if m[1] == "citation":
                citations += [k.strip() for k in m[2].split(",")
                              if k.strip() and k.strip() not in citations]
            else:
                style[m[1]] = m[2].strip()
        else:
            return f"an .aux entry this check does not know: {line[:60]}"
    if tuple(labels_written) != page_labels:
        return "the page labels differ from the prediction"
    return _compare(prediction, bibcite_lines, citations, style, labels, cites)


def _compare(prediction: Prediction, bibcite_lines: list[str], citations: list[str],
             style: dict[str, str], labels: dict[str, list[str]], cites: list[str]) -> str | None:
    if citations != prediction.citations:
        return "the cited keys differ from the prediction"
    if prediction.bibliography and (style.get("bibstyle"), style.get("bibdata")) != (
            prediction.bibstyle, prediction.bibdata):
        return "the bibliography style or database differs"
    if sorted(cites) != sorted(bibcite_lines):
        return "the bibliography's labels differ from the prediction"
    for label, used in prediction.references.items():
        predicted = prediction.labels.get(label)
        written = labels.get(label)
        if predicted is None or written is None or len(written) < 4:
            return f"label {label} was not predicted or not written"
        if 1 in used or 2 in used:
            return f"label {label}: its page or title is shown"
        if [written[0], written[3]] != list(predicted):
            return f"label {label} is {written[0]} ({written[3]}), predicted {predicted[0]}"
    return None


#: Files a pass writes and removes at once, to learn whether it may write there (LuaTeX's
#: lualibs ``file.is_writable``, which luaotfload calls): nothing reads them.
_PROBES = frozenset({"m_t_x_t_e_s_t.tmp"})


def outputs_read_later(fls: Path, tex: Path) -> set[str] | None:
    """Files the pass wrote, other than its .aux, log and PDF, from its -recorder list
    (None when there is no list)."""
    try:
        text = fls.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    quiet = {tex.with_suffix(s).name for s in (".aux", ".log", ".pdf", ".xdv", ".fls")} | _PROBES
    written = set()
    for line in text.splitlines():
        if line.startswith("OUTPUT "):
            name = Path(line.removeprefix("OUTPUT ").strip()).name
            if name not in quiet:
                written.add(name)
    return written


__all__ = ["disagreement", "groups", "longtable_widths", "outputs_read_later"]
