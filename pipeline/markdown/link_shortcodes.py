"""Shortcodes written as a link's destination: ``[text]({{< ref "p" >}})``,
``[API]({{< param "api" >}})``, ``[x]({{< site-url >}})``.

Hugo replaces shortcodes before Goldmark reads the Markdown, so on the page each is a link
to what the shortcode prints. mistune sees a destination with spaces and quotes, which is
no link: the raw ``[text](…)`` was printed. The destination is rewritten, on its own line
and never across one, to a scheme the link renderer reads (``latex.inline``): ``ref`` and
``relref`` to the page they name, any other shortcode to the call itself, which the
renderer expands (``param``, a site template) or leaves out with a warning.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

from mdpaper.markdown.shortcodes import ARG_TEXT
from mdpaper.patterns import lazy_pattern

#: a link to the page a ref/relref names: ``hugo-ref:path``
REF_SCHEME = "hugo-ref:"
#: a link to what another shortcode prints: ``hugo-shortcode:`` and the call, URL-quoted
SHORTCODE_SCHEME = "hugo-shortcode:"

_OPEN = r"(?P<open>\]\(\s*|^ {0,3}\[[^\]\n]+\]:[ \t]*)"  # a link, or a link reference definition
_CLOSE = r"(?P<close>(?P<title>\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^)\n]*\)))?\s*\))?"
_REF_IN_LINK = lazy_pattern(
    _OPEN + r"\{\{[<%]\s*(?:rel)?ref\s+(?:\"(?P<target>[^\"\n]*)\"|(?P<bare>[^\s>%]+))"
    r"\s*[>%]\}\}" + _CLOSE, re.M)
_SHORTCODE_IN_LINK = lazy_pattern(
    _OPEN + r"\{\{[<%](?P<call>(?!\s*/)" + ARG_TEXT + r")[>%]\}\}" + _CLOSE, re.M)


#: a fenced code block: its text is code, shortcodes in it are shown as they print
#: (``latex.page_values.code_as_shown``), never rewritten into a scheme
_FENCED = lazy_pattern(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:^ {0,3}\1[`~]*[ \t]*$|\Z)", re.M)


def link_destinations(body: str) -> str:
    """``body`` with the shortcodes written as link destinations rewritten to the schemes
    (outside fenced code)."""
    if "{{" not in body:
        return body
    out, pos = [], 0
    for m in _FENCED.finditer(body):
        out += [_rewritten_text(body[pos:m.start()]), m.group(0)]
        pos = m.end()
    return "".join(out) + _rewritten_text(body[pos:])


def _rewritten_text(text: str) -> str:
    return _SHORTCODE_IN_LINK.sub(_shortcode_link, _REF_IN_LINK.sub(_ref_link, text))


def _ref_link(m: re.Match[str]) -> str:
    target = (m.group("target") or m.group("bare") or "").replace(" ", "%20")
    return _rewritten(m, REF_SCHEME + target)


def _shortcode_link(m: re.Match[str]) -> str:
    return _rewritten(m, SHORTCODE_SCHEME + quote(m.group("call").strip(), safe=""))


def _rewritten(m: re.Match[str], destination: str) -> str:
    if m.group("open").startswith("]"):
        if m.group("close") is None:
            return m.group(0)
        # a link title after the shortcode ([x]({{< ref "p" >}} "Title")) stays the link's
        return "](" + destination + (m.group("title") or "") + ")"
    return m.group("open") + destination + (m.group("close") or "")


#: a destination rewritten to a scheme, in code the pattern cannot tell from text (an
#: indented code block, a code span): quoting left no space or parenthesis in it
_SCHEMED = lazy_pattern("(?P<scheme>" + re.escape(REF_SCHEME) + "|" + re.escape(SHORTCODE_SCHEME)
                        + r")(?P<value>[^\s)]*)")


def restored_calls(code: str) -> str:
    """Code with each rewritten destination back as the shortcode call it was, for the
    code's renderer to show what the call prints, as the page does."""
    if "hugo-" not in code:
        return code

    def call(m: re.Match[str]) -> str:
        if m.group("scheme") == REF_SCHEME:
            return '{{< ref "' + unquote(m.group("value")) + '" >}}'
        return "{{< " + unquote(m.group("value")) + " >}}"

    return _SCHEMED.sub(call, code)
