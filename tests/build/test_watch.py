"""``mdpaper watch``: real builds in a thread (and the CLI in a subprocess), rebuilt when
the post, its bibliography or an image is saved; a failed rebuild keeps the last good PDF."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from PIL import Image

from mdpaper.build.post import BuildOptions
from mdpaper.build.watch import BuildEvent, describe, watch, watched_files

from conftest import REFERENCES, Site, pdf_text, requires_tex, squash

pytestmark = [pytest.mark.tex, requires_tex]


def next_event(events: queue.Queue[BuildEvent], timeout: float = 90) -> BuildEvent:
    return events.get(timeout=timeout)


def save(path: Path, text: str) -> None:
    """Save like an editor: write a new file and rename it over the old one."""
    tmp = path.with_name("." + path.name + ".swp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def write_png(path: Path, width: int, height: int) -> None:
    Image.new("RGB", (width, height), (width * 8 % 256, 64, 128)).save(path)


def test_watch_rebuilds_on_post_bib_and_image_changes(site: Site, tmp_path: Path) -> None:
    write_png(site.root / "content" / "posts" / "fig.png", 8, 8)
    post = site.post("First version {{< cite \"shannon1948\" >}}.\n\n![A figure](fig.png)\n")
    events: queue.Queue[BuildEvent] = queue.Queue()
    stop = threading.Event()
    options = BuildOptions(outdir=tmp_path / "out")
    thread = threading.Thread(target=watch, args=(post, options),
                              kwargs={"stop": stop, "on_build": events.put, "debounce_ms": 100},
                              daemon=True)
    thread.start()
    try:
        first = next_event(events)
        assert first.ok, first.errors
        pdf = first.result.pdf
        assert "First version" in squash(pdf_text(pdf))
        files, _ = watched_files(post, options)
        assert {post.resolve(), (site.root / "data" / "bibliography.json").resolve(),
                (post.parent / "fig.png").resolve()} <= files
        time.sleep(0.5)  # let the watcher start

        save(post, post.read_text().replace("First version", "Second version"))
        second = next_event(events)
        assert second.ok and post.resolve() in second.changed
        assert "Second version" in squash(pdf_text(pdf))

        save(post, post.read_text().replace("shannon1948", "shanon1948"))
        broken = next_event(events)
        assert not broken.ok
        assert any(f"{post}:5: error: unknown citation key 'shanon1948'" in e
                   for e in broken.errors)
        assert "build failed" in describe(broken)[-1]
        assert "Second version" in squash(pdf_text(pdf))  # the last good PDF stays

        refs = [dict(r, id="shanon1948") if r["id"] == "shannon1948" else r for r in REFERENCES]
        save(site.root / "data" / "bibliography.json", json.dumps(refs))
        fixed = next_event(events)
        assert fixed.ok, fixed.errors
        assert (site.root / "data" / "bibliography.json").resolve() in fixed.changed
        assert "Shannon" in squash(pdf_text(pdf))

        write_png(post.parent / "fig.png", 16, 16)
        image = next_event(events)
        assert image.ok and (post.parent / "fig.png").resolve() in image.changed
        assert "built" in describe(image)[-1] and "1 page" in describe(image)[-1]

        (tmp_path / "out" / "post" / "unrelated.txt").write_text("x")  # output: ignored
        with pytest.raises(queue.Empty):
            events.get(timeout=1.5)
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()


def next_built(proc: subprocess.Popen[str]) -> str:
    """The next summary line of ``mdpaper watch`` (stage lines come before it)."""
    assert proc.stdout is not None
    for line in proc.stdout:
        if "] built " in line:
            return line
    raise AssertionError("mdpaper watch ended without a build")


def test_watched_files_are_what_the_build_record_hashes(site: Site, tmp_path: Path) -> None:
    """A site shortcode template the post uses is watched: an edit changes the paper (the
    build record rebuilds for it), so watch must rebuild too."""
    template = site.root / "layouts" / "shortcodes" / "hi.html"
    template.parent.mkdir(parents=True)
    template.write_text("<b>{{ .Get 0 }}</b>")
    post = site.post('Say {{< hi "there" >}}.\n')
    files, _ = watched_files(post, BuildOptions(outdir=tmp_path / "out"))
    assert template.resolve() in files


def test_watch_command_runs_until_interrupted(site: Site, tmp_path: Path) -> None:
    post = site.post("Watched.\n")
    proc = subprocess.Popen([sys.executable, "-m", "mdpaper", "watch", "-o", str(tmp_path),
                             str(post)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, stdin=subprocess.DEVNULL,
                            # a test run started in the background inherits an ignored
                            # SIGINT; Ctrl-C must reach the watcher as it would in a shell
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        line = next_built(proc)
        assert str(tmp_path / "post" / "post.pdf") in line, line
        time.sleep(1.0)
        save(post, post.read_text().replace("Watched.", "Watched twice."))
        line = next_built(proc)
        assert "after a change to post.md" in line, line
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "watching" in err
    assert "Watched twice." in squash(pdf_text(tmp_path / "post" / "post.pdf"))


def test_a_save_during_a_build_is_not_missed(site: Site, tmp_path: Path) -> None:
    """A save that lands while a build runs, before the watcher starts looking, still
    rebuilds (here: the first build's own report saves the post)."""
    post = site.post("First version.\n")
    events: queue.Queue[BuildEvent] = queue.Queue()

    def on_build(event: BuildEvent) -> None:
        if event.number == 1:
            save(post, post.read_text().replace("First", "Saved-during-build"))
        events.put(event)

    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(post, BuildOptions(outdir=tmp_path / "out")),
                              kwargs={"stop": stop, "on_build": on_build, "debounce_ms": 100,
                                      "force_polling": True}, daemon=True)
    thread.start()
    try:
        assert next_event(events).ok
        second = next_event(events, timeout=30)
        assert second.ok and post.resolve() in second.changed
        assert "Saved-during-build" in squash(pdf_text(second.result.pdf))
    finally:
        stop.set()
        thread.join(timeout=30)
