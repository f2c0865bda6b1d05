"""Native desktop notifications, one small module per platform: the freedesktop notification
service over D-Bus on Linux (freedesktop.py); WinRT toasts on Windows and the user notification
centre on macOS (native.py, through desktop-notifier); and where none answers, the tray icon's
own balloon, which has a click and no buttons.

Whatever the platform, a failure to notify is never an error the person sees: the unread badge
on the tray icon still says there is something new."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Protocol

from desktop.parts.alerts import Alert


class Notifier(Protocol):
    def show(self, alert: Alert) -> bool:
        """Raise the notification; False when it could not be shown (no service, an error)."""

    def close(self) -> None: ...


def for_this_os(on_action: Callable[[str, Alert], None], fallback: Notifier,
                on_failed: Callable[[Alert], None] | None = None, labels: dict[str, str] | None = None) -> Notifier:
    """``on_action`` gets "open" and the alert when the person clicks a notification, or the
    button's action ("reply", "read") when they press one of its buttons. On Linux the
    D-Bus service is reached from a thread of its own (desktop.system.notify.background); an alert it
    could not show goes to ``on_failed`` from that thread (the app hands it to ``fallback`` on
    the GUI thread)."""
    if sys.platform.startswith("linux") or "bsd" in sys.platform:
        from desktop.system.notify.background import InBackground
        from desktop.system.notify.freedesktop import FreedesktopNotifier
        return InBackground(lambda: FreedesktopNotifier(on_action, labels),
                            lambda service: isinstance(service, FreedesktopNotifier) and service.available(),
                            on_failed or (lambda _alert: None))
    from desktop.system.notify.native import NativeNotifier  # Windows and macOS: buttons too
    return NativeNotifier(on_action, labels) if NativeNotifier.available() else fallback
