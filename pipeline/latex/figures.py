"""Images and ``{{< figure >}}``: resolved the way Hugo resolves them, copied beside the
.tex under a safe name, placed in floats with captions. Remote images cannot be fetched
(builds work offline): they become a framed placeholder with the URL and a warning."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from mdpaper.errors import MdpaperError
from mdpaper.files import ascii_fold, inside, shorten_name
from mdpaper.images import (
    can_convert,
    data_uri_file,
    image_format,
    not_an_image,
    staged_suffix,
)
from mdpaper.latex.escape import escape_url
from mdpaper.latex.formula_images import formula_of
from mdpaper.latex.headings import section_label, short_title
from mdpaper.latex.page_values import destination
from mdpaper.latex.state import RenderState, forget_errors_since
from mdpaper.markdown.shortcodes import ShortcodeCall
from mdpaper.patterns import lazy_pattern
from mdpaper.source.heading_ids import heading_slug
from mdpaper.source.site import SiteFileMissing, resolve_site_path

if TYPE_CHECKING:  # the renderer imports this module for its handler table
    from mdpaper.latex.renderer import LatexRenderer

Token = dict[str, Any]
# article's \linewidth at 10pt, in bp: "width=800" (pixels) must not exceed the line.
_LINE_BP = 345
_PERCENT = lazy_pattern(r"^\s*(\d+(?:\.\d+)?)\s*%\s*$")
#: staged figures are NAME.png beside temporary files with longer names
MAX_FIGURE_STEM = 80
_PIXELS = lazy_pattern(r"^\s*(\d+(?:\.\d+)?)\s*(px)?\s*$")


#: A figure set where it stands, captioned and numbered (\caption works wherever
#: \@captype is set): inside a footnote or a table cell a float is "Not in outer par mode".
FIGURE_HERE = "mdpaperfigurehere"
FIGURE_HERE_ENVIRONMENT = (f"\\newenvironment{{{FIGURE_HERE}}}{{\\par\\medskip\\centering"
                           "\\expandafter\\def\\csname @captype\\endcsname{figure}}"
                           "{\\par\\medskip}")


def figure_from_image(r: LatexRenderer, tok: Token) -> str:
    if (tex := formula_of(tok["attrs"]["url"])) is not None:  # the page shows a formula
        return r.block({"type": "block_math", "raw": tex, "env": False,
                        "_line": tok.get("_line") or r.state.line})
    caption_tokens = tok.get("children") or []
    title = tok["attrs"].get("title")
    if not caption_tokens and title:
        caption_tokens = [{"type": "text", "raw": title}]
    return figure(r, destination(r, tok["attrs"]["url"]), caption_tokens, width=None,
                  alt_text=bool(tok.get("children")))


def inline_graphic(r: LatexRenderer, tok: Token) -> str:
    """An image among words (or in a table cell) is an icon: two lines high at most."""
    if (tex := formula_of(tok["attrs"]["url"])) is not None:
        return r.inline({"type": "inline_math", "raw": tex, "_line": r.state.line})
    return graphic(r, destination(r, tok["attrs"]["url"]), None, inline=True)


def image_in_text(r: LatexRenderer, src: str, width: str | None) -> str:
    """An HTML ``<img>`` among a paragraph's words (a site that shows raw HTML): an icon when
    the page draws it small, else the picture on its own line, as wide as the page draws it
    (a float would move it away from the words around it)."""
    small = width is not None and (m := _PIXELS.match(width)) is not None \
        and float(m.group(1)) <= 64
    if small or r.state.in_argument:
        return graphic(r, src, None, inline=True)
    if r.state.inline_depth > 1 or r.state.html_stack:
        # inside emphasis or a link: a macro's argument, where \par cannot go ("Paragraph
        # ended before \text@command was complete"): a line of its own in the paragraph
        r.state.define("mdpaperpictureline", _PICTURE_LINE)
        return "\\mdpaperpictureline{" + graphic(r, src, width) + "}"
    return "\\par{\\centering " + graphic(r, src, width) + "\\par}"


_PICTURE_LINE = ("\\newcommand\\mdpaperpictureline[1]{\\ifhmode\\unskip\\hfil\\penalty-10000"
                 "\\fi\\hspace*{\\fill}#1\\hspace*{\\fill}\\penalty-10000\\relax}")


def figure_shortcode(r: LatexRenderer, call: ShortcodeCall) -> str:
    src = call.get("src", 0)
    if not src:
        r.state.diag.warn("figure shortcode without src left out", call.line)
        return ""
    if hugo_blox_figures(r.state):  # its caption (else its title) is Markdown, and its id
        caption = parse_inline_markdown(r, call.get("caption") or call.get("title") or "",
                                        call.line)
        return figure(r, _media_library(r.state, src), caption, width=call.get("width"),
                      link=call.get("link"),
                      target=hugo_blox_figure_id(call, r.state.ctx.heading_ids))
    return figure(r, src, figure_caption(r, call), width=call.get("width"),
                  link=call.get("link"))


def _media_library(state: RenderState, src: str) -> str:
    """Where Hugo Blox's figure finds ``src``: the page bundle's file, else the site's media
    library, ``assets/media/`` (``{{< figure library="true" src="x.png" >}}``), written
    relative to the post's folder."""
    ctx = state.ctx
    library = ctx.site_root / "assets" / "media" / src.lstrip("/")
    if ("://" in src or (ctx.post_dir / src).is_file() or not library.is_file()
            or not inside(ctx.site_root, library)):
        return src
    return os.path.relpath(library, ctx.post_dir)


