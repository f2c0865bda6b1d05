"""The tray icon says the state at a glance: checked on the drawn pixels, not on flags."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from desktop.views.tray_icon import BADGE, TrayState, icon, pixmap

pytestmark = [pytest.mark.usefixtures("english"),  # the catalogue hallway-desktop installs
              pytest.mark.fast]  # the fast tier: ./run test -m fast


def colour_at(state: TrayState, x: float, y: float, size: int = 64) -> QColor:
    image = pixmap(state, size).toImage()
    return image.pixelColor(int(x * size), int(y * size))


def test_states_are_drawn(qapp: QApplication, tmp_path: Path) -> None:
    calm = colour_at(TrayState(), 0.85, 0.15)
    assert colour_at(TrayState(unread=True), 0.87, 0.13) == BADGE, "an unread dot, top right"
    assert calm != BADGE
    assert colour_at(TrayState(mentions=3), 0.9, 0.25).red() > 200, "a red badge for mentions"
    offline = colour_at(TrayState(offline=True), 0.3, 0.3)
    assert offline.saturation() < 30, "grey when offline"
    assert colour_at(TrayState(), 0.3, 0.3).saturation() > 60
    assert colour_at(TrayState(signed_out=True), 0.3, 0.3).alpha() == 0, "an outline when signed out"
    assert colour_at(TrayState(quiet=True), 0.08, 0.9).red() > 200, "a moon for do-not-disturb"
    assert not icon(TrayState(mentions=12)).isNull()
    sheet = [pixmap(s, 64) for s in (TrayState(), TrayState(unread=True), TrayState(mentions=4),
                                     TrayState(mentions=42), TrayState(offline=True, unread=True),
                                     TrayState(quiet=True), TrayState(signed_out=True))]
    from PySide6.QtGui import QPainter, QPixmap
    out = QPixmap(64 * len(sheet) + 8 * len(sheet), 72)
    out.fill(QColor("#f5f3ee"))
    painter = QPainter(out)
    for i, image in enumerate(sheet):
        painter.drawPixmap(4 + i * 72, 4, image)
    painter.end()
    assert out.save(str(tmp_path / "tray-states.png"))


def test_badge_numbers_and_tooltips() -> None:
    assert TrayState(mentions=0).badge_text() == ""
    assert TrayState(mentions=7).badge_text() == "7"
    assert TrayState(mentions=10).badge_text() == "9+"
    assert TrayState(mentions=2).tooltip() == "Hallway: 2 new mentions"
    assert TrayState(unread=True, offline=True).tooltip() == "Hallway: new posts; offline, showing what was last synced"
    assert TrayState(signed_out=True).tooltip().startswith("Hallway: signed out")
