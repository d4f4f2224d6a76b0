"""The TeX engines mdpaper runs and what each can do: the one place their names are spelled.

Nearly import-free on purpose (built-in modules only): the command line reads the names at
start-up (``--engine`` choices), and ``mdpaper --version`` / ``--help`` must stay fast.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

from mdpaper.patterns import lazy_pattern


class Engine:
    """One TeX engine: how latexmk selects it, what to install, what mdpaper may do with it."""

    __slots__ = ("name", "latexmk_flag", "debian_packages", "program", "writes_pdf",
                 "preamble_format",
                 "unicode", "xecjk", "tex_xet")

    def __init__(self, name: str, latexmk_flag: str, debian_packages: tuple[str, ...], *,
                 program: str, writes_pdf: bool, preamble_format: bool, unicode: bool,
                 xecjk: bool = False, tex_xet: bool = False) -> None:
        self.name = name
        #: The TeX program it runs with its format (``kpsewhich -engine``'s name).
        self.program = program
        #: The latexmk option that selects the engine.
        self.latexmk_flag = latexmk_flag
        #: Debian packages it needs beyond ``BASE_PACKAGES``.
        self.debian_packages = debian_packages
        #: Its own backend writes the PDF; xelatex's PDF is written by xdvipdfmx (a run of
        #: ``xelatex`` starts it by itself, as one pass of mdpaper's does; latexmk runs it
        #: after the last pass), which draws some things differently (the emoji's text).
        self.writes_pdf = writes_pdf
        #: A precompiled preamble format works with it: LuaTeX keeps Lua state outside its
        #: formats, and XeTeX cannot dump the fonts fontspec loads.
        self.preamble_format = preamble_format
        #: It reads UTF-8 text natively (fontspec fonts), so prose needs no escaping of
        #: non-ASCII characters.
        self.unicode = unicode
        #: CJK text is set through xeCJK (which also breaks lines between ideographs);
        #: otherwise mdpaper gives a Unicode engine a fallback font and break points.
        self.xecjk = xecjk
        #: Right-to-left text reads in its order through e-TeX's TeX--XeT marks
        #: (``latex.direction``): XeTeX has them; LuaTeX dropped them for its own
        #: directions, and pdfTeX has no font for a right-to-left script.
        self.tex_xet = tex_xet

    @property
    def pass_options(self) -> tuple[str, ...]:
        """Options of each of its passes, as latexmk gives them: xelatex's passes write
        .xdv, and ``XDV_DRIVER`` makes the PDF once, after the last one."""
        return () if self.writes_pdf else ("-no-pdf",)

    def __repr__(self) -> str:
        return f"Engine({self.name!r})"


#: What makes xelatex's PDF from the last pass's .xdv, as latexmk runs it (an image-heavy
#: post's PDF takes it seconds: run once, never after a pass that is not the last).
XDV_DRIVER = ("xdvipdfmx", "-E")


ENGINES: dict[str, Engine] = {
    engine.name: engine
    for engine in (
        Engine("pdflatex", "-pdf", (), program="pdftex",
               writes_pdf=True, preamble_format=True, unicode=False),
        Engine("xelatex", "-xelatex", ("texlive-xetex",), program="xetex",
               writes_pdf=False, preamble_format=False, unicode=True, xecjk=True,
               tex_xet=True),
        Engine("lualatex", "-lualatex", ("texlive-luatex",), program="luahbtex",
               writes_pdf=True, preamble_format=False, unicode=True),
    )
}
#: The names, in the order the command line and error messages list them.
ENGINE_NAMES: tuple[str, ...] = tuple(ENGINES)
#: What a post gets when neither it, the site config nor the command line chooses: the
#: engine is chosen from the characters the post uses (``choose_engine``).
AUTO = "auto"
DEFAULT_ENGINE = AUTO
#: What ``--engine`` and the ``engine`` setting accept.
ENGINE_CHOICES: tuple[str, ...] = (AUTO, *ENGINE_NAMES)
#: The engine arXiv's compile service runs for a bundle that does not say otherwise.
ARXIV_ENGINE = "pdflatex"
#: The engines arXiv's 00README.json can name as ``process.compiler`` (arXiv's spec: pdflatex,
#: xelatex and lualatex are all "compiler" values it runs).
ARXIV_COMPILERS: tuple[str, ...] = ENGINE_NAMES
#: pdflatex for what its font encodings can set; the first Unicode engine otherwise
#: (xeCJK's CJK line breaking, and faster than LuaTeX at loading OpenType fonts).
PLAIN_ENGINE = "pdflatex"
UNICODE_ENGINE = "xelatex"

#: What every engine needs: latexmk, LaTeX and the packages mdpaper's templates load.
BASE_PACKAGES: tuple[str, ...] = (
    "latexmk", "texlive-latex-base", "texlive-latex-recommended", "texlive-latex-extra",
    "texlive-fonts-recommended", "texlive-plain-generic",
)


def install_hint(engine: str) -> str:
    """The Debian command that installs what ``engine`` needs."""
    packages = BASE_PACKAGES + ENGINES[engine].debian_packages
    return f"sudo apt-get install {' '.join(packages)}"


def resolve_engine(engine: str, characters: Iterable[str], *,
                   pdflatex_can: Callable[[str], bool]) -> tuple[str, str]:
    """The engine to run and why: ``engine`` itself unless it is ``auto``; then pdflatex
    when ``pdflatex_can`` set every character, else the Unicode engine.

    The reason names the first characters pdflatex cannot set, by script, e.g.
    ``the post uses Han characters: 信息``.
    """
    if engine != AUTO:
        return engine, "chosen"
    unset: dict[str, list[str]] = {}
    for ch in sorted(set(characters)):
        if ord(ch) >= 0x80 and not pdflatex_can(ch):
            unset.setdefault(script_name(ch), []).append(ch)
    if not unset:
        return PLAIN_ENGINE, "every character of the post is in pdflatex's font encodings"
    # The script with the most characters first: Han before its punctuation, say.
    ordered = sorted(unset.items(), key=lambda item: -len(item[1]))
    scripts = "; ".join(f"{name} characters: {''.join(chars[:5])}" for name, chars in ordered)
    return UNICODE_ENGINE, f"the post uses {scripts}"


def script_name(ch: str) -> str:
    """A reader's name for the script of ``ch`` (Han, Hiragana, Cyrillic, …) from its
    Unicode name, for messages."""
    code = ord(ch)
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x3FFFF:
        return "Han"
    name = unicodedata.name(ch, "")
    first = name.split(" ", 1)[0] if name else "other"
    if first in ("CJK", "IDEOGRAPHIC", "FULLWIDTH"):
        return "CJK"
    if first in ("LATIN", "GREEK", "CYRILLIC", "HIRAGANA", "KATAKANA", "HANGUL", "ARABIC",
                 "HEBREW", "DEVANAGARI", "THAI", "ARMENIAN", "GEORGIAN", "BENGALI", "TAMIL"):
        return first.capitalize()
    return "symbol"


#: The magic comment editors (TeXShop, TeXstudio, LaTeX Workshop) and mdpaper's arXiv
#: bundle read to know which engine a .tex needs; written only for a Unicode engine.
_PROGRAM = lazy_pattern(r"^% !TEX program = (\w+)$", re.MULTILINE)


def program_comment(engine: str) -> str:
    """The first line of a .tex that needs ``engine`` ("" for pdflatex)."""
    return f"% !TEX program = {engine}\n" if ENGINES[engine].unicode else ""


def engine_of_tex(text: str) -> str:
    """The engine a .tex mdpaper wrote needs (its ``% !TEX program`` line, else pdflatex)."""
    m = _PROGRAM.search(text[:500])
    return m.group(1) if m and m.group(1) in ENGINES else ARXIV_ENGINE
