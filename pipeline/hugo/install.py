"""``mdpaper hugo install``: copy mdpaper's Hugo layouts (a partial and the ``paper-pdf``
shortcode) into a site's ``layouts/`` folder.

Installing again leaves identical files alone; a file that differs (changed by the author
to fit the theme, or from another mdpaper version) is kept unless ``force``. Every file is
written atomically, and only under the site's ``layouts/``.
"""

from __future__ import annotations

import importlib.resources
from dataclasses import dataclass
from pathlib import Path

from mdpaper.errors import MdpaperError
from mdpaper.files import inside, write_atomic


@dataclass
class Installed:
    path: Path
    #: "written", "replaced", "up to date" or "kept (differs; --force replaces it)"
    what: str


def shipped_layouts() -> dict[str, bytes]:
    """Path under ``layouts/`` -> content, for every file mdpaper ships for Hugo."""
    root = Path(str(importlib.resources.files("mdpaper.hugo"))) / "layouts"
    if not root.is_dir():
        raise MdpaperError(f"mdpaper's Hugo layouts are missing from {root}: reinstall mdpaper")
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*.html"))}


def install(site: Path, *, force: bool = False) -> list[Installed]:
    layouts = site / "layouts"
    if layouts.is_symlink() or (layouts.exists() and not layouts.is_dir()):
        raise MdpaperError("layouts is not a folder of the site; not writing into it", layouts)
    done = []
    for name, data in shipped_layouts().items():
        target = layouts / name
        existing = next(p for p in (target.parent, *target.parent.parents) if p.exists())
        if not inside(site, existing):  # a symlinked folder must not carry writes away
            raise MdpaperError("points outside the site; not writing through it", target.parent)
        if target.is_file():
            if target.read_bytes() == data:
                done.append(Installed(target, "up to date"))
                continue
            if not force:
                done.append(Installed(target, "kept (differs; --force replaces it)"))
                continue
        what = "replaced" if target.exists() else "written"
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, data)
        done.append(Installed(target, what))
    return done

