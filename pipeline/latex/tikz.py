"""TikZ pictures the page's TikZJax draws, drawn by TeX's own TikZ in the paper.

TikZJax draws the text of a ``<script type="text/tikz">`` (raw HTML, or what a site's
``tikz``/``tikzjax`` shortcode template writes; without a template mdpaper reads such a
shortcode as TikZJax's). It reads ``\\usepackage``/``\\usetikzlibrary`` lines before the
picture, an optional ``\\begin{document}``, and the script's ``data-tex-packages`` (JSON:
package -> options) and ``data-tikz-libraries``. Here those become preamble packages, from
the allow-lists below only, and the picture is set centred where it stands (inline where a
one-line picture stands in a line of text).

The source runs in TeX, so it is checked as math is (``latex.math_safety``), with what TikZ
adds: plots read from files or made by programs, externalised pictures, definitions that
outlive the picture or replace what the document relies on. Each line of the picture carries
its post line (the renderer's line sentinel), so a TeX error inside it is told there.
"""

from __future__ import annotations

import difflib
import json
import re
from typing import TYPE_CHECKING, Any

from mdpaper.latex.figures import FIGURE_HERE, FIGURE_HERE_ENVIRONMENT, parse_inline_markdown
from mdpaper.latex.headings import link_target
from mdpaper.latex.line_marks import line_mark
from mdpaper.latex.math_rewrite import PROTECTED
from mdpaper.latex.math_safety import FORBIDDEN_IN_MATH, math_groups_problem
from mdpaper.patterns import lazy_pattern

if TYPE_CHECKING:  # the renderer imports the handler modules that use this one
    from mdpaper.latex.renderer import LatexRenderer

Token = dict[str, Any]

#: Packages a picture may ask for: TikZJax's own set, and TikZ's best-known companions.
PACKAGES = frozenset({
    "tikz", "pgf", "tikz-cd", "pgfplots", "pgfplotstable", "circuitikz", "chemfig",
    "tikz-3dplot", "tkz-euclide", "amsmath", "amssymb", "amsfonts", "amstext", "array",
    "xcolor"})
#: TikZ libraries of TeX Live's pgf (and tikz-cd's ``cd``); not ``external`` (it writes
#: files and runs TeX) nor ``graphdrawing`` (LuaTeX only).
_LIBRARY_NAMES = (
    "angles arrows arrows.meta arrows.spaced automata babel backgrounds bending calc "
    "calendar cd chains circuits circuits.ee circuits.ee.IEC circuits.logic "
    "circuits.logic.CDH circuits.logic.IEC circuits.logic.US datavisualization "
    "datavisualization.formats.functions decorations decorations.footprints "
    "decorations.fractals decorations.markings decorations.pathmorphing "
    "decorations.pathreplacing decorations.shapes decorations.text er fadings fit "
    "fixedpointarithmetic folding fpu graphs intersections lindenmayersystems math matrix "
    "mindmap patterns patterns.meta perspective petri plotmarks positioning quotes "
    "rdf scopes shadings shadows shadows.blur shapes shapes.arrows shapes.callouts "
    "shapes.gates.logic.IEC shapes.gates.logic.US shapes.geometric shapes.misc "
    "shapes.multipart shapes.symbols spy svg.path through topaths trees turtle views "
    "3d")
LIBRARIES = frozenset(_LIBRARY_NAMES.split())
_PGFPLOTS_LIBRARY_NAMES = ("colorbrewer colormaps dateplot decorations.softclip "
                           "fillbetween groupplots patchplots polar smithchart "
                           "statistics ternary units")
PGFPLOTS_LIBRARIES = frozenset(_PGFPLOTS_LIBRARY_NAMES.split())
_DECLARATION = lazy_pattern(r"\\(usepackage|RequirePackage|usetikzlibrary|usepgfplotslibrary|"
                            r"documentclass)\s*(?:\[([^\]]*)\])?\s*\{([^{}]*)\}")
