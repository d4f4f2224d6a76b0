"""The least work any Markdown-to-LaTeX converter built on mdpaper's libraries must do.

    python benchmarks/floor.py POST

Starts nothing of mdpaper. It only does what the design's libraries cannot skip: start the
interpreter, read the front matter with PyYAML, parse the body with mistune 3 (math,
footnotes and tables on) into its AST, highlight the post's fenced code with Pygments, and
write a BibTeX library with bibtexparser 2. No LaTeX is written. ``run.py`` times this
beside Pandoc: if even this floor is under 10 times Pandoc's throughput on a post, no
converter using these libraries in CPython can meet the conversion target there.
"""

from __future__ import annotations

import re
import sys


def main(path: str) -> None:
    import bibtexparser
    import mistune
    import yaml

    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    _, front, body = text.split("---\n", 2)
    yaml.safe_load(front)
    ast = mistune.create_markdown(renderer=None, plugins=["math", "footnotes", "table"])(body)
    languages = {m.group(1) for m in re.finditer(r"^```(\w+)", body, re.MULTILINE)}
    if languages:
        from pygments import highlight
        from pygments.formatters import LatexFormatter
        from pygments.lexers import get_lexer_by_name

        code = [t["raw"] for t in ast if t["type"] == "block_code"]
        for language in languages:
            lexer, formatter = get_lexer_by_name(language), LatexFormatter()
            for block in code:
                highlight(block, lexer, formatter)
    bibtexparser.write_string(bibtexparser.Library())


if __name__ == "__main__":
    main(sys.argv[1])
