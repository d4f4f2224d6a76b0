"""The post's language: which words the document prints ("Abstract", "References",
"Figure", "Table", the date) and how it hyphenates.

The language comes from, first found: the front matter's ``lang`` or ``languageCode``, the
Hugo file name's language (``index.zh-cn.md``, ``post.de.md``) or that of the language whose
own ``contentDir`` holds the file (as its ``languageCode`` when it sets one), the site's
``languageCode`` or ``defaultContentLanguage``. A BCP-47 tag (``de``, ``de-CH``,
``zh-Hans``, ``pt-BR``) maps to a babel language when babel has one installed for it
(hyphenation, fixed words, dates, quotation marks); CJK and other languages babel does not
cover under every engine get their fixed words set directly.
"""

from __future__ import annotations

import datetime
import functools
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mdpaper.latex.escape import pdflatex_characters
from mdpaper.latex.scripts import HAN_FAMILY, pdflatex_definition, pdflatex_words
from mdpaper.model import Post
from mdpaper.source.hugo import HugoConfig
from mdpaper.source.site import page_language

#: BCP-47 (lower case, longest match first) -> babel's language name. Only languages whose
#: babel support works with pdflatex's T1 and with fontspec alike.
BABEL = {
    "de-ch": "nswissgerman", "de-at": "naustrian", "de": "ngerman", "en-gb": "british",
    "en-au": "australian", "en-ca": "canadian", "en": "english", "fr": "french",
    "es": "spanish", "it": "italian", "pt-br": "brazilian", "pt": "portuguese",
    "nl": "dutch", "pl": "polish", "sv": "swedish", "da": "danish", "fi": "finnish",
    "nb": "norsk", "no": "norsk", "nn": "nynorsk", "cs": "czech", "sk": "slovak",
    "ca": "catalan", "ro": "romanian", "hu": "magyar", "tr": "turkish", "id": "indonesian",
}
#: babel languages that need a Unicode engine (their scripts do): name -> babel option
UNICODE_BABEL = {"ru": "russian", "uk": "ukrainian", "el": "greek"}
#: Fixed words of languages set without babel: abstract, references, figure, table.
WORDS = {
    "zh": ("摘要", "参考文献", "图", "表"),
    "zh-tw": ("摘要", "參考文獻", "圖", "表"),
    "zh-hant": ("摘要", "參考文獻", "圖", "表"),
    "ja": ("概要", "参考文献", "図", "表"),
    "ko": ("초록", "참고 문헌", "그림", "표"),
    "vi": ("Tóm tắt", "Tài liệu tham khảo", "Hình", "Bảng"),
    "ru": ("Аннотация", "Список литературы", "Рис.", "Таблица"),
    "el": ("Περίληψη", "Αναφορές", "Σχήμα", "Πίνακας"),
}
_WORD_MACROS = ("abstractname", "refname", "figurename", "tablename")
#: The title block's "Keywords" (no LaTeX class or babel defines it).
KEYWORDS = {"de": "Schlüsselwörter", "fr": "Mots-clés", "es": "Palabras clave",
            "it": "Parole chiave", "pt": "Palavras-chave", "nl": "Trefwoorden",
            "zh": "关键词", "ja": "キーワード", "ko": "주제어", "ru": "Ключевые слова",
            "el": "Λέξεις-κλειδιά", "vi": "Từ khóa", "pl": "Słowa kluczowe"}
#: Month names (genitive where the language writes dates so) and the date pattern.
_MONTHS = {
    "de": ("Januar Februar März April Mai Juni Juli August September Oktober November "
           "Dezember", "{d}. {m} {y}"),
    "fr": ("janvier février mars avril mai juin juillet août septembre octobre novembre "
           "décembre", "{d} {m} {y}"),
    "es": ("enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
           "diciembre", "{d} de {m} de {y}"),
    "it": ("gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre "
           "novembre dicembre", "{d} {m} {y}"),
    "pt": ("janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro "
           "dezembro", "{d} de {m} de {y}"),
    "nl": ("januari februari maart april mei juni juli augustus september oktober november "
           "december", "{d} {m} {y}"),
    "ru": ("января февраля марта апреля мая июня июля августа сентября октября ноября "
           "декабря", "{d} {m} {y} г."),
}
_NUMERIC_DATES = {"zh": "{y}年{n}月{d}日", "ja": "{y}年{n}月{d}日", "ko": "{y}년 {n}월 {d}일"}


