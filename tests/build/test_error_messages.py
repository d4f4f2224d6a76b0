"""Error-message audit: every failure a user can cause, through the real command line.

Each case builds its bad input, runs ``python -m mdpaper``, and checks the exact shape of
the first line of stderr (``file:line: error: message``, the line where one exists), the
exit status (1 for a bad post, 2 for a wrong command line) and that no traceback shows.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import Site, have_tex, run_cli


@dataclass
class Case:
    name: str
    #: Makes the input in the site; returns the command line's arguments after "mdpaper".
    setup: Callable[[Site], list[str]]
    #: Expected first line of stderr, a regex; {post}/{bib}/{root} are filled in (escaped).
    first_line: str
    status: int = 1
    needs_tex: bool = False


def _post(site: Site, text: str, front: str | None = None) -> list[str]:
    return ["build", "--tex-only", str(site.post(text, front=front))]


def _raw_post(site: Site, data: bytes) -> list[str]:
    path = site.root / "content" / "posts" / "post.md"
    path.write_bytes(data)
    return ["build", "--tex-only", str(path)]


def _bib(site: Site, text: str) -> list[str]:
    (site.root / "data" / "bibliography.json").write_text(text)
    return _post(site, 'See {{< cite "shannon1948" >}}.\n')


CASES = [
    Case("invalid YAML front matter",
         lambda s: _post(s, "x\n", "---\ntitle: ok\ntags: [a, b\n---\n"),
         r"{post}:3: error: invalid YAML front matter: .+"),
    Case("invalid TOML front matter",
         lambda s: _post(s, "x\n", '+++\ntitle = "ok"\ndate = = 2024\n+++\n'),
         r"{post}:3: error: invalid TOML front matter: .+"),
    Case("invalid JSON front matter",
         lambda s: _post(s, "x\n", '{\n  "title": "ok",\n  "tags": [1,\n}\n'),
         r"{post}:4: error: invalid JSON front matter: .+"),
    Case("front matter never closed",
         lambda s: _post(s, "x\n", "---\ntitle: ok\n"),
         r"{post}:1: error: front matter opened with '---' is never closed"),
    Case("front matter value of the wrong type",
         lambda s: _post(s, "x\n", "---\ntitle: ok\nbibFile: [a, b]\n---\n"),
         r"{post}:3: error: front matter key 'bibFile' must be a path"),
    Case("file that is not UTF-8",
         lambda s: _raw_post(s, b"---\ntitle: ok\n---\nCaf\xe9 au lait.\n"),
         r"{post}:4: error: post is not valid UTF-8 \(byte 0xe9 at offset 21\); save it as UTF-8"),
    Case("missing post",
         lambda s: ["build", str(s.root / "content" / "posts" / "nope.md")],
         r"{root}/content/posts/nope\.md: error: no such file"),
    Case("folder without posts",
         lambda s: ["build", str(s.root / "data")],
         r"mdpaper: error: no Markdown posts found"),
    Case("missing bibFile",
         lambda s: _post(s, "x\n", "---\ntitle: ok\nbibFile: data/nope.json\n---\n"),
         r"{post}:3: error: bibFile 'data/nope\.json' not found \(looked for .+\)"),
    Case("bibFile outside the site",
         lambda s: _post(s, "x\n", "---\nbibFile: ../../../etc/passwd\n---\n"),
         r"{post}:2: error: bibFile '\.\./\.\./\.\./etc/passwd' is outside the site folder .+"),
    Case("malformed CSL-JSON",
         lambda s: _bib(s, '[\n  {"id": "shannon1948",\n   "title": "x"\n  \n'),
         r"{bib}:5: error: invalid JSON: .+"),
    Case("bibliography entry without an id",
         lambda s: _bib(s, '[\n  {"id": "shannon1948", "type": "book", "title": "A"},\n'
                           '  {"type": "book", "title": "B"}\n]\n'),
         r'{bib}:3: error: .*has no "id"'),
    Case("unknown citation key",
         lambda s: _post(s, 'See {{< cite "shanon1948" >}}.\n'),
         r"{post}:5: error: unknown citation key 'shanon1948'; did you mean 'shannon1948'\?"),
    Case("image outside the site",
         lambda s: _post(s, "![x](../../../../etc/hostname.png)\n"),
         r"{post}:5: error: image '\.\./\.\./\.\./\.\./etc/hostname\.png' is outside the site .+"),
    Case("math that reads files",
         lambda s: _post(s, "Fine.\n\nBad $\\input{/etc/passwd}$.\n"),
         r"{post}:7: error: math may not use \\input \(it reads or writes files .+\)"),
    Case("unknown template",
         lambda s: [*_post(s, "x\n"), "--template", "nosuch"],
         r"mdpaper: error: unknown template 'nosuch' \(known: .*article.*\)", status=2),
    Case("unknown engine",
         lambda s: [*_post(s, "x\n"), "--engine", "troff"],
         r"usage: mdpaper build .*", status=2),
    Case("unknown option",
         lambda s: [*_post(s, "x\n"), "--colour"],
         r"usage: mdpaper .*", status=2),
    Case("LaTeX error",
         lambda s: ["build", str(s.post("Fine.\n\nBad $\\mathbbb{R}$ math.\n"))],
         r"{post}:7: error: Undefined control sequence \\mathbbb in math; "
         r"did you mean '\\mathbb'\?", needs_tex=True),
    Case("TeX run past its timeout",
         lambda s: ["build", "--timeout", "0.05", str(s.post("Slow enough.\n"))],
         r"{post}: error: TeX did not finish within 0\.05 s \(an endless loop\?\) and was "
         r"stopped", needs_tex=True),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_error_message(site: Site, case: Case) -> None:
    if case.needs_tex and not have_tex():
        pytest.skip("TeX Live/latexmk missing")
    args = case.setup(site)
    proc = run_cli(*args)
    post = site.root / "content" / "posts" / "post.md"
    expected = case.first_line.format(post=re.escape(str(post)), root=re.escape(str(site.root)),
                                      bib=re.escape(str(site.root / "data" /
                                                        "bibliography.json")))
    first = proc.stderr.splitlines()[0] if proc.stderr else ""
    assert re.fullmatch(expected, first), f"{first!r}\n!~ {expected!r}\n{proc.stderr}"
    assert proc.returncode == case.status, proc.stderr
    assert "Traceback" not in proc.stderr


def test_missing_latexmk_names_the_debian_packages(site: Site, tmp_path: Path) -> None:
    # No mock: a PATH holding only Python (run by its full path, so the virtualenv holds).
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python3").symlink_to(sys.executable)
    post = site.post("Text.\n")
    env = {**os.environ, "PATH": str(bin_dir)}
    import subprocess

    proc = subprocess.run([sys.executable, "-m", "mdpaper", "build", str(post)],
                          capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL,
                          timeout=120)
    first = proc.stderr.splitlines()[0]
    assert re.fullmatch(
        re.escape(str(post)) + r": error: latexmk, pdflatex, bibtex not found on PATH; "
        r"install TeX Live, e.g\. `sudo apt-get install latexmk texlive-latex-base .*`", first
    ), proc.stderr
    assert proc.returncode == 1 and "Traceback" not in proc.stderr


def test_every_listed_failure_has_a_case() -> None:
    """The failures issue 4 lists, so a removed case is noticed. (A missing image is now a
    located warning and a placeholder, as the page shows a broken image: test_hostile.)"""
    listed = {"invalid YAML front matter", "invalid TOML front matter",
              "invalid JSON front matter", "file that is not UTF-8", "missing post",
              "missing bibFile", "malformed CSL-JSON", "bibliography entry without an id",
              "unknown citation key", "unknown template", "unknown engine",
              "LaTeX error", "TeX run past its timeout"}
    assert listed <= {c.name for c in CASES}
    assert json.dumps([c.name for c in CASES])  # names are plain text (used as test ids)
