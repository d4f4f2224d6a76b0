"""Characters beyond Latin: which ones pdflatex can set, and how emoji are drawn.

* Greek: the ``textalpha`` package (greek-fontenc, Debian's texlive-lang-greek) sets Greek
  letters in any font encoding under pdflatex, so a Latin paper quoting Greek stays with
  pdflatex;
* Cyrillic: the T2A encoding (cm-super's Type 1 fonts; Latin Modern has no T2A, so its
  families are substituted by Computer Modern's, which it was drawn from), each run of
  Cyrillic letters in ``\\mdpapercyr``;
* Vietnamese: the T5 encoding (vntex), which Latin Modern has: each letter T1 lacks
  (stacked accents, horns) is set in T5 wherever it appears (``pdflatex_definition``), so
  also in the bibliography; Cyrillic letters outside the body's runs likewise;
* CJK under pdflatex: the CJK package's ``CJK`` environment (CJKutf8) with its Type 1
  subfonts, Arphic Song (``gbsn``) for Chinese, Wadalab Mincho (``min``) for Japanese and Nanum
  Myeongjo (``nanummj``) for Hangul, which carry their Unicode names, so the PDF's text is
  extractable. ``auto`` still chooses a Unicode engine for CJK (``pdflatex_can``: xeCJK's
  punctuation spacing and Noto CJK's glyphs); forcing pdflatex no longer loses the text;
* each of these only when installed (``pdflatex_support``), and only in the preamble of a
  post that uses the script; other scripts get a Unicode engine
  (``tex.engines.resolve_engine``);
* emoji: the ``twemojis`` package draws each as a picture on every engine (no TeX engine
  can put a colour bitmap font's glyph in a PDF as text), inside an ``ActualText`` span
  with an invisible glyph so the PDF's text (copy, search, pdftotext) still has the emoji.
"""

from __future__ import annotations

import functools
import re
import struct
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from mdpaper.patterns import lazy_pattern
from mdpaper.tex import installed
from mdpaper.tex.installed import CJK_FAMILIES, WANTED

#: Code points that start an emoji, and what may follow in one emoji: variation
#: selector 16, zero-width joiner, skin tones, keycap, tags, regional indicators.
EMOJI_START = "\u2300-\u23ff\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff"
EMOJI = lazy_pattern(f"[{EMOJI_START}](?:[\ufe0f\u20e3\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f]"
                     f"|\u200d[{EMOJI_START}])*")
#: How a picture emoji is written: the twemoji, then an invisible glyph whose text the
#: ActualText span replaces with the emoji itself (a span around a picture alone is not
#: read by PDF text extractors). Under xdvipdfmx, accsupp's span lands apart from the
#: glyph (pdftotext then reads the emoji at the end of the page); ``pdf:code`` keeps it in
#: place.
_EMOJI_BODY = "\\texttwemoji{#1}\\llap{\\textcolor{white}{x}}"
#: Robust, because a heading's text moves into the contents file and the PDF bookmark
#: (accsupp's span there stops the build: ``Missing \\endcsname inserted``); in the
#: bookmark the emoji is itself, its UTF-16 written four hex digits at a time by hyperref's
#: \\unichar.
_EMOJI_BOOKMARK = ("\\def\\mdpaperutfxvi#1#2#3#4#5\\relax{\\unichar{\"#1#2#3#4}"
                   "\\ifx\\relax#5\\relax\\else\\mdpaperutfxvi#5\\relax\\fi}"
                   "\\ifdefined\\pdfstringdefDisableCommands\\pdfstringdefDisableCommands"
                   "{\\def\\mdpaperemoji#1#2{\\mdpaperutfxvi#2\\relax}}\\fi")
#: Each starts the paragraph (\\leavevmode) before its span opens: a span opened between
#: paragraphs lands on the page before a page break and its end on the next page, where
#: pdftotext reports a mismatched EMC and loses the rest of the document's text.
EMOJI_DEFINITION = ("\\DeclareRobustCommand{\\mdpaperemoji}[2]{\\leavevmode"
                    f"\\BeginAccSupp{{method=hex,unicode,ActualText=#2}}{_EMOJI_BODY}\\EndAccSupp{{}}}}{_EMOJI_BOOKMARK}")
