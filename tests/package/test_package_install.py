"""Packaging: the wheel (built through the sdist, as pip and pipx users get it) carries
everything a build reads at run time. It is installed into a fresh virtualenv and builds a
post with every built-in template from a folder outside the checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from mdpaper.document.templates import builtin_names

from conftest import REPO, Site, pdf_text, requires_tex

pytestmark = [pytest.mark.tex, requires_tex]


def _tracked_tree(dest: Path) -> Path:
    """The files a clean clone has (git's list), so nothing untracked can make it pass."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True,
                            check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = REPO / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    return dest


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with mdpaper installed from a wheel built from the sdist."""
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("needs a git checkout to know its tracked files")
    work = tmp_path_factory.mktemp("wheel")
    source = _tracked_tree(work / "src")
    dist = work / "dist"
    subprocess.run([sys.executable, "-m", "build", "--outdir", str(dist), str(source)],
                   check=True, capture_output=True, env=_clean_env())
    wheels = list(dist.glob("mdpaper-*.whl"))
    assert len(wheels) == 1, sorted(p.name for p in dist.iterdir())
    with zipfile.ZipFile(wheels[0]) as wheel:
        names = set(wheel.namelist())
    for template in builtin_names():
        assert f"mdpaper/templates/{template}/template.toml" in names
    assert "mdpaper/py.typed" in names
    env_dir = work / "venv"
    venv.create(env_dir, with_pip=True)
    subprocess.run([str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q",
                    str(wheels[0])], check=True, capture_output=True, env=_clean_env())
    return env_dir


def test_sdist_carries_the_templates(installed: Path, tmp_path: Path) -> None:
    sdists = list((installed.parent / "dist").glob("mdpaper-*.tar.gz"))
    assert len(sdists) == 1
    import tarfile

    with tarfile.open(sdists[0]) as sdist:
        names = {n.split("/", 1)[1] for n in sdist.getnames() if "/" in n}
    for template in builtin_names():
        assert f"templates/{template}/template.toml" in names


def test_installed_mdpaper_is_the_wheel_not_the_checkout(installed: Path,
                                                          tmp_path: Path) -> None:
    out = subprocess.run([str(installed / "bin" / "python"), "-c",
                          "import mdpaper, mdpaper.document.templates as t;"
                          "print(mdpaper.__file__); print(t.builtin_dir())"],
                         cwd=tmp_path, capture_output=True, text=True, check=True,
                         env=_clean_env()).stdout.splitlines()
    assert all(str(installed) in line for line in out), out
    assert not any(str(REPO) in line for line in out), out
    helped = subprocess.run([str(installed / "bin" / "mdpaper"), "--help"], cwd=tmp_path,
                            capture_output=True, text=True, check=True, env=_clean_env())
    assert helped.stdout.startswith("usage: mdpaper")  # its stored text ships in the wheel


@pytest.mark.parametrize("template", builtin_names())
def test_wheel_builds_a_post_with_each_builtin_template(installed: Path, tmp_path: Path,
                                                        template: str) -> None:
    site = Site(tmp_path / "site")
    post = site.post("## Intro\n\nEntropy {{< cite \"shannon1948\" >}} is $H(X)$.\n\n"
                     "## References\n\n{{< bibliography cited >}}\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run = subprocess.run([str(installed / "bin" / "mdpaper"), "build", str(post), "--template",
                          template, "-o", str(tmp_path / "out")],
                         cwd=elsewhere, capture_output=True, text=True, env=_clean_env())
    assert run.returncode == 0, run.stdout + run.stderr
    assert "internal error" not in run.stdout + run.stderr
    text = pdf_text(tmp_path / "out" / "post" / "post.pdf")
    assert "Test post" in text
    assert "Entropy (Shannon, 1948) is H(X)." in text
    assert "a mathematical theory of communication" in text.lower()  # the .bbl was used


def test_broken_template_folder_is_a_located_error(installed: Path, tmp_path: Path) -> None:
    """A built-in template whose template.toml is gone (a broken install) names the template;
    no internal error, no traceback. (The file is put back afterwards.)"""
    where = subprocess.run([str(installed / "bin" / "python"), "-c",
                            "import mdpaper.document.templates as t; print(t.builtin_dir())"],
                           capture_output=True, text=True, check=True, env=_clean_env())
    spec = Path(where.stdout.strip()) / "twocolumn" / "template.toml"
    saved = spec.read_bytes()
    spec.unlink()
    try:
        site = Site(tmp_path / "site")
        post = site.post("Text.\n")
        run = subprocess.run([str(installed / "bin" / "mdpaper"), "build", str(post),
                              "--template", "twocolumn", "--tex-only", "-o",
                              str(tmp_path / "out")],
                             cwd=tmp_path, capture_output=True, text=True, env=_clean_env())
    finally:
        spec.write_bytes(saved)
    assert run.returncode != 0, run.stdout + run.stderr
    assert "internal error" not in run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    assert "twocolumn" in run.stderr and "error:" in run.stderr


def test_wheel_ships_the_hugo_layouts_and_installs_them(installed: Path, tmp_path: Path) -> None:
    """`mdpaper hugo install` from the installed wheel writes the partial and the shortcode
    (package data, like the templates)."""
    wheels = list((installed.parent / "dist").glob("mdpaper-*.whl"))
    with zipfile.ZipFile(wheels[0]) as wheel:
        names = set(wheel.namelist())
    assert "mdpaper/hugo/layouts/partials/mdpaper/paper-pdf.html" in names
    assert "mdpaper/hugo/layouts/shortcodes/paper-pdf.html" in names
    site = Site(tmp_path / "site")
    run = subprocess.run([str(installed / "bin" / "mdpaper"), "hugo", "install", str(site.root)],
                         capture_output=True, text=True, env=_clean_env())
    assert run.returncode == 0, run.stdout + run.stderr
    assert (site.root / "layouts" / "shortcodes" / "paper-pdf.html").is_file()
    assert (site.root / "layouts" / "partials" / "mdpaper" / "paper-pdf.html").is_file()
