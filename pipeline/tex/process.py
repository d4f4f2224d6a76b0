"""Waiting for a TeX process without polling."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading


def wait(proc: subprocess.Popen[bytes], timeout: float) -> int:
    """``proc.wait(timeout)`` without its polling: Popen.wait with a timeout sleeps in steps
    of up to 50 ms, which a build pays at the end of every TeX run. A timer thread stops the
    process group at the deadline instead; TimeoutExpired is raised as before."""
    expired = threading.Event()

    def stop() -> None:
        expired.set()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)

    timer = threading.Timer(timeout, stop)
    timer.daemon = True
    timer.start()
    try:
        returncode = proc.wait()
    finally:
        timer.cancel()
    if expired.is_set():
        raise subprocess.TimeoutExpired(proc.args, timeout)
    return returncode
