"""The tray app as a screen reader meets it: the real hallway-desktop on the demo network, read
through the AT-SPI accessibility bus (Debian's at-spi2-core) by pyatspi, the library Orca uses,
in the system's own Python (tests/atspi_reader.py). Every control of the feed window, the
colleague card and the settings has a role and a name; the card's text is there to be read;
and a new mention is announced without anyone moving the focus."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from jeepney import DBusAddress, new_method_call
from jeepney.io.blocking import open_dbus_connection

from hallway.demo.server import DemoNetwork
from hallway.demo_apps import desktop_profile

pytestmark = pytest.mark.alone  # after the others, one at a time: what is heard is timed on the
# accessibility bus, which a machine busy with other tests stretches (./run test)

READER = Path(__file__).with_name("atspi_reader.py")
SYSTEM_PYTHON = "/usr/bin/python3"
LAUNCHER = "/usr/libexec/at-spi-bus-launcher"
CONTROLS = {"push button", "toggle button", "check box", "combo box", "page tab", "spin button", "text", "list"}


def _has_pyatspi() -> bool:
    return Path(SYSTEM_PYTHON).exists() and subprocess.run(
        [SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True, timeout=30).returncode == 0


def _bus_has(name: str) -> bool:
    bus = DBusAddress("/org/freedesktop/DBus", bus_name="org.freedesktop.DBus", interface="org.freedesktop.DBus")
    with open_dbus_connection(bus="SESSION") as connection:
        reply = connection.send_and_get_reply(new_method_call(bus, "NameHasOwner", "s", (name,)), timeout=5)
    return bool(reply.body[0])


@pytest.fixture
def accessibility_bus(session_bus: str, x_server: str) -> Iterator[None]:
    """The accessibility bus of a desktop session, started as GNOME starts it (org.a11y.Bus on
    the session bus, which starts the a11y bus and its registry)."""
    if not Path(LAUNCHER).exists() or not _has_pyatspi():
        pytest.skip("needs at-spi2-core and python3-pyatspi (./run test installs them)")
    launcher = subprocess.Popen([LAUNCHER, "--launch-immediately"], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 15
    while not _bus_has("org.a11y.Bus"):
        assert launcher.poll() is None and time.monotonic() < deadline, "the accessibility bus started"
        time.sleep(0.1)
    yield
    launcher.terminate()
    launcher.wait(10)


def read_tree(app_name: str = "Hallway") -> list[dict[str, Any]]:
    done = subprocess.run([SYSTEM_PYTHON, str(READER), "tree", app_name], capture_output=True, text=True,
                          timeout=60)
    found: list[dict[str, Any]] = json.loads(done.stdout or "[]")
    return found


def showing(tree: list[dict[str, Any]], role: str) -> list[str]:
    return [node["name"] for node in tree if node["role"] == role and node["showing"]]


def until_read(want: Any, seconds: float = 30) -> list[dict[str, Any]]:
    deadline = time.monotonic() + seconds
    while True:
        tree = read_tree()
        if want(tree) or time.monotonic() > deadline:
            return tree
        time.sleep(0.5)


@pytest.fixture
def tray_app(fresh_demo: DemoNetwork, accessibility_bus: None, tmp_path: Path,
             request: pytest.FixtureRequest) -> Iterator[dict[str, str]]:
    """hallway-desktop as login starts it, signed in, with Qt's accessibility bridge on (as it
    is when a screen reader runs: Orca sets the bus's IsEnabled, which this bus has not)."""
    env = os.environ | desktop_profile(fresh_demo, tmp_path / "desktop") | {
        "HALLWAY_LOG_DIR": str(tmp_path / "logs"), "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1",
        "QT_QPA_PLATFORM": "xcb", "QT_ACCESSIBILITY": "1"}
    start = getattr(request, "param", "--show")  # or "--hidden": in the tray, no window open
    app = subprocess.Popen([sys.executable, "-m", "desktop", start, "--language", "en"], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield env
    finally:
        app.terminate()
        app.wait(15)


def first_sync_done(folder: Path, seconds: float = 30) -> None:
    """The app's store says its first sync has settled what was already there."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for path in folder.rglob("*.sqlite3"):
            with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)) as db, \
                    contextlib.suppress(sqlite3.Error):
                if db.execute("SELECT 1 FROM state WHERE name = 'desktop.notices_baseline'").fetchone():
                    return
        time.sleep(0.2)
    raise AssertionError("the first sync finished")


def second_launch(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "desktop", *args], env=env, timeout=30, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_a_screen_reader_reads_the_feed_window_the_card_and_the_settings(
        tray_app: dict[str, str], fresh_demo: DemoNetwork) -> None:
    tree = until_read(lambda t: "Feed" in showing(t, "list") and showing(t, "list item"))
    buttons = showing(tree, "push button")
    assert {"Colleague of the day", "Settings", "Post"} <= set(buttons), buttons
    assert {"Feed", "Mentions", "Announcements", "In today"} <= {n.split(" (")[0] for n in showing(tree, "page tab")}
    assert "Write a post" in showing(tree, "text")
    assert "Feed" in showing(tree, "list")
    rows = showing(tree, "list item")
    assert rows and all(": " in row for row in rows), "each post is read as its author and its words"
    nameless = [node for node in tree if node["role"] in CONTROLS and node["showing"] and not node["name"]]
    assert nameless == [], "every control on screen has a name"

    second_launch(tray_app, "--show", "colleague")
    tree = until_read(lambda t: "Say hi" in showing(t, "push button"))
    assert {"Say hi", "Invite for coffee"} <= set(showing(tree, "push button"))
    labels = showing(tree, "label")
    assert "Your colleague of the day" in labels
    names = {account.display_name for account in fresh_demo.org.accounts.values()}
    assert names & set(labels), "the colleague's name is read out"
    assert any(frame.startswith("Colleague of the day") for frame in showing(tree, "frame") + showing(tree, "window")
               + showing(tree, "dialog") + showing(tree, "filler")), "the card says what it is"

    second_launch(tray_app, "--show", "settings")
    tree = until_read(lambda t: "Notify me of mentions" in showing(t, "check box"))
    assert {"Notify me of mentions", "Notify me of replies", "Quiet hours",
            "Start Hallway when I sign in"} <= set(showing(tree, "check box"))
    # A combo box reads as its choice; its label, as Orca says it first, is the form's label.
    assert {"Everyone in the company", "The calendar app on this computer"} <= set(showing(tree, "combo box"))
    assert {"Your feed shows", "Coffee invitations open in", "Quiet from"} <= set(showing(tree, "label"))
    assert "Sign out" in showing(tree, "push button")
    nameless = [node for node in tree if node["role"] in CONTROLS and node["showing"] and not node["name"]]
    assert nameless == [], "every control on screen has a name"


@pytest.mark.parametrize("tray_app", ["--hidden"], indirect=True)
def test_a_new_mention_is_announced(tray_app: dict[str, str], fresh_demo: DemoNetwork, tmp_path: Path) -> None:
    """Announced while the person works in another app: Hallway has no window open."""
    demo = fresh_demo
    tree = until_read(bool)
    assert tree and "Post" not in showing(tree, "push button"), "on the bus, with no window on screen"
    first_sync_done(tmp_path)  # what the first sync brings is history: it announces nothing
    listener = subprocess.Popen([SYSTEM_PYTHON, str(READER), "listen", "40"], stdout=subprocess.PIPE, text=True)
    try:
        assert listener.stdout is not None
        assert json.loads(listener.stdout.readline()) == {"listening": True}
        author = next(a for a in demo.org.accounts.values() if not a.bot and a.username not in ("demo", "lobby"))
        requests.post(f"{demo.url}/api/v1/statuses", data={"status": "@demo the board meets at four"}, timeout=10,
                      headers={"Authorization": f"Bearer {demo.token_for(author.username)}"}).raise_for_status()
        heard: list[dict[str, str]] = []
        deadline = time.monotonic() + 35
        while time.monotonic() < deadline and not any("the board meets at four" in h["text"] for h in heard):
            line = listener.stdout.readline()
            if not line:
                break
            heard.append(json.loads(line))
        said = [h for h in heard if "the board meets at four" in h["text"]]
        assert said, f"the mention was announced (heard: {heard})"
        assert said[0]["text"].startswith(f"{author.display_name} mentioned you"), said[0]
        assert said[0]["app"] == "Hallway" and len(said) == 1
    finally:
        listener.kill()
        listener.wait(10)
