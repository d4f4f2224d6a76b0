"""Markdown post -> LaTeX text (no TeX run): the conversion half of ``mdpaper build``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mdpaper.bibliography.database import Bibliography
from mdpaper.bibliography.locate import find_bibliography
from mdpaper.document.assemble import assemble
from mdpaper.document.language import Language, post_language
from mdpaper.document.templates import load_template
from mdpaper.document.titleblock import title_block
from mdpaper.errors import Diagnostic, Diagnostics
from mdpaper.latex.escape import (
    pdflatex_can,
    pdflatex_needs,
)
from mdpaper.latex.math_rewrite import preamble_macros
from mdpaper.latex.math_unicode import math_spells
from mdpaper.latex.renderer import LatexRenderer, RenderContext
from mdpaper.latex.scripts import drawn_as_picture
from mdpaper.latex.site_math import (
    define_site_definitions,
    define_site_macros,
    page_loads_physics,
    use_physics,
)
from mdpaper.markdown.goldmark import Syntax
from mdpaper.markdown.parser import PostMarkdown, create_parser
from mdpaper.model import Post, RenderResult
from mdpaper.progress import note, stage
from mdpaper.source import hugo
from mdpaper.source.blogdown import is_blogdown_site
from mdpaper.source.config import Settings, resolve_settings
from mdpaper.source.permalinks import site_permalinks
from mdpaper.source.site import page_language
from mdpaper.source.site_macros import site_math_macros, site_tex_definitions
from mdpaper.source.site_pages import profile_pages
from mdpaper.source.site_shortcodes import math_wrapping_shortcodes, shortcode_templates
from mdpaper.source.site_templates import site_templates
from mdpaper.tex import installed
from mdpaper.tex.engines import ENGINES, resolve_engine
from mdpaper.tex.fonts import FontPlan, plan_fonts


@dataclass
class Conversion:
    post: Post
    name: str
    tex: str
    bib: str | None
    result: RenderResult
    #: 1-based line of the .tex where the body starts (for the source map)
    body_line: int
    #: the effective settings (site config < front matter < arguments), see mdpaper.source.config
    settings: Settings | None = None
    #: Every file the conversion read (post, template, bibliography, figures): what the
    #: build cache hashes to tell whether a rebuild is needed.
    inputs: list[Path] = field(default_factory=list)


def site_files(root: Path) -> list[Path]:
    """The site's config files that exist: mdpaper.toml, pyproject.toml, Hugo's config."""
    candidates = [root / "mdpaper.toml", root / "pyproject.toml", *hugo.config_files(root)]
    return [p for p in candidates if p.is_file()]


def load_bibliography(post: Post, diag: Diagnostics | None = None) -> Bibliography | None:
    """The post's bibliography, found where hugo-cite finds it (``bibliography.locate``);
    ``diag`` gets its warnings, at their lines of the file."""
    source = find_bibliography(post)
    if source is None:
        return None
    hugo = post.site.hugo if post.site is not None else None
    dollar_math = hugo is None or ("$", "$") in hugo.math.inline
    bibliography = Bibliography.load(source.path, math=dollar_math)
    if diag is not None:
        for message, line in bibliography.notes:
            diag.add(Diagnostic("warning", message, source.path, line))
    return bibliography


def _parser(post: Post) -> PostMarkdown:
    """The Markdown parser for the post's site: its math as the site's pages read it."""
    hugo = post.site.hugo if post.site is not None else None
    if hugo is None:
        return create_parser()
    on_blogdown = is_blogdown_site(post.site_root, hugo.source, hugo.content_dir, hugo.themes)
    return create_parser(hugo.math, on_blogdown=on_blogdown,
                         syntax=Syntax(hugo.strikethrough, hugo.extras))


def post_characters(post: Post, bibliography: Bibliography | None) -> set[str]:
    """Every character of the post's file (front matter: title, abstract, authors; body) and
    of its bibliography: what the engine and the fonts must be able to set."""
    try:
        text = post.path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    characters = set(text)
    if post.body not in text:  # (the body, as read, is the file's: one set of 1 MB, not two)
        characters.update(post.body)
    if bibliography is not None:
        characters.update(bibliography.characters())
    return characters


def choose_engine(post: Post, settings: Settings, bibliography: Bibliography | None,
                  language: Language | None) -> FontPlan | None:
    """Settle ``settings.engine`` when it is ``auto`` (saying which and why); return the
    fonts that cover the post's characters under a Unicode engine."""
    characters = post_characters(post, bibliography)
    settings.engine, why = resolve_engine(settings.engine, characters,
                                          pdflatex_can=lambda ch: pdflatex_can(ch) or
                                          math_spells(ch))
    if why != "chosen":
        note(f"engine: {settings.engine} ({why})")
    if not ENGINES[settings.engine].unicode:
        return None
    return plan_fonts((c for c in characters if not drawn_as_picture(c)),
                      language.tag if language is not None else None)


def _report_page_problems(post: Post, parsed: Any, diag: Diagnostics) -> None:
    """What Hugo itself says of the page: a draft, an unclosed comment shortcode."""
    if post.meta.draft and not (post.site is not None and post.site.hugo.build_drafts):
        diag.warn("the post is a draft (draft: true): Hugo leaves it off the site unless "
                  "built with --buildDrafts", post.meta.key_lines.get("draft"))
    for line in parsed.unclosed_comments:
        diag.error("{{% comment %}} is never closed with {{% /comment %}} (Hugo refuses "
                   "to build the page)", line)


