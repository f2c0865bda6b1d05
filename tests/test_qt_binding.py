"""The Qt binding itself must be sound on this Python: a release of PySide6 (6.12.0 on Python
3.11) lost a reference to None on every call to a Qt method returning nothing, which crashes a
long-running app (the tray app runs all day). A user would see Hallway vanish after a while."""

from __future__ import annotations

import sys

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QLabel


def test_calls_returning_nothing_keep_none_alive(qapp: QApplication) -> None:
    label = QLabel()
    picture = QPixmap(16, 16)
    label.setText("warm-up")
    before = sys.getrefcount(None)
    for _ in range(1000):
        label.setText("Hallway")
        picture.fill(Qt.GlobalColor.transparent)
        painter = QPainter(picture)
        painter.drawEllipse(QRectF(0, 0, 8, 8))
        painter.end()
    assert abs(sys.getrefcount(None) - before) < 50
