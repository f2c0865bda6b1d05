"""The tray app's notifications: what to raise (desktop.parts.alerts), when (do-not-disturb and quiet
hours, whose next change is worked out and waited for with one timer), where (the platform's
notification service, else the tray balloon), and what the person does with one: open it,
reply, or mark it read. Every answer from the notification service arrives on its own thread
and comes to the GUI thread through a queued signal."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.parts.alerts import Alert, Alerts
from desktop.parts.celebrating import Celebrating
from desktop.parts.office_week import WeekPlan
from desktop.parts.quiet import DoNotDisturb, QuietHours, QuietTime
from desktop.system.notify import Notifier, for_this_os
from desktop.system.tray import Tray
from hallway import config as settings
from hallway.store import Store

log = logging.getLogger(__name__)
NOTIFY_AFTER_MS = 1500  # pushed notices wait a moment, so a burst becomes one notification
LONGEST_WAIT_MS = 2**31 - 1


class BalloonNotifier:
    """Where no notification service answers: the tray icon's own balloon (Qt shows it through
    Windows' and macOS's notification centres). A click opens the mentions."""

    def __init__(self, tray: Tray) -> None:
        self.tray = tray

    def show(self, alert: Alert) -> bool:
        if not self.tray.available() or not self.tray.icon.isVisible():
            return False
        self.tray.icon.showMessage(alert.title, alert.body, self.tray.icon.icon(), 8000)
        return True

    def close(self) -> None:
        pass


class NoticeCentre(QObject):
    acted = Signal(str, object)  # "open", "reply" or "read", and the Alert (from the D-Bus thread)
    quiet_changed = Signal()  # quiet time began or ended, or do-not-disturb was changed
    not_shown = Signal(object)  # an Alert no notification could show (from the notifier's thread)
    raised = Signal(object)  # an Alert just handed to the notification service (for screen readers)

    def __init__(self, store: Store, config: settings.Config, tray: Tray, now: Callable[[], datetime],
                 notifier: Notifier | None = None) -> None:
        super().__init__()
        self.store, self.now = store, now
        self.dnd = DoNotDisturb(store)
        self.quiet = QuietTime(QuietHours.of(config), self.dnd)
        self.alerts = Alerts(store, config, self.quiet, now)
        self.balloon = BalloonNotifier(tray)
        labels = {"default": self.tr("Open"), "reply": self.tr("Reply"), "read": self.tr("Mark read")}
        self.notifier = notifier or for_this_os(self.acted.emit, self.balloon, self.not_shown.emit, labels)
        self._quiet_timer = QTimer(self)
        self._quiet_timer.setSingleShot(True)
        self._quiet_timer.timeout.connect(self._quiet_turned)
        self._notify_timer = QTimer(self)
        self._notify_timer.setSingleShot(True)
        self._notify_timer.setInterval(NOTIFY_AFTER_MS)
        self._notify_timer.timeout.connect(self.notify)

    def reconfigure(self, config: settings.Config) -> None:
        """The settings changed (quiet hours, which kinds notify)."""
        self.quiet = QuietTime(QuietHours.of(config), self.dnd)
        self.alerts.config, self.alerts.quiet = config, self.quiet
        self._quiet_turned()

    def start(self) -> None:
        self.schedule_quiet()

    def history_only(self) -> None:
        """The first sync on this computer: what it brings is history, not news."""
        self.alerts.start()

    def notify(self) -> None:
        """Raise what is due (nothing while quiet: it is held and summarised afterwards)."""
        for alert in self.alerts.due():
            self.notifier.show(alert)  # False (no service, or it failed): the badge still says it
            self.raised.emit(alert)
        self.schedule_quiet()

    def notify_soon(self) -> None:
        """A notice was pushed: raise it in a moment, with whatever else the burst brings."""
        if not self._notify_timer.isActive():
            self._notify_timer.start()

    def show(self, alert: Alert) -> bool:
        return self.notifier.show(alert)

    def quiet_now(self) -> bool:
        return self.quiet.quiet_at(self.now())

    # ------------------------------------------------------------ do-not-disturb and quiet hours

    def choose_dnd(self, choice: str) -> None:
        """From the tray menu: 30 minutes, an hour, two hours, until tomorrow morning (when quiet
        hours end), until turned off, or off."""
        self.dnd.choose(choice, self.now(), self.quiet.hours.end)
        self._quiet_turned()

    def dnd_choice(self) -> str:
        return self.dnd.choice(self.now())

    def _quiet_turned(self) -> None:
        """Quiet time began or ended: let out what was held (as a summary) and say so."""
        self.notify()
        self.quiet_changed.emit()

    def schedule_quiet(self) -> None:
        """Wake when quiet time next starts or ends: one timer, nothing ticks meanwhile."""
        now = self.now()
        wait_ms = int((self.quiet.next_change(now) - now).total_seconds() * 1000)
        self._quiet_timer.start(max(1000, min(wait_ms, LONGEST_WAIT_MS)))

    def stop(self) -> None:
        self._quiet_timer.stop()
        self._notify_timer.stop()
        self.notifier.close()

    def tell_the_day(self, week: WeekPlan, celebrating: Celebrating, people_changed: bool = False) -> None:
        """A starred colleague checked in, and the day's celebrations: one quiet notification
        each a day, held while quiet."""
        if self.quiet_now():
            return
        for alert in week.starred_in():
            if self.show(alert):
                week.told(alert)
        if (cheer := celebrating.due(people_changed)) is not None and self.show(cheer):
            celebrating.told()
