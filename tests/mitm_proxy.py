"""mitmproxy (from PyPI, in a venv of its own: its pins are not Hallway's) as a company's
TLS-inspecting gateway on loopback: it answers CONNECT, ends TLS with a certificate its own root
signed (made in the test's folder), reads what passes and carries it on. The demo network behind
it speaks plain HTTP, which the client never sees (``mitm_addon.py`` sends the request on as
http); bodies are streamed, as a gateway that passes Server-Sent Events does."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parents[1]
MISSING = "mitmproxy is not installed: `./run test` installs it into .venv-mitmproxy (once)"


def mitmdump() -> Path | None:
    """$HALLWAY_MITMDUMP, else the checkout's .venv-mitmproxy (which ./run test makes)."""
    if os.environ.get("HALLWAY_MITMDUMP"):
        return Path(os.environ["HALLWAY_MITMDUMP"])
    found = CHECKOUT / ".venv-mitmproxy" / ("Scripts/mitmdump.exe" if sys.platform == "win32" else "bin/mitmdump")
    return found if found.exists() else None


@dataclass
class Mitm:
    port: int
    ca_file: Path  # mitmproxy's own root: what IT would put on every laptop
    seen_file: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def seen(self) -> list[str]:
        """The request lines read inside the tunnels ("GET /api/v1/...")."""
        return self.seen_file.read_text().splitlines() if self.seen_file.exists() else []


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def running(folder: Path) -> Iterator[Mitm]:
    program = mitmdump()
    if program is None:
        if os.environ.get("CI"):
            pytest.fail(MISSING)
        pytest.skip(MISSING)
    confdir = folder / "mitmproxy"
    confdir.mkdir(parents=True, exist_ok=True)
    found = Mitm(_free_port(), confdir / "mitmproxy-ca-cert.pem", folder / "mitm-seen.txt")
    log = (folder / "mitmdump.log").open("wb")
    process = subprocess.Popen(
        [str(program), "--listen-host", "127.0.0.1", "--listen-port", str(found.port), "--set", f"confdir={confdir}",
         "--set", "connection_strategy=lazy", "--set", "upstream_cert=false", "--set", "termlog_verbosity=warn",
         "--set", "flow_detail=0", "-s", str(Path(__file__).with_name("mitm_addon.py"))],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "HALLWAY_MITM_SEEN": str(found.seen_file)})
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"mitmdump ended at start: {(folder / 'mitmdump.log').read_text()[-2000:]}")
            if found.ca_file.exists():
                with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", found.port), timeout=1):
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("mitmdump did not listen within 30 s")
            time.sleep(0.1)
        yield found
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
        log.close()
