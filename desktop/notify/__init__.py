"""Native desktop notifications, one small module per platform: the freedesktop notification
service over D-Bus on Linux; elsewhere (and where no service answers) the tray icon's own
balloon, which Qt shows through Windows' and macOS's notification centres.

Whatever the platform, a failure to notify is never an error the person sees: the unread badge
on the tray icon still says there is something new."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Protocol

from desktop.alerts import Alert


class Notifier(Protocol):
    def show(self, alert: Alert) -> bool:
        """Raise the notification; False when it could not be shown (no service, an error)."""

    def close(self) -> None: ...


def for_this_os(on_clicked: Callable[[str], None], fallback: Notifier) -> Notifier:
    """``on_clicked`` gets the alert's target when the person clicks a notification."""
    if sys.platform.startswith("linux") or "bsd" in sys.platform:
        from desktop.notify.freedesktop import FreedesktopNotifier
        service = FreedesktopNotifier(on_clicked)
        if service.available():
            return service
        service.close()
    return fallback
