"""Time to the first PDF (issue 14): a cold ``mdpaper build`` into a new output folder, with
an empty and with a warm shared format cache, against bare latexmk on the same generated
sources and against Pandoc making the PDF itself (``pandoc post.md -o post.pdf``), side by
side in one run, with the pdflatex passes of each.

Posts: the example post, generated prose with display math (10 KB, like a typical post,
and 100 KB, a long one), and 10 KB of generated Chinese prose (xelatex, which has no format:
its warm cache holds the preamble a different Chinese post loaded, ``build.preload``).
Pandoc cannot make a PDF of the example (Hugo shortcodes inside its math stop Pandoc's
pdflatex run), so the example is compared with latexmk only; nor of the Chinese post
(its default pdflatex has no CJK fonts).

"Warm" means a cache that another build filled: for the generated posts, a different,
shorter generated post (held out: the timed post itself was never built with that cache);
for the example, an earlier build of the example (no other post has its packages). Every
warm run is checked to have started from the cached format; "empty" runs get a new, empty
cache folder each time.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import generate

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "content" / "posts" / "example-paper" / "index.md"


#: mdpaper's progress lines: a pdflatex pass, and the -draftmode run of the tables alone that
#: measures longtable widths before the pass (``build.longtables``), counted apart.
PASS, MEASURE = r"(?:pdf|xe|lua)latex pass \d", r"longtable widths \d"


def passes_of(cmd: list[str], cwd: Path | None = None, pattern: str = PASS) -> int:
    """Engine passes one run made, counted from its own output."""
    out = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    return len(re.findall(pattern, out.stdout + out.stderr))


def started_from_format(outdir: Path) -> bool:
    log = next(outdir.glob("*/build/*.log"), None)
    first = log.read_text(encoding="latin-1").split("\n", 1)[0] if log else ""
    return "format=mdpaper-preamble" in first


def went_on_from_preload(outdir: Path) -> bool:
    """The pass was the run that preloaded the shared preamble (``build.preload``): its
    log's ``**`` line reads the preamble file first."""
    log = next(outdir.glob("*/build/*.log"), None)
    text = log.read_text(encoding="latin-1") if log else ""
    return any(line.startswith("**") and "-preamble.tex" in line
               for line in text.splitlines()[:40])


def build_command(tools: dict[str, Any], cache: Path, outdir: Path, post: Path,
                  quiet: bool = True) -> list[str]:
    """``mdpaper build`` of ``post`` into ``outdir`` with ``cache`` as the user cache."""
    return ["env", f"XDG_CACHE_HOME={cache}", *tools["MDPAPER"], "build",
            *(["-q"] if quiet else []), "-o", str(outdir), str(post)]


class Case:
    """One post: how to build it cold (empty or warm cache), bare, and with Pandoc."""

    def __init__(self, label: str, post: Path, warm_with: Path, work: Path,
                 tools: dict[str, Any], warmed: Path | None = None,
                 preloads: bool = False) -> None:
        """``warmed``: a cache ``warm_with`` already filled, copied instead of filled again.
        ``preloads``: a xelatex post whose warm build must go on from the preamble the
        warm-up's build left (``build.preload``)."""
        self.label, self.post, self.work, self.tools = label, post, work, tools
        self.preloads = preloads
        self.runs = iter(range(10_000))
        slug = re.sub(r"\W+", "-", label)
        self.slug = slug
        self.warm_cache = work / f"xdg-warm-{slug}"
        # Fill the warm cache (a held-out post where there is one) and make the sources.
        if warmed is not None:
            shutil.copytree(warmed, self.warm_cache)
        else:
            self._mdpaper(self.warm_cache, work / f"fp-{slug}-warmup", warm_with)
        self.src = work / f"fp-{slug}-src"
        source_cache = work / f"xdg-src-{slug}"
        if warmed is not None:  # (the sources are the same; no format is built for them)
            shutil.copytree(warmed, source_cache)
        self._mdpaper(source_cache, self.src, post)
        self.name = next(d.name for d in self.src.iterdir() if d.is_dir())  # (bundles: folder)
        self.build = self.src / self.name / "build"
        log = (self.build / f"{self.name}.log").read_text(encoding="latin-1")
        #: latexmk's option for the engine mdpaper chose (a post in another script may
        #: need xelatex, which has no format: its warm build is an ordinary cold one)
        self.latexmk_engine = "-xelatex" if log.startswith("This is XeTeX") else (
            "-lualatex" if log.startswith("This is Lua") else "-pdf")

    def _mdpaper(self, cache: Path, outdir: Path, post: Path, count: bool = False) -> Any:
        cmd = build_command(self.tools, cache, outdir, post, quiet=not count)
        if not count:
            return self.tools["run"](cmd)
        out = subprocess.run(cmd, capture_output=True, text=True, check=False)
        passes, measured = (len(re.findall(p, out.stdout)) for p in (PASS, MEASURE))
        return f"{passes}" + (f" (+{measured} measuring run)" if measured else "")

    def empty(self) -> Any:
        n = next(self.runs)
        return self._mdpaper(self.work / f"xdg-empty-{self.slug}-{n}",
                             self.work / f"fp-{self.slug}-empty-{n}", self.post)

    def warm(self) -> Any:
        out = self.work / f"fp-{self.slug}-warm-{next(self.runs)}"
        spent = self._mdpaper(self.warm_cache, out, self.post)
        assert started_from_format(out) or self.latexmk_engine != "-pdf", \
            f"{self.label}: the warm build missed the cache"
        assert went_on_from_preload(out) or not self.preloads, \
            f"{self.label}: the warm build did not go on from the preloaded preamble"
        return spent

    def bare(self) -> Any:
        dest = self.tools["bare_copy"](self.build, self.work / "fp-bare", keep_aux=False)
        return self.tools["run"](["latexmk", self.latexmk_engine, "-interaction=nonstopmode",
                                  "-halt-on-error", f"{self.name}.tex"], cwd=dest)

    def pandoc(self) -> Any:
        return self.tools["run"]([self.tools["pandoc"], self.post.name, "-o",
                                  str(self.work / "fp-pandoc.pdf")], cwd=self.post.parent)

    def pass_counts(self, with_pandoc: bool, empty: bool = True) -> dict[str, Any]:
        counts = {
            "empty": self._mdpaper(self.work / f"xdg-count-{self.slug}",
                                   self.work / f"fp-{self.slug}-count-empty", self.post, True)
            if empty else None,
            "warm": self._mdpaper(self.warm_cache, self.work / f"fp-{self.slug}-count-warm",
                                  self.post, True),
            "latexmk": passes_of(["latexmk", self.latexmk_engine, "-interaction=nonstopmode",
                                  f"{self.name}.tex"],
                                 cwd=self.tools["bare_copy"](self.build, self.work / "fp-bare",
                                                             keep_aux=False),
                                 pattern=r"Running '(?:pdf|xe|lua)latex"),
        }
        if with_pandoc:
            counts["pandoc"] = passes_of([self.tools["pandoc"], "--verbose", self.post.name,
                                          "-o", str(self.work / "fp-pandoc.pdf")],
                                         cwd=self.post.parent, pattern=r'pdflatex "-halt')
        return counts


