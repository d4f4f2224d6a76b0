"""The TeX-running stage: real latexmk builds, the sandbox, and log parsing.

Tests marked ``tex`` run the real TeX Live; ``pytest -m "not tex"`` skips them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
import uuid
from pathlib import Path
from types import ModuleType

import pytest

from mdpaper.arxiv import proof
from mdpaper.build import onepass
from mdpaper.errors import Diagnostic, MdpaperError
from mdpaper.tex import latexmk, preamble_format, process
from mdpaper.tex.engines import ENGINES
from mdpaper.tex.latexmk import LatexError, check_tools, compile_tex
from mdpaper.tex.log import locate_missing, pages_from_log, parse_blg, parse_log
from mdpaper.tex.process import LatexTimeout, TexToolMissing

from conftest import live_processes

tex = pytest.mark.tex
ALL_ENGINES = [pytest.param(e, marks=tex, id=e) for e in ENGINES]

BIB = """\
@article{knuth84,
  author = {Donald E. Knuth},
  title = {Literate Programming},
  journal = {The Computer Journal},
  year = {1984},
  volume = {27},
  pages = {97--111},
}
"""


def write_tex(folder: Path, body: str, preamble: str = "", name: str = "doc") -> Path:
    """A document whose body starts on line 4 (line numbers in tests count from here)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.tex"
    path.write_text(
        f"\\documentclass{{article}}\n{preamble}\n\\begin{{document}}\n{body}\n\\end{{document}}\n"
    )
    return path


def pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def build_or_error(path: Path, engine: str) -> tuple[str, LatexError | None]:
    """The PDF's text, or the LatexError; the sandbox tests accept either outcome."""
    try:
        return pdf_text(compile_tex(path, engine=engine, timeout=120).pdf), None
    except LatexError as e:
        return "", e


# ---------------------------------------------------------------- builds


@tex
def test_success_reports_pages_passes_and_keeps_aux_files_beside_the_tex(tmp_path: Path) -> None:
    doc = write_tex(tmp_path / "work",
                    "Page one, see page \\pageref{end}.\n\\newpage\nPage two.\\label{end}")
    out = compile_tex(doc)
    assert out.pdf == doc.with_suffix(".pdf") and out.log == doc.with_suffix(".log")
    assert out.pages == 2
    # The first run leaves the reference undefined and asks for a rerun, which latexmk makes.
    # (A new .aux alone, without a reference, gets a second run only when latexmk sees its
    # time stamp move: under load it sometimes does not.)
    assert out.passes == 2
    assert "see page 2" in pdf_text(out.pdf)
    assert out.warnings == []
    assert "Page two." in pdf_text(out.pdf)
    assert doc.with_suffix(".aux").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"]  # nothing written outside

    again = compile_tex(doc)  # unchanged source: latexmk has nothing to do
    assert again.passes == 0 and again.pages == 2


@tex
def test_natbib_and_bibtex_take_several_passes(tmp_path: Path) -> None:
    work = tmp_path / "work"
    doc = write_tex(
        work,
        "As \\citet{knuth84} shows.\n\\bibliographystyle{plainnat}\n\\bibliography{refs}",
        preamble="\\usepackage[numbers]{natbib}",
    )
    (work / "refs.bib").write_text(BIB)
    start = time.monotonic()
    out = compile_tex(doc)
    elapsed = time.monotonic() - start
    text = pdf_text(out.pdf)
    assert out.passes >= 3, "pdflatex, bibtex, pdflatex, pdflatex"
    assert "Literate programming" in text and "Knuth [1]" in text
    assert "?" not in text
    assert out.warnings == []
    assert doc.with_suffix(".bbl").exists()
    print(f"natbib build: {out.passes} passes in {elapsed:.2f} s")


