"""Who is in, on Mastodon (hallway/networks/mastodon_presence.py), against the bad input a real
network brings: forged lines, the old format, right-to-left office names, midnight, a handle
that changes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
import requests

from hallway.demo.organisation import generate
from hallway.demo.server import DemoNetwork, create
from hallway.http import HttpClient
from hallway.model import CheckIn, Colleague, Place
from hallway.networks import mastodon_presence
from hallway.networks.mastodon import MastodonNetwork

pytestmark = pytest.mark.fast  # the fast tier: ./run test -m fast


@pytest.fixture
def network() -> Iterator[DemoNetwork]:
    started = create(generate(seed=41, people=40), rate_limit=1_000_000).start_in_background()
    yield started
    started.stop()


def connect(network: DemoNetwork, who: str, lobby: bool = False) -> MastodonNetwork:
    return MastodonNetwork(network.url, network.token_for(who), HttpClient(sleep=lambda s: None), is_lobby=lobby)


def someone(network: DemoNetwork, index: int = 1) -> Colleague:
    account = [a for a in network.org.accounts.values() if not a.bot and a.username != "demo"][index]
    return Colleague(id=account.id, name=account.display_name, handle=account.username)


def post(network: DemoNetwork, who: str, text: str, visibility: str = "unlisted") -> None:
    requests.post(f"{network.url}/api/v1/statuses", data={"status": text, "visibility": visibility}, timeout=10,
                  headers={"Authorization": f"Bearer {network.token_for(who)}"}).raise_for_status()


def test_a_forged_check_in_from_another_account_is_not_counted(network: DemoNetwork) -> None:
    person = someone(network)
    today = datetime.now().astimezone()
    forged = mastodon_presence.check_in_text(CheckIn(person.id, Place("Lisbon"), today), person, "", today.date())
    post(network, "demo", forged)  # anyone can write the line; only a lobby account's counts
    assert connect(network, "demo").in_office(today.date()) == []
    connect(network, "lobby", lobby=True).check_in(CheckIn(person.id, Place("Lisbon"), today), person, "real")
    assert [p.colleague_id for p in connect(network, "demo").in_office(today.date())] == [person.id]


def test_the_old_format_is_no_longer_read_and_a_repeat_read_is_one_request(network: DemoNetwork) -> None:
    """The #inoffice posts of the release before cost every laptop a request a minute; after
    their release they are not read. Asked again, "who is in" is one request per lobby account:
    only what is newer."""
    person = someone(network, 2)
    post(network, "lobby", f"👋 @{person.handle} is in the Toronto office today. #inoffice", visibility="public")
    laptop = connect(network, "demo")
    assert laptop.in_office(datetime.now().astimezone().date()) == []
    before = laptop.client.traffic.requests
    laptop.in_office(datetime.now().astimezone().date())
    assert laptop.client.traffic.requests - before == 1


def test_an_office_named_in_a_right_to_left_script_comes_back_as_written(network: DemoNetwork) -> None:
    person, office = someone(network, 4), "مكتب دبي · Dubai"
    now = datetime.now().astimezone()
    connect(network, "lobby", lobby=True).check_in(CheckIn(person.id, Place(office), now), person, "rtl")
    [present] = connect(network, "demo").in_office(now.date())
    assert present.place.name == office


def test_a_check_in_just_before_and_just_after_midnight_counts_on_its_own_day(network: DemoNetwork) -> None:
    kiosk = connect(network, "lobby", lobby=True)
    midnight = datetime.now().astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
    before, after = someone(network, 5), someone(network, 6)
    kiosk.check_in(CheckIn(before.id, Place("Lisbon"), midnight - timedelta(seconds=1)), before, "late")
    kiosk.check_in(CheckIn(after.id, Place("Lisbon"), midnight), after, "early")
    reader = connect(network, "demo")
    assert [p.colleague_id for p in reader.in_office(midnight.date())] == [after.id]
    assert [p.colleague_id for p in reader.in_office((midnight - timedelta(days=1)).date())] == [before.id]


def test_a_person_who_changes_their_handle_is_still_one_person(network: DemoNetwork) -> None:
    person = someone(network, 7)
    now = datetime.now().astimezone()
    kiosk = connect(network, "lobby", lobby=True)
    kiosk.check_in(CheckIn(person.id, Place("Lisbon"), now), person, "first")
    network.org.accounts[person.id].username = person.handle + ".new"  # renamed on the server
    renamed = Colleague(id=person.id, name=person.name, handle=person.handle + ".new")
    kiosk.check_in(CheckIn(person.id, Place("Lisbon"), now + timedelta(minutes=5)), renamed, "second")
    assert [p.colleague_id for p in connect(network, "demo").in_office(now.date())] == [person.id]


@pytest.mark.parametrize("zone, local, day", [
    ("Asia/Tokyo", (2026, 12, 3, 8, 30), (2026, 12, 3)),  # 23:30 UTC the day before
    ("America/Toronto", (2026, 12, 3, 19, 30), (2026, 12, 3)),  # 00:30 UTC the day after
])
def test_a_check_in_counts_on_the_offices_own_day(network: DemoNetwork, tmp_path: object, zone: str,
                                                  local: tuple[int, int, int, int, int],
                                                  day: tuple[int, int, int]) -> None:
    """The kiosk's day, its head count, the pick and presence follow office.timezone, not UTC and
    not the computer's zone."""
    from datetime import UTC, date
    from pathlib import Path
    from zoneinfo import ZoneInfo

    from hallway.office_day import OfficeClock
    from hallway.outbox import Outbox
    from hallway.store import Store
    from kiosk.lobby import Lobby
    from kiosk.visitors import Sharing, Visitors

    assert isinstance(tmp_path, Path)
    year, month, mday, hour, minute = local
    at = datetime(year, month, mday, hour, minute, tzinfo=ZoneInfo(zone))
    assert at.astimezone(UTC).date() != date(*day), "the case is one where UTC's day differs"
    clock = OfficeClock(zone)
    assert clock.now().tzinfo is not None and str(clock.zone) == zone
    store = Store(tmp_path / "kiosk.sqlite3", tmp_path / "photos")
    try:
        person = someone(network, 8)
        store.save_people([person])
        outbox, visitors = Outbox(store), Visitors(store)
        office = zone.split("/")[1]
        lobby = Lobby(store, outbox, visitors, office, "off", now=lambda: at)
        arrival = lobby.arrive(person, by_badge=False)
        lobby.settle(arrival)
        lobby.choose_sharing(arrival, Sharing.YES)
        assert lobby.today() == date(*day) and visitors.visits(date(*day), office) == 1
        assert [p.colleague_id for p in store.presence(date(*day), office)] == [person.id]
        assert outbox.deliver(connect(network, "lobby", lobby=True)).delivered == 1
        reader = connect(network, "demo")
        assert [p.colleague_id for p in reader.in_office(date(*day))] == [person.id]
        assert reader.in_office(at.astimezone(UTC).date()) == [], "not on UTC's day"
    finally:
        store.close()
