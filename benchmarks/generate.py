"""Generated Hugo posts for the benchmarks: a mixed post (math, citations, tables, footnotes,
code) and a plain prose-and-math post, each grown to a target size in bytes.

The output is deterministic (no randomness), so two runs measure the same text.
"""

from __future__ import annotations

from pathlib import Path

# The posts cite shannon1948, cover2006 and kullback1951 from the example site's own file.
REFERENCES_FILE = Path(__file__).resolve().parent.parent / "data" / "bibliography.json"

FRONT = """---
title: "Generated benchmark post"
date: 2024-03-18
authors:
  - Ada Müller
summary: "A generated post for the benchmarks."
bibFile: data/bibliography.json
---

"""

PROSE = (
    "Every time a language model predicts the next token, it places a bet. If the bet is "
    "good, the model is \"surprised\" only a little; if it is bad, the surprise is large. "
    "Let $X$ be a random variable over an alphabet $\\mathcal{{X}}$ with distribution $p$; "
    "its entropy $H(X) = -\\sum_x p(x) \\log_2 p(x)$ is measured in bits -- the number of "
    "yes/no questions one needs, on average, to pin down what happened (section {n}).\n"
    "Since $D(p \\| q) \\ge 0$, no code beats the entropy: that is Gibbs' inequality, and "
    "the cross-entropy $H(p, q) = H(p) + D(p \\,\\|\\, q)$ is what training minimises.\n"
)

DISPLAY = (
    "$$\nH(p, q) = -\\sum_{{x}} p(x) \\log_2 q(x) = H(p) + D(p \\,\\|\\, q) + {n}\n$$\n"
)


def mixed_section(n: int) -> str:
    """One section using every construct the issue names."""
    return (
        f"## Section {n} {{#sec-{n}}}\n\n"
        + PROSE.format(n=n)
        + f"As shown by {{{{< cite \"shannon1948\" >}}}} and later "
        f"{{{{< cite \"cover2006; kullback1951\" >}}}}, the bound is tight[^fn{n}].\n\n"
        + DISPLAY.format(n=n)
        + "\n| Model | Bits/token | Notes |\n|:------|-----------:|:------|\n"
        + f"| Uniform | 2.00 | baseline {n} |\n| Unigram | 1.75 | *exact* |\n"
        + "| Bigram | $1.5$ | `fast` path |\n\n"
        + "```python\n"
        + f"def entropy_{n}(p):\n    return -sum(x * math.log2(x) for x in p if x > 0)\n"
        + "```\n\n"
        + f"- item one with **bold** and `code`\n- item two, see [above](#sec-{n})\n\n"
        + f"[^fn{n}]: Footnote {n} citing {{{{< cite \"cover2006\" 14 >}}}} with $x^2$.\n\n"
    )


def prose_section(n: int) -> str:
    return f"## Part {n}\n\n" + PROSE.format(n=n) + "\n" + DISPLAY.format(n=n) + "\n" + (
        PROSE.format(n=n) + "\n")


# Chinese prose (built with xelatex, which has no format: ``build.preload``).
CHINESE = (
    "语言模型每预测一个词，就像下了一次注。设 $X$ 是取值于字母表 $\\mathcal{{X}}$ 的随机变量，"
    "其熵 $H(X) = -\\sum_x p(x) \\log_2 p(x)$ 以比特计，即平均需要多少个是非问题"
    "才能确定结果（第 {n} 节）。\n"
    "因为 $D(p \\| q) \\ge 0$，没有任何编码能低于熵，训练所最小化的正是交叉熵"
    " $H(p, q) = H(p) + D(p \\,\\|\\, q)$。\n"
)


def chinese_section(n: int) -> str:
    return (f"## 第 {n} 部分\n\n" + CHINESE.format(n=n) + "\n" + DISPLAY.format(n=n) + "\n"
            + CHINESE.format(n=n) + "\n")


_SECTIONS = {"mixed": mixed_section, "prose": prose_section, "chinese": chinese_section}


def make_post(kind: str, size: int) -> str:
    """A post of about ``size`` bytes (UTF-8): ``mixed``, ``prose`` or ``chinese``."""
    section = _SECTIONS[kind]
    parts = [FRONT]
    total, n = len(FRONT.encode()), 1
    while total < size:
        text = section(n)
        parts.append(text)
        total += len(text.encode())
        n += 1
    return "".join(parts)


def write_site(root: Path) -> None:
    """A minimal Hugo site the generated posts can live in."""
    (root / "content" / "posts").mkdir(parents=True, exist_ok=True)
    (root / "data").mkdir(exist_ok=True)
    (root / "hugo.toml").write_text('title = "Benchmarks"\n')
    (root / "data" / "bibliography.json").write_bytes(REFERENCES_FILE.read_bytes())


def write_post(root: Path, name: str, kind: str, size: int) -> Path:
    path = root / "content" / "posts" / f"{name}.md"
    path.write_text(make_post(kind, size), encoding="utf-8")
    return path
