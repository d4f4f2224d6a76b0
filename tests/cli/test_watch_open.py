"""``mdpaper watch --open``: the PDF goes to the platform's opener once, after the first good
build. The opener is the one thing a test machine has no real instance of (no desktop): a
script named ``xdg-open`` first on PATH stands in and records what it was asked to open."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from mdpaper.cli.watch_command import open_in_viewer

from conftest import Site, edit_post, requires_tex


def wait_for(check: Callable[[], bool], timeout: float = 120) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError("timed out")


@requires_tex
@pytest.mark.skipif(sys.platform != "linux", reason="xdg-open is the opener on Linux")
def test_open_hands_the_pdf_to_the_opener_once(site: Site, tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "opened.txt"
    opener = bin_dir / "xdg-open"
    opener.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> "{record}"\n')
    opener.chmod(0o755)
    post = site.post("First version.\n")
    out = tmp_path / "out"
    log = tmp_path / "watch.log"
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
               WATCHFILES_FORCE_POLLING="1")
    with open(log, "w") as stdout:
        proc = subprocess.Popen([sys.executable, "-m", "mdpaper", "watch", str(post), "--open",
                                 "-o", str(out)], stdout=stdout, stderr=subprocess.STDOUT,
                                env=env, stdin=subprocess.DEVNULL,
                                # a test run started in the background inherits an ignored
                                # SIGINT; Ctrl-C must reach the watcher as in a shell
                                preexec_fn=lambda: signal.signal(signal.SIGINT,
                                                                 signal.SIG_DFL))
    try:
        wait_for(record.exists)
        wait_for(lambda: "built" in log.read_text())
        edit_post(post, "First", "Second")
        wait_for(lambda: log.read_text().count("] built ") >= 2)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
    assert record.read_text().splitlines() == [str(out / "post" / "post.pdf")], log.read_text()
    assert proc.returncode == 0, log.read_text()


@pytest.mark.skipif(sys.platform == "win32", reason="Windows opens through os.startfile")
def test_without_an_opener_it_says_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a machine without a desktop: no opener
    assert "not found" in (open_in_viewer(tmp_path / "x.pdf") or "")
