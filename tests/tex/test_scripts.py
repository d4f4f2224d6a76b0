"""Every script the blog shows, the PDF shows: the engine chosen from the characters, the
fonts that cover them, emoji, languages' fixed words, and a located warning for a
character no font has. Real builds, checked with pdftotext."""

from __future__ import annotations

import json
import subprocess
import tarfile
import unicodedata
from pathlib import Path

import pytest

from mdpaper.build.options import BuildOptions
from mdpaper.build.post import build_post
from mdpaper.document.language import babel_options
from mdpaper.latex.scripts import pdflatex_support
from mdpaper.tex.fonts import coverage

from conftest import Site, pdf_text, requires_tex, run_cli, squash

REFERENCES = [{"id": "shannon1948", "type": "article-journal", "title": "通信的数学理论",
               "author": [{"family": "香农", "given": "克劳德"}],
               "container-title": "贝尔系统技术期刊",
               "issued": {"date-parts": [[1948]]}}]

#: name -> (text of the post, the engine the default choice must make)
POSTS = {
    "chinese": ("香农在一九四八年提出了信息论。信息的度量是熵，单位是比特，"
                "这一段文字很长而且没有任何空格用来检查换行\n是否正常工作"
                "不会超出页面右边界每个字都应该在里面。", "xelatex"),
    "japanese": ("情報理論はシャノンによって始められました。ひらがなとカタカナ。", "xelatex"),
    "korean": ("정보 이론은 섀넌이 시작했습니다. 한글 문장입니다.", "xelatex"),
    "russian": ("Теория информации изучает количество информации. Ёлка и щука.", "pdflatex"),
    "vietnamese": ("Lý thuyết thông tin nghiên cứu về việc định lượng thông tin.", "pdflatex"),
    "greek": ("Η θεωρία πληροφορίας μελετά την εντροπία.", "pdflatex"),
    "symbols": ("Für x ≤ y gilt α → β, café, naïve, 5 € and ½ cup.", "pdflatex"),
    "emoji": ("Careful ⚠️ and happy 😀 and a heart ❤️ here.", "pdflatex"),
}


#: scripts/setup installs them: cm-super (T2A), vntex (T5), CJKutf8 and its three fonts
requires_pdflatex_scripts = pytest.mark.skipif(
    not (pdflatex_support().t2a and pdflatex_support().t5
         and len(pdflatex_support().cjk_rows) == 3),
    reason="cm-super, vntex or latex-cjk-* missing (scripts/setup installs them)")
MIXED = " ".join(POSTS[n][0] for n in ("chinese", "japanese", "korean", "russian", "greek",
                                       "vietnamese", "symbols", "emoji"))
#: what pdflatex loads for each script (and a Latin post must not)
PDFLATEX_MARKUP = {"chinese": "CJKutf8", "japanese": "CJKutf8", "korean": "CJKutf8",
                   "russian": "[T2A,T1]{fontenc}", "vietnamese": "[T5,T1]{fontenc}"}


def build(site: Site, name: str, text: str, engine: str | None = None,
          front: str | None = None) -> tuple[Path, str, list[str]]:
    post = site.post(text + "\n", f"{name}.md", front or f"---\ntitle: {name}\n---\n\n")
    result = build_post(post, BuildOptions(engine=engine, outdir=site.root / "out"))
    assert result.pdf is not None
    tex = result.tex.read_text(encoding="utf-8")
    return result.pdf, tex, [str(d) for d in result.diagnostics]


def visible(text: str) -> str:
    """As pdftotext gives the text: compatibility forms folded (NFKC), lines joined."""
    return squash(unicodedata.normalize("NFKC", text))


def no_space(text: str) -> str:
    return "".join(text.split())


