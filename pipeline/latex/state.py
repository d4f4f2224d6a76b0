"""Everything rendering reads or changes, declared in one place.

``RenderContext`` is what the caller knows before rendering (paths, engine, bibliography,
parser, highlight cache); ``RenderState`` is what rendering accumulates (counters, labels,
cite keys, required packages, nesting depths, diagnostics). Handlers reach both through
``renderer.state``; nothing else holds rendering data.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mdpaper.errors import Diagnostic, Diagnostics
from mdpaper.latex.code import HighlightCache
from mdpaper.latex.escape import TextEscaper, pdflatex_characters
from mdpaper.latex.headings import HeadingPlan
from mdpaper.latex.math_unicode import prose_math
from mdpaper.latex.scripts import (
    EMOJI_DEFINITION,
    EMOJI_DEFINITION_DVIPDFMX,
    PDFLATEX_DEFINITIONS,
    PLACEHOLDER_DEFINITION,
    pdflatex_definition,
)
from mdpaper.model import BibliographyPlacement, Definitions, Package, Requirement
from mdpaper.source.permalinks import Permalinks
from mdpaper.source.site_templates import SiteTemplate
from mdpaper.tex.engines import ENGINES, PLAIN_ENGINE
from mdpaper.tex.fonts import code_fallback

if TYPE_CHECKING:  # importing bibtexparser costs start-up time: types only
    from mdpaper.bibliography.database import Bibliography
    from mdpaper.markdown.parser import PostMarkdown

Token = dict[str, Any]


@dataclass
class RenderContext:
    """What the renderer needs to know about the post and its surroundings."""

    post_path: Path
    site_root: Path
    post_dir: Path
    bibliography: Bibliography | None = None
    engine: str = PLAIN_ENGINE
    #: the post's parser, to parse captions given as shortcode arguments
    parser: PostMarkdown | None = None
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    #: Hugo's autoHeadingIDType: github, github-ascii or blackfriday
    heading_ids: str = "github"
    #: highlighted code blocks of the last build
    highlight_cache: HighlightCache | None = None
    #: the site renders raw HTML (markup.goldmark.renderer.unsafe), so the paper shows it
    raw_html: bool = False
    #: the site's Goldmark renders each line break of a paragraph as <br> (hardWraps)
    hard_wraps: bool = False
    #: the site has no passthrough: Goldmark reads math as Markdown before MathJax does
    math_as_markdown: bool = False
    #: the site's theme is a Wowchemy or Hugo Blox module: its figure shortcode, not
    #: Hugo's, shows figures the site has no template of its own for
    hugo_blox: bool = False
    #: the post has right-to-left text its engine sets in reading order (TeX--XeT)
    right_to_left: bool = False
    #: the site sets enableEmoji: Hugo's :name: shortcodes in the text are glyphs
    emoji: bool = False
    #: a paragraph that is one inline formula is set as display math (lone-formulas)
    lone_formulas_display: bool = True
    #: where the blog publishes its pages (ref/relref shortcodes, links to other posts)
    permalinks: Permalinks | None = None
    #: the page's and the site's params (the param shortcode), keys in lower case
    page_params: dict[str, Any] = field(default_factory=dict)
    site_params: dict[str, Any] = field(default_factory=dict)
    #: the document's file name, without suffix: its .tex, .bib and .pdf are named so
    bib_name: str = "references"
    #: control words the template's preamble defines, and whether math may use only known
    #: ones (False when the template loads packages mdpaper does not know)
    template_macros: frozenset[str] = frozenset()
    strict_math: bool = True
    #: the site's own shortcode templates mdpaper can expand (``source.site_templates``)
    site_templates: dict[str, SiteTemplate] = field(default_factory=dict)
    #: every shortcode template Hugo would use for the site (name -> file), readable or not
    shortcode_files: dict[str, Path] = field(default_factory=dict)


@dataclass
class RenderState:
    """The mutable state of one rendering pass over one post."""

    ctx: RenderContext
    #: preamble requirements declared by the handlers, by package or definition name
    requirements: dict[str, Requirement] = field(default_factory=dict)
    #: BibTeX keys cited, in order of first citation, with the first line citing each
    cite_keys: dict[str, int] = field(default_factory=dict)
    #: figure file name in the output folder -> source file
    figures: dict[str, Path] = field(default_factory=dict)
    #: image files shown as placeholders, being no image TeX can include (``RenderResult``)
    unshown_images: list[Path] = field(default_factory=list)
    #: other files the body shows (a table's CSV, a cited publication page: ``RenderResult``)
    shown_files: list[Path] = field(default_factory=list)
    figure_count: int = 0
    #: footnote definitions by key, and the keys referenced so far
    footnotes: dict[str, list[Token]] = field(default_factory=dict)
    footnotes_used: set[str] = field(default_factory=set)
    bibliography: BibliographyPlacement | None = None
    #: title of the heading that introduces the next bibliography shortcode
    pending_bibliography_title: str | None = None
    plan: HeadingPlan = field(default_factory=HeadingPlan)
    #: Markdown line of the block being rendered
    line: int | None = None
    list_depth: int = 0
    max_list_depth: int = 0
    tight_list: bool = False
    #: Inside a macro argument (footnote, table cell, caption) verbatim cannot work.
    in_argument: int = 0
    #: how many runs of inlines enclose the current one (emphasis, a link: a macro's
    #: argument, where \par cannot go)
    inline_depth: int = 0
    #: a run of inlines enclosing the current one has its direction marks
    #: (``latex.direction``)
    directing: bool = False
    #: inside a link's text (no linkified address may nest in it)
    in_link: int = 0
    #: inside \sout{...} or \uline{...} (whose argument is taken apart word by word)
    ulem_depth: int = 0
    #: inline HTML tags open in the current run of inlines
    html_stack: list[str] = field(default_factory=list)
    #: while a heading's title renders: ids its inline HTML gives (labelled after the
    #: heading command; a \label inside its title would break the PDF bookmark)
    heading_targets: list[str] | None = None
    #: ids given a link target so far, the headings' from the start (``link_target``)
    placed_targets: set[str] = field(default_factory=set)
    #: paired shortcodes ({{< note >}} ... {{< /note >}}) open at this point
    open_shortcodes: list[str] = field(default_factory=list)
    #: names of shortcodes mdpaper does not know that are closed somewhere (paired: their
    #: content was kept) (``latex.unknown_shortcodes``)
    closed_unknown: set[str] = field(default_factory=set)
    #: labels a tabs shortcode gives its tabs (hextra's items="A,B"), in order, not yet used
    tab_labels: list[str] = field(default_factory=list)
    #: characters the engine cannot show, already warned about
    reported_chars: set[str] = field(default_factory=set)
    #: scripts already warned about (a missing script, or one set left to right): one
    #: warning each, not one per letter
    reported_scripts: set[str] = field(default_factory=set)
    #: macros the post's math defined so far (\newcommand in a formula lasts, as in MathJax)
    math_macros: set[str] = field(default_factory=set)
    #: (formula, number of math macros) -> its LaTeX, for formulas whose conversion
    #: changed nothing here (``latex.math.checked_math``)
    formula_memo: dict[tuple[str, int], str] = field(default_factory=dict)
    #: how many times ``use`` changed the requirements
    requirement_changes: int = 0
    escape: TextEscaper = field(init=False)

    def __post_init__(self) -> None:
        self.escape = TextEscaper(self.ctx.engine, self.unsupported_char, self.require_for_text,
                                  prose_math)

    @property
    def diag(self) -> Diagnostics:
        return self.ctx.diagnostics

    def use(self, requirement: Requirement) -> None:
        """Record what the construct being rendered needs in the preamble. Declaring a
        package twice merges its options; the preamble orders requirements itself."""
        known = self.requirements.get(requirement.name)
        if known == requirement:  # (every formula declares amsmath again)
            return
        if isinstance(known, Package) and isinstance(requirement, Package):
            requirement = known.merged(requirement)
        self.requirements[requirement.name] = requirement
        self.requirement_changes += 1

    def footprint(self) -> tuple[int, int, int, int]:
        """What rendering a construct may change besides its own text: a construct that
        left this as it was may be rendered from memory next time."""
        return (self.requirement_changes, len(self.diag.items), len(self.math_macros),
                len(self.reported_chars))

    def note_list_depth(self, depth: int) -> None:
        """A raw HTML list opened ``depth`` lists deep: past LaTeX's four levels ("Too
        deeply nested", a file tree), enumitem sets the deeper ones."""
        if depth > self.max_list_depth:
            self.max_list_depth = depth
            self.use_package("enumitem")

    def use_package(self, name: str, options: str = "", *, setup: tuple[str, ...] = ()) -> None:
        self.use(Package(name, options, setup))

    def define(self, name: str, text: str) -> None:
        """Preamble definitions (macros, environments) the construct relies on."""
        self.use(Definitions(name, text))

    def require_for_text(self, need: str) -> None:
        """What a character of the text needs in the preamble (``latex.scripts``)."""
        if need == "greek":
            self.use_package("textalpha")
        elif need == "emoji":
            self.use_package("twemojis")
            if ENGINES[self.ctx.engine].writes_pdf:
                self.use_package("accsupp")
                self.define("mdpaperemoji", EMOJI_DEFINITION)
            else:  # xdvipdfmx writes the PDF
                self.define("mdpaperemoji", EMOJI_DEFINITION_DVIPDFMX)
        elif need == "placeholder":
            self.define("mdpapermissing", PLACEHOLDER_DEFINITION)
        elif (need.startswith("right-to-left ") and need not in self.reported_scripts
              and not self.ctx.right_to_left):
            self.reported_scripts.add(need)
            self.diag.warn(f"{need.split()[1]} text is set left to right: mdpaper does no "
                           "right-to-left layout (its words and lines run left to right)",
                           self.line)
        elif need in PDFLATEX_DEFINITIONS:  # a script beyond T1 under pdflatex
            self.define(f"mdpaper{need}", pdflatex_definition(need, pdflatex_characters()))

    def code_character(self, ch: str) -> str:
        """A character of code (a block's or a span's): as in prose, except one that no
        monospaced font has and a text font has (Hebrew) is drawn from that font."""
        if ENGINES[self.ctx.engine].unicode and (font := code_fallback(ch)) is not None:
            name = "mdpapercode" + "".join(c for c in font if c.isalpha())
            self.define(name, f"\\newfontfamily\\{name}{{{font}}}[Scale=MatchLowercase]")
            return f"{{\\{name} {ch}}}"
        return self.escape.character(ch)

    def unsupported_char(self, ch: str) -> None:
        if ch in self.reported_chars:
            return
        self.reported_chars.add(ch)
        name = unicodedata.name(ch, f"U+{ord(ch):04X}")
        script = name.split()[0]  # ARABIC LETTER MEEM: one warning for its script's letters
        if script in self.reported_scripts:
            return
        self.reported_scripts.add(script)
        if ENGINES[self.ctx.engine].unicode:
            self.diag.warn(f"character '{ch}' ({name}) is in no installed font; shown as "
                           f"U+{ord(ch):04X} in a box{self._alike(script)}", self.line)
            return
        self.diag.warn(f"character '{ch}' ({name}) cannot be typeset by {self.ctx.engine}; "
                       "replaced (use --engine auto, xelatex or lualatex to keep it)"
                       f"{self._alike(script)}", self.line)

    @staticmethod
    def _alike(script: str) -> str:
        return f"; the post's other {script} characters likewise (not warned again)"


def forget_errors_since(state: RenderState, told: int) -> list[Diagnostic]:
    """Drop the errors reported after the first ``told`` diagnostics; the ones dropped."""
    items = state.diag.items
    errors = [d for d in items[told:] if d.severity == "error"]
    items[told:] = [d for d in items[told:] if d.severity != "error"]
    return errors
