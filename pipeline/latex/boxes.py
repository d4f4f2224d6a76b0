"""Titled boxes: admonition shortcodes (``{{% notice %}}``, ``details``…), GitHub-style alerts
and HTML ``<details>`` all become one framed ``mdpaperbox`` with its title."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from mdpaper.latex.escape import escape_url
from mdpaper.markdown.shortcode_names import TITLE_FIRST_NAMES
from mdpaper.markdown.shortcodes import ShortcodeCall
from mdpaper.patterns import lazy_pattern

if TYPE_CHECKING:  # the renderer imports the handler modules that use this one
    from mdpaper.latex.renderer import LatexRenderer

Token = dict[str, Any]

#: The box environment, titled by its argument. A float cannot sit in framed's box ("Not in
#: outer par mode"), so inside it a figure is set where it stands, still captioned and
#: numbered (\caption works wherever \@captype is set). First in a quote or a list item
#: (its label not yet set), framed stops the build ("perhaps a missing \item"): the label's
#: line is started (a bullet stands on it), and the box moved up by a line. framed's box
#: drops the text of a footnote inside it (the mark stays): footnotehyper's savenotes sets
#: them below the page as the box ends.
BOX_ENVIRONMENT = ("\\newenvironment{mdpaperbox}[1]{\\csname if@inlabel\\endcsname"
                   "\\leavevmode\\vspace*{-\\baselineskip}\\fi\\begin{savenotes}"
                   "\\begin{framed}"
                   "\\renewenvironment{figure}[1][]{\\par\\medskip\\centering"
                   "\\expandafter\\def\\csname @captype\\endcsname{figure}}{\\par\\medskip}"
                   "\\noindent"
                   "\\if\\relax\\detokenize{#1}\\relax\\else\\textbf{#1}\\ \\fi}"
                   "{\\end{framed}\\end{savenotes}}")
#: Box shortcodes a theme titles only with a title the author gives: hugo-book's hint,
#: hextra's callout, Docsy's and Blowfish's alert (whose argument is a colour or an icon).
UNTITLED_NAMES = {"hint", "callout", "alert"}


def use_box(r: LatexRenderer) -> None:
    r.state.use_package("framed")
    r.state.use_package("footnotehyper")
    r.state.define("mdpaperbox", BOX_ENVIRONMENT)


def open_box(r: LatexRenderer, title: str) -> str:
    """The opening of a box; ``title`` is LaTeX already. The title runs into the box's text
    after a period, unless it ends in punctuation of its own ("Why?", "Proof.")."""
    use_box(r)
    if title.strip() and not _PUNCTUATED.search(title):
        title += "."
    return f"\\begin{{mdpaperbox}}{{{title}}}"


#: a title ending in a mark of its own, Latin or CJK (inside LaTeX's closing braces too)
_PUNCTUATED = lazy_pattern(r"[.?!:;…。？！：；][\s}]*$")


def box(r: LatexRenderer, title: str, body: str) -> str:
    """A whole box around ``body``; ``title`` is LaTeX already."""
    return f"{open_box(r, title)}\n{body}\n{CLOSE_BOX}"


CLOSE_BOX = "\\end{mdpaperbox}"


def box_title(call: ShortcodeCall) -> str:
    """The title a theme shows on a box shortcode: one the author wrote, exactly as written;
    else its kind (``{{% notice warning %}}``) or name, capitalised as themes label them;
    none for the shortcodes themes leave untitled."""
    written = written_title(call)
    if written:
        return written
    if call.name in UNTITLED_NAMES:
        return ""
    kind = call.get("type") or call.get("style") or call.positional(0) or call.name
    return kind.capitalize()


def written_title(call: ShortcodeCall) -> str | None:
    """The title the author gave a box shortcode, if any."""
    # (Hugo Blox's spoiler: its text= is what the closed box shows)
    written = (call.get("title") or call.get("summary") or call.get("header")
               or call.named.get("text"))
    if written is None:
        # notice/admonition take (kind, title, icon); details, tab take (title); an
        # alert's arguments are an icon or a colour, never its title
        if call.name in UNTITLED_NAMES:
            return None
        written = call.positional(0 if call.name in TITLE_FIRST_NAMES else 1)
    return written


def inline_box(r: LatexRenderer, call: ShortcodeCall) -> str:
    """A box shortcode written inside a paragraph (``{{< tab >}}text{{< /tab >}}``): its
    content stays in the text, after its title in bold where the author gave one."""
    title = None if call.closing else shown_title(r, call)
    return f"\\textbf{{{r.escape(title)}}} " if title else ""


def shown_title(r: LatexRenderer, call: ShortcodeCall) -> str:
    """A box's title; a tab without one takes the next label its tabs gave (hextra's
    ``{{< tabs items="JSON,YAML" >}}``)."""
    labels = r.state.tab_labels
    if call.name == "tab" and not written_title(call) and labels:
        return labels.pop(0)
    return box_title(call)


def note_tab_labels(r: LatexRenderer, call: ShortcodeCall) -> None:
    """Remember the tab labels a tabs shortcode lists, for its tabs to take in turn."""
    if call.name == "tabs" and call.get("items"):
        r.state.tab_labels = [label.strip() for label in (call.get("items") or "").split(",")]


def card(r: LatexRenderer, call: ShortcodeCall) -> str:
    """hextra's ``{{< card link title subtitle >}}``: its title and subtitle, and the
    address it links to where that is a web address."""
    title = r.escape(call.get("title") or "")
    parts = [f"\\textbf{{{title}}}" if title else "", r.escape(call.get("subtitle") or "")]
    link = call.get("link") or ""
    if link.startswith(("http://", "https://")):
        r.state.use_package("hyperref")
        parts.append(f"\\url{{{escape_url(link)}}}")
    return "\\par\\noindent " + " --- ".join(p for p in parts if p) if any(parts) else ""


def transparent_open(r: LatexRenderer, call: ShortcodeCall) -> str:
    """A layout shortcode shows only its content; a button's link is kept beside it."""
    href = call.get("href") or call.get("url") or call.get("link")
    if call.name == "button" and href:
        return f"\\footnote{{\\url{{{escape_url(href)}}}}}"
    return ""