@requires_tex
@pytest.mark.parametrize("name", list(POSTS))
def test_default_choice_shows_every_character(site: Site, name: str) -> None:
    text, engine = POSTS[name]
    pdf, tex, warnings = build(site, name, text)
    assert ("% !TEX program = " + engine in tex) == (engine != "pdflatex")
    # NFKC: the Greek fonts of pdflatex name their mu "mu", which PDF readers take for the
    # micro sign U+00B5 (the same letter to a reader)
    shown = unicodedata.normalize("NFKC", pdf_text(pdf))
    assert no_space(visible(text)) in no_space(visible(shown))
    assert "[U+" not in shown and warnings == []
    if name == "chinese":  # no space between ideographs (not even at a line end), no overfull
        assert "信息论。信息的度量" in shown and "换行 是" not in shown
    region = {"chinese": "SC", "japanese": "JP", "korean": "KR"}.get(name)
    if region:  # the glyph forms of the post's language (Kana: Japanese, Hangul: Korean)
        assert f"\\setCJKmainfont{{Noto Serif CJK {region}}}" in tex


@requires_tex
@pytest.mark.parametrize("engine", ["xelatex", pytest.param("lualatex", marks=pytest.mark.heavy)])
def test_forced_engine_mixed_scripts(site: Site, engine: str) -> None:
    text = MIXED
    pdf, tex, warnings = build(site, "mixed", text, engine=engine)
    assert f"% !TEX program = {engine}" in tex
    shown = pdf_text(pdf)
    assert no_space(visible(text)) in no_space(visible(shown))
    assert "[U+" not in shown and warnings == [] and "换行 是" not in shown


@requires_tex
@requires_pdflatex_scripts
@pytest.mark.parametrize("name", [*PDFLATEX_MARKUP, "mixed"])
def test_forced_pdflatex_shows_every_script(site: Site, name: str) -> None:
    text = MIXED if name == "mixed" else POSTS[name][0]
    pdf, tex, warnings = build(site, name, text, engine="pdflatex")
    assert "% !TEX program" not in tex and "fontspec" not in tex
    markup = set(PDFLATEX_MARKUP.values()) if name == "mixed" else {PDFLATEX_MARKUP[name]}
    assert all(m in tex for m in markup)
    # the PDF's text is the post's (CJK subfonts and cm-super carry Unicode names; cmap)
    shown = unicodedata.normalize("NFKC", pdf_text(pdf))
    assert no_space(visible(text)) in no_space(visible(shown))
    assert "[U+" not in shown and warnings == []
    if name in ("chinese", "mixed"):  # a soft line break between ideographs is no space
        assert "换行 是" not in shown and "信息论。信息的度量" in shown


@requires_tex
def test_forced_pdflatex_says_what_it_cannot_set(site: Site) -> None:
    pdf, tex, warnings = build(site, "forced", "Greek α and Devanagari क here.",
                               engine="pdflatex")
    assert "fontspec" not in tex and "\\usepackage{textalpha}" in tex
    assert "Greek α and Devanagari [U+0915] here." in squash(pdf_text(pdf))
    assert len(warnings) == 1 and "'क'" in warnings[0] and "--engine auto" in warnings[0]


@requires_tex
@requires_pdflatex_scripts
def test_pdflatex_russian_words_and_bibliographies_in_other_scripts(tmp_path: Path) -> None:
    references = [*REFERENCES, {
        "id": "kolmogorov1965", "type": "article-journal",
        "title": "Три подхода к определению понятия «количество информации»",
        "author": [{"family": "Колмогоров", "given": "Андрей"}],
        "container-title": "Проблемы передачи информации", "issued": {"date-parts": [[1965]]}}]
    site = Site(tmp_path / "site", references)
    front = ("---\ntitle: Энтропия\nlang: ru\nsummary: Краткое содержание.\n"
             "keywords: [энтропия]\nbibFile: data/bibliography.json\ndate: 2024-03-04\n---\n\n")
    # (pdflatex asked for: the Han characters of the bibliography would choose xelatex)
    pdf, tex, warnings = build(site, "ru", 'Теория {{< cite "kolmogorov1965" >}}, '
                               '{{< cite "shannon1948" >}} и Việt.\n', "pdflatex", front)
    assert "% !TEX program" not in tex
    shown = squash(pdf_text(pdf))
    for words in ("Энтропия", "Аннотация", "Ключевые слова: энтропия", "4 марта 2024 г.",
                  "Список литературы", "Теория (Колмогоров, 1965), (香农, 1948) и Việt.",
                  "Три подхода к определению понятия «количество информации»",
                  "通信的数学理论"):
        assert words in shown, words
    assert warnings == []


