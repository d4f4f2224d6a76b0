"""Time to the first PDF on posts no build on the machine had seen before (issue 14's
"held-out post"): the test corpus (``tests/posts``) and, with ``--held-out FILE``, any other
posts (one path per line, ``#`` comments; for example real posts from public Hugo sites).

Each post is built cold into a new output folder with a format cache that *different* posts
filled (a short generated one in English and one in Chinese, as a machine that built earlier
posts has: a pdflatex format and a xelatex preamble, ``build.preload``), against
bare latexmk on the same generated sources, side by side; the passes of each are counted.
A post mdpaper cannot build is listed and left out of the summary.
"""

from __future__ import annotations

import statistics
import subprocess
from pathlib import Path
from typing import Any

import generate
from first_pdf import Case, build_command, fastest

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "posts"


def held_out_posts(listing: Path | None) -> list[Path]:
    """The test corpus's posts, then the ones ``listing`` names."""
    posts = sorted(p for p in CORPUS.glob("*.md") if p.name != "EXPECTED.md")
    posts += sorted(CORPUS.glob("*/index.md"))
    if listing is not None:
        for line in listing.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                posts.append(Path(line.strip()).expanduser())
    return posts


def _label(post: Path) -> str:
    return post.parent.name if post.name in ("index.md", "_index.md") else post.stem


def bench_held_out(work: Path, reps: int, posts: list[Path], tools: dict[str, Any]) -> None:
    """``tools``: run, report, secs, bare_copy and MDPAPER from run.py."""
    report, secs = tools["report"], tools["secs"]
    site = work / "held-out-warmup"
    generate.write_site(site)
    warm_with = generate.write_post(site, "warmup", "prose", 3_000)
    warmed = work / "xdg-held-out-warm"
    tools["run"](build_command(tools, warmed, work / "held-out-warmup-out", warm_with))
    # ... and a short Chinese post: xelatex's preamble (``build.preload``) is cached too
    zh = generate.write_post(site, "warmup-zh", "chinese", 3_000)
    tools["run"](build_command(tools, warmed, work / "held-out-warmup-out", zh))
    print(f"held-out posts ({len(posts)}): cold build, cache warmed by another post, vs bare "
          "latexmk on the same sources")
    ratios: list[Any] = []  # (run.py's Time: wall, cpu)
    for number, post in enumerate(posts):
        label = _label(post)
        try:
            case = Case(f"held-out {number} {label}", post, warm_with, work, tools, warmed)
            t = fastest({"warm": case.warm, "latexmk": case.bare}, reps)
        except (subprocess.CalledProcessError, StopIteration, OSError, AssertionError) as exc:
            print(f"  {label:<34} left out: {type(exc).__name__} {str(exc)[:100]}")
            continue
        n = case.pass_counts(with_pandoc=False, empty=False)
        ratio = t["warm"] / t["latexmk"]
        ratios.append(ratio)
        engine = case.latexmk_engine.lstrip("-").replace("pdf", "pdflatex")
        print(f"  {label[:34]:<34} wall {ratio.wall:5.2f}x  cpu {ratio.cpu:5.2f}x  "
              f"{post.stat().st_size / 1000:5.0f} KB  {engine}  passes: warm {n['warm']}, "
              f"latexmk {n['latexmk']}  (warm {secs(t['warm'])}, latexmk "
              f"{secs(t['latexmk'])})", flush=True)
    if not ratios:
        return
    walls = [r.wall for r in ratios]
    median = type(ratios[0])(statistics.median(walls), statistics.median(r.cpu for r in ratios))
    report("held-out posts: median warm/latexmk", median, "<= 0.4", lambda x: x <= 0.4,
           f"{sum(w <= 0.4 for w in walls)} of {len(walls)} posts within 0.4x, "
           f"worst {max(walls):.2f}x")
