"""Hugo's inline shortcodes: a post defines one where it first calls it,
``{{< name.inline >}}`` its template ``{{< /name.inline >}}``, and may call it again,
``{{< name.inline />}}``. Hugo shows nothing of them unless the site sets
``enableInlineShortcodes`` (blogs paste KaTeX's loader into posts this way); where it
does, the page shows what the template prints."""

from __future__ import annotations

import re
from pathlib import Path

from mdpaper.patterns import lazy_pattern
from mdpaper.source.site_templates import SiteTemplate, template_from_text

#: a definition and its call (``template`` its text), or a later call
INLINE_SHORTCODE = lazy_pattern(r"\{\{([<%])\s*(?P<name>[\w./-]+\.inline)\b(?P<args>[^{}]*?)"
                                r"(?:/[>%]\}\}|[>%]\}\}(?P<template>[\s\S]*?)"
                                r"\{\{[<%]\s*/\s*(?P=name)\s*[>%]\}\})")


def inline_templates(body: str, enabled: bool) -> tuple[str, dict[str, SiteTemplate]]:
    """``body`` with each definition turned into a call of its own, its template's lines
    kept as empty lines (every later line keeps its number), and the templates mdpaper
    reads (``source.site_templates``), by name. A template it does not read leaves the
    call a shortcode mdpaper does not know: left out with a warning, never printed. On a
    site that does not enable them (``enabled``), they are blank lines: the page shows
    nothing of them."""
    templates: dict[str, SiteTemplate] = {}

    def as_call(m: re.Match[str]) -> str:
        template = m.group("template")
        if template is None:
            return m.group(0)
        read = template_from_text(template, Path("the post"))
        if read is not None:
            templates.setdefault(m.group("name"), read)
        opening = m.group(1)
        closing = ">" if opening == "<" else "%"
        return (f"{{{{{opening} {m.group('name')}{m.group('args')} /{closing}}}}}"
                + "\n" * m.group(0).count("\n"))

    if ".inline" not in body:
        return body, templates
    if not enabled:
        return INLINE_SHORTCODE.sub(lambda m: "\n" * m.group(0).count("\n"), body), templates
    return INLINE_SHORTCODE.sub(as_call, body), templates