EMOJI_DEFINITION_DVIPDFMX = ("\\DeclareRobustCommand{\\mdpaperemoji}[2]{\\leavevmode"
                             "\\special{pdf:code "
                             f"/Span<</ActualText<FEFF#2>>>BDC}}{_EMOJI_BODY}"
                             f"\\special{{pdf:code EMC}}}}{_EMOJI_BOOKMARK}")
#: A character no font has: its code in a box, so the gap is seen (and a warning says where).
#: Robust, and plain U+XXXX in a PDF bookmark: under hyperref with xcolor, an \\fbox in a
#: heading's bookmark text stops the build (``Argument of \\boxframe has an extra }``).
PLACEHOLDER_DEFINITION = ("\\DeclareRobustCommand{\\mdpapermissing}[1]{\\fbox{\\scriptsize U+#1}}"
                          "\\ifdefined\\pdfstringdefDisableCommands\\pdfstringdefDisableCommands"
                          "{\\def\\mdpapermissing#1{U+#1}}\\fi")
_DEFINE = lazy_pattern(r"\\defineTwemoji\{\d+\}\{([0-9a-f]+(?:-[0-9a-f]+)*)\}")


@functools.cache
def twemoji_codes() -> frozenset[str]:
    """The emoji the installed twemojis package draws, as its names (``1f600``,
    ``1f468-200d-1f4bb``); empty when the package is not installed."""
    found = installed.find("twemojis.sty")
    try:
        text = found.read_text(encoding="utf-8", errors="replace") if found else ""
    except OSError:
        return frozenset()
    return frozenset(_DEFINE.findall(text))


@functools.cache
def greek_package() -> bool:
    """Whether ``textalpha`` (Greek letters under pdflatex) is installed."""
    return installed.find("textalpha.sty") is not None


def is_greek(ch: str) -> bool:
    """Whether ``ch`` is a Greek character textalpha sets in text."""
    return (unicodedata.name(ch, "").startswith("GREEK ") and 0x370 <= ord(ch) <= 0x3FF
            and ch not in _LGR_LACKS)


#: Greek symbol variants greek-fontenc's LGR does not set in text (TeX stopped: "character
#: lunate epsilon symbol not available in text mode"): ϵ ϑ ϕ ϖ ϱ are math symbols
#: (``escape.MATH_SYMBOLS``), ϐ ϰ ϴ are in no 8-bit font
_LGR_LACKS = frozenset("ϵϑϕϖϱϐϰϴ")


def twemoji_name(emoji: str) -> str | None:
    """The twemojis name of an emoji (with or without its variation selector), or None."""
    codes = [f"{ord(c):x}" for c in emoji]
    for name in ("-".join(codes), "-".join(c for c in codes if c != "fe0f")):
        if name in twemoji_codes():
            return name
    return None


def drawn_as_picture(ch: str) -> bool:
    """Whether ``ch`` is an emoji twemojis draws (no font needs to have it)."""
    return EMOJI.fullmatch(ch) is not None and twemoji_name(ch) is not None


def emoji_latex(emoji: str) -> str | None:
    """``\\mdpaperemoji{name}{UTF-16 hex}`` for an emoji twemojis draws, else None."""
    name = twemoji_name(emoji)
    if name is None:
        return None
    utf16 = emoji.encode("utf-16-be").hex().upper()
    return f"\\mdpaperemoji{{{name}}}{{{utf16}}}"