def hugo_blox_figures(state: RenderState) -> bool:
    """Whether the site's figure shortcode is Hugo Blox's (Wowchemy's): its theme is that
    module, and the site has no figure template of its own."""
    return state.ctx.hugo_blox and "figure" not in state.ctx.shortcode_files


def hugo_blox_figure_id(call: ShortcodeCall, id_type: str) -> str:
    """The id Hugo Blox's figure gives itself (``[Figure 1](#figure-f1)`` links to it):
    ``figure-`` and its ``id``, else its caption's text, anchorized."""
    named = call.get("id") or _TAGS.sub("", call.get("caption") or call.get("title") or "")
    return "figure-" + heading_slug(named, id_type)


#: what Hugo's ``plainify`` takes out of a caption: HTML tags (Markdown stays as written)
_TAGS = lazy_pattern(r"<[^>]*>")


#: Where sites' own image shortcodes (fig, img, image, …) take the file, in the order tried.
#: (a figure drawn for light and dark colour schemes shows its light image on paper, as on a
#: page in the default scheme)
SITE_IMAGE_ARGUMENTS = ("src", "image", "img", "file", "path", "url", "light-src", "src-light",
                        "light")
_IMAGE_SUFFIX = lazy_pattern(r"\.(png|jpe?g|gif|svg|webp|bmp|tiff?|pdf|avif)([?#].*)?$", re.I)


def site_image_source(call: ShortcodeCall) -> str | None:
    """The image a site's own shortcode shows, when its arguments name an image file: such
    shortcodes (``{{< fig src="edge.png" caption="…" >}}``) draw an <img> of it on the page."""
    candidates = [call.named.get(key) for key in SITE_IMAGE_ARGUMENTS] + [call.positional(0)]
    return next((c for c in candidates if c and _IMAGE_SUFFIX.search(c.strip())), None)


def site_image_shortcode(r: LatexRenderer, call: ShortcodeCall) -> str:
    """A site's image shortcode as a figure of its file, captioned as Hugo's figure is."""
    return figure(r, (site_image_source(call) or "").strip(), figure_caption(r, call),
                  width=call.get("width"), link=call.get("link"))


def figure_caption(r: LatexRenderer, call: ShortcodeCall) -> list[Token]:
    """What Hugo's figure shows under the image: the title (a heading), the caption
    (Markdown), the attribution (linked to ``attrlink`` when given); the alt text only when
    there is nothing else."""
    tokens: list[Token] = []
    title, caption = call.get("title"), call.get("caption")
    if title:
        tokens.append({"type": "strong", "children": [{"type": "text", "raw": title}]})
    if caption:
        tokens += [{"type": "text", "raw": " "}] if tokens else []
        tokens += parse_inline_markdown(r, caption, call.line)
    attribution, attrlink = call.get("attr"), call.get("attrlink")
    if attribution:
        text: Token = {"type": "text", "raw": attribution}
        tokens += [{"type": "text", "raw": " "}] if tokens else []
        tokens.append({"type": "link", "attrs": {"url": attrlink}, "children": [text]}
                      if attrlink else text)
    if not tokens and call.get("alt"):
        tokens = parse_inline_markdown(r, call.get("alt") or "", call.line)
    return tokens


def inline_markdown(r: LatexRenderer, text: str, line: int | None) -> str:
    """Text a template runs through ``markdownify`` (a caption, a table cell), as LaTeX."""
    return r.inlines(parse_inline_markdown(r, text.strip(), line)).strip() if text else ""


