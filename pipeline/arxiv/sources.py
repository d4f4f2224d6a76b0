"""Gather what an arXiv bundle needs from a built post, under arXiv-safe names.

One flattened main ``.tex`` (comments stripped, local ``\\input``/``\\include`` inlined),
the figures it really uses (SVG converted to PDF), and local ``.sty``/``.cls``/``.bst``
files it loads. Every file gets a name arXiv accepts: relative, ASCII, no spaces, no
hidden files; the ``.tex`` is rewritten wherever a name had to change.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from mdpaper.arxiv.texclean import VERBATIM_ENVS, strip_comments
from mdpaper.errors import MdpaperError
from mdpaper.files import ascii_fold, shorten_name
from mdpaper.images import svg_to_pdf
from mdpaper.patterns import lazy_pattern

#: Formats pdflatex includes directly (and arXiv accepts for pdflatex submissions).
PDFLATEX_FORMATS = (".pdf", ".png", ".jpg", ".jpeg")
#: graphicx's search order when ``\includegraphics`` names no extension.
_GRAPHICX_EXTS = (".pdf", ".png", ".jpg", ".mps", ".jpeg", ".PDF", ".PNG", ".JPG", ".JPEG")
#: Extensions that make a name in ``\includegraphics`` complete (graphicx adds none).
_IMAGE_EXTS = frozenset(
    {".pdf", ".png", ".jpg", ".jpeg", ".svg", ".gif", ".bmp", ".tif", ".tiff", ".eps", ".ps",
     ".mps", ".jbig2", ".jb2", ".webp"}
)  # fmt: skip
_MAX_INPUT_DEPTH = 20
#: The portable tar (ustar) that arXiv unpacks holds a name of up to 100 characters (longer
#: only when it splits at a folder); longer names in the bundle are shortened to fit.
MAX_ARCHIVE_NAME = 100
#: The main file's stem: room left for ``-refs.bib`` within ``MAX_ARCHIVE_NAME``.
MAX_MAIN_NAME = 80

_INPUT = lazy_pattern(r"\\(input|include)(?![A-Za-z@])\s*(?:\{([^{}]*)\}|([^\s{}\\%]+))")
_INCLUDEGRAPHICS = lazy_pattern(r"(\\includegraphics\*?\s*(?:\[[^\]]*\]\s*)*\{)([^{}]*)(\})")
_GRAPHICSPATH = lazy_pattern(r"\\graphicspath\s*\{((?:\s*\{[^{}]*\}\s*)*)\}")
_BIBLIOGRAPHY = lazy_pattern(r"(\\bibliography\s*\{)([^{}]*)(\})")
_LOADS = lazy_pattern(
    r"\\(usepackage|RequirePackage|documentclass|bibliographystyle)\s*(?:\[[^\]]*\]\s*)?\{([^{}]*)\}"
)
_LOAD_EXT = {"usepackage": ".sty", "RequirePackage": ".sty", "documentclass": ".cls",
             "bibliographystyle": ".bst"}  # fmt: skip
# Text TeX reads verbatim, where \input or \includegraphics are just characters.
_VERBATIM_SPAN = lazy_pattern(
    r"\\begin\s*\{(" + "|".join(re.escape(e) for e in sorted(VERBATIM_ENVS)) + r")\}"
    r".*?\\end\s*\{\1\}"
    r"|\\verb\*?([^A-Za-z\s*])[^\n]*?\2",
    re.DOTALL,
)


@dataclass
class Sources:
    """Everything for the bundle: bundle name -> file on disk, plus the main .tex text."""

    tex: str
    files: dict[str, Path] = field(default_factory=dict)
    #: Figures by bundle name (a subset of ``files``), for the image preflight.
    figures: dict[str, Path] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def safe_name(name: str) -> str:
    """An arXiv-safe relative name: ASCII, no spaces, no hidden or parent parts."""
    parts = []
    for part in PurePosixPath(name.replace("\\", "/")).parts:
        if part in ("/", ".", ".."):
            continue
        ascii_part = ascii_fold(part)
        ascii_part = re.sub(r"[^A-Za-z0-9._+-]+", "-", ascii_part).lstrip(".-") or "file"
        parts.append(ascii_part)
    return "/".join(parts) or "file"


def main_name(tex_stem: str) -> str:
    """The main file's stem in the bundle: safe, and short enough for every name built on
    it (``.tex``, ``.bbl``, ``-refs.bib``)."""
    return shorten_name(safe_name(tex_stem), MAX_MAIN_NAME)


def _archive_name(name: str) -> str:
    """``name`` if the archive can hold it, else a shortened name at the bundle's top."""
    if len(name) <= MAX_ARCHIVE_NAME:
        return name
    return shorten_name(name.replace("/", "-"), MAX_ARCHIVE_NAME)


