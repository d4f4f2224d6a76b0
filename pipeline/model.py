"""Plain data passed between the pipeline's stages."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mdpaper.errors import Diagnostic


@dataclass
class AuthorInfo:
    """One author as the front matter (or site config) describes them."""

    name: str
    affiliations: list[str] = field(default_factory=list)
    email: str | None = None
    orcid: str | None = None


@dataclass
class PaperMeta:
    """What the front matter says about the paper (already validated)."""

    title: str | None = None
    subtitle: str | None = None
    date: str | None = None
    authors: list[str] = field(default_factory=list)
    abstract: str | None = None
    keywords: list[str] = field(default_factory=list)
    bib_file: str | None = None
    slug: str | None = None
    draft: bool = False
    #: Authors given as mappings (``{name, affiliation, email, orcid}``), in order.
    author_info: list[AuthorInfo] = field(default_factory=list)
    #: The ``mdpaper:`` (or ``paper:``) mapping: per-post settings such as ``template``.
    settings: dict[str, Any] = field(default_factory=dict)
    #: 1-based line of each key inside the post, for located errors.
    key_lines: dict[str, int] = field(default_factory=dict)
    #: What Hugo's ``.Params`` holds: every front matter key (lower case) and the keys of
    #: its ``params:`` mapping (the ``param`` shortcode reads them).
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Post:
    path: Path
    meta: PaperMeta
    body: str
    #: 1-based line number (in ``path``) of the body's first line.
    body_line: int
    site_root: Path
    #: The site's configuration (mdpaper.toml / pyproject.toml and Hugo's own config).
    site: Any = None  # mdpaper.source.config.SiteConfig, loaded with the post


@dataclass
class SourceMap:
    """Maps lines of generated LaTeX back to lines of the Markdown post.

    ``entries`` holds ``(tex_line, md_line)`` pairs sorted by ``tex_line`` (both 1-based);
    a TeX line maps to the Markdown line of the last entry at or before it.
    """

    entries: list[tuple[int, int]] = field(default_factory=list)

    def shifted(self, offset: int) -> SourceMap:
        return SourceMap([(t + offset, m) for t, m in self.entries])

    def md_line(self, tex_line: int) -> int | None:
        i = bisect.bisect_right(self.entries, (tex_line, float("inf"))) - 1
        return self.entries[i][1] if i >= 0 else None


@dataclass
class BibliographyPlacement:
    """Where and how the post asked for its bibliography."""

    title: str = "References"
    #: True for ``{{< bibliography cited >}}``: only the entries the post cites.
    cited_only: bool = False
    #: False when the post has no bibliography shortcode (it is then appended if needed).
    explicit: bool = False


@dataclass(frozen=True)
class Package:
    """A LaTeX package a construct of the body needs, declared by the code that emits it."""

    name: str
    options: str = ""
    #: preamble lines that configure the package, right after its ``\\usepackage``
    setup: tuple[str, ...] = ()

    def merged(self, other: Package) -> Package:
        options = [o for o in self.options.split(",") if o]
        options += [o for o in other.options.split(",") if o and o not in options]
        setup = self.setup + tuple(s for s in other.setup if s not in self.setup)
        return Package(self.name, ",".join(options), setup)

    def lines(self) -> list[str]:
        opt = f"[{self.options}]" if self.options else ""
        return [f"\\usepackage{opt}{{{self.name}}}", *self.setup]


@dataclass(frozen=True)
class Definitions:
    """Preamble definitions (macros, environments) a construct of the body relies on."""

    name: str
    text: str

    def lines(self) -> list[str]:
        return [self.text]


Requirement = Package | Definitions


@dataclass
class RenderResult:
    """The LaTeX body of a post and what it needs from the preamble."""

    body: str
    #: What the body needs in the preamble (packages, definitions), by name.
    requirements: dict[str, Requirement] = field(default_factory=dict)
    #: BibTeX keys cited, in order of first citation, with the first Markdown line citing each.
    cite_keys: dict[str, int] = field(default_factory=dict)
    bibliography: BibliographyPlacement | None = None
    #: Files the body includes (``\includegraphics``): name in the output folder -> source.
    figures: dict[str, Path] = field(default_factory=dict)
    #: Image files the body shows as placeholders (not images TeX can include): read all the
    #: same, so mending one makes the next build convert again.
    unshown_images: list[Path] = field(default_factory=list)
    #: Other files whose content the body shows (a table shortcode's CSV, a publication page
    #: a cite shows): inputs of the build like the post itself.
    shown_files: list[Path] = field(default_factory=list)
    source_map: SourceMap = field(default_factory=SourceMap)
    diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass
class BuildResult:
    """What ``mdpaper build`` produced for one post."""

    name: str
    outdir: Path
    tex: Path
    bib: Path | None
    pdf: Path | None
    #: The BibTeX output of the successful build (kept for arXiv bundles).
    bbl: Path | None = None
    pages: int | None = None
    figures: dict[str, Path] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: True when nothing changed since the last build and TeX was not run.
    up_to_date: bool = False
    #: Engine passes this build ran (0 when up to date or ``--tex-only``).
    passes: int = 0
