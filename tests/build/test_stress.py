"""Stress posts: extreme but legal shapes all build, checked through the PDF's text.

The two heavy ones (5,000 footnotes, a 5 MB post) are marked ``heavy``; they run in CI
too (about 40 s together here), and ``-m "not heavy"`` skips them while iterating.
"""

from __future__ import annotations

import subprocess
import time

import pytest

from mdpaper.build.post import build_post

from conftest import Site, pdf_internal_link_targets, pdf_text, requires_tex, squash

pytestmark = [requires_tex, pytest.mark.tex]

#: Build times, printed in pytest's summary (conftest).
REPORT: dict[str, str] = {}


def timed_build(name: str, post):  # type: ignore[no-untyped-def]
    start = time.monotonic()
    result = build_post(post)
    REPORT[f"stress, {name}"] = f"{time.monotonic() - start:.1f} s, {result.pages} pages"
    return result


def test_lists_nested_ten_deep(site: Site) -> None:
    lines = []
    for depth in range(10):
        marker = ["-", "1.", "*", "- [x]"][depth % 4]
        lines.append("   " * depth + f"{marker} level {depth + 1} item")
    for depth in reversed(range(10)):  # and back out, with siblings at every level
        marker = ["-", "1.", "*", "- [ ]"][depth % 4]
        lines.append("   " * depth + f"{marker} sibling {depth + 1}")
    result = timed_build("lists ten deep", site.post("\n".join(lines) + "\n"))
    text = squash(pdf_text(result.pdf))
    assert "level 10 item" in text and "sibling 10" in text and "sibling 1" in text


def test_table_with_thirty_columns(site: Site) -> None:
    cols = 30
    rows = ["| " + " | ".join(f"H{c}" for c in range(cols)) + " |",
            "|" + "|".join([":-:"] * cols) + "|"]
    rows += ["| " + " | ".join(f"r{r}c{c}" for c in range(cols)) + " |" for r in range(5)]
    result = timed_build("thirty columns", site.post("\n".join(rows) + "\n"))
    text = squash(pdf_text(result.pdf))
    assert "H29" in text and "r4c29" in text and "r0c0" in text


def test_words_and_urls_longer_than_a_line(site: Site) -> None:
    word = "Donaudampfschifffahrtsgesellschaftskapitän" * 6
    url = "https://example.com/" + "a-very-long-path-segment/" * 12 + "end?q=" + "x" * 80
    code = "some_identifier_" * 20
    post = site.post(f"{word} and more.\n\n<{url}>\n\n[a link]({url}) and `{code}`.\n\n"
                     f"```\n{code} {url}\n```\n\n| {word} | {url} |\n|---|---|\n| a | b |\n")
    result = timed_build("long words and URLs", post)
    text = squash(pdf_text(result.pdf)).replace(" ", "")
    assert "Donaudampfschifffahrtsgesellschaftskapitän" in text
    assert "a-very-long-path-segment" in text and "end?q=xxxx" in text


def test_two_headings_with_the_same_title(site: Site) -> None:
    post = site.post("## Results\n\nFirst, see [the second](#results-1).\n\n"
                     "## Results\n\nSecond, see [the first](#results).\n")
    result = timed_build("same titles", post)
    text = squash(pdf_text(result.pdf))
    assert "1 Results" in text and "2 Results" in text and "??" not in text
    tex = result.tex.read_text()
    assert "\\label{sec:results}" in tex and "\\label{sec:results-1}" in tex
    assert len(pdf_internal_link_targets(result.pdf)) >= 2
    assert not [d for d in result.diagnostics if "multiply" in d.message]


def test_empty_post(site: Site) -> None:
    post = site.root / "content" / "posts" / "empty.md"
    post.write_text("")
    result = timed_build("empty post", post)
    assert result.pages == 1 and "Empty" in pdf_text(result.pdf)  # title from the file name


def test_post_with_only_front_matter(site: Site) -> None:
    post = site.post("", front="---\ntitle: Only a title\nauthor: A. Writer\n---\n")
    result = timed_build("front matter only", post)
    assert "Only a title" in squash(pdf_text(result.pdf))


@pytest.mark.heavy
def test_five_thousand_footnotes(site: Site) -> None:
    n = 5000  # ten per paragraph: one 5,000-note paragraph takes TeX 30 s a pass to break
    paragraphs = "\n\n".join(" ".join(f"Claim {i}[^n{i}]." for i in range(j, j + 10))
                              for j in range(1, n + 1, 10))
    notes = "\n".join(f"[^n{i}]: Note number {i} with $x_{{{i}}}$ and `c{i}`." for i in
                      range(1, n + 1))
    result = timed_build("5,000 footnotes", site.post(paragraphs + "\n\n" + notes + "\n"))
    text = squash(pdf_text(result.pdf))
    assert "Note number 1 with" in text and "Note number 5000 with" in text
    assert not [d for d in result.diagnostics if d.severity == "error"]


_PROSE = ("Paragraph {i}.{k} with **bold**, *emphasis*, `code_{i}`, $H(X_{{{i}}})$, a link to "
          "<https://example.com/{i}> and 100% of the usual specials: # \\$5 ~ ^ _ {{ }}. "
          "Information theory measures what a message tells the receiver, and the entropy "
          "of a source bounds how far it can be compressed without loss.[^f{i}] ")
_EXTRA = """| a | b | c |
|---|:-:|--:|
| {i} | é | x |

```python
def f_{i}(x):  # comment
    return x ** 2
```

$$
\\int_0^1 f_{{{i}}}(x)\\,dx
$$
"""


def _five_megabytes() -> str:
    """Mostly prose, as posts are; every tenth section adds a table, code and a display."""
    parts, size, i = [], 0, 0
    while size < 5_000_000:
        piece = (f"## Section {i}: entropy & *information*\n\n"
                 + "\n\n".join(_PROSE.format(i=i, k=k) * 2 for k in range(3))
                 + f"\n\n- item {i}.1 with [a link](https://example.org/{i})\n"
                 f"  1. nested {i}.2\n\n[^f{i}]: Footnote {i}.\n\n"
                 + (_EXTRA.format(i=i) if i % 10 == 0 else ""))
        parts.append(piece)
        size += len(piece.encode())
        i += 1
    return "".join(parts)


@pytest.mark.heavy
def test_five_megabyte_post(site: Site) -> None:
    body = _five_megabytes()
    post = site.post(body)
    assert post.stat().st_size >= 5_000_000
    result = timed_build("5 MB post", post)
    assert result.pages and result.pages > 1000
    last = body.rsplit("## Section ", 1)[1].split(":", 1)[0]
    tail = subprocess.run(["pdftotext", "-f", str(result.pages - 3), str(result.pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert f"Section {last}:" in tail
