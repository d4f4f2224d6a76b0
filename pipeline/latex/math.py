"""Math, passed through to LaTeX as written (MathJax and LaTeX read the same source), after
checks: nothing that reads or writes files or changes how TeX reads input, and braces and
environments that pair up (the math sits inside other macros' arguments)."""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import TYPE_CHECKING, Any

from mdpaper.latex.math_arguments import braced_scripts, missing_argument
from mdpaper.latex.math_arrays import lift_inner_tag
from mdpaper.latex.math_macros import EXTRA_NAMES, PACKAGE_OPTIONS
from mdpaper.latex.math_names import LATEX_MATH_NAMES
from mdpaper.latex.math_rewrite import (
    PROTECTED,
    extract_definitions,
    rewrite,
    unknown_words,
    without_comments,
)
from mdpaper.latex.math_safety import math_groups_problem, refusal
from mdpaper.latex.math_unicode import spell_math_unicode
from mdpaper.latex.math_web_names import KATEX_NAMES
from mdpaper.latex.state import forget_errors_since
from mdpaper.markdown.goldmark_escape import goldmark_math
from mdpaper.markdown.math_syntax import INNER_MATH_ENVS
from mdpaper.patterns import lazy_pattern
from mdpaper.tex.fonts import is_cjk

if TYPE_CHECKING:  # the renderer imports this module for its handler table
    from mdpaper.latex.renderer import LatexRenderer

Token = dict[str, Any]

#: control words math may use without the post defining them: LaTeX's, the extras mdpaper
#: defines, and every one KaTeX renders (a formula the page shows is never refused here)
KNOWN_NAMES = LATEX_MATH_NAMES | EXTRA_NAMES | KATEX_NAMES

_PERCENT = lazy_pattern(r"(?<!\\)%")
#: a line of nothing but spaces in a formula
_BLANK_LINE = lazy_pattern(r"\n[ \t]*(?=\n)")

def inline_math(r: LatexRenderer, tok: Token) -> str:
    if tok.get("web_broken"):
        return _cut_by_goldmark(r, tok)
    return _inline_math(r, tok)


def _cut_by_goldmark(r: LatexRenderer, tok: Token) -> str:
    """A formula Goldmark's code or emphasis cut, whose text the page shows: set as the
    formula the author meant where it is one, else as that text (``$`` pairs across a
    regular expression's ``\\d{3}$`` and a later price are no formula: TeX stopped)."""
    told = len(r.state.diag.items)
    formula = _inline_math(r, tok)
    if not forget_errors_since(r.state, told):
        return formula
    written = tok.get("as_written") or tok["raw"]
    return r.escape("$" + written + "$", typographic=False)


def _inline_math(r: LatexRenderer, tok: Token) -> str:
    if _whole_environment(tok["raw"].strip()):
        # $ \begin{align}…\end{align} $: MathJax sets it as the display it is; inside \( \)
        # amsmath stops ("allowed only in paragraph mode")
        return block_math_in_line(r, {**tok, "env": True})
    use_amsmath(r)
    line = tok.get("_line") or r.state.line
    return "\\(" + checked_math(r, _page_math(r, tok, line), line) + "\\)"


#: MathJax and KaTeX set matrices of any width; amsmath stops at 10 columns ("Extra
#: alignment tab has been changed to \cr")
_MATRIX_COLUMNS = "\\setcounter{MaxMatrixCols}{64}"


def use_amsmath(r: LatexRenderer) -> None:
    if _MATRIX_KEY in r.state.requirements:  # every formula asks again: the fast answer
        return
    r.state.use_package("amsmath")
    r.state.define(_MATRIX_KEY, _MATRIX_COLUMNS)


_MATRIX_KEY = "amsmath matrix columns"


