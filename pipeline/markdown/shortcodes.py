"""Hugo shortcodes: lexing ``{{< name args >}}`` / ``{{% name args %}}`` and what each one is.

The patterns are used by the Markdown parser (inline and one-per-line block forms); the
LaTeX renderer dispatches on ``ShortcodeCall.name``. Quoted arguments follow Hugo: "double"
with backslash escapes, `raw backticks`, or bare words; ``key=value`` pairs are named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from mistune import BlockParser, BlockState
from mistune.helpers import BLOCK_TAGS, PRE_TAGS

from mdpaper.markdown.math_syntax import MATH_ENVS, text_with_math
from mdpaper.markdown.shortcode_names import (
    BLOCK_NAMES,
    EMBED_NAMES,
    KNOWN_NAMES,
    PAIRED_NAMES,
    QUOTE_NAMES,
    TRANSPARENT_NAMES,
)
from mdpaper.patterns import lazy_pattern
from mdpaper.source.site_shortcodes import MathWrapping

# One argument token: a quoted string, a raw string, or anything up to the closing delimiter.
ARG_TEXT = r'(?:"(?:[^"\\\n]|\\.)*"|`[^`]*`|[^"`>%}]|[>%](?!\}\}))*?'

#: TikZJax's picture shortcodes (a site's template writes ``<script type="text/tikz">``).
TIKZ_NAMES = ("tikzjax", "tikz")
#: Paired shortcodes whose inner text is not Markdown: code, math, a diagram's source, a
#: chart's settings.
RAW_NAMES = ("highlight", "katex", "math", "mermaid", "qr", "chart", *TIKZ_NAMES)


def _raw_pair(prefix: str) -> str:
    # The inner text ends at the first closing tag, as Hugo pairs them: never past it to a
    # later one that ends a line (a line opening with an inline katex took the paragraphs
    # up to the next display's closing tag as one formula).
    close = r"\{\{[<%]\s*/\s*(?P=" + prefix + r"name)\s*[>%]\}\}"
    return (r"\{\{[<%]\s*(?P<" + prefix + "name>" + "|".join(RAW_NAMES) + r")\b(?P<" + prefix
            + "args>" + ARG_TEXT + r")(?<!/)[>%]\}\}(?P<" + prefix + r"inner>(?:(?!" + close
            + r")[\s\S])*?)" + close)


INLINE_PATTERN = (
    r"\{\{(?P<sc_edelim>[<%])/\*(?P<sc_escaped>[\s\S]*?)\*/[>%]\}\}"
    r"|" + _raw_pair("sc_raw_")
    + r"|\{\{[<%](?P<sc_body>" + ARG_TEXT + r")[>%]\}\}"
)

BLOCK_PATTERN = (
    # {{< highlight go >}}…{{< /highlight >}}, katex, math, mermaid: their inner text is
    # not Markdown (code may start on the opening shortcode's own line, as Hugo allows)
    r"^ {0,3}" + _raw_pair("bsc_raw_") + r"[ \t]*(?:\n|$)"
    r"|^ {0,3}\{\{[<%](?!/\*)(?P<bsc_body>" + ARG_TEXT + r")[>%]\}\}[ \t]*(?:\n|$)"
)

_ARG = lazy_pattern(
    r'\s*(?:(?P<key>[A-Za-z_][\w-]*)\s*=\s*)?'
    r'(?:"(?P<dq>(?:[^"\\]|\\.)*)"|`(?P<raw>[^`]*)`|(?P<bare>[^\s"`]+))'
)

#: A shortcode's tag, wherever it stands (``parse_call`` reads its body; an escaped
#: ``{{</* … */>}}`` reads as a closing tag)
TAG = lazy_pattern(r"\{\{[<%](?P<body>" + ARG_TEXT + r")[>%]\}\}")
#: A shortcode's name: a template's path under the shortcode folder, without ``.html``
#: (``{{< boxes/square >}}`` is ``layouts/_shortcodes/boxes/square.html``).
NAME = lazy_pattern(r"[\w.-]+(?:/[\w.-]+)*")


@dataclass
class ShortcodeCall:
    name: str
    args: list[str] = field(default_factory=list)
    named: dict[str, str] = field(default_factory=dict)
    closing: bool = False
    line: int | None = None
    source: str = ""
    #: written ``{{< name … />}}``: no inner text and no closing tag follow
    self_closing: bool = False

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
    self_closing = text.endswith("/")  # {{< qr text="x" />}}
    if self_closing:
        text = text[:-1].rstrip()
    m = NAME.match(text)
    name = m.group(0) if m else ""
    call = ShortcodeCall(name=name, closing=closing, line=line, source=body.strip(),
                         self_closing=self_closing)
    pos = m.end() if m else 0
    while pos < len(text):
        am = _ARG.match(text, pos)
        if not am or am.end() == pos:
            break
        pos = am.end()
        if am.group("dq") is not None:
            value = _quoted_value(am.group("dq"))
        elif am.group("raw") is not None:
            value = am.group("raw")
        else:
            value = am.group("bare")
        if am.group("key"):
            call.named[am.group("key")] = value
        else:
            call.args.append(value)
    return call


def _quoted_value(text: str) -> str:
    """A double-quoted argument as Hugo's lexer hands it to the template: as written
    (``caption="$\\sigma$"`` keeps its backslash), except that a value holding an escaped
    quote loses every backslash (``"say \\"hi\\" \\(x\\)"`` is ``say "hi" (x)``)."""
    return text.replace("\\", "") if '\\"' in text else text


def is_block(call: ShortcodeCall) -> bool:
    return (call.name in BLOCK_NAMES or is_paired(call) or call.name in EMBED_NAMES
            or call.name not in KNOWN_NAMES)


def is_paired(call: ShortcodeCall) -> bool:
    return call.name in PAIRED_NAMES or call.name in TRANSPARENT_NAMES or call.name in QUOTE_NAMES


#: Theorem-like blocks of mathematical blogs: a site's ``{{< lemma title="…" >}}`` or a
#: generic ``{{% env type="lemma" %}}`` (``math-env type = "Claim"``) around the statement;
#: the page shows it titled ("Lemma 2 (Forward)"), the paper as amsthm's environment.
THEOREM_KINDS = ("theorem", "lemma", "proposition", "corollary", "conjecture", "claim",
                 "axiom", "definition", "example", "exercise", "problem", "question",
                 "assumption", "notation", "remark", "observation", "fact", "solution",
                 "answer", "proof")
#: kinds a site's generic statement shortcode may name (``{{% env type="note" %}}``) that
#: are shortcodes of their own elsewhere (admonitions): never a statement by their name
TYPE_ONLY_KINDS = ("note", "convention", "warning")


def theorem_kind(call: ShortcodeCall) -> str | None:
    """The theorem-like kind a shortcode stands for (its name, or the ``type`` of a site's
    own generic one), or None. A generic ``theorem`` whose first argument is a kind
    (``{{< theorem proposition >}}``) stands for that kind: such a site's template titles
    the box with it ("Proposition"), its second argument the statement's name."""
    if call.name == "theorem" and (first := kind_argument(call)) is not None:
        return first
    if call.name in THEOREM_KINDS:
        return call.name
    kind = (call.get("type") or "").strip().lower()
    known = kind in THEOREM_KINDS or kind in TYPE_ONLY_KINDS
    return kind if known and call.name not in KNOWN_NAMES else None