_DETAILS_OPEN = lazy_pattern(r"<details\b", re.IGNORECASE)
_DETAILS_CLOSE = lazy_pattern(r"</details\s*>", re.IGNORECASE)


def _details_balance(tok: Token) -> int:
    # (a paragraph may close the box: "Text.</details>" ends its last line on real pages)
    raw = tok["raw"] if tok["type"] == "block_html" else dict.get(tok, "text")
    if not isinstance(raw, str) or tok["type"] not in ("block_html", "paragraph"):
        return 0
    return len(_DETAILS_OPEN.findall(raw)) - len(_DETAILS_CLOSE.findall(raw))


def _split_details(tokens: list[Token]) -> None:
    """A block that closes one box and opens the next (``</details>`` then ``<details>``
    on the following line, no blank between): two blocks, so each box ends where it does."""
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        raw = tok["raw"] if tok["type"] == "block_html" else ""
        close = _DETAILS_CLOSE.search(raw)
        if close and _DETAILS_OPEN.search(raw, close.end()):
            tokens[i:i + 1] = [{**tok, "raw": raw[:close.end()]},
                               {**tok, "raw": raw[close.end():]}]
        i += 1


def _closed_within(tokens: list[Token]) -> bool:
    """Whether a ``</details>`` stands in these blocks' text at any depth (in a list item's
    paragraph, say): the box closes there on the page, where no block ends it here."""
    for tok in tokens:
        for key in ("raw", "text"):
            value = dict.get(tok, key)
            if isinstance(value, str) and _DETAILS_CLOSE.search(value):
                return True
        children = dict.get(tok, "children")
        if isinstance(children, list) and _closed_within(children):
            return True
    return False


def group_details(tokens: list[Token]) -> None:
    """An HTML block that opens ``<details>`` and a later one that closes it, with Markdown
    between (``<details><summary>S</summary>``, a blank line, text, ``</details>``): one
    ``details_html`` token holding them, so the box holds what the browser folds in it
    (never closed, to the end of its container, as the browser reads it)."""
    _split_details(tokens)
    i = 0
    while i < len(tokens):
        if tokens[i]["type"] != "block_html" or _details_balance(tokens[i]) <= 0:
            i += 1
            continue
        depth, j = _details_balance(tokens[i]), i + 1
        while j < len(tokens) and depth > 0:
            depth += _details_balance(tokens[j])
            j += 1
        if depth > 0 and _closed_within(tokens[i + 1:]):
            i += 1  # (closed inside a block: the box stays the HTML block's own)
            continue
        closing = tokens[j - 1] if depth <= 0 and tokens[j - 1]["type"] == "block_html" else None
        children = tokens[i + 1:j - 1] if closing else tokens[i + 1:j]
        tokens[i:j] = [{"type": "details_html", "_line": tokens[i].get("_line"),
                        "open": tokens[i]["raw"], "children": children,
                        "close": closing["raw"] if closing else ""}]
        i += 1
