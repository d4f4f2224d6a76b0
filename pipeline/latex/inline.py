"""Inline tokens: text, emphasis, code, links, math, inline HTML, footnotes and inline
shortcodes. Each handler takes the renderer and its token and returns LaTeX."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urljoin

from mdpaper.latex.boxes import inline_box, transparent_open
from mdpaper.latex.citations import cite_shortcode
from mdpaper.latex.escape import escape_code, escape_url
from mdpaper.latex.figures import image_in_text, site_image_shortcode, site_image_source
from mdpaper.latex.headings import HTML_ID, link_target, section_label
from mdpaper.latex.page_values import (
    code_as_shown,
    destination,
    embed_link,
    media_link,
    page_url,
    param_shortcode,
    use_url,
)
from mdpaper.latex.publication_cite import mention
from mdpaper.latex.qr import qr_code
from mdpaper.latex.unknown_shortcodes import site_ref, unknown_shortcode
from mdpaper.markdown.emoji import emojify
from mdpaper.markdown.goldmark_escape import decode_references
from mdpaper.markdown.link_shortcodes import REF_SCHEME, SHORTCODE_SCHEME
from mdpaper.markdown.shortcode_names import (
    ANCHOR_NAMES,
    EMBED_NAMES,
    ICON_NAMES,
    LINK_NAMES,
    MARK_NAMES,
    MEDIA_NAMES,
    NOTE_NAMES,
    PAIRED_NAMES,
    STATIC_LINK_NAMES,
    TRANSPARENT_NAMES,
    WEB_ONLY_NAMES,
)
from mdpaper.markdown.shortcodes import ShortcodeCall
from mdpaper.patterns import lazy_pattern

if TYPE_CHECKING:  # the renderer imports this module for its handler table
    from mdpaper.latex.renderer import LatexRenderer

Token = dict[str, Any]

_NON_ASCII = lazy_pattern(r"[^\x00-\x7f]")
_HTML_TAG = lazy_pattern(r"<\s*(/?)\s*([A-Za-z][A-Za-z0-9]*)[^>]*?(/?)\s*>", re.S)
_HTML_OPEN = {
    "sup": "\\textsuperscript{", "sub": "\\textsubscript{", "em": "\\emph{", "i": "\\emph{",
    "strong": "\\textbf{", "b": "\\textbf{", "u": "\\uline{", "ins": "\\uline{",
    "s": "\\sout{", "del": "\\sout{", "strike": "\\sout{", "code": "\\texttt{",
    "kbd": "\\texttt{", "mark": "\\textbf{", "small": "{\\small ", "span": "{",
    "cite": "\\emph{", "abbr": "{", "q": "``{",
}
_HTML_CLOSE = {"q": "}''"}
_ATTRIBUTE = {name: re.compile(r"\s" + name + r"""\s*=\s*["']?([^"'\s>]+)""")
              for name in ("src", "width", "href")}
#: Links a paper can follow (not javascript: and the like, which keep only their text).
_SAFE_HREF = lazy_pattern(r"(?i)^(?:https?:|mailto:|ftp:)")


#: HTML tags (and the Markdown strikethrough) typeset with ulem's \uline and \sout.
ULEM_TAGS = {"u", "ins", "s", "del", "strike"}


def _use_ulem(r: LatexRenderer) -> None:
    # normalem: without it ulem turns every \emph of the document into an underline.
    r.state.use_package("ulem", "normalem")


def close_html(stack: list[str], name: str | None) -> list[str]:
    """Close the HTML tags open on ``stack`` down to ``name`` (all of them for None)."""
    out = []
    while stack:
        top = stack.pop()
        out.append(_HTML_CLOSE.get(top, "}"))
        if top == name:
            break
    return out


def text(r: LatexRenderer, tok: Token) -> str:
    raw = tok["raw"]
    raw = decode_references(raw)  # mistune's tree keeps &copy; as written
    if r.state.ctx.emoji:
        raw = emojify(raw, keep_variation=r.state.escape.unicode_engine)
    if ("www." in raw or "@" in raw) and not r.state.in_link and not r.in_ulem():
        return linkified(r, raw)
    return r.escape(raw)


# Goldmark's linkify (on in Hugo by default): www. addresses and e-mail addresses in the text
# are links on the page (URLs with a scheme are mistune's own autolinks).
_LINKIFY = lazy_pattern(
    r"(?<![\w.@/-])(?P<www>www\.[\w-]+(?:\.[\w-]+)+(?:[/?#][^\s<]*)?)"
    r"|(?<![\w.+-])(?P<mail>[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,})(?![\w@-])")
