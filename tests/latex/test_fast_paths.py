"""The conversion's fast paths give exactly what the slow paths they replace give."""

from __future__ import annotations

import shutil
from pathlib import Path

import mistune
import pygments
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pygments import highlight
from pygments.formatters import LatexFormatter
from pygments.lexers import get_lexer_by_name
from pygments.token import Token

from mdpaper.document.assemble import _pylatex_skeleton, skeleton
from mdpaper.latex import code, escape
from mdpaper.latex.escape import (
    KNOWN_WITHOUT_LOOKUP,
    TextEscaper,
    lookup_needed,
    pdflatex_characters,
    pdflatex_knows,
    pdflatex_needs,
)
from mdpaper.latex.renderer import LatexRenderer, RenderContext
from mdpaper.latex.scripts import pdflatex_support
from mdpaper.markdown.parser import create_parser

SNIPPETS = [
    ("python", 'def f(x):  # 100% {braces} \\\\bs\n    return x ** 2 - 1 if x else "a\'b"\n'),
    ("c", "#include <stdio.h>\nint main(){ printf(\"%d\\n\", a[i] ^ b & ~c); }\n"),
    ("latex", "\\begin{equation} x_1^2 \\end{equation} % comment $x$\n"),
    ("bash", "echo ${HOME} | grep -E '^/root' && ls ~ # done\n"),
    ("text", "\x00\x01\x02 control and plain <text> -- with 'quotes' \"too\"\n"),
    ("", "no language at all { } \\ ^ _\n"),
]

CODE_TEXT = st.text(alphabet=st.sampled_from(list("ab xy\n\t\\{}^_&<>#%$-'\"~`()[]=:;,.0\x00\x01")),
                    max_size=80)


def pygments_output(source: str, language: str) -> str:
    """What Pygments' public API writes for our options, Verbatim included."""
    formatter = LatexFormatter(style=code.STYLE, commandprefix="PY", verboptions="")
    return highlight(source, code._lexer(language), formatter)


def test_formatter_matches_pygments_latex_formatter() -> None:
    for language, source in SNIPPETS:
        fast = code._format(code._lexer(language).get_tokens(source))
        assert fast == pygments_output(source, language), language


@settings(max_examples=200, deadline=None)
@given(source=CODE_TEXT, language=st.sampled_from(["python", "c", "latex", "text", "json"]))
def test_formatter_matches_on_any_text(source: str, language: str) -> None:
    fast = code._format(code._lexer(language).get_tokens(source))
    assert fast == pygments_output(source, language)


def test_formatter_matches_on_token_types_the_style_does_not_name() -> None:
    # Lexers may invent token types (Token.Name.Builtin.Pseudo...); their style name is
    # built from the nearest ancestors the style knows.
    tokens = [(Token.Name.Invented.Deeper, "a{b}\\c"), (Token.Comment.Made.Up, "% x\n"),
              (Token.Escape, "\\textbf{raw}"), (Token.Text, "~'\"")]
    formatter = LatexFormatter(style=code.STYLE, commandprefix="PY", verboptions="")
    assert code._format(tokens) == pygments.format(tokens, formatter)


def test_lexers_are_reused() -> None:
    assert code._lexer("python") is code._lexer("python")
    assert code._lexer("no-such-language") is code._lexer("no-such-language")
    assert type(code._lexer("no-such-language")) is type(get_lexer_by_name("text"))


PROSE = st.lists(st.sampled_from(["http://", "https://a.b", "h", "t", "p", "s", ":", "/", ".",
                                  " ", "*", "_", "`", "[", "]", "(", ")", "!", "<", ">", "$",
                                  "\\", "{", "}", "~", "&", ";", "#", "\n", "x", "hellip"]),
                 max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=PROSE)
@example(text="see http://a.b/c, https://x.y/z. and hhttp://q.r or http:/ no")
@example(text="the thing &hellip; h*h* _h_ [h](http://h.h) <http://h> `h`")
def test_inline_fast_path_gives_the_same_tokens(text: str) -> None:
    fast = create_parser()
    slow = create_parser()
    # mistune's own inline parser, with the same rules registered.
    stock = mistune.InlineParser(max_nested_level=fast.inline.max_nested_level)
    stock.specification = slow.inline.specification
    stock.rules = slow.inline.rules
    stock._methods = slow.inline._methods
    stock._rule_start_chars = slow.inline._rule_start_chars
    slow.inline = stock
    assert plain(fast.parse_post(text, 1).tokens) == plain(slow.parse_post(text, 1).tokens)


def plain(tokens: list) -> list:
    """Tokens as plain data, inline children parsed (block tokens parse them on demand)."""
    out = []
    for tok in tokens:
        if isinstance(tok, dict):
            children = tok.get("children")
            tok = {k: v for k, v in dict.items(tok) if k != "children"}
            if children is not None:
                tok["children"] = plain(children)
        out.append(tok)
    return out


def test_lazy_inline_tokens_parse_on_first_use() -> None:
    parsed = create_parser().parse_post("Some *emphasis* and $x$.\n\n# Title\n", 1)
    para = parsed.tokens[0]
    assert "text" in dict.keys(para) and "children" in para
    assert [c["type"] for c in para["children"]] == ["text", "emphasis", "text",
                                                     "inline_math", "text"]
    assert "text" not in dict.keys(para) and para.get("children") is para["children"]


@settings(max_examples=100, deadline=None)
@given(documentclass=st.sampled_from(["article", "amsart", "scrartcl", "IEEEtran"]),
       options=st.lists(st.sampled_from(["11pt", "a4paper", "twocolumn", "fontsize=10pt",
                                         "DIV=12", "conference"]), max_size=3),
       preamble=st.lists(st.text(alphabet="\\{}% abc\n[]", max_size=20), max_size=4),
       front=st.lists(st.text(alphabet="\\{}% xyz\n", max_size=20), max_size=3))
