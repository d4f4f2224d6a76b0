"""The pre-commit hook (``.pre-commit-hooks.yaml``, id ``mdpaper-check``), run by pre-commit
itself: ``pre-commit try-repo`` installs mdpaper from a git copy of this checkout into
pre-commit's own environment (pip, from PyPI) and runs the hook on a blog's staged posts."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REFERENCES, REPO, checkout_copy

PRE_COMMIT = Path(sys.executable).parent / "pre-commit"

pytestmark = pytest.mark.skipif(
    not PRE_COMMIT.exists() or shutil.which("git") is None or not (REPO / ".git").exists(),
    reason="needs pre-commit (test extra), git and a git checkout")

GIT = ["git", "-c", "user.name=mdpaper test", "-c", "user.email=test@example.org",
       "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"]


def git(*args: str, cwd: Path) -> None:
    subprocess.run([*GIT, *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This checkout's files (tracked, and new ones not ignored) in a fresh git repository:
    pre-commit clones a hook repository at a commit, so the hook file must be committed."""
    repo = tmp_path_factory.mktemp("hook") / "mdpaper"
    checkout_copy(repo)
    git("init", "-q", cwd=repo)
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", "mdpaper", cwd=repo)
    return repo


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pre-commit's store, shared by the tests of this module: the environment is built once."""
    return tmp_path_factory.mktemp("pre-commit-home")


def blog(root: Path, body: str) -> Path:
    (root / "content" / "posts").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "data" / "bib.json").write_text(json.dumps(REFERENCES))
    (root / "hugo.toml").write_text('title = "A blog"\n')
    post = root / "content" / "posts" / "post.md"
    post.write_text(f"---\ntitle: A post\nbibFile: data/bib.json\n---\n\n{body}")
    git("init", "-q", cwd=root)
    return post


def try_repo(site: Path, repo: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PRE_COMMIT_HOME=str(home), PRE_COMMIT_COLOR="never")
    env.pop("VIRTUAL_ENV", None)
    run = subprocess.run([str(PRE_COMMIT), "try-repo", str(repo), "mdpaper-check"], cwd=site,
                         capture_output=True, text=True, env=env, timeout=900)
    out = run.stdout + run.stderr
    if run.returncode != 0 and "hook id: mdpaper-check" not in out and (
            "error has occurred" in out):
        pytest.skip(f"pre-commit could not build the hook's environment here: {out[-400:]}")
    return run


def test_the_hook_catches_an_unknown_citation_key_in_a_staged_post(
        tmp_path: Path, hook_repo: Path, home: Path) -> None:
    site = tmp_path / "blog"
    post = blog(site, "As shown by [@shanon1948], entropy.\n")
    git("add", "-A", cwd=site)
    run = try_repo(site, hook_repo, home)
    assert run.returncode == 1, run.stdout + run.stderr
    assert ("content/posts/post.md:6: error: unknown citation key 'shanon1948'; did you mean "
            "'shannon1948'?") in run.stdout
    assert "Traceback" not in run.stdout + run.stderr

    post.write_text(post.read_text().replace("shanon1948", "shannon1948"))
    git("add", "-A", cwd=site)
    run = try_repo(site, hook_repo, home)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "mdpaper check" in run.stdout and "Passed" in run.stdout


def test_the_hook_leaves_unstaged_and_non_post_files_alone(
        tmp_path: Path, hook_repo: Path, home: Path) -> None:
    site = tmp_path / "blog"
    blog(site, "Fine [@shannon1948].\n")
    broken = "---\ntitle: X\nbibFile: data/bib.json\n---\n[@nobody]\n"  # an error in a post
    (site / "README.md").write_text(broken)
    (site / "content" / "_index.md").write_text(broken)
    git("add", "-A", cwd=site)
    (site / "content" / "posts" / "draft.md").write_text(broken)
    run = try_repo(site, hook_repo, home)  # draft.md is not staged
    assert run.returncode == 0, run.stdout + run.stderr
