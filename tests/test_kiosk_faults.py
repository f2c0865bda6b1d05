"""The kiosk the way its machine really fails, built and run as ``hallway-kiosk`` runs it (the
real window on Xvfb, badge bursts typed with real X key events, sync on the qasync loop, the
demo network on loopback): another process holding the store for 10 s, the disk filling up, a
damaged outbox page, a blackholed and a trickling network, a keyring that answers late.

Each ends the same way: every check-in the person was told about, on the card ("✓ You're
checked in", or "Your check-in is not saved yet: the kiosk keeps trying"), reaches the network
exactly once, and nothing the card never promised is counted as lost."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import disk_faults
import pytest
import qasync
import requests
from conftest import Until
from disk_faults import corrupt_a_leaf, damaged_copies, fill, lock_held
from flapping_proxy import FlappingProxy
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from test_kiosk_screens import PIN_HASH, scan

from hallway import config as settings
from hallway.demo import server
from hallway.model import CheckIn, Colleague, Place
from hallway.networks.mastodon import MastodonNetwork
from hallway.outbox import Outbox
from hallway.store import Store
from hallway.sync import Connection, Sync
from kiosk.app import Kiosk, build
from kiosk.visitors import Sharing, Visitors


@dataclass
class Entrance:
    """A kiosk as IT installs it, in front of ``server_url``, with people whose badges it knows."""

    kiosk: Kiosk
    people: list[Colleague]
    badges: dict[str, str] = field(default_factory=dict)  # colleague id -> badge number
    told: dict[str, str] = field(default_factory=dict)  # colleague id -> what the card said

    def check_in(self, person: Colleague, until: Until) -> str:
        """Scan their badge; return what the card says about the check-in once it has said it."""
        window = self.kiosk.window
        if window.stack.currentWidget() is not window.welcome:
            window.go_home()
        scan(self.badges[person.id])
        until(lambda: window.stack.currentWidget() is window.card and window.arrival is not None
              and window.arrival.person.id == person.id and bool(window.card.checked_in.text()), 10)
        said = window.card.checked_in.text()
        self.told[person.id] = said
        return said


def on_server(demo: server.DemoNetwork, person: Colleague) -> int:
    """The person's shared check-ins on the network (any day; the tests count before and after)."""
    found = requests.get(f"{demo.url}/_demo/statuses", params={"contains": f"account={person.id}&"}, timeout=10)
    return len(found.json())


@pytest.fixture
def make_lobby(english: QApplication, demo: server.DemoNetwork, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
               loop: qasync.QEventLoop, until: Until) -> Iterator[Callable[..., Entrance]]:
    made: list[tuple[Kiosk, asyncio.Task[None]]] = []

    def make(data: Path | None = None, server_url: str = "", how_many: int = 8, token: bool = True,
             before_start: Callable[[Store], None] | None = None,
             damage: Callable[[Path], None] | None = None) -> Entrance:
        """``before_start``: more to put in the store; ``damage``: done to the closed file before start."""
        data = data or tmp_path / "kiosk-data"
        data.mkdir(parents=True, exist_ok=True)
        store = Store(data / "hallway.sqlite3", data / "photos")
        Sync(store, MastodonNetwork(demo.url, demo.token_for("lobby")), feed=None, notices=False,
             stream=False).once(directory=True)
        visitors = Visitors(store)
        chosen = [p for p in store.people() if p.handle not in ("demo", "lobby")][-how_many:]
        lobby_badges = {}
        for number, person in enumerate(chosen):
            badge = f"{time.time_ns() % 10**6:06d}{number:03d}"
            visitors.link_badge(badge, person)
            visitors.set_sharing(person, Sharing.YES, visitors_day())
            lobby_badges[person.id] = badge
        if before_start is not None:
            before_start(store)
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.close()
        if damage is not None:
            damage(data / "hallway.sqlite3")
        machine = tmp_path / "machine.toml"
        machine.write_text(f'[network]\nserver = "{server_url or demo.url}"\n[office]\nname = "Lisbon"\n'
                           f'[kiosk]\nquiz = "off"\ncard_seconds = 60\nadmin_pin_hash = "{PIN_HASH}"\n'
                           'hide_cursor = false\n[sync]\ninterval_s = 5\n')
        monkeypatch.setenv("HALLWAY_MACHINE_CONFIG", str(machine))
        monkeypatch.setenv("HALLWAY_DATA_DIR", str(data))
        if token:
            monkeypatch.setenv("HALLWAY_TOKEN", demo.token_for("lobby"))
        else:
            monkeypatch.delenv("HALLWAY_TOKEN", raising=False)
        kiosk = build(settings.load(), None)
        task = loop.create_task(kiosk.run(5))
        made.append((kiosk, task))
        # Shown, with the loop running (qasync runs a task's steps only inside it: no qtbot waits here).
        window = kiosk.window
        until(lambda: window.isVisible() and window.isActiveWindow(), 10)
        loop.run_until_complete(asyncio.sleep(0.3))  # the first fade
        assert window.stack.currentWidget() is window.welcome and not task.done()
        return Entrance(kiosk, chosen, lobby_badges)

    yield make
    for kiosk, task in made:
        kiosk.close()
        task.cancel()
        with contextlib.suppress(BaseException):
            loop.run_until_complete(asyncio.sleep(0.1))
        kiosk.window.deleteLater()
    QTest.qWait(50)