@dataclass
class Language:
    """One post's language as the document uses it."""

    #: the BCP-47 tag as written (lower case)
    tag: str
    #: babel's name for it, or None when its words are set directly
    babel: str | None = None
    #: fixed words set without babel, by macro name
    words: dict[str, str] = field(default_factory=dict)

    @property
    def keywords_name(self) -> str:
        return KEYWORDS.get(self.tag.split("-")[0], "Keywords")

    def date(self, english: str) -> str:
        """A title block's date ("March 4, 2024", as front matter dates are printed) in
        this language; anything else as it is."""
        try:
            day = datetime.datetime.strptime(english, "%B %d, %Y").date()
        except ValueError:
            return english
        primary = self.tag.split("-")[0]
        if primary in _NUMERIC_DATES:
            return _NUMERIC_DATES[primary].format(y=day.year, n=day.month, d=day.day)
        if primary in _MONTHS:
            names, pattern = _MONTHS[primary]
            return pattern.format(d=day.day, m=names.split()[day.month - 1], y=day.year)
        return day.isoformat()

    def preamble(self, unicode_engine: bool) -> list[str]:
        """babel, or the fixed words (after the class and babel defined theirs)."""
        babel = self.babel
        primary = self.tag.split("-")[0]
        if babel is None and unicode_engine and primary in UNICODE_BABEL \
                and babel_installed(UNICODE_BABEL[primary]):
            babel = UNICODE_BABEL[primary]
        if babel is not None:
            return [f"\\usepackage[{babel_options(babel)}]{{babel}}"]
        lines = []
        if not unicode_engine and primary in HAN_FAMILY:  # Han in the language's glyph forms
            lines.append(f"\\newcommand{{\\mdpaperhan}}{{{HAN_FAMILY[primary]}}}")
        if not self.words:
            return lines
        words = dict(self.words)
        if not unicode_engine:  # each script beyond T1 in its pdflatex markup
            needs: set[str] = set()
            for macro, word in words.items():
                words[macro], need = pdflatex_words(word, HAN_FAMILY.get(primary, "gbsn"))
                needs |= need
            lines += [pdflatex_definition(need, pdflatex_characters()) for need in sorted(needs)]
        renew = "".join(f"\\renewcommand{{\\{m}}}{{{w}}}" for m, w in words.items())
        return [*lines, f"\\AtBeginDocument{{{renew}}}"]

    def for_pdflatex(self, text: str) -> str:
        """The date or "Keywords" of the title block under pdflatex (the preamble has the
        definitions: ``preamble``). Only this language's scripts are marked up."""
        if not self.words:
            return text
        return pdflatex_words(text, HAN_FAMILY.get(self.tag.split("-")[0], "gbsn"))[0]


def parse_tag(tag: str) -> Language | None:
    """The Language of a BCP-47 tag, or None for English and unknown tags (no preamble)."""
    tag = tag.strip().lower().replace("_", "-")
    if not tag:
        return None
    parts = tag.split("-")
    candidates = ["-".join(parts[:n]) for n in range(len(parts), 0, -1)]
    for candidate in candidates:
        if candidate == "en":
            return None  # the classes' own words: no babel needed
        if candidate in BABEL and babel_installed(BABEL[candidate]):
            return Language(tag, BABEL[candidate])
    for candidate in candidates:
        if candidate in WORDS:
            return Language(tag, None, dict(zip(_WORD_MACROS, WORDS[candidate], strict=True)))
    return None


def post_language(post: Post) -> Language | None:
    """The language of ``post`` (front matter, file name or content folder, site config:
    first found)."""
    params: dict[str, Any] = post.meta.params
    for key in ("lang", "languagecode"):
        if isinstance(params.get(key), str) and params[key].strip():
            return parse_tag(params[key])
    hugo = post.site.hugo if post.site is not None else None
    from_site = page_language(post)  # its file name's, or its language's contentDir's
    if from_site:
        own_code = hugo.language_codes.get(from_site) if hugo is not None else None
        return parse_tag(own_code or from_site)
    return parse_tag(_site_language(hugo) or _written_in(post.body))


def _site_language(hugo: HugoConfig | None) -> str:
    """The site's languageCode, else its default language's own, else a
    ``defaultContentLanguage`` other than Hugo's default ``en`` (a site set to ``zh-cn``
    writes in Chinese even when it names no code)."""
    if hugo is None:
        return ""
    default = hugo.default_language
    return (hugo.language_code or hugo.language_codes.get(default, "")
            or (default if default != "en" else ""))


def _written_in(text: str) -> str:
    """Without any language given: Chinese, Japanese or Korean when most letters of the
    text are of those scripts (Kana means Japanese, Hangul Korean), else nothing."""
    if text.isascii() or max(text) < "\u3040":  # nothing counted below: at C speed
        return ""
    cjk = kana = hangul = latin = 0
    for ch in text:
        code = ord(ch)
        if 0x3040 <= code <= 0x30FF:
            kana += 1
        elif 0xAC00 <= code <= 0xD7AF:
            hangul += 1
        elif 0x4E00 <= code <= 0x9FFF:
            cjk += 1
        elif ch.isalpha():
            latin += 1
    if cjk + kana + hangul <= latin:
        return ""
    return "ja" if kana else "ko" if hangul > cjk else "zh"


def babel_installed(name: str) -> bool:
    """Whether babel can set ``name``, through its own package or its locale file."""
    return _babel_source(name) is not None


def babel_options(name: str) -> str:
    """babel's options for ``name``: a language whose package (Debian's texlive-lang-*) is
    missing is read from babel's own locale file (``provide=*``), where ``[french]`` alone
    stopped every French, Spanish, Italian, Portuguese… post ("Unknown option")."""
    return name if _babel_source(name) == "ldf" else f"provide=*,{name}"


@functools.cache
def _babel_source(name: str) -> str | None:
    """"ldf" (the language's babel package), "ini" (babel's locale file only) or None."""
    exe = shutil.which("kpsewhich")
    if exe is None:
        return None
    try:
        out = subprocess.run([exe, f"{name}.ldf", f"babel-{name}.tex"], capture_output=True,
                             text=True, timeout=20, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    found = [Path(line).name for line in out.split()]
    return "ldf" if f"{name}.ldf" in found else "ini" if found else None
