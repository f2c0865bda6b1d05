"""The icon in the system tray and its menu: the tray app's whole presence until it is asked for
more. Where the desktop has no tray (some Linux desktops), ``available`` is False and the app
opens a normal window instead, explaining why once."""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QObject, QTimer, Signal, SignalInstance
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from desktop.parts.quiet import DND_CHOICES
from desktop.views.tray_icon import TrayState, icon

log = logging.getLogger(__name__)
HOST_POLL_MS = 1000


class Tray(QObject):
    open_feed = Signal()
    open_colleague = Signal()
    open_in_office = Signal()
    open_settings = Signal()
    dnd_chosen = Signal(str)  # one of desktop.parts.quiet.DND_CHOICES
    sign_in = Signal()
    sign_out = Signal()
    quit = Signal()
    no_host = Signal()  # no tray host came within the wait (wait_for_host): the app runs in a window

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = TrayState(signed_out=True)
        self.icon = QSystemTrayIcon(self)
        self.menu = QMenu()
        self.actions: dict[str, QAction] = {}
        self._add("feed", self.tr("Open Hallway"), self.open_feed)
        self._add("colleague", self.tr("Colleague of the day"), self.open_colleague)
        self._add("in_office", self.tr("Who's in the office today"), self.open_in_office)
        self.menu.addSeparator()
        dnd = self.menu.addMenu(self.tr("Do not disturb"))
        group = QActionGroup(self)
        labels = {"30min": self.tr("For 30 minutes"), "hour": self.tr("For 1 hour"), "2hours": self.tr("For 2 hours"),
                  "tomorrow": self.tr("Until tomorrow morning"), "on": self.tr("Until I turn it off"),
                  "off": self.tr("Off")}
        for key in DND_CHOICES:
            label = labels[key]
            action = dnd.addAction(label)
            action.setCheckable(True)
            action.setChecked(key == "off")
            group.addAction(action)
            action.triggered.connect(lambda _=False, k=key: self.dnd_chosen.emit(k))
            self.actions[f"dnd_{key}"] = action
        self._add("settings", self.tr("Settings…"), self.open_settings)
        self.menu.addSeparator()
        self._add("sign_in", self.tr("Sign in…"), self.sign_in)
        self._add("sign_out", self.tr("Sign out"), self.sign_out)
        self._add("quit", self.tr("Quit Hallway"), self.quit)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self.show_state(self.state)
        self._deadline = 0.0
        self._waiting = QTimer(self)
        self._waiting.setSingleShot(True)
        self._waiting.timeout.connect(self._check_host)

    def _add(self, key: str, label: str, signal: SignalInstance) -> None:
        action = self.menu.addAction(label)
        action.triggered.connect(signal.emit)
        self.actions[key] = action

    @staticmethod
    def available() -> bool:
        return QSystemTrayIcon.isSystemTrayAvailable()

    def show(self) -> None:
        """Shown even with no tray host yet: Qt adds a visible icon to a tray that appears later."""
        self.icon.show()

    def wait_for_host(self, seconds: float) -> None:
        """At login the panel often comes up after the apps (QTBUG-61898, as maestral-qt): a check
        a second for ``seconds`` at most, then ``no_host``."""
        if self.available():
            return
        if seconds <= 0:
            self.no_host.emit()
            return
        self._deadline = time.monotonic() + seconds
        self._waiting.start(HOST_POLL_MS)

    def _check_host(self) -> None:
        if self.available():
            log.info("the tray host appeared")
        elif time.monotonic() >= self._deadline:
            log.warning("no system tray: running in a window")
            self.no_host.emit()
        else:
            self._waiting.start(HOST_POLL_MS)

    def show_state(self, state: TrayState) -> None:
        self.state = state
        self.icon.setIcon(icon(state))
        self.icon.setToolTip(state.tooltip())
        self.actions["sign_in"].setVisible(state.signed_out)
        self.actions["sign_out"].setVisible(not state.signed_out)
        for key in ("colleague", "in_office"):
            self.actions[key].setEnabled(not state.signed_out)

    def show_dnd(self, key: str) -> None:
        self.actions[f"dnd_{key}"].setChecked(True)

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self.open_feed.emit()
