"""A second launch brings the first instance's window forward instead of starting twice."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.system.single import SingleInstance, channel_name

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
