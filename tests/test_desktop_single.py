"""A second launch brings the first instance's window forward instead of starting twice."""

from __future__ import annotations

import subprocess
import sys

from pytestqt.qtbot import QtBot

from desktop.single import SingleInstance, channel_name

SECOND = """
import sys
from PySide6.QtCore import QCoreApplication
from desktop.single import SingleInstance
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
