"""Whether the screen is locked, so sync slows down while nobody can see it (hallway.schedule).

Linux: the session's screen saver on D-Bus (``org.freedesktop.ScreenSaver``, which KDE, Xfce and
most others serve, and GNOME's ``org.gnome.ScreenSaver``): asked once, then followed through their
``ActiveChanged`` signal by a thread of its own, so reading ``locked`` never waits. Elsewhere, and
where no screen saver answers, the screen counts as unlocked (the app syncs as usual).
"""

from __future__ import annotations

import contextlib
import logging
import socket
import sys
import threading

log = logging.getLogger(__name__)
SAVERS = (("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver"),
          ("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver"))
ASK_TIMEOUT_S = 2.0


class ScreenLock:
    """``locked``: the last word from the screen saver (False until one says otherwise)."""

    def __init__(self) -> None:
        self.locked = False
        self.source = ""  # which screen saver answered ("": none)
        self._stop = threading.Event()
        self._socket: socket.socket | None = None
        if sys.platform.startswith("linux"):
            threading.Thread(target=self._follow, name="hallway-screen-lock", daemon=True).start()

    def stop(self) -> None:
        """Ends the thread's wait at once: a shut socket wakes the blocked read (it waits for
        the screen saver with no timeout, so an idle app never wakes for it)."""
        self._stop.set()
        if self._socket is not None:
            with contextlib.suppress(OSError):
                self._socket.shutdown(socket.SHUT_RDWR)

    def _follow(self) -> None:
        try:
            from jeepney import DBusAddress, MatchRule, new_method_call
            from jeepney.bus_messages import message_bus
            from jeepney.io.blocking import open_dbus_connection

            connection = open_dbus_connection(bus="SESSION")
        except Exception as failure:  # no session bus here (a bare X session, a service): unlocked
            log.info("no session bus to ask whether the screen is locked (%s)", type(failure).__name__)
            return
        self._socket = connection.sock
        if self._stop.is_set():
            connection.close()
            return
        with connection:
            for name, path in SAVERS:
                rule = MatchRule(type="signal", interface=name, member="ActiveChanged", path=path)
                connection.send_and_get_reply(message_bus.AddMatch(rule), timeout=ASK_TIMEOUT_S)
            for name, path in SAVERS:
                try:
                    reply = connection.send_and_get_reply(new_method_call(DBusAddress(path, name, name), "GetActive"),
                                                          timeout=ASK_TIMEOUT_S)
                except (TimeoutError, OSError):
                    continue
                if reply.header.message_type.name == "method_return" and reply.body:
                    self.locked, self.source = bool(reply.body[0]), name
                    break
            while not self._stop.is_set():
                try:
                    message = connection.receive()  # no timeout: stop() shuts the socket
                except (OSError, EOFError, ValueError):
                    return
                if message.header.fields.get(_MEMBER) == "ActiveChanged" and message.body:
                    self.locked = bool(message.body[0])
                    log.info("the screen is %s", "locked" if self.locked else "unlocked")


_MEMBER = 3  # jeepney's HeaderFields.member
