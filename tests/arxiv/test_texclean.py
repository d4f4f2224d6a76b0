"""The comment stripper: keeps what TeX reads as text, drops only what TeX ignores."""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mdpaper.arxiv.texclean import strip_comments


@pytest.mark.parametrize(
    ("tex", "expected"),
    [
        # escaped percent survives; the comment after it goes with its space
        ("50\\% of it % note\nnext", "50\\% of it\nnext"),
        # \\ is one control symbol, so the % after it does start a comment
        ("line\\\\% note\nnext", "line\\\\%\nnext"),
        # a comment glued to text keeps a bare % so the newline stays eaten
        ("com% note\nments", "com%\nments"),
        ("com%\nments", "com%\nments"),
        # a comment-only line disappears entirely, even indented; blank lines stay
        ("a\n% note\n  % indented\nb\n\nc\n", "a\nb\n\nc\n"),
        ("% first line\nx", "x"),
        # control space: its space is not ours to trim
        ("\\ % note\n", "\\ %\n"),
    ],
)
def test_comments_and_glue(tex: str, expected: str) -> None:
    assert strip_comments(tex) == expected


@pytest.mark.parametrize(
    ("tex", "expected"),
    [
        ("\\url{https://x.org/a%20b} % note\n", "\\url{https://x.org/a%20b}\n"),
        ("see \\url|https://x.org/%7E| % note", "see \\url|https://x.org/%7E|"),
        ("\\path{C:/50%/x}% note", "\\path{C:/50%/x}%"),
        ("\\nolinkurl{x%y}", "\\nolinkurl{x%y}"),
        # only the URL argument of \href is verbatim; in its text % is a comment
        ("\\href{https://x.org/%7Eu}{100\\% page} % c", "\\href{https://x.org/%7Eu}{100\\% page}"),
        ("\\href{https://x.org/}{50% off}\n}", "\\href{https://x.org/}{50%\n}"),
        ("\\url {https://x.org/a%20b}", "\\url {https://x.org/a%20b}"),
    ],
)
def test_urls_keep_their_percent(tex: str, expected: str) -> None:
    assert strip_comments(tex) == expected


PYGMENTS = (
    "\\begin{Verbatim}[commandchars=\\\\\\{\\}]\n"
    "\\PY{n}{x} \\PY{o}{\\PYZpc{}} \\PY{l+m+mi}{2} % raw percent\n"
    "% a whole line that is code, not a comment\n"
    "\n"
    "\\end{Verbatim}"
)


@pytest.mark.parametrize(
    "block",
    [
        PYGMENTS,
        '\\begin{verbatim}\nprintf("%d%%", x); % kept\n%\n\\end{verbatim}',
        "\\begin{verbatim*}\n% kept\n\\end{verbatim*}",
        "\\begin{lstlisting}[language=C]\nx %= 2; % kept\n\\end{lstlisting}",
        "\\begin{minted}{python}\nx % 2  # kept\n\\end{minted}",
        "\\begin{BVerbatim}\n% kept\n\\end{BVerbatim}",
        "\\begin{alltt}\n100% kept\n\\end{alltt}",
    ],
)
def test_verbatim_environments_are_untouched(block: str) -> None:
    tex = f"before % gone\n{block}% after\nend"
    assert strip_comments(tex) == f"before\n{block}%\nend"


@pytest.mark.parametrize(
    "inline",
    [
        "\\verb|x % 2|",
        "\\verb*|a % b|",
        "\\verb+%+",
        "\\lstinline|x % 2|",
        "\\lstinline[language=C]{x % 2}",
        "\\mintinline{python}{x % 2}",
        "\\mintinline{python}|x % 2|",
        "\\Verb|%|",
    ],
)
def test_inline_verbatim_keeps_percent(inline: str) -> None:
    assert strip_comments(f"code {inline} here % note") == f"code {inline} here"


def test_a_comment_mentioning_verbatim_is_still_a_comment() -> None:
    tex = "% \\begin{verbatim}\nx % gone\n% \\end{verbatim}\n"
    assert strip_comments(tex) == "x\n"


def test_comment_environment_goes_with_its_blank_lines() -> None:
    tex = "a\n\\begin{comment}\nhidden % x\n\nstill hidden\n\\end{comment}\nb\n"
    # The blank line inside was no paragraph break for TeX either: it must not appear.
    assert strip_comments(tex) == "a\nb\n"


