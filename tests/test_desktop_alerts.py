"""What the tray app notifies, and when: per-kind switches, quiet hours and do-not-disturb
(held, then summarised), floods coalesced, nothing twice, even after a restart."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from desktop.parts.alerts import Alert, Alerts
from desktop.parts.notice_centre import NoticeCentre
from desktop.parts.quiet import DoNotDisturb, QuietHours, QuietTime
from desktop.system.tray import Tray
from hallway import config as settings
from hallway.model import Announcement, Notice, NoticeKind, sort_key
from hallway.store import Store

pytestmark = [pytest.mark.usefixtures("english"),  # the catalogue hallway-desktop installs
              pytest.mark.fast]  # the fast tier: ./run test -m fast

MONDAY_10 = datetime(2026, 11, 23, 10, 0).astimezone()


def notice(i: int, kind: NoticeKind = NoticeKind.MENTION, who: str = "Ana Lima") -> Notice:
    return Notice(f"n{i}", sort_key(i), kind, f"a{i}", who, f"hello {i}", datetime(2026, 11, 23, 9, 0, tzinfo=UTC),
                  f"p{i}")


def alerts_at(store: Store, moment: list[datetime], machine: str = "") -> Alerts:
    folder = store.path.parent
    (folder / "machine.toml").write_text(machine)
    config = settings.load(folder / "machine.toml", folder / "user.toml")
    quiet = QuietTime(QuietHours.of(config), DoNotDisturb(store))
    alerts = Alerts(store, config, quiet, now=lambda: moment[0])
    alerts.start()
    return alerts


def test_quiet_hours_span_midnight_and_weekends() -> None:
    hours = QuietHours(True, time(18, 0), time(8, 0), True)
    assert not hours.quiet_at(MONDAY_10)
    assert hours.quiet_at(MONDAY_10.replace(hour=19)) and hours.quiet_at(MONDAY_10.replace(hour=7, minute=59))
    assert hours.quiet_at(MONDAY_10 - timedelta(days=1)), "Sunday"
    assert hours.ends_after(MONDAY_10.replace(hour=19)) == (MONDAY_10 + timedelta(days=1)).replace(hour=8)
    friday_evening = MONDAY_10 + timedelta(days=4, hours=9)
    assert hours.ends_after(friday_evening) == (MONDAY_10 + timedelta(days=7)).replace(hour=8)
    assert not QuietHours(False).quiet_at(MONDAY_10.replace(hour=23))


def test_a_few_mentions_are_notified_once_each_and_never_again(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db", tmp_path / "photos")
    now = [MONDAY_10]
    store.save_notices([notice(1)])  # before the first start: history, not news
    alerts = alerts_at(store, now)
    assert alerts.due() == []
    store.save_notices([notice(2), notice(3, NoticeKind.REPLY, "Kwame Mensah"), notice(4, NoticeKind.LIKE)])
    shown = alerts.due()
    assert [a.title for a in shown] == ["Ana Lima mentioned you", "Kwame Mensah replied"]
    assert shown[0].target == "p2"
    assert alerts.due() == []
    store.close()
    again = Store(tmp_path / "s.db", tmp_path / "photos")  # a restart
    assert alerts_at(again, now).due() == [], "never shown twice"
    again.close()


def test_a_flood_is_one_notification(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db", tmp_path / "photos")
    alerts = alerts_at(store, [MONDAY_10])
    store.save_notices([notice(i, who=f"Person {i % 7}") for i in range(500)])
    shown = alerts.due()
    assert len(shown) == 1
    assert shown[0].title == "500 new mentions"
    assert shown[0].body.startswith("From Person 0, Person 1, Person 2 and 4 more")
    store.close()


def test_switched_off_kinds_stay_quiet(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db", tmp_path / "photos")
    alerts = alerts_at(store, [MONDAY_10], '[notifications]\nmentions = false\n')
    store.save_notices([notice(1), notice(2, NoticeKind.REPLY)])
    assert [a.title for a in alerts.due()] == ["Ana Lima replied"]
    store.close()


def test_quiet_time_holds_and_then_summarises(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db", tmp_path / "photos")
    now = [MONDAY_10.replace(hour=20)]
    alerts = alerts_at(store, now)
    store.save_notices([notice(1), notice(2), notice(3, NoticeKind.REPLY)])
    store.save_announcements([Announcement("a1", "Office closed Friday", "", None)])
    assert alerts.due() == [], "held in the evening"
    now[0] = alerts.quiet.ends_after(now[0])
    assert now[0] == (MONDAY_10 + timedelta(days=1)).replace(hour=8)
    summary = alerts.due()
    assert len(summary) == 1
    assert summary[0].title == "While it was quiet"
    assert summary[0].body == "2 mentions, 1 reply, 1 announcement"
    assert alerts.due() == []
    store.close()


def test_do_not_disturb_holds_until_it_ends(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db", tmp_path / "photos")
    now = [MONDAY_10]
    alerts = alerts_at(store, now)
    alerts.quiet.dnd.for_an_hour(now[0])
    store.save_notices([notice(1)])
    assert alerts.due() == []
    now[0] += timedelta(minutes=61)
    assert [a.title for a in alerts.due()] == ["Ana Lima mentioned you"], "one held item needs no summary"
    alerts.quiet.dnd.until_tomorrow(now[0])
    assert alerts.quiet.dnd.until == datetime.combine(now[0].date() + timedelta(days=1), time(8, 0), now[0].tzinfo)
    alerts.quiet.dnd.off()
    assert not alerts.quiet.quiet_at(now[0])
    store.close()


class Recorded:
    """The notification service, as the notice centre sees it: what it was asked to show."""

    def __init__(self) -> None:
        self.shown: list[Alert] = []

    def show(self, alert: Alert) -> bool:
        self.shown.append(alert)
        return True

    def close(self) -> None:
        pass


def test_the_notice_centre_holds_mentions_through_do_not_disturb_and_sums_them_up_after(
        tmp_path: Path, qapp: QApplication) -> None:
    """The tray app's notice centre on a clock the test moves and a recording notifier: what the
    person chose in the tray menu holds a mention, turning it off lets out one notification, and
    a screen reader hears each one raised."""
    store = Store(tmp_path / "s.db", tmp_path / "photos")
    (tmp_path / "machine.toml").write_text("[quiet_hours]\nenabled = false\n")
    config = settings.load(tmp_path / "machine.toml", tmp_path / "user.toml")
    now = [MONDAY_10]
    service = Recorded()
    tray = Tray()
    centre = NoticeCentre(store, config, tray, lambda: now[0], service)
    heard: list[Alert] = []
    centre.raised.connect(heard.append)
    centre.history_only()
    centre.choose_dnd("hour")
    assert centre.quiet_now() and centre.dnd_choice() == "hour"
    store.save_notices([notice(1), notice(2, NoticeKind.REPLY, "Kwame Mensah")])
    centre.notify()
    assert service.shown == [], "held while do-not-disturb is on"
    now[0] += timedelta(minutes=20)
    centre.choose_dnd("off")
    assert [a.title for a in service.shown] == ["While it was quiet"]
    assert service.shown[0].body == "1 mention, 1 reply"
    assert heard == service.shown
    centre.notify()
    assert len(service.shown) == 1, "nothing twice"
    centre.stop()
    tray.icon.hide()
    store.close()
