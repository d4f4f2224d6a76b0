"""The command line: version, help, exit codes and located errors without tracebacks."""

from __future__ import annotations

from pathlib import Path

from mdpaper import __version__

from conftest import Site, requires_tex, run_cli


def test_version_and_help() -> None:
    proc = run_cli("--version")
    assert proc.returncode == 0 and proc.stdout.strip() == f"mdpaper {__version__}"
    proc = run_cli("--help")
    assert proc.returncode == 0 and "build POST" in proc.stdout and "arxiv POST" in proc.stdout
    proc = run_cli("build", "--help")
    assert proc.returncode == 0 and "--tex-only" in proc.stdout and "exit status" in proc.stdout


def test_usage_errors_exit_2() -> None:
    assert run_cli().returncode == 2
    proc = run_cli("build")
    assert proc.returncode == 2 and "usage:" in proc.stderr
    assert run_cli("build", "x.md", "--engine", "troff").returncode == 2


def test_missing_post_is_located_error(tmp_path: Path) -> None:
    proc = run_cli("build", str(tmp_path / "nope.md"))
    assert proc.returncode == 1
    assert proc.stderr.strip() == f"{tmp_path / 'nope.md'}: error: no such file"


def test_debug_shows_traceback(tmp_path: Path) -> None:
    proc = run_cli("build", "--debug", str(tmp_path / "nope.md"))
    assert proc.returncode == 1 and "Traceback" in proc.stderr


def test_tex_only_with_outdir_and_warnings_printed(site: Site, tmp_path: Path) -> None:
    post = site.post("Hello {{< mystery >}} world.\n")
    proc = run_cli("build", "--tex-only", "-o", str(tmp_path / "o"), str(post))
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "o" / "post" / "post.tex").exists()
    assert f"{post}:5: warning: unknown shortcode 'mystery' left out" in proc.stderr
    assert not (site.root / "output").exists()


@requires_tex
def test_build_folder_builds_every_post_and_reports_failures(site: Site, tmp_path: Path) -> None:
    site.post("Good one.\n", name="a.md")
    bad = site.post("Bad {{< cite \"nokey\" >}}.\n", name="b.md")
    proc = run_cli("build", "-o", str(tmp_path / "o"), str(site.root / "content"))
    assert proc.returncode == 1
    assert (tmp_path / "o" / "a" / "a.pdf").exists()
    assert f"{bad}:5: error: unknown citation key 'nokey'" in proc.stderr


def test_a_failed_build_prints_its_warnings_before_its_errors(site: Site,
                                                               tmp_path: Path) -> None:
    """An error stops the build; the warnings found by then are told with it (else the
    author fixes the error and meets them only on the next run), but not under -q."""
    post = site.post("Hello {{< mystery >}} world\n\nand {{< cite \"nokey\" >}}.\n")
    for command in ("build", "arxiv"):
        proc = run_cli(command, "-o", str(tmp_path / command), str(post))
        assert proc.returncode == 1
        lines = [line for line in proc.stderr.splitlines() if not line.startswith("mdpaper:")]
        assert lines == [f"{post}:5: warning: unknown shortcode 'mystery' left out",
                         f"{post}:7: error: unknown citation key 'nokey'"], proc.stderr
    quiet = run_cli("build", "-q", "-o", str(tmp_path / "q"), str(post))
    assert quiet.returncode == 1 and "warning" not in quiet.stderr