def visitors_day() -> date:
    return date(2026, 1, 1)  # when they said yes to sharing: long ago


def delivered_once(lobby: Entrance, demo: server.DemoNetwork, before: dict[str, int], until: Until,
                   seconds: float = 30) -> None:
    """Everyone the card told lands on the network exactly once (and nothing waits any more)."""
    kiosk = lobby.kiosk
    until(lambda: not kiosk.lobby.held and kiosk.outbox.pending_count() == 0, seconds)
    for person in lobby.people:
        if person.id in lobby.told:
            added = on_server(demo, person) - before[person.id]
            assert added == 1, f"{person.name}: told {lobby.told[person.id]!r}, {added} on the network"


HELD = "Your check-in is not saved yet"


def test_a_lock_held_for_ten_seconds_keeps_check_ins_in_memory_and_loses_none(
        make_lobby: Callable[..., Entrance], demo: server.DemoNetwork, until: Until,
        x_server: str) -> None:
    lobby = make_lobby()
    kiosk = lobby.kiosk
    before = {p.id: on_server(demo, p) for p in lobby.people}
    with lock_held(kiosk.store.path, seconds=10) as holder:
        started = time.monotonic()
        for person in lobby.people[:3]:
            said = lobby.check_in(person, until)
            assert HELD in said and "✓" not in said, said  # never "checked in" while nothing is saved
            assert kiosk.window.status.isVisible() and "not saved yet" in kiosk.window.status.text()
        assert time.monotonic() - started < 8, "the screen never waited for the lock"
        assert len(kiosk.lobby.held) == 3
        holder.wait(20)
    until(lambda: not kiosk.lobby.held, 5)  # the lock is gone: written within a second or so
    until(lambda: kiosk.window.card.checked_in.text().startswith("✓"), 2)  # the card on screen says so now
    said = lobby.check_in(lobby.people[3], until)
    assert said.startswith("✓  You're checked in"), said
    delivered_once(lobby, demo, before, until)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path | None]:
    """A 48 MB tmpfs for the kiosk's data where this machine allows mounting one (root), else None."""
    with disk_faults.small_disk(tmp_path, 48) as mount:
        yield mount


