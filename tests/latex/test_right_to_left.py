"""Arabic and Hebrew read right to left in the PDF, as the browser lays them out: the words
of a right-to-left sentence from right to left, a Latin name or a formula inside it in its
own order (``latex.direction``). Checked on the PDF's word positions."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

import pytest

from mdpaper.build.post import BuildOptions, build_post
from mdpaper.latex.direction import marked

from conftest import Site, pdf_text, requires_tex

_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>')


def _words(pdf: Path) -> list[tuple[float, float, str]]:
    """Each word's left edge, top and text, a right-to-left word spelled in its reading
    order (pdftotext gives its glyphs left to right, in presentation forms)."""
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    found = []
    for x, y, word in _WORD.findall(bbox):
        word = unicodedata.normalize("NFKC", word)
        if any(unicodedata.bidirectional(c) in ("R", "AL") for c in word):
            word = word[::-1]
        found.append((float(x), float(y), word))
    return found


def _lines(pdf: Path) -> list[list[str]]:
    """Each line's words from left to right as the page shows them."""
    rows: dict[float, list[tuple[float, str]]] = {}
    for x, y, word in _words(pdf):
        row = next((r for r in rows if abs(r - y) < 3), y)
        rows.setdefault(row, []).append((x, word))
    return [[w for _, w in sorted(rows[r])] for r in sorted(rows)]


def _line_with(lines: list[list[str]], word: str) -> list[str]:
    return next(line for line in lines if word in line)


@requires_tex
@pytest.mark.tex
def test_right_to_left_sentences_read_from_the_right(site: Site) -> None:
    post = site.post(
        "## مقدمة قصيرة\n\n"
        "هذه جملة **عربية** مع GPT model والمعادلة $x+y$ هنا.\n\n"
        "The word كتاب جميل means a nice book.\n\n"
        "שלום עולם יפה\n")
    result = build_post(post, BuildOptions(engine="xelatex"))
    assert result.pdf is not None
    lines = _lines(result.pdf)
    # a right-to-left paragraph: its first word rightmost, the Latin name within it in
    # its own order, placed where the sentence reaches it
    sentence = _line_with(lines, "هذه")
    assert sentence.index("هذه") > sentence.index("جملة") > sentence.index("عربية")
    assert sentence.index("GPT") + 1 == sentence.index("model")
    assert sentence.index("عربية") > sentence.index("model")
    heading = _line_with(lines, "مقدمة")
    assert heading.index("مقدمة") > heading.index("قصيرة")
    # a left-to-right paragraph: the Arabic phrase reads from its right, between the words
    # the English sentence puts it
    english = _line_with(lines, "word")
    assert english.index("word") < english.index("جميل") < english.index("كتاب")
    assert english.index("كتاب") < english.index("means")
    hebrew = _line_with(lines, "שלום")
    assert hebrew == ["יפה", "עולם", "שלום"]
    assert not [d for d in result.diagnostics if "left to right" in d.message]


@requires_tex
@pytest.mark.tex
@requires_tex
@pytest.mark.tex
def test_arabic_letters_join_and_latin_numbers_keep_their_order(site: Site) -> None:
    """Arabic is shaped in a family of its own: its letters join (presentation forms in
    the PDF), while the Latin text's "9," and "(3.14)" read as written (a main font that
    shapes Arabic ordered every word right to left: ",9", "(3.14(")."""
    post = site.post("نص عربي طويل.\n\nOn August 9, 2015 (see 3.14) we met.\n")
    result = build_post(post, BuildOptions(engine="xelatex"))
    assert result.pdf is not None
    text = pdf_text(result.pdf)
    assert "August 9, 2015 (see 3.14) we met." in text
    assert "\ufecb" in text or "\ufeb3" in text  # (ع or س in a joined form)


def test_a_right_to_left_paragraph_ends_at_the_right_margin(site: Site) -> None:
    """TeX closes the paragraph's stretch after its final fill: its last line is set
    against the right margin, where right-to-left text starts."""
    post = site.post("تمهيد\n\nكلمة أخيرة\n\nA line on the left.\n")
    result = build_post(post, BuildOptions(engine="xelatex"))
    assert result.pdf is not None
    left = {word: x for x, _, word in _words(result.pdf)}
    assert left["كلمة"] > left["line"] + 150


def test_digits_and_spaces_follow_the_letters_around_them() -> None:
    """A number after Arabic words belongs to their stretch; the spaces around a Latin word
    between Arabic ones are the paragraph's (a left-to-right paragraph here)."""
    tokens = [{"type": "text", "raw": "In 2020 سنة 2021 كانت, then GPT."}]
    out = "".join(t["raw"] for t in marked(tokens, paragraph=True))
    assert out == "In 2020 \\beginR سنة 2021 كانت\\endR{}, then GPT."


def test_a_stretch_crosses_emphasis_and_formulas_are_neutral() -> None:
    tokens = [{"type": "text", "raw": "نص "},
              {"type": "strong", "children": [{"type": "text", "raw": "عريض"}]},
              {"type": "text", "raw": " و "}, {"type": "inline_math", "raw": "x"},
              {"type": "text", "raw": " ok"}]
    out = marked(tokens, paragraph=False)
    flat = [t["raw"] if "raw" in t else [c["raw"] for c in t["children"]] for t in out]
    assert flat[0] == "\\beginR " and flat[-1] == "\\endR{}"
    assert ["عريض"] in flat  # the bold word: inside the stretch, unmarked
    # the formula has no stretch of its own; the Latin word after it has
    assert flat[flat.index("x"):] == ["x", " ", "\\beginL ", "ok", "\\endL{}", "\\endR{}"]


def test_text_without_right_to_left_letters_is_left_alone() -> None:
    tokens = [{"type": "text", "raw": "plain 123 text"}]
    assert marked(tokens, paragraph=True) is tokens


@requires_tex
@pytest.mark.tex
def test_lualatex_still_says_its_words_run_left_to_right(site: Site) -> None:
    """LuaTeX has no TeX--XeT: the post's Arabic runs left to right, and the build says so."""
    post = site.post("هذه جملة\n")
    result = build_post(post, BuildOptions(engine="lualatex", tex_only=True))
    assert any("left to right" in d.message for d in result.diagnostics)
    assert "\\beginR" not in result.tex.read_text(encoding="utf-8")


def test_front_matter_words_are_set_in_their_script(site: Site) -> None:
    """Keywords and affiliations are no Markdown, but right-to-left all the same."""
    post = site.post("نص.\n", front="---\ntitle: T\nkeywords: [تعلم الآلة, graphs]\n---\n")
    result = build_post(post, BuildOptions(engine="xelatex", tex_only=True))
    tex = result.tex.read_text(encoding="utf-8")
    assert "\\beginR {\\mdpaperarabic{}تعلم الآلة}\\endR{}" in tex


def test_a_link_inside_a_right_to_left_sentence_is_still_an_address(site: Site) -> None:
    """The marks go around the link, not into it: an autolink stays ``\\url``."""
    post = site.post("انظر <https://example.org/a_b> هنا.\n")
    result = build_post(post, BuildOptions(engine="xelatex", tex_only=True))
    assert "\\url{https://example.org/a_b}" in result.tex.read_text(encoding="utf-8")
