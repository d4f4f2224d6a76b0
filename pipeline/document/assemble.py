"""The whole .tex: a PyLaTeX skeleton from the template, the packages the body's
constructs declared they need, the title block from the front matter, and the rendered body.

PyLaTeX escapes everything it is given (math included), so the body and the title block,
which are already LaTeX, go in once as ``NoEscape``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from mdpaper.document.templates import Template
from mdpaper.document.templating import render
from mdpaper.latex.code import CODE_PACKAGES, STYLE_DEFINITIONS
from mdpaper.latex.escape import shield_argument
from mdpaper.model import Package, RenderResult, Requirement
from mdpaper.patterns import lazy_pattern
from mdpaper.tex.engines import ENGINES, program_comment
from mdpaper.tex.fonts import FontPlan
from mdpaper.tex.preamble_format import SHARED_PREAMBLE_END

if TYPE_CHECKING:
    from mdpaper.document.language import Language

BODY_MARK = "%%MDPAPER-BODY%%"
MAX_LIST_DEPTH = 24


@dataclass
class TitleBlock:
    """Title-block fields, already LaTeX (rendered from the front matter's Markdown)."""

    title: str
    subtitle: str | None = None
    authors: list[str] = field(default_factory=list)
    date: str | None = None
    abstract: str | None = None
    keywords: list[str] = field(default_factory=list)
    pdf_title: str = ""
    pdf_author: str = ""
    pdf_keywords: str = ""
    pdf_subject: str = ""
    #: one mapping per author for templates: name, affiliations, email, orcid … (LaTeX)
    people: list[dict[str, Any]] = field(default_factory=list)
    #: the site's title from Hugo's config (LaTeX), for running heads
    site_title: str | None = None


#: Loaded by every document, whatever its body needs (the title block and the template's
#: preamble may use them too): the fonts of the engine, then these.
ALWAYS_LOADED = ("amsmath", "amssymb", "xcolor")
_ENGINE_PACKAGES = {
    "8-bit": ["\\usepackage[T1]{fontenc}", "\\usepackage[utf8]{inputenc}",
              "\\usepackage{lmodern}", "\\usepackage{textcomp}", "\\usepackage{microtype}"],
    "unicode": ["\\usepackage{fontspec}"],
}
#: Where the body's requirements go in the preamble, whatever order the body declared them
#: in: the preamble is the key of the precompiled-format cache, so it must not change when
#: a post only moves its table above its code. Requirements not listed follow, by name.
PREAMBLE_ORDER = ("graphicx", "booktabs", "longtable", "array", "ulem", "fancyvrb", "fvextra",
                  "upquote", STYLE_DEFINITIONS, "enumitem", "framed", "mdpaperbox", "natbib")
#: natbib's options are the document's citation style, which the body does not know.
NATBIB_OPTIONS = {"numeric": "numbers,sort&compress", "author-year": "round"}
#: These load in every post, used or not. A pdflatex pass starts from a format that holds
#: the shared part of the preamble (``tex.preamble_format``), a xelatex or lualatex pass
#: from a run that loaded it while the post converted (``build.preload``); either is keyed
#: by the shared part's text, so every post of a template (and language) shares one,
#: whatever its body uses: the cold build of a post unlike the last one still starts from
#: it. Each does nothing until a construct uses it (a figure, a table, code, a
#: strike-through, a list with options, a box, a citation); loaded ahead, they cost the
#: pass nothing.
SHARED_PACKAGES = (Package("graphicx"), Package("booktabs"), Package("longtable"),
                   Package("array"), Package("ulem", "normalem"), *CODE_PACKAGES,
                   Package("enumitem"), Package("framed"), Package("natbib"))
#: Requirements that must come before hyperref (natbib) or before any font is used (the
#: pdflatex encodings of other scripts; footnotehyper, arXiv's checks want hyperref last): in
#: the shared part even when a post alone needs them. Every other requirement of the body
#: (math packages, macros, styles) follows the shared part, after hyperref: none of them
#: touches what hyperref redefines.
BEFORE_HYPERREF = frozenset({"natbib", "footnotehyper", "mdpapercyrillic", "mdpapervietnamese",
                             "mdpapercjk"})


@dataclass
class PreambleParts:
    """The preamble's package lines: the ``shared`` part (fonts, language, the packages
    above, the early requirements; then the template's preamble and hyperref follow) and the
    ``own`` part of this post's body (after the shared-preamble marker)."""

    shared: list[str]
    own: list[str]


def preamble_packages(requirements: Mapping[str, Requirement], engine: str, list_depth: int,
                      citation_style: str = "author-year", fonts: FontPlan | None = None,
                      language: Language | None = None) -> PreambleParts:
    """Package lines for what the body requires (hyperref comes later: ``HYPERREF``)."""
    if ENGINES[engine].unicode:
        shared = (fonts or FontPlan()).preamble(ENGINES[engine].xecjk, ENGINES[engine].tex_xet)
    else:
        shared = list(_ENGINE_PACKAGES["8-bit"])
    if language is not None:
        shared += language.preamble(ENGINES[engine].unicode)
    # A character the font lacks is named in the log and on the terminal (tex.glyphs).
    shared.append("\\tracinglostchars=2")
    shared += [f"\\usepackage{{{name}}}" for name in ALWAYS_LOADED]
    wanted = {name: r for name, r in requirements.items()
              if name not in {*ALWAYS_LOADED, *HYPERREF_PACKAGES}}
    for package in SHARED_PACKAGES:
        known = wanted.get(package.name)
        wanted[package.name] = (package.merged(known) if isinstance(known, Package)
                                else package)
    if isinstance(natbib := wanted.get("natbib"), Package):
        wanted["natbib"] = Package("natbib", NATBIB_OPTIONS.get(citation_style, "round"))\
            .merged(natbib)
    early = {p.name for p in SHARED_PACKAGES} | BEFORE_HYPERREF
    own: list[str] = []
    rank = {name: i for i, name in enumerate(PREAMBLE_ORDER)}
    for requirement in sorted(wanted.values(), key=lambda r: (rank.get(r.name, len(rank)),
                                                              r.name)):
        (shared if requirement.name in early else own).extend(requirement.lines())
        if requirement.name == "enumitem" and list_depth > 4:
            own.extend(_deep_lists(list_depth))
    return PreambleParts(shared, own)


#: Loaded last, after the template's own preamble (hyperref wants to come last). bookmark
#: writes the PDF outline in the pass that sees the headings; hyperref alone writes it to
#: an .out file that only the next pass reads (a cold build in one pass needs this).
HYPERREF_PACKAGES = ("xurl", "hyperref", "bookmark")
#: xurl lets a URL break after any character; a break after a separator (/ . - ? & = # _ :)
#: costs nothing and one inside a word 200, so long URLs break at sensible points while each
#: line still fills to the margin (no Overfull or Underfull box; xurl's 1mu of stretch
#: between characters stays under a badness of 30, not visible as letter-spacing).
URL_BREAKS = [
    "\\def\\UrlBreaks{" + "".join(f"\\do\\{c}" for c in
                                 "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    + "".join(f"\\do{d}" for d in "0123456789") + "}",
    "\\def\\UrlBigBreaks{\\do\\.\\do\\@\\do\\\\\\do\\/\\do\\!\\do\\_\\do\\|\\do\\;\\do\\>\\do\\]"
    "\\do\\)\\do\\,\\do\\?\\do\\&\\do\\'\\do+\\do\\=\\do\\#\\do\\:\\do\\-}",
    "\\mathchardef\\UrlBreakPenalty=200 \\mathchardef\\UrlBigBreakPenalty=0"]
#: amsmath's dots that look ahead (\\cdots \\dotsb \\dotsm \\dotso \\dotsc) stop a
#: XeLaTeX or LuaLaTeX build when a heading's formula holds one ("Improper alphabetic
#: constant" from its bookmark text, where a CJK post's "$1+\\cdots+N$ の和" goes): in
#: bookmarks they are an ellipsis.
BOOKMARK_DOTS = ("\\pdfstringdefDisableCommands{"
                 + "".join(f"\\def\\{name}{{\\textellipsis}}"
                           for name in ("cdots", "dotsb", "dotsm", "dotso", "dotsc")) + "}")
HYPERREF = ["\\usepackage{xurl}", *URL_BREAKS,
            "\\usepackage[colorlinks=true,linkcolor=blue!50!black,citecolor=blue!50!black,"
            "urlcolor=blue!60!black]{hyperref}", BOOKMARK_DOTS, "\\usepackage{bookmark}"]


def _deep_lists(depth: int) -> list[str]:
    """LaTeX stops at four list levels; enumitem can go deeper with labels per level."""
    depth = min(max(depth, 5), MAX_LIST_DEPTH)
    lines = [f"\\setlistdepth{{{depth}}}",
             f"\\renewlist{{itemize}}{{itemize}}{{{depth}}}",
             f"\\renewlist{{enumerate}}{{enumerate}}{{{depth}}}",
             "\\setlist[itemize]{label=\\textbullet}",
             "\\setlist[enumerate]{label=\\arabic*.}"]
    bullets = ["\\textbullet", "\\textendash", "\\textasteriskcentered", "\\textperiodcentered"]
    numbers = ["\\arabic*.", "(\\alph*)", "\\roman*.", "\\Alph*."]
    for level in range(1, depth + 1):
        margin = "" if level <= 4 else ",leftmargin=1.2em"
        lines.append(f"\\setlist[itemize,{level}]{{label={bullets[(level - 1) % 4]}{margin}}}")
        lines.append(f"\\setlist[enumerate,{level}]{{label={numbers[(level - 1) % 4]}{margin}}}")
    return lines


def template_context(title: TitleBlock, *, engine: str, citation_style: str) -> dict[str, Any]:
    """Every variable a template can use (README, "Templates", lists them)."""
    affiliations: list[str] = []
    for person in title.people:
        for name in person["affiliations"]:
            if name not in affiliations:
                affiliations.append(name)
    authors = []
    for i, person in enumerate(title.people):
        marks = [str(affiliations.index(a) + 1) for a in person["affiliations"]]
        authors.append({**person, "index": i + 1, "first": i == 0,
                        "last": i == len(title.people) - 1, "marks": ",".join(marks),
                        "affiliation_text": ", ".join(person["affiliations"]),
                        "affiliations": [{"index": m, "name": a} for m, a in
                                         zip(marks, person["affiliations"], strict=True)]})
    return {
        "title": title.title, "subtitle": title.subtitle, "date": title.date or "",
        "abstract": title.abstract, "keywords": ", ".join(title.keywords),
        "keyword_list": list(title.keywords), "authors": authors,
        "author_line": " \\and ".join(title.authors),
        "affiliations": [{"index": i + 1, "name": a} for i, a in enumerate(affiliations)],
        "site_title": title.site_title or "", "plain_title": title.pdf_title,
        "engine": engine, "citation_style": citation_style, "keywords_name": "Keywords",
    }


def assemble(template: Template, title: TitleBlock, result: RenderResult, *, engine: str,
             list_depth: int, citation_style: str = "author-year", fonts: FontPlan | None = None,
             language: Language | None = None) -> tuple[str, int]:
    """Return the .tex text and the line (1-based) where the body starts."""
    pdflatex = not ENGINES[engine].unicode
    if language is not None and title.date:
        date = language.date(title.date)
        title = replace(title, date=language.for_pdflatex(date) if pdflatex else date)
    context = template_context(title, engine=engine, citation_style=citation_style)
    if language is not None:
        name = language.keywords_name
        context["keywords_name"] = language.for_pdflatex(name) if pdflatex else name
    packages = preamble_packages(result.requirements, engine, list_depth, citation_style,
                                 fonts, language)
    preamble = packages.shared
    if template.preamble.strip():
        preamble.append(render(template.preamble, context, template.source,
                               template.first_lines.get("preamble", 1)).strip())
    preamble += HYPERREF
    # What follows is this post's own (metadata, title block): a precompiled preamble shared
    # by posts with the same template and packages holds only what precedes the marker.
    preamble.append(SHARED_PREAMBLE_END)
    preamble += packages.own
    preamble.append(
        "\\hypersetup{" + f"pdftitle={{{title.pdf_title}}},pdfauthor={{{title.pdf_author}}},"
        f"pdfkeywords={{{title.pdf_keywords}}},pdfsubject={{{title.pdf_subject}}}" + "}")
    preamble.append("\\setlength{\\emergencystretch}{3em}")
    preamble.append(render(template.title, context, template.source,
                          template.first_lines.get("title", 1)).strip())
    front = [render(template.front, context, template.source,
                     template.first_lines.get("front", 1)).strip()]
    head, tail = skeleton(template.documentclass, template.options, preamble, front)
    head = program_comment(engine) + head
    # The skeleton ends items with "%"; after \end{Verbatim} that would be an error.
    # (the front ends in \maketitle or the like, which hyperref lets read a [ ] argument)
    return head + shield_argument(result.body) + "\n" + tail + "\n", head.count("\n") + 1


_PLAIN_OPTION = lazy_pattern(r"[A-Za-z0-9=.,:+-]*")


def skeleton(documentclass: str, options: list[str], preamble: list[str],
             front: list[str]) -> tuple[str, str]:
    """The document around the body, as PyLaTeX's ``Document`` writes it (default packages
    off, every item a ``NoEscape``): the text before the body and the text after it.

    Written out here because importing PyLaTeX costs more (inspect, ast, uuid and more:
    about 50 ms) than converting a 50 KB post; tests/latex/test_fast_paths.py checks the output
    is PyLaTeX's, byte for byte. Class names or options PyLaTeX would escape go through
    PyLaTeX itself.
    """
    if not all(_PLAIN_OPTION.fullmatch(x) for x in [documentclass, *options]):
        return _pylatex_skeleton(documentclass, options, preamble, front)
    opts = f"[{','.join(options)}]" if options else ""
    head = f"\\documentclass{opts}{{{documentclass}}}%\n%\n%\n"
    head += "%\n".join(preamble) + "%\n%\n"
    head += "\\begin{document}%\n\\normalsize%\n" + "".join(f + "%\n" for f in front)
    return head, "%\n\\end{document}"


def _pylatex_skeleton(documentclass: str, options: list[str], preamble: list[str],
                      front: list[str]) -> tuple[str, str]:
    from pylatex import Document, NoEscape  # lazy: ~50 ms, only for unusual class names

    doc = Document(documentclass=documentclass, document_options=options or None,
                   fontenc=None, inputenc=None, lmodern=False, textcomp=False,
                   microtype=False, page_numbers=True, indent=None)
    # page_numbers=False would set \pagestyle{empty}; True adds lastpage, which we never use.
    doc.packages.clear()
    for line in preamble:
        doc.preamble.append(NoEscape(line))
    for item in [*front, BODY_MARK]:
        doc.append(NoEscape(item))
    head, tail = doc.dumps().split(BODY_MARK, 1)
    return head, tail
