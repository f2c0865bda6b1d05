"""A second launch brings the first instance's window forward instead of starting twice."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.system.single import SingleInstance, channel_name, socket_path

SECOND = """
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from desktop.system.single import SingleInstance
app = QCoreApplication([])
sys.exit(0 if not SingleInstance(sys.argv[1]).claim("show") else 3)
"""


def test_a_second_launch_hands_over_and_leaves(qtbot: QtBot, tmp_path: object) -> None:
    name = channel_name("test-" + str(id(tmp_path)))
    first = SingleInstance(name)
    assert first.claim()
    with qtbot.waitSignal(first.wanted, timeout=10_000) as asked:
        second = subprocess.Popen([sys.executable, "-c", SECOND, name])
        while second.poll() is None:
            qtbot.wait(20)
    assert second.returncode == 0, "the second launch saw the first and left"
    assert asked.args == ["show"]
    first.release()
    again = SingleInstance(name)
    assert again.claim(), "after the first quits, the next launch is the first again"
    again.release()


def test_each_person_has_their_own_channel() -> None:
    assert channel_name("ana") != channel_name("kwame")
    assert channel_name("ana") == channel_name("ana")


def test_another_session_of_the_same_person_gets_its_own_channel(monkeypatch: pytest.MonkeyPatch,
                                                                 tmp_path: Path) -> None:
    """A second desktop session (another display, or a demo with its own home) must not swallow a
    launch: the name carries the session, not only the user."""
    here = channel_name("ana")
    monkeypatch.setenv("DISPLAY", ":99")
    assert channel_name("ana") != here
    monkeypatch.setenv("HALLWAY_DATA_DIR", str(tmp_path / "demo"))
    assert channel_name("ana") not in (here, channel_name("ana", session=":99"))


def test_a_crashed_launch_leaves_no_lock_and_the_channel_is_the_persons_own(qtbot: QtBot, tmp_path: Path) -> None:
    """A socket file left by a crash does not keep the next launch from being the first; the
    channel is readable and writable by its owner only (no other account can hand it a link)."""
    name = channel_name("crash-" + str(id(tmp_path)))
    path = socket_path(name)
    left = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    left.bind(path)  # bound and never listened on or removed: what a killed app leaves
    left.close()
    first = SingleInstance(name)
    try:
        assert first.claim(), "the leftover socket is taken over"
        assert stat.S_IMODE(Path(path).stat().st_mode) & 0o077 == 0
        link = "hallway://post/" + "9" * 2000
        with qtbot.waitSignal(first.wanted, timeout=10_000) as asked:
            second = subprocess.Popen([sys.executable, "-c", SECOND, name])
            while second.poll() is None:
                qtbot.wait(20)
        assert asked.args == ["show"]
        with qtbot.waitSignal(first.wanted, timeout=10_000) as asked:
            assert not SingleInstance(name).claim(link)
        assert asked.args == [link], "a long link arrives whole"
    finally:
        first.release()
    assert not Path(path).exists(), "a clean quit leaves nothing behind"


def test_the_tray_app_loads_no_qt_network_for_its_channel() -> None:
    """QtNetwork is 2 MB of every running tray app; the channel needs none of it here."""
    code = ("import sys; import desktop.tray_app, desktop.app, desktop.system.single; "
            "print('PySide6.QtNetwork' in sys.modules)")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, check=True).stdout.strip()
    assert loaded == "False"