def kind_argument(call: ShortcodeCall) -> str | None:
    """The kind a generic ``theorem`` shortcode names as its first argument, or None."""
    first = (call.positional(0) or "").strip().lower()
    return first if first in THEOREM_KINDS else None


def theorem_id(call: ShortcodeCall) -> str | None:
    """The id a theorem-like shortcode gives its statement (themes name it ``id`` or
    ``label``: their templates write it as the element's ``id``, a link target)."""
    return call.get("id") or call.get("label")


def _tags(name: str) -> re.Pattern[str]:
    """The opening, closing and self-closing tags of shortcode ``name``."""
    return re.compile(r"\{\{[<%]\s*(?P<close>/\s*)?" + re.escape(name) + r"(?![\w./-])"
                      + ARG_TEXT + r"(?P<self>/)?[>%]\}\}")


def matching_close(text: str, start: int, name: str) -> tuple[int, int] | None:
    """Where the closing tag of shortcode ``name`` opened just before ``start`` begins and
    ends (the same name opened again inside nests), or None when it is never closed."""
    depth = 1
    for m in _tags(name).finditer(text, start):
        depth += -1 if m.group("close") else 0 if m.group("self") else 1
        if depth == 0:
            return m.start(), m.end()
    return None


def left_open(text: str, name: str) -> bool:
    """Whether ``text`` opens shortcode ``name`` and does not close it."""
    depth = 0
    for m in _tags(name).finditer(text):
        depth += -1 if m.group("close") else 0 if m.group("self") else 1
    return depth > 0


def site_pair(call: ShortcodeCall, src: str, m: re.Match[str],
              env: Any) -> tuple[dict[str, Any], int] | None:
    """The inner text of a paired shortcode the site's own template renders
    (``source.site_templates``; the renderer expands it) and where its closing tag ends;
    None for other shortcodes (mdpaper's own win over a site template of the same name)."""
    if (call.closing or call.name not in env.get("site_templates", ()) or call.name in KNOWN_NAMES
            or call.name in RAW_NAMES or theorem_kind(call) is not None
            or call.name not in env.get("closed", ())):  # (never closed: no scan to the end)
        return None
    close = matching_close(src, m.end(), call.name)
    if close is None:
        return None
    return {"inner": src[m.end():close[0]]}, close[1]


