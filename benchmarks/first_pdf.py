"""Time to the first PDF (issue 14): a cold ``mdpaper build`` into a new output folder,
against bare latexmk on the same generated sources and against Pandoc making the PDF
itself (``pandoc post.md -o post.pdf``), side by side, with the pdflatex passes of each.

The posts are generated prose with display math and citations left out (Pandoc reads
neither Hugo shortcodes nor our bibliography settings, and must make the same document):
a short one like a typical post, and a long one.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import generate


def passes_of(cmd: list[str], cwd: Path | None = None, pattern: str = r"pdflatex pass \d") -> int:
    """Engine passes one run made, counted from its own output."""
    out = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=True)
    return len(re.findall(pattern, out.stdout + out.stderr))


def bench_first_pdf(work: Path, reps: int, pandoc: str, tools: dict[str, Any]) -> None:
    """``tools``: run, side_by_side, report, secs, bare_copy and MDPAPER from run.py."""
    run, side_by_side, report, secs = (tools[k] for k in ("run", "side_by_side", "report",
                                                          "secs"))
    mdpaper = tools["MDPAPER"]
    print("time to the first PDF: cold mdpaper build (new output folder) vs bare latexmk on "
          "its .tex vs pandoc post.md -o post.pdf")
    site = work / "first-pdf"
    generate.write_site(site)
    for size in (10_000, 100_000):
        post = generate.write_post(site, f"prose-{size}", "prose", size)
        counter = iter(range(1000))

        def ours(post: Path = post, counter: Any = counter) -> Any:
            return run([*mdpaper, "build", "-q", "-o",
                        str(work / f"fp-{post.stem}-{next(counter)}"), str(post)])

        ours()
        name = post.stem
        src = work / f"fp-{name}-0" / name / "build"

        def bare(src: Path = src, name: str = name) -> Any:
            dest = tools["bare_copy"](src, work / "fp-bare", keep_aux=False)
            return run(["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error",
                        f"{name}.tex"], cwd=dest)

        def pandoc_pdf(post: Path = post) -> Any:
            return run([pandoc, post.name, "-o", str(work / "fp-pandoc.pdf")], cwd=post.parent)

        t_ours, t_bare = side_by_side(ours, bare, reps)
        t_ours2, t_pandoc = side_by_side(ours, pandoc_pdf, reps)
        t_ours = min(t_ours, t_ours2, key=lambda t: t.wall)
        n_ours = passes_of([*mdpaper, "build", "-o", str(work / "fp-count"), str(post)])
        n_bare = passes_of(["latexmk", "-pdf", "-interaction=nonstopmode", f"{name}.tex"],
                           cwd=tools["bare_copy"](src, work / "fp-bare", keep_aux=False),
                           pattern=r"Running 'pdflatex")
        label = f"prose {size // 1000} KB"
        report(f"{label}: mdpaper / bare latexmk", t_ours / t_bare, "<= 0.4",
               lambda x: x <= 0.4, f"mdpaper {secs(t_ours)} ({n_ours} passes), "
               f"latexmk {secs(t_bare)} ({n_bare} passes)")
        report(f"{label}: mdpaper / pandoc -o pdf", t_ours / t_pandoc, "<= 0.8",
               lambda x: x <= 0.8, f"pandoc {secs(t_pandoc)} (one pass when nothing needs more)")
