"""Algorithms pseudocode.js draws on the page, set by LaTeX's algorithm and algorithmic.

pseudocode.js draws the text of a ``<pre class="pseudocode">``: ``\\begin{algorithm}`` with
a ``\\caption`` around ``\\begin{algorithmic}`` (or an algorithmic alone), numbered lines
where the tag says ``data-line-number=true``. Its commands are those of the algorithms
bundle's ``algorithmic`` (``\\STATE``, ``\\IF``…``\\ENDIF``, ``\\WHILE``, ``\\REQUIRE``,
``\\AND``…), and a few more defined here as pseudocode.js shows them (``\\PROCEDURE``,
``\\FUNCTION``, ``\\INPUT``, ``\\OUTPUT``, ``\\CALL``, ``\\BREAK``, ``\\CONTINUE``). Without
the library the page would show the source as preformatted text; the class is the
library's documented hook (or a site's own class ending in ``-pseudocode``, which its
script hands to the library), so the paper draws the algorithm.

The source runs in TeX, so it is checked as a TikZ picture is (``latex.tikz.refused``);
each of its lines carries its post line, so a TeX error is told there.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from mdpaper.latex.tikz import marked_lines, refused
from mdpaper.patterns import lazy_pattern

if TYPE_CHECKING:  # the renderer imports the handler modules that use this one
    from mdpaper.latex.renderer import LatexRenderer

#: the packages an algorithm loads (after hyperref, with the post's own: algorithm must
#: come after it, and algorithmic touches nothing hyperref redefines)
PACKAGES = ("algorithm", "algorithmic")
#: pseudocode.js's commands that algorithmic lacks, as the library shows them
DEFINITIONS = (
    "\\makeatletter"
    "\\newenvironment{ALC@mdpaperblock}{\\begin{ALC@g}}{\\end{ALC@g}}"
    "\\providecommand{\\PROCEDURE}[2]{\\ALC@it\\textbf{procedure} \\textsc{#1}(#2)"
    "\\begin{ALC@mdpaperblock}}"
    "\\providecommand{\\ENDPROCEDURE}{\\end{ALC@mdpaperblock}\\ALC@it\\textbf{end procedure}}"
    "\\providecommand{\\FUNCTION}[2]{\\ALC@it\\textbf{function} \\textsc{#1}(#2)"
    "\\begin{ALC@mdpaperblock}}"
    "\\providecommand{\\ENDFUNCTION}{\\end{ALC@mdpaperblock}\\ALC@it\\textbf{end function}}"
    "\\providecommand{\\INPUT}{\\item[\\textbf{Input:}]}"
    "\\providecommand{\\OUTPUT}{\\item[\\textbf{Output:}]}"
    "\\providecommand{\\CALL}[2]{\\textsc{#1}(#2)}"
    "\\providecommand{\\BREAK}{\\STATE\\textbf{break}}"
    "\\providecommand{\\CONTINUE}{\\STATE\\textbf{continue}}"
    "\\providecommand{\\DOWNTO}{\\textbf{downto}}"
    "\\makeatother")
_ENVIRONMENT = lazy_pattern(r"\\(begin|end)\s*\{([^{}]*)\}")
_FORMULA = lazy_pattern(r"(?<!\\)\$[^$]*(?<!\\)\$|\\\([\s\S]*?\\\)")
_ALLOWED = {"algorithm", "algorithmic"}
_ALGORITHMIC = lazy_pattern(r"\\begin\s*\{algorithmic\}(?!\s*\[)")
_FLOAT = lazy_pattern(r"\\begin\s*\{algorithm\}(?!\s*\[)")
#: a line break right after a label (``\REQUIRE \\`` then the inputs on lines of their own):
#: pseudocode.js breaks there, LaTeX finds "no line here to end" after an \item's label
_LABEL_BREAK = lazy_pattern(r"(\\(?:REQUIRE|ENSURE|INPUT|OUTPUT)\b\s*)\\\\")


#: the library's class, or a site's own for it (a theme's shortcode writes
#: ``<pre class="shortcode-pseudocode">`` and has its script render that class)
_CLASS = lazy_pattern(r"(?:[\w-]*[-_])?pseudocode")


def is_pseudocode(tag: str, attrs: dict[str, str]) -> bool:
    """Whether an HTML element is one pseudocode.js draws."""
    return tag == "pre" and any(_CLASS.fullmatch(c) for c in attrs.get("class", "").split())


def pseudocode_algorithm(r: LatexRenderer, source: str, line: int,
                         attrs: dict[str, str]) -> str:
    """The algorithm of a ``<pre class="pseudocode">`` whose text starts at post line
    ``line``; "" (with a located error) where its source may not run."""
    # (an environment in a formula, a cases array, is KaTeX's: the library renders it)
    masked = _FORMULA.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), source)
    for m in _ENVIRONMENT.finditer(masked):
        if m.group(2).strip() not in _ALLOWED:
            r.state.diag.error(f"pseudocode.js draws algorithm and algorithmic only, not "
                               f"\\{m.group(1)}{{{m.group(2)}}}",
                               line + source.count("\n", 0, m.start()), tex_safe=True)
            return ""
    if refused(r, source, line, "an algorithm"):
        return ""
    for package in PACKAGES:
        r.state.use_package(package)
    r.state.define("pseudocode", DEFINITIONS)
    numbered = attrs.get("data-line-number", "").strip().lower() == "true"
    body = _ALGORITHMIC.sub(lambda m: m.group(0) + ("[1]" if numbered else ""), source)
    body = _FLOAT.sub(lambda m: m.group(0) + "[H]", body)  # where it stands, as on the page
    body = _LABEL_BREAK.sub(lambda m: m.group(1) + "\\mbox{}\\\\", body)
    if "\\begin{algorithm}" not in body.replace(" ", ""):
        body = f"\\par\\medskip\n{body}\n\\par\\medskip"
    return marked_lines(body, line)