@tex
def test_undefined_citation_and_reference_are_located_warnings(tmp_path: Path) -> None:
    work = tmp_path / "work"
    doc = write_tex(
        work,
        "Fine \\citep{knuth84,nojournal}.\nMissing \\citep{nosuchkey}.\nSee \\ref{sec:none}.\n"
        "\\bibliographystyle{plainnat}\n\\bibliography{refs}",
        preamble="\\usepackage{natbib}",
    )
    (work / "refs.bib").write_text(
        BIB + "@article{nojournal, author = {A}, title = {T}, year = {1}}\n"
    )
    out = compile_tex(doc)
    located = {(w.message, w.line) for w in out.warnings if w.line}
    assert ("Citation `nosuchkey' on page 1 undefined", 5) in located
    assert ("Reference `sec:none' on page 1 undefined", 6) in located
    assert all(w.severity == "warning" and w.path == "doc.tex" for w in out.warnings)
    assert not any("knuth84" in w.message for w in out.warnings)
    # BibTeX's complaints are located in the .bib, so they are kept apart from TeX lines.
    assert [str(w) for w in out.bib_warnings] == [
        "mdpaper: warning: BibTeX: empty journal in nojournal"
    ]


@tex
def test_undefined_control_sequence_names_macro_and_line(tmp_path: Path) -> None:
    doc = write_tex(tmp_path, "Hello.\n\nThis uses \\foo in a sentence.")
    with pytest.raises(LatexError) as info:
        compile_tex(doc)
    err = info.value
    assert [(p.path, p.line) for p in err.problems] == [("doc.tex", 6)]
    assert str(err) == "doc.tex:6: error: Undefined control sequence \\foo"
    assert err.log_path == doc.with_suffix(".log")


@tex
def test_undefined_control_sequence_inside_a_macro_names_the_inner_macro(tmp_path: Path) -> None:
    doc = write_tex(tmp_path, "Text \\wrap{x} here.", preamble="\\newcommand{\\wrap}[1]{#1 \\baz}")
    with pytest.raises(LatexError) as info:
        compile_tex(doc)
    assert str(info.value) == "doc.tex:4: error: Undefined control sequence \\baz"


@tex
def test_missing_package_points_at_usepackage_and_reads_clearly(tmp_path: Path) -> None:
    doc = write_tex(tmp_path, "Hello.", preamble="\\usepackage{nosuchpackage}")
    with pytest.raises(LatexError) as info:
        compile_tex(doc)
    (problem,) = info.value.problems
    assert (problem.path, problem.line) == ("doc.tex", 2)
    assert problem.message.startswith("File `nosuchpackage.sty' not found")
    assert "Emergency stop" not in str(info.value) and "\n" not in str(info.value)


@tex
def test_missing_end_document_is_an_emergency_stop_that_says_why(tmp_path: Path) -> None:
    doc = tmp_path / "doc.tex"
    doc.write_text("\\documentclass{article}\n\\begin{document}\nHello.\n")
    with pytest.raises(LatexError) as info:
        compile_tex(doc)
    assert "\\end{document} missing" in str(info.value)


@tex
def test_missing_bib_file_points_at_bibliography_line(tmp_path: Path) -> None:
    doc = write_tex(
        tmp_path, "\\cite{knuth84}\n\\bibliographystyle{plainnat}\n\\bibliography{nosuchbib}"
    )
    with pytest.raises(LatexError) as info:
        compile_tex(doc)
    assert str(info.value) == "doc.tex:6: error: BibTeX: file `nosuchbib.bib' not found"


@tex
def test_bibtex_syntax_error_is_located_in_the_bib(tmp_path: Path) -> None:
    doc = write_tex(tmp_path, "\\cite{a}\n\\bibliographystyle{plain}\n\\bibliography{refs}")
    (tmp_path / "refs.bib").write_text("@article{a,\n  title = {T},\n  year = {1}\n@book{b,\n}\n")
    with pytest.raises(LatexError) as info:
        compile_tex(doc)
    assert [p.path for p in info.value.problems] == ["refs.bib"]
    assert "BibTeX: I was expecting a `,' or a `}'" in str(info.value)


@tex
def test_timeout_kills_the_whole_process_group(tmp_path: Path) -> None:
    name = f"loop{uuid.uuid4().hex[:8]}"
    doc = write_tex(tmp_path, "\\loop\\iftrue\\repeat", name=name)
    start = time.monotonic()
    with pytest.raises(LatexTimeout) as info:
        compile_tex(doc, timeout=3)
    assert time.monotonic() - start < 15
    assert f"{name}.tex" in str(info.value) and "3 s" in str(info.value)
    assert live_processes(name) == [], "pdflatex outlived latexmk"


