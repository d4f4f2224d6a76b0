"""mdpaper's benchmarks: every figure is a ratio of two things timed side by side, in the
same run, on the same machine (never a pass/fail wall-clock time).

    tox -e bench            # or: make bench, or: python benchmarks/run.py [--only NAME,...]

Sections (``--only`` takes their names): conversion, cold, firstpdf, heldout, noop, edit,
parallel, startup, scale. Each timing is the fastest of several runs, alternating the two
sides, so a busy machine slows both alike and the ratio stays meaningful. Pandoc 3 comes from the
pypandoc-binary wheel (the ``bench`` extra). Results are recorded in BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
from first_pdf import bench_first_pdf  # noqa: E402
from held_out import bench_held_out, held_out_posts  # noqa: E402

PY = sys.executable
MDPAPER = [PY, "-m", "mdpaper"]
EXAMPLE = REPO / "content" / "posts" / "example-paper" / "index.md"
SECTIONS = ("conversion", "cold", "firstpdf", "heldout", "noop", "edit", "parallel", "startup",
            "scale")
KB = 1000


class Time(NamedTuple):
    """One measurement: wall-clock seconds, and CPU seconds (user + system) of the process
    and everything it waited for. On a busy machine the wall time also counts waiting for
    a core; the CPU time does not, so both are reported."""

    wall: float
    cpu: float

    def __truediv__(self, other: object) -> Time:
        assert isinstance(other, Time)
        return Time(self.wall / other.wall, self.cpu / max(other.cpu, 1e-3))


def best(times: list[Time]) -> Time:
    return Time(min(t.wall for t in times), min(t.cpu for t in times))


class TimedOut(Exception):
    def __init__(self, spent: Time):
        super().__init__(f"stopped after {spent.wall:.1f} s")
        self.spent = spent


def run(cmd: list[str], cwd: Path | None = None, timeout: float | None = None) -> Time:
    """Time one run; raises when the command fails, TimedOut (with the time spent) when
    it ran past ``timeout``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    timed_out = False
    try:
        subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       stdin=subprocess.DEVNULL, check=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True  # subprocess.run killed and reaped it: its CPU time is counted
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    spent = Time(wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    if timed_out:
        raise TimedOut(spent)
    return spent


def side_by_side(a: Callable[[], Time], b: Callable[[], Time], reps: int) -> tuple[Time, Time]:
    """Fastest of ``reps`` runs of each, alternating a and b."""
    ta, tb = [], []
    for _ in range(reps):
        ta.append(a())
        tb.append(b())
    return best(ta), best(tb)


def report(name: str, ratio: Time, target: str, ok: Callable[[float], bool], detail: str,
           bound: str = "") -> None:
    """One figure: the wall-clock ratio and the CPU-time ratio, each with its verdict."""
    def verdict(x: float) -> str:
        return "meets " if ok(x) else "MISSES"

    print(f"  {name:<34} wall {bound}{ratio.wall:6.2f}x {verdict(ratio.wall)}  "
          f"cpu {bound}{ratio.cpu:6.2f}x {verdict(ratio.cpu)}  (target {target})  {detail}",
          flush=True)


def secs(t: Time) -> str:
    return f"{t.wall:.3f} s ({t.cpu:.3f} s cpu)"


def pandoc_path() -> str:
    try:
        import pypandoc

        return pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        found = shutil.which("pandoc")
        if not found:
            sys.exit("pandoc not found: install the bench extra (pip install -e '.[bench]')")
        return found


# ------------------------------------------------------------------- conversion

def bench_conversion(work: Path, reps: int, pandoc_timeout: float) -> None:
    pandoc = pandoc_path()
    version = subprocess.run([pandoc, "--version"], capture_output=True, text=True).stdout
    print(f"conversion: mdpaper build --tex-only vs {version.splitlines()[0]} -f markdown "
          f"-t latex (throughput ratio; pandoc stopped after {pandoc_timeout:g} s)")
    site = work / "conv"
    generate.write_site(site)
    empty = site / "empty.md"
    empty.write_text("")
    pandoc_idle = best([run([pandoc, "-f", "markdown", "-t", "latex", "-o", os.devnull,
                             str(empty)]) for _ in range(reps * 3)])
    print(f"  (pandoc start-up: {secs(pandoc_idle)})")
    cases = [("mixed", s) for s in (50 * KB, 100 * KB, 200 * KB, 500 * KB, 1000 * KB)]
    cases.append(("prose", 1000 * KB))
    for kind, size in cases:
        post = generate.write_post(site, f"{kind}-{size}", kind, size)
        # A fresh output folder each time: nothing reused from an earlier conversion.
        ours, theirs, bound = [], [], ""
        for i in range(reps):
            ours.append(run([*MDPAPER, "build", "--tex-only", "-q", "-o",
                             str(work / f"conv-{kind}-{size}-{i}"), str(post)]))
            if theirs and theirs[-1].wall > 10 * ours[-1].wall:
                continue  # pandoc is slow enough that one run says it all
            try:
                theirs.append(run([pandoc, "-f", "markdown", "-t", "latex", "-o", os.devnull,
                                   str(post)], timeout=pandoc_timeout))
            except TimedOut as stopped:
                theirs.append(stopped.spent)  # at least this much
                bound = ">="
        mine, pan = best(ours), best(theirs)
        label = f"{kind} {post.stat().st_size / KB:.0f} KB"
        # Issue 14 retired 10x per command (the design's libraries alone start slower than
        # that); 5x stays as a regression guard.
        report(label, pan / mine, ">= 5", lambda x: x >= 5,
               f"mdpaper {secs(mine)}, pandoc {bound}{secs(pan)}", bound)
        # Throughput proper: each converter's time minus its fixed start-up (for mdpaper,
        # the conversion in a warm process; for pandoc, minus a run on an empty post).
        inner = min(convert_in_process(site, post) for _ in range(reps))
        net = Time(max(pan.wall - pandoc_idle.wall, 1e-3), max(pan.cpu - pandoc_idle.cpu, 1e-3))
        report("  without start-up", net / inner, ">= 10", lambda x: x >= 10,
               f"mdpaper {secs(inner)}, pandoc {bound}{secs(net)}", bound)
        # What no converter on these libraries can go below (see floor.py): where even this
        # is under 10x, the command-line target cannot be met with them.
        floor = best([run([PY, str(HERE / "floor.py"), str(post)]) for _ in range(reps)])
        report("  floor: the libraries alone", pan / floor, ">= 10", lambda x: x >= 10,
               f"floor {secs(floor)} (mdpaper {secs(mine)}), pandoc {bound}{secs(pan)}", bound)
    bench_conversion_batch(work, reps, pandoc)


def bench_conversion_batch(work: Path, reps: int, pandoc: str, posts: int = 20) -> None:
    """Many small posts in one command (``mdpaper build --tex-only FOLDER``), as a blog
    is converted: the start-up is paid once, not per post. Informational: the issue's
    target is per post, one command each (the lines above)."""
    site = work / "batch"
    generate.write_site(site)
    folder = site / "content" / "posts"
    for i in range(posts):
        generate.write_post(site, f"post-{i:02d}", "mixed", 50 * KB)
    files = sorted(str(f) for f in folder.glob("*.md"))
    counter = iter(range(1000))
    ours = best([run([*MDPAPER, "build", "--tex-only", "-q", "-o",
                      str(work / f"batch-out-{next(counter)}"), str(folder)])
                 for _ in range(reps)])
    spent = [run([pandoc, "-f", "markdown", "-t", "latex", "-o", os.devnull, f]) for f in files]
    theirs = Time(sum(t.wall for t in spent), sum(t.cpu for t in spent))
    report(f"{posts} posts of 50 KB, one command", theirs / ours, ">= 10 (informational)",
           lambda x: x >= 10, f"mdpaper {secs(ours)}, pandoc on each {secs(theirs)}")


def convert_in_process(site: Path, post: Path) -> Time:
    """mdpaper's conversion time of ``post`` in a warm process (benchmarks/scale.py)."""
    warm = site / "content" / "posts" / "warm.md"
    if not warm.exists():
        warm.write_text(generate.make_post("mixed", 5 * KB), encoding="utf-8")
    out = subprocess.run([PY, str(HERE / "scale.py"), str(warm), str(post)],
                         capture_output=True, text=True, check=True).stdout.split()
    return Time(float(out[0]), float(out[3]))


# ------------------------------------------------------------------- TeX builds

def fresh_site(work: Path, name: str) -> Path:
    """A copy of the repository's example site (post, data, static, config)."""
    site = work / name
    site.mkdir()
    for part in ("content", "data", "static"):
        shutil.copytree(REPO / part, site / part)
    for cfg in ("hugo.toml", "config.toml", "mdpaper.toml"):
        if (REPO / cfg).exists():
            shutil.copy(REPO / cfg, site / cfg)
    return site


def bare_copy(build_dir: Path, dest: Path, keep_aux: bool) -> Path:
    """The .tex, .bib and figures mdpaper generated (plus the aux files, if asked)."""
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    for f in build_dir.iterdir():
        if f.suffix in (".tex", ".bib", ".png", ".pdf", ".jpg") or (
                keep_aux and f.suffix in (".aux", ".bbl", ".out", ".toc")):
            if f.suffix == ".pdf" and f.stem == build_dir.parent.name:
                continue
            shutil.copy(f, dest / f.name)
    return dest


def bench_cold(work: Path, reps: int) -> Time:
    print("cold build: mdpaper build (fresh output) vs bare latexmk -pdf on the .tex/.bib "
          "it generated")
    site = fresh_site(work, "cold")
    post = site / EXAMPLE.relative_to(REPO)
    counter = iter(range(1000))

    def ours() -> Time:  # a new output folder and an empty format cache: nothing to reuse
        n = next(counter)
        return run(["env", f"XDG_CACHE_HOME={work / f'cold-xdg-{n}'}", *MDPAPER, "build", "-q",
                    "-o", str(work / f"cold-out-{n}"), str(post)])

    ours()  # warm the file cache, and make the .tex for the bare build

    src = work / "cold-out-0" / "example-paper" / "build"

    def bare() -> Time:
        dest = bare_copy(src, work / "cold-bare", keep_aux=False)
        return run(["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error",
                    "example-paper.tex"], cwd=dest)

    t_ours, t_bare = side_by_side(ours, bare, reps)
    report("cold build / bare latexmk", t_ours / t_bare, "<= 1.15", lambda x: x <= 1.15,
           f"mdpaper {secs(t_ours)}, latexmk {secs(t_bare)}")
    return t_ours


def bench_noop(work: Path, reps: int, cold: Time | None) -> None:
    print("no-op rebuild: mdpaper build with nothing changed vs a cold build")
    site = fresh_site(work, "noop")
    post = site / EXAMPLE.relative_to(REPO)
    out = work / "noop-out"
    cold_times = []
    for i in range(reps if cold is None else 1):
        cold_times.append(run([*MDPAPER, "build", "-q", "-o", str(work / f"noop-c{i}"),
                               str(post)]))
    cold = best([*cold_times, *([cold] if cold else [])])
    run([*MDPAPER, "build", "-q", "-o", str(out), str(post)])
    pdf = out / "example-paper" / "example-paper.pdf"
    stamp = pdf.stat().st_mtime_ns
    t_noop = best([run([*MDPAPER, "build", "-q", "-o", str(out), str(post)])
                   for _ in range(reps * 3)])
    assert pdf.stat().st_mtime_ns == stamp, "the no-op rebuild rewrote the PDF"
    report("no-op rebuild / cold build", t_noop / cold, "<= 0.2", lambda x: x <= 0.2,
           f"no-op {secs(t_noop)}, cold {secs(cold)}")


def bench_edit(work: Path, reps: int) -> None:
    print("edit rebuild: mdpaper build after a text-only edit vs one bare pdflatex pass on "
          "the same .tex")
    site = fresh_site(work, "edit")
    post = site / EXAMPLE.relative_to(REPO)
    out = work / "edit-out"
    run([*MDPAPER, "build", "-q", "-o", str(out), str(post)])
    build = out / "example-paper" / "build"
    log = build / "example-paper.log"
    original = post.read_text(encoding="utf-8")
    anchor = "it places a bet."
    assert anchor in original
    counter = iter(range(1000))

    def edited_build() -> Time:
        n = next(counter)
        post.write_text(original.replace(anchor, f"it places bet number {n}."), "utf-8")
        before = log.stat().st_mtime_ns
        elapsed = run([*MDPAPER, "build", "-q", "-o", str(out), str(post)])
        assert log.stat().st_mtime_ns != before, "TeX did not run"
        return elapsed

    def ours() -> Time:
        elapsed = edited_build()
        assert "format=mdpaper-preamble" in log.read_text("latin-1").split("\n", 1)[0], \
            "the edit rebuild did not start from the precompiled preamble"
        return elapsed

    def bare() -> Time:
        dest = bare_copy(build, work / "edit-bare", keep_aux=True)
        return run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error",
                    "example-paper.tex"], cwd=dest)

    # The first edit after a cold build builds the preamble format alongside its pass; the
    # edits after it (what an author iterating on a post does) start from the format.
    first = edited_build()
    t_ours, t_bare = side_by_side(ours, bare, reps)
    report("edit rebuild / one pdflatex pass", t_ours / t_bare, "<= 1.3", lambda x: x <= 1.3,
           f"mdpaper {secs(t_ours)}, pdflatex {secs(t_bare)}")
    print(f"    (the first edit after a cold build, which also builds the format: {secs(first)}, "
          f"{first.wall / t_bare.wall:.2f}x)")

    def format_pass() -> Time:
        dest = bare_copy(build, work / "edit-fmt", keep_aux=True)
        shutil.copy2(build / "mdpaper-preamble.fmt", dest / "mdpaper-preamble.fmt")
        return run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error",
                    "-fmt=mdpaper-preamble", "example-paper.tex"], cwd=dest)

    t_fmt, t_bare = side_by_side(format_pass, bare, reps)
    print(f"  one pdflatex pass from the precompiled preamble / without it "
          f"wall {(t_fmt / t_bare).wall:6.2f}x  cpu {(t_fmt / t_bare).cpu:6.2f}x  "
          f"(no target)  {secs(t_fmt)} vs {secs(t_bare)}", flush=True)


