"""Images and ``{{< figure >}}``: resolved the way Hugo resolves them, copied beside the
.tex under a safe name, placed in floats with captions. Remote images cannot be fetched
(builds work offline): they become a framed placeholder with the URL and a warning."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

from mdpaper.errors import MdpaperError
from mdpaper.images import NATIVE_TYPES, can_convert, converted_suffix
from mdpaper.latex.escape import escape_url
from mdpaper.source.site import resolve_site_path

Token = dict[str, Any]
# article's \linewidth at 10pt, in bp: "width=800" (pixels) must not exceed the line.
_LINE_BP = 345
_PERCENT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%\s*$")
_PIXELS = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(px)?\s*$")


class FiguresMixin:
    def figure_from_image(self, tok: Token) -> str:
        caption_tokens = tok.get("children") or []
        title = tok["attrs"].get("title")
        if not caption_tokens and title:
            caption_tokens = [{"type": "text", "raw": title}]
        return self.figure(tok["attrs"]["url"], caption_tokens, width=None)

    def inline_graphic(self, tok: Token) -> str:
        """An image among words (or in a table cell) is an icon: two lines high at most."""
        return self.graphic(tok["attrs"]["url"], None, inline=True)

    def figure_shortcode(self, call: Any) -> str:
        src = call.get("src", 0)
        if not src:
            self.diag.warn("figure shortcode without src left out", call.line)
            return ""
        caption = call.get("caption") or call.get("title") or call.get("alt") or ""
        tokens = self.parse_inline_markdown(caption, call.line) if caption else []
        for key in ("attr",):
            if call.get(key):
                tokens += [{"type": "text", "raw": " " + call.get(key)}]
        return self.figure(src, tokens, width=call.get("width"))

    def parse_inline_markdown(self, text: str, line: int | None) -> list[Token]:
        parser = self.ctx.parser
        if parser is None:
            return [{"type": "text", "raw": text}]
        return parser.inline(text, {"_line": line, "ref_links": {}})

    def figure(self, src: str, caption_tokens: list[Token], width: str | None) -> str:
        graphic = self.graphic(src, width)
        lines = ["\\begin{figure}[htbp]", "\\centering", graphic]
        if caption_tokens:
            self.in_argument += 1
            caption = self.inlines(caption_tokens).strip()
            short = self.short_title(caption_tokens, caption)
            self.in_argument -= 1
            opt = f"[{short}]" if short != caption else ""
            lines.append(f"\\caption{opt}{{{caption}}}")
        self.figure_count = getattr(self, "figure_count", 0) + 1
        lines.append(f"\\label{{fig:{self.figure_count}}}")
        lines.append("\\end{figure}")
        return "\n".join(lines)

    def graphic(self, src: str, width: str | None, inline: bool = False) -> str:
        self.features.add("graphics")
        size = "height=2\\baselineskip,keepaspectratio" if inline else _size(width)
        if re.match(r"^[a-z][a-z0-9+.-]*://", src, re.I) or src.startswith("//"):
            self.diag.warn(f"remote image '{src}' cannot be fetched (builds work offline); "
                           "a placeholder stands in for it", self.line)
            return _placeholder("Remote image: \\url{" + escape_url(src) + "}")
        try:
            path = resolve_site_path(self.ctx.site_root, src.split("?")[0].split("#")[0],
                                     base=self.ctx.post_dir, post=self.ctx.post_path,
                                     line=self.line, what="image")
        except MdpaperError as exc:  # reported with the post's other errors, all at once
            self.diag.error(exc.message, exc.line)
            return _placeholder("Image not found")
        if path.suffix.lower() not in NATIVE_TYPES and not can_convert(path):
            self.diag.warn(f"image '{src}' is {path.suffix or 'of unknown type'}, which "
                           f"mdpaper cannot convert for {self.ctx.engine}; use PNG, JPG or PDF",
                           self.line)
            return _placeholder("Image not included: " + self.escape(Path(src).name))
        name = self.figure_name(path)
        return f"\\includegraphics[{size}]{{{name}}}"

    def figure_name(self, path: Path) -> str:
        """A file name TeX and arXiv accept (ASCII, no spaces), unique per source file."""
        for name, source in self.figures.items():
            if source == path:
                return name
        stem = unicodedata.normalize("NFKD", path.stem).encode("ascii", "ignore").decode()
        stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-") or "figure"
        # SVG, GIF, WebP... are converted when the build stages them (mdpaper.images).
        suffix = converted_suffix(path)
        name, n = f"{stem}{suffix}", 1
        while name in self.figures:
            n += 1
            name = f"{stem}-{n}{suffix}"
        self.figures[name] = path
        return name


def _size(width: str | None) -> str:
    if width:
        m = _PERCENT.match(width)
        if m:
            return f"width={min(float(m.group(1)), 100) / 100:.3g}\\linewidth"
        m = _PIXELS.match(width)
        if m:
            bp = float(m.group(1)) * 0.75  # CSS pixels are 3/4 of a point
            if bp < _LINE_BP:
                return f"width={bp:.0f}bp"
    return "width=\\linewidth,height=0.45\\textheight,keepaspectratio"


def _placeholder(text: str) -> str:
    return "\\fbox{\\parbox{0.8\\linewidth}{\\centering\\small " + text + "}}"