def test_a_disk_that_fills_up_mid_run_loses_no_check_in_and_is_never_taken_for_damage(
        make_lobby: Callable[..., Entrance], demo: server.DemoNetwork, small_disk: Path | None,
        until: Until, x_server: str) -> None:
    """On a real tmpfs where one can be mounted; elsewhere SQLite is told the file may not grow
    (the same SQLITE_FULL, injected at the SQLite layer)."""
    lobby = make_lobby(data=small_disk / "kiosk" if small_disk else None)
    kiosk = lobby.kiosk
    before = {p.id: on_server(demo, p) for p in lobby.people}
    assert lobby.check_in(lobby.people[0], until).startswith("✓")
    until(lambda: kiosk.outbox.pending_count() == 0, 20)
    if small_disk is not None:
        assert kiosk.store.reserve.exists()
        filler = fill(small_disk)
        assert lobby.check_in(lobby.people[1], until).startswith("✓"), "the reserved room takes it"
        fill(small_disk)
    else:
        pages = int(kiosk.store.db.execute("PRAGMA page_count").fetchone()[0])
        kiosk.store.db.execute(f"PRAGMA max_page_count = {pages}")
    for person in lobby.people[2:4]:
        said = lobby.check_in(person, until)
        assert HELD in said, said
    assert "not saved yet" in kiosk.window.status.text()
    if small_disk is not None:  # a real full disk (max_page_count only makes the file full)
        assert "The kiosk's disk is full" in kiosk.window.status.text()
        assert any(line.startswith("Disk: The disk that holds Hallway's data") for line in kiosk.window.status_lines())
    assert any("full" in line for line in kiosk.window.status_lines()), kiosk.window.status_lines()
    if small_disk is not None:
        filler.unlink()
    else:
        kiosk.store.db.execute("PRAGMA max_page_count = 1073741823")
    until(lambda: not kiosk.lobby.held, 5)
    assert kiosk.window.card.checked_in.text().startswith("✓")
    assert damaged_copies(kiosk.store.path.parent) == [], "a full disk never moves the store aside"
    delivered_once(lobby, demo, before, until)


def test_a_damaged_outbox_page_is_salvaged_and_what_could_be_read_is_sent_once(
        make_lobby: Callable[..., Entrance], demo: server.DemoNetwork, until: Until,
        x_server: str) -> None:
    queued: dict[str, Colleague] = {}  # outbox key -> whose check-in
    before_queued: dict[str, int] = {}

    def offline_morning(store: Store) -> None:
        """150 check-ins queued while the network was away (the file is then damaged on one page)."""
        outbox = Outbox(store)
        for person in [p for p in store.people() if p.handle not in ("demo", "lobby")][:-8][-150:]:
            before_queued[person.id] = on_server(demo, person)
            check_in = CheckIn(person.id, Place("Lisbon"), datetime.now().astimezone(), shared=True)
            queued[outbox.add_check_in(check_in, person)] = person

    lobby = make_lobby(before_start=offline_morning, damage=lambda path: corrupt_a_leaf(path, "outbox"))
    kiosk = lobby.kiosk
    before = {p.id: on_server(demo, p) for p in lobby.people}
    until(lambda: kiosk.store.recovered is not None, 30)  # the first delivery finds the damage
    salvaged = {str(r["key"]) for r in kiosk.store.query("SELECT key FROM outbox")}
    lost = [key for key in queued if key not in salvaged]
    assert 0 < len(lost) <= 25, f"one page's worth lost, not the queue ({len(lost)})"
    for person in lobby.people[:2]:  # badges still work, and new check-ins go out
        assert lobby.check_in(person, until).startswith("✓")
    delivered_once(lobby, demo, before, until, seconds=60)
    for key, person in queued.items():
        added = on_server(demo, person) - before_queued[person.id]
        assert added == (1 if key in salvaged else 0), f"{person.name}: {added} on the network"
    lines = kiosk.window.status_lines()
    assert any("damaged" in line and "saved" in line for line in lines), lines
    assert len(damaged_copies(kiosk.store.path.parent)) == 1


