"""The fonts xelatex and lualatex set a post in, chosen by what they cover (fontconfig).

A Unicode engine shows a character only when the current font has it, and drops it
otherwise (a "Missing character" line in the log, nothing on the page). So the fonts are
chosen from the characters the post uses, each font's coverage read from fontconfig
(``fc-match --format %{charset}``), never guessed:

* the main font: Latin Modern (the look of pdflatex's papers) when it has every
  non-CJK character, else DejaVu Serif (Greek, Cyrillic, more symbols), else DejaVu Sans
  (which also has Arabic and Hebrew, DejaVu Serif not); a right-to-left script's letters
  are shaped in that script (``Script=Arabic``: joined forms, each word right to left) but
  the words run left to right (no bidi), which ``latex.state`` warns about once;
* CJK (Han, Kana, Hangul): Noto Serif CJK through xeCJK under xelatex (which also breaks
  lines between ideographs and never puts spaces between them), or as luaotfload's
  fallback font under lualatex;
* emoji: drawn as images by the ``twemojis`` package on every engine (no engine can embed
  a colour bitmap font such as Noto Color Emoji as text: see ``latex.escape``).

A character none of these fonts has is a located warning and a visible placeholder
(``latex.escape``); what TeX still drops is read back from its log (``tex.glyphs``).
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field

#: Main fonts in order of preference: the first that has every character of the text
#: (CJK and emoji aside) is the document's font.
MAIN_FONTS = ("Latin Modern Roman", "DejaVu Serif", "DejaVu Sans")
#: The same for code (a code block quoting Greek needs a monospaced font with Greek).
MONO_FONTS = ("Latin Modern Mono", "DejaVu Sans Mono")
#: how far a font whose italic lacks the text's letters is slanted to make one instead
#: (DejaVu's obliques have no Arabic: a highlighted code comment, an emphasis, lost it)
FAKE_SLANT = 0.2
#: The CJK font (one Noto CJK font has every Han, Kana and Hangul glyph; the region, SC
#: here, is the one whose glyph forms it prefers: ``cjk_region``).
CJK_FONTS = ("Noto Serif CJK SC", "Noto Sans CJK SC")
#: BCP-47 language (or script subtag) -> Noto CJK region
#: (first match wins: any other Chinese, zh and zh-CN, is simplified, Kana or not)
CJK_REGIONS = {"ja": "JP", "ko": "KR", "zh-tw": "TC", "zh-hant": "TC", "zh-hk": "HK",
               "zh-mo": "HK", "zh": "SC"}
#: right-to-left scripts, as fontspec's Script names, and their blocks (with presentation
#: forms): the main font shapes the first one the text uses
RTL_SCRIPTS = {"Arabic": ((0x0600, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)),
               "Hebrew": ((0x0590, 0x05FF), (0xFB1D, 0xFB4F))}


@dataclass(frozen=True)
class Coverage:
    """The code points one installed font has (ranges as fontconfig lists them)."""

    family: str
    ranges: tuple[tuple[int, int], ...] = ()

    def __contains__(self, ch: object) -> bool:
        if not isinstance(ch, str) or len(ch) != 1:
            return False
        code = ord(ch)
        return any(low <= code <= high for low, high in self.ranges)


@functools.cache
def coverage(family: str, style: str = "") -> Coverage:
    """What ``family`` (its ``style`` face: ``italic``) covers; empty when fontconfig does
    not have that very family."""
    exe = shutil.which("fc-match")
    if exe is None:
        return Coverage(family)
    pattern = f"{family}:{style}" if style else family
    try:
        out = subprocess.run([exe, "--format", "%{family}\n%{charset}", pattern],
                             capture_output=True, text=True, timeout=20, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return Coverage(family)
    names, _, charset = out.partition("\n")
    if family.lower() not in (n.strip().lower() for n in names.split(",")):
        return Coverage(family)  # fontconfig substituted another font: not installed
    ranges = []
    for part in charset.split():
        low, _, high = part.partition("-")
        try:
            ranges.append((int(low, 16), int(high or low, 16)))
        except ValueError:
            continue
    return Coverage(family, tuple(ranges))


def is_cjk(ch: str) -> bool:
    """Han, Kana, Hangul and CJK punctuation: what xeCJK sets with the CJK font."""
    code = ord(ch)
    return (0x2E80 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF or 0xF900 <= code <= 0xFAFF
            or 0xFF00 <= code <= 0xFFEF or 0x20000 <= code <= 0x3FFFF
            or 0x1100 <= code <= 0x11FF)


@dataclass
class FontPlan:
    """The fonts of one document under a Unicode engine."""

    main: str = MAIN_FONTS[0]
    mono: str = MONO_FONTS[0]
    cjk: str | None = None
    #: every right-to-left script of the text (``RTL_SCRIPTS``), by its first letter's code
    #: point: under xelatex each has a family of its own (``script_family``), set around the
    #: text of that direction only
    scripts: tuple[str, ...] = ()
    #: characters no installed font has (shown as placeholders)
    missing: set[str] = field(default_factory=set)
    #: the fonts (main, mono) whose italic is their upright slanted (``FAKE_SLANT``)
    slanted: set[str] = field(default_factory=set)

    @property
    def script(self) -> str | None:
        """The right-to-left script the main font shapes under lualatex, if any."""
        return self.scripts[0] if self.scripts else None

    def preamble(self, engine_uses_xecjk: bool, tex_xet: bool = False) -> list[str]:
        """fontspec lines: xeCJK for CJK under xelatex, luaotfload's fallback under lualatex.

        Under an engine with TeX--XeT (``tex_xet``), the main font shapes no right-to-left
        script: XeTeX orders each word in its font's direction, so "9," and "(3.14)" in
        Latin text showed as ",9" and "(3.14("; the right-to-left text is set in its
        script's own family (``latex.direction``).

        fontspec leaves the math fonts alone (``no-math``), as under pdflatex: its own math
        alphabets are the text fonts in TU, where ``\\mathbf{\\Lambda}``, ``\\mathrm{\\Gamma}``
        take the glyph at the Greek letter's 8-bit slot, a control character no font has
        (the letter was missing from every Unicode-engine PDF, CJK posts' among them)."""
        lines = ["\\usepackage[no-math]{fontspec}"]
        fallback: list[str] = []
        if self.cjk and not engine_uses_xecjk:
            lines.append("\\directlua{luaotfload.add_fallback(\"mdpapercjk\", "
                         f"{{\"{self.cjk}:mode=harf;\"}})}}")
            fallback = ["RawFeature={fallback=mdpapercjk}"]
        if self.main != MAIN_FONTS[0] or fallback:
            script = [f"Script={self.script}"] if self.script and not tex_xet else []
            options = fallback + script + self._italic(self.main)
            lines.append(f"\\setmainfont{{{self.main}}}[{','.join(options)}]")
        if self.mono != MONO_FONTS[0] or fallback:
            scale = ["Scale=MatchLowercase"] if self.mono != MONO_FONTS[0] else []
            options = fallback + scale + self._italic(self.mono)
            lines.append(f"\\setmonofont{{{self.mono}}}[{','.join(options)}]")
        for name in self.scripts if tex_xet else ():
            features = ",".join([f"Script={name}", *self._italic(self.main)])
            lines.append(f"\\newfontfamily\\{script_family(name)}{{{self.main}}}[{features}]")
        if self.cjk and engine_uses_xecjk:
            lines += ["\\usepackage{xeCJK}", f"\\setCJKmainfont{{{self.cjk}}}",
                      f"\\setCJKsansfont{{{self.cjk.replace('Serif', 'Sans')}}}",
                      f"\\setCJKmonofont{{{self.cjk.replace('Serif', 'Sans')}}}"]
        return lines


    def _italic(self, font: str) -> list[str]:
        """fontspec options making ``font``'s italics its upright faces slanted, when it is
        one of ``slanted`` (``*`` is the font's own name)."""
        if font not in self.slanted:
            return []
        slant = f"FakeSlant={FAKE_SLANT}"
        return ["ItalicFont=*", f"ItalicFeatures={{{slant}}}",
                "BoldItalicFont=* Bold", f"BoldItalicFeatures={{{slant}}}"]


def cjk_region(cjk: set[str], language: str | None) -> str:
    """The Noto CJK region for the post: from its language, else Kana means Japanese and
    Hangul Korean, else simplified Chinese."""
    tag = (language or "").lower()
    for prefix, region in CJK_REGIONS.items():
        if tag == prefix or tag.startswith(prefix + "-"):
            return region
    if any(0x3040 <= ord(ch) <= 0x30FF for ch in cjk):
        return "JP"
    if any(0xAC00 <= ord(ch) <= 0xD7AF or 0x1100 <= ord(ch) <= 0x11FF for ch in cjk):
        return "KR"
    return "SC"


def plan_fonts(characters: Iterable[str], language: str | None = None) -> FontPlan:
    """The main, monospaced and CJK fonts that cover ``characters`` (the caller leaves out
    emoji drawn as pictures); ``language`` (BCP-47) picks the CJK glyph forms."""
    chars = {ch for ch in characters if ord(ch) >= 0x80}
    plan = FontPlan()
    cjk = {ch for ch in chars if is_cjk(ch)}
    if cjk:
        region = cjk_region(cjk, language)
        fonts = [f.replace(" SC", f" {region}") for f in CJK_FONTS] + list(CJK_FONTS)
        plan.cjk = next((f for f in fonts if coverage(f).ranges), None)
    others = chars - cjk
    plan.scripts = tuple(dict.fromkeys(s for ch in sorted(others) if (s := rtl_script(ch))))
    plan.main = _first_covering(MAIN_FONTS, others)
    plan.mono = _first_covering(MONO_FONTS, others)
    plan.slanted = {font for font in (plan.main, plan.mono) if any(
        ch in coverage(font) and ch not in coverage(font, "italic") for ch in others)}
    plan.missing = {ch for ch in chars if not has_glyph(ch)}
    return plan


def _first_covering(fonts: tuple[str, ...], chars: set[str]) -> str:
    """The first of ``fonts`` that has all ``chars``, else the one that has the most."""
    for font in fonts:
        if all(ch in coverage(font) for ch in chars):
            return font
    return max(fonts, key=lambda f: sum(ch in coverage(f) for ch in chars))


def script_family(script: str) -> str:
    """The control word of a right-to-left script's own font family (``\\mdpaperarabic``)."""
    return "mdpaper" + script.lower()


def rtl_script(ch: str) -> str | None:
    """The right-to-left script of ``ch`` (``RTL_SCRIPTS``), or None."""
    code = ord(ch)
    return next((name for name, blocks in RTL_SCRIPTS.items()
                 if any(low <= code <= high for low, high in blocks)), None)


@functools.cache  # (asked for every character of code beyond ASCII)
def code_fallback(ch: str) -> str | None:
    """The text font code draws ``ch`` from when no monospaced font has it (no installed
    one has Hebrew; the browser, too, draws it from another font): the first main font
    that has it; None when a monospaced font has it (or no font does, or it is CJK, which
    xeCJK draws)."""
    if ord(ch) < 0x80 or is_cjk(ch) or any(ch in coverage(f) for f in MONO_FONTS):
        return None
    return next((f for f in MAIN_FONTS if ch in coverage(f)), None)


def has_glyph(ch: str) -> bool:
    """Whether a font mdpaper uses for ``ch`` has it (main fonts for the rest, CJK for CJK)."""
    if ord(ch) < 0x80:
        return True
    fonts = CJK_FONTS if is_cjk(ch) else MAIN_FONTS
    return any(ch in coverage(f) for f in fonts)