def bench_parallel(work: Path, posts: int, reps: int) -> None:
    print(f"many posts: mdpaper build -j 2 vs -j 1 on {posts} generated posts (cold, "
          f"fastest of {reps}, alternating)")
    site = work / "many"
    generate.write_site(site)
    for i in range(posts):
        generate.write_post(site, f"post-{i:02d}", "mixed", 8 * KB)
    folder = site / "content" / "posts"
    counter = iter(range(1000))

    def jobs(n: int) -> Time:
        out = work / f"many-{n}-{next(counter)}"  # a fresh output folder: cold builds
        return run([*MDPAPER, "build", "-q", "-j", str(n), "-o", str(out), str(folder)])

    t1, t2 = side_by_side(lambda: jobs(1), lambda: jobs(2), reps)
    # CPU time is the same work either way; only the wall-clock ratio is a speed-up.
    speedup = t1.wall / t2.wall
    verdict = "meets" if speedup >= 1.7 else "MISSES"
    print(f"  speed-up of -j 2 over -j 1 ({os.cpu_count()} cores) wall {speedup:6.2f}x {verdict}"
          f"  (target >= 1.7)  -j 1 {secs(t1)}, -j 2 {secs(t2)}", flush=True)


def bench_startup(reps: int) -> None:
    print("start-up: mdpaper --version / --help vs python -c pass (same interpreter)")
    base = [PY, "-c", "pass"]
    for flag in ("--version", "--help"):
        t_ours, t_base = side_by_side(lambda f=flag: run([*MDPAPER, f]), lambda: run(base),
                                      reps)
        report(f"mdpaper {flag} / python -c pass", t_ours / t_base, "<= 1.5",
               lambda x: x <= 1.5, f"{t_ours.wall * 1000:.0f} ms vs {t_base.wall * 1000:.0f} ms")