@pytest.mark.parametrize("mode", ["blackhole", "trickle"])
def test_a_hung_network_is_offline_within_15_s_and_check_ins_go_within_15_s_of_its_return(
        mode: str, make_lobby: Callable[..., Entrance], demo: server.DemoNetwork, until: Until,
        x_server: str) -> None:
    with FlappingProxy(int(demo.url.rsplit(":", 1)[1])) as proxy:
        lobby = make_lobby(server_url=proxy.url)
        kiosk = lobby.kiosk
        until(lambda: kiosk.sync is not None and kiosk.window.connection is Connection.ONLINE
              and kiosk.store.get_state("directory_synced_at") is not None, 30)
        before = {p.id: on_server(demo, p) for p in lobby.people}
        proxy.set(mode)
        hung = time.monotonic()
        for person in lobby.people[:2]:
            assert lobby.check_in(person, until).startswith("✓"), "saved on the kiosk: the card says so"
        until(lambda: kiosk.window.connection is Connection.OFFLINE, 20)
        assert time.monotonic() - hung <= 15, f"offline after {time.monotonic() - hung:.1f} s"
        assert "Offline" in kiosk.window.status.text()
        proxy.set("up")
        back = time.monotonic()
        until(lambda: kiosk.outbox.pending_count() == 0, 20)
        assert time.monotonic() - back <= 15, f"delivered {time.monotonic() - back:.1f} s after the network's return"
        delivered_once(lobby, demo, before, until)


def test_a_keyring_that_answers_late_costs_no_check_in(
        make_lobby: Callable[..., Entrance], demo: server.DemoNetwork, until: Until, x_server: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring
    from stuck_keyring import Gate

    from hallway.signin import tokens
    from kiosk import app

    monkeypatch.setattr(tokens, "KEYRING_WAIT_S", 1.0)
    monkeypatch.setattr(app, "RECONNECT_S", 1.0)
    Gate.opened.clear()
    Gate.token = demo.token_for("lobby")
    previous = keyring.get_keyring()
    keyring.set_keyring(Gate())
    try:
        lobby = make_lobby(token=False)
        kiosk = lobby.kiosk
        before = {p.id: on_server(demo, p) for p in lobby.people}
        until(lambda: kiosk.window.connection is Connection.SIGNED_OUT, 10)
        for person in lobby.people[:2]:
            assert lobby.check_in(person, until).startswith("✓")
        assert kiosk.outbox.pending_count() == 2
        Gate.opened.set()  # the keyring answers at last
        delivered_once(lobby, demo, before, until)
    finally:
        Gate.opened.set()
        keyring.set_keyring(previous)


def test_every_badge_read_ends_as_a_check_in_a_message_or_a_line_in_the_log(
        make_lobby: Callable[..., Entrance], until: Until, x_server: str, caplog: pytest.LogCaptureFixture) -> None:
    """Badges once went unrecorded with nothing logged (9 of 611 typed between screens): each read
    now ends as a card, a message on screen, or a reason in the log, whatever the screen."""
    import logging
    caplog.set_level(logging.INFO, "hallway.kiosk")
    lobby = make_lobby(how_many=4)
    window = lobby.kiosk.window

    def logged(words: str) -> bool:
        return any(words in record.getMessage() for record in caplog.records)

    first, second = lobby.people[:2]
    assert lobby.check_in(first, until).startswith("✓")  # on the welcome screen: a card
    scan(lobby.badges[second.id])  # while the card shows: the next person's card
    until(lambda: window.arrival is not None and window.arrival.person.id == second.id
          and window.card.checked_in.text().startswith("✓"), 10)
    window.go_home()
    window.open_admin()  # the PIN pad, locked: not a check-in, and the log says why
    scan(lobby.badges[first.id])
    until(lambda: logged("while the admin PIN pad was open"), 5)
    assert window.stack.currentWidget() is window.admin
    window.go_home()
    scan("4242424242")  # a badge nobody has linked: the search opens to link it (on screen)
    until(lambda: window.stack.currentWidget() is window.search, 5)
    assert "don't know this badge" in window.search.title.text()
    window.go_home()  # walked away without choosing: the log says the badge was not linked
    assert logged("was not linked: nobody chose a name")
    scan("12")  # too short to be a badge: "try again" on screen
    until(window.toast.isVisible, 5)
    assert "try again" in window.toast.text()
