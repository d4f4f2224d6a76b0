"""Pandoc-style citations beside hugo-cite's shortcodes, in both citation styles, typeset
by the real natbib + BibTeX (the golden file pandoc-citations pins the LaTeX)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdpaper.build.convert import convert
from mdpaper.build.post import BuildOptions, build_post
from mdpaper.errors import MdpaperError
from mdpaper.markdown.citations_pandoc import parse_items
from mdpaper.source.site import load_post

from conftest import Site, pdf_text, requires_tex, squash

TEXT = """Brackets [@shannon1948] and two [@shannon1948; @cover2006].
Notes [see @cover2006, p. 14; also @shannon1948].
Year only: Shannon [-@shannon1948]. In text @cover2006 [p. 5] says so.
Mixed with hugo-cite {{< cite "jeon2022information" >}}.
Mail ada@example.org stays.
"""


def test_items() -> None:
    assert parse_items("see @a, p. 4; -@b") == [
        {"key": "a", "prefix": "see", "suffix": "p. 4", "suppress": False},
        {"key": "b", "prefix": "", "suffix": "", "suppress": True}]
    assert parse_items("mail me@example.org") is None


def test_unknown_key_in_brackets_is_an_error_with_a_hint(site: Site) -> None:
    post = site.post("Text [@shanon1948, p. 3].\n")
    with pytest.raises(MdpaperError, match="unknown citation key 'shanon1948'; did you mean "
                       "'shannon1948'") as err:
        convert(load_post(post), "p")
    assert err.value.line == 5


def test_without_bibliography_brackets_stay_text(site: Site) -> None:
    post = site.post("Thanks [@alice] and @bob.\n", front="---\ntitle: T\n---\n")
    conversion = convert(load_post(post), "p")
    assert "Thanks [@alice] and @bob." in conversion.result.body
    assert "names no bibliography" in conversion.result.diagnostics[0].message


@requires_tex
@pytest.mark.tex
@pytest.mark.parametrize("style", ["author-year", "numeric"])
def test_pandoc_citations_typeset(site: Site, tmp_path: Path, style: str) -> None:
    post = site.post(TEXT)
    result = build_post(post, BuildOptions(outdir=tmp_path, citation_style=style))
    text = squash(pdf_text(result.pdf))
    assert "??" not in text and "ada@example.org" in text
    if style == "author-year":
        assert "Brackets (Shannon, 1948) and two (Shannon, 1948; Cover and Thomas, 2006)" in text
        assert "Notes (see Cover and Thomas, 2006, p. 14; also Shannon, 1948)" in text
        assert "Shannon (1948). In text Cover and Thomas (2006, p. 5) says so" in text
        assert "hugo-cite (Jeon et al., 2022)" in text
    else:
        # plainnat numbers the entries alphabetically: Cover 1, Jeon 2, Shannon 3
        assert "Brackets [3] and two [1, 3]" in text
        assert "Notes [see 1, p. 14; also 3]" in text
        assert "In text Cover and Thomas [1, p. 5] says so" in text
        assert "hugo-cite [2]" in text and "[3] Claude E. Shannon" in text