_CLOSING_NAME = lazy_pattern(r"\{\{[<%]\s*/\s*(" + NAME.pattern + ")")


def closed_names(body: str) -> set[str]:
    """The names of the shortcodes the text closes somewhere (paired ones)."""
    return set(_CLOSING_NAME.findall(body)) if "{{" in body else set()


_COMMENT = lazy_pattern(r"\{\{([<%])\s*comment\s*[>%]\}\}(?P<inner>[\s\S]*?)"
                        r"\{\{[<%]\s*/comment\s*[>%]\}\}")
_COMMENT_OPEN = lazy_pattern(r"\{\{[<%]\s*comment\s*[>%]\}\}")


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


_TRUE = {"true", "1", "yes", "display", "block"}
_MATH_ENV = lazy_pattern(r"\\begin\{(\w+\*?)\}[\s\S]*\\end\{\1\}")
#: the environments that are display math themselves, as in a post's Markdown
_DISPLAY_ENV = lazy_pattern(r"\\begin\{(" + MATH_ENVS + r")\}[\s\S]*\\end\{\1\}")


def raw_pair_token(m: re.Match[str], prefix: str, line: int | None, *,
                   inline: bool) -> dict[str, Any] | None:
    """The token a paired raw shortcode (``RAW_NAMES``, matched with ``prefix``) stands for:
    code, a code span, math or a diagram's source; None where the line is a paragraph's
    (an inline highlight alone on its line)."""
    name, inner = m.group(prefix + "name"), m.group(prefix + "inner")
    call = parse_call(name + " " + m.group(prefix + "args"), line)
    if name == "highlight":
        options = call.positional(1) or ",".join(f"{k}={v}" for k, v in call.named.items())
        if "hl_inline=true" in options.replace(" ", "").lower():
            # Hugo's inline highlighting: a code span in the text
            return {"type": "codespan", "raw": inner.strip()} if inline else None
        if inline:
            return {"type": "codespan", "raw": inner.strip("\n")}
        lang = call.positional(0) or ""
        # its options ("linenos=table,hl_lines=8 15-17") in a fence's form: lang {options}
        info = f"{lang} {{{options}}}" if options else lang
        return {"type": "block_code", "raw": inner.strip("\n"), "attrs": {"info": info}}
    if name in ("qr", "chart") or name in TIKZ_NAMES:  # what to encode, or draw
        return {"type": "shortcode" if inline else "shortcode_block", "call": call,
                "inner": inner}
    if name == "mermaid":
        if inline:
            return {"type": "codespan", "raw": inner.strip()}
        return {"type": "block_code", "raw": inner.strip("\n"), "attrs": {"info": "mermaid"}}
    display = any(a.lower() in _TRUE for a in call.args) or (
        call.named.get("display", "false").lower() in _TRUE)
    token = _math_token(inner.strip(), display=display, strip_delimiters=name == "math",
                        inline=inline)
    _mark_shortcode_math(token)
    return token


def _mark_shortcode_math(token: dict[str, Any]) -> None:
    """Flags the formulas a math shortcode holds: Hugo hands its inner text to the page as
    it is, but where the call stands inside another shortcode whose template renders its
    content as Markdown (a spoiler, a callout), Goldmark reads the formulas too
    (``latex.math``)."""
    if token["type"] in ("inline_math", "block_math"):
        token["shortcode_math"] = True
    for child in token.get("children", ()):
        _mark_shortcode_math(child)


def _math_token(text: str, *, display: bool, strip_delimiters: bool,
                inline: bool) -> dict[str, Any]:
    """katex shortcodes hold a bare formula; theme math shortcodes hold it with its
    delimiters ($…$, $$…$$, \\(…\\), \\[…\\]) or as a LaTeX environment, which is how the
    page's MathJax finds it (without any, MathJax shows the text as it is; a site's own
    template that adds them: ``as_math_shortcodes``). Either may hold text with formulas in
    it (``$m_1$ and $m_2$``): the page's renderer finds those."""
    env = bool(_MATH_ENV.fullmatch(text))
    parts = [] if env else text_with_math(text, None)
    if len(parts) == 1 and parts[0]["type"] != "text":  # one formula in its delimiters
        text, display = parts[0]["raw"], parts[0]["type"] == "block_math"
    elif any(part["type"] != "text" for part in parts) or (strip_delimiters and not env):
        return _in_line({"type": "text_with_math", "children": parts}, inline)
    if not (display or (env and strip_delimiters)):
        # KaTeX sets the formula where the shortcode stands, an environment too
        # (\begin{pmatrix}); MathJax takes a bare environment for display math
        return _in_line({"type": "inline_math", "raw": text}, inline)
    # aligned, cases, pmatrix … need the display around them: only align, equation … are
    # display math themselves (set bare, LaTeX stopped: "allowed only in math mode")
    token: dict[str, Any] = {"type": "block_math", "raw": text,
                             "env": bool(_DISPLAY_ENV.fullmatch(text))}
    if inline:
        token["inline"] = True
    return token


