"""SyncTeX: every build writes ``NAME.synctex.gz`` beside ``NAME.pdf`` (``-synctex=1`` on every
engine pass, latexmk's and the one-pass rebuild's), so a viewer can jump from the PDF to the
.tex. Checked with TeX Live's own ``synctex`` tool, as a viewer would ask it."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import Site, edit_post, requires_tex, run_cli


def pdf_to_tex(pdf: Path, page: int = 1) -> tuple[Path, int]:
    """The .tex file and line ``synctex edit`` gives for a point in the first paragraph."""
    out = subprocess.run(["synctex", "edit", "-o", f"{page}:200:160:{pdf}"], cwd=pdf.parent,
                         capture_output=True, text=True, check=True).stdout
    source = re.search(r"^Input:(.+)$", out, re.M)
    line = re.search(r"^Line:(\d+)$", out, re.M)
    assert source and line, out
    return Path(source.group(1)), int(line.group(1))


@requires_tex
@pytest.mark.skipif(shutil.which("synctex") is None, reason="TeX Live's synctex missing")
def test_builds_write_synctex_beside_the_pdf(site: Site, tmp_path: Path) -> None:
    post = site.post("A first paragraph that says something about entropy and codes.\n")
    out = tmp_path / "out"
    for edit in (None, ("A first", "The first")):  # cold (latexmk), edit rebuild (one pass)
        if edit:
            edit_post(post, *edit)
            (out / "post" / "post.synctex.gz").unlink()
        proc = run_cli("build", str(post), "-o", str(out))
        assert proc.returncode == 0, proc.stderr
        synctex = out / "post" / "post.synctex.gz"
        assert synctex.is_file()
        tex, line = pdf_to_tex(out / "post" / "post.pdf")
        assert tex.resolve() == (out / "post" / "build" / "post.tex").resolve()
        assert "entropy" in tex.read_text().splitlines()[line - 1]