def parse_inline_markdown(r: LatexRenderer, text: str, line: int | None) -> list[Token]:
    parser = r.state.ctx.parser
    if parser is None:
        return [{"type": "text", "raw": text}]
    tokens: list[Token] = parser.inline(text, {"_line": line, "ref_links": {}})
    return tokens


def figure(r: LatexRenderer, src: str, caption_tokens: list[Token], width: str | None,
           link: str | None = None, *, alt_text: bool = False, target: str = "") -> str:
    """A float with the image and its caption; ``link``: where the image leads on the page;
    ``alt_text``: the caption is the image's alt text, which the page does not show;
    ``target``: the figure's id on the page, where links to ``#target`` lead."""
    state = r.state
    image = graphic(r, src, width)
    if link and re.match(r"^(https?|mailto):", link):
        state.use_package("hyperref")
        image = f"\\href{{{escape_url(link)}}}{{{image}}}"
    environment = "figure"
    if state.in_argument:  # a footnote's text, a table cell: no float can go there
        state.define(FIGURE_HERE, FIGURE_HERE_ENVIRONMENT)
        environment = FIGURE_HERE
    lines = [f"\\begin{{{environment}}}" + "[htbp]" * (environment == "figure"),
             "\\centering", image]
    caption_tokens = _without_own_number(caption_tokens, state.figure_count + 1)
    if caption_tokens:
        told = len(state.diag.items)
        caption = r.in_argument(lambda: r.inlines(caption_tokens).strip())
        if alt_text and forget_errors_since(state, told):
            state.diag.warn("the image's alt text has math that cannot be typeset (the page "
                            "shows no alt text): the figure has no caption", state.line)
        else:
            short = r.in_argument(lambda: short_title(r, caption_tokens, caption))
            opt = f"[{short}]" if short != caption else ""
            lines.append(f"\\caption{opt}{{{caption}}}")
    state.figure_count += 1
    lines.append(f"\\label{{fig:{state.figure_count}}}")
    if target and target not in state.placed_targets:
        state.placed_targets.add(target)
        lines.append(f"\\label{{{section_label(target)}}}")
    lines.append(f"\\end{{{environment}}}")
    return "\n".join(lines)


#: A caption that numbers itself, as a post must where the page numbers no figure
#: ("Figure 2: The loss", "Fig. 2."): the paper's caption numbers it already.
_OWN_NUMBER = lazy_pattern(r"(?i)(?:figure|fig\.?)\s*(\d+)\s*[:.]\s*")


def _without_own_number(tokens: list[Token], number: int) -> list[Token]:
    """The caption without its own "Figure N:" when N is the number LaTeX gives the figure
    (which would print "Figure 2: Figure 2: The loss"); another number stays, as the post's
    "see Figure 3" may count by it."""
    first = tokens[0] if tokens else None
    if first is None or first["type"] != "text":
        return tokens
    m = _OWN_NUMBER.match(first["raw"])
    rest = first["raw"][m.end():] if m else ""
    if m is None or int(m.group(1)) != number or not (rest or tokens[1:]):
        return tokens  # (a caption that is only its number keeps it)
    return ([{**first, "raw": rest}] if rest else []) + tokens[1:]


#: an image served from a GitHub repository: the path of the file in it
_GITHUB_FILE = lazy_pattern(r"^https?://(?:raw\.githubusercontent\.com/[^/]+/[^/]+/[^/]+"
                            r"|github\.com/[^/]+/[^/]+/(?:raw|blob)/[^/]+)/(?P<path>[^?#]+)")


def _in_the_sites_repository(src: str, site_root: Path) -> str | None:
    """A blog that keeps its images in its own repository often links them from GitHub
    (``raw.githubusercontent.com/me/blog/main/content/posts/img/x.png``): when the site
    (or the site within the repository's folder) has that very file, it is that file, as a
    site-absolute path, so no offline build loses it."""
    m = _GITHUB_FILE.match(src)
    if m is None:
        return None
    parts = unquote(m.group("path")).split("/")
    for start in range(min(3, len(parts))):  # (the site may be a folder of the repository)
        relative = "/".join(parts[start:])
        if ".." not in parts and (site_root / relative).is_file():
            return "/" + relative
    return None