def test_unclosed_comment_environment_is_kept() -> None:
    tex = "a\n\\begin{comment}\nnever closed\n"
    assert strip_comments(tex) == tex


def test_iffalse_block_goes_nested_conditionals_counted() -> None:
    tex = (
        "a\n"
        "\\iffalse\n"
        "\\ifx\\a\\b nested \\fi\n"
        "\\ifthenelse{\\boolean{x}}{not a conditional}{}\n"
        "% \\fi in a comment does not count\n"
        "\n"
        "\\fi\n"
        "b\n"
    )
    assert strip_comments(tex) == "a\nb\n"


def test_iffalse_keeps_text_after_its_fi() -> None:
    assert strip_comments("\\iffalse x\n\\fi  after\n") == "after\n"


@pytest.mark.parametrize(
    "tex",
    [
        "x \\iffalse y\\fi z",  # mid-line: not a commented-out block
        "\\def\\x{%\n\\iffalse{\\fi}\n}",  # brace trick: unbalanced braces inside
        "\\iffalse\nno fi at all\n",  # unmatched: keep it rather than eat the document
    ],
)
def test_iffalse_left_alone(tex: str) -> None:
    out = strip_comments(tex)
    assert "\\iffalse" in out


def test_crlf_and_trailing_newline() -> None:
    assert strip_comments("a % c\r\nb\r\n") == "a\nb\n"
    assert strip_comments("a % c") == "a"


@given(st.text(alphabet=st.characters(blacklist_characters="%\\"), max_size=200))
def test_text_without_percent_or_backslash_is_unchanged(text: str) -> None:
    assert strip_comments(text) == text.replace("\r\n", "\n")


TEX_ALPHABET = st.sampled_from(
    ["a", "b", " ", "\n", "%", "\\", "{", "}", "|", "\\%", "\\\\", "\\verb|%|",
     "\\url{a%b}", "\\iffalse", "\\fi", "\\begin{verbatim}", "\\end{verbatim}",
     "\\begin{comment}", "\\end{comment}", "x%y\n"]
)  # fmt: skip


@given(st.lists(TEX_ALPHABET, max_size=40).map("".join))
def test_stripping_is_idempotent(tex: str) -> None:
    once = strip_comments(tex)
    assert strip_comments(once) == once


# Pieces that always compile, whatever their order: random documents built from them must
# typeset to the same text before and after stripping (checked with the real pdflatex).
PIECES = [
    "word", "other", " ", "  ", "\t", "\n", "\n\n", "% c\n", "%\n", " x%y\n", " % spaced\n",
    "\\%", "\\verb|a%b|", "\\url{a%b}", "\\LaTeX{}", "\\TeX{}", "\\TeX{}%\n", "\\relax{}",
    "\\ ", "\\ %\n", "{}%\n", "\n% full\n", "\n  % indented\n",
    "\n\\iffalse\nhidden\n\n\\fi\n",
    "\n\\begin{verbatim}\nv % v\n\n\\end{verbatim}\n",
    "\n\\begin{comment}\nc\n\n\\end{comment}\n",
]  # fmt: skip


@pytest.mark.tex
@pytest.mark.skipif(
    not (shutil.which("pdflatex") and shutil.which("pdftotext")), reason="needs pdflatex"
)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_stripped_documents_typeset_the_same(seed: int, tmp_path: Path) -> None:
    rng = random.Random(seed)
    body = "".join(rng.choice(PIECES) for _ in range(400))
    doc = (
        "\\documentclass{article}\n\\usepackage{url}\n\\usepackage{comment}\n"
        f"\\begin{{document}}\n{body}\n\\end{{document}}\n"
    )
    texts = []
    for name, source in (("original", doc), ("stripped", strip_comments(doc))):
        (tmp_path / f"{name}.tex").write_text(source)
        subprocess.run(
            ["pdflatex", "-interaction=batchmode", "-no-shell-escape", f"{name}.tex"],
            cwd=tmp_path, check=True, capture_output=True, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        out = subprocess.run(
            ["pdftotext", "-raw", f"{name}.pdf", "-"], cwd=tmp_path, check=True,
            capture_output=True, text=True,
        )  # fmt: skip
        texts.append(out.stdout)
    assert texts[0] == texts[1]
    assert "hidden" not in texts[1] and "v % v" in texts[1]
