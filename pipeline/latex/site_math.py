"""The math a site (or the post) gives every formula of the page: the macros and TeX
definitions the site hands KaTeX or MathJax (``source.site_macros``), and MathJax's physics
extension where the page loads it. Each is checked as a formula's own definition is."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from mdpaper.errors import Diagnostic
from mdpaper.latex.math import KNOWN_NAMES, checked_math
from mdpaper.latex.math_macros import PHYSICS_NAMES, PHYSICS_PACKAGE
from mdpaper.latex.state import forget_errors_since
from mdpaper.patterns import lazy_pattern
from mdpaper.source.page_math import site_loads_physics

if TYPE_CHECKING:  # the renderer imports the math handlers
    from mdpaper.latex.renderer import LatexRenderer


#: a formula loading the extension itself, as MathJax's require extension lets it
_REQUIRE_PHYSICS = lazy_pattern(r"\\require\s*\{\s*physics\s*\}")
#: the extension's names that neither LaTeX nor KaTeX knows: a post using none of them
#: needs no look through the site's scripts
_PHYSICS_ONLY = lazy_pattern(r"\\(?:" + "|".join(sorted(PHYSICS_NAMES - KNOWN_NAMES, key=len,
                                                      reverse=True)) + r")(?![A-Za-z])")


def page_loads_physics(site_root: Path, body: str) -> bool:
    """Whether the post's page has MathJax's physics extension: a formula requires it, or
    the site's configuration loads it (read only for a post that uses its commands)."""
    return _REQUIRE_PHYSICS.search(body) is not None or (
        _PHYSICS_ONLY.search(body) is not None and site_loads_physics(site_root))


def use_physics(r: LatexRenderer) -> None:
    """The page's MathJax has its physics extension: physics.sty, which it follows, sets
    the post's math, and its names are the post's own (no other package is loaded for
    ``\\bra``: braket's would clash with physics')."""
    r.state.use_package(PHYSICS_PACKAGE)
    r.state.math_macros.update(PHYSICS_NAMES)


def define_site_macros(r: LatexRenderer, macros: dict[str, str],
                       origins: dict[str, Path] | None = None) -> None:
    """Macros the site gives KaTeX or MathJax (``source.site_macros``), defined as a
    formula's own ``\\def`` would be: checked, rewritten, in the preamble, known to check.
    A macro whose body fails is left undefined with a warning at the file that defines it
    (``origins``, when known): KaTeX expands a macro only where a formula uses it, so the
    page shows an error only there, and so does the paper."""
    diag = r.state.diag
    for name in _in_use_order(macros):
        body = macros[name]
        arguments = max((int(n) for n in re.findall(r"#([1-9])", body)), default=0)
        parameters = "".join(f"#{n}" for n in range(1, arguments + 1))
        before = len(diag.items)
        checked_math(r, f"\\def\\{name}{parameters}{{{body}}}", None)
        failed = forget_errors_since(r.state, before)
        if failed:
            diag.add(Diagnostic("warning", f"site macro \\{name} left undefined: "
                                f"{failed[0].message}", (origins or {}).get(name, diag.path)))


def _in_use_order(macros: dict[str, str]) -> list[str]:
    """The site's macro names, each after the site macros its body uses: KaTeX expands a
    macro where a formula uses it, so a body may use one the site lists after it
    (``"\\ihom": "\\underline{\\Hom}"`` before ``"\\Hom"``); the check of a body needs
    those defined first."""
    order: list[str] = []
    seen: set[str] = set()
    for first in macros:
        stack = [(first, False)]
        while stack:
            name, used_are_done = stack.pop()
            if used_are_done:
                order.append(name)
            elif name not in seen:
                seen.add(name)
                stack.append((name, True))
                stack.extend((used, False) for used in re.findall(r"\\([A-Za-z]+)", macros[name])
                             if used in macros and used not in seen)
    return order


def define_site_definitions(r: LatexRenderer, definitions: dict[str, str], text: str) -> None:
    """TeX definitions the site's pages carry for MathJax (``source.site_macros``): the ones
    ``text`` (the post) uses, and what those use, in the site's order. MathJax reports a
    broken one only where it is used; so does this, by defining no other."""
    wanted: set[str] = set()
    pending = [text]
    while pending:
        for name in re.findall(r"\\([A-Za-z]+)", pending.pop()):
            if name in definitions and name not in wanted:
                wanted.add(name)
                pending.append(definitions[name])
    for name, definition in definitions.items():
        if name in wanted:
            checked_math(r, definition, None)
