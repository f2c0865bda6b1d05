"""The office week in the tray app, on the demo network: a plan is written with the network's
own call and read back by a colleague, only once the person chose to share it; a past day is
refused; a starred colleague who plans the same day shows as "… is in on Thursday too"; a
starred colleague's check-in is one quiet notification a day; the kiosk counts who planned today."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from conftest import Until
from desktop_host import history
from PySide6.QtCore import QLocale, Qt
from PySide6.QtTest import QTest
from tray_apps import others, synced

from desktop.tray_app import TrayApp
from hallway.demo import server
from hallway.model import CheckIn, Colleague, Place
from hallway.networks.mastodon import MastodonNetwork
from hallway.office_week import planning_days

pytestmark = pytest.mark.usefixtures("english")  # the catalogue hallway-desktop installs


def directory_of(network: server.DemoNetwork, username: str) -> dict[str, Colleague]:
    reader = MastodonNetwork(network.url, network.token_for(username))
    return {c.id: c for page in reader.directory() for c in page}


def test_a_plan_is_shared_only_when_chosen_and_a_colleague_reads_it(
        fresh_demo: server.DemoNetwork, make_app: Callable[..., TrayApp], until: Until) -> None:
    app = make_app(fresh_demo)
    synced(app, until)
    app.navigation.open_window("in_office")
    me = fresh_demo.org.demo_user_id
    day = planning_days(date.today())[-1]  # Friday of next week: always ahead
    QTest.mouseClick(app.window.week.days[day], Qt.MouseButton.LeftButton)
    assert app.week.mine() == (day,)
    assert "Only you see these days" in app.window.week.note.text()
    QTest.qWait(500)
    assert app.outbox.pending_count() == 0, "nothing goes to the network before the person chooses to share"
    assert not any(name == "Office days" for name, _ in fresh_demo.org.accounts[me].fields)

    app.window.week.share.click()
    until(lambda: app.outbox.pending_count() == 0 and any(
        name == "Office days" for name, _ in fresh_demo.org.accounts[me].fields), 15)
    assert dict(fresh_demo.org.accounts[me].fields)["Office days"] == day.isoformat()
    assert directory_of(fresh_demo, others(fresh_demo, 1)[0])[me].office_days == (day,), "a colleague reads it"
    assert dict(fresh_demo.org.accounts[me].fields)["Title"], "the person's other fields are kept"

    app.window.week.share.click()  # taken back
    until(lambda: app.outbox.pending_count() == 0 and not any(
        name == "Office days" for name, _ in fresh_demo.org.accounts[me].fields), 15)
    assert app.week.mine() == (day,), "still planned on this computer"


def test_a_past_day_is_refused_and_a_starred_colleague_on_the_same_day_is_named(
        fresh_demo: server.DemoNetwork, make_app: Callable[..., TrayApp], until: Until) -> None:
    friday = planning_days(date.today())[-1]
    mine = fresh_demo.org.accounts[fresh_demo.org.demo_user_id].office
    ana = next(a.username for a in fresh_demo.org.accounts.values()
               if a.office == mine and not a.bot and a.username not in ("demo", "lobby"))
    MastodonNetwork(fresh_demo.url, fresh_demo.token_for(ana)).share_office_days([friday])
    app = make_app(fresh_demo)
    synced(app, until)
    ana_id = fresh_demo.org.by_username(ana).id  # type: ignore[union-attr]
    until(lambda: (c := app.store.colleague(ana_id)) is not None and c.office_days == (friday,), 10)
    app.week.toggle(date.today() - timedelta(days=1), True)
    assert "is over" in app.window.status.text() and app.week.mine() == ()
    app.navigation.open_window("in_office")
    app.week.toggle(friday, True)
    planners = [c for c in app.store.planned_on(friday) if c.id != fresh_demo.org.demo_user_id and c.office == mine]
    assert ana_id in {c.id for c in planners}
    assert f"{len(planners)} planned" in app.window.week.days[friday].text()
    app.week.star(app.store.colleague(ana_id), True)  # type: ignore[arg-type]
    weekday = QLocale().dayName(friday.isoweekday(), QLocale.FormatType.LongFormat)
    assert app.window.week.together.text() == f"{app.store.colleague(ana_id).name} is in on {weekday} too"  # type: ignore[union-attr]
    app.week.star(Colleague(id="someone-who-left", name="Gone"), True)  # a starred colleague who left
    app.week.draw(app.window.week)
    assert app.week.starred_in() == []


def test_a_starred_colleagues_check_in_is_one_quiet_notification(
        fresh_demo: server.DemoNetwork, make_app: Callable[..., TrayApp], until: Until, dunst: None) -> None:
    app = make_app(fresh_demo)
    synced(app, until)
    kwame = fresh_demo.org.by_username(others(fresh_demo, 2)[1])
    assert kwame is not None
    colleague = app.store.colleague(kwame.id)
    assert colleague is not None
    app.morning.show_person(colleague)
    app.card.star_button.click()  # ☆ on the card
    assert app.week.is_starred(kwame.id) and app.card.star_button.text() == "★"
    lobby = MastodonNetwork(fresh_demo.url, fresh_demo.token_for("lobby"), is_lobby=True)
    lobby.check_in(CheckIn(kwame.id, Place("Lisbon"), datetime.now().astimezone(), shared=True),
                   Colleague(id=kwame.id, name=kwame.display_name, handle=kwame.username), "office-week-test")
    assert app.session.sync is not None
    app.session.sync.now(full=True)
    until(lambda: any(f"{kwame.display_name} is in today" == n["summary"] for n in history()), 20)
    app.session.sync.now(full=True)
    QTest.qWait(3000)
    shown = [n for n in history() if n["summary"] == f"{kwame.display_name} is in today"]
    assert len(shown) == 1 and "Lisbon" in shown[0]["body"], "once a day"


def test_the_kiosk_welcome_counts_who_planned_today(english: object) -> None:
    from kiosk.screens.welcome import Welcome

    welcome = Welcome("Lisbon")
    welcome.show_in_today(3, 5)
    assert welcome.in_today.text() == "3 colleagues in today  ·  5 planned"
    welcome.show_in_today(0, 0)
    assert welcome.in_today.text() == "Be the first one in today"
    welcome.close()
