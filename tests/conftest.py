"""Shared test helpers: throwaway Hugo sites, real builds, and the PDF's text via pdftotext."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
SHARED = REPO.parent / "shared"
SEED_POST = SHARED / "seed" / "information-theory-in-llm-theory.md"

#: The two references the seed post cites (from the papers themselves, see arXiv).
SEED_REFERENCES = [
    {"id": "jeon2022information", "type": "article",
     "title": "An Information-Theoretic Framework for Supervised Learning",
     "author": [{"family": "Jeon", "given": "Hong Jun"}, {"family": "Zhu", "given": "Yifan"},
                {"family": "Van Roy", "given": "Benjamin"}],
     "issued": {"date-parts": [[2022]]}, "number": "arXiv:2203.00246",
     "URL": "https://arxiv.org/abs/2203.00246"},
    {"id": "jeon2024information", "type": "paper-conference",
     "title": "An Information-Theoretic Analysis of In-Context Learning",
     "author": [{"family": "Jeon", "given": "Hong Jun"}, {"family": "Lee", "given": "Jason D."},
                {"family": "Lei", "given": "Qi"}, {"family": "Van Roy", "given": "Benjamin"}],
     "container-title": "Proceedings of the 41st International Conference on Machine Learning",
     "issued": {"date-parts": [[2024]]}, "URL": "https://arxiv.org/abs/2401.15530"},
]

REFERENCES = SEED_REFERENCES + [
    {"id": "shannon1948", "type": "article-journal",
     "title": "A Mathematical Theory of Communication",
     "author": [{"family": "Shannon", "given": "Claude E."}],
     "container-title": "Bell System Technical Journal", "volume": "27", "issue": "3",
     "page": "379-423", "issued": {"date-parts": [[1948]]}},
    {"id": "cover2006", "type": "book", "title": "Elements of Information Theory",
     "author": [{"family": "Cover", "given": "Thomas M."},
                {"family": "Thomas", "given": "Joy A."}],
     "publisher": "Wiley-Interscience", "edition": "2", "issued": {"date-parts": [["2006"]]}},
]


def have_tex() -> bool:
    return all(shutil.which(t) for t in ("latexmk", "pdflatex", "pdftotext"))


requires_tex = pytest.mark.skipif(not have_tex(), reason="TeX Live/latexmk/pdftotext missing")


def hugo_binary() -> str | None:
    """The Hugo binary of the test extra (beside this Python), else one on PATH."""
    beside = Path(sys.executable).parent / "hugo"
    return str(beside) if beside.exists() else shutil.which("hugo")


requires_hugo = pytest.mark.skipif(hugo_binary() is None,
                                   reason="the hugo package (test extra) is not installed")


def run_hugo(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``hugo ARGS --source SITE`` with its cache in the test's folder (no modules or themes
    are fetched, so nothing leaves the machine)."""
    hugo = hugo_binary()
    assert hugo is not None
    env = dict(os.environ, HUGO_CACHEDIR=str(site.parent / "hugo-cache"))
    return subprocess.run([hugo, *args, "--source", str(site)], capture_output=True, text=True,
                          env=env, timeout=300)


#: Hugo's passthrough extension with every delimiter: the tests' math is raw, as a modern
#: math blog writes it (without it Goldmark's escapes apply first: markdown.goldmark_escape)
PASSTHROUGH = """
[markup.goldmark.extensions.passthrough]
enable = true
[markup.goldmark.extensions.passthrough.delimiters]
block = [['\\[', '\\]'], ['$$', '$$']]
inline = [['\\(', '\\)'], ['$', '$']]
"""


class Site:
    """A temporary Hugo site: hugo.toml, data/bibliography.json and posts under content/."""

    def __init__(self, root: Path, references: list[dict] | None = None):
        self.root = root
        (root / "content" / "posts").mkdir(parents=True)
        (root / "hugo.toml").write_text('title = "Test site"\n' + PASSTHROUGH)
        (root / "data").mkdir()
        (root / "data" / "bibliography.json").write_text(
            json.dumps(REFERENCES if references is None else references, indent=1))

    def post(self, text: str, name: str = "post.md", front: str | None = None) -> Path:
        if front is None:
            front = "---\ntitle: Test post\nbibFile: data/bibliography.json\n---\n"
        path = self.root / "content" / "posts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(front + text, encoding="utf-8")
        return path


