"""``mdpaper watch POST``: build, then rebuild whenever something the paper is made of
changes: the post, its bibliography, its images, the template, the site's config.

A failed rebuild prints its located errors and leaves the last good PDF in place (the build
only replaces outputs after TeX succeeded). The set of watched files is worked out again
after every build, so an image added to the post is watched from then on. Folders are
watched rather than files, because editors often save by writing a new file and renaming
it over the old one.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import watchfiles

from mdpaper.build.check import CollectingDiagnostics
from mdpaper.build.convert import convert, load_bibliography
from mdpaper.build.options import BuildOptions
from mdpaper.build.post import build_post
from mdpaper.errors import Diagnostic, MdpaperError, MultipleErrors
from mdpaper.model import BuildResult
from mdpaper.progress import silenced
from mdpaper.source import hugo
from mdpaper.source.config import resolve_settings
from mdpaper.source.site import load_post, output_name


@dataclass
class BuildEvent:
    """One build made by ``watch``: what happened, for printing and for tests."""

    number: int
    ok: bool
    seconds: float
    result: BuildResult | None = None
    errors: list[str] = field(default_factory=list)
    #: files whose change caused this build (empty for the first one)
    changed: list[Path] = field(default_factory=list)


def watched_files(post_path: Path, options: BuildOptions) -> tuple[set[Path], set[Path]]:
    """(files, folders): the files the paper is made of, and folders any new file in which
    matters (the post's own folder, for page bundles)."""
    files = {post_path.resolve()}
    folders = {post_path.resolve().parent}
    with silenced():
        return _watched_files(post_path, options, files, folders)


def _watched_files(post_path: Path, options: BuildOptions, files: set[Path],
                   folders: set[Path]) -> tuple[set[Path], set[Path]]:
    try:
        post = load_post(post_path)
    except MdpaperError:
        return files, folders
    root = post.site_root
    files |= {root / "mdpaper.toml", root / "pyproject.toml", *hugo.config_files(root)}
    try:
        settings = resolve_settings(post, engine=options.engine, template=options.template,
                                    citation_style=options.citation_style,
                                    output=options.outdir)
        if settings.template_dir is not None:
            files.add(settings.template_dir / "template.toml")
        bib = load_bibliography(post)
        if bib is not None:  # bibFile, the bundle's bib.json or a shortcode's src
            files.add(bib.path.resolve())
        conversion = convert(post, output_name(post), settings=settings,
                             diagnostics=CollectingDiagnostics(path=post_path))
        # every file the build record hashes: figures, the site's config, its shortcode
        # templates …: stated once, in the conversion
        files |= {Path(p).resolve() for p in conversion.inputs}
    except MdpaperError:
        if post.meta.bib_file:
            files.add((root / post.meta.bib_file.lstrip("/")).resolve())
    return files, folders


def _is_relevant(path: Path, files: set[Path], folders: set[Path], output: Path) -> bool:
    if path in files:
        return True
    if path.name.startswith((".", "#")) or path.name.endswith(("~", ".tmp", ".swp")):
        return False
    return path.parent in folders and not path.is_relative_to(output)


@dataclass
class _Filter:
    files: set[Path]
    folders: set[Path]
    output: Path

    def __call__(self, _change: object, path: str) -> bool:
        return _is_relevant(Path(path), self.files, self.folders, self.output)


def _errors_of(exc: MdpaperError) -> list[str]:
    errors = exc.errors if isinstance(exc, MultipleErrors) else [exc]
    return [str(e) for e in errors]


def watch(post_path: Path, options: BuildOptions | None = None, *,
          stop: threading.Event | None = None,
          on_build: Callable[[BuildEvent], None] | None = None,
          debounce_ms: int = 300, force_polling: bool | None = None) -> int:
    """Build, then rebuild on every relevant change until ``stop`` is set (or Ctrl-C).

    Returns the number of builds made. ``on_build`` receives each ``BuildEvent``.
    """
    options = options or BuildOptions()
    post_path = post_path.resolve()
    stop = stop or threading.Event()
    count = 0

    def build(changed: Iterable[Path]) -> None:
        nonlocal count
        count += 1
        start = time.monotonic()
        try:
            result = build_post(post_path, options)
            event = BuildEvent(count, True, time.monotonic() - start, result=result)
        except MdpaperError as exc:
            event = BuildEvent(count, False, time.monotonic() - start, errors=_errors_of(exc))
        event.changed = sorted(changed)
        if on_build is not None:
            on_build(event)

    stamps = _stamps(watched_files(post_path, options)[0])
    build([])
    while not stop.is_set():
        files, folders = watched_files(post_path, options)
        output = _output_root(post_path, options)
        roots = _roots(files, folders)
        # yield_on_timeout: every second without events the loop wakes with no changes and
        # compares the files with what the last build read, so a save that landed while a
        # build ran, or before the watcher first looked, is never missed.
        for changes in watchfiles.watch(
                *roots, stop_event=stop, debounce=debounce_ms, step=50, recursive=False,
                force_polling=force_polling, rust_timeout=1000, yield_on_timeout=True,
                watch_filter=_Filter(files, folders, output)):
            changed = {Path(p) for _c, p in changes} or {
                f for f in files if f in stamps and _stamp(f) != stamps[f]}
            if not changed:
                continue
            stamps = _stamps(files)
            build(changed)
            # The post may name new images now: update the sets the filter reads, and
            # start again only when other folders need watching.
            new_files, new_folders = watched_files(post_path, options)
            files.clear()
            files.update(new_files)
            if _roots(new_files, new_folders) != roots:
                break
    return count


def _stamp(path: Path) -> tuple[int, int] | None:
    """What tells a saved file from the last one seen: its mtime and size."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def _stamps(files: set[Path]) -> dict[Path, tuple[int, int] | None]:
    return {f: _stamp(f) for f in files}


def _roots(files: set[Path], folders: set[Path]) -> list[Path]:
    return sorted({f.parent for f in files if f.parent.is_dir()} | folders)


def _output_root(post_path: Path, options: BuildOptions) -> Path:
    try:
        post = load_post(post_path)
        settings = resolve_settings(post, template=options.template, engine=options.engine,
                                    output=options.outdir)
        return (settings.output or post.site_root / "output").resolve()
    except MdpaperError:
        return (options.outdir or post_path.resolve().parent / "output").resolve()


def describe(event: BuildEvent) -> list[str]:
    """The lines ``mdpaper watch`` prints for a build."""
    stamp = time.strftime("%H:%M:%S")
    why = ""
    if event.changed:
        names = ", ".join(p.name for p in event.changed[:3])
        why = f" after a change to {names}" + (" …" if len(event.changed) > 3 else "")
    if event.ok and event.result is not None:
        r = event.result
        warnings = [d for d in r.diagnostics if d.severity == "warning"]
        lines = [str(d) for d in warnings]
        lines.append(f"[{stamp}] built {r.pdf or r.tex}{why}: {_pages(r)}{len(warnings)} "
                     f"warning{'s' * (len(warnings) != 1)}, {event.seconds:.1f} s")
        return lines
    return [*event.errors,
            f"[{stamp}] build failed{why}; the last good PDF is left in place"]


def _pages(result: BuildResult) -> str:
    return f"{result.pages} page{'s' * (result.pages != 1)}, " if result.pages else ""


__all__ = ["BuildEvent", "Diagnostic", "describe", "watch", "watched_files"]
