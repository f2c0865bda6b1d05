"""Celebrations, opt-in only: birthdays in any format with the year dropped, work anniversaries,
new joiners within 90 days, a weekend's on the Friday, only for people who said yes, only the
kinds IT switched on; and the words the kiosk and the laptop show."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import requests
from PySide6.QtWidgets import QApplication

from hallway.celebrations import Kind, birthday, celebrations, kinds_of, wants_celebrating
from hallway.model import Colleague
from hallway.store import Store
from ui.language import Cheers

pytestmark = pytest.mark.fast  # the fast tier: ./run test -m fast

ALL = {Kind.BIRTHDAY, Kind.ANNIVERSARY, Kind.NEW_JOINER}
FRIDAY = date(2026, 12, 4)


@pytest.mark.parametrize("text", ["12 May", "05-12", "1990-05-12", "May 12", "12. Mai", "12.05.", "--05-12",
                                  "12.05.1990", "May 12th, 1990", " 12 may "])
def test_a_birthday_in_any_format_is_its_day_and_month_only(text: str) -> None:
    assert birthday(text) == (5, 12)


@pytest.mark.parametrize("text", ["", "soon", "31 Feb", "2026-13-01", "12 Smarch", "x" * 10_000])
def test_a_birthday_that_cannot_be_read_is_none(text: str) -> None:
    assert birthday(text) is None


def person(name: str, born: tuple[int, int] | None = None, started: date | None = None,
           yes: bool = True) -> Colleague:
    return Colleague(id=name, name=name, birthday=born, started_on=started, celebrate=yes)


def test_only_people_who_said_yes_are_celebrated_and_only_what_it_switched_on() -> None:
    people = [person("Ana", (12, 4)), person("Ben", (12, 4), yes=False), person("Caro", None, date(2021, 12, 4)),
              person("Dan", None, date(2026, 11, 20)), person("Eve", None, date(2026, 8, 1))]
    found = celebrations(FRIDAY, people, ALL)
    assert [(c.colleague.name, c.kind, c.years) for c in found] == [
        ("Ana", Kind.BIRTHDAY, 0), ("Caro", Kind.ANNIVERSARY, 5), ("Dan", Kind.NEW_JOINER, 0)]
    assert celebrations(FRIDAY, people, {Kind.BIRTHDAY}) == found[:1]
    assert celebrations(FRIDAY, people, kinds_of("")) == [], "IT switched nothing on"
    assert kinds_of("birthdays, parties,new_joiners") == {Kind.BIRTHDAY, Kind.NEW_JOINER}
    assert wants_celebrating("Yes") and wants_celebrating(" ja ") and not wants_celebrating("no")


def test_the_weekend_is_celebrated_on_the_friday_and_29_february_on_the_28th() -> None:
    people = [person("Sat", (12, 5)), person("Sun", (12, 6)), person("Mon", (12, 7)), person("Leap", (2, 29))]
    assert [(c.colleague.name, c.on) for c in celebrations(FRIDAY, people, ALL)] == [
        ("Sat", date(2026, 12, 5)), ("Sun", date(2026, 12, 6))]
    assert [c.colleague.name for c in celebrations(date(2026, 12, 7), people, ALL)] == ["Mon"]
    assert [c.colleague.name for c in celebrations(date(2027, 2, 28), people, ALL)] == ["Leap"]
    assert [c.colleague.name for c in celebrations(date(2028, 2, 29), people, ALL)] == ["Leap"]


def test_the_words_name_a_weekend_birthday_its_day(english: QApplication) -> None:
    people = [person("Ana Lima", (12, 4)), person("Zoe Park", (12, 5)), person("Caro", None, date(2021, 12, 4))]
    lines = Cheers().lines(celebrations(FRIDAY, people, ALL), FRIDAY)
    assert lines == ["Happy birthday, Ana Lima, Zoe Park (Saturday)!", "Caro: 5 years with us"]


def test_the_kiosk_celebrates_only_the_people_who_said_yes(english: QApplication, tmp_path: Path) -> None:
    """On the demo network: two people of the Lisbon office have their birthday today; one said
    yes to celebrations on their profile, one said no. The kiosk's welcome names only the first."""
    from hallway.demo import server
    from hallway.demo.organisation import generate
    from hallway.networks.mastodon import MastodonNetwork
    from hallway.outbox import Outbox
    from hallway.sync import Sync
    from kiosk.lobby import Lobby
    from kiosk.screens.welcome import Welcome
    from kiosk.visitors import Visitors

    network = server.create(generate(seed=5, people=30), rate_limit=1_000_000).start_in_background()
    try:
        today = date.today()
        lisbon = [a for a in network.org.accounts.values() if not a.bot and a.discoverable and a.office == "Lisbon"
                  and a.username != "demo"][:2]
        for account, answer in zip(lisbon, ("yes", "no"), strict=True):
            fields = [(n, v) for n, v in account.fields if n not in ("Birthday", "Celebrate")]
            fields += [("Birthday", f"{today.day} {today:%b}"), ("Celebrate", answer)]
            form = {f"fields_attributes[{i}][{part}]": value for i, pair in enumerate(fields)
                    for part, value in zip(("name", "value"), pair, strict=True)}
            requests.patch(f"{network.url}/api/v1/accounts/update_credentials", data=form, timeout=10,
                           headers={"Authorization": f"Bearer {network.token_for(account.username)}"}
                           ).raise_for_status()
        store = Store(tmp_path / "kiosk.sqlite3", tmp_path / "photos")
        Sync(store, MastodonNetwork(network.url, network.token_for("lobby")), feed=None, notices=False,
             stream=False, photos_per_pass=0).once(directory=True)
        lobby = Lobby(store, Outbox(store), Visitors(store), "Lisbon")
        welcome = Welcome("Lisbon")
        welcome.show_celebrations(lobby.celebrations(kinds_of("birthdays")), lobby.today())
        text = welcome.celebration_text.text()
        assert welcome.celebration.isVisibleTo(welcome) and lisbon[0].display_name in text
        assert lisbon[1].display_name not in text, "who said no is not celebrated"
        welcome.show_celebrations(lobby.celebrations(kinds_of("")), lobby.today())
        assert not welcome.celebration.isVisibleTo(welcome), "IT switched nothing on"
        welcome.close()
        store.close()
    finally:
        network.stop()


