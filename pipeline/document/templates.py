"""Templates: finding one (a folder, the site's ``templates/NAME``, or a built-in one) and
reading its ``template.toml``.

The built-in templates live in the repository's top-level ``templates/`` and ship inside the
package as ``mdpaper.templates`` (package data), so they are read through
``importlib.resources``, never beside the source tree: a wheel installed anywhere has them.
"""

from __future__ import annotations

import functools
import importlib.resources
from dataclasses import dataclass, field
from pathlib import Path

from mdpaper.errors import MdpaperError, UsageError
from mdpaper.files import inside, parse_toml, read_utf8, toml_value_line

SPEC = "template.toml"

#: The title block of a template that does not give its own (``title`` and ``front``).
DEFAULT_TITLE = r"""
\title{<<title>><<#subtitle>>\\[0.3em]\large <<subtitle>><</subtitle>>}
\author{<<author_line>>}
\date{<<date>>}
"""
DEFAULT_FRONT = r"""
\maketitle
<<#abstract>>\begin{abstract}
<<abstract>>
\end{abstract}
<</abstract>><<#keywords>>\noindent\textbf{<<keywords_name>>:} <<keywords>>
\par\medskip
<</keywords>>
"""
TEMPLATE_KEYS = {"documentclass", "options", "preamble", "title", "front", "description"}
#: Keys written in the template language (their text is rendered with variables).
TEXT_KEYS = ("preamble", "title", "front")


@dataclass
class Template:
    """A template is data (``template.toml``); see README, "Templates", for the contract."""

    name: str
    documentclass: str = "article"
    options: list[str] = field(default_factory=list)
    #: extra preamble lines, after the packages mdpaper chooses (may use variables)
    preamble: str = ""
    #: the preamble part of the title block: \title, \author, \date (variables)
    title: str = DEFAULT_TITLE
    #: what comes right after \begin{document}: \maketitle, abstract, keywords (variables)
    front: str = DEFAULT_FRONT
    source: Path | None = None
    #: the line of ``source`` where each text key's value starts (template errors name the
    #: line of template.toml, not of the value)
    first_lines: dict[str, int] = field(default_factory=dict)


@functools.cache
def builtin_dir() -> Path:
    """The folder of mdpaper's own templates, wherever the package is installed."""
    resource = importlib.resources.files("mdpaper.templates")
    return Path(str(resource)).resolve()


def builtin_names() -> list[str]:
    folder = builtin_dir()
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if (p / SPEC).is_file())


def find_template(value: str, *, base: Path, site_root: Path, confined: bool = False,
                  where: tuple[Path | None, int | None] = (None, None),
                  usage: bool = False) -> Path:
    """A template folder: a path (to a folder with template.toml), else ``templates/NAME`` in
    the site, else one of mdpaper's own templates. ``confined``: a post chose it, so it must
    lie inside the site (or be a built-in one). ``usage``: named by ``--template`` (exit 2)."""
    builtin = builtin_dir()
    for folder in (base / value, site_root / "templates" / value, builtin / value):
        if (folder / SPEC).is_file():
            if confined and not (inside(site_root, folder) or inside(builtin, folder)):
                raise MdpaperError(f"template '{value}' is outside the site folder; "
                                   "refusing to read it", *where)
            return folder.resolve()
    error = UsageError if usage else MdpaperError
    raise error(f"unknown template '{value}' (known: {', '.join(builtin_names())}; or a "
                "folder with a template.toml)", *where)


def load_template(name_or_path: str | Path = "article") -> Template:
    """Read a template folder (or a built-in template by name); every problem names the
    template and, where it has one, the line of its ``template.toml``."""
    folder = Path(name_or_path)
    if not (folder / SPEC).is_file():
        folder = builtin_dir() / str(name_or_path)
    spec = folder / SPEC
    if not spec.is_file():
        if folder.is_dir() or str(name_or_path) in builtin_names():
            raise MdpaperError(f"template '{name_or_path}' has no {SPEC}", folder)
        raise MdpaperError(f"unknown template '{name_or_path}' (known: "
                           f"{', '.join(builtin_names()) or 'none installed'})")
    text = read_utf8(spec, f"template '{folder.name}'")
    data = parse_toml(text, spec, what=f"in template '{folder.name}'")
    _check_keys(data, text, spec)
    return Template(name=folder.name, documentclass=data.get("documentclass", "article"),
                    options=[str(o) for o in data.get("options", [])],
                    preamble=data.get("preamble", ""), title=data.get("title", DEFAULT_TITLE),
                    front=data.get("front", DEFAULT_FRONT), source=spec,
                    first_lines={k: toml_value_line(text, k) or 1 for k in TEXT_KEYS
                                 if k in data})


def _check_keys(data: dict[str, object], text: str, spec: Path) -> None:
    unknown = sorted(set(data) - TEMPLATE_KEYS)
    if unknown:
        raise MdpaperError(f"unknown template key(s) {', '.join(unknown)} (known: "
                           f"{', '.join(sorted(TEMPLATE_KEYS))})", spec,
                           toml_value_line(text, unknown[0]))
    for key in ("documentclass", *TEXT_KEYS):
        if key in data and not isinstance(data[key], str):
            raise MdpaperError(f"template key '{key}' must be a string", spec,
                               toml_value_line(text, key))
    options = data.get("options", [])
    if not isinstance(options, list) or not all(isinstance(o, str) for o in options):
        raise MdpaperError("template key 'options' must be a list of strings", spec,
                           toml_value_line(text, "options"))
