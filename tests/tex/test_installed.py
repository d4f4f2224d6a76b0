"""What a conversion asks of the TeX installation (encodings, twemojis, textalpha, T2A, T5,
CJKutf8) is looked up by one kpsewhich run per build, not one run per question: each run
costs 40-50 ms, and three sat one after another on a Russian post's critical path.

The real kpsewhich answers; a wrapper ahead of it on PATH writes down each run's
arguments. Real pdflatex and poppler for the PDF."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mdpaper.tex import installed

from conftest import Site, pdf_text, requires_tex

#: Cyrillic (T2A), Greek (textalpha), Vietnamese (T5), an emoji (twemojis) and a Latin
#: letter T1 lacks (the .dfu files): every question of the lookup, in one post
POST = "Война и мир, λόγος, Tiếng Việt, 🙂 and ħ.\n"


def _logging_kpsewhich(folder: Path, log: Path) -> Path:
    real = shutil.which("kpsewhich")
    assert real is not None
    wrapper = folder / "kpsewhich"
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> {log}\nexec {real} "$@"\n')
    wrapper.chmod(0o755)
    return folder


@requires_tex
def test_a_build_looks_up_tex_files_once(site: Site, tmp_path: Path) -> None:
    log = tmp_path / "kpsewhich.log"
    wrapper = _logging_kpsewhich(tmp_path, log)
    post = site.post(POST, "scripts.md")
    env = dict(os.environ, PATH=f"{wrapper}{os.pathsep}{os.environ['PATH']}")
    done = subprocess.run([sys.executable, "-m", "mdpaper", "build", str(post), "-o",
                           str(tmp_path / "out"), "--engine", "pdflatex"],
                          capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr
    asked = [line.split() for line in log.read_text().splitlines()]
    ours = [args for args in asked if set(args) & set(installed.WANTED)]
    assert ours == [list(installed.WANTED)], asked
    shown = pdf_text(tmp_path / "out" / "scripts" / "scripts.pdf")
    for words in ("Война и мир", "λόγος", "Tiếng Việt"):
        assert words in shown, shown


@pytest.mark.skipif(shutil.which("kpsewhich") is None, reason="no TeX installed")
def test_the_lookup_finds_what_is_installed_only() -> None:
    found = installed.find("t1enc.dfu")
    assert found is not None and found.name == "t1enc.dfu" and found.is_file()
    assert installed.find("no-such-package-here.sty") is None


def test_the_questions_are_asked_only_of_characters_beyond_latin() -> None:
    assert not installed.lookup_needed("Müller, déjà vu – “naïve” Łódź")
    assert installed.lookup_needed("ħ") and installed.lookup_needed("мир")