def _site_context(post: Post, config: hugo.HugoConfig | None) -> dict[str, Any]:
    """The render settings the Hugo site decides (Hugo's defaults without one)."""
    return {"heading_ids": config.heading_ids if config is not None else "github",
            "raw_html": config.raw_html if config is not None else False,
            "hard_wraps": config is not None and config.hard_wraps,
            "emoji": config is not None and config.emoji,
            "hugo_blox": config is not None and config.hugo_blox,
            "math_as_markdown": config is not None and config.math.escaped,
            "permalinks": site_permalinks(post.site_root, config),
            "site_params": config.params_for(page_language(post)) if config is not None else {}}


def _bibtex(post: Post, bibliography: Bibliography | None, result: Any, engine: str,
            renderer: LatexRenderer) -> str | None:
    """The .bib text when the post prints a bibliography; under pdflatex, what the scripts
    of its text (BibTeX writes it as it is) need in the preamble."""
    if bibliography is None or result.bibliography is None:
        return None
    bib = bibliography.to_bibtex(None, utf8=ENGINES[engine].unicode)
    if not ENGINES[engine].unicode:
        for need in pdflatex_needs(bib + "".join(post_characters(post, bibliography))):
            renderer.state.require_for_text(need)
    return bib


def _define_page_math(renderer: LatexRenderer, post: Post) -> None:
    """The extension, macros and TeX definitions the site (or the post) gives its math."""
    if page_loads_physics(post.site_root, post.body):
        use_physics(renderer)
    if post.site is None:
        return
    origins: dict[str, Path] = {}
    ctx = renderer.state.ctx
    macros = site_math_macros(post.site_root, ctx.page_params, ctx.site_params, origins)
    define_site_macros(renderer, macros, origins)
    define_site_definitions(renderer, site_tex_definitions(post.site_root), post.body)


def convert(post: Post, name: str, *, engine: str | None = None, template: str | None = None,
            citation_style: str | None = None, diagnostics: Diagnostics | None = None,
            settings: Settings | None = None, highlight_cache: Any = None,
            keep_safe_errors: bool = False) -> Conversion:
    """Convert a post; arguments given here override its front matter and site config.
    ``highlight_cache`` (a ``latex.code.HighlightCache``) reuses highlighted code blocks of
    an earlier conversion. ``keep_safe_errors``: errors with visible placeholders stay in
    ``diagnostics``, not raised (the build reports them with TeX's)."""
    if settings is None:
        settings = resolve_settings(post, engine=engine, template=template,
                                    citation_style=citation_style)
    diag = diagnostics or Diagnostics(path=post.path)
    installed.prefetch(post.body, settings.engine)  # (a build started it with its TeX run)
    hugo = post.site.hugo if post.site is not None else None
    tmpl = load_template(settings.template_dir or settings.template)
    with stage("bibliography"):
        bibliography = load_bibliography(post, diag)
    language = post_language(post)
    fonts = choose_engine(post, settings, bibliography, language)
    with stage("parse"):
        parser = _parser(post)
        # (one scan of the site's shortcode folders: parsing, rendering and the build record)
        shortcode_files = shortcode_templates(post.site_root, hugo.themes) if hugo else {}
        wrappers = math_wrapping_shortcodes(shortcode_files) if post.site is not None else None
        templates = site_templates(shortcode_files)
        parsed = parser.parse_post(post.body, post.body_line, block_attributes=hugo is not None
                                   and hugo.block_attributes, math_shortcodes=wrappers,
                                   site_templates=templates, inline_shortcodes=hugo is not
                                   None and hugo.inline_shortcodes)
        _report_page_problems(post, parsed, diag)
    template_macros, strict_math = preamble_macros(tmpl.preamble)
    ctx = RenderContext(post_path=post.path, site_root=post.site_root,
                        post_dir=post.path.resolve().parent, bibliography=bibliography,
                        engine=settings.engine, parser=parser, diagnostics=diag,
                        lone_formulas_display=settings.lone_formulas == "display",
                        page_params=post.meta.params, highlight_cache=highlight_cache,
                        bib_name=name, template_macros=template_macros,
                        strict_math=strict_math, site_templates=templates | parsed.inline_templates,
                        shortcode_files=shortcode_files,
                        right_to_left=_sets_right_to_left(settings.engine, fonts),
                        **_site_context(post, hugo))
    with stage("render"):
        renderer = LatexRenderer(ctx)
        _define_page_math(renderer, post)
        tokens = parsed.tokens
        title = title_block(post, tokens, renderer)
        result = renderer.render(tokens, parsed.footnotes)
        if not (keep_safe_errors and diag.tex_can_run()):
            diag.raise_errors()
        bib = _bibtex(post, bibliography, result, settings.engine, renderer)
        tex, body_line = assemble(tmpl, title, result, engine=settings.engine,
                                  list_depth=renderer.state.max_list_depth,
                                  citation_style=settings.citation_style,
                                  fonts=fonts, language=language)
    result.source_map = result.source_map.shifted(body_line - 1)
    inputs = [post.path, tmpl.source, *([bibliography.path] if bibliography is not None else []),
              *_shown_files(post, result), *shortcode_files.values()]
    return Conversion(post=post, name=name, tex=tex, bib=bib, result=result, body_line=body_line,
                      settings=settings, inputs=[p for p in inputs if p is not None])


def _sets_right_to_left(engine: str, fonts: FontPlan | None) -> bool:
    """Whether the post's right-to-left text is set in its reading order (``latex.direction``)."""
    return ENGINES[engine].tex_xet and fonts is not None and bool(fonts.scripts)


def _shown_files(post: Post, result: RenderResult) -> list[Path]:
    """The files besides the post, its template and bibliography whose content the paper
    shows: figures, the site's config, the author profiles and other pages it prints."""
    return [*result.figures.values(), *result.unshown_images, *result.shown_files,
            *site_files(post.site_root), *profile_pages(post.site_root)]