def test_document_skeleton_is_pylatex_output(documentclass: str, options: list[str],
                                             preamble: list[str], front: list[str]) -> None:
    assert skeleton(documentclass, options, preamble, front) == _pylatex_skeleton(
        documentclass, options, preamble, front)


def test_common_european_characters_need_no_dfu_lookup() -> None:
    """``pdflatex_knows`` answers Latin-1, Latin Extended-A and the common dashes and quotes
    without reading the .dfu files: the installed T1/TS1 files must declare every one of
    them, as assumed, and no other character is answered without them."""
    if shutil.which("kpsewhich") is None:
        pytest.skip("needs TeX Live's kpsewhich")
    assert pdflatex_characters() >= KNOWN_WITHOUT_LOOKUP
    assert {chr(c) for c in range(0xA0, 0x100)} <= KNOWN_WITHOUT_LOOKUP
    assert not lookup_needed("Ada Müller, déjà vu – “naïve” Łódź") and lookup_needed("ħ ж")
    assert not pdflatex_knows("\u0127")  # ħ: T1 has no such glyph, and the files say so


# --- formulas converted once per document (latex.math.checked_math) ---------------------

FORMULA_PIECES = ["x", "\\R", "\\foo", "\\newcommand{\\R}{X}", "\\def\\foo{y}", "\\def\\foo{z}",
                  "é", "ħ",
                  "\\mathbb{1}", "\\color{#f00}{z}", "\\begin{cases}a\\end{cases}", "{",
                  "\\input{x}", "\\unknownword", "\\text{ж}", "\\sum_i"]


def _render_math(markdown: str, tmp_path: Path, *, memo: bool) -> tuple[str, list[str]]:
    parser = create_parser()
    parsed = parser.parse_post(markdown, 1)
    ctx = RenderContext(post_path=tmp_path / "post.md", site_root=tmp_path,
                        post_dir=tmp_path, parser=parser)
    renderer = LatexRenderer(ctx)
    if not memo:  # every footprint differs from every other: nothing is remembered
        renderer.state.footprint = object  # type: ignore[method-assign,assignment]
    result = renderer.render(parsed.tokens, parsed.footnotes)
    requirements = [repr(r) for r in renderer.state.requirements.values()]
    messages = [f"{d.line}: {d.severity}: {d.message}" for d in ctx.diagnostics.items]
    return result.body, requirements + messages


@settings(max_examples=150, deadline=None)
@given(formulas=st.lists(st.lists(st.sampled_from(FORMULA_PIECES), min_size=1, max_size=3)
                         .map(" ".join), min_size=1, max_size=4),
       order=st.lists(st.integers(min_value=0, max_value=3), min_size=1, max_size=12))
@example(formulas=["\\def\\foo{y}", "\\def\\foo{z}"], order=[0, 0, 1, 0])  # the last one wins
def test_remembered_formulas_give_what_converting_them_again_gives(
        formulas: list[str], order: list[int], tmp_path_factory: pytest.TempPathFactory) -> None:
    """The same formula met again (after a definition, a warning, a package) gives the
    same LaTeX, preamble and located messages as converting every occurrence afresh."""
    tmp = tmp_path_factory.mktemp("memo")
    markdown = "\n\n".join(f"Line ${formulas[i % len(formulas)]}$ here." for i in order) + "\n"
    assert _render_math(markdown, tmp, memo=True) == _render_math(markdown, tmp, memo=False)


def test_a_repeated_formula_follows_the_posts_own_definitions(tmp_path: Path) -> None:
    body, messages = _render_math("$\\R$ and $\\R$\n\n$\\newcommand{\\R}{X}$\n\n$\\R$ and $\\R$\n"
                                  "\n$\\nosuchword$\n\n$\\nosuchword$\n", tmp_path, memo=True)
    first, after = body.split("\n\n")[:2]  # (the definition itself shows nothing)
    assert first.count("\\mathbb{R}") == 2  # KaTeX's \R, until the post defines its own
    assert after == "\\(\\R\\) and \\(\\R\\)"
    assert [m.split(":")[0] for m in messages if "nosuchword" in m] == ["7", "9"]


def test_a_plain_bibliography_starts_no_kpsewhich() -> None:
    """Under pdflatex the .bib's characters are checked for scripts beyond T1; a .bib with
    none reads no encoding files (a kpsewhich run is a tenth of a second of every build)."""
    pdflatex_support.cache_clear()
    assert pdflatex_needs("@article{a, author = {M{\\\"u}ller, Łódź}, title = {x}}") == set()
    assert pdflatex_support.cache_info().currsize == 0
    if shutil.which("kpsewhich") is not None:
        assert pdflatex_needs("@book{b, title = {Война и мир}}") == {"cyrillic"}
        assert pdflatex_needs("@book{b, title = {\\cyrv\\cyro\\cyrishrt}}") == {"cyrillic"}


PROSE_TEXT = st.text(alphabet=st.sampled_from(list("ab .\n\t\\{}^_&#%$~'\"-\x00\x01\x7f()")),
                     max_size=60)


@settings(max_examples=300, deadline=None)
@given(PROSE_TEXT, st.booleans())
@example('a "quoted" word... and \'this\' {x}_1 #2 $3 100%', True)
def test_ascii_prose_escapes_as_the_full_pattern_does(text: str, typographic: bool) -> None:
    """ASCII text is matched by the pattern's ASCII branches alone: the same LaTeX."""
    escaper = TextEscaper("pdflatex")
    fast = escaper(text, typographic=typographic)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(escape, "_ASCII_TEXT_RE", escape._text_re())
        assert escaper(text, typographic=typographic) == fast
