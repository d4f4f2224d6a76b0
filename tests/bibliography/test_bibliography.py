"""The bibliography stage: CSL-JSON/.bib/CSL-YAML in, safe keys and valid, escaped .bib out.

Generated .bib text is parsed back with bibtexparser (so every test also checks that the
output is well-formed BibTeX); the ``tex`` tests run real BibTeX + pdflatex through latexmk.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import bibtexparser
import pytest

from mdpaper.bibliography.database import Bibliography, assign_keys
from mdpaper.build.convert import convert
from mdpaper.errors import MdpaperError, MultipleErrors
from mdpaper.source.site import load_post

from conftest import Site

REPO = Path(__file__).resolve().parents[2]
SITE_BIB = REPO / "data" / "bibliography.json"
SEED_IDS = ["jeon2022information", "jeon2024information"]


def load_items(
    tmp_path: Path, items: list[dict[str, Any]], name: str = "refs.json"
) -> Bibliography:
    path = tmp_path / name
    path.write_text(json.dumps(items, indent=2, ensure_ascii=False), encoding="utf-8")
    return Bibliography.load(path)


def fields_of(bib_text: str) -> dict[str, tuple[str, dict[str, str]]]:
    """key -> (entry type, raw field values): parse our output back, keep values verbatim."""
    library = bibtexparser.parse_string(bib_text, parse_stack=[])
    assert not library.failed_blocks, [b.error for b in library.failed_blocks]
    out = {}
    for e in library.entries:
        values = {f.key: re.sub(r'^\{(.*)\}$|^"(.*)"$', r"\1\2", f.value, flags=re.S)
                  for f in e.fields}  # fmt: skip
        out[e.key] = (e.entry_type, values)
    return out


def one(tmp_path: Path, **item: Any) -> tuple[str, dict[str, str]]:
    item.setdefault("id", "x")
    bib = load_items(tmp_path, [item])
    (result,) = fields_of(bib.to_bibtex()).values()
    return result


# --- CSL types ---------------------------------------------------------------------------


def test_article_journal(tmp_path: Path) -> None:
    etype, f = one(tmp_path, type="article-journal", title="On Information and Sufficiency",
                   **{"container-title": "Ann. Math. Stat."}, volume=22, issue="1",
                   page="79-86", DOI="10.1214/aoms/1177729694")  # fmt: skip
    assert etype == "article"
    assert f["journal"] == "Ann. Math. Stat."
    assert (f["volume"], f["number"], f["pages"]) == ("22", "1", "79--86")
    assert f["doi"] == "10.1214/aoms/1177729694"


def test_paper_conference_uses_booktitle_and_series(tmp_path: Path) -> None:
    etype, f = one(tmp_path, type="paper-conference", title="T", volume="235",
                   **{"container-title": "Proceedings of ICML",
                      "collection-title": "Proceedings of Machine Learning Research"})  # fmt: skip
    assert etype == "inproceedings"
    assert f["booktitle"] == "Proceedings of ICML"
    assert f["series"] == "Proceedings of Machine Learning Research"
    assert "journal" not in f


def test_book_edition_publisher_address_isbn(tmp_path: Path) -> None:
    etype, f = one(tmp_path, type="book", title="Elements", edition="2", publisher="Wiley",
                   ISBN="978-0-471-24195-9", **{"publisher-place": "Hoboken, NJ"})  # fmt: skip
    assert etype == "book"
    # Styles print "<edition> edition": "2 edition" would read badly.
    assert f["edition"] == "Second"
    assert (f["publisher"], f["address"], f["isbn"]) == (
        "Wiley",
        "Hoboken, NJ",
        "978-0-471-24195-9",
    )


def test_chapter_is_incollection_with_editor(tmp_path: Path) -> None:
    etype, f = one(tmp_path, type="chapter", title="Learning", page="318–362",
                   editor=[{"family": "McClelland", "given": "James L."}],
                   **{"container-title": "Parallel Distributed Processing"})  # fmt: skip
    assert etype == "incollection"
    assert f["booktitle"] == "Parallel Distributed Processing"
    assert f["editor"] == "McClelland, James L."
    assert f["pages"] == "318--362"  # en dash in CSL -> BibTeX's "--"


@pytest.mark.parametrize(
    ("genre", "etype", "type_field"),
    [
        ("PhD thesis", "phdthesis", None),
        ("Ph.D. dissertation", "phdthesis", None),
        ("Master's thesis", "mastersthesis", None),
        ("MSc thesis", "mastersthesis", None),
        ("Habilitation", "phdthesis", "{Habilitation}"),  # braced: plainnat sentence-cases it
        ("Diploma thesis", "phdthesis", "{Diploma thesis}"),
    ],
)
def test_thesis_kind_and_school(
    tmp_path: Path, genre: str, etype: str, type_field: str | None
) -> None:
    got, f = one(tmp_path, type="thesis", genre=genre, title="T", publisher="TU München")
    assert got == etype
    assert f["school"] == r"TU M{\"u}nchen"
    assert f.get("type") == type_field


def test_report_is_techreport_with_institution_and_number(tmp_path: Path) -> None:
    etype, f = one(tmp_path, type="report", title="T", publisher="OpenAI", number="TR-7",
                   genre="Working paper")  # fmt: skip
    assert etype == "techreport"
    assert (f["institution"], f["number"], f["type"]) == ("OpenAI", "TR-7", "{Working paper}")
    assert "publisher" not in f


@pytest.mark.parametrize(
    "where",
    [
        {"number": "arXiv:2203.00246"},
        {"DOI": "10.48550/arXiv.2203.00246"},
        {"URL": "https://arxiv.org/abs/2203.00246v2"},
        {"URL": "https://arxiv.org/pdf/2203.00246.pdf"},
    ],
)
def test_arxiv_preprint_gets_printable_journal_and_eprint(
    tmp_path: Path, where: dict[str, str]
) -> None:
    etype, f = one(tmp_path, type="article", title="T", **where)
    assert etype == "article"
    assert f["eprint"].startswith("2203.00246")
    assert f["archivePrefix"] == "arXiv"
    # plainnat ignores eprint; the journal string is what gets printed.
    assert f["journal"] == f"arXiv preprint arXiv:{f['eprint']}"
    assert "number" not in f


def test_old_style_arxiv_id(tmp_path: Path) -> None:
    _, f = one(tmp_path, type="article", title="T", number="arXiv:hep-th/9901001")
    assert f["eprint"] == "hep-th/9901001"


def test_article_without_arxiv_or_container_is_misc(tmp_path: Path) -> None:
    etype, f = one(tmp_path, type="article", title="T", publisher="SSRN")
    assert etype == "misc"
    assert f["howpublished"] == "SSRN"
    assert f["note"] == "Preprint"


@pytest.mark.parametrize("csl_type", ["webpage", "post-weblog", "post"])
def test_web_types_are_misc_with_url_and_access_date(tmp_path: Path, csl_type: str) -> None:
    etype, f = one(tmp_path, type=csl_type, title="Understanding LSTM Networks",
                   URL="https://colah.github.io/posts/2015-08-Understanding-LSTMs/",
                   accessed={"date-parts": [[2024, 5, 1]]},
                   **{"container-title": "colah's blog"})  # fmt: skip
    assert etype == "misc"
    assert f["howpublished"] == r"\url{https://colah.github.io/posts/2015-08-Understanding-LSTMs/}"
    assert "url" not in f  # plainnat would print the link twice
    assert f["note"] == "colah's blog. Accessed 2024-05-01"


def test_other_types_are_misc_with_a_note(tmp_path: Path) -> None:
    etype, f = one(tmp_path, type="motion_picture", title="T", note="Extended cut")
    assert etype == "misc"
    assert f["note"] == "Motion picture"  # the CSL note: hugo-cite's page never shows it
    _, f = one(tmp_path, type="dataset", title="T", genre="Benchmark", URL="http://x.org/d")
    assert (f["note"], f["url"]) == ("Benchmark", "http://x.org/d")


# --- names -------------------------------------------------------------------------------


def test_particles_go_before_family(tmp_path: Path) -> None:
    _, f = one(tmp_path, type="book", title="T", author=[
        {"family": "Maaten", "given": "Laurens", "non-dropping-particle": "van der"},
        {"family": "Beethoven", "given": "Ludwig", "dropping-particle": "van"},
        {"family": "Alembert", "given": "Jean", "non-dropping-particle": "d'"},
        {"family": "King", "given": "Martin Luther", "suffix": "Jr."},
        {"family": "Van Roy", "given": "Benjamin"},
    ])  # fmt: skip
    assert f["author"].split(" and ") == [
        "van der Maaten, Laurens",
        "van Beethoven, Ludwig",
        "d'Alembert, Jean",
        "King, Jr., Martin Luther",
        "Van Roy, Benjamin",
    ]


def test_literal_names_are_braced_so_bibtex_does_not_split_them(tmp_path: Path) -> None:
    _, f = one(tmp_path, type="report", title="T", author=[
        {"literal": "OpenAI"}, {"literal": "Johnson and Johnson"}, {"family": "Plato"},
        {"family": "Smith, Jones", "given": "A."},
    ])  # fmt: skip
    assert f["author"] == ("{OpenAI} and {Johnson and Johnson} and Plato and {Smith, Jones}, A.")


def test_non_ascii_names(tmp_path: Path) -> None:
    _, f = one(tmp_path, type="book", title="T", author=[
        {"family": "Schmidhuber", "given": "Jürgen"}, {"family": "Kaiser", "given": "Łukasz"},
        {"family": "Erdős", "given": "Pál"},
    ])  # fmt: skip
    assert f["author"] == r"Schmidhuber, J{\"u}rgen and Kaiser, {\L}ukasz and Erd{\H{o}}s, P{\'a}l"


def test_bad_names_are_located_errors(tmp_path: Path) -> None:
    path = tmp_path / "refs.json"
    path.write_text('[\n  {"id": "a"},\n\n  {"id": "b",\n   "author": "Smith"}\n]')
    with pytest.raises(MdpaperError, match='"author" must be a list') as info:
        Bibliography.load(path).to_bibtex(["b"])  # (when it is written: when cited)
    assert info.value.line == 4  # where entry "b" starts
    assert "'b'" in info.value.message
    with pytest.raises(MdpaperError, match='no "family"'):
        load_items(tmp_path, [{"id": "a", "author": [{"given": ""}]}]).to_bibtex()


# --- dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("issued", "year", "month"),
    [
        ({"date-parts": [[2022, 3, 1]]}, "2022", "mar"),
        ({"date-parts": [["2008"]]}, "2008", None),
        ({"date-parts": [["2008", "11"]]}, "2008", "nov"),
        ({"date-parts": [[2020, 21]]}, "2020", None),  # 21-24 are seasons, not months
        ({"date-parts": [[2019, 12], [2020, 1]]}, "2019", "dec"),  # a range: its start
        ({"raw": "2022-03"}, "2022", "mar"),
        ({"raw": "March 2022"}, "2022", None),
        ({"literal": "2022"}, "2022", None),
        ({"literal": "in press"}, "in press", None),
        ("1998", "1998", None),
    ],
)
def test_issued_dates(tmp_path: Path, issued: Any, year: str, month: str | None) -> None:
    bib = load_items(tmp_path, [{"id": "x", "type": "book", "title": "T", "issued": issued}])
    text = bib.to_bibtex()
    _, f = fields_of(text)["x"]
    assert f["year"] == year
    assert f.get("month") == month
    if month:
        assert f"month = {month}\n" in text  # a bare macro, so styles print "March"


def test_bad_date_part_is_located(tmp_path: Path) -> None:
    bib = load_items(tmp_path, [{"id": "x", "issued": {"date-parts": [["20x8"]]}},
                                {"id": "y", "type": "book", "title": "Fine"}])
    assert "@book{y," in bib.to_bibtex(["y"])  # an entry no one cites is not written
    with pytest.raises(MdpaperError, match="not a number") as info:
        bib.to_bibtex(["x"])
    assert info.value.line == 2


# --- escaping ----------------------------------------------------------------------------


def test_title_specials_are_escaped(tmp_path: Path) -> None:
    _, f = one(tmp_path, type="book", title="Profit & Loss: 100% of #1 snake_case for $5 ~ ^x")
    assert f["title"] == (
        r"{Profit \& Loss: 100\% of \#1 snake\_case for \$5 {\textasciitilde} {\textasciicircum}x}"
    )


def test_braces_and_backslash_cannot_unbalance_the_entry(tmp_path: Path) -> None:
    _, f = one(tmp_path, type="book", title=r"Set {x} \in y}", publisher="a}b")
    assert (
        f["title"]
        == r"{Set {\textbraceleft}x{\textbraceright} {\textbackslash}in y{\textbraceright}}"
    )
    assert f["publisher"] == r"a{\textbraceright}b"


def test_non_ascii_in_titles_becomes_latex(tmp_path: Path) -> None:
    _, f = one(tmp_path, type="article-journal", title="Über Größe, café, Erdős, łódź",
               **{"container-title": "Façade – Ørsted 日本"})  # fmt: skip
    assert f["title"] == r"{{\"U}ber Gr{\"o}{\ss}e, caf{\'e}, Erd{\H{o}}s, {\l}{\'o}d{\'z}}"
    # Characters without a LaTeX spelling stay UTF-8 (inputenc may know them).
    assert f["journal"] == r"Fa{\c{c}}ade {\textendash} {\O}rsted 日本"


def test_characters_kept_as_they_are_log_nothing(tmp_path: Path,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    # pylatexenc logged "No known latex representation for character: U+2605" for each,
    # unlocated lines on the terminal of a build that had nothing to warn about
    _, f = one(tmp_path, type="book", title="Stars ★ and 한국어 and ʹ")
    assert "★" in f["title"] and "한국어" in f["title"]
    assert [r.getMessage() for r in caplog.records] == []


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        # hugo-cite's page prints a title as written: one brace group keeps its capitals
        ("GPT-4 Technical Report", "{GPT-4 Technical Report}"),
        ("The Bayesian New Statistics", "{The Bayesian New Statistics}"),
        ("What I Learned about Vitamin C", "{What I Learned about Vitamin C}"),
        ('A <span class="nocase">Bayesian</span> View', "{A }{Bayesian}{ View}"),
        ("The <i>E. coli</i> Genome", r"{The }\emph{E. coli}{ Genome}"),
        ("H<sub>2</sub>O <b>Bold</b>", r"{H}\textsubscript{2}{O }\textbf{Bold}"),
        ("x </i> y", r"{x }{\textless}/i{\textgreater}{ y}"),
        # a group opening with a backslash is a BibTeX "special character", which
        # change.case$ lowercases: a second pair of braces
        ("& Loss", r"{{\& Loss}}"),
    ],
)
def test_titles_keep_their_case(tmp_path: Path, title: str, expected: str) -> None:
    _, f = one(tmp_path, type="book", title=title)
    assert f["title"] == expected


def test_urls_and_dois_stay_raw(tmp_path: Path) -> None:
    url = "https://example.com/a_b/100%25?q=1&r=~me#sec_2"
    _, f = one(tmp_path, type="article-journal", title="T", URL=url, DOI="10.1000/a_b%c#d")
    assert f["url"] == url
    assert f["doi"] == "10.1000/a_b%c#d"
    _, f = one(tmp_path, type="webpage", title="T", URL=url)
    assert f["howpublished"] == r"\url{" + url + "}"


def test_url_characters_bibtex_cannot_carry_are_percent_encoded(tmp_path: Path) -> None:
    _, f = one(tmp_path, type="book", title="T", URL="https://x.org/a b/{c}/\\/é",
               DOI="https://doi.org/10.1000/xyz")  # fmt: skip
    assert f["url"] == "https://x.org/a%20b/%7Bc%7D/%5C/%C3%A9"
    assert f["doi"] == "10.1000/xyz"  # the resolver prefix is not part of a DOI


# --- keys --------------------------------------------------------------------------------

UNSAFE_IDS = ["Smith 2020", "a,b", "x#1", "{weird}", "Müller2020", "50%", 'q"uote', "a=b",
              "back\\slash", "東京"]  # fmt: skip


def test_unsafe_ids_get_safe_consistent_keys(tmp_path: Path) -> None:
    items = [{"id": i, "type": "book", "title": "T"} for i in ["ok:key-1.a/b", *UNSAFE_IDS]]
    bib = load_items(tmp_path, items)
    keys = [bib.bibtex_key(i) for i in bib.ids()]
    assert keys[0] == "ok:key-1.a/b"  # already safe: unchanged
    assert all(re.fullmatch(r"[A-Za-z0-9_:./+-]+", k) for k in keys), keys
    assert bib.bibtex_key("Müller2020") == "Muller2020"
    assert bib.bibtex_key("Smith 2020") == "Smith_2020"
    assert len({k.lower() for k in keys}) == len(keys)
    # Same input, same keys; and the .bib uses exactly these keys.
    again = Bibliography.load(bib.path)
    assert [again.bibtex_key(i) for i in again.ids()] == keys
    assert list(fields_of(bib.to_bibtex())) == keys


def test_collisions_get_suffixes_and_safe_ids_keep_their_key() -> None:
    # "a b" folds to "a_b", which a later, already-safe id owns: the safe one keeps it.
    keys = assign_keys(["a b", "a#b", "a_b", "Smith2020", "smith2020", "a_b-2"])
    assert keys["a_b"] == "a_b"
    assert keys["Smith2020"] == "Smith2020"
    assert keys["a_b-2"] == "a_b-2"
    # BibTeX compares keys ignoring case, so "smith2020" must differ by more than case.
    assert keys["smith2020"].lower() != "smith2020"
    assert keys["a b"] == "a_b-3" and keys["a#b"] == "a_b-4"
    assert len({k.lower() for k in keys.values()}) == 6
    # The same when the lowercase spelling comes first.
    assert assign_keys(["smith2020", "Smith2020"]) == {
        "smith2020": "smith2020",
        "Smith2020": "Smith2020-2",
    }


def test_unfoldable_ids_get_distinct_stable_keys() -> None:
    keys = assign_keys(["東京", "大阪"])
    assert keys["東京"] != keys["大阪"]
    assert keys == assign_keys(["東京", "大阪"])


# --- located errors ----------------------------------------------------------------------


def test_malformed_json_reports_its_line(tmp_path: Path) -> None:
    path = tmp_path / "refs.json"
    path.write_text('[\n  {"id": "a"},\n  {"id": "b"}\n  {"id": "c"}\n]\n')
    with pytest.raises(MdpaperError) as info:
        Bibliography.load(path)
    assert info.value.line == 4
    assert info.value.path == path
    assert "invalid JSON" in str(info.value) and str(info.value).startswith(f"{path}:4: error:")


def test_entry_without_id_reports_the_entry_line(tmp_path: Path) -> None:
    # Strings with brackets, braces, escaped quotes and commas must not fool the line scan.
    path = tmp_path / "refs.json"
    path.write_text(
        "[\n"
        '  {"id": "a", "title": "tricky [ { \\" , ] }"},\n'
        '  {"id": "b", "author": [{"family": "X"}],\n'
        '   "note": "line\\nbreak"},\n'
        "\n"
        '  {"type": "book",\n'
        '   "title": "No Id Here"}\n'
        "]\n"
    )
    with pytest.raises(MdpaperError, match='has no "id"') as info:
        Bibliography.load(path)
    assert info.value.line == 6
    assert "No Id Here" in info.value.message


def test_several_bad_entries_are_reported_together(tmp_path: Path) -> None:
    path = tmp_path / "refs.json"
    path.write_text('[{"id": "a"},\n {"title": "x"},\n 42,\n {"id": "a"}]')
    with pytest.raises(MultipleErrors) as info:
        Bibliography.load(path)
    got = [(e.line, e.message) for e in info.value.errors]
    assert got == [
        (2, "entry 2 ('x') has no \"id\""),
        (3, "entry 3 is not an object"),
    ]


def test_a_duplicate_id_keeps_the_first_entry_with_a_warning(site: Site) -> None:
    """hugo-cite's page shows a CSL-JSON file with an id twice (a real blog has several):
    the build stopped. The first entry is cited; the second is reported where it stands."""
    (site.root / "data").mkdir(exist_ok=True)
    (site.root / "data" / "refs.json").write_text(
        '[{"id": "a", "title": "First"},\n {"id": "b", "title": "Other"},\n'
        ' {"id": "a", "title": "Second"}]')
    post = site.post("Cited {{< cite \"a\" >}}.\n\n{{< bibliography >}}\n",
                     front='---\ntitle: T\nbibFile: data/refs.json\n---\n')
    conversion = convert(load_post(post), "post")
    warnings = [str(d) for d in conversion.result.diagnostics]
    assert warnings == [f"{site.root / 'data' / 'refs.json'}:3: warning: duplicate id 'a' "
                        "(first on line 1): this entry is left out"]
    assert "title = {{First}}" in conversion.bib and "Second" not in conversion.bib


def test_not_a_list(tmp_path: Path) -> None:
    path = tmp_path / "refs.json"
    path.write_text('\n\n{"references": []}')
    with pytest.raises(MdpaperError, match="must be a list of entries, not an object") as info:
        Bibliography.load(path)
    assert info.value.line == 3


def test_missing_file_and_unreadable_inputs(tmp_path: Path) -> None:
    with pytest.raises(MdpaperError, match="no such file") as info:
        Bibliography.load(tmp_path / "nope.json")
    assert info.value.path == tmp_path / "nope.json"
    with pytest.raises(MdpaperError, match="directory"):
        Bibliography.load(tmp_path)
    bad = tmp_path / "latin1.json"
    bad.write_bytes(b'[\n{"id": "M\xfcller"}]')
    with pytest.raises(MdpaperError, match="UTF-8") as info:
        Bibliography.load(bad)
    assert info.value.line == 2
    other = tmp_path / "refs.ris"
    other.write_text("TY  - BOOK")
    with pytest.raises(MdpaperError, match="unsupported bibliography format"):
        Bibliography.load(other)


# --- lookups and output ------------------------------------------------------------------


def test_suggest() -> None:
    bib = Bibliography.load(SITE_BIB)
    assert bib.suggest("jeon2022informaton") == "jeon2022information"
    assert bib.suggest("Shannon1948") == "shannon1948"
    assert bib.suggest("vaswani2018") == "vaswani2017"
    assert bib.suggest("completely-unrelated") is None


def test_subset_order_dedup_and_unknown_ids() -> None:
    bib = Bibliography.load(SITE_BIB)
    text = bib.to_bibtex(["shannon1948", "cover2006", "shannon1948"])
    assert list(fields_of(text)) == ["shannon1948", "cover2006"]
    with pytest.raises(KeyError, match="did you mean 'cover2006'"):
        bib.to_bibtex(["cover2005"])
    assert "shannon1948" in bib and "nope" not in bib
    assert bib.line("jeon2022information") == 2


def test_site_bibliography_covers_every_type() -> None:
    bib = Bibliography.load(SITE_BIB)
    required = {"jeon2022information", "jeon2024information", "shannon1948", "cover2006",
                "vaswani2017", "vandermaaten2008", "hochreiter1997", "rumelhart1986",
                "graves2008", "openai2023gpt4", "olah2015lstm", "kullback1951"}  # fmt: skip
    assert required <= set(bib.ids())
    assert all(bib.bibtex_key(i) == i for i in bib.ids())  # the site's ids are all safe
    types = {json_item["type"] for json_item in json.loads(SITE_BIB.read_text())}
    assert {"article", "article-journal", "paper-conference", "book", "chapter", "thesis",
            "report", "post-weblog", "webpage", "dataset"} <= types  # fmt: skip
    entries = fields_of(bib.to_bibtex())
    assert entries["vandermaaten2008"][1]["author"].startswith("van der Maaten, Laurens")
    assert entries["graves2008"][1]["school"] == r"Technische Universit{\"a}t M{\"u}nchen"
    assert entries["openai2023gpt4"][1]["author"] == "{OpenAI}"


def test_seed_post_references() -> None:
    bib = Bibliography.load(SITE_BIB)
    entries = fields_of(bib.to_bibtex(SEED_IDS))
    assert list(entries) == SEED_IDS
    etype, f = entries["jeon2022information"]
    assert etype == "article"
    assert f["author"] == "Jeon, Hong Jun and Zhu, Yifan and Van Roy, Benjamin"
    assert f["journal"] == "arXiv preprint arXiv:2203.00246"
    assert (f["year"], f["month"]) == ("2022", "mar")
    etype, f = entries["jeon2024information"]
    assert etype == "inproceedings"
    assert f["author"] == "Jeon, Hong Jun and Lee, Jason D. and Lei, Qi and Van Roy, Benjamin"
    assert "41st International Conference on Machine Learning" in f["booktitle"]
    assert (f["volume"], f["eprint"]) == ("235", "2401.15530")


# --- other input formats -----------------------------------------------------------------


def test_bib_input_keeps_keys_and_values(tmp_path: Path) -> None:
    path = tmp_path / "refs.bib"
    path.write_text(
        "@string{jmlr = {Journal of Machine Learning Research}}\n"
        "@article{Odd Key!, title = {A}, journal = jmlr, month = jan}\n"
        "@book{b2, title = {{GPT} \\& co}, crossref = {coll}}\n"
        "@book{coll, title = {Collection}}\n"
    )
    bib = Bibliography.load(path)
    assert bib.ids() == ["Odd Key!", "b2", "coll"]
    assert bib.bibtex_key("b2") == "b2"
    text = bib.to_bibtex(["b2"])
    assert "@string{jmlr" in text  # macros travel with any subset
    assert "title = {{GPT} \\& co}" in text
    assert list(fields_of(text)) == ["b2", "coll"]  # the crossref target follows
    assert "month = jan" in bib.to_bibtex()


def test_bib_errors_are_located(tmp_path: Path) -> None:
    path = tmp_path / "refs.bib"
    path.write_text("@book{a, title = {A}}\n\n@book{b, title = {B}\n@book{c, title={C}}\n")
    with pytest.raises(MdpaperError, match="invalid BibTeX") as info:
        Bibliography.load(path)
    assert info.value.line == 3
    path.write_text("@book{Smith, title = {A}}\n@book{smith, title = {B}}\n")
    with pytest.raises(MdpaperError, match="ignores case") as info:
        Bibliography.load(path)
    assert info.value.line == 2


def test_csl_yaml(tmp_path: Path) -> None:
    path = tmp_path / "refs.yaml"
    path.write_text(
        "references:\n"
        "- id: knuth1984\n"
        "  type: book\n"
        "  title: Literate Programming\n"
        "  author: [{family: Knuth, given: Donald E.}]\n"
        "  issued: 1984-05-01\n"
        "- type: book\n"
        "  title: No id\n"
    )
    with pytest.raises(MdpaperError, match='has no "id"') as info:
        Bibliography.load(path)
    assert info.value.line == 7
    path.write_text(path.read_text().replace("- type: book", "- id: 2020\n  type: book"))
    bib = Bibliography.load(path)
    assert bib.ids() == ["knuth1984", "2020"]
    _, f = fields_of(bib.to_bibtex())["knuth1984"]
    assert (f["year"], f["month"], f["author"]) == ("1984", "may", "Knuth, Donald E.")
    path.write_text("- id: a\n  title: [unclosed\n")
    with pytest.raises(MdpaperError, match="invalid YAML") as info:
        Bibliography.load(path)
    assert info.value.line == 3


# --- real BibTeX + pdflatex --------------------------------------------------------------

needs_tex = pytest.mark.skipif(
    not (shutil.which("latexmk") and shutil.which("pdftotext")),
    reason="latexmk/pdftotext not installed",
)

SPECIALS = [
    {
        "id": "specials test",  # unsafe id: the cite key is the generated one
        "type": "webpage",
        "title": "Profit & Loss: 100% of #1 snake_case for $5",
        "author": [{"family": "Ørsted", "given": "Hans Christian"}],
        "issued": {"date-parts": [[2024]]},
        "URL": "https://example.com/a_b/100%25?q=1&r=~me#sec_2",
    }
]


def build_pdf(tmp_path: Path, bibs: dict[str, str], body: str) -> str:
    """Compile a tiny natbib/plainnat document; return the PDF text, whitespace-normalised."""
    for name, text in bibs.items():
        (tmp_path / f"{name}.bib").write_text(text, encoding="utf-8")
    # A very wide page keeps each reference on one line, so names are never hyphenated.
    (tmp_path / "doc.tex").write_text(
        "\\documentclass{article}\n"
        "\\usepackage[paperwidth=80cm,textwidth=78cm]{geometry}\n"
        "\\usepackage[utf8]{inputenc}\n\\usepackage[T1]{fontenc}\n\\usepackage{lmodern}\n"
        "\\usepackage{natbib}\n\\usepackage{url}\n"
        f"\\begin{{document}}\n{body}\n"
        "\\bibliographystyle{plainnat}\n"
        f"\\bibliography{{{','.join(bibs)}}}\n\\end{{document}}\n"
    )
    run = subprocess.run(
        ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"],
        cwd=tmp_path, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=180,
    )  # fmt: skip
    log = (
        (tmp_path / "doc.log").read_text(errors="replace")
        if (tmp_path / "doc.log").exists()
        else ""
    )
    assert run.returncode == 0, run.stdout[-3000:] + log[-3000:]
    blg = (tmp_path / "doc.blg").read_text()
    assert "error message" not in blg, blg
    assert "Warning--I didn't find a database entry" not in blg, blg
    pdf_text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "doc.pdf", "-"], cwd=tmp_path, capture_output=True,
        text=True, check=True, stdin=subprocess.DEVNULL,
    ).stdout  # fmt: skip
    return " ".join(pdf_text.split())


@pytest.mark.tex
@needs_tex
def test_site_bibliography_builds_with_bibtex(tmp_path: Path) -> None:
    site = Bibliography.load(SITE_BIB)
    specials = load_items(tmp_path, SPECIALS, "specials.json")
    key = specials.bibtex_key("specials test")
    text = build_pdf(
        tmp_path,
        {"site": site.to_bibtex(), "specials": specials.to_bibtex()},
        f"See \\citet{{{key}}} and \\citet{{hochreiter1997}}.\\nocite{{*}}",
    )
    for expected in [
        "Sepp Hochreiter and Jürgen Schmidhuber",
        "Laurens van der Maaten and Geoffrey Hinton",
        "OpenAI. GPT-4 Technical Report",
        "Technische Universität München",
        "Łukasz Kaiser",
        "Visualizing Data using t-SNE",
        "arXiv preprint arXiv:2203.00246",
        "pages 318–362",
        "Elements of Information Theory. Wiley-Interscience, Hoboken, NJ, second edition",
        "https://colah.github.io/posts/2015-08-Understanding-LSTMs/",
        "Profit & Loss: 100% of #1 snake_case for $5",  # as written, as on the page
        "Hans Christian Ørsted",
        "https://example.com/a_b/100%25?q=1&r=~me#sec_2",
        "Ørsted [2024]",
    ]:
        assert expected in text, f"{expected!r} not in PDF text:\n{text}"
    assert "??" not in text
    assert "{" not in text and "\\" not in text  # no escaping leaked into the output


@pytest.mark.tex
@needs_tex
def test_seed_post_references_build(tmp_path: Path) -> None:
    bib = Bibliography.load(SITE_BIB)
    keys = [bib.bibtex_key(i) for i in SEED_IDS]
    text = build_pdf(
        tmp_path, {"refs": bib.to_bibtex(SEED_IDS)}, f"\\citet{{{keys[0]}}}; \\citep{{{keys[1]}}}."
    )
    assert "Jeon et al. [2022]; [Jeon et al., 2024]." in text
    assert "An Information-Theoretic Framework for Supervised Learning" in text
    assert "In Proceedings of the 41st International Conference on Machine Learning" in text
    assert "Shannon" not in text  # only the cited subset was written
    assert "??" not in text
