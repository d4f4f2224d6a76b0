"""The conversion's fast paths give exactly what the slow paths they replace give."""

from __future__ import annotations

import shutil

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
from mdpaper.latex import code
from mdpaper.latex.escape import (
    KNOWN_WITHOUT_LOOKUP,
    lookup_needed,
    pdflatex_characters,
    pdflatex_knows,
)
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
