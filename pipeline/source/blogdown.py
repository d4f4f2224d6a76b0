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
* or its content folder holds ``.Rmd``/``.Rmarkdown`` sources.

blogdown writes the figures of an ``.Rmarkdown`` post as ``<img src="{{< blogdown/postref
>}}index_files/figure-html/….png">``: its ``postref`` shortcode prints the page's own URL,
so the path is the page bundle's file.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

#: A code span whose text math-code.js hands to MathJax (group ``math``), by its forms:
#: ``$…$`` (not ``$$``), ``\\(…\\)``, ``\\[…\\]``, ``$$…$$`` and a whole environment. A
#: code span may go over lines (each line ending a space in its text; the paragraph's
#: lines are kept together by ``markdown.math_syntax.continues_paragraph``).
CODE_MATH = (r"(?P<bd_ticks>`+)(?!`)(?P<bd_math>\$(?!\$)[^`]*?[^$\s`]\$"
             r"|\$\$[^`]+?\$\$|\\\([^`]+?\\\)|\\\[[^`]+?\\\]"
             r"|\\begin\{(?P<bd_env>[^}]+)\}[^`]+?\\end\{(?P=bd_env)\})(?P=bd_ticks)(?!`)")

#: blogdown's shortcode for the page's own (Rel)Permalink
_POSTREF = re.compile(r"\{\{[<%]\s*blogdown/postref\s*/?[>%]\}\}")

_RPROFILE_OPTION = re.compile(r"\bblogdown\.[A-Za-z_.]+\s*=")
_IGNORES_RMD = re.compile(r"ignoreFiles[\s\S]{0,200}?R(?:md|markdown)", re.IGNORECASE)
_R_SOURCES = (".rmd", ".rmarkdown")
#: a content folder scanned further is a large site, and very likely not blogdown
_MAX_SCANNED = 20000


def is_blogdown_site(root: Path, config: Path | None, content_dir: str = "content") -> bool:
    """Whether the site at ``root`` (Hugo config file ``config``) is a blogdown site."""
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


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
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
