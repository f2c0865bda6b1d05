"""Where a small window opens: beside the tray icon, inside the screen's free area (above the
icon when the panel is at the bottom, below it when at the top); centred when the tray does
not say where its icon is (Wayland, some panels)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

MARGIN = 8


def near_tray(window: QWidget, anchor: QRect | None) -> None:
    usable = anchor is not None and anchor.isValid() and not anchor.isEmpty()
    screen = (QGuiApplication.screenAt(anchor.center()) if usable and anchor is not None else None) \
        or QGuiApplication.primaryScreen()
    room = screen.availableGeometry()
    if not usable or anchor is None:
        if not window.isVisible():
            window.move(room.center() - QPoint(window.width() // 2, window.height() // 2))
        return
    x = min(max(room.left() + MARGIN, anchor.center().x() - window.width() // 2),
            room.right() - window.width() - MARGIN)
    below = anchor.bottom() + MARGIN
    y = below if below + window.height() <= room.bottom() else anchor.top() - window.height() - MARGIN
    window.move(QPoint(x, min(max(room.top() + MARGIN, y), room.bottom() - window.height() - MARGIN)))
