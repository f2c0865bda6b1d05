"""A program from Debian run for one test on a free loopback port (Squid, a Kerberos KDC): its
folder of its own under /tmp (such programs drop to a user of their own, who cannot reach into
a test's private temporary folder), started, waited for, and stopped by its PID."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def folder(prefix: str, mode: int) -> Path:
    made = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    made.chmod(mode)
    return made


@contextlib.contextmanager
def serving(process: subprocess.Popen[bytes], port: int, place: Path, why: Callable[[], str]) -> Iterator[None]:
    """Until the test is done: ``process`` answers on ``port`` within 20 s (else ``why()`` says
    what it said), then it is stopped and ``place`` removed."""
    try:
        deadline = time.monotonic() + 20
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{process.args!r} did not start: {why()[-2000:]}")
            time.sleep(0.1)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(place, ignore_errors=True)
