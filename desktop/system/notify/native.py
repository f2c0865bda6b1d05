"""Windows and macOS: notifications with buttons, through desktop-notifier (a well-kept library:
WinRT toasts on Windows, UNUserNotificationCenter on macOS, where it needs Hallway's signed app
bundle). A click opens the item; "Reply" and "Mark read" are buttons, as the freedesktop actions
are on Linux; a thread's newer notification replaces the older one (cleared, then sent).

The library calls back on the asyncio loop, which in Hallway is qasync's, on the GUI thread.
Linux keeps desktop.system.notify.freedesktop (jeepney, already needed); this module is tested there
through the same library's D-Bus backend against dunst. The WinRT and macOS backends themselves
cannot run on Linux (docs/desktop.md)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from functools import partial

from desktop_notifier import Button, DesktopNotifier, Notification
from desktop_notifier.main import get_backend_class

from desktop.parts.alerts import Alert
from desktop.system.notify.freedesktop import APP_NAME, LABELS

log = logging.getLogger(__name__)


class NativeNotifier:
    def __init__(self, on_action: Callable[[str, Alert], None], labels: dict[str, str] | None = None) -> None:
        """``on_action(action, alert)``: "open" for a click, else one of the alert's actions."""
        self.on_action = on_action
        self.labels = labels or LABELS
        self._centre = DesktopNotifier(app_name=APP_NAME)
        self._on_screen: dict[str, str] = {}  # alert key -> the identifier of its notification
        self._sending: set[asyncio.Task[None]] = set()

    @staticmethod
    def available() -> bool:
        """False where the library can only pretend (macOS outside an app bundle): the tray's
        balloon is better than nothing."""
        return get_backend_class().__name__ != "DummyNotificationCenter"

    def show(self, alert: Alert) -> bool:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop to send from (never in the app: qasync's runs the GUI)
            return False
        notification = Notification(
            title=alert.title, message=alert.body, on_clicked=partial(self.on_action, "open", alert),
            buttons=tuple(Button(self.labels.get(action, action), partial(self.on_action, action, alert))
                          for action in alert.actions),
            thread=alert.key or None)
        earlier = self._on_screen.get(alert.key) if alert.key else None
        if alert.key:
            self._on_screen[alert.key] = notification.identifier
        task = loop.create_task(self._send(notification, earlier))
        self._sending.add(task)
        task.add_done_callback(self._sent)
        return True

    async def _send(self, notification: Notification, earlier: str | None) -> None:
        if earlier is not None and earlier in await self._centre.get_current_notifications():
            await self._centre.clear(earlier)  # a thread's newer count replaces the older one
        await self._centre.send_notification(notification)

    def _sent(self, task: asyncio.Task[None]) -> None:
        self._sending.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.warning("a notification could not be shown: %s", task.exception())

    def close(self) -> None:
        for task in list(self._sending):
            task.cancel()