def test_the_laptop_tells_the_days_celebrations_once(english: QApplication, store: Store, tmp_path: Path) -> None:
    from datetime import datetime

    from desktop.parts.celebrating import Celebrating
    from hallway import config as settings
    machine = tmp_path / "machine.toml"
    machine.write_text('[office]\nname = "Lisbon"\n[celebrations]\nkinds = "birthdays,anniversaries"\n')
    store.save_people([Colleague(id="1", name="Ana Lima", office="Lisbon", birthday=(12, 4), celebrate=True),
                       Colleague(id="2", name="Ben Ode", office="Lisbon", birthday=(12, 4), celebrate=False),
                       Colleague(id="3", name="Caro Diaz", office="Nairobi", birthday=(12, 4), celebrate=True)])
    noon = datetime(2026, 12, 4, 12).astimezone()
    cheering = Celebrating(store, settings.load(machine, tmp_path / "user.toml"), lambda: noon, lambda: "Lisbon")
    alert = cheering.due()
    assert alert is not None and alert.title == "Celebrating today" and alert.body == "Happy birthday, Ana Lima!"
    cheering.told()
    assert cheering.due() is None, "once on the day"


def test_a_day_with_nobody_to_celebrate_is_looked_at_again_only_when_the_directory_changes(
        english: QApplication, store: Store, tmp_path: Path) -> None:
    from datetime import datetime

    from desktop.parts.celebrating import Celebrating
    from hallway import config as settings

    machine = tmp_path / "machine.toml"
    machine.write_text('[celebrations]\nkinds = "birthdays"\n')
    noon = datetime(2026, 12, 4, 12).astimezone()
    cheering = Celebrating(store, settings.load(machine, tmp_path / "user.toml"), lambda: noon, lambda: "")
    assert cheering.due() is None
    store.save_people([Colleague(id="1", name="Ana Lima", birthday=(12, 4), celebrate=True)])
    assert cheering.due() is None, "not read again at every sync"
    alert = cheering.due(people_changed=True)
    assert alert is not None and alert.body == "Happy birthday, Ana Lima!"