def test_missing_latexmk_names_debian_packages(tmp_path: Path) -> None:
    with pytest.raises(TexToolMissing) as info:
        check_tools("pdflatex", path=str(tmp_path))
    message = str(info.value)
    assert "latexmk" in message
    for package in ("texlive-latex-base", "texlive-latex-extra", "texlive-plain-generic"):
        assert package in message


def test_missing_engine_is_found_through_extra_env_path(tmp_path: Path) -> None:
    # A PATH with latexmk, pdflatex and bibtex but no xelatex.
    for tool in ("latexmk", "pdflatex", "bibtex"):
        real = shutil.which(tool)
        if real is None:
            pytest.skip(f"{tool} not installed")
        (tmp_path / tool).symlink_to(real)
    doc = write_tex(tmp_path / "work", "x")
    with pytest.raises(TexToolMissing) as info:
        compile_tex(doc, engine="xelatex", extra_env={"PATH": str(tmp_path)})
    assert "xelatex not found" in str(info.value) and "texlive-xetex" in str(info.value)
    check_tools("pdflatex", path=str(tmp_path))  # the same PATH is enough for pdflatex


def test_unknown_engine_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(MdpaperError, match="unknown TeX engine 'context'"):
        compile_tex(write_tex(tmp_path, "x"), engine="context")


# ---------------------------------------------------------------- the sandbox


