"""Shortcodes that print values of the page and the site: ``param`` and the web embeds
(``youtube``, ``x``, ``gist``…) as their title and full URL."""

from __future__ import annotations

import difflib
import html
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from mdpaper.errors import MdpaperError
from mdpaper.latex.escape import escape_url
from mdpaper.markdown.link_shortcodes import SHORTCODE_SCHEME, restored_calls
from mdpaper.markdown.shortcodes import TAG, ShortcodeCall, parse_call
from mdpaper.patterns import lazy_pattern
from mdpaper.source.site_templates import Unsupported, expand

if TYPE_CHECKING:  # the renderer imports this module through inline's handler table
    from mdpaper.latex.renderer import LatexRenderer


def param_shortcode(r: LatexRenderer, call: ShortcodeCall) -> str:
    """``{{< param "key" >}}`` (dots for nested keys): the page's value, else the site's, as
    Hugo's ``.Param`` reads them; a key neither has is a located error, as Hugo logs one."""
    value = _param(r, call)
    return r.escape(value) if value is not None else ""


def _param(r: LatexRenderer, call: ShortcodeCall) -> str | None:
    key = (call.get("name", 0) or "").strip()
    ctx = r.state.ctx
    for scope in (ctx.page_params, ctx.site_params):
        value = _dotted(scope, key.lower())
        if value is not None:
            return _as_text(value)
    known = sorted({*ctx.page_params, *ctx.site_params})
    close = difflib.get_close_matches(key.lower(), known, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    r.state.diag.error(f"param '{key}' is set neither in the front matter nor in the site's "
                       f"params{hint}", call.line)
    return None


def destination(r: LatexRenderer, url: str) -> str:
    """A link's or an image's destination as the page has it: a shortcode written there
    (``markdown.link_shortcodes``) is what it prints, "" where mdpaper cannot tell."""
    if not url.startswith(SHORTCODE_SCHEME):
        return url
    call = parse_call(unquote(url.removeprefix(SHORTCODE_SCHEME)), r.state.line)
    return _shortcode_destination(r, call) or ""


def _shortcode_destination(r: LatexRenderer, call: ShortcodeCall) -> str | None:
    """What the shortcode prints; None for one mdpaper cannot tell, with a warning (a link
    keeps only its text)."""
    shown = _printed_text(r, call)
    if shown is None:
        r.state.diag.warn(f"a link's destination is the '{call.name}' shortcode, whose output "
                          "mdpaper cannot tell: only the link's text is kept", r.state.line)
    return shown


def _printed_text(r: LatexRenderer, call: ShortcodeCall) -> str | None:
    """What a shortcode prints, as text: a ``param``'s value, the output of a site template
    mdpaper reads without its tags; None for any other."""
    if call.name == "param":
        return _param(r, call) or ""  # ("" after the located error of a param no one sets)
    if call.name in ("ref", "relref") and call.name not in r.state.ctx.shortcode_files:
        target = unquote(call.get("path", 0) or "")
        return page_url(r, target, absolute=call.name == "ref") or target
    template = r.state.ctx.site_templates.get(call.name)
    if template is not None:
        try:
            shown = expand(template, call.args, call.named, "", lambda text: text)
            return html.unescape(_TAG.sub("", shown)).strip()
        except Unsupported:
            pass
    return None


_TAG = lazy_pattern(r"<[^>]*>")


def code_as_shown(r: LatexRenderer, code: str) -> str:
    """A code block's or code span's text as the page shows it: Hugo runs the shortcodes in
    it too, so a call is what it prints (one mdpaper cannot tell stays as written, with a
    warning), and an escaped call ``{{</* x */>}}`` is shown as ``{{< x >}}``."""
    if "{{" not in code and "hugo-" not in code:
        return code
    code = _printed_calls(r, restored_calls(code))
    for escaped, shown in _ESCAPED_TAGS:
        code = code.replace(escaped, shown)
    return code


#: an escaped call's delimiters, and what the page shows of them
_ESCAPED_TAGS = (("{{</*", "{{<"), ("*/>}}", ">}}"), ("{{%/*", "{{%"), ("*/%}}", "%}}"))


def _printed_calls(r: LatexRenderer, code: str) -> str:

    def printed(m: re.Match[str]) -> str:
        call = parse_call(m.group("body"), r.state.line)
        if call.closing:  # (a closing tag, or an escaped call: shown as written)
            return m.group(0)
        shown = _printed_text(r, call)
        if shown is None:
            r.state.diag.warn(f"the page shows what the '{call.name}' shortcode prints in this "
                              "code block, which mdpaper cannot tell: the call is shown",
                              r.state.line)
            return m.group(0)
        return shown

    return TAG.sub(printed, code)


def _dotted(scope: dict[str, Any], key: str) -> Any:
    value: Any = scope
    for part in key.split(".") if key else [""]:
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _as_text(value: Any) -> str:
    """A value as Go's templates print it (true/false, lists as [a b])."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + " ".join(_as_text(v) for v in value) + "]"
    return str(value)


_EMBED_URLS = {"youtube": "https://www.youtube.com/watch?v={id}",
               "vimeo": "https://vimeo.com/{id}", "x": "https://x.com/{user}/status/{id}",
               "tweet": "https://twitter.com/{user}/status/{id}",
               "instagram": "https://www.instagram.com/p/{id}/",
               "gist": "https://gist.github.com/{user}/{id}",
               "bilibili": "https://www.bilibili.com/video/{id}",
               "youtubeLite": "https://www.youtube.com/watch?v={id}",
               "github": "https://github.com/{id}"}
#: how the page names each embed (else its name, capitalised)
_EMBED_NAMES = {"x": "X", "youtube": "YouTube", "youtubeLite": "YouTube", "github": "GitHub"}


def embed_link(r: LatexRenderer, call: ShortcodeCall) -> str:
    """A web embed as its title and full URL, made from the arguments as Hugo's embedded
    shortcodes make theirs (``user``/``id`` named, or positional)."""
    if call.name == "gist":
        user, ident = call.get("user", 0) or "", call.get("id", 1) or ""
    else:
        user, ident = call.get("user") or "", call.get("id") or call.get("repo", 0) or ""
    if ident.startswith("http"):
        url = ident
    elif ident and (user or "{user}" not in _EMBED_URLS[call.name]):
        url = _EMBED_URLS[call.name].format(user=user, id=ident)
    else:
        url = ""
    name = _EMBED_NAMES.get(call.name, call.name.capitalize())
    title = call.get("title") or call.get("label")
    label = f"{name}, {r.escape(title)}" if title else name
    if not url:
        return f"[{label}]"
    use_url(r)
    return f"[{label}: \\url{{{escape_url(url)}}}]"


def media_link(r: LatexRenderer, kind: str, src: str) -> str:
    """A video or audio player (raw HTML's ``<video>``, a theme's ``video`` shortcode), which
    a paper cannot play: a link to its file stands in, with a warning."""
    r.state.diag.warn(f"<{kind}> cannot be shown on paper; a link to it stands in",
                      r.state.line)
    if not src:
        return f"[{kind}]"
    use_url(r)
    return f"[{kind}: \\url{{{escape_url(src)}}}]"


def use_url(r: LatexRenderer) -> None:
    r.state.use_package("xurl")  # \url that breaks anywhere
    r.state.use_package("hyperref")


def page_url(r: LatexRenderer, target: str, *, absolute: bool) -> str | None:
    """The URL Hugo gives a ``ref``/``relref`` target; a missing page is a located error,
    as Hugo refuses to build then. A same-page ``#anchor`` stays as it is."""
    state = r.state
    permalinks = state.ctx.permalinks
    if permalinks is None or target.startswith("#"):
        return target
    try:
        page = permalinks.find(target, state.ctx.post_path, state.line)
    except MdpaperError as exc:
        state.diag.error(exc.message, state.line)
        return None
    anchor = "#" + target.split("#", 1)[1] if "#" in target else ""
    return permalinks.url(page, absolute=absolute) + anchor
