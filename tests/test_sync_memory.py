"""Sync's schedule and its steps against a network in memory (tests/memory_network.py) and a clock
the test moves: a day of a laptop's and a kiosk's decisions (when the directory is read again,
how often "who is in" is asked, what one failing step costs) in milliseconds. The same behaviour
over HTTP, with real servers, is in test_supervised_sync.py and the contract suite."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, cast

import pytest
from memory_network import MemoryNetwork

from hallway.clock import Clock
from hallway.http import Offline, Refused
from hallway.model import HOME_FEED, CheckIn, Colleague, Notice, NoticeKind, Place, Post
from hallway.schedule import DirectorySchedule
from hallway.store import Store
from hallway.sync import PRESENCE_IDLE_S, PRESENCE_STARRED_S, Sync

if TYPE_CHECKING:
    from hallway.networks import Network

pytestmark = pytest.mark.fast  # the fast tier: ./run test -m fast

HOUR = 3600.0
ANA = Colleague(id="7", name="Ana Lima", handle="ana")


class MovedClock(Clock):
    """A clock that stands still until the test moves it."""

    def __init__(self) -> None:
        self.at = datetime(2026, 12, 7, 8, 0, tzinfo=UTC).timestamp()

    def time(self) -> float:
        return self.at

    def monotonic(self) -> float:
        return self.at

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.at, UTC)

    def move(self, seconds: float) -> None:
        self.at += seconds


def post(number: int) -> Post:
    return Post(id=f"{number:04d}", position=f"{number:04d}", author_id="7", author_name="Ana Lima",
                author_handle="ana", author_photo_url="", text=f"Post {number}", html=f"Post {number}",
                created_at=datetime(2026, 12, 7, 8, 0, tzinfo=UTC))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    kept = Store(tmp_path / "s.db", tmp_path / "photos")
    yield kept
    kept.close()


@pytest.fixture
def network() -> MemoryNetwork:
    return MemoryNetwork(people=[Colleague(id=str(i), name=f"Person {i}", handle=f"p{i}") for i in range(120)],
                         posts={"home": [post(n) for n in range(30, 0, -1)]})


def laptop(store: Store, network: MemoryNetwork, clock: MovedClock, every_s: float = 6 * HOUR,
           quiet_s: float = 0.0) -> Sync:
    return Sync(store, cast("Network", network), feed=HOME_FEED, clock=clock,
                schedule=DirectorySchedule(every_s=every_s, quiet_s=quiet_s))


def test_the_directory_is_read_at_the_first_start_and_again_only_when_it_is_due(
        store: Store, network: MemoryNetwork) -> None:
    clock = MovedClock()
    sync = laptop(store, network, clock)
    sync.once(streaming=True)
    assert network.asked["directory"] == 1 and store.count_people() == 120
    for _ in range(5):  # an hour a pass: five hours, nothing due
        clock.move(HOUR)
        sync.once(streaming=True)
    assert network.asked["directory"] == 1, "not before six hours"
    clock.move(HOUR + 1)
    sync.once(streaming=True)
    assert network.asked["directory"] == 2, "six hours on: read again"


def test_a_start_with_people_stored_waits_its_quiet_minutes_before_an_overdue_directory(
        store: Store, network: MemoryNetwork) -> None:
    """10,000 laptops booting at 9:00 with yesterday's directory stored do not all read it at once."""
    clock = MovedClock()
    laptop(store, network, clock).once(streaming=True)  # yesterday's
    clock.move(16 * HOUR)  # the next morning: overdue
    sync = laptop(store, network, clock, quiet_s=10 * 60)  # the laptop starts again
    sync.once(streaming=True)
    clock.move(5 * 60)
    sync.once(streaming=True)
    assert network.asked["directory"] == 1, "not in a start's first ten minutes"
    clock.move(5 * 60 + 1)
    sync.once(streaming=True)
    assert network.asked["directory"] == 2


@pytest.mark.parametrize(("starred", "every"), [(False, PRESENCE_IDLE_S), (True, PRESENCE_STARRED_S)],
                         ids=["nobody starred", "a colleague starred"])
def test_who_is_in_is_asked_at_its_pace_while_nobody_looks(
        store: Store, network: MemoryNetwork, starred: bool, every: float) -> None:
    """No stream brings who is in: it is read every 20 minutes (10 for a person waiting for a
    starred colleague), not at every pass."""
    clock = MovedClock()
    sync = laptop(store, network, clock)
    sync.once(streaming=True)
    if starred:
        store.star("3", True)
    asked = network.asked["in_office"]
    assert asked == 1
    for _ in range(int(every // 60) - 1):  # a pass a minute, until just before it is due
        clock.move(60)
        sync.once(streaming=True)
    assert network.asked["in_office"] == 1
    clock.move(60)
    sync.once(streaming=True)
    assert network.asked["in_office"] == 2


def test_who_is_in_is_asked_at_every_pass_while_someone_looks_at_it(store: Store, network: MemoryNetwork) -> None:
    clock = MovedClock()
    sync = laptop(store, network, clock)
    looking = True
    sync.watching_presence = lambda: looking
    for _ in range(3):
        clock.move(10)
        sync.once(streaming=True)
    assert network.asked["in_office"] == 3
    looking = False
    clock.move(10)
    sync.once(streaming=True)
    assert network.asked["in_office"] == 3, "the tab closed: back to its pace"


def test_a_step_that_fails_is_said_and_the_others_still_run(store: Store, network: MemoryNetwork) -> None:
    network.failing["notices"] = Refused("The server refused the notifications.", 500)
    network.inbox = [Notice("n1", "0001", NoticeKind.MENTION, "7", "Ana Lima", "hi", datetime.now(UTC), "0001")]
    result = laptop(store, network, MovedClock()).once()
    assert [p.step for p in result.problems] == ["notices"]
    assert store.count_posts("home") == 30, "the feed came all the same"
    assert network.asked["in_office"] == 1 and network.asked["announcements"] == 1


def test_the_network_going_away_ends_the_pass_but_the_outbox_went_first(
        store: Store, network: MemoryNetwork) -> None:
    sync = laptop(store, network, MovedClock())
    sync.outbox.add_check_in(CheckIn("7", Place("Lisbon"), datetime.now(UTC)), ANA)
    network.failing["directory"] = Offline("memory network: gone")
    with pytest.raises(Offline):
        sync.once()
    assert len(network.of("check-in")) == 1, "delivered before the network went"
    assert network.asked["feed"] == 0, "nothing else asked of a network that is away"
