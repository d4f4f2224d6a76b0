"""SIGTERM (``timeout``, a CI runner, a service manager) stops a build as Ctrl-C does: TeX's
whole process group goes with it (TeX runs in a session of its own, so the signal never
reaches it), the last good PDF stays, and the exit status says so."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from conftest import Site, live_processes, requires_tex

LOOPING = """documentclass = "article"
preamble = '''
\\AtBeginDocument{\\loop\\iftrue\\repeat}
'''
"""


@requires_tex
def test_sigterm_stops_tex_and_keeps_the_last_pdf(site: Site, tmp_path: Path) -> None:
    template = tmp_path / "looping"
    template.mkdir()
    (template / "template.toml").write_text(LOOPING)
    name = f"term{uuid.uuid4().hex[:8]}"
    post = site.post("Text.\n", f"{name}.md")
    out = tmp_path / "out"
    pdf = out / name / f"{name}.pdf"
    pdf.parent.mkdir(parents=True)
    pdf.write_bytes(b"%PDF-1.5 last good\n")
    proc = subprocess.Popen([sys.executable, "-m", "mdpaper", "build", str(post), "-o", str(out),
                             "--template", str(template)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not live_processes(f"{name}.tex") and time.monotonic() < deadline:
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.1)
        assert live_processes(f"{name}.tex"), "TeX never started"
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=60)
        assert proc.returncode == 143, stderr
        assert "Traceback" not in stderr and "interrupted" in stderr
        time.sleep(0.5)
        assert not live_processes(f"{name}.tex"), "TeX outlived mdpaper"
        assert pdf.read_bytes() == b"%PDF-1.5 last good\n"
    finally:  # a looping TeX left behind by a failure would run forever
        subprocess.run(["pkill", "-KILL", "-f", name], check=False)
