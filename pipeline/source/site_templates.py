"""A site's own shortcode templates, expanded when they use a small, safe subset of Go
templates (not a Go-template interpreter: anything outside the subset is not read).

The subset: literal HTML; ``.Get 0``, ``.Get "name"``, ``index .Params 0``, ``.Inner``,
``.IsNamedParams`` (also through ``$.``); ``not``; the page's store (``.Page.Store``,
``.Page.Scratch``: read as empty, as on a page's first call; its writes print nothing,
templates use them to load a library once); ``errorf``/``warnf`` (nothing printed;
``errorf`` reached stops with ``TemplateStops``), ``.Position``; pipes to ``safeHTML``,
``markdownify``, ``.Page.RenderString``, ``htmlEscape``, ``default "x"``;
``with``/``if``…``else``…``end``;
``$v := …`` variables; comments and ``{{- -}}`` trimming. A template that uses anything else
(``range``, ``partial``, resources, site data, ``printf``…) is None: the caller keeps the
shortcode's located warning. As in Go's html/template, text values are HTML-escaped where
they are printed, ``.Inner`` and ``safeHTML``/``markdownify`` results are not.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from mdpaper.patterns import lazy_pattern

#: what ``markdownify`` makes of a text: HTML the caller can put its rendering in place of
Markdownify = Callable[[str], str]
Value = str | bool | None

_MAX_TEMPLATE = 16 * 1024
_ACTION = lazy_pattern(r"\{\{(-\s)?\s*(/\*[\s\S]*?\*/|(?:\"(?:[^\"\\]|\\.)*\"|`[^`]*`|[^\"`}])*?)"
                       r"\s*(\s-)?\}\}")
_WORD = lazy_pattern(r'\s*("(?:[^"\\]|\\.)*"|`[^`]*`|\(|\)|\||:?=|[^\s()|"`]+)')
_SELF = r"\$?\."  # the shortcode: ``.`` at the top, ``$.`` anywhere
_FILTERS = {"safeHTML", "markdownify", "htmlEscape", "default", ".Page.RenderString",
            "$.Page.RenderString"}
#: the page's store: ``Get`` a key (nothing is stored yet), ``Set``/``Add`` one (no output)
_STORE = lazy_pattern(_SELF + r"Page\.(?:Store|Scratch)\.(?:Get|Set|Add|SetInMap|Delete)")


class Unsupported(Exception):
    """The template uses something outside the subset."""


class TemplateStops(Unsupported):
    """The call reaches the template's ``errorf``: Hugo fails the build with this message
    (where only the printed text is asked for, the template is as unread)."""


class Html(str):
    """Text printed as it is (``.Inner``, ``safeHTML`` and ``markdownify`` results)."""


@dataclass
class _Node:
    kind: str  # "text", "print", "if", "with", "assign"
    text: str = ""
    pipe: list[list[str]] = field(default_factory=list)
    body: list[_Node] = field(default_factory=list)
    orelse: list[_Node] = field(default_factory=list)


@dataclass(frozen=True)
class SiteTemplate:
    """A template read into the subset; ``path`` is where the site defines it."""
    path: Path
    nodes: tuple[_Node, ...]


@dataclass
class _Call:
    """What a template sees of one shortcode call."""
    args: list[str]
    named: dict[str, str]
    inner: str
    markdownify: Markdownify
    variables: dict[str, Value] = field(default_factory=dict)


def _pipe(words: list[str]) -> list[list[str]]:
    """A pipeline's commands, each its words (parentheses kept as words)."""
    commands: list[list[str]] = [[]]
    depth = 0
    for word in words:
        depth += (word == "(") - (word == ")")
        if word == "|" and depth == 0:
            commands.append([])
        else:
            commands[-1].append(word)
    if depth or any(not c for c in commands):
        raise Unsupported
    return commands


def _words(action: str) -> list[str]:
    words, pos = [], 0
    while pos < len(action.rstrip()):
        m = _WORD.match(action, pos)
        if m is None:
            raise Unsupported
        words.append(m.group(1))
        pos = m.end()
    return words


def _read(text: str) -> list[_Node]:
    """The template's nodes; Unsupported for anything outside the subset."""
    root: list[_Node] = []
    stack: list[tuple[_Node | None, list[_Node]]] = [(None, root)]
    pos, trim_next = 0, False
    for m in _ACTION.finditer(text):
        literal = text[pos:m.start()]
        literal = literal.lstrip() if trim_next else literal
        literal = literal.rstrip() if m.group(1) else literal
        if literal:
            stack[-1][1].append(_Node("text", literal))
        pos, trim_next = m.end(), bool(m.group(3))
        action = m.group(2).strip()
        if action.startswith("/*"):
            continue
        words = _words(action)
        if not words:
            raise Unsupported
        head = words[0]
        if head in ("if", "with"):
            node = _Node(head, pipe=_pipe(words[1:]))
            stack[-1][1].append(node)
            stack.append((node, node.body))
        elif head == "else" and len(words) == 1 and stack[-1][0] is not None:
            node_open = stack.pop()[0]
            assert node_open is not None
            stack.append((node_open, node_open.orelse))
        elif head == "end" and len(words) == 1 and len(stack) > 1:
            stack.pop()
        elif head.startswith("$") and len(words) > 2 and words[1] in (":=", "="):
            stack[-1][1].append(_Node("assign", head, pipe=_pipe(words[2:])))
        else:
            stack[-1][1].append(_Node("print", pipe=_pipe(words)))
    literal = text[pos:].lstrip() if trim_next else text[pos:]
    if literal:
        root.append(_Node("text", literal))
    if len(stack) != 1:
        raise Unsupported
    return root