_TRAILING = lazy_pattern(r"[?!.,:;*_~'\"]+$")


def linkified(r: LatexRenderer, raw: str) -> str:
    """``raw`` escaped, its www. and e-mail addresses made links as on the page (https, as
    Hugo's linkifyProtocol default; trailing punctuation stays text, as in GFM)."""
    out, pos = [], 0
    for m in _LINKIFY.finditer(raw):
        found = m.group(0)
        if m.group("www"):
            found = _TRAILING.sub("", found)
            while found.endswith(")") and found.count(")") > found.count("("):
                found = found[:-1]
        end = m.start() + len(found)
        url = "https://" + found if m.group("www") else "mailto:" + found
        r.state.use_package("hyperref")
        out.append(r.escape(raw[pos:m.start()]))
        out.append(f"\\href{{{escape_url(url)}}}{{{r.escape(found, typographic=False)}}}")
        pos = end
    out.append(r.escape(raw[pos:]))
    return "".join(out)


def literal_text(r: LatexRenderer, tok: Token) -> str:
    return r.escape(tok["raw"], typographic=False)


def emphasis(r: LatexRenderer, tok: Token) -> str:
    return "\\emph{" + r.inlines(tok["children"]) + "}"


def strong(r: LatexRenderer, tok: Token) -> str:
    return "\\textbf{" + r.inlines(tok["children"]) + "}"


def _html_like(tag: str) -> Any:
    """The handler of a Markdown span the page shows as ``<tag>`` (Goldmark's extras):
    set as that inline HTML tag is."""
    ulem = tag in ULEM_TAGS  # (inside ulem's commands some LaTeX is set otherwise)

    def handler(r: LatexRenderer, tok: Token) -> str:
        if ulem:
            _use_ulem(r)
        r.state.ulem_depth += ulem
        inner = r.inlines(tok["children"])
        r.state.ulem_depth -= ulem
        return _HTML_OPEN[tag] + inner + "}"
    return handler


def codespan(r: LatexRenderer, tok: Token) -> str:
    return "\\texttt{" + code_text(r, code_as_shown(r, tok["raw"])) + "}"


def code_text(r: LatexRenderer, raw: str) -> str:
    escaped = escape_code(raw)
    if escaped.isascii():
        return escaped
    return _NON_ASCII.sub(lambda m: r.state.code_character(m.group(0)), escaped)


def softbreak(r: LatexRenderer, tok: Token) -> str:
    return linebreak(r, tok) if r.state.ctx.hard_wraps else "\n"


def linebreak(r: LatexRenderer, tok: Token) -> str:
    return "\\newline\n"


def link(r: LatexRenderer, tok: Token) -> str:
    state = r.state
    url = tok["attrs"]["url"]
    state.in_link += 1  # no link inside a link's own text
    try:
        label = tok.get("_label") or r.inlines(tok["children"])
    finally:
        state.in_link -= 1
    if url.startswith("#"):
        ident = unquote(url[1:])  # Hugo writes non-ASCII ids percent-encoded in links
        if ident in state.plan.known:
            state.use_package("hyperref")
            return f"\\hyperref[{section_label(ident)}]{{{label}}}"
        state.diag.warn(f"link to '#{ident}', but no heading has that id", state.line)
        return label
    if url.startswith(REF_SCHEME):
        return _link_to_page(r, url.removeprefix(REF_SCHEME), label)
    if url.startswith(SHORTCODE_SCHEME) and not (url := destination(r, url)):
        return label
    plain = "".join(c.get("raw", "") for c in tok["children"])
    if plain in (url, url.removeprefix("mailto:")) and len(tok["children"]) == 1:
        if url.startswith("mailto:"):
            state.use_package("hyperref")
            return f"\\href{{{escape_url(url)}}}{{{r.escape(plain)}}}"
        use_url(r)
        return f"\\url{{{escape_url(url)}}}"
    if not re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", url):
        site = state.ctx.permalinks.base_url if state.ctx.permalinks else ""
        if url.startswith("/") and re.match(r"https?://", site):
            url = site.rstrip("/") + url  # a page of the blog, at its address on the web
        elif (page := _own_address(r)) is not None:
            url = urljoin(page, url)  # ../other-post/, data.csv: as the browser resolves it
        else:
            state.diag.warn(f"relative link '{url}' has no target outside the blog (the "
                            "site config names no baseURL); only its text is kept",
                            state.line)
            return label
    state.use_package("hyperref")
    return f"\\href{{{escape_url(url)}}}{{{label}}}"