def _page_math(r: LatexRenderer, tok: Token, line: int | None) -> str:
    """The formula's text as the page's MathJax gets it. Without passthrough, Goldmark may
    have broken it (its markup cut the formula; ``\\\\`` became ``\\``, ``\\{`` ``{``): the
    page shows no formula or a red error, and the paper sets what the author wrote, saying so."""
    if tok.get("web_broken"):
        r.state.diag.warn(f"the web page shows this math as text: {tok['web_broken']} "
                          "(escape it with a backslash, or enable Hugo's passthrough "
                          "extension)", line)
    if tok.get("shortcode_math") and r.state.open_shortcodes and r.state.ctx.math_as_markdown:
        # a math shortcode inside a box whose template renders its content as Markdown:
        # Goldmark reads the formula there before MathJax does (authors escape for it)
        tok = {**tok, "raw": goldmark_math(tok["raw"])[0]}
    written = tok.get("as_written")
    if written is not None and _escapes_broke(tok["raw"]) and not _escapes_broke(written):
        r.state.diag.warn("the web page shows this formula broken: without Hugo's passthrough "
                          "extension Goldmark reads its backslashes as escapes (\\\\ becomes "
                          "\\, \\{ becomes {, \\_ becomes _); the PDF sets it as written "
                          "(write \\\\\\\\, \\\\{ and \\\\_, or enable passthrough)", line)
        return written
    meant = tok.get("meant")
    raw = tok["raw"]
    # (\\{ … \\} is a pair of escaped braces: a row break then a group's end is no TeX)
    if (meant is not None and (_escapes_broke(raw) or ("\\\\{" in raw and "\\\\}" in raw))
            and not _escapes_broke(meant)):
        r.state.diag.warn("the web page shows this formula broken: it is written for Hugo "
                          "without the passthrough extension (\\\\{ for a brace), but the "
                          "site passes math through as it is; the PDF sets it as meant", line)
        return meant
    if "#" in raw and _BARE_HASH.search(raw) and not _DEFINING.search(raw):
        r.state.diag.warn("the web page shows this formula in red (a # there is a macro "
                          "parameter to KaTeX and MathJax); the PDF sets it as #", line)
        return _BARE_HASH.sub(r"\\#", raw)
    return raw


#: What Goldmark's escapes leave that TeX cannot set: a row break become a control space
#: beside alignment tabs, a brace become a delimiter \left or \right cannot take.
_LOST_ROW_BREAK = lazy_pattern(r"(?<!\\)\\(?=\s)")
_LOST_DELIMITER = lazy_pattern(r"\\(?:left|right|[bB]igg?[lrm]?)\s*(?:[{}]|\\\\)")
#: underscores or carets one after another (``\_\_\_``, blanks to fill in, left as
#: ``___``): a double subscript to MathJax (shown in red) and TeX ("Missing { inserted")
_DOUBLE_SCRIPT = lazy_pattern(r"(?<!\\)_\s*_|(?<!\\)\^\s*\^")


#: a # that is no macro parameter (``\\#E`` Goldmark left as ``#E``) nor starts a colour
#: (``\\color{#f00}``, ``\\bbox[#ff0]``)
_BARE_HASH = lazy_pattern(r"(?<!\\)#(?![1-9#]|[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?[}\],])")


def _escapes_broke(text: str) -> bool:
    if "&" in text and _LOST_ROW_BREAK.search(text):
        return True
    if "#" in text and _BARE_HASH.search(text):
        return True
    return bool(_LOST_DELIMITER.search(text) or _DOUBLE_SCRIPT.search(text)
                or refusal(text))


def block_math_in_line(r: LatexRenderer, tok: Token) -> str:
    """Display math inside a paragraph; in a table cell or another argument, where a
    display cannot go, the formula in display style (as KaTeX sets it there)."""
    if r.state.in_argument and not tok.get("env"):
        line = tok.get("_line") or r.state.line
        use_amsmath(r)
        return "\\(\\displaystyle " + checked_math(r, _page_math(r, tok, line), line) + "\\)"
    display = display_math(r, tok)
    if not display:  # (nothing to set: no line of its own either)
        return ""
    if r.in_ulem():  # a display cannot go in the \mbox that \sout needs
        return "\\begin{minipage}{\\linewidth}" + display + "\\end{minipage}"
    return "\n" + display + "\n"


def checked_math(r: LatexRenderer, raw: str, line: int | None) -> str:
    """``raw`` made safe and LaTeX: refused constructs are located errors (and give "").

    Posts repeat their formulas ($x$, $p(x)$...): a formula whose conversion changed
    nothing in the document's state (no warning, package, definition or macro: all of
    those happened at its first occurrence, or never) gives the same LaTeX next time, so
    it is converted once per document and set of the post's own macros."""
    state = r.state
    key = (raw, len(state.math_macros))
    known = state.formula_memo.get(key)
    if known is not None:
        return known
    before = state.footprint()
    math = _checked_math(r, raw, line)
    # (a definition met again must be made again: the last one made is the preamble's)
    if state.footprint() == before and not _DEFINING.search(raw):
        state.formula_memo[key] = math
    return math


