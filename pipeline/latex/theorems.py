"""Theorem-like shortcodes (``{{< lemma title="…" >}}``, ``{{% env type="proof" %}}``) as
amsthm's environments: "Lemma 3 (Forward). …" in the paper's own numbering, one counter
for all kinds as papers number them, a definition-like kind upright, a proof as amsthm's.

The page shows the statement titled by the theme; the paper shows it as a paper does.
A shortcode's ``id`` is where links to ``#id`` lead (``latex.headings`` knows it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mdpaper.latex.headings import section_label
from mdpaper.markdown.math_syntax import text_with_math
from mdpaper.markdown.shortcodes import ShortcodeCall, kind_argument, theorem_id

if TYPE_CHECKING:  # the renderer imports the handler modules that use this one
    from mdpaper.latex.renderer import LatexRenderer

#: What ``open_shortcodes`` holds for an open theorem-like shortcode (before its name).
OPEN_MARK = "theorem:"
CLOSE_THEOREM = "\\end{mdpaperstatement}"
#: \begin{mdpaperstatement}{ENVIRONMENT}{TITLE}: the environment, titled when TITLE is not
#: empty; its end ends that environment (the name kept in the environment's own group).
_WRAPPER = ("\\newenvironment{mdpaperstatement}[2]{\\def\\mdpaperthmkind{#1}"
            "\\if\\relax\\detokenize{#2}\\relax\\begin{#1}\\else\\begin{#1}[{#2}]\\fi}"
            "{\\expandafter\\end\\expandafter{\\mdpaperthmkind}}")
#: amsthm's styles: statements in italics; definitions, examples and tasks upright
_DEFINITION_STYLE = {"definition", "example", "exercise", "problem", "question",
                     "assumption", "notation", "solution", "answer"}
_REMARK_STYLE = {"remark", "observation", "fact", "note", "convention", "warning"}


def open_theorem(r: LatexRenderer, call: ShortcodeCall, kind: str) -> str:
    """The opening of ``kind``'s environment, titled as the shortcode is."""
    state = r.state
    state.use_package("amsthm")
    state.define("mdpaperstatement", _WRAPPER)
    environment = "proof" if kind == "proof" else _declare(r, kind)
    title = call.get("title") or call.get("name")
    if title is None and kind_argument(call):  # {{< theorem lemma "Title" >}}
        title = call.positional(1)
    elif title is None and call.name == kind:  # {{< lemma "Title" >}}
        title = call.positional(0)
    opening = (f"\\begin{{mdpaperstatement}}{{{environment}}}"
               f"{{{title_with_math(r, title or '', call.line)}}}")
    ident = theorem_id(call)
    return opening + (f"\\label{{{section_label(ident)}}}" if ident else "")


def title_with_math(r: LatexRenderer, title: str, line: int | None) -> str:
    """A title a shortcode's template prints as it is (``title="$n$-sphere"``): its text
    escaped, its math typeset, as the page's MathJax or KaTeX typeset it there too."""
    return r.in_argument(lambda: r.inlines(text_with_math(title, line))).strip()


def _declare(r: LatexRenderer, kind: str) -> str:
    """amsthm's environment of ``kind`` (``mdpaperthmlemma``), numbered by the one counter
    (made by whichever kind comes first: definitions are not kept in any order)."""
    style = ("definition" if kind in _DEFINITION_STYLE
             else "remark" if kind in _REMARK_STYLE else "plain")
    environment = f"mdpaperthm{kind}"
    r.state.define(environment, "\\ifcsname c@mdpaperthm\\endcsname\\else"
                                f"\\newcounter{{mdpaperthm}}\\fi\\theoremstyle{{{style}}}"
                                f"\\newtheorem{{{environment}}}[mdpaperthm]{{{kind.capitalize()}}}")
    return environment


__all__ = ["CLOSE_THEOREM", "OPEN_MARK", "open_theorem"]
