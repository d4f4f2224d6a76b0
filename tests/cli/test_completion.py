"""``mdpaper completion bash|zsh|fish``: the printed scripts, loaded into the real shells and
asked for completions as a user's TAB would."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import run_cli


def script(shell: str, tmp_path: Path) -> Path:
    proc = run_cli("completion", shell)
    assert proc.returncode == 0, proc.stderr
    path = tmp_path / f"mdpaper.{shell}"
    path.write_text(proc.stdout)
    return path


def folder_with_posts(tmp_path: Path) -> Path:
    work = tmp_path / "work"
    (work / "content" / "posts").mkdir(parents=True)
    (work / "content" / "posts" / "p.md").write_text("x")
    (work / "content" / "posts" / "notes.txt").write_text("x")
    return work


def bash_complete(script_path: Path, cwd: Path, *words: str) -> list[str]:
    """What bash offers for the last word, through the script's completion function."""
    quoted = " ".join(f"'{w}'" for w in words)
    program = (f"source '{script_path}'; COMP_WORDS=({quoted}); "
               f"COMP_CWORD={len(words) - 1}; _mdpaper; printf '%s\\n' \"${{COMPREPLY[@]}}\"")
    out = subprocess.run(["bash", "-c", program], cwd=cwd, capture_output=True, text=True,
                         check=True).stdout
    return sorted(filter(None, out.splitlines()))


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash not installed")
def test_bash_completes_commands_options_choices_and_posts(tmp_path: Path) -> None:
    path, work = script("bash", tmp_path), folder_with_posts(tmp_path)
    assert bash_complete(path, work, "mdpaper", "") == sorted(
        ["build", "arxiv", "check", "watch", "hugo", "completion", "cache",
         "--version", "--help"])
    assert bash_complete(path, work, "mdpaper", "bu") == ["build"]
    assert bash_complete(path, work, "mdpaper", "build", "--engine", "") == [
        "auto", "lualatex", "pdflatex", "xelatex"]
    assert bash_complete(path, work, "mdpaper", "check", "--citation-style", "n") == ["numeric"]
    assert "--into" in bash_complete(path, work, "mdpaper", "build", "--")
    assert "--open" in bash_complete(path, work, "mdpaper", "watch", "--")
    # posts: Markdown files and folders, not other files
    assert bash_complete(path, work, "mdpaper", "build", "content/posts/") == [
        "content/posts/p.md"]
    assert bash_complete(path, work, "mdpaper", "build", "--into", "con") == ["content"]
    assert bash_complete(path, work, "mdpaper", "build", "-j", "") == []
    assert "install" in bash_complete(path, work, "mdpaper", "hugo", "")
    assert bash_complete(path, work, "mdpaper", "completion", "") == ["bash", "fish", "zsh"]


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish not installed")
def test_fish_completes_commands_and_choices(tmp_path: Path) -> None:
    path, work = script("fish", tmp_path), folder_with_posts(tmp_path)

    def offered(line: str) -> list[str]:
        program = f"source '{path}'; complete -C '{line}'"
        out = subprocess.run(["fish", "--no-config", "-c", program], cwd=work,
                             capture_output=True, text=True, check=True).stdout
        return sorted(entry.split("\t")[0] for entry in out.splitlines())

    assert offered("mdpaper bu") == ["build"]
    assert offered("mdpaper build --engine ") == ["auto", "lualatex", "pdflatex", "xelatex"]
    assert "--into" in offered("mdpaper build --")
    assert "install" in offered("mdpaper hugo ")


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh not installed")
def test_zsh_loads_the_script_and_registers_the_completion(tmp_path: Path) -> None:
    path = script("zsh", tmp_path)
    out = subprocess.run(["zsh", "-f", "-c", f"source '{path}'; print ${{+functions[_mdpaper]}};"
                          " print ${_comps[mdpaper]}"], capture_output=True, text=True,
                         check=True, env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    # the function is defined and zsh's completion system calls it for mdpaper
    assert out.stdout.splitlines() == ["1", "_bash_complete -o filenames -F _mdpaper"], out


def test_unknown_shell_is_a_usage_error() -> None:
    proc = run_cli("completion", "tcsh")
    assert proc.returncode == 2 and "invalid choice" in proc.stderr