@pytest.fixture(autouse=True)
def own_cache(tmp_path_factory: pytest.TempPathFactory,
              monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Each test its own ``XDG_CACHE_HOME`` (shared preamble formats): never the user's
    cache, never another test's. Tests of sharing set it themselves.

    Removed when the test ends: a preamble format is some 20 MB, and a thousand tests'
    worth of them filled a CI disk (pytest keeps its last three runs' folders)."""
    cache = tmp_path_factory.mktemp("xdg-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    _BASETEMP[:] = [tmp_path_factory.getbasetemp().resolve()]
    yield cache
    shutil.rmtree(cache, ignore_errors=True)


#: This test process's temporary folder, where every TeX a test starts runs
#: (``live_processes``).
_BASETEMP: list[Path] = []


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return Site(tmp_path / "site")


def checkout_copy(dest: Path) -> Path:
    """This checkout's files as a fresh clone would have them, plus new ones git does not
    ignore (so a test sees the change under way), copied into ``dest``."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        if (REPO / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, dest / name)
    return dest


def pdf_text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                         text=True, check=True)
    return out.stdout


def edit_post(post: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in the post by ``new`` (which must be there)."""
    text = post.read_text(encoding="utf-8")
    assert old in text
    post.write_text(text.replace(old, new, 1), encoding="utf-8")


def squash(text: str) -> str:
    """pdftotext breaks lines and hyphenates; compare on single-spaced text."""
    return " ".join(text.replace("-\n", "").split())


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the command line as a user would, with this test run's Python (the virtualenv's
    ``bin/`` need not be on PATH)."""
    return subprocess.run([sys.executable, "-m", "mdpaper", *args], capture_output=True,
                          text=True, cwd=cwd, stdin=subprocess.DEVNULL, timeout=600)


def pdf_object_bytes(pdf: Path) -> bytes:
    """The PDF's bytes followed by each of its deflated streams, inflated (where link
    annotations and URIs may sit)."""
    import re
    import zlib

    data = pdf.read_bytes()
    chunks = [data]
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            chunks.append(zlib.decompress(m.group(1)))
        except zlib.error:
            continue
    return b"".join(chunks)


def pdf_internal_link_targets(pdf: Path) -> set[str]:
    """Named destinations of the PDF's internal (GoTo) links, from its (deflated) streams."""
    import re

    found = re.findall(rb"/S\s*/GoTo\s*/D\s*\(([^)]*)\)", pdf_object_bytes(pdf))
    return {f.decode("latin-1") for f in found}


def live_processes(word: str) -> list[str]:
    """Command lines of live (not zombie) processes that mention ``word``, pytest's aside,
    working in this test run's temporary folders (not a build run beside the tests, nor
    another xdist worker's)."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            args = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
            cwd = (proc / "cwd").resolve()
        except (OSError, IndexError):
            continue
        ours = not _BASETEMP or cwd.is_relative_to(_BASETEMP[0])
        if word in args and state != "Z" and "pytest" not in args and ours:
            found.append(args)
    return found


def label_anchor(aux: Path, label: str) -> str | None:
    """The hyperref anchor LaTeX recorded for ``label`` (from the .aux file)."""
    import re

    m = re.search(r"\\newlabel\{" + re.escape(label) + r"\}\{\{[^}]*\}\{[^}]*\}\{.*?\}\{([^}]*)\}",
                  aux.read_text(encoding="latin-1"))
    return m.group(1) if m else None


def unbalanced(latex: str) -> str | None:
    """Why ``latex`` would break the groups around it (None when its braces balance).

    ``\\{`` and ``\\}`` (any backslash pair) are skipped; Pygments' ``Verbatim`` output
    escapes its braces as ``\\PYZob{}``, so it is checked like the rest.
    """
    depth, i = 0, 0
    while i < len(latex):
        ch = latex[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                line = latex.count("\n", 0, i) + 1
                return f"unmatched '}}' on line {line}: {latex.splitlines()[line - 1][:80]!r}"
        i += 1
    return f"{depth} unclosed '{{'" if depth else None


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    """Print the counts the robustness tests collect (CommonMark examples, hypothesis)."""
    import sys

    lines = []
    cm = sys.modules.get("test_commonmark")
    if cm is not None and getattr(cm, "REPORT", None):
        lines.append(f"CommonMark {cm.SPEC_VERSION} examples: "
                     + ", ".join(cm.REPORT[k] for k in ("convert", "compile") if k in cm.REPORT))
    for name in ("test_properties", "test_stress"):
        module = sys.modules.get(name)
        if module is not None and getattr(module, "REPORT", None):
            lines += [f"{k}: {v}" for k, v in module.REPORT.items()]
    if lines:
        terminalreporter.write_sep("-", "robustness")
        for line in lines:
            terminalreporter.write_line(line)
