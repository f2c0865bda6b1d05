"""The tray app follows the session's screen saver (desktop/system/screen_lock.py): a screen saver of the
test's own on a session bus of the test's own says unlocked, then locked, then unlocked again,
and sync's pace follows (hallway.schedule.pass_wait)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from jeepney import DBusAddress, new_method_return, new_signal
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import DBusConnection, open_dbus_connection

from desktop.system.screen_lock import ScreenLock

NAME, PATH = "org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver"


class FakeScreenSaver:
    """Answers GetActive, and says when the screen locks (ActiveChanged)."""

    def __init__(self, connection: DBusConnection) -> None:
        self.connection, self.active = connection, False
        self.stop = threading.Event()
        self.lock = threading.Lock()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                message = self.connection.receive(timeout=0.2)
            except TimeoutError:
                continue
            if message.header.message_type.name == "method_call" and message.header.fields.get(3) == "GetActive":
                with self.lock:
                    self.connection.send_message(new_method_return(message, "b", (self.active,)))

    def set(self, active: bool) -> None:
        self.active = active
        with self.lock:
            self.connection.send_message(new_signal(DBusAddress(PATH, interface=NAME), "ActiveChanged", "b",
                                                    (active,)))


@pytest.fixture
def screen_saver(session_bus: str) -> Iterator[FakeScreenSaver]:
    connection = open_dbus_connection(bus="SESSION")
    connection.send_and_get_reply(message_bus.RequestName(NAME), timeout=5)
    saver = FakeScreenSaver(connection)
    yield saver
    saver.stop.set()
    time.sleep(0.3)
    connection.close()


def until(condition: object, timeout: float = 5.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


def test_the_lock_is_followed_and_sync_slows_down_while_it_holds(screen_saver: FakeScreenSaver) -> None:
    from hallway.schedule import Attention, pass_wait

    watcher = ScreenLock()
    try:
        assert until(lambda: watcher.source == NAME), "asked the session's screen saver"
        assert watcher.locked is False
        screen_saver.set(True)
        assert until(lambda: watcher.locked), "the lock is seen when it happens"
        attention = Attention.AWAY if watcher.locked else Attention.AROUND
        assert pass_wait(300, attention, streamed=False) == 1200
        screen_saver.set(False)
        assert until(lambda: not watcher.locked), "and the unlock"
    finally:
        watcher.stop()


def test_without_a_session_bus_the_screen_counts_as_unlocked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
    watcher = ScreenLock()
    time.sleep(0.3)
    assert watcher.locked is False and watcher.source == ""
    watcher.stop()
