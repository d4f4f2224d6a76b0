"""arXiv bundles: built, unpacked, compiled alone as arXiv does, compared with the build.

Most tests use a hand-made build of ``fixtures/arxiv/special`` (natbib + plainnat,
hyperref, a figure, footnotes, 30 citations, every special character, a pygments code
block, an ``\\input`` file and comments of every kind), compiled here with latexmk +
BibTeX, so they do not depend on the Markdown converter. Two more bundle real posts
through ``mdpaper.build.post.build_post``.
"""

from __future__ import annotations

import importlib.util
import io
import json
import shutil
import struct
import subprocess
import tarfile
import zlib
from pathlib import Path

import pytest

import mdpaper.images as images
from mdpaper.arxiv import preflight as pf
from mdpaper.arxiv.bundle import BundleReport, make_bundle
from mdpaper.arxiv.proof import compile_alone, prove_bundle, unpack
from mdpaper.arxiv.readme import zzrm
from mdpaper.arxiv.sources import gather, safe_name
from mdpaper.build.post import BuildOptions, build_post
from mdpaper.errors import MdpaperError
from mdpaper.model import BuildResult

from conftest import TESTS

HERE = TESTS
REPO = HERE.parent
SPECIAL = HERE / "fixtures" / "arxiv" / "special"
TOOLS = ("pdflatex", "latexmk", "bibtex", "pdftotext", "pdfinfo")
needs_tex = pytest.mark.skipif(
    not all(shutil.which(t) for t in TOOLS), reason=f"needs {', '.join(TOOLS)}"
)
tex = [pytest.mark.tex, needs_tex]


# --- helpers -------------------------------------------------------------------------


