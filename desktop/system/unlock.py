"""Knowing when the person comes back to the screen, for the morning's colleague of the day ("at
the first start or unlock after 07:00"). On Linux the screen locker says so on the session bus:
``ActiveChanged(false)`` from org.freedesktop.ScreenSaver (KDE, most lockers) or
org.gnome.ScreenSaver (GNOME). A thread blocks on the bus, so listening costs no wake-ups.
Windows (WTS session notifications) and macOS (com.apple.screenIsUnlocked) are not wired yet:
there the morning timer and each start do the job alone.
"""

from __future__ import annotations

import queue
import sys
import threading
from collections.abc import Callable

INTERFACES = ("org.freedesktop.ScreenSaver", "org.gnome.ScreenSaver")
_STOP = object()


class ScreenUnlock:
    def __init__(self, on_unlock: Callable[[], None]) -> None:
        self.on_unlock = on_unlock  # called on the listening thread: hand it to Qt with a signal
        self._router = None
        self._heard: queue.Queue[object] = queue.Queue()
        self._thread: threading.Thread | None = None

    def start(self) -> bool:
        """Listen; False where nothing can be heard (not Linux, no session bus)."""
        if self._router is not None:
            return True  # already listening
        if not sys.platform.startswith("linux"):
            return False
        try:
            from jeepney import MatchRule, message_bus
            from jeepney.io.threading import DBusRouter, open_dbus_connection

            router = DBusRouter(open_dbus_connection(bus="SESSION"))
            for interface in INTERFACES:
                rule = MatchRule(type="signal", interface=interface, member="ActiveChanged")
                router.send_and_get_reply(message_bus.AddMatch(rule), timeout=3.0)
                router.filter(rule, queue=self._heard, bufsize=20)
        except (OSError, KeyError, ValueError, TimeoutError, ConnectionError):
            return False
        self._router = router
        self._thread = threading.Thread(target=self._listen, name="screen-unlock", daemon=True)
        self._thread.start()
        return True

    def _listen(self) -> None:
        while (signal := self._heard.get()) is not _STOP:
            if getattr(signal, "body", (True,)) == (False,):  # the screen saver stopped: unlocked
                self.on_unlock()

    def stop(self) -> None:
        self._heard.put(_STOP)
        if self._thread is not None:
            self._thread.join(2)
        if self._router is not None:
            self._router.close()
            self._router.conn.close()
            self._router = None
