"""Hypothesis strategies for posts drawn from the whole Markdown grammar mdpaper supports.

A generated post is a ``Doc``: its text and the "bad" fragments it holds on purpose (math
that must be refused or that LaTeX cannot compile). Without bad fragments every post must
build; with them it must fail with an error located in the block that holds one.
``wild=True`` also mixes in arbitrary Unicode text, where only "builds or fails located"
can be promised.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import strategies as st

#: Prose characters: LaTeX specials, Markdown punctuation, quotes, non-ASCII, CJK, emoji.
#: ``$`` and ``\\`` are left to dedicated fragments, so random text never becomes math.
PROSE = (
    "abcdefghijklmnopqrstuvwxyz ABCXYZ 0123456789     "
    "#%&_~^{}<>|*[]()!?.,;:'\"-/@+=`"
    "éèüßøæŁżçñ–—…“”‘’«»€£©°±×≤→∞αβΣ漢字かなカナ한국어🎉😀👍🏽"
    "\u00a0\u200b"
)
CITE_KEYS = ["shannon1948", "cover2006", "jeon2022information", "jeon2024information"]
URLS = [
    "https://example.com/a_b/c%20d?x=1&y=2#frag", "https://example.org/~user/$HOME/{x}",
    "mailto:someone@example.com", "http://example.net/" + "very-long-path-segment" * 4,
    "https://example.com/^^5c/x#y", "#intro", "#no-such-heading", "relative/page/",
]


@dataclass
class Doc:
    text: str
    bad: list[str] = field(default_factory=list)
    #: (first, last) line, counted from 1 in ``text``, of each block holding a bad fragment
    bad_blocks: list[tuple[int, int]] = field(default_factory=list)

    def error_expected_at(self, line: int, first_line: int) -> bool:
        """True when ``line`` (in the post file, whose body starts at ``first_line``) lies in
        a block that holds a bad fragment."""
        rel = line - first_line + 1
        return any(a <= rel <= b for a, b in self.bad_blocks)


@dataclass
class Gen:
    """Per-post counters, so ids, labels and footnotes stay unique."""

    draw: st.DrawFn
    wild: bool
    bad_rate: int  # one bad fragment per this many math draws (0: never)
    footnotes: list[str] = field(default_factory=list)
    bad: list[str] = field(default_factory=list)
    count: int = 0

    def next(self) -> int:
        self.count += 1
        return self.count


# --- math ---------------------------------------------------------------------------------

ATOMS = ["x", "y_1", "n", "2", r"\alpha", r"\infty", r"\pi", r"\mathbb{R}", r"\{a\}",
         r"\lvert z\rvert", r"\ldots", "f(x)", r"\nabla", "10\\%", r"\text{ok é}", "a'"]


@st.composite
def math(draw: st.DrawFn, depth: int = 0) -> str:
    if depth > 2:
        return draw(st.sampled_from(ATOMS))
    a = draw(math(depth + 1))
    b = draw(math(depth + 1))
    form = draw(st.sampled_from([
        "{a}", "{a} + {b}", "{a}^{{{b}}}", "{a}_{{{b}}}", r"\frac{{{a}}}{{{b}}}",
        r"\sqrt{{{a}}}", r"\left( {a} \right)", r"\sum_{{i=1}}^{{n}} {a}", r"\hat{{{a}}}",
        r"\begin{{pmatrix}} {a} & {b} \end{{pmatrix}}", "{a} < {b}", r"\operatorname{{KL}}({a})",
    ]))
    return form.format(a=a, b=b)


BAD_MATH = [r"\undefinedK", r"\input{/etc/passwd}", "x}", r"\begin{pmatrix} x", "x^^5c",
            r"\end{document}", r"\immediate\write18{touch K}", r"\frac{1}"]


def math_text(g: Gen) -> str:
    if g.bad_rate and g.draw(st.integers(0, g.bad_rate - 1)) == 0:
        marker = f"bad{len(g.bad)}x"
        frag = g.draw(st.sampled_from(BAD_MATH)).replace("K", marker)
        g.bad.append(frag)
        return frag
    return g.draw(math())


def inline_math(g: Gen) -> str:
    body = math_text(g)
    return g.draw(st.sampled_from(["${m}$", r"\({m}\)", "$${m}$$"])).format(m=body)


def block_math(g: Gen) -> str:
    n = g.next()
    form = g.draw(st.sampled_from([
        "$$\n{a}\n$$", "$$\n{a} \\\\\n{b}\n$$", "$$\n{a} &= {b} \\\\\n{b} &= {a}\n$$",
        "\\[\n{a}\n\\]", "\\begin{{align}}\n{a} &= {b} \\\\\n{b} &\\le {a}\n\\end{{align}}",
        "\\begin{{equation}}\\label{{eq:{n}}}\n{a}\n\\end{{equation}}",
        "\\begin{{align*}}\n{a} &= {b}\n\\end{{align*}}", "$$ {a} \\label{{eq:d{n}}} $$",
    ]))
    a = math_text(g)
    b = math_text(g) if "{b}" in form else ""  # a bad fragment drawn is a bad fragment used
    return form.format(a=a, b=b, n=n)


# --- inlines ------------------------------------------------------------------------------

def words(g: Gen, size: int = 12) -> str:
    if g.wild and g.draw(st.booleans()):
        return g.draw(st.text(min_size=1, max_size=size))
    text = g.draw(st.text(alphabet=PROSE, min_size=1, max_size=size))
    return text if text.strip() else "word"


def inline(g: Gen, depth: int = 0, *, in_table: bool = False) -> str:
    parts = []
    for _ in range(g.draw(st.integers(1, 5))):
        kinds = ["text", "text", "emph", "strong", "strike", "code", "link", "autolink", "url",
                 "math", "cite", "footnote", "html", "escaped", "ref", "image", "dollar",
                 "backslash"]
        if in_table or depth > 1:
            kinds = [k for k in kinds if k not in ("footnote",)]
        kind = g.draw(st.sampled_from(kinds))
        parts.append(_inline_piece(g, kind, depth, in_table))
    text = g.draw(st.sampled_from([" ", "", "\n"])).join(parts)
    return text.replace("|", "\\|").replace("\n", " ") if in_table else text


def _inline_piece(g: Gen, kind: str, depth: int, in_table: bool) -> str:
    sub = (lambda: inline(g, depth + 1, in_table=in_table)) if depth < 2 else (lambda: words(g))
    if kind == "text":
        return words(g, 20)
    if kind in ("emph", "strong", "strike"):
        mark = {"emph": g.draw(st.sampled_from(["*", "_"])), "strong": "**", "strike": "~~"}[kind]
        return f"{mark}{sub().strip() or 'x'}{mark}"
    if kind == "code":
        code = g.draw(st.text(alphabet=PROSE + "\\$", min_size=1, max_size=15)).replace("`", "")
        return f"`{code.strip() or 'c'}`"
    if kind == "link":
        return f"[{sub().strip() or 'link'}]({g.draw(st.sampled_from(URLS))})"
    if kind == "autolink":
        return "<https://example.com/auto_link?q=%41&r=~x>"
    if kind == "url":
        return "see https://example.org/" + "a_b%20" * g.draw(st.integers(1, 12)) + " now"
    if kind == "math":
        return inline_math(g)
    if kind == "cite":
        keys = "; ".join(g.draw(st.lists(st.sampled_from(CITE_KEYS), min_size=1, max_size=3)))
        page = g.draw(st.sampled_from(["", " 42", ' "ch. 3"']))
        return f'{{{{< cite "{keys}"{page} >}}}}'
    if kind == "footnote":
        n = g.next()
        g.footnotes.append(f"[^fn{n}]: {inline(g, depth + 2)}")
        return f"[^fn{n}]"
    if kind == "html":
        return g.draw(st.sampled_from([
            "<sup>2</sup>", "<sub>i</sub>", "H<br>B", "<kbd>Ctrl</kbd>", "<!-- hidden -->",
            '<span class="x">span</span>', "<em>em</em>", "<u>under</u>", "<b>bold", "</i>",
            '<a href="https://x.org">a</a>', "<del>old</del>"]))
    if kind == "escaped":
        return g.draw(st.sampled_from(['{{</* cite "key" */>}}', "{{%/* notice */%}}",
                                       "\\*not emph\\*", "\\$5", "\\#", "\\[x\\]"]))
    if kind == "ref":
        return '{{< ref "other-post.md" >}}'
    if kind == "image":
        return "![icon](/figures/pixel.png)"
    if kind == "dollar":
        return "costs \\$5 and \\$10"
    return "back\\\\ slash"


# --- blocks -------------------------------------------------------------------------------

def block(g: Gen, depth: int = 0) -> str:
    kinds = ["paragraph", "paragraph", "heading", "list", "table", "quote", "fence", "indented",
             "math", "html", "rule", "figure", "notice", "highlight", "unknown", "image"]
    if depth > 0:
        kinds = [k for k in kinds if k not in ("notice", "highlight", "figure")]
    if depth > 2:
        kinds = ["paragraph", "fence", "math"]
    kind = g.draw(st.sampled_from(kinds))
    if kind == "paragraph":
        return inline(g)
    if kind == "heading":
        level = g.draw(st.integers(1, 6))
        ident = g.draw(st.sampled_from(["", f" {{#id-{g.next()}}}", " {#dup}"]))
        return "#" * level + " " + inline(g, 1).replace("\n", " ") + ident
    if kind == "list":
        return list_block(g, depth)
    if kind == "table":
        return table(g)
    if kind == "quote":
        inner = "\n\n".join(block(g, depth + 1) for _ in range(g.draw(st.integers(1, 2))))
        return "\n".join("> " + line if line else ">" for line in inner.split("\n"))
    if kind == "fence":
        lang = g.draw(st.sampled_from(["", "python", "latex", "nosuchlang", "c {linenos=true}"]))
        return f"```{lang}\n{code_lines(g)}\n```"
    if kind == "indented":
        return "\n".join("    " + line for line in code_lines(g).split("\n"))
    if kind == "math":
        return block_math(g)
    if kind == "html":
        return g.draw(st.sampled_from(["<!-- a comment -->", "<!--more-->",
                                       "<div class=\"x\">\nraw <b>html</b>\n</div>"]))
    if kind == "rule":
        return "* * *"
    if kind == "figure":
        caption = inline(g, 2).replace('"', "'").replace("\n", " ")
        return f'{{{{< figure src="/figures/pixel.png" caption="{caption}" width="50%" >}}}}'
    if kind == "notice":
        return "{{% notice info %}}\n" + inline(g) + "\n{{% /notice %}}"
    if kind == "highlight":
        return "{{< highlight python >}}\n" + code_lines(g) + "\n{{< /highlight >}}"
    if kind == "image":
        return "![A *figure* caption](/figures/pixel.png)"
    return "{{< mystery arg >}}"


def code_lines(g: Gen) -> str:
    alphabet = PROSE + "\\$\t"
    lines = g.draw(st.lists(st.text(alphabet=alphabet, max_size=40), min_size=1, max_size=4))
    return "\n".join(line.replace("`", "'").rstrip() or "pass" for line in lines)


def list_block(g: Gen, depth: int, max_depth: int = 3) -> str:
    marker = g.draw(st.sampled_from(["-", "*", "1.", "3)"]))
    task = marker in ("-", "*") and g.draw(st.booleans())
    loose = g.draw(st.booleans())
    items = []
    for _ in range(g.draw(st.integers(1, 3))):
        head = ("[x] " if g.draw(st.booleans()) else "[ ] ") if task else ""
        text = head + inline(g).replace("\n", " ")
        pad = " " * (len(marker) + 1)
        if depth < max_depth and g.draw(st.integers(0, 2)) == 0:
            child = list_block(g, depth + 1) if g.draw(st.booleans()) else block(g, depth + 1)
            text += "\n\n" + "\n".join(pad + line if line else "" for line in child.split("\n"))
        items.append(f"{marker} {text}")
    return ("\n\n" if loose else "\n").join(items)


def table(g: Gen) -> str:
    ncols = g.draw(st.integers(1, 8))
    aligns = g.draw(st.lists(st.sampled_from(["---", ":--", ":-:", "--:"]),
                             min_size=ncols, max_size=ncols))
    rows = [[inline(g, 2, in_table=True) for _ in range(ncols)]
            for _ in range(g.draw(st.integers(1, 4)))]
    head = [words(g, 8).replace("|", "/").replace("\n", " ") for _ in range(ncols)]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(aligns) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


@st.composite
def posts(draw: st.DrawFn, *, wild: bool = False, bad_rate: int = 0,
          max_blocks: int = 8) -> Doc:
    g = Gen(draw, wild, bad_rate)
    blocks = [block(g) for _ in range(draw(st.integers(0, max_blocks)))]
    if draw(st.booleans()):
        blocks += ["## References", "{{< bibliography cited >}}"]
    blocks += g.footnotes
    spans, line = [], 1
    for text in blocks:
        last = line + text.count("\n")
        if any(frag in text for frag in g.bad):
            spans.append((line, last))
        line = last + 2
    return Doc("\n\n".join(blocks) + "\n", g.bad, spans)
