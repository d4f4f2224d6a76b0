"""Build many posts at once: ``mdpaper build -j N`` runs N builds in worker processes.

Each build is independent (its own output folder, its own TeX processes; two posts with
the same output name take turns through the folder's lock), so a process pool is all it
takes. Workers send back plain data: the ``BuildResult``, or the error's printed text, so
exceptions never need to cross the process boundary. Results come back in the order the
posts were given, whatever order they finish in.
"""

from __future__ import annotations

import dataclasses
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from mdpaper.build.options import BuildOptions
from mdpaper.build.post import build_post
from mdpaper.errors import MdpaperError
from mdpaper.model import BuildResult
from mdpaper.progress import silenced


@dataclass
class Outcome:
    post: Path
    result: BuildResult | None = None
    #: ``file:line: error: ...`` lines when the build failed
    error: str | None = None
    #: ``file:line: warning: ...`` lines the failed build had found (printed before it)
    warnings: list[str] = dataclasses.field(default_factory=list)
    #: the traceback, for ``--debug``
    trace: str | None = None
    #: the exit status the error asks for (1 a problem in the post, 2 a usage error)
    exit_code: int = 1
    #: how long the build took
    seconds: float = 0.0


def build_one(post: Path, options: BuildOptions) -> Outcome:
    """Build one post; never raises for a problem in the post (that is the outcome)."""
    start = time.monotonic()
    try:
        return Outcome(post, result=build_post(post, options),
                       seconds=time.monotonic() - start)
    except MdpaperError as exc:
        return Outcome(post, error=str(exc), warnings=[str(w) for w in exc.warnings],
                       trace=traceback.format_exc(), exit_code=exc.exit_code,
                       seconds=time.monotonic() - start)


def build_quietly(post: Path, options: BuildOptions) -> Outcome:
    """``build_one`` in a worker: no stage lines (builds running side by side would mix
    them up); the parent prints each post's summary line."""
    with silenced():
        return build_one(post, options)


def build_many(posts: list[Path], options: BuildOptions, jobs: int,
               build: Callable[[Path, BuildOptions], Outcome] = build_one
               ) -> Iterator[Outcome]:
    """Yield one ``Outcome`` per post, in order; ``jobs`` builds run at the same time.
    Many posts are built without a waiting TeX each (``standby``): throughput is ``-j``'s."""
    if len(posts) > 1:
        options = dataclasses.replace(options, standby=False)
    if jobs <= 1 or len(posts) <= 1:
        for post in posts:
            yield build(post, options)
        return
    # multiprocessing costs a single build ~15 ms of start-up: loaded only for a pool
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=min(jobs, len(posts))) as pool:
        work = build_quietly if build is build_one else build
        futures = [pool.submit(work, post, options) for post in posts]
        try:
            for future in futures:
                yield future.result()
        except BaseException:
            for future in futures:
                future.cancel()
            raise