@requires_tex
def test_latin_post_keeps_the_lean_pdflatex_preamble(site: Site) -> None:
    post = site.post("Plain English text, naïve café.\n", "latin.md",
                     "---\ntitle: Latin\n---\n\n")
    out = run_cli("build", "--tex-only", str(post), "-o", str(site.root / "out"))
    assert out.returncode == 0, out.stderr
    assert "engine: pdflatex" in out.stdout
    tex = (site.root / "out" / "latin" / "latin.tex").read_text(encoding="utf-8")
    assert "fontspec" not in tex and "xeCJK" not in tex and "twemojis" not in tex
    assert "\\usepackage[T1]{fontenc}" in tex
    assert not any(m in tex for m in (*PDFLATEX_MARKUP.values(), "cmap", "mdpaperenc"))


@requires_tex
def test_progress_says_why_xelatex(site: Site) -> None:
    post = site.post("信息\n", "why.md", "---\ntitle: Why\n---\n\n")
    out = run_cli("build", "--tex-only", str(post), "-o", str(site.root / "out"))
    assert out.returncode == 0, out.stderr
    assert "engine: xelatex (the post uses Han characters: 信息)" in out.stdout


@requires_tex
def test_chinese_title_bibliography_and_fixed_words(tmp_path: Path) -> None:
    site = Site(tmp_path / "site", REFERENCES)
    front = ("---\ntitle: 信息论简介\nsummary: 这是摘要的内容。\nbibFile: data/bibliography.json\n"
             "keywords: [熵]\n"
             "date: 2024-03-04\n---\n\n")
    pdf, _, warnings = build(site, "index.zh-cn", '熵的定义见{{< cite "shannon1948" >}}。'
                             '他说"知道"了，"多少"。\n', front=front)
    shown = no_space(pdf_text(pdf))
    for word in ("信息论简介", "摘要", "参考文献", "通信的数学理论", "香农", "2024年3月4日",
                 "关键词:熵", "他说“知道”了，“多少”。"):  # CJK quotation marks
        assert word in shown
    assert "Abstract" not in shown and "References" not in shown
    assert warnings == []


@requires_tex
def test_german_fixed_words(tmp_path: Path) -> None:
    site = Site(tmp_path / "site")
    front = ("---\ntitle: Entropie\nlang: de\nsummary: Eine Zusammenfassung.\n"
             "bibFile: data/bibliography.json\ndate: 2024-03-04\n---\n\n")
    pdf, tex, _ = build(site, "de", 'Siehe {{< cite "shannon1948" >}}.\n', front=front)
    shown = squash(pdf_text(pdf))
    assert "\\usepackage[ngerman]{babel}" in tex
    assert "Zusammenfassung" in shown and "Literatur" in shown and "4. März 2024" in shown
    assert "fontspec" not in tex  # German stays with pdflatex


@requires_tex
@pytest.mark.parametrize(("tag", "abstract"), [("fr", "Résumé"), ("es", "Resumen"),
                                               ("it", "Sommario"), ("pt", "Resumo")])
def test_languages_babel_reads_from_its_locale_files(site: Site, tag: str,
                                                     abstract: str) -> None:
    """A language whose babel package (Debian's texlive-lang-french, -spanish…) is not
    installed is set from babel's own locale file: ``[french]`` alone stopped the build
    with "Unknown option 'french'" wherever the package was missing."""
    front = f"---\ntitle: Entropie\nlang: {tag}\nsummary: Un texte.\n---\n\n"
    pdf, tex, warnings = build(site, tag, "Le texte, « entre guillemets » ; fin.", front=front)
    assert "]{babel}" in tex and abstract in pdf_text(pdf) and warnings == []


