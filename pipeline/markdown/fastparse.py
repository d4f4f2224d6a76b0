"""mistune, made faster and leaner for long posts; the tokens it gives are unchanged
(tests/latex/test_fast_paths.py compares them with stock mistune's)."""

from __future__ import annotations

import re
from typing import Any

import mistune
from mistune.inline_parser import _KNOWN_RULE_START_CHARS
from mistune.plugins.url import URL_LINK_PATTERN

Token = dict[str, Any]


class PostInlineParser(mistune.InlineParser):
    """mistune's inline parser with a sharper fast path for plain text.

    mistune skips plain text up to the next character that may start an inline rule. The
    url plugin's rule starts with ``h``, so every ``h`` of the prose stopped the scan, tried
    every rule there and made a one-letter text token (coalesced again later): most of the
    inline time of a prose post. Here ``h`` stops the scan only where ``http://`` or
    ``https://`` begins, the only place that rule can match; the tokens are the same.
    """

    _fast_key: tuple[str, ...] | None = None
    _fast_re: re.Pattern[str] | None = None

    def _find_fast_text_end(self, src: str, pos: int) -> int | None:
        key = tuple(self.rules)
        if key != self._fast_key:
            self._fast_key, self._fast_re = key, self._trigger_re()
        if self._fast_re is None:
            return None
        m = self._fast_re.search(src, pos)
        if m is None:
            return len(src)
        if m.group(0) == "\n":
            return self._find_linebreak_start(src, pos, m.start())
        return m.start()

    def _trigger_re(self) -> re.Pattern[str] | None:
        chars: set[str] = set()
        for name in self.rules:
            if name == "url_link" and self.specification[name] == URL_LINK_PATTERN:
                continue
            rule_chars = self._rule_start_chars.get(name, _KNOWN_RULE_START_CHARS.get(name))
            if rule_chars is None:
                return None
            chars.update(rule_chars)
        alternatives = ["[" + re.escape("".join(sorted(chars))) + "]"] if chars else []
        if "url_link" in self.rules and self.specification["url_link"] == URL_LINK_PATTERN:
            alternatives.append("https?://")
        return re.compile("|".join(alternatives)) if alternatives else None


class LazyInline(dict[str, Any]):
    """A block token whose inline ``children`` are parsed when first asked for.

    mistune parses the inline text of every block before returning the AST, so the whole
    post's inline tokens (a dict per word run, math span, break...) exist at once: over
    twenty times the post's size for a footnote- and table-heavy post. Parsed on demand,
    each block's inline tokens live only while that block is rendered (the renderer drops
    each top-level block once written). Reading ``children`` (``tok["children"]``,
    ``tok.get("children")``, ``"children" in tok``) parses, with the same inline state as
    before: the environment (link and footnote definitions, complete after block parsing)
    and the block's line.
    """

    __slots__ = ("_md", "_env")

    def __init__(self, tok: Token, md: Any, env: Any):
        super().__init__(tok)
        self._md, self._env = md, env

    def _children(self) -> list[Token]:
        if not dict.__contains__(self, "children"):
            text = dict.pop(self, "text")
            self._env["_line"] = dict.get(self, "_line")
            parsed = self._md.inline(text.strip(" \r\n\t\f"), self._env)
            dict.__setitem__(self, "children", parsed)
            self._md = self._env = None
        children: list[Token] = dict.__getitem__(self, "children")
        return children

    def __missing__(self, key: str) -> Any:
        if key == "children":
            return self._children()
        raise KeyError(key)

    def get(self, key: str, default: Any = None) -> Any:
        if key == "children":
            return self._children()
        return dict.get(self, key, default)

    def __contains__(self, key: object) -> bool:
        return key == "children" or dict.__contains__(self, key)