@pytest.fixture
def outside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder holding a secret; documents are built in its subfolder ``work``.

    The environment asks for everything open, as a careless texmf.cnf or shell profile
    might (TeX Live's own defaults already forbid some writes): the sandbox must win anyway.
    """
    for var in ("openin_any", "openout_any"):
        monkeypatch.setenv(var, "a")
        for engine in ENGINES:
            monkeypatch.setenv(f"{var}_{engine}", "a")  # kpathsea prefers VAR_progname
    monkeypatch.setenv("shell_escape", "t")
    monkeypatch.setenv("TEXMFOUTPUT", str(tmp_path))
    (tmp_path / "secret.tex").write_text("SECRETTOKEN\n")
    return tmp_path


READS = {
    "absolute": "\\input{{{secret}}}",
    "parent": "\\input{{../secret}}",
    "etc-passwd": "\\input{{/etc/passwd}}",
    "openin": "\\newread\\r\\openin\\r={secret}\\relax\\read\\r to\\x\\typeout{{\\x}}",
}


@pytest.mark.parametrize("engine", ALL_ENGINES)
@pytest.mark.parametrize("how", READS)
def test_tex_cannot_read_outside_its_folder(outside: Path, engine: str, how: str) -> None:
    body = READS[how].format(secret=outside / "secret.tex")
    doc = write_tex(outside / "work", f"Before. {body} After.")
    text, error = build_or_error(doc, engine)
    # A read that then breaks the build (passwd is not valid LaTeX) still leaks through the
    # log and the error message, so look there too; "(file" is TeX logging that it opened it.
    seen = text + str(error) + doc.with_suffix(".log").read_text(errors="replace")
    assert "SECRETTOKEN" not in seen
    assert "(/etc/passwd" not in seen and "/etc/passwd:" not in seen


@tex
def test_reads_inside_the_folder_still_work(outside: Path) -> None:
    # The control for the test above: the same detection sees a permitted read.
    work = outside / "work"
    write_tex(work, "").with_name("inside.tex").write_text("SECRETTOKEN\n")
    text, error = build_or_error(write_tex(work, "\\input{inside}"), "pdflatex")
    assert error is None and "SECRETTOKEN" in text


WRITES = {
    "parent": "../outside.txt",
    "absolute": "{folder}/outside.txt",
}


@pytest.mark.parametrize("engine", ALL_ENGINES)
@pytest.mark.parametrize("where", WRITES)
def test_tex_cannot_write_outside_its_folder(outside: Path, engine: str, where: str) -> None:
    target = WRITES[where].format(folder=outside)
    body = f"\\newwrite\\w\\immediate\\openout\\w={target}\\immediate\\write\\w{{x}}"
    build_or_error(write_tex(outside / "work", body + "\\immediate\\closeout\\w"), engine)
    assert not (outside / "outside.txt").exists()


@pytest.mark.parametrize("engine", ALL_ENGINES)
def test_shell_escape_is_off(outside: Path, engine: str) -> None:
    marker = outside / "PWNED"
    work = outside / "work"
    # kpsewhich is on TeX Live's restricted allow-list: it would run if shell escape were
    # merely restricted (the default), not off.
    body = f"\\immediate\\write18{{touch {marker}}}\\immediate\\write18{{kpsewhich -version}} x"
    build_or_error(write_tex(work, body), engine)
    assert not marker.exists()
    assert "executed" not in (work / "doc.log").read_text(errors="replace")
    body = f"\\ShellEscape{{touch {marker}}} x"
    build_or_error(write_tex(work, body, preamble="\\usepackage{shellesc}"), engine)
    assert not marker.exists()


@tex
def test_lua_os_execute_and_popen_run_nothing(outside: Path) -> None:
    # Restricted mode (TeX Live's default) would run the allow-listed kpsewhich; off runs
    # nothing, and both calls return nil.
    marker = outside / "PWNED"
    body = (
        f'\\directlua{{os.execute("touch {marker}") texio.write_nl("LUA:"'
        ' .. tostring(os.execute("kpsewhich -version")) .. ","'
        ' .. tostring(io.popen("kpsewhich -version")))} x'
    )
    doc = write_tex(outside / "work", body)
    build_or_error(doc, "lualatex")
    assert not marker.exists()
    assert "LUA:nil,nil" in doc.with_suffix(".log").read_text(errors="replace")


@tex
@pytest.mark.xfail(strict=True, reason="LuaTeX's Lua io ignores openout_any (TeX Live 2022)")
def test_lua_io_cannot_write_outside_its_folder(outside: Path) -> None:
    body = '\\directlua{local f = io.open("../outside.txt", "w") if f then f:close() end} x'
    build_or_error(write_tex(outside / "work", body), "lualatex")
    assert not (outside / "outside.txt").exists()


def test_extra_env_may_not_relax_the_sandbox(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="openin_any"):
        compile_tex(write_tex(tmp_path, "x"), extra_env={"openin_any": "a"})


@tex
def test_a_latexmkrc_in_the_folder_is_ignored(tmp_path: Path) -> None:
    doc = write_tex(tmp_path, "x")
    (tmp_path / "latexmkrc").write_text(f'system("touch {tmp_path / "RC_RAN"}");\n')
    compile_tex(doc)
    assert not (tmp_path / "RC_RAN").exists()


@tex
def test_biber_is_replaced_by_a_stub(tmp_path: Path) -> None:
    # latexmk picks biber when a .bcf exists and the log asks for a missing .bbl.
    preamble = (
        "\\newwrite\\w\\immediate\\openout\\w=\\jobname.bcf\n"
        '\\immediate\\write\\w{<bcf:datasource type="file" datatype="bibtex" glob="false">'
        "refs.bib</bcf:datasource>}\\immediate\\closeout\\w"
    )
    body = "Hi. \\InputIfFileExists{\\jobname.bbl}{}{\\typeout{No file \\jobname.bbl.}}"
    (tmp_path / "refs.bib").write_text(BIB)  # latexmk runs no bib tool without its input
    with pytest.raises(LatexError, match="biber is disabled"):
        compile_tex(write_tex(tmp_path, body, preamble=preamble))


def test_command_disables_shell_escape_and_rc_files() -> None:
    for engine in ENGINES.values():
        cmd = latexmk.latexmk_command("doc.tex", engine.name)
        assert cmd[:3] == ["latexmk", "-norc", engine.latexmk_flag]
        # no -halt-on-error: one pass reports every error of the document
        one_pass = latexmk.engine_command("doc.tex", engine.name)
        for command in (cmd, one_pass):
            assert "-no-shell-escape" in command and "-halt-on-error" not in command
            assert "-file-line-error" in command and "-interaction=nonstopmode" in command
            assert command[-1] == "doc.tex"


@pytest.mark.parametrize("module", [latexmk, onepass, preamble_format, process, proof])
def test_no_module_that_runs_tex_asks_for_shell_escape(module: ModuleType) -> None:
    source = Path(module.__file__ or "").read_text()
    assert not re.search(r"(?<!no)-{1,2}(shell-escape|enable-write18)", source)


# ---------------------------------------------------------------- parse_log on snippets


def test_parse_file_line_error() -> None:
    log = (
        "(./post.tex\n"
        "./post.tex:57: Undefined control sequence.\n"
        "l.57 Some text \\foo\n"
        "                  more text\n"
        "./post.tex:57:  ==> Fatal error occurred, no output PDF file produced!\n"
    )
    errors, warnings = parse_log(log)
    assert errors == [Diagnostic("error", "Undefined control sequence \\foo", "post.tex", 57)]
    assert warnings == []
    assert str(errors[0]) == "post.tex:57: error: Undefined control sequence \\foo"


def test_parse_classic_error_takes_line_from_context() -> None:
    log = "! Undefined control sequence.\nl.12 \\bar\n           \n! Missing $ inserted.\n"
    errors, _ = parse_log(log)
    assert errors == [
        Diagnostic("error", "Undefined control sequence \\bar", None, 12),
        Diagnostic("error", "Missing $ inserted", None, None),
    ]


def test_parse_missing_file_takes_location_from_emergency_stop() -> None:
    log = (
        "! LaTeX Error: File `foo.sty' not found.\n\n"
        "Type X to quit or <RETURN> to proceed,\n"
        "Enter file name: \n"
        "./post.tex:3: Emergency stop.\n"
        "<read *> \n"
        "l.3 \\begin\n"
    )
    (error,) = parse_log(log)[0]
    assert (error.path, error.line) == ("post.tex", 3)
    assert error.message.startswith("File `foo.sty' not found: a TeX package is not installed")


def test_parse_package_error_in_another_file_keeps_its_path() -> None:
    log = "/usr/share/texmf/tex/latex/x/x.sty:12: Package x Error: Bad option.\n"
    errors, _ = parse_log(log)
    assert errors == [
        Diagnostic("error", "Package x Error: Bad option", "/usr/share/texmf/tex/latex/x/x.sty", 12)
    ]


def test_an_image_the_engine_cannot_read_is_located_by_its_name(tmp_path: Path) -> None:
    """pdfTeX stops at an image libpng refuses with no ``l.NN``; LuaTeX gives the line it
    was on (the page's when it decodes at shipout). Both are put at the line including the
    file they name."""
    tex = tmp_path / "doc.tex"
    tex.write_text("\\begin{document}\nText.\n\\includegraphics[width=\\linewidth]{plot.png}\n"
                   "\\includegraphics{plot-2.png}\n\\end{document}\n")
    pdftex = ("(./mt-msb.cfg)\n!pdfTeX error: pdflatex (file ./plot.png): libpng: internal error\n"
              " ==> Fatal error occurred, no output PDF file produced!\n")
    luatex = ("./doc.tex:5: error:  (file plot.png) (readpng): internal error\n"
              "./doc.tex:5:  ==> Fatal error occurred, no output PDF file produced!\n")
    for log, engine, detail in [(pdftex, "pdfTeX", "libpng"), (luatex, "LuaTeX", "readpng")]:
        errors, _ = parse_log(log)
        assert [e.message for e in errors] == [
            f"{engine} cannot read the image `plot.png': {detail}: internal error"]
        [located] = locate_missing(errors, tex)
        assert (located.path, located.line) == ("doc.tex", 3)
    # one that names no image is still TeX's error, not latexmk's summary
    errors, _ = parse_log("!pdfTeX error: \\pdfendlink ended up in different nesting level "
                          "than \\pdfstartlink.\n")
    assert [e.message for e in errors] == [
        "pdfTeX error: \\pdfendlink ended up in different nesting level than \\pdfstartlink"]
    errors, _ = parse_log("./doc.tex:9: error:  (readpng): internal error\n")
    assert errors == [Diagnostic("error", "LuaTeX cannot read an image: readpng: internal error",
                                 "doc.tex", 9)]


def test_parse_warnings_and_skip_boxes() -> None:
    log = (
        "LaTeX Warning: Citation `smith' on page 2 undefined on input line 40.\n"
        "Package natbib Warning: Citation `jones' on page 3 undefined on input line 41.\n"
        "LaTeX Warning: Reference `fig:a' on page 1 undefined on input line 7.\n"
        "Overfull \\hbox (12.0pt too wide) in paragraph at lines 9--10\n"
        "LaTeX Warning: Label `x' multiply defined.\n"
        "LaTeX Warning: There were undefined references.\n"
        "LaTeX Warning: Citation `smith' on page 2 undefined on input line 40.\n"
    )
    errors, warnings = parse_log(log)
    assert errors == []
    assert [(w.message, w.line) for w in warnings] == [
        ("Citation `smith' on page 2 undefined", 40),
        ("Citation `jones' on page 3 undefined", 41),
        ("Reference `fig:a' on page 1 undefined", 7),
        ("Label `x' multiply defined", None),
        ("There were undefined references", None),
    ]
    assert {w.severity for w in warnings} == {"warning"}


def test_parse_warning_wrapped_at_79_columns() -> None:
    line = (
        "LaTeX Warning: Reference `a-rather-long-label-name' on page 1 undefined on input line 8."
    )
    log = "\n".join([line[:79], line[79:]]) + "\n"
    (warning,) = parse_log(log)[1]
    assert warning.line == 8 and "a-rather-long-label-name" in warning.message


def test_pages_from_log() -> None:
    assert pages_from_log("Output written on post.pdf (12 pages, 34567 bytes).") == 12
    assert pages_from_log("Output written on post.xdv (1 page, 345 bytes).") == 1
    assert pages_from_log("Output written on a-very-long\nname.pdf (3 pages, 1 bytes).") == 3
    assert pages_from_log("No pages of output.") == 0
    assert pages_from_log("") is None


def test_parse_blg() -> None:
    blg = (
        "Database file #1: refs.bib\n"
        "I was expecting a `,' or a `}'---line 6 of file refs.bib\n"
        " : @article{knuth84,\n"
        "I couldn't open style file nosuch.bst\n"
        "---line 3 of file post.aux\n"
        "Warning--empty journal in knuth84\n"
        'Warning--I didn\'t find a database entry for "x"\n'
        'Warning--string name "jan" is undefined\n'
        "--line 9 of file refs.bib\n"
    )
    errors, warnings = parse_blg(blg)
    assert errors == [
        Diagnostic("error", "BibTeX: I was expecting a `,' or a `}'", "refs.bib", 6),
        Diagnostic("error", "BibTeX: I couldn't open style file nosuch.bst", "post.aux", 3),
    ]
    assert [(w.message, w.path, w.line) for w in warnings] == [
        ("BibTeX: empty journal in knuth84", None, None),
        ('BibTeX: string name "jan" is undefined', "refs.bib", 9),
    ]


def test_latex_error_str_is_one_line_per_problem() -> None:
    problems = [Diagnostic("error", f"problem {i}", "post.tex", i) for i in range(1, 30)]
    text = str(LatexError(problems, Path("post.log")))
    assert text.splitlines()[0] == "post.tex:1: error: problem 1"
    assert len(text.splitlines()) == 21 and text.endswith("and 9 more in post.log")


def test_sandbox_env_strips_inherited_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("shell_escape_xelatex", "t")
    monkeypatch.setenv("openout_any.lualatex", "a")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    env = process.sandbox_env({"max_print_line": "200"})
    assert "shell_escape_xelatex" not in env and "openout_any.lualatex" not in env
    assert env["openin_any"] == env["openout_any"] == "p" and env["shell_escape"] == "f"
    assert env["SOURCE_DATE_EPOCH"] == "0" and env["max_print_line"] == "200"
    assert env["PATH"] == os.environ["PATH"]
