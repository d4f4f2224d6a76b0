"""``00README.json``: arXiv's processing directives for a submission.

Keys follow arXiv's own reader (``tex2pdf_tools.zerozeroreadme`` in arXiv/submission-tools,
the code behind info.arxiv.org/help/00README.html). That reader rejects unknown keys, both
at the top level and inside ``process`` and each ``sources`` entry, so we write only:

* ``spec_version``: 1, the first (and current) documented version of the format;
* ``process.compiler``: ``"pdflatex"``, the compiler string for etex/latex/pdf/no post-step,
  or ``"xelatex"``/``"lualatex"`` for a paper set with a Unicode engine (CJK, Cyrillic…);
* ``sources``: the main file with ``usage: "toplevel"``. Other files are not listed:
  arXiv's generated files list only top-level files, and the other usages
  (``include``, ``ignore``, ``append``) mean things we do not want for .bbl/.bib/figures;
* ``texlive_version``: the TeX Live year arXiv should compile with.

``process.bibliography`` appears in the prose spec but not in the reader's model (which
forbids extra fields), so it is left out; arXiv uses the shipped .bbl in any case.
"""

from __future__ import annotations

import json
from typing import Any

from mdpaper.tex.engines import ARXIV_COMPILERS, ARXIV_ENGINE

#: The TeX Live arXiv uses by default (it keeps two: the current one and the previous,
#: 2023). A natbib/BibTeX .bbl does not depend on it, unlike a biblatex one.
ARXIV_TEXLIVE_VERSION = 2025
SPEC_VERSION = 1


def zzrm(main_tex: str, texlive_version: int | None = ARXIV_TEXLIVE_VERSION,
         engine: str = ARXIV_ENGINE) -> dict[str, Any]:
    """The 00README content for a bundle whose top-level file is ``main_tex``, compiled with
    ``engine`` (arXiv's spec lists pdflatex, xelatex and lualatex as compilers)."""
    data: dict[str, Any] = {
        "spec_version": SPEC_VERSION,
        "process": {"compiler": engine if engine in ARXIV_COMPILERS else ARXIV_ENGINE},
        "sources": [{"filename": main_tex, "usage": "toplevel"}],
    }
    if texlive_version is not None:
        data["texlive_version"] = texlive_version
    return data


def zzrm_json(main_tex: str, texlive_version: int | None = ARXIV_TEXLIVE_VERSION,
              engine: str = ARXIV_ENGINE) -> str:
    return json.dumps(zzrm(main_tex, texlive_version, engine), indent=2) + "\n"