#: The preamble each script needs under pdflatex (``latex.state`` adds it once): fontenc may
#: be loaded again with more encodings (the last, T1, stays the default); \providecommand
#: because the language's fixed words may need them too (``document.language``).
PDFLATEX_DEFINITIONS = {
    # cmap: cm-super's glyph names alone give the PDF's text as Latin-1 letters
    "cyrillic": ("\\usepackage{cmap}\\usepackage[T2A,T1]{fontenc}"
                 "\\DeclareFontFamilySubstitution{T2A}{lmr}{cmr}"
                 "\\DeclareFontFamilySubstitution{T2A}{lmss}{cmss}"
                 "\\DeclareFontFamilySubstitution{T2A}{lmtt}{cmtt}"
                 # Russian hyphenation patterns (in the format with texlive-lang-cyrillic)
                 "\\makeatletter\\providecommand{\\mdpaperrussian}{\\ifdefined\\l@russian"
                 "\\language\\l@russian\\fi}\\makeatother"
                 "\\providecommand{\\mdpapercyr}[1]{{\\fontencoding{T2A}\\selectfont"
                 "\\mdpaperrussian #1}}"),
    "vietnamese": "\\usepackage[T5,T1]{fontenc}",
    # A soft line break between two runs of Chinese or Japanese is no space (as under
    # xeCJK): after a run, a space followed by another run is dropped. Hangul runs
    # (\mdpaperkr) keep theirs: Korean puts spaces between words.
    "cjk": ("\\usepackage{CJKutf8}\\providecommand{\\mdpaperhan}{gbsn}"
            "\\providecommand{\\mdpapercjk}[2]{\\begin{CJK}{UTF8}{#1}#2\\end{CJK}"
            "\\futurelet\\mdpapernext\\mdpapercjkafter}"
            "\\providecommand{\\mdpaperkr}[1]{\\begin{CJK}{UTF8}{nanummj}#1\\end{CJK}}"
            "\\makeatletter\\providecommand{\\mdpapercjkafter}{\\ifx\\mdpapernext\\@sptoken"
            "\\expandafter\\mdpapercjkspace\\fi}\\makeatother"
            "\\providecommand{\\mdpapercjkspace}{\\afterassignment\\mdpapercjkpeek"
            "\\let\\mdpapernext= }"
            "\\providecommand{\\mdpapercjkpeek}{\\futurelet\\mdpapernext\\mdpapercjkdecide}"
            "\\providecommand{\\mdpapercjkdecide}{\\ifx\\mdpapernext\\mdpapercjk\\else"
            "\\space\\fi}"),
}
#: A character of another encoding anywhere (bibliography, captions, fixed words): set in
#: that encoding unless it is the current one (then kerning and hyphenation are kept).
_ENCODING_SWITCH = ("\\makeatletter\\providecommand{\\mdpaperenc}{}\\DeclareRobustCommand"
                    "{\\mdpaperenc}[2]{\\edef\\mdpaper@enc{#1}\\ifx\\f@encoding\\mdpaper@enc#2"
                    "\\else{\\fontencoding{#1}\\selectfont#2}\\fi}"
                    "\\AtBeginDocument{\\ifdefined\\pdfstringdefDisableCommands"
                    "\\pdfstringdefDisableCommands{\\def\\mdpaperenc#1#2{#2}}\\fi}")
#: ...and CJK text anywhere (citations, the bibliography, captions): the document in one
#: CJK environment (which leaves other characters to inputenc), the runs in their own.
_CJK_DOCUMENT = ("\\ifdefined\\mdpapercjkdocument\\else\\def\\mdpapercjkdocument{}"
                 "\\AtBeginDocument{\\begin{CJK}{UTF8}{\\mdpaperhan}}"
                 "\\AtEndDocument{\\end{CJK}}"
                 # bookmarks and PDF metadata: the text itself (hyperref reads UTF-8)
                 "\\AtBeginDocument{\\ifdefined\\pdfstringdefDisableCommands"
                 "\\pdfstringdefDisableCommands{\\def\\mdpapercjk#1#2{#2}\\def\\mdpaperkr#1{#1}}"
                 "\\fi}\\fi")


#: Letters T1 draws whose PDF text is another: Đ is Ð's glyph (copied, searched as Ð),
#: ĩ and ũ a tilde over ı and u ("ı̃"). A Vietnamese post, which loads T5 anyway, sets
#: them from T5's own glyphs (Dcroat, itilde...).
_T1_TEXT_WRONG = frozenset("\u0110\u0128\u0129\u0168\u0169")


def pdflatex_definition(need: str, plain: frozenset[str]) -> str:
    """The preamble for ``need`` (a key of ``PDFLATEX_DEFINITIONS``): for an encoding, each
    of its characters not in ``plain`` (T1's) set in it wherever it appears."""
    support = pdflatex_support()
    encoding, chars = {"cyrillic": ("T2A", support.t2a),
                       "vietnamese": ("T5", support.t5)}.get(need, ("", frozenset()))
    if not encoding:
        return PDFLATEX_DEFINITIONS[need] + (_CJK_DOCUMENT if need == "cjk" else "")
    if need == "vietnamese":  # T1 draws these, but the PDF's text is another letter
        plain = plain - _T1_TEXT_WRONG
    # BibTeX's text has commands (\\cyra): each set in its encoding when T1 lacks it
    commands = {support.commands[ch] for ch in chars - plain}
    defaults = "".join(f"\\DeclareTextCommandDefault{{{c}}}{{{{\\fontencoding{{{encoding}}}"
                       f"\\selectfont{c}}}}}" for c in sorted(commands) if _COMMAND.fullmatch(c))
    declared = defaults + "".join(
        f"\\DeclareUnicodeCharacter{{{ord(ch):04X}}}{{\\mdpaperenc{{{encoding}}}"
        f"{{{support.commands[ch]}}}}}" for ch in sorted(chars - plain))
    return PDFLATEX_DEFINITIONS[need] + _ENCODING_SWITCH + declared + "\\makeatother"


