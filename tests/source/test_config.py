"""Site config (mdpaper.toml / [tool.mdpaper]), front matter and command line, in that
order of precedence; Hugo's own config (math delimiters, heading ids, title, author)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdpaper.build.convert import convert
from mdpaper.errors import MdpaperError
from mdpaper.source.config import resolve_settings
from mdpaper.source.site import find_site_root, load_post

from conftest import Site, run_cli


def settings_of(path: Path, **cli: str | None):  # type: ignore[no-untyped-def]
    return resolve_settings(load_post(path), **cli)  # type: ignore[arg-type]


def body_of(path: Path, **cli: str | None) -> str:
    return convert(load_post(path), "p", **cli).tex  # type: ignore[arg-type]


def test_defaults_without_any_config(site: Site) -> None:
    s = settings_of(site.post("Hi.\n"))
    assert (s.template, s.engine, s.citation_style, s.output) == (
        "article", "auto", "author-year", None)
    assert set(s.origin.values()) == {"default"}


def test_precedence_site_then_front_matter_then_command_line(site: Site) -> None:
    (site.root / "mdpaper.toml").write_text(
        'template = "twocolumn"\nengine = "xelatex"\ncitation-style = "numeric"\n'
        'output = "papers"\n')
    plain = site.post("Hi.\n", name="plain.md")
    s = settings_of(plain)
    assert (s.template, s.engine, s.citation_style) == ("twocolumn", "xelatex", "numeric")
    assert s.output == site.root / "papers"
    assert s.origin["template"].startswith("site config") and "mdpaper.toml" in s.origin["engine"]

    front = ("---\ntitle: T\nbibFile: data/bibliography.json\n"
             "mdpaper:\n  template: arxiv\n  citation-style: author-year\n---\n")
    mine = site.post("Hi.\n", name="mine.md", front=front)
    s = settings_of(mine)
    assert (s.template, s.engine, s.citation_style) == ("arxiv", "xelatex", "author-year")
    assert s.origin["template"] == "front matter" and s.origin["engine"].startswith("site")

    s = settings_of(mine, template="article", engine="pdflatex", citation_style="numeric")
    assert (s.template, s.engine, s.citation_style) == ("article", "pdflatex", "numeric")
    assert {s.origin[k] for k in ("template", "engine", "citation-style")} == {"command line"}


def test_paper_key_and_toml_front_matter(site: Site) -> None:
    front = '+++\ntitle = "T"\n[paper]\ntemplate = "twocolumn"\n+++\n'
    assert settings_of(site.post("Hi.\n", front=front)).template == "twocolumn"


def test_pyproject_tool_section_is_site_config_and_marks_the_root(tmp_path: Path) -> None:
    root = tmp_path / "blog"
    (root / "posts").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[project]\nname="x"\n[tool.mdpaper]\n'
                                         'citation-style = "numeric"\n')
    post = root / "posts" / "p.md"
    post.write_text("---\ntitle: T\n---\nHi.\n")
    assert find_site_root(post) == root.resolve()
    s = settings_of(post)
    assert s.citation_style == "numeric" and "pyproject.toml" in s.origin["citation-style"]


def test_mdpaper_toml_wins_over_pyproject(site: Site) -> None:
    (site.root / "pyproject.toml").write_text('[tool.mdpaper]\ntemplate = "twocolumn"\n')
    (site.root / "mdpaper.toml").write_text('template = "arxiv"\n')
    assert settings_of(site.post("Hi.\n")).template == "arxiv"


@pytest.mark.parametrize("text, message", [
    ('tempalte = "arxiv"\n', "unknown setting 'tempalte'"),
    ('engine = "troff"\n', "engine 'troff' is not one of auto, pdflatex, xelatex, lualatex"),
    ('citation-style = "apa"\n', "citation-style 'apa' is not one of author-year, numeric"),
    ('template = "nope"\n', "unknown template 'nope'"),
])
def test_bad_site_config_is_a_located_error(site: Site, text: str, message: str) -> None:
    (site.root / "mdpaper.toml").write_text("# site defaults\n" + text)
    post = site.post("Hi.\n")
    with pytest.raises(MdpaperError) as err:
        convert(load_post(post), "p")
    assert message in str(err.value)
    if "unknown template" not in message:
        assert str(err.value).startswith(f"{site.root / 'mdpaper.toml'}:2: error:")


def test_bad_front_matter_setting_names_the_post(site: Site) -> None:
    post = site.post("Hi.\n", front="---\ntitle: T\nmdpaper:\n  engine: troff\n---\n")
    proc = run_cli("check", str(post))
    assert proc.returncode == 1
    assert f"{post}:4: error: engine 'troff' is not one of" in proc.stdout


def test_command_line_overrides_site_config(site: Site, tmp_path: Path) -> None:
    (site.root / "mdpaper.toml").write_text('citation-style = "numeric"\noutput = "papers"\n')
    post = site.post("See {{< cite \"shannon1948\" >}}.\n")
    proc = run_cli("build", "--tex-only", str(post))
    assert proc.returncode == 0, proc.stderr
    tex = (site.root / "papers" / "post" / "post.tex").read_text()
    assert "\\usepackage[numbers,sort&compress]{natbib}" in tex
    proc = run_cli("build", "--tex-only", "-v", "--citation-style", "author-year", "-o",
                   str(tmp_path / "o"), str(post))
    assert proc.returncode == 0, proc.stderr
    assert "\\usepackage[round]{natbib}" in (tmp_path / "o" / "post" / "post.tex").read_text()
    assert "citation-style = author-year (command line)" in proc.stdout


def test_user_template_folder_in_site_and_by_path(site: Site, tmp_path: Path) -> None:
    mine = site.root / "templates" / "letter"
    mine.mkdir(parents=True)
    (mine / "template.toml").write_text(
        'documentclass = "article"\npreamble = "% MY-PREAMBLE <<site_title>>"\n'
        'front = "\\\\section*{<<title>>}"\n')
    (site.root / "mdpaper.toml").write_text('template = "letter"\n')
    post = site.post("Hi.\n")
    tex = body_of(post)
    assert "% MY-PREAMBLE Test site" in tex and "\\section*{Test post}" in tex
    assert "\\maketitle" not in tex
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "template.toml").write_text('preamble = "% FROM-PATH"\n')
    assert "% FROM-PATH" in body_of(post, template=str(elsewhere))


def test_template_errors(site: Site, tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "template.toml").write_text('front = "<<titel>>"\n')
    with pytest.raises(MdpaperError, match=r"<<titel>>, which is not a template variable"):
        body_of(site.post("Hi.\n"), template=str(bad))
    (bad / "template.toml").write_text('colour = "red"\n')
    with pytest.raises(MdpaperError, match="unknown template key"):
        body_of(site.post("Hi.\n"), template=str(bad))


def test_front_matter_may_not_pick_a_template_outside_the_site(site: Site, tmp_path: Path
                                                                ) -> None:
    outside = tmp_path / "evil"
    outside.mkdir()
    (outside / "template.toml").write_text('preamble = "% EVIL"\n')
    post = site.post("Hi.\n", front=f"---\ntitle: T\nmdpaper:\n  template: {outside}\n---\n")
    with pytest.raises(MdpaperError, match="outside the site folder"):
        body_of(post)


def test_author_details_from_site_config_and_front_matter(site: Site) -> None:
    (site.root / "mdpaper.toml").write_text(
        '[authors."Ada Lovelace"]\naffiliation = "Analytical Engines Ltd"\n'
        'email = "ada@example.org"\norcid = "https://orcid.org/0000-0002-1825-0097"\n')
    front = ("---\ntitle: T\nauthors:\n  - Ada Lovelace\n  - name: Bob\n"
             "    affiliations: [Uni A, Uni B]\n---\n")
    tex = body_of(site.post("Hi.\n", front=front), template="arxiv")
    assert "\\author[1]{Ada Lovelace\\thanks{\\href{mailto:ada@example.org}" in tex
    assert "\\href{https://orcid.org/0000-0002-1825-0097}{0000-0002-1825-0097}" in tex
    assert "\\author[2,3]{Bob}" in tex
    assert "\\affil[1]{Analytical Engines Ltd}" in tex and "\\affil[3]{Uni B}" in tex


def test_bad_orcid_is_an_error(site: Site) -> None:
    post = site.post("Hi.\n", front="---\ntitle: T\nauthors:\n  - {name: A, orcid: 123}\n---\n")
    with pytest.raises(MdpaperError, match="ORCID '123' of A"):
        load_post(post)


# --- Hugo's config ------------------------------------------------------------------------

def test_site_author_and_title_from_hugo_config(site: Site) -> None:
    (site.root / "hugo.toml").write_text(
        'title = "Bits & Pieces"\n[params]\nauthor = "Site Owner"\n')
    post = site.post("Hi.\n", front="---\ntitle: T\n---\n")
    tex = body_of(post, template="arxiv")
    assert "Site Owner" in tex and "Bits \\& Pieces" in tex


def test_passthrough_delimiters_decide_what_is_math(site: Site) -> None:
    text = "Dollar $a+b$ and paren \\(c+d\\).\n\n$$\ne=f\n$$\n\n\\[\ng=h\n\\]\n"
    post = site.post(text)
    everything = body_of(post)
    assert "\\(a+b\\)" in everything and "\\(c+d\\)" in everything
    (site.root / "hugo.toml").write_text(
        '[markup.goldmark.extensions.passthrough]\nenable = true\n'
        '[markup.goldmark.extensions.passthrough.delimiters]\n'
        'inline = [["\\\\(", "\\\\)"]]\nblock = [["$$", "$$"]]\n')
    limited = body_of(post)
    assert "\\$a+b\\$" in limited and "\\(c+d\\)" in limited
    assert "\\[\ne=f\n\\]" in limited
    assert "[\ng=h\n]" in limited  # \[ is an escaped bracket when it is not math


def test_passthrough_yaml_config(site: Site) -> None:
    (site.root / "hugo.toml").unlink()
    (site.root / "hugo.yaml").write_text(
        "markup:\n  goldmark:\n    extensions:\n      passthrough:\n        enable: true\n"
        "        delimiters:\n          inline: [['$', '$']]\n          block: [['$$', '$$']]\n")
    tex = body_of(site.post("A $x$ and \\(y\\).\n"))
    assert "\\(x\\)" in tex and "(y)" in tex and "\\(y\\)" not in tex


def test_passthrough_inline_double_dollar_is_a_display(site: Site) -> None:
    """A site listing $$ among passthrough's inline pairs only (no block pairs): Goldmark
    keeps the formula in its paragraph, the page's KaTeX displays it; a bare environment
    line inside it is part of it, not a display of its own between two printed $$."""
    (site.root / "hugo.toml").write_text(
        '[markup.goldmark.extensions.passthrough]\nenable = true\n'
        '[markup.goldmark.extensions.passthrough.delimiters]\n'
        'inline = [["$$", "$$"], ["$", "$"]]\n')
    tex = body_of(site.post("So\n$$\n\\begin{aligned}\nu &= v\n\\end{aligned}\n$$\nhence $w$."
                            "\n\n$$\np = q\n$$\n"))
    assert "\\$" not in tex
    assert "So\n\n\\[\n\\begin{aligned}\nu &= v\n\\end{aligned}\n\\]\n\nhence \\(w\\)." in tex
    assert "\\[\np = q\n\\]" in tex


@pytest.mark.parametrize("id_type, ident", [
    ("github", "über-größe--mehr"),
    ("github-ascii", "uber-groe--mehr"),
    ("blackfriday", "über-größe-mehr"),
])
def test_heading_id_type(site: Site, id_type: str, ident: str) -> None:
    (site.root / "hugo.toml").write_text(
        f'[markup.goldmark.parser]\nautoHeadingIDType = "{id_type}"\n')
    post = site.post(f"## Über Größe & mehr\n\nText, see [above](#{ident}).\n")
    diag = convert(load_post(post), "p").result.diagnostics
    assert not [d for d in diag if "no heading has that id" in d.message]
    tex = body_of(post)
    assert "\\hyperref[sec:" in tex


def test_hugo_config_dir_layout(site: Site) -> None:
    (site.root / "hugo.toml").unlink()
    conf = site.root / "config" / "_default"
    conf.mkdir(parents=True)
    (conf / "hugo.toml").write_text('title = "Split config"\n')
    (conf / "markup.toml").write_text('[goldmark.parser]\nautoHeadingIDType = "blackfriday"\n')
    post = site.post("## A & B\n\n[x](#a-b)\n")
    cfg = load_post(post).site.hugo
    assert cfg.title == "Split config" and cfg.heading_ids == "blackfriday"