def _own_address(r: LatexRenderer) -> str | None:
    """The post's own address on the web (its permalink), when the site names its baseURL."""
    permalinks = r.state.ctx.permalinks
    if permalinks is None or not re.match(r"https?://", permalinks.base_url):
        return None
    try:
        return permalinks.url(Path(r.state.ctx.post_path).resolve(), absolute=True)
    except (ValueError, OSError):  # a post outside the site's content folder
        return None


def _link_to_page(r: LatexRenderer, target: str, label: str) -> str:
    """``[text]({{< ref "p" >}})``: a link to that page of the blog (same-page anchors stay
    inside the paper)."""
    target = unquote(target)
    if target.startswith("#"):
        return link(r, {"attrs": {"url": target}, "children": [], "_label": label})
    url = page_url(r, target, absolute=True)
    if not url or not re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", url):
        return label  # no baseURL: there is no address to point at, the text stays
    r.state.use_package("hyperref")
    return f"\\href{{{escape_url(url)}}}{{{label}}}"


def footnote_ref(r: LatexRenderer, tok: Token) -> str:
    state = r.state
    key = tok["raw"]
    label = "fn:" + re.sub(r"[^A-Za-z0-9]", lambda m: f"+{ord(m.group(0)):x}+", key)
    if key in state.footnotes_used:
        # A second reference to the same note points at the first one's number.
        return f"\\textsuperscript{{\\ref{{{label}}}}}"
    state.footnotes_used.add(key)
    children = state.footnotes.get(key, [])
    saved_line = state.line
    body = r.in_argument(lambda: r.blocks(children))
    state.line = saved_line
    return f"\\footnote{{\\label{{{label}}}{body.strip()}}}"


def inline_html(r: LatexRenderer, tok: Token) -> str:
    state = r.state
    raw = tok["raw"]
    if raw.startswith("<!--"):
        return ""
    m = _HTML_TAG.fullmatch(raw.strip())
    if not m:
        state.diag.warn("inline HTML left out: " + raw[:40], state.line)
        return ""
    closing, name, selfclosing = m.group(1), m.group(2).lower(), m.group(3)
    if not state.ctx.raw_html or closing:  # (Goldmark leaves the tags out, not the text)
        return inline_html_tag(r, name, closing, selfclosing)
    ids = HTML_ID.findall(raw)
    if ids and state.heading_targets is not None:
        state.heading_targets += ids[:1]
        ids = []
    target = link_target(ids[0], state.placed_targets) if ids else ""
    if name == "img" and (src := _ATTRIBUTE["src"].search(raw)):
        width = _ATTRIBUTE["width"].search(raw)
        return target + image_in_text(r, src.group(1), width.group(1) if width else None)
    href = _ATTRIBUTE["href"].search(raw) if name == "a" else None
    if href and _SAFE_HREF.match(href.group(1).strip()) and not selfclosing:
        state.use_package("hyperref")
        state.html_stack.append("a")
        return target + f"\\href{{{escape_url(href.group(1).strip())}}}{{"
    return target + inline_html_tag(r, name, closing, selfclosing)


def inline_html_tag(r: LatexRenderer, name: str, closing: str, selfclosing: str) -> str:
    state = r.state
    if name == "br":  # (\mbox{} first: a paragraph that starts with <br> has no line to end)
        return "\\mbox{}\\newline{}"
    if name == "wbr":
        return "\\allowbreak{}"
    if closing:
        return "".join(close_html(state.html_stack, name)) if name in state.html_stack else ""
    if name == "a":  # a link the page does not show, or an anchor (its target is set)
        return ""
    if name not in _HTML_OPEN:
        state.diag.warn(f"inline HTML tag <{name}> left out (its text is kept)", state.line)
        return ""
    if selfclosing:
        return ""
    if name in ULEM_TAGS:
        _use_ulem(r)
    state.html_stack.append(name)
    return _HTML_OPEN[name]