def write_png(path: Path, width: int, height: int) -> None:
    """A real RGB PNG with a gradient (so pdflatex embeds something visible)."""
    rows = b"".join(
        b"\x00" + b"".join(bytes((x * 255 // width, y * 255 // height, 128)) for x in range(width))
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )  # fmt: skip


def pdf_text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


def pdf_pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(next(x for x in out.stdout.splitlines() if x.startswith("Pages:")).split()[1])


def latexmk_build(folder: Path, name: str, figures: dict[str, Path]) -> BuildResult:
    """What ``mdpaper build`` leaves behind, made with latexmk + BibTeX directly."""
    proc = subprocess.run(
        ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error", "-outdir=build",
         f"{name}.tex"],
        cwd=folder, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, (folder / "build" / f"{name}.log").read_text()[-3000:]
    pdf = folder / "build" / f"{name}.pdf"
    bbl = folder / "build" / f"{name}.bbl"
    bib = folder / "refs.bib"
    return BuildResult(
        name=name,
        outdir=folder,
        tex=folder / f"{name}.tex",
        bib=bib if bib.exists() else None,
        pdf=pdf,
        bbl=bbl if bbl.exists() else None,
        pages=pdf_pages(pdf),
        figures=figures,
    )


def rebased(result: BuildResult, old: Path, new: Path) -> BuildResult:
    def move(p: Path | None) -> Path | None:
        return None if p is None else new / p.relative_to(old)

    return BuildResult(
        name=result.name, outdir=new, tex=move(result.tex), bib=move(result.bib),
        pdf=move(result.pdf), bbl=move(result.bbl), pages=result.pages,
        figures={k: move(v) for k, v in result.figures.items()},
    )  # fmt: skip


@pytest.fixture(scope="module")
def special_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    if not all(shutil.which(t) for t in TOOLS):
        pytest.skip(f"needs {', '.join(TOOLS)}")
    folder = tmp_path_factory.mktemp("special") / "paper"
    shutil.copytree(SPECIAL, folder)
    write_png(folder / "figures" / "plot.png", 64, 48)
    return latexmk_build(folder, "paper", {"figures/plot.png": folder / "figures/plot.png"})


@pytest.fixture
def special(special_build: BuildResult, tmp_path: Path) -> BuildResult:
    """A private copy of the built fixture, free to break."""
    dest = tmp_path / "out" / "paper"
    shutil.copytree(special_build.outdir, dest)
    return rebased(special_build, special_build.outdir, dest)


def members(archive: Path) -> list[str]:
    with tarfile.open(archive) as tf:
        return sorted(tf.getnames())


# --- the bundle of the special fixture -------------------------------------------------


@pytest.mark.tex
@needs_tex
def test_bundle_compiles_alone_and_reads_like_the_build(special: BuildResult, tmp_path: Path):
    report = make_bundle(special, abstract="We test an arXiv bundle.")

    assert report.ok, report.summary()
    assert report.bundle == special.outdir.parent / "paper-arxiv.tar.gz"
    assert report.pages == report.expected_pages == special.pages
    assert members(report.bundle) == [
        "00README.json", "figures/plot.png", "paper.bbl", "paper.tex", "refs.bib",
    ]  # fmt: skip
    assert [n for n, _ in report.files] == members(report.bundle)
    assert report.total_size == sum(s for _, s in report.files)

    where = tmp_path / "unpacked"
    where.mkdir()
    unpack(report.bundle, where)
    main = (where / "paper.tex").read_text()
    assert main.startswith("\\pdfoutput=1\n\\documentclass[11pt]{article}\n")
    # Comments, the comment environment, the \iffalse block and the \input are gone...
    for gone in ("hand-made stand-in", "does-not-exist", "gone.png", "commented-out",
                 "\\input{", "trailing comment", "iffalse", "begin{comment}"):  # fmt: skip
        assert gone not in main, gone
    # ...while percent signs TeX reads as text are all still there.
    for kept in ("50\\%", "a%20b?q=1%2C2", "%7Euser", "\\verb|x % 2 == 0|",
                 "raw % percent stays", 'printf("%d%%\\n", 100); % also verbatim',
                 "Glued com%\nments", "the end.\\\\%\n"):  # fmt: skip
        assert kept in main, kept
    assert json.loads((where / "00README.json").read_text()) == zzrm("paper.tex")

    proof = compile_alone(where, "paper.tex")
    assert proof.ok, proof.problems
    text = pdf_text(proof.pdf)
    assert text == pdf_text(special.pdf)
    assert "??" not in text
    expected_words = [
        "50% odd",
        "raw % percent stays",
        "https://example.org/a%20b?q=1%2C2",
        "must read “comments”",
        "Gödel, escher, bach",
        "# $ % & _ { } \\ ~ ^",
    ]
    for words in expected_words:
        assert words in text, words


@pytest.mark.tex
@needs_tex
def test_zip_without_bib(special: BuildResult, tmp_path: Path):
    report = make_bundle(special, abstract=None, fmt="zip", include_bib=False, outdir=tmp_path)
    assert report.ok, report.summary()
    assert report.bundle == tmp_path / "paper-arxiv.zip"
    assert "refs.bib" not in [n for n, _ in report.files]
    assert "paper.bbl" in [n for n, _ in report.files]


@pytest.mark.tex
@needs_tex
def test_missing_figure_fails_and_says_so(special: BuildResult):
    (special.outdir / "figures" / "plot.png").unlink()
    report = make_bundle(special, abstract=None)
    assert not report.ok
    assert report.bundle.name == "paper-arxiv.FAILED.tar.gz" and report.bundle.exists()
    assert not (special.outdir.parent / "paper-arxiv.tar.gz").exists()
    assert any("figures/plot.png" in p for p in report.problems), report.problems
    assert "FAILED" in report.summary()


@pytest.mark.tex
@needs_tex
def test_missing_bbl_fails_with_undefined_citations(special: BuildResult):
    special.bbl.unlink()
    report = make_bundle(special, abstract=None)
    assert not report.ok
    assert report.bundle.name == "paper-arxiv.FAILED.tar.gz"
    assert any("paper.bbl" in p and "BibTeX" in p for p in report.problems), report.problems
    assert any("undefined citation" in p for p in report.problems), report.problems


@pytest.mark.tex
@needs_tex
def test_proof_catches_a_figure_removed_from_the_archive(special: BuildResult, tmp_path: Path):
    report = make_bundle(special, abstract=None, outdir=tmp_path)
    assert report.ok
    broken = tmp_path / "broken.tar.gz"
    with tarfile.open(report.bundle) as src, tarfile.open(broken, "w:gz") as dst:
        for m in src.getmembers():
            if m.name != "figures/plot.png":
                dst.addfile(m, src.extractfile(m))
    proof = prove_bundle(broken, "paper.tex", special.pages)
    assert not proof.ok
    assert any("figures/plot.png is not in the bundle" in p for p in proof.problems), proof.problems


@pytest.mark.tex
@needs_tex
def test_proof_compares_page_counts(special: BuildResult, tmp_path: Path):
    report = make_bundle(special, abstract=None, outdir=tmp_path)
    proof = prove_bundle(report.bundle, "paper.tex", special.pages + 1)
    assert not proof.ok
    assert any(f"to {special.pages + 1}" in p for p in proof.problems), proof.problems


@pytest.mark.tex
@needs_tex
def test_success_removes_a_stale_failed_bundle(special: BuildResult, tmp_path: Path):
    stale = tmp_path / "paper-arxiv.FAILED.tar.gz"
    stale.write_bytes(b"old")
    assert make_bundle(special, abstract=None, outdir=tmp_path).ok
    assert not stale.exists()


@pytest.mark.tex
@needs_tex
def test_preflight_errors_fail_the_bundle(special: BuildResult, tmp_path: Path):
    report = make_bundle(special, abstract="x" * 2000, outdir=tmp_path)
    assert not report.ok
    assert report.pages == special.pages  # it compiles; the abstract is what is wrong
    assert any("2000 characters" in p for p in report.problems)


# --- names, figures, packages ----------------------------------------------------------

SMALL = r"""\documentclass{article}
\usepackage{graphicx}
\usepackage{mystyle}
\graphicspath{{img/}}
\begin{document}
\mystylemark{} Figure: \includegraphics[width=2cm]{my plot}
\end{document}
"""


@pytest.mark.tex
@needs_tex
def test_names_are_made_safe_and_local_packages_come_along(tmp_path: Path):
    folder = tmp_path / "out" / "small doc"
    folder.mkdir(parents=True)
    (folder / "small doc.tex").write_text(SMALL)
    (folder / "mystyle.sty").write_text("\\newcommand{\\mystylemark}{MARK}\n")
    write_png(folder / "img" / "my plot.png", 20, 10)
    result = latexmk_build(folder, "small doc", {})
    report = make_bundle(result, abstract=None, outdir=tmp_path)
    assert report.ok, report.summary()
    assert [n for n, _ in report.files] == [
        "00README.json", "img/my-plot.png", "mystyle.sty", "small-doc.tex",
    ]  # fmt: skip
    where = tmp_path / "un"
    where.mkdir()
    unpack(report.bundle, where)
    assert "\\includegraphics[width=2cm]{img/my-plot.png}" in (where / "small-doc.tex").read_text()


def test_safe_name():
    assert safe_name("Grafik ü/my plot (1).png") == "Grafik-u/my-plot-1-.png"
    assert safe_name("../../.hidden/x.png") == "hidden/x.png"
    assert safe_name("/abs/x.pdf") == "abs/x.pdf"


def test_absolute_input_is_refused(tmp_path: Path):
    (tmp_path / "a.tex").write_text("\\documentclass{article}\n\\input{/etc/hostname}\n")
    with pytest.raises(MdpaperError, match="absolute path"):
        gather(tmp_path / "a.tex", {}, "a", tmp_path / "work")


def test_commented_input_is_not_inlined_but_a_real_one_is(tmp_path: Path):
    (tmp_path / "part.tex").write_text("% part comment\nPART TEXT\n")
    (tmp_path / "a.tex").write_text(
        "A % c\n% \\input{part}\n\\input{part}\n\\input glyphtounicode\n\\verb|\\input{part}|\nB\n"
    )
    src = gather(tmp_path / "a.tex", {}, "a", tmp_path / "work")
    assert src.tex == "A\nPART TEXT\n\\input glyphtounicode\n\\verb|\\input{part}|\nB\n"


def test_svg_without_converter_is_refused_naming_the_file(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(images.shutil, "which", lambda name: None)
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    (tmp_path / "fig.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (tmp_path / "a.tex").write_text("\\includegraphics{fig.pdf}\n")
    with pytest.raises(MdpaperError) as err:
        gather(tmp_path / "a.tex", {"fig.pdf": tmp_path / "fig.svg"}, "a", tmp_path / "w")
    assert "fig.svg" in str(err.value) and "rsvg-convert" in str(err.value)


@pytest.mark.skipif(
    not shutil.which("rsvg-convert") and not importlib.util.find_spec("cairosvg"),
    reason="needs rsvg-convert or cairosvg",
)
def test_svg_is_converted_to_pdf(tmp_path: Path):
    (tmp_path / "fig.svg").write_text(
        "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'>"
        "<rect width='10' height='10'/></svg>"
    )
    (tmp_path / "a.tex").write_text("\\includegraphics{fig.svg}\n")
    src = gather(tmp_path / "a.tex", {}, "a", tmp_path / "w")
    assert src.tex == "\\includegraphics{fig.pdf}\n"
    assert src.files["fig.pdf"].read_bytes().startswith(b"%PDF")


def test_other_image_formats_are_refused(tmp_path: Path):
    (tmp_path / "fig.gif").write_bytes(b"GIF89a")
    (tmp_path / "a.tex").write_text("\\includegraphics{fig.gif}\n")
    with pytest.raises(MdpaperError, match="PDF, PNG or JPEG"):
        gather(tmp_path / "a.tex", {}, "a", tmp_path / "w")


# --- preflight and 00README ------------------------------------------------------------


def test_00readme_uses_only_keys_arxiv_reads():
    data = zzrm("paper.tex")
    assert set(data) <= {"spec_version", "process", "sources", "texlive_version", "stamp",
                         "nohyperref", "comment"}  # fmt: skip
    assert data["spec_version"] == 1
    assert data["process"] == {"compiler": "pdflatex"}
    assert data["sources"] == [{"filename": "paper.tex", "usage": "toplevel"}]
    assert isinstance(data["texlive_version"], int)


def test_abstract_rules():
    assert pf.check_abstract("Plain ASCII -- fine.") == []
    (none,) = pf.check_abstract(None)
    assert none.severity == "warning" and "no abstract" in none.message
    (long,) = pf.check_abstract("a" * 1921)
    assert long.severity == "error" and "1921 characters" in long.message
    (dash,) = pf.check_abstract("Kullback–Leibler and Gödel")
    assert dash.severity == "warning" and "U+2013" in dash.message
    assert pf.ascii_abstract("Kullback–Leibler “Gödel” Søren ç")[0] == (
        "Kullback--Leibler ``G{\\\"o}del'' S{\\o}ren \\c{c}"
    )
    (greek,) = pf.check_abstract("the α parameter, x ≤ y")
    assert greek.severity == "warning" and "GREEK SMALL LETTER ALPHA" in greek.message
    assert pf.ascii_abstract("the α parameter, x ≤ y")[0] == "the $\\alpha$ parameter, x $\\leq$ y"
    (hangul,) = pf.check_abstract("Hello ☃")
    assert hangul.severity == "error" and "SNOWMAN" in hangul.message
    # an abstract in another language: arXiv asks for an English one in its form; the
    # bundle is still good
    (chinese,) = pf.check_abstract("注意力机制的 $O(n^2)$ 复杂度")
    assert chinese.severity == "warning" and "asks for an English abstract" in chinese.message
    assert "is in Han text (注意力), which" in chinese.message  # not each character's name


PREAMBLE = r"""\documentclass{article}
\usepackage{cleveref}
\usepackage[colorlinks]{hyperref}
\usepackage{url,geometry}
\usepackage{minted}
\usepackage{fontspec}
\begin{document}
Written \today.
\end{document}
"""


def test_source_rules():
    found = {pf.located_message(f): f.severity for f in pf.check_source(PREAMBLE, "p.tex")}
    text = "\n".join(found)
    assert "p.tex:8: \\today" in text
    assert found["p.tex: package fontspec needs xelatex or lualatex; the bundle is for arXiv's "
                 "pdflatex: build with --engine pdflatex"] == "error"  # fmt: skip
    assert (
        "url, minted, fontspec come after it" in text and "geometry" not in text
    )  # geometry is fine
    assert "cleveref must be loaded after hyperref" in text
    assert found["p.tex: package minted needs shell escape, which arXiv does not allow"] == "error"
    assert pf.check_source("\\usepackage{hyperref}\n\\usepackage[x]{hyperref}", "q.tex")
    # The file and line are fields of the diagnostic, not only words in its message.
    today = next(f for f in pf.check_source(PREAMBLE, "p.tex") if "\\today" in f.message)
    assert (today.path, today.line) == ("p.tex", 8)
    # a pseudocode.js algorithm's packages follow hyperref with the post's own (the report
    # told to move algorithmic before it)
    algorithm = "\\usepackage{hyperref}\n\\usepackage{algorithm}\n\\usepackage{algorithmic}\n"
    assert pf.check_source(algorithm, "a.tex") == []


def test_image_sizes_from_headers(tmp_path: Path):
    png = tmp_path / "big.png"
    # Only the header: 7000x5000 = 35 megapixels, without 100 MB of pixels.
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR"
                    + struct.pack(">IIBBBBB", 7000, 5000, 8, 2, 0, 0, 0))  # fmt: skip
    jpg = tmp_path / "photo.jpg"
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00" + b"\x00" * 9
    sof = b"\xff\xff\xc2" + struct.pack(">HBHHB", 11, 8, 3000, 4000, 1) + b"\x11\x00"
    jpg.write_bytes(b"\xff\xd8" + app0 + sof + b"\xff\xd9")
    assert images.image_size(png) == (7000, 5000)
    assert images.image_size(jpg) == (4000, 3000)
    (big,) = pf.check_images({"big.png": png, "photo.jpg": jpg})
    assert pf.located_message(big).startswith("big.png: 7000x5000 pixels (35.0 megapixels)")


def test_name_and_size_rules():
    assert pf.check_names(["a.tex", "figs/b.png"]) == []
    bad = {
        pf.located_message(f)
        for f in pf.check_names(["my fig.png", "/abs.tex", ".hidden", "ü.png"])
    }
    assert bad == {
        "my fig.png: file name has a space",
        "/abs.tex: file name is absolute",
        ".hidden: file name is hidden or goes up a folder",
        "ü.png: file name has non-ASCII characters",
    }
    assert pf.check_size(50_000_000) == []
    assert "over 50 MB" in pf.check_size(50_000_001)[0].message


# --- real posts through the real build -------------------------------------------------


def _build_post(post: Path, outdir: Path) -> BuildResult:
    return build_post(post, BuildOptions(outdir=outdir))


@pytest.mark.tex
@needs_tex
@pytest.mark.parametrize(
    "post",
    [REPO / "content/posts/example-paper/index.md", HERE / "posts/bundle-post/index.md"],
    ids=["example-paper", "bundle-post"],
)
def test_real_post_bundle(post: Path, tmp_path: Path):
    result = _build_post(post, tmp_path / "output")
    report = make_bundle(result, abstract=None)
    assert report.ok, report.summary()
    names = [n for n, _ in report.files]
    assert f"{result.name}.bbl" in names and f"{result.name}.tex" in names
    assert not [n for n in names if n.endswith((".aux", ".log", ".fdb_latexmk", ".gz", ".out"))]
    where = tmp_path / "proof"
    proof = prove_bundle(report.bundle, f"{result.name}.tex", result.pages, keep_dir=where)
    assert proof.ok, proof.problems
    assert pdf_text(proof.pdf) == pdf_text(result.pdf)


def test_summary_lists_files_and_verdict(tmp_path: Path):
    report = BundleReport(
        bundle=tmp_path / "x-arxiv.tar.gz", files=[("x.tex", 1234), ("x.bbl", 99)],
        total_size=1333, pages=3, expected_pages=3, ok=True, warnings=["w1"],
        passes=2, proof_seconds=1.25, archive_size=800,
    )  # fmt: skip
    text = report.summary()
    assert "x.tex" in text and "1.2 kB" in text and "99 B" in text and "total" in text
    assert "pages: 3 (normal build: 3)" in text and "warning: w1" in text and "OK" in text
    io.StringIO(text)  # plain text, nothing else
