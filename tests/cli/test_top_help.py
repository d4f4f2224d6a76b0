"""``mdpaper --help`` is answered from a stored text (start-up): it must be what the
argument parser itself writes at 80 columns. ``MDPAPER_UPDATE_GOLDEN=1`` rewrites it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import mdpaper.cli
from mdpaper.cli.arguments import make_parser

STORED = Path(mdpaper.cli.__file__).with_name("top_help.txt")


def test_the_stored_help_is_the_parsers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    text = make_parser().format_help()
    if os.environ.get("MDPAPER_UPDATE_GOLDEN"):
        STORED.write_text(text, encoding="utf-8")
        pytest.skip("rewrote the stored help")
    assert text == STORED.read_text(encoding="utf-8")


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_prints_it_without_loading_the_parser(flag: str) -> None:
    code = (f"import sys; from mdpaper.cli import main; rc = main([{flag!r}]); "
            "sys.stderr.write(str('argparse' in sys.modules)); sys.exit(rc)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0 and done.stderr == "False"
    assert done.stdout == STORED.read_text(encoding="utf-8")
    assert "build POST..." in done.stdout and "--version" in done.stdout