def _image_file(r: LatexRenderer, src: str) -> Path | str:
    """The file an image's ``src`` shows (a ``data:`` URI's bytes, written down), or the
    placeholder standing in for one the paper cannot have, warned about."""
    state, ctx = r.state, r.state.ctx
    if src.startswith("data:"):  # the page draws the image from the URI itself
        if (decoded := data_uri_file(src)) is None:
            state.diag.warn(f"image '{src[:40]}…' is a data: URI mdpaper cannot decode; a "
                            "placeholder stands in for it", state.line)
            return _placeholder("Image not readable: data URI")
        return decoded
    if re.match(r"^[a-z][a-z0-9+.-]*://", src, re.I) or src.startswith("//"):
        state.diag.warn(f"remote image '{src}' cannot be fetched (builds work offline); "
                        "a placeholder stands in for it", state.line, kind="remote images")
        state.use_package("xurl")
        state.use_package("hyperref")
        # (its letters beyond ASCII %-encoded, as the browser sends them: a screenshot's
        # name, 截屏…png, has no glyph in the typewriter font \url sets)
        shown = quote(src, safe="".join(chr(c) for c in range(33, 127)))
        return _placeholder("Remote image: \\url{" + escape_url(shown) + "}")
    try:
        return resolve_site_path(ctx.site_root, src.split("?")[0].split("#")[0],
                                 base=ctx.post_dir, post=ctx.post_path,
                                 line=state.line, what="image", served=True)
    except SiteFileMissing as exc:  # the page shows a broken image: a placeholder here
        state.diag.warn(exc.message + "; a placeholder stands in, as the web page shows a "
                        "broken image", exc.line)
        # an input that cannot be read: no record vouches for this build, so the next one
        # (once the image is there) is made afresh, not found up to date
        state.unshown_images.append(ctx.post_dir / unquote(src))
        return _placeholder("Image not found: " + r.escape(unquote(src)))
    except MdpaperError as exc:  # reported with the post's other errors, all at once
        state.diag.error(exc.message, exc.line)
        return _placeholder("Image not found")


def graphic(r: LatexRenderer, src: str, width: str | None, inline: bool = False) -> str:
    state, ctx = r.state, r.state.ctx
    state.use_package("graphicx")
    size = "height=2\\baselineskip,keepaspectratio" if inline else _size(width)
    if (local := _in_the_sites_repository(src, ctx.site_root)) is not None:
        src = local  # the image the page loads from GitHub is this site's own file
    path = _image_file(r, src)
    if isinstance(path, str):
        return path  # a placeholder, warned about
    if src.startswith("data:"):  # (its bytes are the file: the URI, cut, names it)
        src = src[:40] + "…"
    fmt = image_format(path)  # what the file is, whatever its name says
    if (why := not_an_image(path, fmt)) is not None:
        state.diag.warn(f"image '{src}' {why}; a placeholder stands in, as TeX cannot "
                        "include it", state.line)
        state.unshown_images.append(path)  # (mending it changes the paper)
        return _placeholder("Image not readable: " + r.escape(src))
    if fmt is None or not can_convert(fmt):
        what = fmt.upper() if fmt else path.suffix or "of unknown type"
        state.diag.warn(f"image '{src}' is {what}, which mdpaper cannot convert for "
                        f"{ctx.engine}; use PNG, JPG or PDF", state.line)
        return _placeholder("Image not included: " + r.escape(Path(src).name))
    # The engine writes the paper as <name>.pdf beside its figures: a post's cover
    # image called after the post (posts/x.md shows x.svg) must not be that file.
    taken = {f"{ctx.bib_name}.pdf"}
    return f"\\includegraphics[{size}]{{{figure_name(state.figures, path, fmt, taken)}}}"


def figure_name(figures: dict[str, Path], path: Path, fmt: str,
                taken: set[str] | frozenset[str] = frozenset()) -> str:
    """A file name TeX and arXiv accept (ASCII, no spaces), unique per source file and
    none of ``taken``, with the suffix of what is staged for the image's format ``fmt``;
    the pair is recorded in ``figures`` (name in the output folder -> source file)."""
    for name, source in figures.items():
        if source == path:
            return name
    stem = ascii_fold(path.stem)
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-") or "figure"
    stem = shorten_name(stem, MAX_FIGURE_STEM)  # a file name has at most 255 bytes
    # SVG, GIF, WebP... are converted when the build stages them (mdpaper.images).
    suffix = staged_suffix(path, fmt)
    name, n = f"{stem}{suffix}", 1
    while name in figures or name in taken:
        n += 1
        name = f"{stem}-{n}{suffix}"
    figures[name] = path
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


INLINE_HANDLERS = {"image": inline_graphic}