#: The CJK package's font families: name -> the prefix of its subfont metrics (one .tfm
#: per 256 code points, named by the high byte: gbsnu4e.tfm has U+4E00-U+4EFF).
#: Han (and CJK punctuation) in a post written in Japanese: Mincho's glyph forms.
HAN_FAMILY = {"ja": "min"}
CJK_CLASS = "\u1100-\u11ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
#: A run of CJK text, soft line breaks included (dropped: no space between ideographs).
CJK_RUN = f"[{CJK_CLASS}]+(?:\n[{CJK_CLASS}]+)*"
CYRILLIC_RUN = "[\u0400-\u04ff]+"
_COMMAND = lazy_pattern(r"\\[A-Za-z]+")
_DECLARED = lazy_pattern(r"\\DeclareUnicodeCharacter\{([0-9A-Fa-f]{4,6})\}\{([^%\n]*)\}")


@dataclass(frozen=True)
class PdflatexScripts:
    """What the installed TeX lets pdflatex set beyond T1 (empty when not installed)."""

    #: characters of the T2A (Cyrillic) and T5 (Vietnamese) encodings
    t2a: frozenset[str] = frozenset()
    t5: frozenset[str] = frozenset()
    #: what the encodings' .dfu files map each of those characters to
    commands: dict[str, str] = field(default_factory=dict)
    #: CJK family -> the high bytes its subfonts cover
    cjk_rows: dict[str, frozenset[int]] = field(default_factory=dict)
    #: CJK family -> the folder of its subfont metrics
    cjk_dirs: dict[str, str] = field(default_factory=dict)


def _declared(path: str) -> dict[str, str]:
    try:
        text = Path(path).read_text(encoding="latin-1")
    except OSError:
        return {}
    return {chr(int(code, 16)): command.strip() for code, command in _DECLARED.findall(text)}


def _rows(metric: str, prefix: str) -> frozenset[int]:
    """The high bytes of the subfonts beside ``metric`` (one directory listing)."""
    try:
        names = [p.stem for p in Path(metric).parent.glob(f"{prefix}??.tfm")]
    except OSError:
        return frozenset()
    rows = set()
    for name in names:
        try:
            rows.add(int(name[len(prefix):], 16))
        except ValueError:
            continue
    return frozenset(rows)


@functools.cache
def pdflatex_support() -> PdflatexScripts:
    """Read once: the encodings' ``.dfu`` files (their characters), cm-super's T2A fonts,
    CJKutf8 and the CJK families' metrics (``tex.installed`` finds them)."""
    found = {name: str(path) for name in WANTED if (path := installed.find(name)) is not None}
    t2a = _declared(found["t2aenc.dfu"]) if {"t2aenc.dfu", "sfrm1000.pfb"} <= found.keys() \
        else {}
    t5 = _declared(found["t5enc.dfu"]) if {"t5enc.dfu", "t5lmr.fd"} <= found.keys() else {}
    rows = {}
    if "CJKutf8.sty" in found:
        rows = {family: _rows(found[f"{prefix}30.tfm"], prefix)
                for family, prefix in CJK_FAMILIES.items()
                if {f"c70{family}.fd", f"{prefix}30.tfm"} <= found.keys()}
    dirs = {family: str(Path(found[f"{prefix}30.tfm"]).parent)
            for family, prefix in CJK_FAMILIES.items() if family in rows}
    return PdflatexScripts(frozenset(t2a), frozenset(t5), {**t5, **t2a}, rows, dirs)


