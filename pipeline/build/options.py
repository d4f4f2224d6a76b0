"""What a build was asked to do: the command line's choices, before the post and the site
config fill in the rest. Kept apart (and import-free), so a command names it without
loading the pipeline."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class BuildOptions:
    """What the command line chose; ``None`` leaves it to the post and the site config."""

    outdir: Path | None = None
    engine: str | None = None
    template: str | None = None
    tex_only: bool = False
    timeout: float = 300.0
    citation_style: str | None = None
    #: Start TeX on the likely format while the post converts (``build.standby``): for one
    #: post; a run over many leaves the other cores to ``-j``.
    standby: bool = True


def build_options(args: Any, tex_only: bool = False) -> BuildOptions:
    """The options a parsed command line (``argparse.Namespace``) gives a build; None leaves
    a setting to the post and the site config."""
    return BuildOptions(outdir=args.outdir, engine=args.engine, template=args.template,
                        tex_only=tex_only, timeout=args.timeout,
                        citation_style=args.citation_style)
