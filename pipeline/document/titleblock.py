"""The paper's title block from the front matter (or, without one, the first heading).

Front-matter text is Markdown too (``title: "Entropy of *LLMs* and $H(X)$"``), so it goes
through the same inline renderer as the body.
"""

from __future__ import annotations

import re
from typing import Any

from mdpaper.document.assemble import TitleBlock
from mdpaper.latex.escape import SPECIALS, escape_url
from mdpaper.latex.headings import plain_text
from mdpaper.latex.renderer import LatexRenderer
from mdpaper.model import Post
from mdpaper.source.config import authors_for

Token = dict[str, Any]


def _pdf_text(text: str) -> str:
    """Plain text for PDF metadata: no braces or backslashes that hyperref would choke on."""
    text = re.sub(r"\$[^$]*\$", "", text)
    return "".join(SPECIALS.get(c, c) if c in "#%&_" else c for c in text if c not in "\\{}~^$")


def title_block(post: Post, tokens: list[Token], renderer: LatexRenderer) -> TitleBlock:
    meta = post.meta
    parser = renderer.state.ctx.parser
    assert parser is not None, "the title block is Markdown: the renderer needs the parser"

    def render(text: str, key: str) -> str:
        line = meta.key_lines.get(key)
        ctx = renderer.state.ctx
        # Hugo's .Title and .Params print :smile: as written; only the summary is Markdown
        emoji, ctx.emoji = ctx.emoji, ctx.emoji and key == "summary"
        try:
            tokens = parser.inline(text, {"_line": line, "ref_links": {}})
            return renderer.inlines(tokens).strip()
        finally:
            ctx.emoji = emoji

    def words(text: str) -> str:
        """Front-matter text that is no Markdown (keywords, affiliations): escaped, its
        right-to-left words in their order and script (``latex.direction``)."""
        if not renderer.state.ctx.right_to_left:
            return renderer.escape(text)
        return renderer.inlines([{"type": "text", "raw": text}]).strip()

    if meta.title:
        title, plain = render(meta.title, "title"), meta.title
    else:
        title, plain = _title_from_heading(post, tokens, renderer)
    abstract = None
    if meta.abstract:
        paragraphs = [p for p in re.split(r"\n\s*\n", meta.abstract) if p.strip()]
        abstract = "\n\n".join(render(p, "summary") for p in paragraphs)
    people: list[dict[str, Any]] = []
    for info in authors_for(post):
        people.append({
            "name": render(info.name, "author"),
            "affiliations": [words(a) for a in info.affiliations],
            "email": renderer.escape(info.email) if info.email else None,
            "email_url": escape_url("mailto:" + info.email) if info.email else None,
            "orcid": info.orcid,
            "orcid_url": f"https://orcid.org/{info.orcid}" if info.orcid else None,
        })
    hugo = post.site.hugo if post.site is not None else None
    names = [info.name for info in authors_for(post)]
    return TitleBlock(
        title=title,
        subtitle=render(meta.subtitle, "subtitle") if meta.subtitle else None,
        authors=[str(p["name"]) for p in people],
        date=words(meta.date) if meta.date else None,
        abstract=abstract,
        keywords=[words(k) for k in meta.keywords],
        pdf_title=_pdf_text(plain),
        pdf_author=_pdf_text(", ".join(names)),
        pdf_keywords=_pdf_text(", ".join(meta.keywords)),
        pdf_subject=_pdf_text(re.sub(r"[*`]", "", " ".join((meta.abstract or "").split()))),
        people=people,
        site_title=words(hugo.title) if hugo is not None and hugo.title else None,
    )


def _title_from_heading(post: Post, tokens: list[Token],
                        renderer: LatexRenderer) -> tuple[str, str]:
    """Without a front-matter title, a leading ``# Heading`` is the title (and leaves the
    body); otherwise the file name is."""
    first = next((t for t in tokens if t["type"] != "blank_line"), None)
    if first is not None and first["type"] == "heading":
        levels = [t["attrs"]["level"] for t in tokens if t["type"] == "heading"]
        if levels.count(first["attrs"]["level"]) == 1 and first["attrs"]["level"] == min(levels):
            tokens.remove(first)
            plain = plain_text(first["children"])
            return renderer.inlines(first["children"]).strip(), plain
    stem = post.path.resolve().parent.name if post.path.stem == "index" else post.path.stem
    plain = stem.replace("-", " ").replace("_", " ").strip().capitalize() or "Untitled"
    return renderer.escape(plain), plain