def read_template(path: Path) -> SiteTemplate | None:
    """The template at ``path`` when it keeps to the subset, else None."""
    if path.stat().st_size > _MAX_TEMPLATE:
        return None
    return template_from_text(path.read_text(encoding="utf-8", errors="replace"), path)


def template_from_text(text: str, path: Path) -> SiteTemplate | None:
    """``text`` as the template ``path`` defines (a file, or a post defining an inline
    shortcode) when it keeps to the subset, else None."""
    try:
        nodes = _read(text)
        _check(nodes)
    except Unsupported:
        return None
    return SiteTemplate(path, tuple(nodes))


def _check(nodes: list[_Node], call: _Call | None = None, *, in_with: bool = False) -> None:
    """Evaluate every branch once with a stand-in call: what the subset cannot do shows."""
    call = call or _Call(["x"] * 9, {}, "", Html)
    dot: Value | _Call = "x" if in_with else call
    for node in nodes:
        if node.kind != "text":
            try:
                value = _evaluate(node.pipe, call, dot, dot_is_call=not in_with)
            except TemplateStops:  # (a guard's errorf: only a call that reaches it stops)
                value = None
            if node.kind == "assign":
                call.variables[node.text] = value
        _check(node.body, call, in_with=in_with or node.kind == "with")
        _check(node.orelse, call, in_with=in_with)


#: Shortcodes that themes and snippets define alike, read as that common template where
#: neither the site nor a theme in its folder defines them in a way mdpaper reads (a theme
#: that is a Hugo module, or a submodule not checked out; LoveIt's ``raw`` goes through a
#: partial and script): ``rawhtml`` (PaperMod's, ericswpark/hugo-rawhtml's, the widespread
#: snippet) and ``raw`` (LoveIt's, DoIt's, FixIt's, which their docs give for formulas
#: Goldmark would mangle) print their inner text as raw HTML, so math in it reaches the
#: page's MathJax or KaTeX as written, never read by Goldmark. Hextra's file tree (its
#: templates draw icons through partials) is the nested list of names the page shows, each
#: folder open, as a paper cannot fold.
COMMON_TEMPLATES = {"rawhtml": "{{- .Inner }}", "raw": "{{- .Inner }}",
                    "filetree/container": "<ul>{{- .Inner }}</ul>",
                    "filetree/folder": '<li>{{ .Get "name" }}<ul>{{- .Inner }}</ul></li>',
                    "filetree/file": '<li>{{ .Get "name" }}</li>'}


def site_templates(templates: dict[str, Path]) -> dict[str, SiteTemplate]:
    """Shortcode name -> its template, for the site's templates (``shortcode_templates``)
    that keep to the subset, and the ``COMMON_TEMPLATES`` the site does not define in a
    way mdpaper reads."""
    found = {}
    for name, path in templates.items():
        template = read_template(path)
        if template is not None:
            found[name] = template
    for name, text in COMMON_TEMPLATES.items():
        if name not in found:
            found[name] = SiteTemplate(Path(f"{name}.html"), tuple(_read(text)))
    return found


def expand(template: SiteTemplate, args: list[str], named: dict[str, str], inner: str,
           markdownify: Markdownify) -> str:
    """The HTML the template makes of one call (Unsupported where the call leads it out of
    the subset, as ``.Get`` inside ``with`` does)."""
    call = _Call(args, named, inner, markdownify)
    return "".join(_run(list(template.nodes), call, call, dot_is_call=True))


def _run(nodes: list[_Node], call: _Call, dot: Value | _Call, *, dot_is_call: bool) -> list[str]:
    out: list[str] = []
    for node in nodes:
        if node.kind == "text":
            out.append(node.text)
            continue
        value = _evaluate(node.pipe, call, dot, dot_is_call=dot_is_call)
        if node.kind == "print":
            out.append(_printed(value))
        elif node.kind == "assign":
            call.variables[node.text] = value
        elif node.kind == "with" and _true(value):
            out += _run(node.body, call, value, dot_is_call=False)
        elif node.kind == "if" and _true(value):
            out += _run(node.body, call, dot, dot_is_call=dot_is_call)
        else:
            out += _run(node.orelse, call, dot, dot_is_call=dot_is_call)
    return out


