"""What a site's own shortcode templates tell about their content.

Where Hugo finds a shortcode's template (``shortcode_templates``). A theme or site may
define a shortcode that only wraps its inner text in math delimiters
(``layouts/shortcodes/macros.html``: ``<div class="m">\\({{ .Inner }}\\)</div>``): on the
page, KaTeX or MathJax read that text as math (often a block of ``\\newcommand``s). The
inner text may come through a variable (``{{ $expr := trim .Inner " \\n" }}``), and an
``if`` on one of the shortcode's parameters may choose display or inline delimiters
(``{{ if eq (printf "%v" (.Get "block")) "true" }}\\[{{ $expr }}\\]{{ else }}\\({{ $expr
}}\\){{ end }}``). Such shortcodes are read as Hugo's ``math`` shortcode with those
delimiters around the inner text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from mdpaper.files import inside
from mdpaper.patterns import lazy_pattern

Pair = tuple[str, str]


@dataclass(frozen=True)
class MathWrapping:
    """The delimiters a shortcode's template puts around its inner text: ``pair``, or
    ``when_set`` when the call's ``parameter`` is set (``true``; any value but ``false``
    where the template tests the parameter itself, not its equality to ``"true"``)."""
    pair: Pair
    when_set: Pair | None = None
    parameter: str = ""
    truthy: bool = False

    def delimiters(self, named: dict[str, str]) -> Pair:
        """The delimiters of a call with these named arguments."""
        value = named.get(self.parameter) if self.when_set is not None else None
        if value is None or not (value == "true" or self.truthy and value not in ("", "false")):
            return self.pair
        assert self.when_set is not None
        return self.when_set


_STRING = r'(?:"(?:[^"\\\n]|\\.)*"|`[^`]*`)'
#: ``{{ $name := expression }}``
_ASSIGN = lazy_pattern(r"\{\{-?\s*(?P<var>\$\w+)\s*:?=\s*(?P<expr>(?:" + _STRING
                       + r"|[^\"`}])*?)\s*-?\}\}")
#: filters that leave the inner text what it is to MathJax
_FILTERS = {"trim", "chomp", "safeHTML", "htmlUnescape", "strings.TrimSpace", "strings.Trim",
            "strings.TrimRight", "strings.TrimLeft", "plainify"}
#: the template tests a parameter's equality to "true" (``eq (printf "%v" (.Get "b")) "true"``)
_PARAMETER_IS_TRUE = lazy_pattern(r'^eq\s+(?:\(\s*printf\s+"%v"\s+)?\(?\s*\.Get\s+"(?P<name>\w+)"'
                                  r'\s*\)?\s*\)?\s+"true"$')
_PARAMETER_SET = lazy_pattern(r'^\(?\s*\.Get\s+"(?P<name>\w+)"\s*\)?$')
_MAX_TEMPLATE = 64 * 1024


def _inner_expression(expr: str, inner_vars: set[str]) -> bool:
    """Is the expression the inner text, through filters that keep it the same math?"""
    words = re.findall(r"[$.]?[A-Za-z_][\w.]*", re.sub(_STRING, "", expr))
    return (any(w == ".Inner" or w in inner_vars for w in words)
            and all(w in _FILTERS or w == ".Inner" or w in inner_vars for w in words))


def _wrapped(text: str, inner_vars: set[str]) -> Pair | None:
    """The delimiters of ``<tags> OPEN {{ inner }} CLOSE </tags>``, or None."""
    m = re.fullmatch(r"\s*(?:<[^>{]*>\s*)*(?P<open>\\\(|\\\[|\$\$)\s*\{\{-?\s*(?P<expr>[^}]*?)"
                     r"\s*-?\}\}\s*(?P<close>\\\)|\\\]|\$\$)\s*(?:</[^>]*>\s*)*", text)
    if m is None or not _inner_expression(m.group("expr"), inner_vars):
        return None
    return m.group("open"), m.group("close")


def _condition(expr: str, parameters: dict[str, tuple[str, bool]]) -> tuple[str, bool] | None:
    """(parameter, truthy) of an ``if``'s condition on a parameter, or None."""
    if expr in parameters:
        return parameters[expr]
    if m := _PARAMETER_IS_TRUE.match(expr):
        return m.group("name"), False
    if m := _PARAMETER_SET.match(expr):
        return m.group("name"), True
    return None


