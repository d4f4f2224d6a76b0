"""Inline tokens: text, emphasis, code, links, math, inline HTML and footnotes."""

from __future__ import annotations

import re
from typing import Any

from mdpaper.latex.escape import escape_code, escape_url
from mdpaper.markdown.parser import REF_SCHEME
from mdpaper.markdown.shortcodes import EMBED_NAMES

Token = dict[str, Any]

# TeX primitives and macros that touch files, run programs or change how TeX reads input.
# Math is passed through verbatim, so these are refused there (prose is always escaped).
FORBIDDEN_IN_MATH = re.compile(
    r"\\(input|include|includeonly|InputIfFileExists|openin|openout|read|readline|write|"
    r"immediate|closeout|closein|special|usepackage|RequirePackage|documentclass|catcode|"
    r"directlua|latelua|pdfobj|pdffiletimestamp|pdffilesize|pdffiledump|pdfmdfivesum|"
    r"ShellEscape|write18|verbatiminput|lstinputlisting|scantokens|endinput|csname|"
    r"makeatletter|input@path)(?![A-Za-z@])"
)

_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_PERCENT = re.compile(r"(?<!\\)%")
_HTML_TAG = re.compile(r"<\s*(/?)\s*([A-Za-z][A-Za-z0-9]*)[^>]*?(/?)\s*>", re.S)
_HTML_OPEN = {
    "sup": "\\textsuperscript{", "sub": "\\textsubscript{", "em": "\\emph{", "i": "\\emph{",
    "strong": "\\textbf{", "b": "\\textbf{", "u": "\\uline{", "ins": "\\uline{",
    "s": "\\sout{", "del": "\\sout{", "strike": "\\sout{", "code": "\\texttt{",
    "kbd": "\\texttt{", "mark": "\\textbf{", "small": "{\\small ", "span": "{",
    "cite": "\\emph{", "abbr": "{", "q": "``{",
}
_HTML_CLOSE = {"q": "}''"}


_MATH_GROUP = re.compile(r"\\(begin|end)\s*\{([^{}]*)\}|\\.|[{}]", re.S)


def math_groups_problem(raw: str) -> str | None:
    """Why ``raw``'s braces or ``\\begin``/``\\end`` do not pair up (None when they do)."""
    if "{" not in raw and "}" not in raw:  # most inline math: nothing that can pair up
        return None
    stack: list[str] = []
    for m in _MATH_GROUP.finditer(raw):
        token = m.group(0)
        if m.group(1) == "begin":
            stack.append(m.group(2))
        elif m.group(1) == "end":
            if not stack or stack[-1] != m.group(2):
                return f"has \\end{{{m.group(2)}}} without a matching \\begin{{{m.group(2)}}}"
            stack.pop()
        elif token == "{":
            stack.append("{")
        elif token == "}":
            if not stack or stack[-1] != "{":
                return "has a '}' without a matching '{'"
            stack.pop()
    if stack:
        top = stack[-1]
        return "has a '{' that is never closed" if top == "{" else (
            f"has \\begin{{{top}}} without \\end{{{top}}}")
    return None


_ULEM_TAGS = {"u", "ins", "s", "del", "strike"}
# ulem's \sout/\uline take their argument apart word by word: a citation or footnote in
# there fails ("Extra }, or forgotten \endgroup"), unless it is boxed.
_BOX_IN_ULEM = {"footnote_ref", "shortcode", "block_math"}


