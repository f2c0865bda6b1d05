"""The screen a kiosk shows when it cannot open its data yet: another process holds the store
(a second kiosk started by hand, a backup, `hallway doctor` mid-check), the disk is full (and
Hallway's reserved room is spent), or the disk is not there yet. It says so in plain words,
names the process for IT, and keeps trying, so the kiosk starts by itself the moment the data
is free. Under systemd that means no restart loop and never a blank screen."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import QApplication, QProgressBar, QVBoxLayout, QWidget

from hallway.store import LOCK_WAIT_S, Store, StoreFault
from kiosk.badge import BadgeReader
from kiosk.screens import text_label
from kiosk.theme import Theme

log = logging.getLogger("hallway.kiosk")
RETRY_MS = 3000


class DataInUse(QWidget):
    """Calm, full-screen, nothing to tap: a passer-by learns the kiosk is starting, IT the why."""

    def __init__(self, family: str) -> None:
        super().__init__()
        self.family = family
        self.setWindowTitle("Hallway")
        root = QVBoxLayout(self)
        root.addStretch(3)
        self.title = text_label(wrap=True)
        self.title.setText(self.tr("Starting in a moment"))
        self.body = text_label("muted", wrap=True)
        self.body.setText(self.tr("Check-in will be ready shortly."))
        self.detail = text_label("muted", wrap=True)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # no end known: Qt animates it, so the screen is visibly alive
        self.busy.setTextVisible(False)
        for label in (self.title, self.body):
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            root.addWidget(label)
            root.addSpacing(12)
        root.addSpacing(24)
        root.addWidget(self.busy, 0, Qt.AlignmentFlag.AlignHCenter)
        root.addStretch(4)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        root.addWidget(self.detail)

    def ask_to_scan_again(self, _read: object = None) -> None:
        """A badge read while starting: never lost without a word."""
        log.info("a badge read while the kiosk was starting: asked to scan again")
        self.body.setText(self.tr("Hallway is starting. Please scan your badge again in a moment."))

    def show_reason(self, reason: str) -> None:
        self.detail.setText(self.tr("For IT: %1").replace("%1", reason))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        theme = Theme.make(self.width(), self.height(), family=self.family)
        self.setPalette(theme.palette())
        self.setStyleSheet(theme.style_sheet())
        self.setAutoFillBackground(True)
        margin = theme.px(64)
        layout = self.layout()
        if layout is not None:
            layout.setContentsMargins(margin, margin, margin, margin)
        self.title.setFont(theme.font(56, QFont.Weight.DemiBold))
        self.body.setFont(theme.font(30))
        self.detail.setFont(theme.font(18))
        self.busy.setFixedSize(theme.px(360), max(4, theme.px(6)))


def _badges_answered(screen: DataInUse) -> BadgeReader:
    """A badge read while the kiosk is still starting is not lost without a word: the screen asks
    for another scan in a moment, and the log says so."""
    screen.winId()
    reader = BadgeReader(parent=screen)
    reader.badge.connect(screen.ask_to_scan_again)
    reader.garbled.connect(screen.ask_to_scan_again)
    handle = screen.windowHandle()
    if handle is not None:
        handle.installEventFilter(reader)
    return reader


def why(failure: Exception) -> str:
    if isinstance(failure, StoreFault):  # held elsewhere, a full disk, a read-only folder: in words
        return str(failure)
    return f"Hallway cannot open its data: {failure}"


def open_store(make: Callable[[float], Store], family: str, windowed_size: tuple[int, int] | None,
               retry_ms: int = RETRY_MS, first_wait_s: float = LOCK_WAIT_S) -> Store | None:
    """The store, once it opens; until then the waiting screen. None when the app is asked to
    quit while waiting (the screen is closed). ``make`` opens it, waiting that many seconds for
    a lock: the full wait at first, a short one on each retry so the screen stays live."""
    try:
        return make(first_wait_s)
    except (StoreFault, sqlite3.Error, OSError) as failure:
        first: Exception = failure
    log.error("%s; trying again every %d s", why(first), retry_ms // 1000)
    screen = DataInUse(family)
    screen.show_reason(why(first))
    _badges_answered(screen)
    if windowed_size is None:
        screen.showFullScreen()
    else:
        screen.resize(*windowed_size)
        screen.show()
    opened: list[Store] = []
    wait = QEventLoop()
    last = [why(first)]

    def attempt() -> None:
        try:
            opened.append(make(0.3))
        except (StoreFault, sqlite3.Error, OSError) as failure:
            reason = why(failure)
            if reason != last[0]:
                log.error("%s", reason)
                last[0] = reason
            screen.show_reason(reason)
            return
        log.info("the data is free again; starting")
        wait.quit()

    timer = QTimer(screen)
    timer.timeout.connect(attempt)
    timer.start(retry_ms)
    app = QApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(wait.quit)
    wait.exec()
    timer.stop()
    screen.close()
    screen.deleteLater()
    return opened[0] if opened else None
