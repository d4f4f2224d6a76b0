"""What the page's own math renderer is set to find, beyond Hugo's passthrough list.

A site may pass ``\\(…\\)`` through Goldmark and still have MathJax or KaTeX auto-render
look for ``$…$`` in the page (``inlineMath: [['$', '$'], …]``, ``delimiters: [{left: "$",
right: "$", display: false}, …]``): the page typesets those formulas too.
"""

from __future__ import annotations

import re
from pathlib import Path

from mdpaper.files import inside

_MAX_FILE = 512 * 1024
#: a '$' pair in a MathJax inlineMath list or a KaTeX auto-render delimiter object
_SINGLE_DOLLAR = re.compile(r"""\[\s*(["'])\$\1\s*,\s*(["'])\$\2\s*\]"""
                            r"""|left\s*:\s*(["'])\$\3\s*,\s*right\s*:\s*(["'])\$\4""")
_FOLDERS = ("layouts", "assets", "static")
_SUFFIXES = (".html", ".js")


def renderer_takes_single_dollars(site_root: Path) -> bool:
    """Does a MathJax or KaTeX configuration in the site's templates or scripts take
    ``$…$`` as inline math?"""
    for folder in _FOLDERS:
        base = site_root / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if path.suffix not in _SUFFIXES or not path.is_file():
                continue
            if path.stat().st_size > _MAX_FILE or not inside(site_root, path):
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            if ("inlineMath" in text or "delimiters" in text) and _SINGLE_DOLLAR.search(text):
                return True
    return False
