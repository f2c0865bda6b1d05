"""Native notifications on Linux, against a real notification daemon (dunst) on a real session
bus (dbus-daemon), under the session's Xvfb: shown, clicked, and absent without a crash."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator

import pytest

from desktop.alerts import Alert
from desktop.notify.freedesktop import FreedesktopNotifier

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
    config = tmp_path_factory.mktemp("dunst") / "dunstrc"
    config.write_text("[global]\n    history_length = 50\n    sticky_history = yes\n")
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


def history() -> list[dict[str, str]]:
    subprocess.run(["dunstctl", "close-all"], check=True, timeout=5)
    time.sleep(0.1)
    data = json.loads(subprocess.run(["dunstctl", "history"], capture_output=True, text=True, check=True,
                                     timeout=5).stdout)
    return [{key: value["data"] for key, value in item.items()} for item in data["data"][0]]


def test_a_notification_reaches_the_daemon_and_a_click_opens_its_item(dunst: None) -> None:
    clicked: list[str] = []
    heard = threading.Event()

    def click(target: str) -> None:
        clicked.append(target)
        heard.set()

    notifier = FreedesktopNotifier(click)
    try:
        assert notifier.available()
        assert notifier.show(Alert("Ana Lima mentioned you", "<b>lunch?</b> & more", "p42", "notice:n1"))
        subprocess.run(["dunstctl", "action", "0"], check=True, timeout=5)
        assert heard.wait(5), "the click came back over D-Bus"
        assert clicked == ["p42"]
        shown = history()
        assert shown[0]["summary"] == "Ana Lima mentioned you"
        assert shown[0]["appname"] == "Hallway"
        assert "lunch?" in shown[0]["body"] and "<b>" not in shown[0]["body"]
    finally:
        notifier.close()


def test_a_newer_count_replaces_the_older_one(dunst: None) -> None:
    notifier = FreedesktopNotifier(lambda target: None)
    try:
        assert notifier.available()
        assert notifier.show(Alert("5 new mentions", "From Ana", "mentions", "mention:many"))
        assert notifier.show(Alert("9 new mentions", "From Ana and Kwame", "mentions", "mention:many"))
        assert [n["summary"] for n in history()] == ["9 new mentions"]
    finally:
        notifier.close()


def test_no_notification_service_is_not_an_error(session_bus: str) -> None:
    notifier = FreedesktopNotifier(lambda target: None)
    try:
        assert not notifier.available()
        assert not notifier.show(Alert("Hello", "there"))
    finally:
        notifier.close()


def test_no_session_bus_at_all_is_not_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
    notifier = FreedesktopNotifier(lambda target: None)
    assert not notifier.available()
    assert not notifier.show(Alert("Hello", "there"))
    notifier.close()
