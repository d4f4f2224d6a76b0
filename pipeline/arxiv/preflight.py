"""arXiv's rules checked before upload, each broken rule one ``Diagnostic`` (one sentence).

Errors are what arXiv refuses outright or cannot compile (the abstract form takes ASCII
only, up to 1920 characters; file names with spaces, non-ASCII, absolute or hidden;
packages that need xelatex, lualatex or shell escape; citations without the .bbl, since
arXiv runs no BibTeX). Warnings are what compiles but goes wrong on arXiv or is likely to
be refused or trimmed (``\\today``, hyperref loaded in the wrong order, very large images,
a very large bundle). A diagnostic's ``path`` is the file's name in the bundle.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path, PurePosixPath

from mdpaper.errors import Diagnostic, format_location
from mdpaper.images import image_size
from mdpaper.latex.math_macros import PACKAGE_OF, PHYSICS_PACKAGE
from mdpaper.latex.math_unicode import math_symbol
from mdpaper.latex.pseudocode import PACKAGES as ALGORITHM_PACKAGES
from mdpaper.latex.tikz import PACKAGES as TIKZ_PACKAGES
from mdpaper.patterns import lazy_pattern
from mdpaper.tex.engines import ARXIV_ENGINE, engine_of_tex, script_name

ABSTRACT_MAX_CHARS = 1920
MAX_MEGAPIXELS = 34
#: arxiv_latex_cleaner's limit; arXiv names no number, but large uploads are refused.
MAX_BUNDLE_BYTES = 50 * 1000 * 1000

# Packages that must come *after* hyperref (hyperref README, "Package compatibility").
AFTER_HYPERREF = frozenset(
    {
        "cleveref", "amsrefs", "bookmark", "glossaries", "glossaries-extra", "hypcap",
        "hypdestopt", "hypbmsec", "hypernat", "apacite", "algorithm", "autonum",
        "attachfile", "attachfile2", "uri", "pageslts", "regstats", "refcheck",
        "linguex", "minitoc", "chappg", "robustindex", "editdiff", "ocgx2",
        "hyperxmp", "pdfcomment", "acro", "acronym", "tocbibind",
    }
)  # fmt: skip
# Packages that redefine nothing hyperref touches, so their place does not matter.
LAYOUT_ONLY = frozenset({"geometry", "fancyhdr", "microtype", "booktabs", "xcolor", "lmodern",
                         "adjustbox"})
# Packages that add symbols or glyphs and touch nothing hyperref redefines: mdpaper loads
# the ones a post needs after the shared preamble (document.assemble), so after hyperref.
SYMBOLS_ONLY = frozenset({*PACKAGE_OF.values(), PHYSICS_PACKAGE, "textalpha", "twemojis",
                          "accsupp"})
# Packages that need shell escape, which arXiv never grants.
SHELL_ESCAPE = frozenset({"minted", "pythontex", "svg", "gnuplottex", "epstopdf", "auto-pst-pdf"})

# Packages that only work with xelatex/lualatex.
#: (a bundle whose .tex names a Unicode engine in its "% !TEX program" line is compiled with
#: that engine, as its 00README.json tells arXiv, so these are fine there)
UNICODE_ENGINES = frozenset({"fontspec", "unicode-math", "polyglossia", "xeCJK", "luacode"})

_USEPACKAGE = lazy_pattern(r"\\(?:usepackage|RequirePackage)\s*(?:\[[^\]]*\]\s*)?\{([^{}]*)\}")
_BEGIN_DOCUMENT = lazy_pattern(r"\\begin\s*\{document\}")
_TODAY = lazy_pattern(r"\\today(?![A-Za-z@])")
_BIBLIOGRAPHY = lazy_pattern(r"\\bibliography\s*\{")


def located_message(finding: Diagnostic) -> str:
    """``finding`` as the bundle report words it: ``name:line: message``.

    The name is the file's name in the bundle; findings about no file (the abstract, the
    bundle's size) are the message alone.
    """
    if finding.path is None:
        return finding.message
    return f"{format_location(finding.path, finding.line)}: {finding.message}"


# Characters arXiv's form would refuse, as the ASCII/TeX it accepts instead.
_ASCII_FOR = {
    "\u2013": "--", "\u2014": "---", "\u2012": "-", "\u2010": "-", "\u2011": "-",
    "\u2212": "-", "\u2018": "`", "\u2019": "'", "\u201c": "``", "\u201d": "''",
    "\u201e": ",,", "\u00ab": "<<", "\u00bb": ">>", "\u2026": "...", "\u00a0": "~",
    "\u2009": " ", "\u202f": " ", "\u00df": "{\\ss}", "\u00f8": "{\\o}", "\u00d8": "{\\O}",
    "\u00e6": "{\\ae}", "\u00c6": "{\\AE}", "\u0153": "{\\oe}", "\u0152": "{\\OE}",
    "\u00e5": "{\\aa}", "\u00c5": "{\\AA}", "\u0142": "{\\l}", "\u0141": "{\\L}",
    "\u0131": "{\\i}", "\ufb01": "fi", "\ufb02": "fl", "\ufb00": "ff",
}  # fmt: skip
# Combining marks (after NFD) -> TeX accent command.
_ACCENTS = {
    "\u0300": "`", "\u0301": "'", "\u0302": "^", "\u0303": "~", "\u0308": '"',
    "\u0304": "=", "\u0307": ".", "\u0327": "c", "\u030c": "v", "\u0306": "u",
    "\u030b": "H", "\u0328": "k", "\u030a": "r",
}  # fmt: skip


def ascii_abstract(text: str) -> tuple[str, list[str]]:
    """``text`` in the ASCII + TeX accents that arXiv's abstract field takes.

    Greek letters and math symbols become TeX math (``α`` -> ``$\\alpha$``), which arXiv's
    form renders. Returns the converted text and the characters that have no such spelling.
    """
    out: list[str] = []
    missing: list[str] = []
    for ch in text:
        if ord(ch) < 128:
            out.append(ch)
        elif ch in _ASCII_FOR:
            out.append(_ASCII_FOR[ch])
        else:
            decomposed = unicodedata.normalize("NFD", ch)
            base, marks = decomposed[0], decomposed[1:]
            if ord(base) < 128 and marks and all(m in _ACCENTS for m in marks):
                spelled = base
                for m in marks:
                    cmd = _ACCENTS[m]
                    spelled = f"\\{cmd}{{{spelled}}}" if cmd.isalpha() else f"{{\\{cmd}{spelled}}}"
                out.append(spelled)
            elif (symbol := math_symbol(ch)) is not None:
                out.append(f"${symbol}$")  # arXiv's form renders TeX math (MathJax)
            else:
                out.append(ch)
                missing.append(ch)
    return "".join(out), list(dict.fromkeys(missing))


def _describe(chars: list[str]) -> str:
    return ", ".join(f"{c!r} (U+{ord(c):04X} {unicodedata.name(c, '?')})" for c in chars[:8])


def _scripts(chars: list[str]) -> str:
    """"Han text (后缀自)": the scripts of ``chars`` and a few of them, for a reader."""
    by_script: dict[str, list[str]] = {}
    for c in chars:
        by_script.setdefault(script_name(c), []).append(c)
    return " and ".join(f"{name} text ({''.join(found[:3])})"
                        for name, found in by_script.items())


def check_abstract(abstract: str | None) -> list[Diagnostic]:
    """arXiv's abstract field: at most 1920 characters, ASCII only.

    Non-ASCII that has an ASCII/TeX spelling is a warning (the report offers the
    converted abstract to paste); characters without one are an error.
    """
    if not abstract or not abstract.strip():
        return [
            Diagnostic(
                "warning",
                "no abstract: arXiv's form requires one; add summary (or description) to "
                "the front matter",
            )
        ]
    found = []
    text = abstract.strip()
    if len(text) > ABSTRACT_MAX_CHARS:
        found.append(
            Diagnostic(
                "error",
                f"abstract (front matter summary/description): {len(text)} characters, over "
                f"arXiv's limit of {ABSTRACT_MAX_CHARS}; shorten it by "
                f"{len(text) - ABSTRACT_MAX_CHARS}",
            )
        )
    bad = [c for c in dict.fromkeys(text) if ord(c) > 127]
    if bad:
        _, missing = ascii_abstract(text)
        if missing and _other_script(missing):
            found.append(
                Diagnostic(
                    "warning",
                    f"abstract (front matter summary/description) is in {_scripts(missing)}, "
                    "which arXiv's metadata cannot carry: its form takes ASCII only and asks "
                    "for an English abstract; write one there (the bundle itself is not "
                    "affected)",
                )
            )
        elif missing:
            found.append(
                Diagnostic(
                    "error",
                    f"abstract (front matter summary/description): {_describe(missing)} "
                    "cannot be written in ASCII, which is all arXiv's metadata fields take; "
                    "use TeX ($\\alpha$) or words instead",
                )
            )
        else:
            found.append(
                Diagnostic(
                    "warning",
                    f"abstract: non-ASCII characters {_describe(bad)}; arXiv's form takes "
                    "ASCII only: paste the ASCII version shown below",
                )
            )
    return found


def _other_script(chars: list[str]) -> bool:
    """Letters of a script with no ASCII spelling at all (Han, Kana, Hangul, Cyrillic,
    Arabic…): the abstract is in another language, not English with a stray symbol."""
    return any(unicodedata.category(c) == "Lo" or unicodedata.name(c, "").startswith("CYRILLIC")
               for c in chars)


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def check_source(tex: str, name: str) -> list[Diagnostic]:
    """Rules read from the (comment-stripped, flattened) main .tex called ``name``."""
    end_preamble = _BEGIN_DOCUMENT.search(tex)
    preamble = tex[: end_preamble.start()] if end_preamble else tex
    loads: list[tuple[str, int]] = []
    for m in _USEPACKAGE.finditer(preamble):
        loads += [(p.strip(), m.start()) for p in m.group(1).split(",") if p.strip()]
    return (
        _check_today(tex, name)
        + _check_hyperref_order(loads, tex, name)
        + (_check_engine_packages([p for p, _ in loads], name)
           if engine_of_tex(tex) == ARXIV_ENGINE else [])
    )


def _check_today(tex: str, name: str) -> list[Diagnostic]:
    return [
        Diagnostic(
            "warning",
            "\\today prints the day arXiv compiles the paper, which changes on every new "
            "version; write the date instead",
            name,
            _line_of(tex, m.start()),
        )
        for m in _TODAY.finditer(tex)
    ]


def _check_hyperref_order(loads: list[tuple[str, int]], tex: str, name: str) -> list[Diagnostic]:
    """hyperref loaded once, after the packages it patches and before those patching it.

    ``loads`` is (package, offset in ``tex``) for each package the preamble loads.
    """
    found = []
    hyperref_at = [pos for p, pos in loads if p == "hyperref"]
    if len(hyperref_at) > 1:
        found.append(
            Diagnostic(
                "warning",
                f"hyperref is loaded {len(hyperref_at)} times; with different options this "
                "is an 'Option clash for package hyperref' error",
                name,
                _line_of(tex, hyperref_at[1]),
            )
        )
    if not hyperref_at:
        return found
    first = hyperref_at[0]
    # (TikZ and what its pictures may ask for, latex.tikz, and an algorithm's packages,
    # latex.pseudocode, draw: nothing hyperref redefines)
    fine_after = (AFTER_HYPERREF | LAYOUT_ONLY | SYMBOLS_ONLY | TIKZ_PACKAGES
                  | set(ALGORITHM_PACKAGES) | {"hyperref"})
    late = list(dict.fromkeys(p for p, pos in loads if pos > first and p not in fine_after))
    early = [p for p, pos in loads if pos < first and p in AFTER_HYPERREF]
    if late:
        found.append(
            Diagnostic(
                "warning",
                f"hyperref should be loaded last, but {', '.join(late)} "
                f"{'comes' if len(late) == 1 else 'come'} after it; move them before hyperref",
                name,
                _line_of(tex, first),
            )
        )
    if early:
        found.append(
            Diagnostic(
                "warning",
                f"{', '.join(early)} must be loaded after hyperref, not before",
                name,
                _line_of(tex, first),
            )
        )
    return found


def _check_engine_packages(packages: list[str], name: str) -> list[Diagnostic]:
    """Packages that cannot work in arXiv's pdflatex without shell escape."""
    found = []
    for p in dict.fromkeys(packages):
        if p in UNICODE_ENGINES:
            found.append(
                Diagnostic(
                    "error",
                    f"package {p} needs xelatex or lualatex; the bundle is for arXiv's "
                    "pdflatex: build with --engine pdflatex",
                    name,
                )
            )
        if p in SHELL_ESCAPE:
            found.append(
                Diagnostic(
                    "error", f"package {p} needs shell escape, which arXiv does not allow", name
                )
            )
    return found