def _checked_math(r: LatexRenderer, raw: str, line: int | None) -> str:
    # KaTeX's (and TeX's) other group delimiters, which pair with braces there
    raw = _SEMISIMPLE.sub(lambda m: "{" if m.group(1) == "begin" else "}", raw)
    refused = refusal(raw)
    if refused:  # the formula is left out, so the .tex is still safe to compile
        r.state.diag.error(refused, line, tex_safe=True)
        return ""
    raw, definitions = extract_definitions(without_comments(raw))
    if "\n" in raw:  # (a definition's line taken out) MathJax and KaTeX read on; TeX would
        raw = _BLANK_LINE.sub("", raw)  # end the paragraph in the formula
    state = r.state
    for definition in definitions:
        if definition.name in PROTECTED:
            state.diag.error(f"math may not redefine \\{definition.name} (the document "
                             "uses it outside math)", line)
            return ""
        state.math_macros.add(definition.name)
    # (\let\oldhat\hat names a command without using it)
    lacking = None if _DEFINING.search(raw) else missing_argument(
        raw, state.math_macros | state.ctx.template_macros)
    if lacking:  # the page shows an error there too; TeX's own would be far off
        state.diag.error(lacking, line, tex_safe=True)
        return ""
    unknown = _unknown_macros(r, raw + "".join(d.text for d in definitions), line)
    if unknown:
        # a placeholder after \\let or \\edef would redefine \\mbox: the formula goes
        if _DEFINING.search(raw) or any(_word(name).search(d.text) for name in unknown
                                        for d in definitions):
            return ""
        # the name, shown as written: TeX still sets the formula and finds its other errors
        for name in unknown:
            raw = _word(name).sub(_placeholder(name).replace("\\", "\\\\"), raw)
    for definition in definitions:
        body = _rewritten(r, definition.text, line)
        # After every package: a post's definition may build on one of them.
        state.define(f"~math {definition.name}", body)
    raw = _rewritten(r, raw, line)
    raw = spell_math_unicode(raw, state.escape.character, lambda ch: _unknown_char(r, ch, line))
    # A comment character would swallow the closing delimiter.
    return _PERCENT.sub(r"\\%", raw) if "%" in raw else raw


_SEMISIMPLE = lazy_pattern(r"\\(begin|end)group(?![A-Za-z])")


def _unknown_macros(r: LatexRenderer, raw: str, line: int | None) -> list[str]:
    """Report control words TeX would not know ("Undefined control sequence"), before TeX
    runs; the ones that are errors."""
    if "\\" not in raw:
        return []
    ctx = r.state.ctx
    known = _known_names(ctx.template_macros, frozenset(r.state.math_macros))
    errors = []
    for name, suggestion in unknown_words(raw, known):
        # TeX's own words, as a build that reached TeX would have said
        message = f"Undefined control sequence \\{name} in math"
        if suggestion:
            message += f"; did you mean '{suggestion}'?"
        if ctx.strict_math:
            r.state.diag.error(message, line, tex_safe=True)
            errors.append(name)
        else:
            r.state.diag.warn(message + " (unless the template's packages define it)", line)
    return errors


@functools.lru_cache(maxsize=16)
def _known_names(template: frozenset[str], defined: frozenset[str]) -> frozenset[str]:
    """The words math may use: made once per set of definitions, not per formula (a copy
    of KNOWN_NAMES per formula was 50 ms of a 100 KB post's conversion)."""
    return KNOWN_NAMES | template | defined


_DEFINING = lazy_pattern(r"\\(?:[egx]?def|let|futurelet|[a-z]*newcommand|providecommand|"
                         r"[a-z]*chardef|[a-z]*countdef|DeclareMathOperator)(?![A-Za-z])")


def _word(name: str) -> re.Pattern[str]:
    return re.compile(r"\\" + name + r"(?![A-Za-z])")


def _placeholder(name: str) -> str:
    """A word TeX does not know, as visible text (math or text mode alike)."""
    return r"\mbox{\texttt{\textbackslash " + name + "}}"


def _rewritten(r: LatexRenderer, raw: str, line: int | None) -> str:
    """KaTeX's and MathJax's extras in LaTeX, their packages declared."""
    result = rewrite(braced_scripts(raw), r.state.math_macros)
    for package in sorted(result.packages):
        r.state.use_package(package, PACKAGE_OPTIONS.get(package, ""))
    for name, text in result.definitions.items():
        r.state.define(f"~math {name}", text)
    for warning in result.warnings:
        r.state.diag.warn(f"math: {warning}", line)
    return result.math


def _unknown_char(r: LatexRenderer, ch: str, line: int | None) -> None:
    if ch in r.state.reported_chars or is_cjk(ch):  # CJK text and punctuation (，。：) in
        return  # a formula: MathJax sets them as text, and so does the paper, silently
    r.state.reported_chars.add(ch)
    name = unicodedata.name(ch, f"U+{ord(ch):04X}")
    r.state.diag.warn(f"character '{ch}' ({name}) in math has no LaTeX math command known to "
                      "mdpaper; set as text", line)


