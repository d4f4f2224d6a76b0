"""Math macros a site defines outside the post, where real sites keep them.

KaTeX and MathJax take macros from their options, so a page may use ``\\Rm`` that no
formula of the post defines. Found (first definition of a name wins, in this order):

* the page's front matter ``macros`` (also under ``params``): pairs
  ``[["\\Rm", "\\textrm{Rm}"]]`` or a mapping, as a passthrough render hook hands them to
  ``transform.ToMath``;
* the site's params ``macros``, ``math.macros`` or ``katex.macros``;
* the site's data ``data/math_macros.*`` / ``data/macros.*`` (``site.Data.math_macros``);
* literal pairs in a passthrough render hook: ``dict "\\ket" "\\left|#1\\right\\rangle"``;
* a KaTeX or MathJax options object in the site's layouts (``macros: {"\\R": "…"}``,
  ``macros: {norm: ["\\left\\| #1 \\right\\|", 1]}``).

Names are returned without the backslash; bodies are TeX as KaTeX reads them.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import yaml

from mdpaper.files import inside
from mdpaper.patterns import lazy_pattern

_NAME = lazy_pattern(r"^\\?([A-Za-z]+)$")
#: a Go template string pair in a ``dict`` call: "\\name" "body"
_GO_PAIR = lazy_pattern(r'"\\\\([A-Za-z]+)"\s+"((?:[^"\\]|\\.)*)"')
_JS_MACROS = lazy_pattern(r"\bmacros\s*:\s*\{")
#: one entry of a JS object: key (quoted or bare) and a string or [string, n] value
_JS_ENTRY = lazy_pattern(
    r"""\s*,?\s*(?:(["'])((?:\\.|(?!\1).)*)\1|([A-Za-z]+))\s*:\s*"""
    r"""(?:\[\s*)?(["'])((?:\\.|(?!\4).)*)\4(?:\s*,\s*\d+\s*\])?""", re.S)
_DATA_NAMES = ("math_macros", "macros", "katex_macros", "mathjax_macros")
_MAX_FILE = 512 * 1024


def site_math_macros(site_root: Path, page_params: dict[str, Any],
                     site_params: dict[str, Any],
                     origins: dict[str, Path] | None = None) -> dict[str, str]:
    """Every macro the site's pages get from outside their own formulas: name -> body;
    ``origins`` gets the file that defines each one found in a data file or a layout (an
    error in its body is told there, not in the post)."""
    found: dict[str, str] = {}
    origins = {} if origins is None else origins
    sources = [page_params.get("macros"), site_params.get("macros"),
               _nested(site_params, "math", "macros"), _nested(site_params, "katex", "macros")]
    for source in sources:
        _add(found, _pairs(source))
    for path in _data_files(site_root):
        _add(found, _pairs(_load_data(path)), origins, path)
    for path in _layout_files(site_root):
        text = path.read_text(encoding="utf-8", errors="replace")
        if "macros" in text:
            _add(found, _template_pairs(text), origins, path)
    return found


#: A file a template puts into the page: ``readFile "x"`` (from the site's root) or
#: ``resources.Get "x"`` (from assets/).
_INCLUDE = lazy_pattern(r"""\b(readFile|os\.ReadFile|resources\.Get)\s+["`]([^"`]+)["`]""")
_TEX_DEFINITION = lazy_pattern(
    r"\\(?:renew|provide|new)command\*?\s*\{?\s*\\([A-Za-z]+)\s*\}?\s*(?:\[\d\])?"
    r"\s*(?:\[[^\]]*\])?\s*\{"
    r"|\\DeclareMathOperator(\*?)\s*\{?\s*\\([A-Za-z]+)\s*\}?\s*\{"
    r"|\\g?def\s*\\([A-Za-z]+)\s*(?:#\d)*\s*\{"
    r"|\\DeclarePairedDelimiters?\s*\{?\s*\\([A-Za-z]+)\s*\}?\s*\{[^{}]*\}\s*\{")


def _included_files(site_root: Path, template: str) -> list[Path]:
    found = []
    for function, name in _INCLUDE.findall(template):
        base = site_root / "assets" if function == "resources.Get" else site_root
        path = base / name.lstrip("/")
        if (path.suffix not in (".html", ".js", ".css") and path.is_file()
                and inside(site_root, path) and path.stat().st_size <= _MAX_FILE):
            found.append(path)
    return found


def site_tex_definitions(site_root: Path) -> dict[str, str]:
    """TeX definitions the site's templates put into every page for MathJax (a hidden
    ``\\(\\newcommand…\\)``, or a macros file they include): name -> the definition as
    written (``\\newcommand{\\pdiv}[3][]{…}``), the first of a name winning."""
    found: dict[str, str] = {}
    for layout in _layout_files(site_root):
        text = layout.read_text(encoding="utf-8", errors="replace")
        texts = [p.read_text(encoding="utf-8", errors="replace")
                 for p in _included_files(site_root, text)]
        for source in (*texts, text):
            for name, definition in tex_definitions(source):
                found.setdefault(name, definition)
    return found


def tex_definitions(text: str) -> list[tuple[str, str]]:
    """``\\newcommand``, ``\\renewcommand``, ``\\def`` and ``\\DeclareMathOperator`` in TeX
    text: each defined name with its whole definition."""
    if "command" not in text and "def" not in text and "Operator" not in text:
        return []
    pairs = []
    for m in _TEX_DEFINITION.finditer(text):
        body = _braced(text, m.end() - 1)
        if body is not None:
            name = m.group(1) or m.group(3) or m.group(4) or m.group(5)
            pairs.append((name, text[m.start():m.end() + len(body) + 1]))
    return pairs


def _braced(text: str, start: int) -> str | None:
    """The inside of the brace group opening at ``text[start]``."""
    depth = 0
    for i in range(start, min(len(text), start + 4096)):
        if text[i] == "{" and text[i - 1] != "\\":
            depth += 1
        elif text[i] == "}" and text[i - 1] != "\\":
            depth -= 1
            if depth == 0:
                return text[start + 1:i]
    return None


def _nested(params: dict[str, Any], key: str, inner: str) -> Any:
    value = params.get(key)
    return value.get(inner) if isinstance(value, dict) else None


def _add(found: dict[str, str], pairs: list[tuple[str, str]],
         origins: dict[str, Path] | None = None, origin: Path | None = None) -> None:
    for name, body in pairs:
        m = _NAME.match(name.strip())
        if m and m.group(1) not in found:
            found[m.group(1)] = body
            if origins is not None and origin is not None:
                origins[m.group(1)] = origin


def _pairs(value: Any) -> list[tuple[str, str]]:
    """Pairs from front matter or data: a mapping, or a list of two-item lists."""
    if isinstance(value, dict):
        return [(str(k), _body(v)) for k, v in value.items() if _body(v)]
    if isinstance(value, list):
        return [(str(item[0]), _body(item[1])) for item in value
                if isinstance(item, list | tuple) and len(item) >= 2 and _body(item[1])]
    return []


def _body(value: Any) -> str:
    """A macro's body: a string, or MathJax's ``[body, argument count]``."""
    if isinstance(value, list | tuple) and value:
        value = value[0]
    return value if isinstance(value, str) else ""


def _data_files(site_root: Path) -> list[Path]:
    data = site_root / "data"
    return [p for name in _DATA_NAMES for p in sorted(data.glob(f"{name}.*"))
            if p.suffix in (".json", ".yaml", ".yml", ".toml") and p.is_file()
            and inside(site_root, p)]


def _load_data(path: Path) -> Any:
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        if path.suffix == ".json":
            return json.loads(text)
        if path.suffix == ".toml":
            return tomllib.loads(text)
        return yaml.safe_load(text)
    except (ValueError, yaml.YAMLError):
        return None  # the page's own build would fail on it too; nothing to add


def _layout_files(site_root: Path) -> list[Path]:
    """Templates that may hold math options: the site's layouts (themes' are theirs)."""
    layouts = site_root / "layouts"
    if not layouts.is_dir():
        return []
    return [p for p in sorted(layouts.rglob("*.html")) if p.is_file()
            and p.stat().st_size <= _MAX_FILE and inside(site_root, p)]


def _template_pairs(text: str) -> list[tuple[str, str]]:
    pairs = [(name, _unescape(body)) for name, body in _GO_PAIR.findall(text)]
    for m in _JS_MACROS.finditer(text):
        pos = m.end()
        while (entry := _JS_ENTRY.match(text, pos)) is not None:
            key = entry.group(2) if entry.group(2) is not None else entry.group(3)
            pairs.append((_unescape(key), _unescape(entry.group(5))))
            pos = entry.end()
    return pairs


def _unescape(text: str) -> str:
    """A Go or JavaScript string literal's text: ``\\\\`` is one backslash."""
    return re.sub(r"\\(.)", r"\1", text)