def bench_scale(work: Path, sizes: list[int]) -> None:
    print("scale: in-process conversion CPU time and peak memory (RSS growth over the "
          "interpreter after a warm-up conversion) per input size")
    site = work / "scale"
    generate.write_site(site)
    warm = generate.write_post(site, "warm", "mixed", 5 * KB)
    rows = []
    for kind in ("prose", "mixed"):
        for size in sizes:
            post = generate.write_post(site, f"{kind}-{size}", kind, size)
            out = subprocess.run([PY, str(HERE / "scale.py"), str(warm), str(post)],
                                 capture_output=True, text=True, check=True).stdout.split()
            seconds, grown = float(out[3]), int(out[1])
            rows.append((kind, post.stat().st_size, seconds, grown))
    for kind in ("prose", "mixed"):
        series = [r for r in rows if r[0] == kind]
        ref = next((r for r in series if r[1] >= 1000 * KB), series[-1])
        per_mb_ref = ref[2] / (ref[1] / 1e6)
        for _, size, seconds, grown in series:
            per_mb = seconds / (size / 1e6)
            mem = grown / size
            print(f"  {kind} {size / KB:>8.0f} KB  {seconds:7.3f} s  "
                  f"{per_mb:6.3f} s/MB ({per_mb / per_mb_ref:4.2f}x the 1 MB rate)  "
                  f"memory {mem:5.1f}x input  {'meets' if mem < 20 else 'MISSES'} (< 20x)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", default=",".join(SECTIONS),
                    help="comma-separated sections (default: all)")
    ap.add_argument("--reps", type=int, default=3, help="runs per side (default: 3)")
    ap.add_argument("--pandoc-timeout", type=float, default=60.0, metavar="SECONDS")
    ap.add_argument("--posts", type=int, default=20, help="posts for the -j benchmark")
    ap.add_argument("--held-out", type=Path, metavar="FILE",
                    help="more posts for the first-PDF section's held-out list (one path per "
                         "line), beside the test corpus")
    ap.add_argument("--max-size", type=int, default=10_000 * KB,
                    help="largest post of the scale series, in bytes (default: 10 MB)")
    args = ap.parse_args(argv)
    chosen = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(chosen) - set(SECTIONS)
    if unknown:
        ap.error(f"unknown sections: {', '.join(sorted(unknown))}")
    # As any first run would (unless PYTHONDONTWRITEBYTECODE is set): bytecode for mdpaper.
    import mdpaper

    compileall.compile_dir(Path(mdpaper.__file__).parent, quiet=1)
    print(f"mdpaper benchmarks on {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"load average {os.getloadavg()[0]:.1f}\n", flush=True)
    with tempfile.TemporaryDirectory(prefix="mdpaper-bench-") as tmp:
        work = Path(tmp)
        # Never the user's shared format cache: a section that wants a warm or an empty one
        # makes its own.
        os.environ["XDG_CACHE_HOME"] = str(work / "xdg-cache")
        cold = None
        tools = {"run": run, "report": report, "secs": secs, "bare_copy": bare_copy,
                 "MDPAPER": MDPAPER}
        if "conversion" in chosen:
            bench_conversion(work, args.reps, args.pandoc_timeout)
        if "cold" in chosen:
            cold = bench_cold(work, args.reps)
        if "firstpdf" in chosen:
            bench_first_pdf(work, args.reps, pandoc_path(), tools)
        if "heldout" in chosen:
            bench_held_out(work, args.reps, held_out_posts(args.held_out), tools)
        if "noop" in chosen:
            bench_noop(work, args.reps, cold)
        if "edit" in chosen:
            bench_edit(work, args.reps)
        if "parallel" in chosen:
            bench_parallel(work, args.posts, max(1, args.reps - 1))
        if "startup" in chosen:
            bench_startup(max(20, args.reps * 7))
        if "scale" in chosen:
            sizes = [s for s in (10 * KB, 100 * KB, 1000 * KB, 10_000 * KB) if s <= args.max_size]
            bench_scale(work, sizes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