def block_math(r: LatexRenderer, tok: Token) -> str:
    return display_math(r, tok)


def display_math(r: LatexRenderer, tok: Token) -> str:
    line = tok.get("_line") or r.state.line
    raw = checked_math(r, _page_math(r, tok, line), line)
    use_amsmath(r)  # equation, aligned, gathered
    body = raw.strip()
    if not body:  # only definitions ($$\newcommand…$$): the page shows nothing there
        return ""
    spread = _SPREAD.fullmatch(body)
    if (_whole_environment(body) or tok.get("env") and not _INNER_ENV.match(body)
            or spread is not None and _whole_environment(spread.group(1).strip())):
        # align, gather, equation … are display math themselves: inside \[…\] LaTeX stops
        # with "Erroneous nesting of equation structures" (MathJax accepts both). mathtools'
        # spreadlines around one only sets its rows' gap: it stays around it.
        return body
    body = lift_inner_tag(_inner_environments(body))
    if "\\label" in body:
        return "\\begin{equation}\n" + _multiline(body) + "\n\\end{equation}"
    return "\\[\n" + _multiline(body) + "\n\\]"


#: amsmath's (and LaTeX's) environments that start display math of their own
DISPLAY_ENVS = ("equation", "align", "gather", "multline", "flalign", "alignat", "eqnarray",
                "displaymath")
_DISPLAY_ENV = "|".join(DISPLAY_ENVS)
_WHOLE_ENV = lazy_pattern(r"\\begin\{(?P<name>(?:" + _DISPLAY_ENV + r")\*?)\}[\s\S]*"
                          r"\\end\{(?P=name)\}")
_SPREAD = lazy_pattern(r"\\begin\{spreadlines\}\{[^{}]*\}([\s\S]*)\\end\{spreadlines\}")
#: a bare environment that needs display math around it (aligned, cases …)
_INNER_ENV = lazy_pattern(r"\\begin\{(?:" + INNER_MATH_ENVS + r")\}")
_OUTER_BEGIN = lazy_pattern(r"\\(begin|end)\{(" + _DISPLAY_ENV + r")(\*?)\}")
#: the form of each display environment that can sit inside other display math
_INNER_FORM = {"align": "aligned", "flalign": "aligned", "eqnarray": "aligned",
               "gather": "gathered", "multline": "gathered", "alignat": "alignedat",
               "equation": "gathered", "displaymath": "gathered"}


def _whole_environment(body: str) -> bool:
    """Whether ``body`` is one display environment and nothing else."""
    m = _WHOLE_ENV.fullmatch(body)
    return m is not None and math_groups_problem(body) is None and (
        body.count("\\begin{" + m.group("name") + "}") == 1)


def _inner_environments(body: str) -> str:
    """A display environment beside other math (``x = \\begin{align}…``): MathJax shows it
    in place, LaTeX needs the inner form (aligned, gathered)."""
    if "\\begin" not in body:
        return body
    return _OUTER_BEGIN.sub(lambda m: f"\\{m.group(1)}{{{_INNER_FORM[m.group(2)]}}}", body)


_ENV_SPAN = lazy_pattern(r"\\begin\{(\w+\*?)\}[\s\S]*?\\end\{\1\}")


def _multiline(body: str) -> str:
    """MathJax accepts ``\\\\`` and ``&`` directly in ``$$…$$``; LaTeX needs an environment."""
    top = body
    while True:
        stripped = _ENV_SPAN.sub("", top)
        if stripped == top:
            break
        top = stripped
    top = re.sub(r"\\&", "", top)
    if "&" in top:
        return "\\begin{aligned}\n" + body + "\n\\end{aligned}"
    if "\\\\" in top:
        return "\\begin{gathered}\n" + body + "\n\\end{gathered}"
    return body


def math_ref(r: LatexRenderer, tok: Token) -> str:
    """``\\eqref{x}`` / ``\\ref{x}`` in prose, as MathJax links them: a reference to the
    equation labelled x (an unknown label is reported by TeX's own undefined-reference
    warning, located at its line)."""
    use_amsmath(r)
    r.state.use_package("hyperref")
    return f"\\{tok['attrs']['command']}{{{tok['attrs']['label']}}}"


INLINE_HANDLERS = {"inline_math": inline_math, "block_math": block_math_in_line,
                   "math_ref": math_ref}