def _outside_verbatim(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` not inside a verbatim-like environment."""
    spans, pos = [], 0
    for m in _VERBATIM_SPAN.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return spans


def _sub_outside_verbatim(
    pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str], text: str
) -> str:
    out, prev = [], 0
    for start, end in _outside_verbatim(text):
        out.append(text[prev:start])
        out.append(pattern.sub(repl, text[start:end]))
        prev = end
    out.append(text[prev:])
    return "".join(out)


def flatten(tex_path: Path, root: Path | None = None, _depth: int = 0) -> str:
    """``tex_path`` with comments stripped and local ``\\input``/``\\include`` inlined.

    Names are resolved like TeX does, relative to the main file's folder ``root``.
    Files that do not exist there (``\\input{glyphtounicode}``) come from TeX Live and
    stay as they are. Absolute paths are refused: arXiv has none of the user's files.
    """
    root = root or tex_path.parent
    if _depth > _MAX_INPUT_DEPTH:
        raise MdpaperError("\\input nested too deeply (a file inputs itself?)", tex_path)
    text = strip_comments(tex_path.read_text(encoding="utf-8").replace("\r\n", "\n"))

    def inline(m: re.Match[str]) -> str:
        name = (m.group(2) if m.group(2) is not None else m.group(3)).strip()
        if name.startswith(("/", "~")) or re.match(r"[A-Za-z]:[\\/]", name):
            raise MdpaperError(
                f"\\{m.group(1)}{{{name}}} uses an absolute path; arXiv only has the "
                "files of the bundle: use a path relative to the .tex",
                tex_path,
            )
        found = next((p for p in (root / name, root / f"{name}.tex") if p.is_file()), None)
        if found is None:
            return m.group(0)  # a TeX Live file (or generated): not ours to inline
        body = flatten(found, root, _depth + 1)
        # Drop one final newline: the line break after \input{...} in the including
        # file takes its place, so no blank line (= new paragraph) appears.
        body = body[:-1] if body.endswith("\n") else body
        if m.group(1) == "include":
            return f"\\clearpage\n{body}\n\\clearpage"
        return body

    return _sub_outside_verbatim(_INPUT, inline, text)


def _graphics_dirs(tex: str) -> list[str]:
    dirs: list[str] = []
    for m in _GRAPHICSPATH.finditer(tex):
        dirs += re.findall(r"\{([^{}]*)\}", m.group(1))
    return dirs


def _find_figure(name: str, root: Path, known: dict[str, Path], dirs: list[str]) -> Path | None:
    if name in known:
        return known[name]
    has_ext = PurePosixPath(name).suffix.lower() in _IMAGE_EXTS
    for d in ["", *dirs]:
        base = root / d / name
        candidates = [base] if has_ext else [Path(f"{base}{e}") for e in _GRAPHICX_EXTS]
        for c in candidates:
            if c.is_file():
                return c
    return None


def _unique(name: str, taken: set[str]) -> str:
    path = PurePosixPath(name)
    n = 2
    while (candidate := str(path.with_name(f"{path.stem}-{n}{path.suffix}"))) in taken:
        n += 1
    return candidate


def gather(tex_path: Path, figures: dict[str, Path], main_name: str, workdir: Path) -> Sources:
    """Flatten ``tex_path`` and collect the figures and local packages it uses.

    ``figures`` maps names as written in ``\\includegraphics`` to files (the build's
    record); names it lacks are looked up next to the .tex like graphicx would.
    Converted files are written under ``workdir``.
    """
    root = tex_path.parent
    tex = flatten(tex_path)
    src = Sources(tex="")
    dirs = _graphics_dirs(tex)
    for d in dirs:
        if d.startswith(("/", "~")):
            raise MdpaperError(f"\\graphicspath has the absolute folder {d}", tex_path)
    # (arXiv's TeX writes <main>.pdf beside the figures: a figure of that name is lost)
    reserved = {f"{main_name}.tex", f"{main_name}.bbl", f"{main_name}.pdf", "00README.json"}

    def figure(m: re.Match[str]) -> str:
        used = m.group(2).strip()
        if "#" in used or "\\" in used:
            return m.group(0)  # built by a macro: only the proof can tell if it is there
        path = _find_figure(used, root, figures, dirs)
        if path is None or not path.is_file():
            src.problems.append(
                f"{used}: used by \\includegraphics in {tex_path.name} but not found "
                f"({path or root / used}); the bundle lacks it"
            )
            return m.group(0)
        name, path = _figure_for_pdflatex(used, path, root, workdir)
        if (name in src.figures and src.figures[name] != path) or name in reserved:
            name = _unique(name, set(src.figures) | reserved)  # two files, one safe name
        src.files[name] = src.figures[name] = path
        # Always write the exact bundle name, extension included: graphicx then finds the
        # file directly, whatever the original relied on (\graphicspath, a default
        # extension, a parent folder, a name that had to change).
        return m.group(1) + name + m.group(3)

    src.tex = _sub_outside_verbatim(_INCLUDEGRAPHICS, figure, tex)
    src.files.update(_local_packages(src.tex, root))
    return src


def _figure_for_pdflatex(used: str, path: Path, root: Path, workdir: Path) -> tuple[str, Path]:
    """The figure's safe name in the bundle and the file to ship, SVG converted to PDF.

    The name is where graphicx will look for it, relative to the .tex. Raises
    ``MdpaperError`` for a format pdflatex cannot include.
    """
    try:
        rel = path.relative_to(root).as_posix()
    except ValueError:
        rel = used if PurePosixPath(used).suffix else used + path.suffix
    ext = path.suffix.lower()
    if ext == ".svg":
        rel = str(PurePosixPath(rel).with_suffix(".pdf"))
        converted = workdir / "converted" / safe_name(rel)
        converted.parent.mkdir(parents=True, exist_ok=True)
        svg_to_pdf(path, converted)
        path = converted
    elif ext not in PDFLATEX_FORMATS:
        raise MdpaperError(
            f"is a {ext or 'extensionless'} image; pdflatex on arXiv takes only PDF, "
            "PNG or JPEG figures: convert it",
            path,
        )
    return _archive_name(safe_name(rel)), path


def _local_packages(tex: str, root: Path) -> dict[str, Path]:
    """The .sty/.cls/.bst files ``tex`` loads that sit next to it (not from TeX Live)."""
    found: dict[str, Path] = {}
    for m in _LOADS.finditer(tex):
        ext = _LOAD_EXT[m.group(1)]
        for pkg in (p.strip() for p in m.group(2).split(",")):
            local = root / f"{pkg}{ext}"
            if pkg and local.is_file():
                found[safe_name(f"{pkg}{ext}")] = local
    return found


def point_bibliography(tex: str, bib_stem: str) -> str:
    """Make ``\\bibliography{...}`` name the .bib as it is called in the bundle."""
    return _sub_outside_verbatim(_BIBLIOGRAPHY, lambda m: m.group(1) + bib_stem + m.group(3), tex)