_DOCUMENT = lazy_pattern(r"\\(?:begin|end)\s*\{document\}")
_OPTIONS = lazy_pattern(r"[\w\s=.,:+-]*")
#: Beyond math's list: what outlives the picture's group or changes how TeX runs, and
#: TikZ's and pgfplots' ways to read or write files and run programs.
_FORBIDDEN = lazy_pattern(
    r"\\(global|gdef|xdef|aftergroup|afterassignment|batchmode|nonstopmode|scrollmode|"
    r"errorstopmode|primitive|pdfprimitive|everyjob|everyeof|pgfplotstableread|"
    r"pgfplotstablesave|pgfplotstabletypeset|tikzexternalize|tikzsetnextfilename|"
    r"tikzexternalenable|pgfimage|pgfdeclareimage|includegraphics|pgfutil@[A-Za-z@]*|"
    r"outer|shipout)(?![A-Za-z@])"
    r"|(?<![\\A-Za-z])(file|gnuplot|shell)\s*(?:\[[^\]]*\])?\s*\{"
    r"|(?<![\\A-Za-z])table\s*(?:\[[^\]]*\])?\s*\{(?![^{}]*(?:\n|\\\\))")
_DEFINITION = lazy_pattern(r"\\(?:def|edef|let|futurelet|newcommand|renewcommand|"
                           r"providecommand|DeclareMathOperator)\*?\s*\{?\s*\\([A-Za-z]+)")
#: What the picture itself and the rest of the document rely on, besides math's.
_PROTECTED = PROTECTED | {"tikzpicture", "endtikzpicture", "tikz", "draw", "path", "node",
                          "fill", "filldraw", "shade", "clip", "coordinate", "foreach",
                          "tikzset", "pgfkeys", "pgfmathparse", "tikzcd", "endtikzcd",
                          "arrow", "ar", "addplot", "usepackage", "enddocument", "endcenter",
                          "center", "endgroup", "begingroup", "bgroup", "egroup", "caption"}
_GROUP = lazy_pattern(r"\\(begingroup|bgroup)(?![A-Za-z])|\\(endgroup|egroup)(?![A-Za-z])")
_COMMENT = lazy_pattern(r"(?<!\\)((?:\\\\)*)%[^\n]*")


def tikz_shortcode(r: LatexRenderer, tok: Token, *, block: bool) -> str:
    """A ``tikz``/``tikzjax`` shortcode with no template mdpaper reads: its inner text is
    TikZJax's source (a ``caption`` and an ``id``, as themes' tikz shortcodes take them)."""
    call = tok["call"]
    line = call.line or r.state.line or 1
    inner: str = tok.get("inner", "")
    if not block and "\n" not in inner.strip():
        return tikz_picture(r, inner.strip(), line)
    picture = tikz_picture(r, inner, line)
    if not picture:
        return ""
    caption = call.get("caption")
    target = link_target(call.get("id"), r.state.placed_targets)
    if not caption:
        return target + _centred(r, picture, line + inner.count("\n"))
    r.state.define(FIGURE_HERE, FIGURE_HERE_ENVIRONMENT)
    picture = _fitted(r, picture)
    shown = r.in_argument(lambda: r.inlines(parse_inline_markdown(r, caption, line)))
    r.state.figure_count += 1
    return (f"\\begin{{{FIGURE_HERE}}}{target}\n{picture}\n"
            f"{line_mark(line + inner.count(chr(10)))}\\caption{{{shown.strip()}}}"
            f"\\label{{fig:{r.state.figure_count}}}\n\\end{{{FIGURE_HERE}}}")


def tikz_script(r: LatexRenderer, text: str, line: int, attrs: dict[str, str]) -> str:
    """A ``<script type="text/tikz">``'s picture, its text starting at post line ``line``
    (its attributes name more packages and libraries)."""
    declared: list[tuple[str, str, str]] = []
    try:
        packages = json.loads(attrs.get("data-tex-packages") or "{}")
        if not isinstance(packages, dict):
            raise ValueError
    except ValueError:
        r.state.diag.error("the TikZ script's data-tex-packages is no JSON object "
                           "(package name -> options), as TikZJax reads it", line)
        return ""
    declared += [("usepackage", str(options or ""), name) for name, options in packages.items()]
    libraries = attrs.get("data-tikz-libraries") or ""
    declared += [("usetikzlibrary", "", libraries)] if libraries.strip() else []
    if not _declare(r, declared, line):
        return ""
    if "\n" not in text:  # TikZJax's picture stands in the script's place
        return tikz_picture(r, text.strip(), line)
    picture = tikz_picture(r, text, line)
    return _centred(r, picture, line + text.count("\n")) if picture else ""


def _centred(r: LatexRenderer, picture: str, after: int) -> str:
    return f"\\begin{{center}}\n{_fitted(r, picture)}\n{line_mark(after)}\\end{{center}}"


