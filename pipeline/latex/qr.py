"""Hugo's ``qr`` shortcode (``{{< qr text="…" />}}`` or ``{{< qr >}}text{{< /qr >}}``): the
page shows a QR code image, the paper draws the same symbol with TeX rules in a ``picture``
(no image file, no package) and prints the encoded text below it, since paper cannot be
clicked. The symbol is made by segno with Hugo's settings: its error correction ``level``
(medium by default), not raised beyond what was asked, and a quiet zone of four modules,
so it has as many modules as Hugo's image (checked against the Hugo binary).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mdpaper.latex.escape import escape_url
from mdpaper.markdown.shortcodes import ShortcodeCall

if TYPE_CHECKING:  # the renderer imports the handler modules that use this one
    from mdpaper.latex.renderer import LatexRenderer

_LEVELS = {"low": "l", "medium": "m", "quartile": "q", "high": "h"}
#: Hugo's quiet zone around the symbol, in modules
BORDER = 4
#: the printed symbol's side, quiet zone included
SIDE_CM = 3.0


def symbol(text: str, level: str = "medium") -> list[list[bool]]:
    """The QR symbol of ``text`` as rows of dark (True) modules, without the quiet zone."""
    # lazy on purpose: segno (with its writers) takes longer to import than converting a
    # post, and only a post with a qr shortcode needs it
    import segno

    made = segno.make(text, error=_LEVELS.get(level.lower(), "m"), boost_error=False,
                      micro=False)
    return [[bool(module) for module in row] for row in made.matrix]


def picture(rows: list[list[bool]]) -> str:
    """The symbol as a ``picture``: one ``\\rule`` per horizontal run of dark modules."""
    side = len(rows) + 2 * BORDER
    unit = SIDE_CM / side
    puts = []
    for i, row in enumerate(rows):
        y = len(rows) - 1 - i + BORDER
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            puts.append(f"\\put({start + BORDER},{y}){{\\rule{{{x - start}\\unitlength}}"
                        "{\\unitlength}}")
    body = "%\n".join(puts)
    return (f"{{\\setlength{{\\unitlength}}{{{unit:.4f}cm}}%\n"
            f"\\begin{{picture}}({side},{side})%\n{body}%\n\\end{{picture}}}}")


def qr_code(r: LatexRenderer, call: ShortcodeCall, inner: str | None = None) -> str:
    """A centred QR code with its text below; a call without text is a located warning."""
    text = (inner if inner is not None else call.get("text") or "").strip()
    if not text:
        r.state.diag.warn("qr shortcode without text= (Hugo refuses it); left out", call.line)
        return ""
    shown = call.get("alt") or text
    if shown.startswith(("http://", "https://")) and shown == text:
        r.state.use_package("hyperref")
        caption = f"\\url{{{escape_url(text)}}}"
    else:
        caption = r.escape(shown)
    return ("\\begin{center}\n" + picture(symbol(text, call.get("level") or "medium"))
            + f"\\\\[1ex]\n{{\\small {caption}}}\n\\end{{center}}")
