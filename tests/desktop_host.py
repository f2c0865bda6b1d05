"""The desktop a tray app lives in, for the tests: a session bus of the tests' own with a real
notification daemon (dunst) read through its history, and a real system tray (trayer) whose
icons are found in the X server's window tree. Loaded by conftest (pytest_plugins)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.system.tray import Tray

BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/>
    <allow own="*"/></policy>
</busconfig>
"""


@pytest.fixture(scope="session")
def session_bus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A session bus of the tests' own, with no services to start on demand: a notification
    daemon is there only when a test starts one."""
    if shutil.which("dbus-daemon") is None:
        pytest.skip("needs dbus-daemon (./run test installs dbus-x11)")
    config = tmp_path_factory.mktemp("bus") / "session.conf"
    config.write_text(BUS_CONFIG)
    started = subprocess.run(["dbus-daemon", f"--config-file={config}", "--fork", "--print-address=1",
                              "--print-pid=1"], capture_output=True, text=True, check=True, timeout=10)
    address, pid = started.stdout.split()[:2]
    before = os.environ.get("DBUS_SESSION_BUS_ADDRESS")
    os.environ["DBUS_SESSION_BUS_ADDRESS"] = address
    yield address
    os.kill(int(pid), 15)
    if before is None:
        os.environ.pop("DBUS_SESSION_BUS_ADDRESS", None)
    else:
        os.environ["DBUS_SESSION_BUS_ADDRESS"] = before


@pytest.fixture
def dunst(session_bus: str, x_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    if shutil.which("dunst") is None:
        pytest.skip("needs dunst (./run test installs it)")
    folder = tmp_path_factory.mktemp("dunst")
    config = folder / "dunstrc"
    # dunst's context menu (`dunstctl context`) lists a notification's buttons through a dmenu-like
    # program: this one records what was offered and picks the line the test asked for.
    picker = folder / "pick"
    picker.write_text('#!/bin/sh\ndir=$(dirname "$0")\ncat > "$dir/offered"\n'
                      'grep -F -m1 -- "$(cat "$dir/choice")" "$dir/offered"\n')
    picker.chmod(0o755)
    (folder / "choice").write_text("")
    os.environ["HALLWAY_TEST_DUNST_MENU"] = str(folder)
    config.write_text(f"[global]\n    history_length = 50\n    sticky_history = yes\n    dmenu = {picker}\n")
    daemon = subprocess.Popen(["dunst", "-config", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        if subprocess.run(["dunstctl", "is-paused"], capture_output=True, timeout=5).returncode == 0:
            break
        time.sleep(0.05)
    subprocess.run(["dunstctl", "history-clear"], capture_output=True, timeout=5)
    yield
    daemon.terminate()
    daemon.wait(10)
    time.sleep(0.2)


def press(label: str) -> list[str]:
    """Press a button of the newest notification, as a person does in dunst's context menu;
    returns the entries the menu offered."""
    folder = Path(os.environ["HALLWAY_TEST_DUNST_MENU"])
    (folder / "choice").write_text(label)
    (folder / "offered").unlink(missing_ok=True)
    subprocess.run(["dunstctl", "context"], check=True, timeout=5)
    for _ in range(100):
        if (folder / "offered").exists():
            break
        time.sleep(0.05)
    time.sleep(0.1)
    return (folder / "offered").read_text().splitlines() if (folder / "offered").exists() else []


def history() -> list[dict[str, str]]:
    subprocess.run(["dunstctl", "close-all"], check=True, timeout=5)
    time.sleep(0.1)
    data = json.loads(subprocess.run(["dunstctl", "history"], capture_output=True, text=True, check=True,
                                     timeout=5).stdout)
    return [{key: value["data"] for key, value in item.items()} for item in data["data"][0]]


@pytest.fixture
def tray_host(x_server: str, qapp: QApplication, qtbot: QtBot) -> Iterator[None]:
    if shutil.which("trayer") is None:
        pytest.skip("needs trayer (./run test installs it)")
    host = subprocess.Popen(["trayer", "--edge", "top", "--align", "right", "--widthtype", "request",
                             "--height", "32", "--transparent", "false", "--tint", "0xffffff", "--expand", "true"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    qtbot.waitUntil(Tray.available, timeout=10_000)
    yield
    host.terminate()
    host.wait(10)
    qtbot.waitUntil(lambda: not Tray.available(), timeout=10_000)


def embedded_icon(app: str | None = None) -> tuple[int, int] | None:
    """The centre of an app's window (this process's, by default) inside trayer's panel, from the
    X server's own window tree."""
    tree = subprocess.run(["xwininfo", "-root", "-tree"], capture_output=True, text=True, timeout=10).stdout
    in_panel, app = False, app or QApplication.applicationName()
    for line in tree.splitlines():
        depth = len(line) - len(line.lstrip())
        if '"panel"' in line and '"trayer"' in line:
            in_panel, panel_depth = True, depth
            continue
        if in_panel and depth <= panel_depth:
            in_panel = False
        found = re.search(r"(\d+)x(\d+)\+-?\d+\+-?\d+\s+\+(-?\d+)\+(-?\d+)", line)
        if in_panel and f'"{app}"' in line and found:
            width, height, x, y = map(int, found.groups())
            return x + width // 2, y + height // 2
    return None
