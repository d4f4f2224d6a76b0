"""Progress and output: a live line per stage on a terminal (rich), plain lines otherwise,
-q and -v, a summary line; --help for every command; --version stays light."""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from mdpaper.progress import PlainReporter, RichReporter, reporting, stage

from conftest import Site, requires_tex, run_cli

SUMMARY = re.compile(r"^(?P<post>\S+): wrote (?P<out>\S+) \((?P<pages>\d+) pages?, "
                     r"(?P<warnings>\d+) warnings?, (?P<secs>[\d.]+) s\)$")


@requires_tex
@pytest.mark.tex
def test_plain_stage_lines_and_summary_when_not_a_terminal(site: Site, tmp_path: Path) -> None:
    post = site.post("Hello {{< cite \"shannon1948\" >}} {{< mystery >}}.\n")
    proc = run_cli("build", "-o", str(tmp_path), str(post))
    assert proc.returncode == 0, proc.stderr
    # stages on stdout, stderr only for the located problems
    assert proc.stderr.strip() == f"{post}:5: warning: unknown shortcode 'mystery' left out"
    lines = proc.stdout.strip().splitlines()
    stages = [ln.split()[1] for ln in lines
              if ln.startswith("mdpaper: ") and not ln.startswith("mdpaper: engine: ")]
    assert stages[:3] == ["bibliography", "parse", "render"]
    # the automatic engine choice, said once, between the stages
    assert sum(ln.startswith("mdpaper: engine: pdflatex (") for ln in lines) == 1
    assert "pdflatex" in stages and "bibtex" in stages and stages[-1] == "latex"
    # A cold build: BibTeX on the cited keys first, then one pass (build/coldpass.py).
    assert stages.index("bibtex") < stages.index("pdflatex")
    assert "mdpaper: pdflatex pass 1 " in proc.stdout and "pass 2" not in proc.stdout
    assert "\x1b[" not in proc.stdout  # no terminal codes in a pipe
    m = SUMMARY.match(lines[-1])
    assert m, proc.stdout
    assert m["out"] == str(tmp_path / "post" / "post.pdf") and m["pages"] == "1"
    assert m["warnings"] == "1"


def test_quiet_and_verbose(site: Site, tmp_path: Path) -> None:
    post = site.post("Hello.\n")
    quiet = run_cli("build", "--tex-only", "-q", "-o", str(tmp_path), str(post))
    assert quiet.returncode == 0 and quiet.stdout == "" and quiet.stderr == ""
    loud = run_cli("build", "--tex-only", "-v", "-o", str(tmp_path), str(post))
    assert "mdpaper: template = article (default)" in loud.stdout
    assert f"mdpaper: output = {tmp_path} (command line)" in loud.stdout
    assert run_cli("build", "-q", "-v", str(post)).returncode == 2


def test_rich_reporter_shows_a_line_per_finished_stage() -> None:
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=80)
    with reporting(RichReporter(console=console)), stage("parse"):
        pass
    with pytest.raises(ValueError), reporting(RichReporter(console=console)), stage("latex"):
        raise ValueError
    out = buffer.getvalue()
    assert "✓" in out and "parse" in out and "✗" in out and "latex" in out


def test_plain_reporter_marks_failures() -> None:
    buffer = io.StringIO()
    with pytest.raises(RuntimeError), reporting(PlainReporter(buffer)), stage("bundle"):
        raise RuntimeError
    assert re.fullmatch(r"mdpaper: bundle [\d.]+ s \(failed\)\n", buffer.getvalue())


def test_terminal_gets_the_live_display(site: Site, tmp_path: Path) -> None:
    post = site.post("Hello.\n")
    leader, follower = pty.openpty()
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "100"}
    proc = subprocess.Popen([sys.executable, "-m", "mdpaper", "build", "--tex-only", "-o",
                             str(tmp_path), str(post)], stdin=subprocess.DEVNULL,
                            stdout=follower, stderr=follower, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    assert proc.wait(timeout=60) == 0
    os.close(leader)
    out = b"".join(chunks).decode("utf-8", "replace")
    assert "✓" in out and "render" in out and "\x1b[" in out


@pytest.mark.parametrize("option", ["--version", "--help"])
def test_version_and_help_do_not_import_rich_or_the_pipeline(option: str) -> None:
    code = (f"import sys\nfrom mdpaper import cli\ntry:\n    cli.main(['{option}'])\n"
            "except SystemExit:\n    pass\n"
            "print(sorted(m for m in ('rich', 'watchfiles', 'pylatex', 'mistune', "
            "'bibtexparser', 'yaml', 'pygments') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.stdout.strip().endswith("[]"), proc.stdout + proc.stderr


@pytest.mark.parametrize("command", ["build", "arxiv", "check", "watch"])
def test_every_command_has_a_manual_page(command: str) -> None:
    proc = run_cli(command, "--help")
    assert proc.returncode == 0
    text = proc.stdout
    for section in ("usage: mdpaper " + command, "options:", "settings:", "examples:",
                    "exit status:", "--template NAME|PATH", "--citation-style", "-q, --quiet",
                    "-v, --verbose"):
        assert section in text, (command, section)
    assert len(text.splitlines()) > 35


def test_main_help_lists_every_command() -> None:
    text = run_cli("--help").stdout
    for command in ("build POST", "arxiv POST", "check POST", "watch POST"):
        assert command in text
