"""What a site's own shortcode templates tell about their content.

A theme or site may define a shortcode that only wraps its inner text in math delimiters
(``layouts/shortcodes/macros.html``: ``<div class="m">\\({{ .Inner }}\\)</div>``): on the
page, KaTeX or MathJax read that text as math (often a block of ``\\newcommand``s). Such
shortcodes are read as Hugo's ``math`` shortcode with those delimiters around the inner text.
"""

from __future__ import annotations

import re
from pathlib import Path

from mdpaper.files import inside

#: The delimiters a template puts around ``{{ .Inner }}`` (any filters, optional HTML
#: around them), as KaTeX's and MathJax's default delimiters.
_WRAPPED_INNER = re.compile(
    r"^\s*(?:<[^>{]*>\s*)*(?P<open>\\\(|\\\[|\$\$)\s*\{\{-?\s*\.Inner\b[^}]*-?\}\}\s*"
    r"(?P<close>\\\)|\\\]|\$\$)\s*(?:</[^>]*>\s*)*$")
_MAX_TEMPLATE = 64 * 1024


def math_wrapping_shortcodes(site_root: Path) -> dict[str, tuple[str, str]]:
    """Shortcode name -> (opening, closing) delimiters, for the site's templates (its own
    first, then its themes') that only wrap their inner text in math delimiters."""
    found: dict[str, tuple[str, str]] = {}
    folders = [site_root / "layouts" / "shortcodes",
               *sorted((site_root / "themes").glob("*/layouts/shortcodes"))]
    for folder in folders:
        if not folder.is_dir():
            continue
        for template in sorted(folder.glob("*.html")):
            name = template.stem
            if name in found or not inside(site_root, template):
                continue
            if template.stat().st_size > _MAX_TEMPLATE:
                continue
            m = _WRAPPED_INNER.match(template.read_text(encoding="utf-8", errors="replace"))
            if m:
                found[name] = (m.group("open"), m.group("close"))
    return found
