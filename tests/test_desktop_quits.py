"""The demo's tray app, as `./run demo` starts it, ends within 2 s of SIGTERM (a logout) with
the feed, Settings and the colleague card all open: a laptop's logout is never held up."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hallway.demo.server import DemoNetwork
from hallway.demo_apps import desktop_profile


def _windows(name: str) -> list[str]:
    found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", f"^{name}$"], capture_output=True,
                           text=True, timeout=10)
    return found.stdout.split()


def _wait_for_window(name: str, app: subprocess.Popen[bytes], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not _windows(name):
        assert app.poll() is None, "the tray app is still running"
        assert time.monotonic() < deadline, f"the window {name!r} opened"
        time.sleep(0.1)


@pytest.mark.parametrize("windows", [("feed",), ("feed", "settings", "colleague")])
def test_sigterm_ends_the_demos_tray_app_within_two_seconds(
        windows: tuple[str, ...], demo: DemoNetwork, tray_host: None, tmp_path: Path) -> None:
    env = os.environ | desktop_profile(demo, tmp_path / "desktop") | {"HALLWAY_LOG_DIR": str(tmp_path / "logs")}
    app = subprocess.Popen([sys.executable, "-m", "desktop", "--show"], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_window("Hallway", app)
        titles = {"settings": "Hallway settings", "colleague": "Colleague of the day"}
        for wish in windows[1:]:
            # A second launch hands its wish to the running app and leaves, as a click on the
            # menu entry would.
            second = subprocess.run([sys.executable, "-m", "desktop", "--show", wish], env=env, timeout=30,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            assert second.returncode == 0
            _wait_for_window(titles[wish], app)
        time.sleep(1.5)  # let its first sync pass and photo fetches get under way
        for name in ("Hallway", *(titles[w] for w in windows[1:])):
            assert _windows(name), f"{name} is on screen when the signal comes"
        started = time.monotonic()
        app.send_signal(signal.SIGTERM)
        code = app.wait(10)
        took = time.monotonic() - started
        assert took < 2.0, f"the tray app took {took:.1f} s to quit"
        assert code == 0
        assert not any(_windows(name) for name in ("Hallway settings", "Colleague of the day"))
    finally:
        if app.poll() is None:
            app.kill()
            app.wait(10)
