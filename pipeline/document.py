"""The whole .tex: a PyLaTeX skeleton from the template, packages chosen from the features
the body uses, the title block from the front matter, and the rendered body.

PyLaTeX escapes everything it is given (math included), so the body and the title block,
which are already LaTeX, go in once as ``NoEscape``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from mdpaper.errors import MdpaperError
from mdpaper.model import RenderResult

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
BODY_MARK = "%%MDPAPER-BODY%%"
MAX_LIST_DEPTH = 24


@dataclass
class Template:
    name: str
    documentclass: str = "article"
    options: list[str] = field(default_factory=list)
    preamble: str = ""


def load_template(name_or_path: str = "article") -> Template:
    folder = Path(name_or_path)
    if not (folder / "template.toml").is_file():
        folder = TEMPLATES_DIR / name_or_path
    spec = folder / "template.toml"
    if not spec.is_file():
        known = sorted(p.name for p in TEMPLATES_DIR.iterdir() if (p / "template.toml").is_file())
        raise MdpaperError(f"unknown template '{name_or_path}' (known: {', '.join(known)})")
    try:
        data = tomllib.loads(spec.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise MdpaperError(f"cannot read template: {exc}", spec) from None
    return Template(name=folder.name, documentclass=data.get("documentclass", "article"),
                    options=list(data.get("options", [])), preamble=data.get("preamble", ""))


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


def preamble_packages(features: set[str], engine: str, list_depth: int) -> list[str]:
    """Package lines, in an order that works: hyperref last but for what must follow it."""
    from mdpaper.latex.code import style_definitions

    lines = []
    if engine == "pdflatex":
        lines += ["\\usepackage[T1]{fontenc}", "\\usepackage[utf8]{inputenc}",
                  "\\usepackage{lmodern}", "\\usepackage{textcomp}", "\\usepackage{microtype}"]
    else:
        lines += ["\\usepackage{fontspec}"]
    lines += ["\\usepackage{amsmath}", "\\usepackage{amssymb}", "\\usepackage{xcolor}"]
    if "graphics" in features:
        lines.append("\\usepackage{graphicx}")
    if "table" in features:
        lines += ["\\usepackage{booktabs}", "\\usepackage{longtable}", "\\usepackage{array}"]
    if "strike" in features:
        lines.append("\\usepackage[normalem]{ulem}")
    if "code" in features:
        lines += ["\\usepackage{fancyvrb}", "\\usepackage{fvextra}",
                  "\\fvset{breaklines=true,fontsize=\\small}", "\\usepackage{upquote}",
                  style_definitions().strip()]
    if "lists" in features:
        lines.append("\\usepackage{enumitem}")
        if list_depth > 4:
            lines += _deep_lists(list_depth)
    if "boxes" in features:
        lines += ["\\usepackage{framed}",
                  "\\newenvironment{mdpaperbox}[1]{\\begin{framed}\\noindent\\textbf{#1.}\\ }"
                  "{\\end{framed}}"]
    if "cite" in features:
        lines.append("\\usepackage[round]{natbib}")
    lines += ["\\usepackage{xurl}",
              "\\usepackage[colorlinks=true,linkcolor=blue!50!black,citecolor=blue!50!black,"
              "urlcolor=blue!60!black]{hyperref}"]
    return lines


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


def assemble(template: Template, title: TitleBlock, result: RenderResult, *, engine: str,
             list_depth: int) -> tuple[str, int]:
    """Return the .tex text and the line (1-based) where the body starts."""
    from pylatex import Command, Document, NoEscape

    doc = Document(documentclass=template.documentclass,
                   document_options=template.options or None,
                   fontenc=None, inputenc=None, lmodern=False, textcomp=False,
                   microtype=False, page_numbers=True, indent=None)
    # page_numbers=False would set \pagestyle{empty}; True adds lastpage, which we never use.
    doc.packages.clear()
    for line in preamble_packages(result.features, engine, list_depth):
        doc.preamble.append(NoEscape(line))
    if template.preamble.strip():
        doc.preamble.append(NoEscape(template.preamble.strip()))
    doc.preamble.append(NoEscape(
        "\\hypersetup{" + f"pdftitle={{{title.pdf_title}}},pdfauthor={{{title.pdf_author}}},"
        f"pdfkeywords={{{title.pdf_keywords}}}" + "}"))
    doc.preamble.append(NoEscape("\\setlength{\\emergencystretch}{3em}"))
    heading = title.title
    if title.subtitle:
        heading += "\\\\[0.3em]\\large " + title.subtitle
    doc.preamble.append(Command("title", NoEscape(heading)))
    doc.preamble.append(Command("author", NoEscape(" \\and ".join(title.authors))))
    doc.preamble.append(Command("date", NoEscape(title.date or "")))
    doc.append(NoEscape("\\maketitle"))
    if title.abstract:
        doc.append(NoEscape("\\begin{abstract}\n" + title.abstract + "\n\\end{abstract}"))
    if title.keywords:
        doc.append(NoEscape("\\noindent\\textbf{Keywords:} " + ", ".join(title.keywords)
                            + "\n\\medskip"))
    doc.append(NoEscape(BODY_MARK))
    text = doc.dumps()
    head, tail = text.split(BODY_MARK, 1)
    # PyLaTeX ends items with "%"; after \end{Verbatim} that would be an error.
    return head + result.body + "\n" + tail + "\n", head.count("\n") + 1
