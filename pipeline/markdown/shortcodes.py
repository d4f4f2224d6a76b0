"""Hugo shortcodes: lexing ``{{< name args >}}`` / ``{{% name args %}}`` and what each one is.

The patterns are used by the Markdown parser (inline and one-per-line block forms); the
LaTeX renderer dispatches on ``ShortcodeCall.name``. Quoted arguments follow Hugo: "double"
with backslash escapes, `raw backticks`, or bare words; ``key=value`` pairs are named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# One argument token: a quoted string, a raw string, or anything up to the closing delimiter.
_ARG_TEXT = r'(?:"(?:[^"\\\n]|\\.)*"|`[^`]*`|[^"`>%}]|[>%](?!\}\}))*?'

INLINE_PATTERN = (
    r"\{\{(?P<sc_edelim>[<%])/\*(?P<sc_escaped>[\s\S]*?)\*/[>%]\}\}"
    r"|\{\{[<%](?P<sc_body>" + _ARG_TEXT + r")[>%]\}\}"
)

BLOCK_PATTERN = (
    # {{< highlight lang opts >}} ... {{< /highlight >}} holds code, not Markdown.
    r"^ {0,3}\{\{[<%]\s*highlight\b(?P<hl_args>[^\n]*?)[>%]\}\}[ \t]*\n"
    r"(?P<hl_code>[\s\S]*?)^ {0,3}\{\{[<%]\s*/highlight\s*[>%]\}\}[ \t]*(?:\n|$)"
    r"|^ {0,3}\{\{[<%](?!/\*)(?P<bsc_body>" + _ARG_TEXT + r")[>%]\}\}[ \t]*(?:\n|$)"
)

_ARG = re.compile(
    r'\s*(?:(?P<key>[A-Za-z_][\w-]*)\s*=\s*)?'
    r'(?:"(?P<dq>(?:[^"\\]|\\.)*)"|`(?P<raw>[^`]*)`|(?P<bare>[^\s"`]+))'
)

#: Shortcodes that stand alone as a block (figure, bibliography) or wrap Markdown.
BLOCK_NAMES = {"figure", "bibliography", "toc"}
PAIRED_NAMES = {"notice", "note", "tip", "warning", "info", "details", "alert", "callout",
                "admonition", "hint", "important", "caution", "aside", "expand", "tab",
                "spoiler"}
#: Paired shortcodes of common themes that only lay out their content (tabs, columns,
#: centring) or dress it as a button: the page shows the content, and so does the paper.
TRANSPARENT_NAMES = {"tabs", "columns", "column", "center", "button", "div", "section"}
#: Box shortcodes whose first positional argument is their title (not their kind).
TITLE_FIRST_NAMES = {"details", "tab", "expand", "spoiler"}
#: Web embeds a paper cannot show; rendered as a link with a warning.
EMBED_NAMES = {"youtube", "vimeo", "tweet", "x", "instagram", "gist"}
INLINE_NAMES = {"cite", "ref", "relref", "param", "sup", "sub"}
#: Shortcodes only the web page shows (the page's link to its own PDF): left out silently.
WEB_ONLY_NAMES = {"paper-pdf"}
KNOWN_NAMES = (BLOCK_NAMES | PAIRED_NAMES | TRANSPARENT_NAMES | EMBED_NAMES | INLINE_NAMES
               | WEB_ONLY_NAMES | {"highlight", "comment"})


@dataclass
class ShortcodeCall:
    name: str
    args: list[str] = field(default_factory=list)
    named: dict[str, str] = field(default_factory=dict)
    closing: bool = False
    line: int | None = None
    source: str = ""

    def positional(self, index: int) -> str | None:
        return self.args[index] if index < len(self.args) else None

    def get(self, key: str, index: int | None = None) -> str | None:
        if key in self.named:
            return self.named[key]
        return self.positional(index) if index is not None else None


def parse_call(body: str, line: int | None = None) -> ShortcodeCall:
    """Parse the inside of ``{{< … >}}`` into name, positional and named arguments."""
    text = body.strip()
    closing = text.startswith("/")
    text = text.lstrip("/").strip()
    m = re.match(r"[\w.-]+", text)
    name = m.group(0) if m else ""
    call = ShortcodeCall(name=name, closing=closing, line=line, source=body.strip())
    pos = m.end() if m else 0
    while pos < len(text):
        am = _ARG.match(text, pos)
        if not am or am.end() == pos:
            break
        pos = am.end()
        if am.group("dq") is not None:
            value = re.sub(r"\\(.)", r"\1", am.group("dq"))
        elif am.group("raw") is not None:
            value = am.group("raw")
        else:
            value = am.group("bare")
        if am.group("key"):
            call.named[am.group("key")] = value
        else:
            call.args.append(value)
    return call


def is_block(call: ShortcodeCall) -> bool:
    return (call.name in BLOCK_NAMES or call.name in PAIRED_NAMES or call.name in EMBED_NAMES
            or call.name in TRANSPARENT_NAMES or call.name not in KNOWN_NAMES)


def is_paired(call: ShortcodeCall) -> bool:
    return call.name in PAIRED_NAMES or call.name in TRANSPARENT_NAMES


_COMMENT = re.compile(r"\{\{([<%])\s*comment\s*[>%]\}\}(?P<inner>[\s\S]*?)"
                      r"\{\{[<%]\s*/comment\s*[>%]\}\}")
_COMMENT_OPEN = re.compile(r"\{\{[<%]\s*comment\s*[>%]\}\}")


def hide_comments(body: str) -> tuple[str, list[int]]:
    """Hugo's ``{{% comment %}}…{{% /comment %}}``: the page shows nothing of it, so neither
    does the paper. Hugo expands shortcodes before Markdown, so this runs on the text first,
    code blocks included (as Hugo does). The comment's line breaks are kept, so every later
    line keeps its number. Returns the text and the lines (0-based, in ``body``) of comments
    that are never closed, which Hugo refuses to build."""

    def blank(m: re.Match[str]) -> str:
        return "\n" * m.group(0).count("\n")

    hidden = _COMMENT.sub(blank, body)
    unclosed = [hidden.count("\n", 0, m.start()) for m in _COMMENT_OPEN.finditer(hidden)]
    return hidden, unclosed
