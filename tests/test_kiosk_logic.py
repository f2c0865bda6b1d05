"""The kiosk's rules without a screen: badge bursts, the PIN, corner taps, what the lobby
remembers, and what a check-in does. Real SQLite stores synced from the demo network."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from hallway.demo import server
from hallway.demo.faults import Fault
from hallway.demo.organisation import Organisation
from hallway.model import Colleague
from hallway.networks.mastodon import MastodonNetwork
from hallway.outbox import Outbox
from hallway.picker import colleague_of_the_day
from hallway.pin import PinGate, hash_pin, pin_matches
from hallway.store import Store
from hallway.sync import Sync
from kiosk.badge import Badge, Burst, Garbled, Typed
from kiosk.lobby import Lobby, Unready
from kiosk.visitors import Sharing, Visitors

pytestmark = pytest.mark.fast  # the fast tier: ./run test -m fast

MORNING = datetime(2026, 11, 23, 8, 30).astimezone()


@pytest.fixture
def store(synced_lobby: Path, tmp_path: Path) -> Iterator[Store]:
    folder = tmp_path / "lobby"
    shutil.copytree(synced_lobby, folder)
    opened = Store(folder / "hallway.sqlite3", folder / "photos")
    yield opened
    opened.close()


def lobby_of(store: Store, quiz: str = "off", now: datetime = MORNING) -> Lobby:
    return Lobby(store, Outbox(store), Visitors(store), "Lisbon", quiz, now=lambda: now)


# ------------------------------------------------------------ the badge reader's timing rules


def burst(text: str, start: float = 1000.0, gap: float = 8.0) -> list[tuple[str, float]]:
    return [(ch, start + i * gap) for i, ch in enumerate(text)]


def test_a_fast_burst_ending_in_enter_is_a_badge() -> None:
    reader = Burst(gap_ms=50)
    keys = burst("0004521987")
    assert all(reader.key(ch, t) is None for ch, t in keys)
    assert reader.enter(keys[-1][1] + 8) == Badge("0004521987", 80.0)


def test_a_person_typing_is_passed_on_and_never_read_as_a_badge() -> None:
    reader = Burst(gap_ms=50)
    reads = [reader.key(ch, t) for ch, t in burst("ana", gap=180)]
    assert reads == [None, Typed("a"), Typed("n")]
    assert reader.expire(1000 + 2 * 180 + 120) == Typed("a")
    assert reader.enter(2000) is None


@pytest.mark.parametrize(("keys", "reason"), [
    (burst("12"), "too short"),
    (burst("12\x1b45\x07"), "unreadable characters"),
    (burst("9" * 80), "too long"),
])
def test_garbled_bursts_ask_to_try_again(keys: list[tuple[str, float]], reason: str) -> None:
    reader = Burst(gap_ms=50)
    for ch, t in keys:
        reader.key(ch, t)
    assert reader.enter(keys[-1][1] + 5) == Garbled(reason)


def test_slow_typing_then_a_short_fast_burst_is_not_a_badge() -> None:
    reader = Burst(gap_ms=50)
    reads = [reader.key(ch, t) for ch, t in [("1", 0.0), ("2", 400.0), ("3", 800.0), ("4", 805.0)]]
    assert reads[1:3] == [Typed("1"), Typed("2")]
    assert reader.enter(810.0) == Garbled("too short")


@pytest.mark.parametrize(("read", "why"), [("%%%%&&&&$$$$", "symbols"), ("1" * 60, "a 60-digit read"),
                                            ("12 34 56", "spaces")])
def test_a_read_that_is_no_badge_is_asked_again_and_never_linked(read: str, why: str) -> None:
    reader = Burst(gap_ms=50)
    keys = burst(read)
    for ch, t in keys:
        reader.key(ch, t)
    assert reader.enter(keys[-1][1] + 5) == Garbled("not a badge this kiosk reads"), why


def test_it_sets_what_a_badge_looks_like() -> None:
    ten_digits = Burst(gap_ms=50, pattern="[0-9]{10}")
    for ch, t in burst("00AB12CD34"):
        ten_digits.key(ch, t)
    assert ten_digits.enter(1080.0) == Garbled("not a badge this kiosk reads")
    for ch, t in burst("0004521987", start=3000.0):
        ten_digits.key(ch, t)
    assert ten_digits.enter(3080.0) == Badge("0004521987", 80.0)


def test_a_burst_that_never_gets_its_enter_times_out_quietly() -> None:
    reader = Burst(gap_ms=50)
    keys = burst("0004521987")
    for ch, t in keys:
        reader.key(ch, t)
    assert reader.expire(keys[-1][1] + 120) is None, "never typed into the name search"


def test_the_pattern_in_the_config_is_checked(tmp_path: Path) -> None:
    from hallway import config as settings
    machine = tmp_path / "machine.toml"
    machine.write_text('[kiosk]\nbadge_pattern = "[0-9"\n')
    config = settings.load(machine, tmp_path / "user.toml")
    assert any("badge_pattern" in str(p) and "regular expression" in str(p) for p in config.problems)
    assert config["kiosk.badge_pattern"] == "[0-9A-Fa-f]{4,20}", "the default holds meanwhile"


def test_the_name_search_never_shows_a_badge_number(english: object) -> None:
    from kiosk.screens.search import Search
    search = Search()
    search.type_text("0004521987")
    search.type_text("Ma")
    assert search.query == "Ma"
    search.close()


# ------------------------------------------------------------ the admin PIN


def test_the_pin_is_stored_salted_and_guessing_is_slowed_down() -> None:
    stored = hash_pin("2468")
    assert "2468" not in stored and stored.startswith("scrypt$")
    assert stored != hash_pin("2468")  # salted
    assert pin_matches("2468", stored) and not pin_matches("2469", stored)
    assert not pin_matches("2468", "garbage") and not pin_matches("2468", "scrypt$x$y$z$zz$zz")
    clock = [0.0]
    gate = PinGate(stored, clock=lambda: clock[0])
    assert not gate.try_pin("0000") and not gate.try_pin("1111")
    assert gate.wait_s() == 0
    assert not gate.try_pin("2222")
    assert gate.wait_s() == 30
    assert not gate.try_pin("2468"), "even the right PIN waits out the lock"
    clock[0] = 31
    assert not gate.try_pin("3333")
    assert gate.wait_s() == 60, "each wrong PIN doubles the wait"
    clock[0] = 100
    assert gate.try_pin("2468")
    assert not PinGate("").try_pin(""), "no PIN configured: no way in"


# ------------------------------------------------------------ what the lobby remembers


def test_badges_are_kept_only_as_salted_hashes(store: Store) -> None:
    visitors = Visitors(store)
    person = store.people()[0]
    visitors.link_badge("0004521987", person)
    assert visitors.badge_owner("0004521987") == person.id
    assert visitors.badge_owner("0004521988") is None
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert b"0004521987" not in store.path.read_bytes()
    other = Store(store.path.parent / "other.sqlite3", store.path.parent / "p2")
    assert Visitors(other).badge_hash("0004521987") != visitors.badge_hash("0004521987"), "salt is per kiosk"
    other.close()


def test_a_check_in_shows_the_pickers_colleague_with_no_network(store: Store) -> None:
    lobby = lobby_of(store)
    person = store.people()[0]
    arrival = lobby.arrive(person, by_badge=True)
    assert arrival.colleague is not None
    assert arrival.colleague == colleague_of_the_day(person, MORNING.date(), lobby.population)
    assert arrival.ask_sharing and not arrival.again_today
    assert store.pick(person.id, MORNING.date()) is None, "arrive writes nothing; the card comes first"
    lobby.settle(arrival)
    assert store.pick(person.id, MORNING.date()) == arrival.colleague.id
    assert lobby.visitors.visits(MORNING.date(), "Lisbon") == 1
    assert lobby.outbox.pending_count() == 0, "not shared until the person says yes"
    again = lobby.arrive(person, by_badge=True)
    assert again.again_today and not again.ask_sharing and again.colleague == arrival.colleague
    lobby.settle(again)
    assert lobby.visitors.visits(MORNING.date(), "Lisbon") == 1, "a second check-in is not a second visit"


def test_sharing_is_asked_once_and_not_now_asks_another_day(store: Store) -> None:
    lobby = lobby_of(store)
    person, other = store.people()[:2]
    first = lobby.arrive(person, by_badge=False)
    lobby.settle(first)
    lobby.choose_sharing(first, Sharing.YES)
    assert lobby.outbox.pending_count() == 1
    assert [p.colleague_id for p in store.presence(MORNING.date(), "Lisbon")] == [person.id]
    assert lobby.in_today() == 1
    tomorrow = lobby_of(store, now=MORNING + timedelta(days=1))
    arrival = tomorrow.arrive(person, by_badge=False)
    assert not arrival.ask_sharing
    tomorrow.settle(arrival)
    assert lobby.outbox.pending_count() == 2, "someone who shares is shared every day, without asking"

    second = lobby.arrive(other, by_badge=False)
    lobby.choose_sharing(second, Sharing.ASK)  # "not now"
    lobby.settle(second)
    assert lobby.outbox.pending_count() == 2
    assert tomorrow.arrive(other, by_badge=False).ask_sharing, "asked again on another day"


def test_search_needs_two_letters_shows_at_most_six_and_takes_anything(store: Store,
                                                                       organisation: Organisation) -> None:
    lobby = lobby_of(store)
    assert lobby.search("a") == []
    assert len(lobby.search("an")) <= 6
    for hostile in ("%'; DROP TABLE people; --", "x" * 500, "\\", "_%_", "<script>", "\u202e\u0301" * 40):
        assert lobby.search(hostile) == []
    assert store.count_people() > 0
    hidden = [a for a in organisation.accounts.values() if not a.discoverable and not a.bot]
    assert hidden, "the demo has people who are not discoverable"
    assert all(p.name != hidden[0].display_name for p in lobby.search(hidden[0].display_name))


def test_the_quiz_offers_four_different_names_one_of_them_right(store: Store) -> None:
    lobby = lobby_of(store, quiz="always")
    person = store.people()[5]
    arrival = lobby.arrive(person, by_badge=True)
    assert arrival.quiz is not None and arrival.colleague is not None
    names = [c.name for c in arrival.quiz.choices]
    assert len(set(names)) == 4 and arrival.colleague.name in names and person.name not in names
    assert not lobby.answer(arrival, next(c for c in arrival.quiz.choices if c.id != arrival.colleague.id))
    assert arrival.streak == 0
    tomorrow = lobby_of(store, quiz="always", now=MORNING + timedelta(days=1))
    later = tomorrow.arrive(person, by_badge=True)
    assert later.quiz is not None
    assert tomorrow.answer(later, later.quiz.subject) and later.streak == 1
    assert lobby_of(store, quiz="off").arrive(store.people()[6], by_badge=True).quiz is None
    sometimes = lobby_of(store, quiz="sometimes")
    quizzed = sum(sometimes.arrive(p, by_badge=True).quiz is not None for p in store.people()[:90])
    assert 15 <= quizzed <= 45, "sometimes is about one check-in in three"


def test_an_empty_directory_is_getting_ready_and_known_badges_still_queue(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db", tmp_path / "photos")
    lobby = lobby_of(store)
    assert not lobby.ready
    # A badge nobody is known for yet: nothing is recorded, and the screen says so (Unready.UNKNOWN).
    assert lobby.arrive_unready("0004521987") is Unready.UNKNOWN
    assert lobby.visitors.visits(MORNING.date(), "Lisbon") == 0
    assert lobby.outbox.pending_count() == 0
    from hallway.model import Colleague
    ana = Colleague(id="9", name="Ana Lima", handle="ana")
    lobby.visitors.link_badge("0004521987", ana)
    lobby.visitors.set_sharing(ana, Sharing.YES, date(2026, 1, 1))
    assert lobby.arrive_unready("0004521987") is Unready.CHECKED_IN
    assert lobby.visitors.visits(MORNING.date(), "Lisbon") == 1
    assert lobby.outbox.pending_count() == 1
    assert lobby.arrive_unready("0004521987") is Unready.CHECKED_IN, "again today: the card again, nothing new"
    assert lobby.outbox.pending_count() == 1 and lobby.visitors.visits(MORNING.date(), "Lisbon") == 1
    store.close()


def test_the_kiosk_sync_fetches_missing_photos_and_remembers_broken_ones(demo: server.DemoNetwork,
                                                                         tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db", tmp_path / "photos")
    network = MastodonNetwork(demo.url, demo.token_for("lobby"))
    sync = Sync(store, network, feed=None, notices=False, stream=False, photos_per_pass=5)
    result = sync.once(directory=True)
    assert result.photos_new == 5 and result.people_changed > 100
    first = store.photos_missing(1)[0]
    demo.api.faults.add(Fault(urlsplit(first).path, "invalid-json"))  # a 200 whose body is not an image
    assert sync.once().photos_new == 5, "a photo that is not an image does not stop the others"
    assert store.photo(first) is None, "not an image: the kiosk draws initials"
    assert first not in store.photos_missing(1000), "and does not ask for it again every pass"
    assert len(store.photos_missing(10_000)) == len(store.people()) - 10
    struggling = store.photos_missing(1)[0]
    demo.api.faults.add(Fault(urlsplit(struggling).path, "503", count=20))
    result = sync.once()
    assert result.photos_new == 0, "a struggling server: photos wait for the next pass, the pass still counts"
    assert struggling in store.photos_missing(1)
    demo.api.faults.clear()
    assert sync.once().photos_new == 5 and store.photo(struggling) is not None
    store.close()


def test_someone_already_in_comes_first_and_the_laptop_shows_the_same(store: Store, synced_lobby: Path,
                                                                       tmp_path: Path) -> None:
    """A person who shares their check-in is shown, of the next few in their own order, the one
    already in the building; the choice travels with the check-in, and their laptop, reading who
    is in, shows the same colleague (and keeps it as the record for the days after)."""
    from desktop.parts.colleague_of_the_day import ME_STATE, DailyColleague
    from hallway.model import Place, Presence
    from hallway.picker import schedule

    lobby = lobby_of(store)
    day = MORNING.date()
    population = lobby.population

    def settled(c: Colleague) -> bool:  # not a new joiner: joiners have days of their own
        return c.started_on is None or (day - c.started_on).days >= 30

    def next_few(person: Colleague) -> list[Colleague]:
        return [c for _, c in schedule(person, day, day + timedelta(days=4), population)]

    def tier(person: Colleague, c: Colleague) -> int:
        return population.tier_of(person, population.index[c.id])

    def further_on(person: Colleague) -> Colleague | None:
        """Someone a few days further in the person's order, in the same tier as today's."""
        upcoming = next_few(person)
        later = [c for c in upcoming[1:] if settled(c) and tier(person, c) == tier(person, upcoming[0])]
        return later[-1] if settled(upcoming[0]) and later else None

    person = next(p for p in store.people() if further_on(p) is not None)
    upcoming, here = next_few(person), further_on(person)
    assert here is not None
    assert here != upcoming[0], "someone a few days further on"
    lobby.visitors.set_sharing(person, Sharing.YES, day - timedelta(days=3))
    store.add_presence(day, Presence(here.id, Place("Lisbon"), MORNING))
    arrival = lobby.arrive(person, by_badge=True)
    assert arrival.colleague == here
    lobby.settle(arrival)
    [queued] = lobby.outbox.pending()
    assert queued.payload["met"] == here.id, "the kiosk's choice goes with the shared check-in"

    folder = tmp_path / "laptop"
    shutil.copytree(synced_lobby, folder)
    laptop = Store(folder / "hallway.sqlite3", folder / "photos")
    try:
        laptop.set_state(ME_STATE, person.id)
        daily = DailyColleague(laptop, now=lambda: MORNING)
        assert daily.colleague() == upcoming[0], "before the check-in: the order's own pick"
        laptop.save_presence(day, [Presence(person.id, Place("Lisbon"), MORNING, met=here.id)])  # a sync
        assert daily.colleague() == here, "after it: the kiosk's"
        tomorrow = DailyColleague(laptop, now=lambda: MORNING + timedelta(days=1))
        kiosk_tomorrow = lobby_of(store, now=MORNING + timedelta(days=1))
        assert tomorrow.colleague() == kiosk_tomorrow.colleague_for(person, day + timedelta(days=1))
    finally:
        laptop.close()


def test_someone_who_does_not_share_gets_the_orders_own_pick(store: Store) -> None:
    """Without a shared check-in the choice could not reach the laptop, so nobody is brought forward."""
    from hallway.model import Place, Presence
    from hallway.picker import schedule

    lobby = lobby_of(store)
    day = MORNING.date()
    person = store.people()[1]
    upcoming = [c for _, c in schedule(person, day, day + timedelta(days=4), lobby.population)]
    store.add_presence(day, Presence(upcoming[2].id, Place("Lisbon"), MORNING))
    assert lobby.arrive(person, by_badge=False).colleague == upcoming[0]


def test_where_check_ins_cannot_be_shared_nobody_is_asked_and_nothing_is_queued(tmp_path: Path) -> None:
    """An end-to-end encrypted lobby room (the words come from sync): the card asks nobody to
    share, and someone who said yes long ago is checked in here without a word to the network."""
    from hallway.model import Colleague
    store = Store(tmp_path / "s.db", tmp_path / "photos")
    people = [Colleague(id=str(n), name=f"Person {n}", handle=f"p{n}", office="Lisbon") for n in range(12)]
    store.save_people(people)
    lobby = lobby_of(store)
    lobby.sharing_refused = "The lobby room is end-to-end encrypted."
    newcomer, sharer = people[0], people[1]
    lobby.visitors.set_sharing(sharer, Sharing.YES, date(2026, 1, 1))
    first = lobby.arrive(newcomer, by_badge=True)
    assert not first.ask_sharing
    lobby.settle(first)
    lobby.settle(lobby.arrive(sharer, by_badge=True))
    assert lobby.outbox.pending_count() == 0
    assert lobby.visitors.visits(MORNING.date(), "Lisbon") == 2, "both are checked in, here"
    store.close()


def test_the_quiz_asks_only_about_a_colleague_whose_face_it_can_show(tmp_path: Path) -> None:
    """"Who is this?" over initials asks what it shows: no photo, no quiz; a photo, the quiz."""
    from hallway.model import Colleague
    store = Store(tmp_path / "s.db", tmp_path / "photos")
    people = [Colleague(id=str(n), name=f"Person {n}", handle=f"p{n}", office="Lisbon",
                        photo_url=f"https://social.example/avatars/{n}.png") for n in range(12)]
    store.save_people(people)
    lobby = lobby_of(store)
    lobby.quiz_mode = "always"
    arrival = lobby.arrive(people[0], by_badge=True)
    assert arrival.colleague is not None and arrival.quiz is None, "no photo cached: no quiz"
    store.save_photo(arrival.colleague.photo_url, b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    again = lobby.arrive(people[0], by_badge=True)
    assert again.quiz is not None and again.quiz.subject.id == arrival.colleague.id
    store.close()


def test_a_locked_pin_pad_counts_down_with_its_keys_greyed(english: object) -> None:
    from kiosk.screens.admin import Admin
    clock = [0.0]
    admin = Admin(PinGate(hash_pin("2468"), clock=lambda: clock[0]))
    admin.open()
    for _ in range(3):  # three wrong PINs: locked for 30 s
        for digit in "1111":
            admin._key(digit)
        admin._key("✓")
    assert admin.message.text() == "Wrong PIN. Try again in 30 seconds."
    assert not any(key.isEnabled() for key in admin.digit_buttons), "no key looks pressable while locked"
    clock[0] = 10.0
    admin._countdown.timeout.emit()  # a second of the countdown, a few times over
    assert admin.message.text() == "Wrong PIN. Try again in 20 seconds."
    clock[0] = 29.5
    admin._countdown.timeout.emit()
    assert admin.message.text() == "Wrong PIN. Try again in 1 second."
    clock[0] = 31.0
    admin._countdown.timeout.emit()
    assert all(key.isEnabled() for key in admin.digit_buttons) and not admin._countdown.isActive()
    for digit in "2468✓":
        admin._key(digit)
    assert admin.unlocked
    admin.close()
