"""Edit rebuild: one engine pass, when the aux files prove no other pass is needed.

After a text-only edit (no new citation, label or figure) the aux files of the last build
are already right, so one pass of the engine makes the final PDF. latexmk cannot know that
in advance and often runs a second pass. Here the engine runs once, directly, confined the
same way latexmk runs it (``process.run``, the same options), and then the check is
the one latexmk itself makes: did any file the pass wrote, other than the log and the PDF,
change? The pass records its outputs with ``-recorder`` (the .fls file): .aux, .out, .toc
and the like. If all of them are byte-identical to what the pass read, the document is at
its fixed point and the PDF is final. Otherwise (a new citation, a moved label, a changed
page count in the bookmarks) ``None`` is returned and latexmk finishes the job from a clean
slate: its database (.fdb_latexmk) is removed first, since it does not know about our pass.

Only used when the build folder holds a finished successful build (the build record says
so) and the generated .bib is unchanged, so the .bbl BibTeX wrote is still right.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable
from pathlib import Path

from mdpaper.build.cache import file_digest
from mdpaper.build.engine_formats import copy_env
from mdpaper.build.failure import pass_from_format
from mdpaper.build.format_cache import SharedFormat
from mdpaper.build.preload import remember
from mdpaper.build.standby import Standby, StandbyPass
from mdpaper.errors import Diagnostic
from mdpaper.tex.engines import ENGINES
from mdpaper.tex.latexmk import (
    CompileOutcome,
    LatexError,
    check_tools,
    engine_command,
    make_pdf,
)
from mdpaper.tex.log import locate_missing, pages_from_log, read_tex_log
from mdpaper.tex.process import kill_group, run, sandbox_env

#: Outputs that change on every pass and say nothing about the document's fixed point.
_NOT_STATE = {".log", ".pdf", ".fls", ".synctex", ".synctex.gz", ".xdv", ".fdb_latexmk"}


def state_files(tex: Path, recorded: str | None = None) -> set[str] | None:
    """Names of the files the last pass wrote (from its .fls, or ``recorded``, the text it
    had), minus log and PDF."""
    try:
        lines = (recorded if recorded is not None
                 else tex.with_suffix(".fls").read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return None
    names = set()
    for line in lines.splitlines():
        if not line.startswith("OUTPUT "):
            continue
        name = line.removeprefix("OUTPUT ").strip()
        path = Path(name)
        if path.is_absolute() or ".." in path.parts:
            return None  # not a build we made: let latexmk handle it
        if "".join(path.suffixes[-2:]) in _NOT_STATE or path.suffix in _NOT_STATE:
            continue
        names.add(path.as_posix().removeprefix("./"))
    return names


def _digests(folder: Path, names: set[str]) -> dict[str, str | None]:
    return {n: file_digest(folder / n) for n in names}


def one_pass(tex: Path, *, engine: str, timeout: float,
             waiting: Standby | None = None) -> tuple[CompileOutcome | None, int]:
    """Run the engine once on ``tex``: ``(outcome, 1)`` when that made the final PDF,
    ``(None, 1)`` when latexmk must finish, ``(None, 0)`` when the pass was not even tried
    (another engine, or no record of the last pass's outputs).

    Raises ``LatexError`` when TeX fails (latexmk would fail the same way), and
    ``LatexTimeout`` or ``TexToolMissing`` as ``compile_tex`` does.
    """
    tex = tex.resolve()
    if engine not in ENGINES:
        return None, 0
    # (a run that preloaded the preamble has replaced the .fls: it kept what was there)
    before_names = state_files(tex, waiting.recorded if waiting is not None else None)
    if not before_names or tex.with_suffix(".aux").name not in before_names:
        return None, 0
    before = _digests(tex.parent, before_names)
    env = sandbox_env(copy_env(engine))
    check_tools(engine, path=env.get("PATH"))
    # latexmk's database describes the state before this pass: it must not trust it later.
    with contextlib.suppress(FileNotFoundError):
        os.unlink(tex.with_suffix(".fdb_latexmk"))
    returncode = run_pass_with_format(tex, engine, env, timeout, before_names,
                                      waiting.document if waiting is not None else None)
    log = tex.with_suffix(".log")
    log_text, errors, warnings = read_tex_log(tex)
    if returncode != 0:
        problems = errors or [Diagnostic("error", f"{engine} failed (exit {returncode})", tex.name)]
        raise LatexError(locate_missing(problems, tex), log)
    after_names = state_files(tex)
    pdf = tex.with_suffix(".pdf")
    if after_names != before_names or _digests(tex.parent, after_names) != before:
        return None, 1
    if not make_pdf(tex, engine, env, timeout):
        return None, 1
    return CompileOutcome(pdf, log, warnings, pages_from_log(log_text), passes=1), 1


def run_pass_with_format(tex: Path, engine: str, env: dict[str, str], timeout: float,
                         state: set[str], waiting: StandbyPass | None = None) -> int:
    """One pass, from the precompiled preamble when there is one for this preamble, in the
    build folder or the shared cache (else the format is built alongside, for the next
    build of this or any post that shares it); ``waiting`` is that pass when it already
    loaded the very format (``standby``). Returns the engine's exit code."""
    command = engine_command(tex.name, engine)
    # The terminal output is in the .log too, so the runner discards it.
    run_pass = functools.partial(run, cwd=tex.parent, env=env, timeout=timeout, source=tex)
    fmt = SharedFormat(tex, engine)
    if fmt.ready():
        from_format = (functools.partial(waiting.go, timeout, tex)
                       if waiting is not None and waiting.takes(fmt)
                       else functools.partial(run_pass, fmt.pass_command(command)))
        return pass_from_format(fmt, from_format, functools.partial(run_pass, command), state)
    if not fmt.enabled:  # no format for this engine: a run that preloaded the shared part
        return _pass_preloaded(fmt, functools.partial(run_pass, command), timeout, state,
                               waiting)
    builder = fmt.start_build(env) if fmt.worth_building() else None
    try:
        returncode = run_pass(command)
    except BaseException:
        if builder is not None:
            kill_group(builder)
        raise
    if builder is not None:
        fmt.finish_build(builder, timeout)
    return returncode


def _pass_preloaded(fmt: SharedFormat, ordinary: Callable[[], int], timeout: float,
                    state: set[str], waiting: StandbyPass | None) -> int:
    """One pass of an engine that has no format: by ``waiting`` when it preloaded this very
    shared part (a failure there is judged by the ordinary pass, as a format's is), else the
    ordinary way. The shared part of a pass that succeeded is remembered for the next
    build's preloading run."""
    if waiting is not None and waiting.preloaded is not None and waiting.takes(fmt):
        returncode = pass_from_format(fmt, functools.partial(waiting.go, timeout, fmt.tex),
                                      ordinary, state)
    else:
        if waiting is not None:
            waiting.cancel()  # (it holds the job's log open)
        returncode = ordinary()
    if returncode == 0 and fmt.shared:
        remember(fmt.engine, fmt.preamble)
    return returncode


__all__ = ["one_pass", "run_pass_with_format", "state_files"]
