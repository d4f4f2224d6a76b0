"""The TeX stage's shared pieces: one engine table, one process runner, one log reader."""

from __future__ import annotations

import ast
import time
from pathlib import Path

import pytest

from mdpaper.tex import engines, log, process
from mdpaper.tex.engines import ENGINE_NAMES, ENGINES
from mdpaper.tex.process import LatexTimeout, TexToolMissing

PIPELINE = Path(engines.__file__).resolve().parents[1]


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the string constants that are docstrings (prose, not code)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                    and isinstance(first.value.value, str)):
                found.add(id(first.value))
    return found


def test_engine_names_are_spelled_only_in_the_engine_table() -> None:
    """A string constant that *is* an engine name ("pdflatex") is code choosing an engine,
    and belongs in tex/engines.py. Messages and help texts that merely mention an engine
    (cli/manual.py, "pdflatex on arXiv takes only PDF...") are prose and pass; so do
    docstrings."""
    assert set(ENGINE_NAMES) == {"pdflatex", "xelatex", "lualatex"}
    table = Path(engines.__file__).resolve()
    spelled = []
    for path in sorted(PIPELINE.rglob("*.py")):
        if path == table:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = _docstrings(tree)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and node.value in ENGINE_NAMES
                    and id(node) not in docstrings):
                spelled.append(f"{path.relative_to(PIPELINE)}:{node.lineno}: {node.value!r}")
    assert spelled == []


@pytest.mark.parametrize("name", ENGINE_NAMES)
def test_every_engine_says_what_it_can_do(name: str) -> None:
    engine = ENGINES[name]
    assert engine.name == name and engine.latexmk_flag.startswith("-")
    assert engines.install_hint(name).startswith("sudo apt-get install latexmk ")
    # The preamble format is built alongside a one-pass rebuild: an engine that cannot
    # rebuild in one pass would never get one.
    assert not engine.preamble_format or engine.writes_pdf
    assert engines.DEFAULT_ENGINE in engines.ENGINE_CHOICES and engines.ARXIV_ENGINE in ENGINES
    assert engines.PLAIN_ENGINE in ENGINES and engines.UNICODE_ENGINE in ENGINES


# ---------------------------------------------------------------- the process runner


def test_sandbox_env_for_the_proof_drops_the_users_tex_setup(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEXINPUTS", "/home/me/tex//:")
    monkeypatch.setenv("TEXMFHOME", "/home/me/texmf")
    monkeypatch.setenv("openin_any_pdflatex", "a")
    ordinary = process.sandbox_env()
    assert ordinary["TEXINPUTS"] == "/home/me/tex//:" and ordinary["TEXMFHOME"] == "/home/me/texmf"
    proof = process.sandbox_env(texmf_home=tmp_path)
    assert "TEXINPUTS" not in proof and proof["TEXMFHOME"] == str(tmp_path)
    for env in (ordinary, proof):
        assert "openin_any_pdflatex" not in env
        assert (env["openin_any"], env["openout_any"], env["shell_escape"]) == ("p", "p", "f")


def test_a_run_past_its_timeout_has_its_whole_group_killed(tmp_path: Path) -> None:
    # The shell stands in for latexmk, the background sleep for the engine it started.
    script = "sleep 60 & echo $! > child; wait"
    start = time.monotonic()
    with pytest.raises(LatexTimeout, match="within 0.5 s") as info:
        process.run(["sh", "-c", script], cwd=tmp_path, env=process.sandbox_env(),
                    timeout=0.5, source=tmp_path / "doc.tex")
    assert time.monotonic() - start < 5
    assert str(info.value).startswith(f"{tmp_path / 'doc.tex'}: error: ")
    child = int((tmp_path / "child").read_text())
    assert not _alive(child), "the child outlived its parent's timeout"


def test_a_missing_program_is_a_missing_tool(tmp_path: Path) -> None:
    with pytest.raises(TexToolMissing, match="cannot run no-such-tex"):
        process.run(["no-such-tex"], cwd=tmp_path, env=process.sandbox_env(), timeout=5)


def test_the_runner_closes_stdin_and_returns_the_exit_code(tmp_path: Path) -> None:
    # A TeX waiting for terminal input would hang until the timeout: it reads EOF instead.
    code = process.run(["sh", "-c", "read line; exit 3"], cwd=tmp_path,
                       env=process.sandbox_env(), timeout=30)
    assert code == 3


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


# ---------------------------------------------------------------- what the arXiv proof reads

PROOF_LOG = """\
This is pdfTeX, Version 3.141592653-2.6-1.40.24 (TeX Live 2022/Debian) (preloaded format=pdflatex)
Package natbib Warning: Citation `knuth84' on page 1 undefined on input line 12.
LaTeX Warning: Reference `sec:a' on page 1 undefined on input line 14.
Package natbib Warning: Citation `knuth84' on page 2 undefined on input line 20.
LaTeX Warning: Citation `lamport' undefined on input line 21.
LaTeX Warning: Label(s) may have changed. Rerun to get cross-references right.
! LaTeX Error: File `figures/plot.png' not found.
! LaTeX Error: File `figures/plot.png' not found.
"""


def test_the_proofs_questions_are_answered_by_the_log_reader() -> None:
    assert log.texlive_year(PROOF_LOG) == "2022"
    assert log.undefined_keys(PROOF_LOG) == (["knuth84", "lamport"], ["sec:a"])
    assert log.missing_files(PROOF_LOG) == ["figures/plot.png"]
    assert log.asks_for_rerun(PROOF_LOG) and not log.asks_for_rerun("Output written on x")
    assert log.texlive_year("no banner") is None


def test_first_error_names_the_macro_and_the_line() -> None:
    text = "(./paper.tex\n! Undefined control sequence.\nl.7 Some \\foo\n              bar\n"
    assert log.first_error(text) == "Undefined control sequence \\foo (at l.7)"
    assert log.first_error("No errors here.\n") == ""
