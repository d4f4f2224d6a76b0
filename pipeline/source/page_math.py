"""What the page's own math renderer is set to find in the page's text.

Hugo's passthrough list says which delimiters Goldmark hands over raw; MathJax or KaTeX
auto-render then look for their own delimiters in everything Goldmark output: ``\\[…\\]``
written ``\\\\[…\\\\]`` in the post, ``$$…$$`` left out of the passthrough list, or ``$…$``
where the site's configuration takes it (``inlineMath: [['$', '$'], …]``, ``delimiters:
[{left: "$", right: "$", display: false}, …]``). The page typesets those formulas too.
"""

from __future__ import annotations

import re
from pathlib import Path

from mdpaper.files import inside
from mdpaper.patterns import lazy_pattern

Pairs = tuple[tuple[str, str], ...]

_MAX_FILE = 512 * 1024
_FOLDERS = ("layouts", "assets", "static")
_SUFFIXES = (".html", ".js")
#: What MathJax 3 (and 2's tex2jax) and KaTeX's auto-render look for unless configured:
#: ``\\(…\\)`` inline; ``$$…$$`` and ``\\[…\\]`` displayed.
DEFAULT_INLINE: Pairs = (("\\(", "\\)"),)
DEFAULT_DISPLAY: Pairs = (("$$", "$$"), ("\\[", "\\]"))

_STRING = r"""(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')"""
_PAIR = lazy_pattern(r"\[\s*(" + _STRING + r")\s*,\s*(" + _STRING + r")\s*\]")
#: MathJax's ``inlineMath: [['$', '$'], ['\\(', '\\)']]`` (and ``displayMath``)
_MATHJAX_LIST = lazy_pattern(r"\b(?P<key>inlineMath|displayMath)[\"']?\s*[:=]\s*\[(?P<pairs>(?:\s*"
                             + _PAIR.pattern + r"\s*,?)*)\s*\]")
#: KaTeX auto-render's ``delimiters: [{left: "$$", right: "$$", display: true}, …]``
_KATEX_OBJECT = lazy_pattern(r"\{(?:" + _STRING + r"""|[^{}"'])*\}""")
_KATEX_LIST = lazy_pattern(r"\bdelimiters[\"']?\s*:\s*\[(?P<objects>(?:\s*" + _KATEX_OBJECT.pattern
                           + r"\s*,?)+)\s*\]")
_KATEX_KEY = r"""["']?%s["']?\s*:\s*"""
_DELIMITER_KEYS = ("inlineMath", "displayMath", "delimiters")
#: MathJax 3 told to load its physics extension: ``loader: {load: ['[tex]/physics']}``,
#: ``packages: {'[+]': ['physics']}``
_PHYSICS = lazy_pattern(r"""\[tex\]/physics|\bpackages\b[^;]{0,200}?["']physics["']""")


def site_loads_physics(site_root: Path) -> bool:
    """Whether the site's MathJax configuration loads its physics extension (``\\dv``,
    ``\\qty``, ``\\bra``…) on every page."""
    return any(_PHYSICS.search(text) for text in _configs(site_root, ("physics",)))


def _js(string: str) -> str:
    """A JavaScript string literal's value (``'\\\\('`` is ``\\(``)."""
    return re.sub(r"\\(.)", r"\1", string[1:-1])


def _katex_pairs(objects: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    inline: list[tuple[str, str]] = []
    display: list[tuple[str, str]] = []
    for obj in _KATEX_OBJECT.findall(objects):
        left = re.search(_KATEX_KEY % "left" + "(" + _STRING + ")", obj)
        right = re.search(_KATEX_KEY % "right" + "(" + _STRING + ")", obj)
        if left and right:
            pair = (_js(left.group(1)), _js(right.group(1)))
            if pair[0].startswith("\\begin{"):
                continue  # an environment: math wherever it stands (markdown.math_syntax)
            # (``!0`` is true in a minified auto-render)
            shown = re.search(_KATEX_KEY % "display" + r"(?:true\b|!0)", obj) is not None
            (display if shown else inline).append(pair)
    return inline, display


def _configs(site_root: Path, markers: tuple[str, ...] = _DELIMITER_KEYS) -> list[str]:
    """The site's templates and scripts that configure MathJax or KaTeX (that hold one of
    ``markers``)."""
    found = []
    for folder in _FOLDERS:
        base = site_root / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if path.suffix not in _SUFFIXES or not path.is_file():
                continue
            if path.stat().st_size > _MAX_FILE or not inside(site_root, path):
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            if any(marker in text for marker in markers):
                found.append(text)
    return found


def renderer_delimiters(site_root: Path) -> tuple[Pairs, Pairs]:
    """(inline, display) delimiter pairs, as the page's text shows them, that the MathJax or
    KaTeX configuration in the site's templates or scripts takes; each list the renderer's
    default where no configuration gives it."""
    inline: list[tuple[str, str]] | None = None
    display: list[tuple[str, str]] | None = None
    for text in _configs(site_root):
        for m in _MATHJAX_LIST.finditer(text):
            pairs = [(_js(a), _js(b)) for a, b in _PAIR.findall(m.group("pairs"))]
            if m.group("key") == "inlineMath":
                inline = (inline or []) + pairs
            else:
                display = (display or []) + pairs
        for m in _KATEX_LIST.finditer(text):
            katex_inline, katex_display = _katex_pairs(m.group("objects"))
            inline, display = (inline or []) + katex_inline, (display or []) + katex_display
    return (DEFAULT_INLINE if inline is None else tuple(dict.fromkeys(inline)),
            DEFAULT_DISPLAY if display is None else tuple(dict.fromkeys(display)))
