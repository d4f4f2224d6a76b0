"""``mdpaper check``: every problem a build would report, located, without running TeX."""

from __future__ import annotations

import time
from pathlib import Path

from mdpaper.build.check import check_post

from conftest import REPO, Site, run_cli

BAD = """## Intro {#intro}

See {{< cite "shanon1948" >}} and [@cover2006, p. 4; @nokey] and [link](#nowhere).

## Empty

## Intro again {#intro}

![missing](nope.png) and {{< mystery >}} and $\\input{x}$ and Ա.
"""


def test_check_reports_everything_in_line_order(site: Site) -> None:
    post = site.post(BAD)
    proc = run_cli("check", "--engine", "pdflatex", str(post))
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        f"{post}:7: error: unknown citation key 'shanon1948'; did you mean 'shannon1948'?",
        f"{post}:7: error: unknown citation key 'nokey'",
        f"{post}:7: warning: link to '#nowhere', but no heading has that id",
        f"{post}:9: warning: section 'Empty' is empty",
        f"{post}:11: warning: duplicate heading id 'intro'",
        f"{post}:13: warning: image 'nope.png' not found "
        f"(looked for {post.parent.resolve() / 'nope.png'}); a placeholder stands in, as "
        "the web page shows a broken image",
        f"{post}:13: warning: unknown shortcode 'mystery' left out",
        f"{post}:13: error: math may not use \\input (it reads or writes files or changes how "
        "TeX reads input)",
        f"{post}:13: warning: character 'Ա' (ARMENIAN CAPITAL LETTER AYB) cannot be typeset by "
        "pdflatex; replaced (use --engine auto, xelatex or lualatex to keep it); the post's "
        "other ARMENIAN characters likewise (not warned again)",
    ]
    assert proc.stderr == ""
    assert not (site.root / "output").exists()


LISTS = """- one [a](#n1)
- two $\\input{x}$

1. three [b](#n3)

   four [c](#n4)

2. five
   - six [d](#n6)
   - seven

> - eight [e](#n8)
> - nine
"""


def test_problems_in_list_items_are_located_at_their_own_line(site: Site) -> None:
    """mistune reads an item's text after the next item's marker line (and the blank lines
    before it): each item's problems were told at a later line (one, two or more off)."""
    post = site.post(LISTS)
    lines = run_cli("check", str(post)).stdout.splitlines()
    first = 5  # the front matter is four lines
    assert [line.split(": ", 1)[0].rsplit(":", 1)[1] for line in lines] == [
        str(first + n) for n in (0, 1, 3, 5, 8, 11)], lines


def test_engine_changes_what_can_be_shown(site: Site) -> None:
    post = site.post("An Armenian letter Ա (pdflatex has no Armenian).\n")
    assert "cannot be typeset by pdflatex" in run_cli("check", "--engine", "pdflatex",
                                                      str(post)).stdout
    for engine in ("xelatex", "auto"):  # auto chooses xelatex for it
        proc = run_cli("check", "--engine", engine, str(post))
        assert proc.returncode == 0 and proc.stdout == ""


def test_warnings_only_exit_0_and_quiet_prints_errors_only(site: Site) -> None:
    post = site.post("Hi {{< mystery >}}.\n")
    proc = run_cli("check", str(post))
    assert proc.returncode == 0 and "warning: unknown shortcode" in proc.stdout
    assert run_cli("check", "-q", str(post)).stdout == ""
    bad = site.post("[@nokey]\n", name="bad.md")
    proc = run_cli("check", "-q", str(site.root / "content"))
    assert proc.returncode == 1
    assert proc.stdout.strip() == f"{bad}:5: error: unknown citation key 'nokey'"


def test_broken_front_matter_and_bibliography_are_reported(site: Site) -> None:
    broken = site.post("x\n", name="broken.md", front="---\ntitle: [unclosed\n---\n")
    nobib = site.post("x\n", name="nobib.md", front="---\ntitle: T\nbibFile: data/gone.json\n---\n")
    proc = run_cli("check", str(broken), str(nobib))
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert lines[0].startswith(f"{broken}:2: error: invalid YAML front matter")
    assert lines[1].startswith(f"{nobib}:3: error: bibFile 'data/gone.json' not found")


def test_check_is_fast_enough_for_a_save_hook() -> None:
    post = REPO / "content" / "posts" / "example-paper" / "index.md"
    run_cli("check", str(post))  # warm the disk cache
    start = time.monotonic()
    proc = run_cli("check", "-v", str(post))
    elapsed = time.monotonic() - start
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "checked 1 post: 0 errors" in proc.stderr
    assert elapsed < 5, f"check took {elapsed:.1f} s"


def test_check_matches_what_build_refuses(site: Site, tmp_path: Path) -> None:
    post = site.post("[@nokey] and $\\write18{x}$\n")
    check = run_cli("check", "-q", str(post)).stdout.splitlines()
    build = run_cli("build", "--tex-only", "-o", str(tmp_path), str(post))
    assert build.returncode == 1
    assert sorted(check) == sorted(ln for ln in build.stderr.splitlines() if ": error: " in ln)


def test_a_warning_met_on_many_lines_is_told_once(site: Site) -> None:
    """One relative link linked all over a post (a site with no baseURL) is one warning at
    its first line naming the others; errors stay one per line (each must be fixed)."""
    (site.root / "hugo.toml").write_text('title = "T"\n')
    links = "".join(f"See [the basics](../basics/) part {n}.\n\n" for n in range(7))
    post = site.post(links + "Also [other](../other/).\n\n{{< cite \"nokey\" >}} "
                     "{{< cite \"nokey\" >}}\n\n{{< cite \"nokey\" >}}\n")
    told = [f"{d.line}: {d.severity}: {d.message}" for d in check_post(post)]
    basics = ("warning: relative link '../basics/' has no target outside the blog (the site "
              "config names no baseURL); only its text is kept")
    assert told == [f"5: {basics} (also on lines 7, 9, 11, 13 and 2 more)",
                    "19: warning: relative link '../other/' has no target outside the blog "
                    "(the site config names no baseURL); only its text is kept",
                    "21: error: unknown citation key 'nokey'",
                    "23: error: unknown citation key 'nokey'"]