def check_bbl(
    tex: str, names: list[str], bbl_name: str, built_bbl: Path | None
) -> list[Diagnostic]:
    """arXiv does not run BibTeX: a ``\\bibliography`` needs its .bbl in the bundle.

    ``names`` are the bundle's files; ``built_bbl`` is where the build said its .bbl is.
    """
    if bbl_name in names or not _BIBLIOGRAPHY.search(tex):
        return []
    return [
        Diagnostic(
            "error",
            f"the build left no BibTeX output ({built_bbl or 'none recorded'}); "
            "arXiv does not run BibTeX, so citations stay undefined",
            bbl_name,
        )
    ]


def check_images(figures: dict[str, Path]) -> list[Diagnostic]:
    """Figures (by name in the bundle) so large that arXiv may refuse or downscale them."""
    found = []
    for name, path in sorted(figures.items()):
        size = image_size(path)
        if size and size[0] * size[1] > MAX_MEGAPIXELS * 1_000_000:
            mp = size[0] * size[1] / 1e6
            found.append(
                Diagnostic(
                    "warning",
                    f"{size[0]}x{size[1]} pixels ({mp:.1f} megapixels), over "
                    f"{MAX_MEGAPIXELS}; arXiv may refuse or downscale it: resize it",
                    name,
                )
            )
    return found


def check_names(names: list[str]) -> list[Diagnostic]:
    """File names arXiv refuses: absolute, hidden, going up, with spaces or non-ASCII."""
    found = []
    for name in names:
        reasons = []
        if name.startswith("/") or re.match(r"[A-Za-z]:", name):
            reasons.append("is absolute")
        if any(c.isspace() for c in name):
            reasons.append("has a space")
        if any(ord(c) > 127 for c in name):
            reasons.append("has non-ASCII characters")
        if any(part.startswith(".") for part in PurePosixPath(name).parts):
            reasons.append("is hidden or goes up a folder")
        if reasons:
            found.append(Diagnostic("error", f"file name {' and '.join(reasons)}", name))
    return found


def check_size(total_bytes: int) -> list[Diagnostic]:
    """A bundle so large that arXiv may refuse it."""
    if total_bytes <= MAX_BUNDLE_BYTES:
        return []
    return [
        Diagnostic(
            "warning",
            f"bundle is {total_bytes / 1e6:.1f} MB, over {MAX_BUNDLE_BYTES // 1_000_000} MB; "
            "arXiv may refuse it: shrink the figures",
        )
    ]
