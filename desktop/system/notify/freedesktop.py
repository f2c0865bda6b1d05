"""Linux: org.freedesktop.Notifications on the session bus, through jeepney (pure Python; keyring
already depends on it on Linux). Daemons send ActionInvoked to the connection that raised the
notification, so one connection does both: jeepney's router reads it in a thread of its own, and
a listener thread passes each click or button to ``on_action`` (which must hand it to the GUI
thread). The buttons are freedesktop actions: "Reply" and "Mark read" beside the click ("default",
which opens the item); a daemon that shows no buttons still has the click."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable

from jeepney import DBusAddress, MatchRule, new_method_call
from jeepney.bus_messages import message_bus
from jeepney.io.threading import DBusRouter, open_dbus_connection

from desktop.parts.alerts import Alert

SERVICE = DBusAddress("/org/freedesktop/Notifications", bus_name="org.freedesktop.Notifications",
                      interface="org.freedesktop.Notifications")
APP_NAME = "Hallway"
TIMEOUT_S = 3.0
_STOP = object()
LABELS = {"default": "Open", "reply": "Reply", "read": "Mark read"}  # Alert.actions -> the button's words


class FreedesktopNotifier:
    def __init__(self, on_action: Callable[[str, Alert], None],
                 labels: dict[str, str] | None = None) -> None:
        """``on_action(action, alert)``: "open" for a click, else one of the alert's actions."""
        self.on_action = on_action
        self.labels = labels or LABELS
        self.shown: dict[int, Alert] = {}  # notification id -> the alert it shows
        self.replaces: dict[str, int] = {}  # alert key -> its notification id (a newer count replaces it)
        self._stop = threading.Event()
        self._conn: DBusRouter | None = None
        self._listener: threading.Thread | None = None
        self._clicks: queue.Queue[object] = queue.Queue()
        try:
            self._conn = DBusRouter(open_dbus_connection(bus="SESSION"))
        except (OSError, KeyError, ValueError):  # no session bus here (a bare X session, a service)
            self._conn = None

    def available(self) -> bool:
        """Is a notification service answering on the bus?"""
        if self._conn is None:
            return False
        try:
            reply = self._conn.send_and_get_reply(new_method_call(SERVICE, "GetServerInformation"),
                                                  timeout=TIMEOUT_S)
        except (OSError, TimeoutError, ConnectionError):
            return False
        if reply.header.message_type.name != "method_return":
            return False
        self._listen()
        return True

    def show(self, alert: Alert) -> bool:
        if self._conn is None:
            return False
        replaces = self.replaces.get(alert.key, 0) if alert.key else 0
        actions = ["default", self.labels.get("default", "Open")]
        for action in alert.actions:
            actions += [action, self.labels.get(action, action)]
        message = new_method_call(SERVICE, "Notify", "susssasa{sv}i", (
            APP_NAME, replaces, "hallway", alert.title, _escape(alert.body), actions,
            {"category": ("s", "im.received"), "desktop-entry": ("s", "hallway-desktop")}, -1))
        try:
            reply = self._conn.send_and_get_reply(message, timeout=TIMEOUT_S)
        except (OSError, TimeoutError, ConnectionError):
            return False
        if reply.header.message_type.name != "method_return":
            return False
        notification_id = int(reply.body[0])
        self.shown[notification_id] = alert
        self.replaces[alert.key] = notification_id
        return True

    def _listen(self) -> None:
        if self._listener is not None or self._conn is None:
            return
        rule = MatchRule(type="signal", interface=SERVICE.interface, member="ActionInvoked", path=SERVICE.object_path)
        self._conn.send_and_get_reply(message_bus.AddMatch(rule), timeout=TIMEOUT_S)
        self._filter = self._conn.filter(rule, queue=self._clicks, bufsize=100)
        self._listener = threading.Thread(target=self._hear_clicks, name="notification-clicks", daemon=True)
        self._listener.start()

    def _hear_clicks(self) -> None:
        while not self._stop.is_set():
            signal = self._clicks.get()  # blocks without waking up: close() sends a stop
            if signal is _STOP:
                return
            notification_id, action = signal.body  # type: ignore[attr-defined]
            alert = self.shown.get(notification_id)
            if alert is None:
                continue
            if action == "default":
                self.on_action("open", alert)
            elif action in alert.actions:
                self.on_action(action, alert)

    def close(self) -> None:
        self._stop.set()
        self._clicks.put(_STOP)
        if self._listener is not None:
            self._listener.join(2)
        if self._conn is not None:
            self._conn.close()
            self._conn.conn.close()
            self._conn = None


def _escape(text: str) -> str:
    """Notification bodies may be read as a little markup: show the text as text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
