"""Native notifications on Linux, against a real notification daemon (dunst) on a real session
bus (dbus-daemon), under the session's Xvfb: shown, clicked, and absent without a crash."""

from __future__ import annotations

import asyncio
import subprocess
import threading

import pytest
import qasync
from conftest import Until
from desktop_host import history, press

from desktop.parts.alerts import Alert
from desktop.system.notify.freedesktop import FreedesktopNotifier

pytestmark = pytest.mark.usefixtures("english")  # the catalogue hallway-desktop installs


def test_a_notification_reaches_the_daemon_and_a_click_opens_its_item(dunst: None) -> None:
    clicked: list[str] = []
    heard = threading.Event()

    def click(action: str, alert: Alert) -> None:
        clicked.append(alert.target)
        heard.set()

    notifier = FreedesktopNotifier(click)
    try:
        assert notifier.available()
        assert notifier.show(Alert("Ana Lima mentioned you", "<b>lunch?</b> & more", "p42", "notice:n1"))
        subprocess.run(["dunstctl", "action", "0"], check=True, timeout=5)
        assert heard.wait(5), "the click came back over D-Bus"
        assert clicked == ["p42"]
        shown = history()
        assert shown[0]["summary"] == "Ana Lima mentioned you"
        assert shown[0]["appname"] == "Hallway"
        assert "lunch?" in shown[0]["body"] and "<b>" not in shown[0]["body"]
    finally:
        notifier.close()


def test_a_newer_count_replaces_the_older_one(dunst: None) -> None:
    notifier = FreedesktopNotifier(lambda action, alert: None)
    try:
        assert notifier.available()
        assert notifier.show(Alert("5 new mentions", "From Ana", "mentions", "mention:many"))
        assert notifier.show(Alert("9 new mentions", "From Ana and Kwame", "mentions", "mention:many"))
        assert [n["summary"] for n in history()] == ["9 new mentions"]
    finally:
        notifier.close()


def test_reply_and_mark_read_are_buttons_on_the_notification(dunst: None) -> None:
    """dunst offers the buttons in its context menu; pressing one comes back as that action."""
    pressed: list[tuple[str, str]] = []
    heard = threading.Event()

    def act(action: str, alert: Alert) -> None:
        pressed.append((action, alert.notice_id))
        heard.set()

    notifier = FreedesktopNotifier(act)
    try:
        assert notifier.available()
        assert notifier.show(Alert("Ana Lima replied", "lunch?", "p42", "thread:p40", ("reply", "read"), "n7"))
        offered = press("Reply")
        assert any("Reply" in line for line in offered) and any("Mark read" in line for line in offered), offered
        assert heard.wait(5), "the button came back over D-Bus"
        heard.clear()
        assert notifier.show(Alert("Ana Lima replied (2 in this thread)", "and coffee?", "p43", "thread:p40",
                                   ("reply", "read"), "n8"))
        press("Mark read")
        assert heard.wait(5)
        assert pressed == [("reply", "n7"), ("read", "n8")]
        assert [n["summary"] for n in history()] == ["Ana Lima replied (2 in this thread)"], \
            "one notification per thread: the second replaced the first"
    finally:
        notifier.close()


def test_no_notification_service_is_not_an_error(session_bus: str) -> None:
    notifier = FreedesktopNotifier(lambda action, alert: None)
    try:
        assert not notifier.available()
        assert not notifier.show(Alert("Hello", "there"))
    finally:
        notifier.close()


def test_no_session_bus_at_all_is_not_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
    notifier = FreedesktopNotifier(lambda action, alert: None)
    assert not notifier.available()
    assert not notifier.show(Alert("Hello", "there"))
    notifier.close()


def test_a_slow_notification_service_never_blocks_the_gui_thread() -> None:
    """D-Bus calls can take seconds on a hung daemon: they run on the notifier's own thread."""
    import threading
    import time

    from desktop.system.notify.background import InBackground

    threads: list[int] = []

    class Slow:
        def show(self, alert: Alert) -> bool:
            threads.append(threading.get_ident())
            time.sleep(1.5)
            return True

        def close(self) -> None:
            pass

    failed: list[Alert] = []
    notifier = InBackground(Slow, lambda _service: True, failed.append)
    started = time.monotonic()
    assert notifier.show(Alert("Ana Lima mentioned you", "lunch?"))
    assert notifier.show(Alert("Kwame replied", "yes"))
    assert time.monotonic() - started < 0.1, "show() only queues"
    deadline = time.monotonic() + 10
    while len(threads) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(threads) == 2 and threading.get_ident() not in threads
    notifier.close()
    assert failed == []


def test_without_a_service_alerts_go_to_the_fallback() -> None:
    import time

    from desktop.system.notify.background import InBackground

    class Absent:
        def show(self, alert: Alert) -> bool:
            raise AssertionError("never asked: the service is not there")

        def close(self) -> None:
            pass

    failed: list[Alert] = []
    notifier = InBackground(Absent, lambda _service: False, failed.append)
    alert = Alert("Meet Ana Lima", "Design", "colleague", "colleague")
    notifier.show(alert)
    deadline = time.monotonic() + 5
    while not failed and time.monotonic() < deadline:
        time.sleep(0.05)
    assert failed == [alert]
    notifier.show(alert)
    assert failed == [alert, alert], "known absent: straight to the fallback"
    notifier.close()


def test_the_windows_and_macos_module_raises_the_same_buttons(dunst: None, loop: qasync.QEventLoop,
                                                               until: Until) -> None:
    """desktop.system.notify.native is what Windows and macOS use (desktop-notifier's WinRT and
    UNUserNotificationCenter backends); here the same module runs through the library's D-Bus
    backend, so its alert-to-buttons mapping, its replacing and its callbacks are real."""
    from desktop.system.notify.native import NativeNotifier

    pressed: list[tuple[str, str]] = []
    notifier = NativeNotifier(lambda action, alert: pressed.append((action, alert.notice_id)),
                              {"default": "Open", "reply": "Reply", "read": "Mark read"})
    assert notifier.available()

    async def show(alert: Alert) -> bool:
        return notifier.show(alert)

    try:
        assert loop.run_until_complete(show(Alert("Ana Lima replied", "lunch?", "p42", "thread:p40",
                                                  ("reply", "read"), "n7")))
        until(lambda: displayed() == 1, 5)
        assert loop.run_until_complete(show(Alert("Ana Lima replied (2 in this thread)", "and coffee?", "p43",
                                                  "thread:p40", ("reply", "read"), "n8")))
        loop.run_until_complete(asyncio.sleep(0.5))
        until(lambda: displayed() == 1, 5)
        offered = press("Mark read")
        assert offered and all("2 in this thread" in line for line in offered), "the newer one replaced it"
        assert any("Reply" in line for line in offered) and any("Mark read" in line for line in offered), offered
        until(lambda: bool(pressed), 5)
        assert loop.run_until_complete(show(Alert("Kwame Mensah mentioned you", "standup?", "p50", "thread:p50",
                                                  ("reply", "read"), "n9")))
        until(lambda: any("Kwame" in line for line in menu_of_displayed()), 5)
        press("Reply (Kwame Mensah")
        until(lambda: len(pressed) == 2, 5)
        assert pressed == [("read", "n8"), ("reply", "n9")]
    finally:
        notifier.close()


def menu_of_displayed() -> list[str]:
    """What dunst's menu would offer, without pressing anything."""
    return press("(no such entry: press nothing)")


def displayed() -> int:
    return int(subprocess.run(["dunstctl", "count", "displayed"], capture_output=True, text=True, timeout=5).stdout)

