"""What a build was asked to do: the command line's choices, before the post and the site
config fill in the rest. Kept apart (and import-free) so the argument parser can name it
without loading the pipeline."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass
class BuildOptions:
    """What the command line chose; ``None`` leaves it to the post and the site config."""

    outdir: Path | None = None
    engine: str | None = None
    template: str | None = None
    tex_only: bool = False
    timeout: float = 300.0
    citation_style: str | None = None


def default_jobs() -> int:
    """``-j 0``: one build per core this process may run on."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else (os.cpu_count() or 1))