class InlineMixin:
    _ulem_depth = 0  # inside \sout{...} or \uline{...}

    def inlines(self, tokens: list[Token]) -> str:
        saved_html = getattr(self, "_html_stack", None)
        outer_ulem = int(any(t in _ULEM_TAGS for t in saved_html or ()))
        self._ulem_depth += outer_ulem
        self._html_stack: list[str] = []
        out = [self.inline(tok) for tok in tokens]
        while self._html_stack:  # tags left open at the end of a paragraph
            out.append(_HTML_CLOSE.get(self._html_stack.pop(), "}"))
        self._html_stack = saved_html if saved_html is not None else []
        self._ulem_depth -= outer_ulem
        return "".join(out)

    def in_ulem(self) -> bool:
        return self._ulem_depth > 0 or any(t in _ULEM_TAGS for t in self._html_stack)

    def inline(self, tok: Token) -> str:
        kind = tok["type"]
        if kind == "text":  # most tokens: skip the method lookup
            return self.escape(tok["raw"])
        method = getattr(self, "inline_" + kind, None)
        if method is None:
            if "children" in tok:
                return self.inlines(tok["children"])
            self.diag.warn(f"unsupported inline element '{tok['type']}' left out", self.line)
            return ""
        if tok["type"] in _BOX_IN_ULEM and self.in_ulem():
            return "\\mbox{" + method(tok).strip("\n") + "}"
        return method(tok)

    def inline_text(self, tok: Token) -> str:
        return self.escape(tok["raw"])

    def inline_literal_text(self, tok: Token) -> str:
        return self.escape(tok["raw"], typographic=False)

    def inline_emphasis(self, tok: Token) -> str:
        return "\\emph{" + self.inlines(tok["children"]) + "}"

    def inline_strong(self, tok: Token) -> str:
        return "\\textbf{" + self.inlines(tok["children"]) + "}"

    def inline_strikethrough(self, tok: Token) -> str:
        self.features.add("strike")
        self._ulem_depth += 1
        text = self.inlines(tok["children"])
        self._ulem_depth -= 1
        return "\\sout{" + text + "}"

    def inline_codespan(self, tok: Token) -> str:
        return "\\texttt{" + self.code_text(tok["raw"]) + "}"

    def code_text(self, text: str) -> str:
        escaped = escape_code(text)
        if escaped.isascii():
            return escaped
        return _NON_ASCII.sub(lambda m: self.escape.character(m.group(0)), escaped)

    def inline_softbreak(self, tok: Token) -> str:
        return "\n"

    def inline_linebreak(self, tok: Token) -> str:
        return "\\newline\n"

    def inline_inline_math(self, tok: Token) -> str:
        self.features.add("math")
        raw = self.checked_math(tok["raw"], tok.get("_line") or self.line)
        return "\\(" + raw + "\\)"

    def inline_block_math(self, tok: Token) -> str:
        if self.in_ulem():  # a display cannot go in the \mbox that \sout needs
            return "\\begin{minipage}{\\linewidth}" + self.display_math(tok) + "\\end{minipage}"
        return "\n" + self.display_math(tok) + "\n"

    def checked_math(self, raw: str, line: int | None) -> str:
        if "^^" in raw:
            # TeX reads ^^5c as a backslash: "^^5cinput" would smuggle in \input.
            self.diag.error("math may not use ^^ character codes (TeX reads ^^5c as a "
                            "backslash)", line)
            return ""
        m = FORBIDDEN_IN_MATH.search(raw)
        if m:
            self.diag.error(f"math may not use \\{m.group(1)} (it reads or writes files or "
                            "changes how TeX reads input)", line)
            return ""
        unbalanced = math_groups_problem(raw)
        if unbalanced:
            # Math sits inside \emph{...}, \footnote{...} or a table cell: a stray brace or
            # environment would close those instead, and TeX would complain far away.
            self.diag.error(f"math {unbalanced}", line)
            return ""
        # A comment character would swallow the closing delimiter.
        return _PERCENT.sub(r"\\%", raw) if "%" in raw else raw

    def inline_link(self, tok: Token) -> str:
        url = tok["attrs"]["url"]
        text = self.inlines(tok["children"])
        if url.startswith("#"):
            from urllib.parse import unquote

            ident = unquote(url[1:])  # Hugo writes non-ASCII ids percent-encoded in links
            if ident in self.plan.known:
                return f"\\hyperref[{self.label_for(ident)}]{{{text}}}"
            self.diag.warn(f"link to '#{ident}', but no heading has that id", self.line)
            return text
        if url.startswith(REF_SCHEME):
            return text  # a link to another post of the blog: the paper keeps its text
        self.features.add("url")
        plain = "".join(c.get("raw", "") for c in tok["children"])
        if plain in (url, url.removeprefix("mailto:")) and len(tok["children"]) == 1:
            if url.startswith("mailto:"):
                return f"\\href{{{escape_url(url)}}}{{{self.escape(plain)}}}"
            return f"\\url{{{escape_url(url)}}}"
        if not re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", url):
            self.diag.warn(f"relative link '{url}' has no target outside the blog; "
                           "only its text is kept", self.line)
            return text
        return f"\\href{{{escape_url(url)}}}{{{text}}}"

    def inline_image(self, tok: Token) -> str:
        return self.inline_graphic(tok)

    def inline_footnote_ref(self, tok: Token) -> str:
        key = tok["raw"]
        label = "fn:" + re.sub(r"[^A-Za-z0-9]", lambda m: f"+{ord(m.group(0)):x}+", key)
        if key in self.footnotes_used:
            # A second reference to the same note points at the first one's number.
            return f"\\textsuperscript{{\\ref{{{label}}}}}"
        self.footnotes_used.add(key)
        children = self.footnotes.get(key, [])
        saved_line = self.line
        self.in_argument += 1
        body = self.blocks(children)
        self.in_argument -= 1
        self.line = saved_line
        return f"\\footnote{{\\label{{{label}}}{body.strip()}}}"

    def inline_inline_html(self, tok: Token) -> str:
        raw = tok["raw"]
        if raw.startswith("<!--"):
            return ""
        m = _HTML_TAG.fullmatch(raw.strip())
        if not m:
            self.diag.warn("inline HTML left out: " + raw[:40], self.line)
            return ""
        closing, name, selfclosing = m.group(1), m.group(2).lower(), m.group(3)
        if name == "br":
            return "\\newline{}"
        if name == "wbr":
            return "\\allowbreak{}"
        if name not in _HTML_OPEN:
            self.diag.warn(f"inline HTML tag <{name}> left out (its text is kept)", self.line)
            return ""
        if selfclosing:
            return ""
        if closing:
            if name in self._html_stack:
                out = []
                while self._html_stack:
                    top = self._html_stack.pop()
                    out.append(_HTML_CLOSE.get(top, "}"))
                    if top == name:
                        break
                return "".join(out)
            return ""
        if name in ("u", "ins", "s", "del", "strike"):
            self.features.add("strike")
        self._html_stack.append(name)
        return _HTML_OPEN[name]

    def inline_shortcode(self, tok: Token) -> str:
        call = tok["call"]
        self.line = tok.get("_line") or self.line
        if call.name == "cite":
            return self.cite_shortcode(call)
        if call.name in ("ref", "relref"):
            target = call.get("path", 0) or ""
            return "\\texttt{" + self.code_text(target) + "}"
        if call.name == "param":
            self.diag.warn("shortcode 'param' has no value in a paper; left out", call.line)
            return ""
        if call.name in ("sup", "sub"):
            return f"\\text{call.name}script{{{self.escape(call.positional(0) or '')}}}"
        if call.name in EMBED_NAMES:
            return self.embed_link(call)
        self.diag.warn(f"unknown shortcode '{call.name}' left out", call.line)
        return ""

    def embed_link(self, call: Any) -> str:
        ident = call.get("id", 0) or ""
        bases = {"youtube": "https://www.youtube.com/watch?v=", "vimeo": "https://vimeo.com/",
                 "gist": "https://gist.github.com/"}
        if ident.startswith("http"):
            url = ident
        elif call.name == "gist":
            url = bases["gist"] + "/".join(call.args)
        else:
            url = bases.get(call.name, "") + ident
        self.features.add("url")
        name = call.name.capitalize()
        return f"[{name}: \\url{{{escape_url(url)}}}]" if url else f"[{name}]"

    def short_title(self, tokens: list[Token], full: str) -> str:
        """A heading or caption without citations and footnotes (for the TOC/bookmarks)."""
        if not any(_has_moving_trouble(t) for t in tokens):
            return full
        kept = [t for t in tokens if not _has_moving_trouble(t)]
        return self.inlines(kept).strip()


def _has_moving_trouble(tok: Token) -> bool:
    if tok["type"] in ("footnote_ref", "shortcode"):
        return True
    return any(_has_moving_trouble(c) for c in tok.get("children") or ())
