"""The tray icon in a real system tray (trayer, on the session's Xvfb): embedded, clicked,
its menu opened with a real right click, and its state on the icon."""

from __future__ import annotations

import subprocess

import pytest
from desktop_host import embedded_icon
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.system.tray import Tray
from desktop.views.tray_icon import TrayState

pytestmark = pytest.mark.usefixtures("english")  # the catalogue hallway-desktop installs


def test_the_icon_is_embedded_and_answers_clicks(tray_host: None, qtbot: QtBot) -> None:
    tray = Tray()
    tray.show_state(TrayState(mentions=3))
    tray.show()
    qtbot.waitUntil(lambda: embedded_icon() is not None, timeout=10_000)
    x, y = embedded_icon() or (0, 0)
    assert 0 <= y <= 40, "in the panel at the top of the screen"
    assert tray.icon.toolTip() == "Hallway: 3 new mentions"
    with qtbot.waitSignal(tray.open_feed, timeout=5000):
        subprocess.run(["xdotool", "mousemove", str(x), str(y), "click", "1"], check=True, timeout=10)
    subprocess.run(["xdotool", "mousemove", str(x), str(y), "click", "3"], check=True, timeout=10)
    qtbot.waitUntil(tray.menu.isVisible, timeout=5000)
    labels = [a.text() for a in tray.menu.actions() if a.isVisible() and a.text()]
    assert labels[:3] == ["Open Hallway", "Colleague of the day", "Who's in the office today"]
    assert "Sign out" in labels and "Sign in…" not in labels
    with qtbot.waitSignal(tray.dnd_chosen, timeout=2000) as chosen:
        tray.actions["dnd_hour"].trigger()
    assert chosen.args == ["hour"]
    tray.menu.hide()
    tray.icon.hide()


def test_signed_out_shows_sign_in(qapp: QApplication) -> None:
    tray = Tray()
    tray.show_state(TrayState(signed_out=True))
    assert tray.actions["sign_in"].isVisible() and not tray.actions["sign_out"].isVisible()
    assert not tray.actions["colleague"].isEnabled()
    assert tray.icon.toolTip().startswith("Hallway: signed out")


def test_no_tray_host_is_reported(x_server: str, qapp: QApplication) -> None:
    assert not Tray.available(), "no tray host runs outside the tray_host fixture"