def shortcode(r: LatexRenderer, tok: Token) -> str:
    call = tok["call"]
    r.state.line = tok.get("_line") or r.state.line
    if call.name == "cite":
        if call.closing or not (call.args or call.named):  # a site's <cite>{{ .Inner }}</cite>
            return _wrapping(r, call, _HTML_OPEN["cite"])
        return cite_shortcode(r, call)
    if call.name in ("ref", "relref"):
        if (own := site_ref(r, tok)) is not None:  # the site's own ref replaces Hugo's
            return own
        target = unquote(call.get("path", 0) or "")
        permalink = page_url(r, target, absolute=call.name == "ref")
        return "\\texttt{" + code_text(r, permalink or target) + "}"
    if call.name == "param":
        return param_shortcode(r, call)
    if call.name == "mention":
        return mention(r, call)
    if call.name == "qr":
        return qr_code(r, call, tok.get("inner"))
    if call.name in TRANSPARENT_NAMES:
        return transparent_open(r, call) if not call.closing else ""
    if call.name in ("sup", "sub"):
        command = "\\textsuperscript" if call.name == "sup" else "\\textsubscript"
        return f"{command}{{{r.escape(call.positional(0) or '')}}}"
    if call.name in NOTE_NAMES:
        return _wrapping(r, call, "\\footnote{")  # a side or margin note's content
    if call.name in LINK_NAMES:
        return _link_shortcode(r, call)
    if call.name in STATIC_LINK_NAMES:
        return _static_link(r, call)
    if call.name in ANCHOR_NAMES:
        target = link_target(call.get("name", 0), r.state.placed_targets)
        return target + r.escape(call.get("text", 1) or "")
    if call.name in EMBED_NAMES:
        return embed_link(r, call)
    if call.name in MARK_NAMES:
        return _wrapping(r, call, _HTML_OPEN["mark"])
    if call.name in MEDIA_NAMES:
        return media_link(r, call.name, call.get("src", 0) or "")
    if call.name in PAIRED_NAMES:
        return inline_box(r, call)
    if call.name in ("badge", "kbd"):  # hextra's badge, themes' kbd: their text
        shown = r.escape(call.get("content", 0) or "")
        return f"\\texttt{{{shown}}}" if call.name == "kbd" else shown
    if call.name in ICON_NAMES:
        return ""
    if call.name in WEB_ONLY_NAMES:
        return ""
    if not call.closing and site_image_source(call):  # its content, if paired, follows it
        return site_image_shortcode(r, call)
    return unknown_shortcode(r, tok, block=False)


def _link_shortcode(r: LatexRenderer, call: ShortcodeCall) -> str:
    """``{{< link href content title >}}`` as the Markdown link ``[content](href)``."""
    named = bool(call.named)
    href = (call.get("href") if named else call.positional(0)) or ""
    content = (call.get("content") if named else call.positional(1)) or href
    return link(r, {"type": "link", "children": [{"type": "text", "raw": content}],
                    "attrs": {"url": href}})


def _static_link(r: LatexRenderer, call: ShortcodeCall) -> str:
    """Its text, linked to the site's file at its address on the web (text alone where the
    site config names no baseURL)."""
    base = r.state.ctx.permalinks.base_url if r.state.ctx.permalinks else ""
    if call.closing or not re.match(r"https?://", base):
        return _wrapping(r, call, "{")
    r.state.use_package("hyperref")
    url = base.rstrip("/") + "/" + (call.positional(0) or "").lstrip("/")
    return _wrapping(r, call, f"\\href{{{escape_url(url)}}}{{")


def _wrapping(r: LatexRenderer, call: ShortcodeCall, opening: str) -> str:
    """A paired shortcode whose content goes into ``opening``'s group; the paragraph's end
    closes one the author left open (or closed on a line of its own), as it closes inline
    HTML."""
    stack, tag = r.state.html_stack, "shortcode:" + call.name
    if call.closing:
        return "".join(close_html(stack, tag)) if tag in stack else ""
    stack.append(tag)
    return opening


HANDLERS = {
    "text": text,
    "literal_text": literal_text,
    "emphasis": emphasis,
    "strong": strong,
    "strikethrough": _html_like("del"),
    "superscript": _html_like("sup"), "subscript": _html_like("sub"), "mark": _html_like("mark"),
    "insert": _html_like("ins"),
    "codespan": codespan,
    "softbreak": softbreak,
    "linebreak": linebreak,
    "link": link,
    "footnote_ref": footnote_ref,
    "inline_html": inline_html,
    "shortcode": shortcode,
}
