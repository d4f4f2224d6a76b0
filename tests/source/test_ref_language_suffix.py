"""A ``ref`` to ``/post/a.zh.md`` on a site whose languages have their own content folders:
Hugo reads ``.zh`` as the page's language and ``/`` as that language's folder, and links
the page; mdpaper refused the post ("no such page")."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdpaper.build.post import BuildOptions, build_post
from mdpaper.errors import MdpaperError
from mdpaper.source.hugo import load_hugo_config
from mdpaper.source.permalinks import site_permalinks

from conftest import requires_hugo, run_hugo

CONFIG = """baseURL: https://example.org/
defaultContentLanguage: zh
defaultContentLanguageInSubdir: true
languages:
  en: {contentDir: content/en, weight: 2}
  zh: {contentDir: content/zh, weight: 1}
"""


def _site(root: Path) -> Path:
    (root / "content" / "zh" / "post").mkdir(parents=True)
    (root / "layouts" / "_default").mkdir(parents=True)
    (root / "layouts" / "_default" / "single.html").write_text("{{ .Content }}")
    (root / "layouts" / "_default" / "list.html").write_text("")
    (root / "hugo.yaml").write_text(CONFIG)
    (root / "content" / "zh" / "post" / "a.md").write_text("---\ntitle: A\n---\nA page.\n")
    post = root / "content" / "zh" / "post" / "b.md"
    post.write_text('---\ntitle: B\n---\nSee [the other]({{< ref "/post/a.zh.md" >}}).\n')
    return post


def test_a_language_code_before_the_extension_names_the_page(tmp_path: Path) -> None:
    post = _site(tmp_path / "site")
    tex = build_post(post, BuildOptions(tex_only=True)).tex.read_text(encoding="utf-8")
    assert "\\href{https://example.org/zh/post/a/}{the other}" in tex


def test_a_code_that_is_no_language_of_the_site_is_part_of_the_name(tmp_path: Path) -> None:
    post = _site(tmp_path / "site")
    links = site_permalinks(tmp_path / "site", load_hugo_config(tmp_path / "site"))
    with pytest.raises(MdpaperError, match="no such page"):
        links.find("/post/a.fr.md", post, 4)


@requires_hugo
def test_hugo_links_the_same_page(tmp_path: Path) -> None:
    _site(tmp_path / "site")
    run = run_hugo(tmp_path / "site", "build", "--quiet", "--destination", "out")
    assert run.returncode == 0, run.stderr
    page = (tmp_path / "site" / "out" / "zh" / "post" / "b" / "index.html").read_text()
    assert 'href="https://example.org/zh/post/a/"' in page