def _in_line(token: dict[str, Any], inline: bool) -> dict[str, Any]:
    """An inline token where a block was: \\(x\\) alone on its lines is a paragraph of it."""
    return token if inline else {"type": "paragraph", "children": [token]}


_COLUMNS = lazy_pattern(
    r"\{\{[<%]\s*columns\b[^\n]*?[>%]\}\}[\s\S]*?\{\{[<%]\s*/columns\s*[>%]\}\}")
_COLUMN_SEPARATOR = lazy_pattern(r"(?m)^[ \t]*<--->[ \t]*$")


def split_columns(body: str) -> str:
    """hugo-book's ``columns`` shortcode splits its content at ``<--->`` lines; the page
    shows the columns, never the separator. Each separator becomes a blank line (the parts
    are paragraphs of their own; every later line keeps its number)."""
    if "<--->" not in body:
        return body
    return _COLUMNS.sub(lambda m: _COLUMN_SEPARATOR.sub("", m.group(0)), body)


#: a line that is one shortcode tag (opening or closing) and nothing else
_TAG_LINE = lazy_pattern(r"(?m)^ {0,3}\{\{[<%]" + ARG_TEXT + r"[>%]\}\}[ \t]*$")


def parse_html_block(block: BlockParser, m: re.Match[str], state: BlockState) -> int | None:
    """mistune's HTML block, ended before a line that is a shortcode tag: Hugo replaces
    shortcodes before Goldmark reads the text, so a shortcode's closing tag after an HTML
    line in its content (``<br>``) is never part of that HTML block, and neither is a
    shortcode standing between HTML lines. A line with one other tag (``</span>``) right
    after display math is no HTML block: Goldmark reads that display as paragraph text
    (its passthrough too), and such a block may not interrupt a paragraph."""
    last = state.last_token()
    if last and last["type"] == "block_math" and _other_tag(m.group(0).strip()):
        return None
    start = state.cursor
    first_line = getattr(state, "line_at", lambda pos: None)(start)
    end = BlockParser.parse_raw_html(block, m, state)
    token = state.tokens[-1] if end is not None and state.tokens else None
    if token is None or token.get("type") != "block_html":
        return end
    if first_line is not None:  # (mistune moves the cursor to a <pre>'s or <script>'s end
        token["_line"] = first_line  # before it appends the block: its line was the end's)
    cut = next((t for t in _TAG_LINE.finditer(token["raw"]) if t.start() > 0), None)
    if cut is None:
        return end
    token["raw"] = token["raw"][:cut.start()]
    return start + cut.start()


def _other_tag(marker: str) -> bool:
    """Whether an HTML block's opening is CommonMark's kind 7 (any tag but the block and
    pre ones, no comment or declaration): the kind that cannot interrupt a paragraph."""
    name = marker.lstrip("<").lstrip("/").lower()
    return not marker.startswith(("<!", "<?")) and name not in (*BLOCK_TAGS, *PRE_TAGS)


def as_math_shortcodes(body: str, wrappers: dict[str, MathWrapping]) -> str:
    """The site's shortcodes that wrap their inner text in math delimiters
    (``source.site_shortcodes``; a site's own ``math`` or ``katex`` too), written as Hugo's
    ``math`` shortcode with the delimiters each call gets. Lines stay as they are (no
    newline is added or removed)."""
    for name, wrapping in wrappers.items():
        if name in KNOWN_NAMES or (name in RAW_NAMES and name not in ("math", "katex")):
            continue

        def wrap(m: re.Match[str], wrapping: MathWrapping = wrapping) -> str:
            call = parse_call(m.group("name") + m.group("args"))
            opening, closing = wrapping.delimiters(call.named)
            return (f"{{{{{m.group('o')} math {m.group('c')}}}}}{opening}{m.group('inner')}"
                    f"{closing}{{{{{m.group('o')} /math {m.group('c')}}}}}")

        quoted = re.escape(name)
        body = re.sub(r"\{\{(?P<o>[<%])\s*(?P<name>" + quoted + r")\b(?P<args>" + ARG_TEXT
                      + r")(?<!/)(?P<c>[>%])\}\}(?P<inner>[\s\S]*?)\{\{[<%]\s*/\s*" + quoted
                      + r"\s*[>%]\}\}", wrap, body)
    return body