@requires_tex
def test_character_no_font_has_is_a_located_warning(site: Site) -> None:
    text = "Plain text.\n\nLinear B 𐀀 here.\n\n```\ncode with Greek αβ and Ǆ\n```"
    pdf, _, warnings = build(site, "missing", text)
    path = site.root / "content" / "posts" / "missing.md"
    assert any(w.startswith(f"{path}:7: warning: character '𐀀'") for w in warnings), warnings
    # Ǆ in a code block: no monospaced font has it, DejaVu Sans has: drawn from that
    assert not any("'Ǆ'" in w for w in warnings), warnings
    assert "Ǆ" in pdf_text(pdf)
    assert not any("'α'" in w for w in warnings)  # the monospaced font has Greek
    assert "U+10000" in pdf_text(pdf)  # the visible placeholder


def test_language_from_front_matter_file_name_and_site(site: Site) -> None:
    (site.root / "hugo.toml").write_text('title = "Site"\nlanguageCode = "de-DE"\n')

    def preamble(name: str, front: str = "---\ntitle: T\n---\n\n", text: str = "Text.") -> str:
        post = site.post(text + "\n", name, front)
        options = BuildOptions(outdir=site.root / "out", tex_only=True)
        tex = build_post(post, options).tex.read_text(encoding="utf-8")
        return tex.split("\\begin{document}")[0]

    assert "\\usepackage[ngerman]{babel}" in preamble("site.md")  # the site's languageCode
    # Hugo's file suffix (French from babel's locale file where texlive-lang-french is not)
    french = "french" if babel_options("french") == "french" else "provide=*,french"
    assert f"\\usepackage[{french}]{{babel}}" in preamble("p.fr.md")
    front = "---\ntitle: T\nlang: ja\n---\n\n"  # front matter wins; no babel for Japanese
    # (a post in Latin letters: pdflatex, the words in Mincho through CJKutf8)
    words = "\\mdpapercjk{min}{概要}" if pdflatex_support().cjk_rows else "概要"
    assert f"\\renewcommand{{\\abstractname}}{{{words}}}" in preamble("q.fr.md", front)
    assert "babel" not in preamble("e.md", "---\ntitle: T\nlanguageCode: en-US\n---\n\n")
    (site.root / "hugo.toml").write_text('title = "Site"\n')  # no language anywhere:
    assert "{摘要}" in preamble("zh.md", text="这是一段比较长的中文文字，用来测试。Some text.")
    assert "{概要}" in preamble("ja.md", text="日本語のテキスト。")  # Kana: Japanese
    assert "\\AtBeginDocument" not in preamble("en.md", text="English with 一 character.")


@requires_tex
def test_arxiv_bundle_names_and_proves_the_engine(site: Site) -> None:
    post = site.post("信息的度量是熵。\n", "arx.md",
                     "---\ntitle: 熵\nsummary: An abstract.\n---\n\n")
    out = run_cli("arxiv", str(post), "-o", str(site.root / "out"))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "OK: compiles alone with xelatex as arXiv does" in out.stdout
    bundle = site.root / "out" / "arx-arxiv.tar.gz"
    with tarfile.open(bundle) as tar:
        files = {name: tar.extractfile(name) for name in ("00README.json", "arx.tex")}
        readme_file, tex_file = files["00README.json"], files["arx.tex"]
        assert readme_file is not None and tex_file is not None
        readme, tex = json.loads(readme_file.read()), tex_file.read().decode()
    assert readme["process"]["compiler"] == "xelatex"
    assert tex.startswith("% !TEX program = xelatex\n") and "\\pdfoutput" not in tex


