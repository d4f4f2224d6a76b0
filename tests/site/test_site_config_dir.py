"""Site config in every place Hugo reads it, compared with Hugo itself: ``hugo config``
prints the merged config (the oracle for the merge), and ``hugo`` publishes the files that
site-absolute and relative image paths point at (the oracle for where a path leads)."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import pytest

from mdpaper.source.config import load_site_config
from mdpaper.source.hugo import load_hugo_config
from mdpaper.source.site import find_site_root, load_post, resolve_site_path

from conftest import Site, pdf_text, requires_hugo, requires_tex, run_cli, run_hugo, squash

FILES = {
    "hugo.toml": 'title = "root file"\ntheme = "deco"\n[params]\na = "root"\nboth = "root"\n'
                 '[markup.goldmark.renderer]\nunsafe = true\n',
    # a second root file: Hugo reads only the first of hugo.*, config.*
    "config.toml": 'title = "never read"\n[params]\nonlyconfig = "yes"\n',
    "config/_default/hugo.toml": 'title = "Split config"\nbaseURL = "https://ex.org/blog/"\n',
    "config/_default/params.toml": 'both = "folder"\nenv = "default"\n[nested]\nk = 1\n',
    "config/_default/markup.yaml": "goldmark:\n  parser:\n    autoHeadingIDType: blackfriday\n",
    "config/_default/languages.toml": '[en]\nweight = 1\n[en.params]\nlang = "en"\n'
                                      '[de]\nweight = 2\n[de.params]\nlang = "de"\n',
    "config/_default/params.en.toml": 'fromfile = "en"\n',
    "config/_default/menus.en.toml": '[[main]]\nname = "Home"\nurl = "/"\n',
    "config/production/params.toml": 'env = "production"\n',
    "config/development/params.toml": 'env = "development"\n',
    "themes/deco/hugo.toml": 'title = "theme"\n[params]\na = "theme"\nthemeonly = "t"\n'
                             '[params.nested]\nfromtheme = 2\n'
                             '[markup.goldmark.extensions.passthrough]\nenable = true\n',
    "themes/deco/config/_default/params.toml": 'themefolder = "yes"\n',
}


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def hugo_config(root: Path, *args: str) -> dict:
    proc = run_hugo(root, "config", "--format", "json", *args)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout[proc.stdout.index("{"):])  # after the wrapper's banner


@requires_hugo
def test_the_merged_config_is_the_one_hugo_prints(site: Site) -> None:
    write(site.root, FILES)
    (site.root / "hugo.toml").write_text(FILES["hugo.toml"])
    config = load_site_config(site.root).hugo
    for language in ("en", "de"):
        assert config.params_for(language) == hugo_config(site.root, "--lang", language)[
            "params"], language
    oracle = hugo_config(site.root)
    assert config.title == oracle["title"] == "Split config"
    assert config.base_url == oracle["baseurl"]
    assert config.raw_html is oracle["markup"]["goldmark"]["renderer"]["unsafe"] is True
    assert config.heading_ids == oracle["markup"]["goldmark"]["parser"]["autoidtype"]
    # a theme configures its params, not the site's markup: no passthrough, so math is
    # Markdown to Goldmark first (markdown.goldmark_escape), \\( … \\) on the page
    assert "passthrough" not in oracle["markup"]["goldmark"]["extensions"]
    assert config.math.escaped and config.math.inline == (("$", "$"), ("\\\\(", "\\\\)"))


@requires_hugo
def test_hugo_environment_picks_the_folder(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    write(site.root, FILES)
    monkeypatch.setenv("HUGO_ENVIRONMENT", "development")
    params = load_hugo_config(site.root).params_for("en")
    assert params["env"] == hugo_config(site.root)["params"]["env"] == "development"


def test_a_site_whose_config_is_only_a_folder(site: Site) -> None:
    (site.root / "hugo.toml").unlink()
    write(site.root, {"config/_default/params.toml": 'greeting = "from the folder"\n'})
    post = site.post("{{< param greeting >}}.\n", "p.md", "---\ntitle: T\n---\n")
    assert find_site_root(post) == site.root
    assert load_post(post).site.hugo.params == {"greeting": "from the folder"}


def png(colour: int) -> bytes:
    """A 2x2 PNG of one grey (distinct bytes per file, so the oracle can tell them apart)."""
    raw = b"".join(b"\x00" + bytes([colour]) * 2 for _ in range(2))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (len(data).to_bytes(4, "big") + kind + data
                + zlib.crc32(kind + data).to_bytes(4, "big"))
    header = (2).to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))


STATIC_CONFIG = """\
baseURL = "https://ex.org/"
theme = "deco"
[[module.mounts]]
source = "static"
target = "static"
[[module.mounts]]
source = "static2"
target = "static"
[[module.mounts]]
source = "art/pics"
target = "static/pics"
"""
IMAGES = {  # file -> its grey
    "static/img/a.png": 10, "static2/img/a.png": 20, "static2/img/b.png": 30,
    "themes/deco/static/img/a.png": 40, "themes/deco/static/img/t.png": 50,
    "art/pics/p.png": 60, "content/posts/loose.png": 70, "content/posts/b/x.png": 80,
    # beside plain.md, but served at /posts/x.png: its x.png is the one under its URL
    "content/posts/x.png": 90, "static/posts/plain/x.png": 100,
}
#: (page, path as written) -> where Hugo serves it (checked in its public/ folder)
LINKS = [
    ("plain.md", "/img/a.png", "img/a.png"),
    ("plain.md", "/img/b.png", "img/b.png"),
    ("plain.md", "/img/t.png", "img/t.png"),
    ("plain.md", "/pics/p.png", "pics/p.png"),
    ("plain.md", "/posts/loose.png", "posts/loose.png"),
    ("plain.md", "../loose.png", "posts/loose.png"),
    ("plain.md", "x.png", "posts/plain/x.png"),
    ("plain.md", "./../x.png", "posts/x.png"),
    ("b/index.md", "x.png", "posts/slugged/x.png"),
    ("b/index.md", "../loose.png", "posts/loose.png"),
    ("b/index.md", "../../img/t.png", "img/t.png"),
]


def static_site(site: Site) -> None:
    (site.root / "hugo.toml").write_text(STATIC_CONFIG)
    for name, grey in IMAGES.items():
        (site.root / name).parent.mkdir(parents=True, exist_ok=True)
        (site.root / name).write_bytes(png(grey))
    write(site.root, {"layouts/_default/single.html": "{{ .Content }}",
                      "layouts/_default/list.html": "{{ .Content }}"})
    site.post("Plain.\n", "plain.md", "---\ntitle: Plain\n---\n")
    site.post("Bundle.\n", "b/index.md", "---\ntitle: Bundle\nslug: slugged\n---\n")


@requires_hugo
@pytest.mark.parametrize(("page", "written", "served"), LINKS)
def test_image_paths_lead_where_hugo_serves_them(site: Site, page: str, written: str,
                                                 served: str) -> None:
    static_site(site)
    assert run_hugo(site.root, "--quiet").returncode == 0
    post = site.root / "content" / "posts" / page
    found = resolve_site_path(site.root, written, base=post.parent, post=post, line=1,
                              what="image", served=True)
    assert found.read_bytes() == (site.root / "public" / served).read_bytes()


def test_a_served_path_stays_in_the_site(site: Site) -> None:
    static_site(site)
    post = site.root / "content" / "posts" / "plain.md"
    with pytest.raises(Exception, match="outside the site folder"):
        resolve_site_path(site.root, "../../../../secret.png", base=post.parent, post=post,
                          line=3, what="image", served=True)


@requires_tex
def test_a_build_shows_images_from_the_theme_and_a_mount(site: Site) -> None:
    static_site(site)
    post = site.post("![From the theme](/img/t.png)\n\n![From a mount](../../pics/p.png)\n",
                     "c/index.md", "---\ntitle: Images\n---\n")
    proc = run_cli("build", str(post))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    text = squash(pdf_text(site.root / "output" / "c" / "c.pdf"))
    assert "Figure 1: From the theme" in text and "Figure 2: From a mount" in text
