"""Site root discovery, output names and path confinement."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mdpaper.errors import MdpaperError
from mdpaper.source.site import find_site_root, load_post, output_name, resolve_site_path


def test_site_root_is_nearest_config_folder(tmp_path: Path) -> None:
    (tmp_path / "hugo.yaml").write_text("title: x\n")
    post = tmp_path / "content" / "posts" / "a" / "index.md"
    post.parent.mkdir(parents=True)
    post.write_text("x")
    assert find_site_root(post) == tmp_path.resolve()


def test_site_root_falls_back_to_folder_holding_bibfile(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "bib.json").write_text("[]")
    post = tmp_path / "content" / "p.md"
    post.parent.mkdir()
    post.write_text("x")
    assert find_site_root(post, "data/bib.json") == tmp_path.resolve()


@pytest.mark.parametrize(("rel", "front", "name"), [
    ("content/posts/my-post/index.md", "", "my-post"),
    ("content/posts/plain.md", "", "plain"),
    ("content/posts/x.md", "---\nslug: Über Slug!\n---\n", "Uber-Slug"),
])
def test_output_name(tmp_path: Path, rel: str, front: str, name: str) -> None:
    (tmp_path / "hugo.toml").write_text("")
    post = tmp_path / rel
    post.parent.mkdir(parents=True)
    post.write_text(front + "text\n")
    assert output_name(load_post(post)) == name


def test_paths_outside_the_site_are_refused(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (tmp_path / "secret.png").write_text("x")
    post = site / "content" / "p.md"
    for name in ("../../secret.png", "/../../secret.png"):
        with pytest.raises(MdpaperError, match="outside the site"):
            resolve_site_path(site, name, base=post.parent, post=post, line=3, what="image")
    os.symlink(tmp_path / "secret.png", site / "content" / "link.png")
    with pytest.raises(MdpaperError, match="outside the site"):
        resolve_site_path(site, "link.png", base=post.parent, post=post, line=3, what="image")


def test_site_absolute_image_resolves_in_static(tmp_path: Path) -> None:
    (tmp_path / "static" / "figures").mkdir(parents=True)
    (tmp_path / "static" / "figures" / "a.png").write_text("x")
    post = tmp_path / "content" / "p.md"
    found = resolve_site_path(tmp_path, "/figures/a.png", base=post.parent, post=post,
                              line=1, what="image")
    assert found == (tmp_path / "static" / "figures" / "a.png").resolve()
    with pytest.raises(MdpaperError, match="not found") as info:
        resolve_site_path(tmp_path, "missing.png", base=post.parent, post=post, line=7,
                          what="image")
    assert info.value.line == 7
