"""Shortcodes mdpaper does not know (a site's or a theme's own): shown as the page shows
them where the site's template is one mdpaper reads (``source.site_templates``); else left
out, with a warning.

The template's HTML goes to the raw-HTML converter (``latex.html``): a link stays a link, a
title in ``<b>`` stays bold, what the page hides (``<script>``) stays hidden. Its inner text
is what the template makes of it: Markdown through ``markdownify``, HTML as it is. Written
``{{% %}}``, its output is Markdown, whose HTML a site that does not render raw HTML leaves
out: there, output with HTML is left out as before, as where the template leaves the
subset.

A ``tikz``/``tikzjax`` shortcode without such a template is TikZJax's picture
(``latex.tikz``).

Each use left out is told where it stands (``Diagnostics.in_line_order`` folds a name's uses
into one warning naming the other lines: a theme's shortcode is often used dozens of times
in a post). A paired one (closed somewhere) keeps its content, and its warning says so: only
what its template adds around it (a title, a label, a box) is missing from the paper.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from mdpaper.latex.figures import parse_inline_markdown
from mdpaper.latex.headings import section_label
from mdpaper.latex.html import hold, html_latex
from mdpaper.latex.state import RenderState
from mdpaper.latex.tikz import tikz_shortcode
from mdpaper.markdown.shortcodes import TAG as SHORTCODE_TAG
from mdpaper.markdown.shortcodes import (
    TIKZ_NAMES,
    ShortcodeCall,
    matching_close,
    parse_call,
)
from mdpaper.patterns import lazy_pattern
from mdpaper.source.site_templates import Markdownify, TemplateStops, Unsupported, expand

if TYPE_CHECKING:  # the renderer imports the handler modules that use this one
    from mdpaper.latex.renderer import LatexRenderer

Token = dict[str, Any]
_TAG = lazy_pattern(r"<[A-Za-z/!?]")


def unknown_shortcode(r: LatexRenderer, tok: Token, *, block: bool) -> str:
    """A shortcode mdpaper does not know: as its site template shows it, or left out (its
    content kept, when it is paired)."""
    shown = site_shortcode(r, tok, block=block)
    if shown is not None:
        return shown
    call = tok["call"]
    if call.name in TIKZ_NAMES and "inner" in tok:  # no template mdpaper reads: TikZJax's
        return tikz_shortcode(r, tok, block=block)
    if (ident := statement_reference(call, r.state)) is not None:
        return place_link(r, ident)
    note_unknown_shortcode(r.state, call)
    if "inner" not in tok:
        return ""
    r.state.closed_unknown.add(call.name)  # (its closing tag was read with it)
    if block:
        return r.blocks(tok["children"])
    return r.inlines(parse_inline_markdown(r, tok["inner"], tok.get("inner_line")))


def site_shortcode(r: LatexRenderer, tok: Token, *, block: bool) -> str | None:
    """The LaTeX of what the site's template makes of the call, or None where mdpaper does
    not read the template (or the page leaves its output out)."""
    call: ShortcodeCall = tok["call"]
    template = r.state.ctx.site_templates.get(call.name)
    if template is None or call.closing:
        return None
    inner: str = tok.get("inner", "")
    held: list[str] = []
    rendered: list[str] = []  # the inner text's mark, once rendered

    def markdownify(text: str) -> str:
        if text in rendered:
            return text
        if block and text == inner and "children" in tok:
            return hold(held, r.blocks(tok["children"]))
        line = tok.get("inner_line") if text == inner else call.line
        return hold(held, r.inlines(parse_inline_markdown(r, text, line)))

    if tok.get("markdown") and inner.strip():  # {{% %}}: Goldmark reads the inner Markdown
        rendered.append(markdownify(inner))
    try:
        output = expand(template, call.args, call.named, rendered[0] if rendered else inner,
                        markdownify)
        if not rendered and SHORTCODE_TAG.search(output):  # .Inner printed as it is: Hugo
            # gives it with the calls in it rendered (through markdownify, the block parser
            # has read them already: tok["children"])
            output = expand(template, call.args, call.named,
                            _calls_expanded(r, inner, markdownify), markdownify)
    except TemplateStops as stop:  # the page's build fails there too
        r.state.diag.error(f"the site's '{call.name}' shortcode ({template.path.name}) stops "
                           f"Hugo's build here: {stop}", call.line or r.state.line)
        return ""
    except Unsupported:
        return None
    if tok.get("markdown") and not r.state.ctx.raw_html and _TAG.search(output):
        return None  # Goldmark leaves its HTML out: which text stays is not told here
    return html_latex(r, output, held, call.line)


#: how deep site templates may nest in one another's inner text
_MAX_NESTING = 8


def _calls_expanded(r: LatexRenderer, inner: str, markdownify: Markdownify,
                    depth: int = 0) -> str:
    """``inner`` as Hugo gives it to the template as ``.Inner``: the calls of site templates
    in it already expanded to their HTML (a list template around item templates). A call of
    any other shortcode is Unsupported: the outer one is then left out around its content,
    where each call inside is shown on its own."""
    if "{{" not in inner:
        return inner
    out, pos = [], 0
    while m := SHORTCODE_TAG.search(inner, pos):
        call = parse_call(m.group("body"))
        template = r.state.ctx.site_templates.get(call.name)
        if template is None or call.closing or depth >= _MAX_NESTING:
            raise Unsupported(call.name)
        close = matching_close(inner, m.end(), call.name)
        own, end = (inner[m.end():close[0]], close[1]) if close else ("", m.end())
        out.append(inner[pos:m.start()])
        out.append(expand(template, call.args, call.named,
                          _calls_expanded(r, own, markdownify, depth + 1), markdownify))
        pos = end
    return "".join(out) + inner[pos:]


def site_ref(r: LatexRenderer, tok: Token) -> str | None:
    """``ref``/``relref`` where the site defines its own (Hugo uses it, not its built-in):
    as its template shows it, when mdpaper reads it; else a link to the place in the post
    its argument names (a statement: "Theorem 3"), else its argument, with a warning.
    None where the site has no template of its own."""
    call: ShortcodeCall = tok["call"]
    if call.name in r.state.ctx.site_templates:
        return unknown_shortcode(r, tok, block=False)
    template = r.state.ctx.shortcode_files.get(call.name)
    if template is None:
        return None
    ident = call.get("path", 0) or ""
    if ident not in r.state.plan.known:
        r.state.diag.warn(f"the site's own '{call.name}' shortcode ({template.name}) is not "
                          f"one mdpaper reads, and '{ident}' is no place in this post: its "
                          "argument is shown", call.line or r.state.line)
        return r.escape(ident)
    return place_link(r, ident)


def place_link(r: LatexRenderer, ident: str) -> str:
    """A link to the place ``ident`` of this post, shown as its number ("Theorem 3")."""
    label = section_label(ident)
    kind = r.state.plan.statements.get(ident)
    r.state.use_package("hyperref")
    shown = f"{kind.capitalize()}~\\ref*{{{label}}}" if kind else f"\\ref*{{{label}}}"
    return f"\\hyperref[{label}]{{{shown}}}"


def statement_reference(call: ShortcodeCall, state: RenderState) -> str | None:
    """The statement a shortcode mdpaper does not know refers to: its one argument is the
    id of a theorem-like statement of this post (``{{< thmref "thm-main" >}}``, a site's
    cross-reference shortcode, which the page shows as a link to it, "Theorem 1")."""
    ident = call.get("id", 0)
    if call.closing or ident is None or len(call.args) + len(call.named) != 1:
        return None
    return ident if ident in state.plan.statements else None


def note_unknown_shortcode(state: RenderState, call: ShortcodeCall) -> None:
    """Tell a use of a shortcode mdpaper leaves out (remember a closing tag's name)."""
    if call.closing:
        state.closed_unknown.add(call.name)
    else:
        state.diag.warn(_left_out(call.name), call.line or state.line)


def _left_out(name: str) -> str:
    return f"unknown shortcode '{name}' left out"


def report_unknown_shortcodes(state: RenderState) -> None:
    """The warnings of the paired ones, once the whole post has shown which are closed."""
    paired = {_left_out(name): name for name in state.closed_unknown}
    items = state.diag.items
    for i, item in enumerate(items):
        if item.message in paired:
            items[i] = replace(item, message=item.message + " around its content (the "
                               "content is kept)")