def _printed(value: Value) -> str:
    if isinstance(value, Html):
        return str(value)
    if value is None:
        return ""
    return html.escape(str(value).lower() if isinstance(value, bool) else value)


def _true(value: Value) -> bool:
    return bool(value)


def _evaluate(pipe: list[list[str]], call: _Call, dot: Value | _Call, *,
              dot_is_call: bool) -> Value:
    value = _command(pipe[0], call, dot, dot_is_call)
    for command in pipe[1:]:
        value = _filter(command, value, call, dot, dot_is_call)
    return value


def _command(words: list[str], call: _Call, dot: Value | _Call, dot_is_call: bool) -> Value:
    """The value of a pipeline's first command."""
    if words[0] == "(" and words[-1] == ")":
        return _evaluate(_pipe(words[1:-1]), call, dot, dot_is_call=dot_is_call)
    if words[0] in _FILTERS and len(words) > 1:  # markdownify .Inner: a filter called
        start = len(words) - 1
        if words[-1] == ")":  # its argument in parentheses: from the matching "("
            depth = 0
            for start in range(len(words) - 1, 0, -1):
                depth += (words[start] == ")") - (words[start] == "(")
                if depth == 0:
                    break
        value = _command(words[start:], call, dot, dot_is_call)
        return _filter(words[:start], value, call, dot, dot_is_call)
    if len(words) == 1:
        return _operand(words[0], call, dot, dot_is_call)
    if words[0] == "not":
        return not _true(_command(words[1:], call, dot, dot_is_call))
    if _STORE.fullmatch(words[0]) and not {"(", ")"} & set(words[1:]):
        return None  # (a read finds nothing; a write prints nothing)
    if words[0] in _LOGGERS and len(words) > 1:
        return _logged(words, call, dot, dot_is_call)
    on_call = re.fullmatch(_SELF + r"Get", words[0]) or (
        words[0] == "index" and re.fullmatch(_SELF + "Params", words[1]))
    if not on_call or len(words) != (2 if words[0] != "index" else 3):
        raise Unsupported
    if words[0].startswith(".") and not dot_is_call:
        raise Unsupported  # inside ``with``, ``.`` is the value (Hugo fails the page)
    key = _literal(words[-1])
    if isinstance(key, int):
        return call.args[key] if key < len(call.args) else None
    return call.named.get(key)


def _operand(word: str, call: _Call, dot: Value | _Call, dot_is_call: bool) -> Value:
    if word == ".":
        if dot_is_call:
            raise Unsupported  # the shortcode itself, printed: nothing a page means
        assert not isinstance(dot, _Call)
        return dot
    if re.fullmatch(_SELF + "Inner", word) and (dot_is_call or word.startswith("$")):
        return Html(call.inner)
    if re.fullmatch(_SELF + "IsNamedParams", word) and (dot_is_call or word.startswith("$")):
        return bool(call.named)
    if re.fullmatch(_SELF + "Position", word) and (dot_is_call or word.startswith("$")):
        return None  # where the call stands: the caller's located message says it
    if word.startswith("$") and word[1:].isidentifier():
        if word not in call.variables:
            raise Unsupported
        return call.variables[word]
    literal = _literal(word)
    if isinstance(literal, int):
        raise Unsupported
    return literal


#: Hugo's logging functions: ``errorf`` fails the build (templates guard a missing
#: argument with it), ``warnf`` only logs; neither prints anything on the page.
_LOGGERS = {"errorf", "erroridf", "warnf", "warnidf"}


def _logged(words: list[str], call: _Call, dot: Value | _Call, dot_is_call: bool) -> Value:
    """A logging function's call: nothing printed; ``errorf`` stops with its message."""
    args = [_command([word], call, dot, dot_is_call) for word in words[1:]]
    if words[0].startswith("error"):
        text = str(args[1 if words[0] == "erroridf" else 0] or "")
        raise TemplateStops(re.sub(r"%\[?\d*\]?[svdq]", "…", text).strip())
    return None


def _literal(word: str) -> str | int:
    if word.isdigit():
        return int(word)
    if len(word) > 1 and word[0] == word[-1] == '"':
        return re.sub(r"\\(.)", r"\1", word[1:-1])
    if len(word) > 1 and word[0] == word[-1] == "`":
        return word[1:-1]
    raise Unsupported


def _filter(words: list[str], value: Value, call: _Call, dot: Value | _Call,
            dot_is_call: bool) -> Value:
    """A pipeline's later command, given the value piped into it."""
    name = words[0]
    if name == "default" and len(words) == 2:
        fallback = _command(words[1:], call, dot, dot_is_call)
        return value if _true(value) else fallback
    if len(words) != 1 or name not in _FILTERS:
        raise Unsupported
    text = "" if value is None else str(value).lower() if isinstance(value, bool) else value
    if name == "safeHTML":
        return Html(text)
    if name == "htmlEscape":
        return html.escape(text)
    return Html(call.markdownify(text))  # markdownify, .Page.RenderString
