"""The container recipe (``Dockerfile``) and the CI example (``examples/github-actions.yml``):
both install the TeX packages mdpaper needs, and the recipe builds a site's papers when run.
The build needs a container engine: skipped where none answers (``docker info`` fails)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from mdpaper.tex.engines import BASE_PACKAGES

from conftest import REPO, Site, checkout_copy, pdf_text

DOCKERFILE = REPO / "Dockerfile"
WORKFLOW = REPO / "examples" / "github-actions.yml"


def engine_answers() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def test_recipe_and_workflow_install_what_mdpaper_needs() -> None:
    recipe = DOCKERFILE.read_text()
    steps = yaml.safe_load(WORKFLOW.read_text())["jobs"]["papers"]["steps"]
    workflow = " ".join(str(step.get("run", "")) for step in steps)
    for package in (*BASE_PACKAGES, "lmodern", "poppler-utils", "librsvg2-bin"):
        assert package in recipe.split(), package
        assert package in workflow.split(), package
    assert [line.split()[1].split(":")[0] for line in recipe.splitlines()
            if line.startswith("FROM")] == ["debian"]
    assert "mdpaper build content/ --into static/papers" in workflow
    assert any(step.get("uses", "").startswith("actions/upload-artifact") for step in steps)


@pytest.mark.skipif(not engine_answers(), reason="no container engine answers (docker info)")
def test_the_recipe_builds_the_papers_of_a_site(tmp_path: Path) -> None:
    context = tmp_path / "context"
    checkout_copy(context)
    tag = f"mdpaper-test:{os.getpid()}"
    built = subprocess.run(["docker", "build", "-t", tag, str(context)], capture_output=True,
                           text=True, timeout=3600)
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    try:
        site = Site(tmp_path / "site")
        site.post("Entropy [@shannon1948].\n\n{{< bibliography cited >}}\n", "p.md",
                  "---\ntitle: In a box\nbibFile: data/bibliography.json\npaper: true\n---\n")
        run = subprocess.run(["docker", "run", "--rm", "-v", f"{site.root}:/site",
                              "-u", f"{os.getuid()}:{os.getgid()}", tag,
                              "build", "content/", "--into", "static/papers"],
                             capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, run.stdout + run.stderr
        assert "Entropy (Shannon, 1948)." in pdf_text(site.root / "static/papers/p.pdf")
    finally:
        subprocess.run(["docker", "rmi", "-f", tag], capture_output=True)
