"""Markdown post -> LaTeX text (no TeX run): the conversion half of ``mdpaper build``."""

from __future__ import annotations

from dataclasses import dataclass

from mdpaper.errors import Diagnostics
from mdpaper.model import Post, RenderResult
from mdpaper.site import resolve_site_path


@dataclass
class Conversion:
    post: Post
    name: str
    tex: str
    bib: str | None
    result: RenderResult
    #: 1-based line of the .tex where the body starts (for the source map)
    body_line: int


def load_bibliography(post: Post):  # type: ignore[no-untyped-def]
    """The post's bibliography (``bibFile``, resolved against the site root), or None."""
    if not post.meta.bib_file:
        return None
    from mdpaper.bibliography import Bibliography

    line = post.meta.key_lines.get("bibFile")
    path = resolve_site_path(post.site_root, post.meta.bib_file.lstrip("/"), base=post.site_root,
                             post=post.path, line=line, what="bibFile")
    return Bibliography.load(path)


def convert(post: Post, name: str, *, engine: str = "pdflatex", template: str = "article",
            diagnostics: Diagnostics | None = None) -> Conversion:
    from mdpaper.document import assemble, load_template
    from mdpaper.latex.renderer import LatexRenderer, RenderContext
    from mdpaper.markdown import create_parser
    from mdpaper.titleblock import title_block

    diag = diagnostics or Diagnostics(path=post.path)
    tmpl = load_template(template)
    bibliography = load_bibliography(post)
    parser = create_parser()
    parsed = parser.parse_post(post.body, post.body_line)
    ctx = RenderContext(post_path=post.path, site_root=post.site_root,
                        post_dir=post.path.resolve().parent, bibliography=bibliography,
                        engine=engine, parser=parser, diagnostics=diag)
    renderer = LatexRenderer(ctx)
    renderer.bib_name = name
    tokens = parsed.tokens
    title = title_block(post, tokens, renderer)
    result = renderer.render(tokens, parsed.footnotes)
    diag.raise_errors()
    tex, body_line = assemble(tmpl, title, result, engine=engine,
                              list_depth=renderer.max_list_depth)
    bib = None
    if bibliography is not None and result.bibliography is not None:
        bib = bibliography.to_bibtex(None)
    result.source_map = result.source_map.shifted(body_line - 1)
    return Conversion(post=post, name=name, tex=tex, bib=bib, result=result, body_line=body_line)