def read_template(text: str) -> MathWrapping | None:
    """What a shortcode template does with its inner text, when it only wraps it in math
    delimiters (those an ``if`` on a parameter chooses, maybe); None for anything else."""
    inner_vars: set[str] = set()
    parameters: dict[str, tuple[str, bool]] = {}
    for m in _ASSIGN.finditer(text):
        expr = m.group("expr").strip()
        if _inner_expression(expr, inner_vars):
            inner_vars.add(m.group("var"))
        elif (found := _condition(expr, parameters)) is not None:
            parameters[m.group("var")] = found
        else:
            return None  # something else the template computes: not read
    rest = _ASSIGN.sub("", text)
    if (pair := _wrapped(rest, inner_vars)) is not None:
        return MathWrapping(pair)
    branches = re.fullmatch(r"\s*\{\{-?\s*if\s+(?P<cond>(?:" + _STRING + r"|[^\"`}])*?)\s*-?\}\}"
                            r"(?P<yes>[\s\S]*?)\{\{-?\s*else\s*-?\}\}(?P<no>[\s\S]*?)"
                            r"\{\{-?\s*end\s*-?\}\}\s*", rest)
    if branches is None:
        return None
    condition = _condition(branches.group("cond").strip(), parameters)
    yes, no = _wrapped(branches.group("yes"), inner_vars), _wrapped(branches.group("no"),
                                                                   inner_vars)
    if condition is None or yes is None or no is None:
        return None
    return MathWrapping(no, yes, *condition)


def shortcode_folders(root: Path, themes: tuple[Path, ...] = ()) -> list[Path]:
    """Where Hugo looks for shortcode templates, in the order it looks (Hugo 0.168 as the
    oracle): ``layouts/_shortcodes`` (Hugo 0.146's name) of the site, then of its themes,
    before the older ``layouts/shortcodes`` of the site, then of its themes: a theme's
    ``_shortcodes/x.html`` wins over the site's own ``shortcodes/x.html``. ``themes``: the
    ones the config names, in its order; the other folders of ``themes/`` come after them
    (by name), as a build command may name the theme (``hugo --theme x``)."""
    others = sorted(p for p in (root / "themes").glob("*") if p.is_dir() and p not in themes)
    return [folder / "layouts" / kind for kind in ("_shortcodes", "shortcodes")
            for folder in (root, *themes, *others)]


def shortcode_template(root: Path, name: str, themes: tuple[Path, ...] = ()) -> Path | None:
    """The template Hugo renders shortcode ``name`` with, if the site or a theme has one."""
    return shortcode_templates(root, themes, name).get(name)


def shortcode_templates(site_root: Path, themes: tuple[Path, ...] = (),
                        only: str | None = None) -> dict[str, Path]:
    """Shortcode name -> the template Hugo renders it with (the first in Hugo's order;
    ``themes`` as in ``shortcode_folders``)."""
    found: dict[str, Path] = {}
    for folder in shortcode_folders(site_root, themes):
        if not folder.is_dir():
            continue
        # a template in a subfolder is called by its path: {{< boxes/square >}}
        pattern = f"{only}.html" if only is not None else "**/*.html"
        for template in sorted(folder.glob(pattern)):
            name = template.relative_to(folder).with_suffix("").as_posix()
            if name not in found and inside(site_root, template):
                found[name] = template
    return found


def math_wrapping_shortcodes(templates: dict[str, Path]) -> dict[str, MathWrapping]:
    """Shortcode name -> how its template wraps its inner text in math delimiters, for the
    templates Hugo renders the site's shortcodes with (``shortcode_templates``) that do
    only that."""
    found: dict[str, MathWrapping] = {}
    for name, template in templates.items():
        if template.stat().st_size > _MAX_TEMPLATE:
            continue
        wrapping = read_template(template.read_text(encoding="utf-8", errors="replace"))
        if wrapping is not None:
            found[name] = wrapping
    return found
