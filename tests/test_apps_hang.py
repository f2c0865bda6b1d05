"""Both apps as people run them, in front of a network that hangs or trickles (a proxy that
accepts and never answers, or answers 20 bytes a second): SIGTERM still ends each within 2 s,
whatever request is in flight (systemd stops the kiosk so, a logout the tray app)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from flapping_proxy import FlappingProxy

from hallway.demo.server import DemoNetwork
from hallway.demo_apps import desktop_profile, kiosk_profile


class _Behind:
    """The demo organisation, reached through the proxy (what the apps' machine config names)."""

    def __init__(self, demo: DemoNetwork, url: str) -> None:
        self.demo, self.url = demo, url

    @property
    def org(self):  # type: ignore[no-untyped-def]
        return self.demo.org

    def token_for(self, username: str) -> str:
        return self.demo.token_for(username)

    def machine_config(self) -> str:
        return f'[network]\nserver = "{self.url}"\n'


@pytest.mark.parametrize("mode", ["blackhole", "trickle"])
@pytest.mark.parametrize("app", ["kiosk", "desktop"])
def test_sigterm_ends_an_app_within_two_seconds_while_a_request_hangs(
        app: str, mode: str, demo: DemoNetwork, x_server: str, tmp_path: Path) -> None:
    with FlappingProxy(int(demo.url.rsplit(":", 1)[1])) as proxy:
        proxy.set(mode)
        site = _Behind(demo, proxy.url)
        profile = (kiosk_profile if app == "kiosk" else desktop_profile)(site, tmp_path / app)
        env = os.environ | profile | {"HALLWAY_LOG_DIR": str(tmp_path / "logs")}
        command = [sys.executable, "-m", app, *(["--windowed"] if app == "kiosk" else ["--hidden"])]
        running = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 30
            while proxy.connections < 1:  # its first sync pass is on the wire, and stuck there
                assert running.poll() is None, "the app is running"
                assert time.monotonic() < deadline, "the app called the network"
                time.sleep(0.1)
            time.sleep(1.5)
            started = time.monotonic()
            running.send_signal(signal.SIGTERM)
            code = running.wait(20)
            took = time.monotonic() - started
            assert took < 2.0, f"{app} took {took:.1f} s to end after SIGTERM"
            assert code == 0
        finally:
            if running.poll() is None:
                running.kill()
                running.wait(10)
