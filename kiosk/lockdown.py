"""Keeping the lobby screen the lobby screen: full screen, frameless, on top, deaf to Alt+F4,
Esc and close, back on top after Alt+Tab; and the one way out, five taps in a corner.

Alt+Tab itself belongs to the window manager: a kiosk machine runs Hallway without a desktop
(see installer/), and here the window simply takes the focus back when it loses it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QTouchEvent
from PySide6.QtWidgets import QApplication, QWidget

TAPS = 5
WITHIN_S = 3.0
CORNER_PX = 140
DOUBLE_S = 0.04

ALWAYS_BLOCKED = {Qt.Key.Key_Escape, Qt.Key.Key_Super_L, Qt.Key.Key_Super_R, Qt.Key.Key_Meta}
BLOCKED_WITH_ALT_OR_CTRL = {Qt.Key.Key_F4, Qt.Key.Key_Tab, Qt.Key.Key_Backtab, Qt.Key.Key_Menu, Qt.Key.Key_Q,
                            Qt.Key.Key_W}
ALT_OR_CTRL = Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ControlModifier


class CornerTaps:
    """Five taps in the top-right corner within three seconds: pure logic, fed tap positions."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.times: list[float] = []

    def tap(self, where: QPoint, area: QRect) -> bool:
        corner = QRect(area.right() - CORNER_PX, area.top(), CORNER_PX, CORNER_PX)
        if not corner.contains(where):
            self.times.clear()
            return False
        now = self.clock()
        if self.times and now - self.times[-1] < DOUBLE_S:
            return False  # one touch seen twice (as a touch and as the mouse press Qt makes of it)
        self.times = [t for t in self.times if now - t <= WITHIN_S] + [now]
        if len(self.times) >= TAPS:
            self.times.clear()
            return True
        return False


class Lockdown(QObject):
    """A filter on the kiosk's native window: swallows the keys that would leave, counts corner taps."""

    admin_wanted = Signal()

    def __init__(self, window: QWidget, locked: bool) -> None:
        super().__init__(window)
        self.window, self.locked = window, locked
        self.taps = CornerTaps()
        self._refocus = QTimer(self)
        self._refocus.setSingleShot(True)
        self._refocus.setInterval(300)
        self._refocus.timeout.connect(self._take_focus_back)
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.applicationStateChanged.connect(self._state_changed)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin):
            where = (event.position().toPoint() if isinstance(event, QMouseEvent)
                     else event.points()[0].position().toPoint() if isinstance(event, QTouchEvent)
                     and event.points() else None)
            if where is not None and self.taps.tap(where, self.window.rect()):
                self.admin_wanted.emit()
        if not self.locked:
            return False
        if kind in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride, QEvent.Type.KeyRelease):
            assert isinstance(event, QKeyEvent)
            key = event.key()
            return key in ALWAYS_BLOCKED or (key in BLOCKED_WITH_ALT_OR_CTRL and bool(event.modifiers() & ALT_OR_CTRL))
        return False

    def _state_changed(self, state: Qt.ApplicationState) -> None:
        if self.locked and state != Qt.ApplicationState.ApplicationActive:
            self._refocus.start()

    def _take_focus_back(self) -> None:
        if self.locked:
            self.window.showFullScreen()
            self.window.raise_()
            self.window.activateWindow()