def fastest(sides: dict[str, Callable[[], Any]], reps: int) -> dict[str, Any]:
    """Fastest of ``reps`` runs of each side, the sides taking turns."""
    times: dict[str, list[Any]] = {name: [] for name in sides}
    for _ in range(reps):
        for name, side in sides.items():
            times[name].append(side())
    return {name: type(ts[0])(min(t.wall for t in ts), min(t.cpu for t in ts))
            for name, ts in times.items()}


def informational(name: str, ratio: Any, detail: str) -> None:
    print(f"  {name:<34} wall {ratio.wall:6.2f}x         cpu {ratio.cpu:6.2f}x         "
          f"(no target)  {detail}", flush=True)


def bench_first_pdf(work: Path, reps: int, pandoc: str, tools: dict[str, Any]) -> None:
    """``tools``: run, report, secs, bare_copy and MDPAPER from run.py."""
    report, secs = tools["report"], tools["secs"]
    tools = {**tools, "pandoc": pandoc}
    print("time to the first PDF: cold mdpaper build (new output folder; empty / warm format "
          "cache) vs bare latexmk on its .tex vs pandoc post.md -o post.pdf")
    site = work / "first-pdf"
    generate.write_site(site)
    warm_with = generate.write_post(site, "held-out-warmup", "prose", 3_000)
    cases = [(Case("example", EXAMPLE, EXAMPLE, work, tools), False)]
    for size in (10_000, 100_000):
        post = generate.write_post(site, f"prose-{size // 1000}k", "prose", size)
        cases.append((Case(f"prose {size // 1000} KB", post, warm_with, work, tools), True))
    # xelatex (no format): the warm cache holds the preamble another Chinese post loaded.
    chinese = generate.write_post(site, "chinese-10k", "chinese", 10_000)
    chinese_warmup = generate.write_post(site, "held-out-warmup-zh", "chinese", 3_000)
    cases.append((Case("chinese 10 KB (xelatex)", chinese, chinese_warmup, work, tools,
                       preloads=True), False))
    for case, with_pandoc in cases:
        sides = {"warm": case.warm, "empty": case.empty, "latexmk": case.bare}
        if with_pandoc:
            sides["pandoc"] = case.pandoc
        t = fastest(sides, reps)
        n = case.pass_counts(with_pandoc)
        print(f"  {case.label}: engine passes: warm cache {n['warm']}, empty cache "
              f"{n['empty']}, bare latexmk {n['latexmk']}"
              + (f", pandoc {n['pandoc']}" if with_pandoc else " (pandoc not compared)"))
        detail = (f"warm {secs(t['warm'])}, empty {secs(t['empty'])}, "
                  f"latexmk {secs(t['latexmk'])}")
        report(f"{case.label}: warm / latexmk", t["warm"] / t["latexmk"], "<= 0.4",
               lambda x: x <= 0.4, detail)
        informational(f"{case.label}: empty / latexmk", t["empty"] / t["latexmk"],
                      "(the format is built alongside the first pass)")
        if with_pandoc:
            report(f"{case.label}: warm / pandoc", t["warm"] / t["pandoc"], "<= 0.8",
                   lambda x: x <= 0.8, f"pandoc {secs(t['pandoc'])}")
            informational(f"{case.label}: empty / pandoc", t["empty"] / t["pandoc"], "")