def test_language_from_the_content_folder_of_a_language(site: Site) -> None:
    """Hugo gives a page the language whose own contentDir holds it (and that language's
    languageCode): a Chinese post quoting one Kana word is Chinese, not Japanese."""
    (site.root / "hugo.toml").write_text(
        'title = "Site"\ndefaultContentLanguage = "zh"\n[languages.zh]\ncontentDir = '
        '"content/zh"\n[languages.tw]\ncontentDir = "content/tw"\nlanguageCode = "zh-TW"\n')
    text = "---\ntitle: 笔记\n---\n\n选曲为お茶，青春阳光有活力，线性空间。\n"

    def preamble(folder: str) -> str:
        post = site.root / "content" / folder / "posts" / "p.md"
        post.parent.mkdir(parents=True)
        post.write_text(text, encoding="utf-8")
        options = BuildOptions(outdir=site.root / "out" / folder, tex_only=True)
        return build_post(post, options).tex.read_text(encoding="utf-8").split(
            "\\begin{document}")[0]

    zh = preamble("zh")
    assert "{摘要}" in zh and "{概要}" not in zh
    assert "JP" not in zh and ("Noto Serif CJK SC" in zh or "CJK" not in zh)
    assert "Noto Serif CJK TC" in preamble("tw") or "xeCJK" not in zh  # its languageCode


def test_language_from_the_default_content_language(site: Site) -> None:
    """A site that sets ``defaultContentLanguage`` (and no languageCode) writes in that
    language: a German post quoting English is German; Hugo's default ``en`` says nothing."""
    def preamble(config: str) -> str:
        (site.root / "hugo.toml").write_text('title = "Site"\n' + config)
        post = site.post("Ein Text über Entropie.\n", "p.md", "---\ntitle: T\n---\n\n")
        options = BuildOptions(outdir=site.root / "out", tex_only=True)
        return build_post(post, options).tex.read_text(encoding="utf-8").split(
            "\\begin{document}")[0]

    assert "\\usepackage[ngerman]{babel}" in preamble('defaultContentLanguage = "de"\n')
    own = 'defaultContentLanguage = "de"\n[languages.de]\nlanguageCode = "de-CH"\n'
    assert "\\usepackage[nswissgerman]{babel}" in preamble(own)  # its own languageCode
    assert "babel" not in preamble('defaultContentLanguage = "en"\n')


@requires_tex
def test_arabic_text_and_heading_build_without_a_warning(site: Site) -> None:
    """DejaVu Sans has Arabic (DejaVu Serif not): a Persian page builds, its letters shaped,
    read right to left (``tests/latex/test_right_to_left.py``), nothing to warn of."""
    if not coverage("DejaVu Sans").ranges:
        pytest.skip("DejaVu Sans is not installed (fonts-dejavu-core)")
    pdf, _, warnings = build(site, "persian", "متن فارسی.\n\n## نحوه استفاده\n\nText.")
    assert warnings == []
    shown = visible(pdf_text(pdf))
    assert all(word in shown for word in ("متن", "فارسی", "نحوه", "استفاده")), shown


@requires_tex
def test_characters_no_font_has_in_a_heading(site: Site) -> None:
    """Placeholders in a heading (its PDF bookmark too) build; one warning per script."""
    pdf, _, warnings = build(site, "heading", "## Linear B 𐀀𐀁\n\nText.")
    assert [w for w in warnings if "no installed font" in w] == [
        f"{site.root / 'content' / 'posts' / 'heading.md'}:5: warning: character '𐀀' "
        "(LINEAR B SYLLABLE B008 A) is in no installed font; shown as U+10000 in a box; the "
        "post's other LINEAR characters likewise (not warned again)"], warnings
    assert "U+10000" in pdf_text(pdf) and "U+10001" in pdf_text(pdf)


@requires_tex
@pytest.mark.parametrize("engine", ["pdflatex", "xelatex"])
def test_emoji_in_a_heading(site: Site, engine: str) -> None:
    """A heading's emoji goes into the contents file and the PDF bookmark: the build does
    not stop there, and the bookmark shows the emoji (a ZWJ sequence whole)."""
    text = "## Well done 🙌\n\nText.\n\n## Team 👨‍💻 note\n\nEnd."
    pdf, _, warnings = build(site, "cheers", text, engine=engine)
    assert warnings == []
    assert "Well done 🙌" in pdf_text(pdf)
    xml = subprocess.run(["pdftohtml", "-xml", "-i", "-stdout", "-q", str(pdf)],
                         capture_output=True, text=True, check=True).stdout
    outline = xml[xml.find("<outline>"):]
    assert "Well done 🙌" in outline and "Team 👨‍💻 note" in outline, outline
