"""Which posts of a site get a paper and where it goes (no TeX): ``paper:`` in the front
matter, ``[papers]`` in the site config, the refusals; and ``mdpaper hugo install``."""

from __future__ import annotations

from pathlib import Path

from mdpaper.build.site import plan_site, update_manifest
from mdpaper.hugo.install import shipped_layouts

from conftest import Site, run_cli


def posts(root: Path, **texts: str) -> None:
    for name, front in texts.items():
        path = root / "content" / (name.removesuffix("_md").replace("__", "/") + ".md")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\ntitle: {name}\n{front}---\n\nText.\n")


def test_opting_in_by_front_matter_section_and_mapping(tmp_path: Path) -> None:
    site = Site(tmp_path / "site")
    (site.root / "mdpaper.toml").write_text('[papers]\nsections = ["notes"]\n')
    posts(site.root, posts__yes_md="paper: true\n", posts__no_md="",
          posts__mapping_md="paper:\n  template: arxiv\n", notes__n_md="",
          notes__off_md="paper: false\n", posts__draft_md="paper: true\ndraft: true\n",
          notes__deeper__d_md="")
    plan = plan_site([site.root / "content"], tmp_path / "out")
    assert not plan.errors
    assert sorted(p.key for p in plan.papers) == [
        "notes/deeper/d.md", "notes/n.md", "posts/mapping.md", "posts/yes.md"]
    assert {post.name: why.split(" ")[0] for post, why in plan.skipped} == {
        "no.md": "not", "off.md": "not", "draft.md": "a"}
    # named on the command line: built whatever it says
    named = plan_site([site.root / "content" / "posts" / "no.md"], tmp_path / "out")
    assert [p.name for p in named.papers] == ["no"]


def test_the_front_matter_paper_key_must_be_true_false_or_settings(tmp_path: Path) -> None:
    site = Site(tmp_path / "site")
    posts(site.root, posts__bad_md="paper: yes please\n")
    proc = run_cli("build", str(site.root / "content"), "--into", str(tmp_path / "out"))
    assert proc.returncode == 1
    assert proc.stderr.strip() == (f"{site.root / 'content/posts/bad.md'}:3: error: front "
                                   "matter key 'paper' must be a mapping (e.g. template: "
                                   "arxiv) or true/false")
    assert "Traceback" not in proc.stderr


def test_site_config_may_not_send_papers_outside_the_site(tmp_path: Path) -> None:
    site = Site(tmp_path / "site")
    (site.root / "mdpaper.toml").write_text('engine = "pdflatex"\n\n[papers]\n'
                                            'into = "../elsewhere"\n')
    posts(site.root, posts__a_md="paper: true\n")
    proc = run_cli("build", "content", cwd=site.root)
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"{site.root / 'mdpaper.toml'}:3: error: 'papers.into' "
                                  "folder '../elsewhere' is outside the site")
    assert not (tmp_path / "elsewhere").exists()
    (site.root / "mdpaper.toml").write_text('[papers]\ninto = "static/papers"\nbogus = 1\n')
    proc = run_cli("build", "content", cwd=site.root)
    assert proc.returncode == 1 and "mdpaper.toml:1: error: unknown key 'papers.bogus'" in (
        proc.stderr)


def test_usage_errors_of_the_site_build(tmp_path: Path) -> None:
    site = Site(tmp_path / "site")
    posts(site.root, posts__a_md="paper: true\n", posts__b_md="")
    proc = run_cli("build", "content", "--arxiv", cwd=site.root)
    assert proc.returncode == 2 and "--arxiv" in proc.stderr
    proc = run_cli("build", "content", "--into", "static/papers", "--tex-only", cwd=site.root)
    assert proc.returncode == 2 and "--tex-only" in proc.stderr
    (site.root / "content" / "posts" / "a.md").write_text("---\ntitle: a\n---\nx\n")
    proc = run_cli("build", "content", "--into", "static/papers", cwd=site.root)
    assert proc.returncode == 1 and "no post opts in" in proc.stderr
    assert not (site.root / "static").exists()


def test_two_posts_with_one_name_are_refused(tmp_path: Path) -> None:
    site = Site(tmp_path / "site")
    posts(site.root, posts__a_md="paper: true\nslug: same\n",
          posts__b_md="paper: true\nslug: same\n")
    plan = plan_site([site.root / "content"], tmp_path / "out")
    assert [p.post.name for p in plan.papers] == ["a.md"]
    assert len(plan.errors) == 1 and "b.md: error: its paper would be" in str(plan.errors[0])


def test_manifest_keeps_other_sites_entries_and_drops_missing_pdfs(tmp_path: Path) -> None:
    root = tmp_path / "site"
    (root / "static" / "papers").mkdir(parents=True)
    for name in ("a", "b"):
        (root / "static" / "papers" / f"{name}.pdf").write_bytes(b"%PDF")
    update_manifest(root, {"posts/a.md": [root / "static/papers/a.pdf"],
                           "other/b.md": [root / "static/papers/b.pdf"]}, [], set())
    (root / "static" / "papers" / "b.pdf").unlink()
    (root / "static" / "papers" / "c.pdf").write_bytes(b"%PDF")
    path = update_manifest(root, {"posts/c.md": [root / "static/papers/c.pdf",
                                                 root / "static/papers/c-arxiv.tar.gz"]},
                           ["posts/"], {"posts/c.md"})
    assert path is not None
    assert path.read_text() == ('{\n  "posts/c.md": {\n    "arxiv": "papers/c-arxiv.tar.gz",'
                                '\n    "pdf": "papers/c.pdf"\n  }\n}\n')
    # a PDF outside static/ is not served by Hugo: nothing to link, nothing recorded
    assert update_manifest(root, {"posts/d.md": [tmp_path / "d.pdf"]}, [], set()) is None


def test_hugo_install_writes_keeps_and_forces(tmp_path: Path) -> None:
    site = Site(tmp_path / "site")
    proc = run_cli("hugo", "install", str(site.root))
    assert proc.returncode == 0, proc.stderr
    shipped = shipped_layouts()
    assert set(shipped) == {"partials/mdpaper/paper-pdf.html", "shortcodes/paper-pdf.html"}
    for name, data in shipped.items():
        assert (site.root / "layouts" / name).read_bytes() == data
    assert run_cli("hugo", "install", "-q", str(site.root)).stdout == ""
    partial = site.root / "layouts" / "partials" / "mdpaper" / "paper-pdf.html"
    partial.write_text("my own\n")
    proc = run_cli("hugo", "install", str(site.root))
    assert proc.returncode == 0 and "paper-pdf.html: kept (differs" in proc.stdout
    assert partial.read_text() == "my own\n"
    assert run_cli("hugo", "install", "--force", str(site.root)).returncode == 0
    assert partial.read_bytes() == shipped["partials/mdpaper/paper-pdf.html"]
    not_a_site = tmp_path / "plain"
    not_a_site.mkdir()
    proc = run_cli("hugo", "install", str(not_a_site))
    assert proc.returncode == 2 and "is not a Hugo site" in proc.stderr
    assert not (not_a_site / "layouts").exists()
