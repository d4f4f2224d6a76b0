"""What TeX would learn from earlier passes, predicted from the .tex before the first pass.

A cold build needs more than one engine pass only because TeX learns things late: the
citation labels BibTeX makes from the cited keys, the number and link target of each label,
the widths of longtables. mdpaper wrote the .tex and knows almost all of it in advance:

* the cited keys, in order, and the style and database: BibTeX runs on a minimal .aux
  holding only those (milliseconds), and the ``\\bibcite`` entries natbib would write are
  read off the .bbl it makes;
* the number and hyperref anchor of every label that follows a numbered heading, a
  figure's or table's caption, a numbered equation or a footnote's start.

Not predicted: longtable column widths. longtable sets a table's head apart from its
body, each with the widths the .aux gave it, so its first pass is not final; a post with
a longtable takes a second pass, from the widths the first one wrote (``coldpass``).

``seeded_aux`` writes these into the .aux the first pass reads. ``disagreement`` then
compares the .aux that pass wrote with the prediction, field by field *as far as the
document uses it* (a label's page number counts only when something prints it, its title
only for ``\\nameref``), and names the first difference: any disagreement, any entry it does
not understand, or a warning that asks for another run makes the caller fall back to
latexmk. A prediction can make a cold build
faster, never different.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mdpaper.patterns import lazy_pattern

#: natbib and LaTeX citation commands; their mandatory argument lists keys.
_CITE = lazy_pattern(r"\\(?:[Cc]ite[a-zA-Z]*|nocite)\*?\s*(?:\[[^\]]*\]\s*){0,2}\{([^}]*)\}")
_BIBSTYLE = lazy_pattern(r"\\bibliographystyle\{([^}]*)\}")
_BIBDATA = lazy_pattern(r"\\bibliography\{([^}]*)\}")
#: Reference commands and the label fields each one shows: 0 number, 1 page, 2 title,
#: 3 anchor (the link target).
_USES = {"ref": {0, 3}, "eqref": {0, 3}, "autoref": {0, 3}, "cref": {0, 3}, "Cref": {0, 3},
         "pageref": {1, 3}, "autopageref": {1, 3}, "vref": {0, 1, 3}, "nameref": {2, 3},
         "Nameref": {1, 2, 3}}
_REFERENCE = lazy_pattern(r"\\(" + "|".join(_USES) + r")\*?\{([^}]*)\}|\\hyperref\[([^\]]*)\]")
#: Files whose contents only a later pass reads: none of them can be predicted here.
_READS_LISTS = lazy_pattern(r"\\(?:tableofcontents|listoffigures|listoftables)\b"
                            r"|\\(?:include|@input)\b|\\usepackage(?:\[[^\]]*\])?\{[^}]*"
                            r"\b(?:lastpage|zref|cleveref|varioref|minitoc|glossaries)\b")
_SECTIONS = ("section", "subsection", "subsubsection")
_BODY_TOKEN = lazy_pattern(
    r"\\(?P<sec>section|subsection|subsubsection|paragraph|subparagraph|chapter|part)\b"
    r"(?P<star>\*?)"
    r"|\\begin\{(?P<begin>[A-Za-z]+\*?)\}|\\end\{(?P<end>[A-Za-z]+\*?)\}"
    r"|\\(?P<caption>caption)\b|\\footnote\{(?:\\label\{(?P<fnlabel>[^}]*)\})?"
    r"|\\label\{(?P<label>[^}]*)\}"
    r"|\\(?P<counter>appendix|refstepcounter|stepcounter|setcounter|addtocounter|footnotemark)\b"
)
#: Environments that number each line unless told not to: after one, equation numbers
#: are no longer known.
_MULTILINE_MATH = {"align", "gather", "multline", "flalign", "alignat", "eqnarray", "xalignat"}


@dataclass
class Prediction:
    """What the first pass should find in its .aux, and what the document reads of it."""

    #: Cited keys in the order TeX writes them (``*`` for ``\\nocite{*}``).
    citations: list[str]
    bibstyle: str | None
    bibdata: str | None
    #: label -> (number, anchor)
    labels: dict[str, tuple[str, str]]
    #: label -> the fields the document shows (see ``_USES``)
    references: dict[str, set[int]]

    @property
    def bibliography(self) -> bool:
        return self.bibstyle is not None and self.bibdata is not None


def predict(tex: str) -> Prediction | None:
    """The prediction for this .tex, or None when its first pass cannot be final (a table of
    contents, a package that counts pages...)."""
    if _READS_LISTS.search(tex):
        return None
    body_at = tex.find("\\begin{document}")
    if body_at < 0:
        return None
    citations: list[str] = []
    for match in _CITE.finditer(tex):
        for key in (k.strip() for k in match.group(1).split(",")):
            if key and key not in citations:
                citations.append(key)
    references: dict[str, set[int]] = {}
    for match in _REFERENCE.finditer(tex):
        label = match.group(3) if match.group(3) is not None else match.group(2)
        used = _USES[match.group(1)] if match.group(1) else {3}
        references.setdefault(label.strip(), set()).update(used)
    style, data = _BIBSTYLE.search(tex), _BIBDATA.search(tex)
    return Prediction(citations, style.group(1).strip() if style else None,
                      data.group(1).strip() if data else None, _labels(tex[body_at:]),
                      references)


def _labels(body: str) -> dict[str, tuple[str, str]]:
    """label -> (number, anchor) as LaTeX with hyperref in an article makes them; a label
    whose counter is not known here is left out (the verification then decides)."""
    counts = {"section": 0, "subsection": 0, "subsubsection": 0, "figure": 0, "table": 0,
              "equation": 0, "footnote": 0}
    equations_known = True
    current: tuple[str, str] | None = None  # LaTeX's \@currentlabel, with its anchor
    stack: list[tuple[str, tuple[str, str] | None]] = []
    labels: dict[str, tuple[str, str]] = {}
    for m in _BODY_TOKEN.finditer(body):
        if m["counter"]:
            return labels  # counters changed by hand: nothing after this is known
        if m["sec"]:
            current = _section(m["sec"], bool(m["star"]), counts)
        elif m["begin"]:
            env = m["begin"]
            stack.append((env, current))
            if env == "equation":
                counts["equation"] += 1
                # hyperref names an equation's anchor after its section too
                anchor = f"equation.{counts['section']}.{counts['equation']}"
                current = (str(counts["equation"]), anchor) if equations_known else None
            elif env in _MULTILINE_MATH:
                equations_known = False
                current = None
        elif m["end"]:
            if stack and stack[-1][0] == m["end"]:
                current = stack.pop()[1]
        elif m["caption"]:
            kind = _float_kind(stack)
            if kind is not None:
                counts[kind] += 1
                current = (str(counts[kind]), f"{kind}.{counts[kind]}")
        elif m.group(0).startswith("\\footnote"):
            counts["footnote"] += 1
            if m["fnlabel"] and not any(env in ("minipage", "tabular") for env, _ in stack):
                labels[m["fnlabel"]] = (str(counts["footnote"]), f"Hfootnote.{counts['footnote']}")
        elif m["label"] is not None and current is not None:
            labels.setdefault(m["label"], current)
    return labels


def _section(level: str, starred: bool, counts: dict[str, int]) -> tuple[str, str] | None:
    if starred or level not in _SECTIONS:
        return None  # unnumbered: a label after it names something this does not track
    depth = _SECTIONS.index(level)
    counts[level] += 1
    for deeper in _SECTIONS[depth + 1:]:
        counts[deeper] = 0
    number = ".".join(str(counts[s]) for s in _SECTIONS[:depth + 1])
    return number, f"{level}.{number}"


def _float_kind(stack: list[tuple[str, tuple[str, str] | None]]) -> str | None:
    for env, _ in reversed(stack):
        name = env.rstrip("*")
        if name in ("figure", "table"):
            return name
        if name == "longtable":
            return "table"
    return None


def minimal_aux(prediction: Prediction) -> str:
    """The .aux BibTeX needs: the cited keys in order, the style and the database."""
    lines = ["\\relax"]
    lines += [f"\\citation{{{key}}}" for key in prediction.citations]
    lines += [f"\\bibstyle{{{prediction.bibstyle}}}", f"\\bibdata{{{prediction.bibdata}}}"]
    return "\n".join(lines) + "\n"


_BIBITEM = lazy_pattern(r"\\bibitem\s*(?:\[(?P<label>(?:[^\[\]{}]|\{[^{}]*\})*)\])?\s*"
                        r"\{(?P<key>[^}]*)\}")
_NATEXLAB = lazy_pattern(r"\{\\natexlab\{([^{}]*)\}\}")


def bibcites(bbl: str) -> list[str] | None:
    """The ``\\bibcite`` lines natbib writes for this .bbl (author-year labels
    ``Short(Year)Long``, numbered in order), or None for a label this cannot read."""
    text = re.sub(r"\s*\n\s*", " ", bbl)  # TeX reads a line end and its indent as a space
    # natbib's \bibcite is written expanded: {\natexlab{a}} becomes {a} (the .bbl's
    # definition of \natexlab)
    text = _NATEXLAB.sub(r"{\1}", text)
    lines = []
    for number, m in enumerate(_BIBITEM.finditer(text), start=1):
        label = m["label"]
        if label is None:
            return None  # a numeric-only style: natbib writes something else
        parts = re.fullmatch(r"(?P<short>[^()]*)\((?P<year>[^()]*)\)(?P<long>.*)", label)
        if parts is None:
            return None
        short, year, long = (_unbrace(parts[k]) for k in ("short", "year", "long"))
        lines.append(f"\\bibcite{{{m['key']}}}{{{{{number}}}{{{year}}}"
                     f"{{{{{short}}}}}{{{{{long}}}}}}}")
    return lines


def _unbrace(text: str) -> str:
    """A delimited macro argument that is one whole ``{...}`` group loses those braces (TeX
    does that when natbib splits ``{OpenAI}(2023)``)."""
    if len(text) >= 2 and text[0] == "{" and text[-1] == "}":
        depth = 0
        for i, ch in enumerate(text):
            depth += {"{": 1, "}": -1}.get(ch, 0)
            if depth == 0 and i < len(text) - 1:
                return text  # "{a} and {b}": two groups, kept as they are
        return text[1:-1]
    return text


#: The page labels hyperref's xdvipdfmx drivers (xelatex) keep in the .aux for the next
#: pass: arabic page numbers from the first page on, as mdpaper's templates number them
#: (a pass that writes others is not final: ``aux_check``).
PAGE_LABELS = "0<</S/D>>"


def seeded_aux(prediction: Prediction, bibcite_lines: list[str], *,
               page_labels: tuple[str, ...] = ()) -> str:
    """The .aux the first pass reads: the citations, the labels with the fields the
    document uses (the page stays empty: nothing that reads it is allowed), the
    bibliography's entries; ``page_labels``: hyperref's entries for xdvipdfmx (without
    them xelatex's pass asks for another run)."""
    lines = ["\\relax"]
    if page_labels:
        lines.append("\\providecommand*\\HyPL@Entry[1]{}")
        lines += [f"\\HyPL@Entry{{{entry}}}" for entry in page_labels]
    lines += [f"\\citation{{{key}}}" for key in prediction.citations]
    for label, (number, anchor) in prediction.labels.items():
        lines.append(f"\\newlabel{{{label}}}{{{{{number}}}{{}}{{}}{{{anchor}}}{{}}}}")
    if prediction.bibliography:
        lines += [f"\\bibstyle{{{prediction.bibstyle}}}", f"\\bibdata{{{prediction.bibdata}}}"]
    lines += bibcite_lines
    return "\n".join(lines) + "\n"


__all__ = ["PAGE_LABELS", "Prediction", "bibcites", "minimal_aux", "predict", "seeded_aux"]
