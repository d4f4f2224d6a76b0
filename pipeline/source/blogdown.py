"""blogdown sites: math written inside backticks, and figures under the page's own URL.

A plain Markdown post of a blogdown site (R's blogdown package, on Hugo) protects math
from the Markdown renderer as inline code: `` `$x_i$` ``, `` `\\(x\\)` ``, `` `$$ x $$` ``,
`` `\\begin{align*}…\\end{align*}` `` (also between ``$$``: `` $$ `\\begin{align*}…` $$ ``).
The site's pages then run blogdown's math-code.js, which gives MathJax the text of every
inline ``<code>`` (never one inside ``<pre>``) that reads as math in one of those forms.
On such a site the paper sets them as math; elsewhere they stay code, as their pages show.

A site is a blogdown site when (blogdown's own markers):

* its ``.Rprofile`` sets blogdown's options (``options(blogdown.… = …)``, which
  ``blogdown::new_site()`` writes since blogdown 1.0);
* its Hugo config ignores R Markdown sources (``ignoreFiles = ["\\\\.Rmd$", …]``, what
  older blogdown sites were created with);
* its content folder holds ``.Rmd``/``.Rmarkdown`` sources;
* or its pages run math-code.js without blogdown (a site that left R Markdown, or copied
  the recipe): a layout of the site or its theme loads a script named ``math-code.js``,
  or a script of theirs that does its job (takes each ``<code>`` whose text reads as math
  out of its element), written in a layout or loaded by one from ``static/``/``assets/``.

blogdown writes the figures of an ``.Rmarkdown`` post as ``<img src="{{< blogdown/postref
>}}index_files/figure-html/….png">``: its ``postref`` shortcode prints the page's own URL,
so the path is the page bundle's file.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from mdpaper.patterns import lazy_pattern

#: A code span whose text math-code.js hands to MathJax (group ``math``), by its forms:
#: ``$…$`` (not ``$$``), ``\\(…\\)``, ``\\[…\\]``, ``$$…$$`` and a whole environment. A
#: code span may go over lines (each line ending a space in its text; the paragraph's
#: lines are kept together by ``markdown.math_syntax.continues_paragraph``).
CODE_MATH = (r"(?P<bd_ticks>`+)(?!`)(?P<bd_math>\$(?!\$)[^`]*?[^$\s`]\$"
             r"|\$\$[^`]+?\$\$|\\\([^`]+?\\\)|\\\[[^`]+?\\\]"
             r"|\\begin\{(?P<bd_env>[^}]+)\}[^`]+?\\end\{(?P=bd_env)\})(?P=bd_ticks)(?!`)")

#: blogdown's shortcode for the page's own (Rel)Permalink
_POSTREF = lazy_pattern(r"\{\{[<%]\s*blogdown/postref\s*/?[>%]\}\}")

_RPROFILE_OPTION = lazy_pattern(r"\bblogdown\.[A-Za-z_.]+\s*=")
_IGNORES_RMD = lazy_pattern(r"ignoreFiles[\s\S]{0,200}?R(?:md|markdown)", re.IGNORECASE)
_R_SOURCES = (".rmd", ".rmarkdown")
#: a content folder scanned further is a large site, and very likely not blogdown
_MAX_SCANNED = 20000
#: a layout loading blogdown's script by its name (a local copy or a URL)
_LOADS_MATH_CODE = lazy_pattern(r"math-code(?:\.min)?\.js")
#: what math-code.js does, in the copies sites carry under other names: every ``<code>``
#: element is looked at, and one whose text is math is replaced by that text
_MATH_CODE_JOB = lazy_pattern(r"getElementsByTagName\(\s*['\"]code['\"]\s*\)"
                              r"[\s\S]{0,2000}?\.outerHTML\s*=\s*\w+\.innerHTML")
#: scripts larger than this are libraries, not a page's few lines
_MAX_SCRIPT = 64 * 1024


def is_blogdown_site(root: Path, config: Path | None, content_dir: str = "content",
                     themes: tuple[Path, ...] = ()) -> bool:
    """Whether the site at ``root`` (Hugo config file ``config``, theme folders ``themes``)
    is a blogdown site, or one whose pages run math-code.js all the same."""
    if _runs_math_code((root, *themes)):
        return True
    rprofile = _read(root / ".Rprofile")
    if _RPROFILE_OPTION.search(rprofile):
        return True
    if config is not None and _IGNORES_RMD.search(_read(config)):
        return True
    scanned = 0
    for _, _, files in os.walk(root / content_dir):
        if any(name.lower().endswith(_R_SOURCES) for name in files):
            return True
        scanned += len(files)
        if scanned > _MAX_SCANNED:
            break
    return False


def _runs_math_code(folders: tuple[Path, ...]) -> bool:
    """Whether a layout under ``folders`` runs math-code.js or a script doing its job."""
    layouts = [_read(p) for folder in folders for p in _files(folder / "layouts", ".html")]
    if any(_LOADS_MATH_CODE.search(text) or _MATH_CODE_JOB.search(text) for text in layouts):
        return True
    for folder in folders:
        for script in (*_files(folder / "static", ".js"), *_files(folder / "assets", ".js")):
            # (the script's own name in a layout: a copy the pages never load does nothing)
            if any(script.name in text for text in layouts) and _MATH_CODE_JOB.search(
                    _read(script, _MAX_SCRIPT)):
                return True
    return False


def _files(folder: Path, suffix: str) -> list[Path]:
    """The files ending in ``suffix`` under ``folder``, the first _MAX_SCANNED looked at."""
    found: list[Path] = []
    scanned = 0
    for here, _, names in os.walk(folder):
        found += [Path(here, n) for n in names if n.endswith(suffix)]
        scanned += len(names)
        if scanned > _MAX_SCANNED:
            break
    return found


def _read(path: Path, limit: int = -1) -> str:
    try:
        with path.open(encoding="utf-8", errors="replace") as f:
            return f.read(limit)
    except OSError:
        return ""


def code_math(match: re.Match[str]) -> tuple[str, bool]:
    """``(the math text, whether it is display math)`` of a CODE_MATH match, as MathJax
    reads it: a bare environment is display math of its own."""
    text = match.group("bd_math")
    for opening, closing, display in (("$$", "$$", True), ("\\[", "\\]", True),
                                      ("\\(", "\\)", False), ("$", "$", False)):
        if text.startswith(opening) and text.endswith(closing):
            return text[len(opening):len(text) - len(closing)], display
    return text, True


def unwrap_code(raw: str) -> str | None:
    """The text of math written as one code span (`` $$ `\\begin{…}…` $$ ``), else None."""
    stripped = raw.strip()
    m = re.fullmatch(r"(`+)([^`][\s\S]*?)\1", stripped)
    return m.group(2) if m else None


def drop_postref(body: str) -> str:
    """``{{< blogdown/postref >}}x.png`` as a path relative to the page's URL, which is
    where the permalink the page gets leads (``latex.figures`` resolves such paths)."""
    return _POSTREF.sub("", body) if "blogdown/postref" in body else body