@functools.cache
def _subfont_glyphs(family: str, row: int) -> frozenset[int]:
    """The code points one subfont has: its TFM's characters with a width (TFM format:
    twelve 16-bit lengths, the header, then one 4-byte char_info per code bc..ec)."""
    support = pdflatex_support()
    if row not in support.cjk_rows.get(family, ()):
        return frozenset()
    try:
        data = (Path(support.cjk_dirs[family]) / f"{CJK_FAMILIES[family]}{row:02x}.tfm") \
            .read_bytes()
        header, first, last = struct.unpack(">HHH", data[2:8])
    except (OSError, KeyError, struct.error):
        return frozenset()
    base = 24 + 4 * header
    return frozenset((row << 8) + c for c in range(first, last + 1)
                     if base + 4 * (c - first) < len(data) and data[base + 4 * (c - first)])


def has_cjk_glyph(family: str, ch: str) -> bool:
    return ord(ch) in _subfont_glyphs(family, ord(ch) >> 8)


def is_cyrillic(ch: str) -> bool:
    return 0x400 <= ord(ch) <= 0x4FF


def is_hangul(ch: str) -> bool:
    return 0xAC00 <= ord(ch) <= 0xD7AF or 0x1100 <= ord(ch) <= 0x11FF


def is_kana(ch: str) -> bool:
    return 0x3040 <= ord(ch) <= 0x30FF


def cjk_family(ch: str, han: str) -> str:
    """The CJK family for ``ch``: Hangul in Myeongjo, Kana in Mincho, Han in ``han``, or in
    Mincho when Arphic's GB 2312 lacks it (traditional and Japanese forms: 漢)."""
    if is_hangul(ch):
        return "nanummj"
    if is_kana(ch) or (han != "min" and not has_cjk_glyph("gbsn", ch)
                       and has_cjk_glyph("min", ch)):
        return "min"
    return han


def pdflatex_cjk_can(ch: str) -> bool:
    """Whether a CJK family pdflatex may choose for ``ch`` has its glyph."""
    families = ["nanummj"] if is_hangul(ch) else ["min"] if is_kana(ch) else ["gbsn", "min"]
    return any(has_cjk_glyph(family, ch) for family in families)


def cjk_latex(run: str, han: str = "\\mdpaperhan") -> str:
    """A run of CJK text (every character ``pdflatex_cjk_can``) in CJK environments, one
    per family: Kana anywhere in the run means Japanese, so its Han takes Mincho too, as
    does Han that Arphic lacks;
    punctuation stays with the text before it. Soft line breaks are dropped."""
    run = run.replace("\n", "")
    others = [ch for ch in run if not is_hangul(ch)]
    if any(is_kana(ch) for ch in run) or (  # one family for the run where Mincho has it all
            not all(has_cjk_glyph("gbsn", ch) for ch in others)
            and all(has_cjk_glyph("min", ch) for ch in others)):
        han = "min"
    pieces: list[tuple[str, str]] = []
    for ch in run:
        family = cjk_family(ch, han)
        if pieces and (pieces[-1][0] == family or not (ch.isalpha() or is_hangul(ch))):
            pieces[-1] = (pieces[-1][0], pieces[-1][1] + ch)
        else:
            pieces.append((family, ch))
    return "".join(f"\\mdpaperkr{{{text}}}" if family == "nanummj"
                   else f"\\mdpapercjk{{{family}}}{{{text}}}" for family, text in pieces)


def pdflatex_words(text: str, han: str = "\\mdpaperhan") -> tuple[str, set[str]]:
    """Fixed words and dates (``document.language``) for pdflatex: each script beyond T1 in
    its markup, and the names of the ``PDFLATEX_DEFINITIONS`` they need."""
    needs: set[str] = set()
    support = pdflatex_support()

    def cjk(m: re.Match[str]) -> str:
        needs.add("cjk")
        return cjk_latex(m.group(0), han)

    def cyrillic(m: re.Match[str]) -> str:
        needs.add("cyrillic")
        return f"\\mdpapercyr{{{m.group(0)}}}"

    if support.cjk_rows:
        text = re.sub(CJK_RUN, cjk, text)
    if support.t2a:
        text = re.sub(CYRILLIC_RUN, cyrillic, text)
    # Latin-1 and Latin Extended-A: T1 has them (the fixed words are known strings)
    viet = {ch for ch in text if ch in support.t5 and ch > "\u017f"}
    if viet:
        needs.add("vietnamese")  # the characters themselves: pdflatex_definition
    return text, needs
