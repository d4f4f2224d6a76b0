"""The TeX engines mdpaper runs and what each can do: the one place their names are spelled.

Import-free on purpose: the command line reads the names at start-up (``--engine``
choices), and ``mdpaper --version`` / ``--help`` must stay fast.
"""

from __future__ import annotations


class Engine:
    """One TeX engine: how latexmk selects it, what to install, what mdpaper may do with it."""

    __slots__ = ("name", "latexmk_flag", "debian_packages", "writes_pdf", "preamble_format",
                 "unicode")

    def __init__(self, name: str, latexmk_flag: str, debian_packages: tuple[str, ...], *,
                 writes_pdf: bool, preamble_format: bool, unicode: bool) -> None:
        self.name = name
        #: The latexmk option that selects the engine.
        self.latexmk_flag = latexmk_flag
        #: Debian packages it needs beyond ``BASE_PACKAGES``.
        self.debian_packages = debian_packages
        #: It writes the PDF itself, so one pass can make the final PDF (the one-pass edit
        #: rebuild); xelatex writes .xdv and leaves the PDF to xdvipdfmx.
        self.writes_pdf = writes_pdf
        #: A precompiled preamble format works with it: LuaTeX keeps Lua state outside its
        #: formats, and xelatex builds go through latexmk anyway.
        self.preamble_format = preamble_format
        #: It reads UTF-8 text natively (fontspec fonts), so prose needs no escaping of
        #: non-ASCII characters.
        self.unicode = unicode

    def __repr__(self) -> str:
        return f"Engine({self.name!r})"


ENGINES: dict[str, Engine] = {
    engine.name: engine
    for engine in (
        Engine("pdflatex", "-pdf", (), writes_pdf=True, preamble_format=True, unicode=False),
        Engine("xelatex", "-xelatex", ("texlive-xetex",),
               writes_pdf=False, preamble_format=False, unicode=True),
        Engine("lualatex", "-lualatex", ("texlive-luatex",),
               writes_pdf=True, preamble_format=False, unicode=True),
    )
}
#: The names, in the order the command line and error messages list them.
ENGINE_NAMES: tuple[str, ...] = tuple(ENGINES)
#: What a post gets when neither it, the site config nor the command line chooses.
DEFAULT_ENGINE = "pdflatex"
#: The engine arXiv's compile service runs; the bundle's proof runs the same.
ARXIV_ENGINE = "pdflatex"

#: What every engine needs: latexmk, LaTeX and the packages mdpaper's templates load.
BASE_PACKAGES: tuple[str, ...] = (
    "latexmk", "texlive-latex-base", "texlive-latex-recommended", "texlive-latex-extra",
    "texlive-fonts-recommended", "texlive-plain-generic",
)


def install_hint(engine: str) -> str:
    """The Debian command that installs what ``engine`` needs."""
    packages = BASE_PACKAGES + ENGINES[engine].debian_packages
    return f"sudo apt-get install {' '.join(packages)}"