def _fitted(r: LatexRenderer, picture: str) -> str:
    """The picture shrunk to the text's width where it is wider (a page's SVG shrinks to its
    column; TeX would set it into the margin and off the page)."""
    r.state.use_package("adjustbox")
    return f"\\begin{{adjustbox}}{{max width=\\linewidth}}\n{picture}\n\\end{{adjustbox}}"


def tikz_picture(r: LatexRenderer, source: str, line: int) -> str:
    """TikZJax's ``source`` (starting at post line ``line``) as LaTeX lines that carry their
    post lines, its declarations in the preamble; "" (with a located error) where it is
    refused."""
    body = _COMMENT.sub(r"\1%", source)  # (a comment hides nothing from the check)
    declared = [(m.group(1), m.group(2) or "", m.group(3)) for m in _DECLARATION.finditer(body)]
    declared_at = [line + body.count("\n", 0, m.start()) for m in _DECLARATION.finditer(body)]
    for item, at in zip(declared, declared_at, strict=True):
        if not _declare(r, [item], at):
            return ""
    body = _DECLARATION.sub(_blank, body)
    body = _DOCUMENT.sub("", body)
    if refused(r, body, line, "a TikZ picture"):
        return ""
    r.state.use_package("tikz")
    return marked_lines(body, line)


def refused(r: LatexRenderer, body: str, line: int, what: str) -> bool:
    """Whether ``body`` (starting at post line ``line``) may not run in TeX (``_refusal``),
    told at its line as an error about ``what`` ("a TikZ picture")."""
    found = _refusal(body)
    if found:
        message, pos = found
        r.state.diag.error(f"{what} may not {message}", line + body.count("\n", 0, pos),
                           tex_safe=True)
    return found is not None


def marked_lines(body: str, line: int) -> str:
    """``body``'s lines, each with the line mark of its post line (``body`` starts at post
    line ``line``; the empty lines before its first are dropped)."""
    lead = len(body) - len(body.lstrip("\n"))
    lines = body.strip("\n").split("\n")
    return "\n".join(line_mark(line + lead + i) + text for i, text in enumerate(lines))


def _blank(m: re.Match[str]) -> str:
    return "\n" * m.group(0).count("\n")


def _declare(r: LatexRenderer, declared: list[tuple[str, str, str]], line: int) -> bool:
    """Put what the picture declares in the preamble; False (with a located error) where
    it names a package or library that is not on the allow-lists."""
    for kind, options, names in declared:
        if kind == "documentclass":
            continue  # (TikZJax's standalone document: the paper has its own class)
        known, what = {"usetikzlibrary": (LIBRARIES, "TikZ library"),
                       "usepgfplotslibrary": (PGFPLOTS_LIBRARIES, "pgfplots library")}.get(
                           kind, (PACKAGES, "package"))
        for name in (n.strip() for n in names.split(",")):
            if not name:
                continue
            if name not in known or not _OPTIONS.fullmatch(options):
                close = difflib.get_close_matches(name, sorted(known), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close and name not in known else ""
                problem = "its options" if name in known else f"'{name}'"
                r.state.diag.error(f"a TikZ picture asks for {what} {problem}, which mdpaper "
                                   f"does not load for TikZ pictures{hint}", line)
                return False
            if kind == "usetikzlibrary":
                r.state.use_package("tikz", setup=(f"\\usetikzlibrary{{{name}}}",))
            elif kind == "usepgfplotslibrary":
                r.state.use_package("pgfplots", setup=(f"\\usepgfplotslibrary{{{name}}}",))
            else:
                r.state.use_package(name, options.strip())
    return True


def _refusal(body: str) -> tuple[str, int] | None:
    """Why a source the post gives TeX to run (a TikZ picture, an algorithm) may not run,
    and where; None when it may."""
    if "^^" in body:
        return "use ^^ character codes (TeX reads ^^5c as a backslash)", body.index("^^")
    m = FORBIDDEN_IN_MATH.search(body) or _FORBIDDEN.search(body)
    if m:
        word = m.group(0).rstrip("{[ \t\n")
        return (f"use {word} (it reads or writes files, runs programs, or reaches beyond "
                "the picture)", m.start())
    for m in _DEFINITION.finditer(body):
        if m.group(1) in _PROTECTED:
            return f"redefine \\{m.group(1)} (the picture or the document relies on it)", \
                m.start()
    grouped = _GROUP.sub(lambda m: "{" if m.group(1) else "}", body)
    unpaired = math_groups_problem(grouped)
    if unpaired:
        return unpaired.replace("has ", "have ", 1), len(body) - len(body.lstrip())
    return None
