"""The local copy: real SQLite files, migrations, caps, and crash safety."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import UTC, date, datetime
from pathlib import Path

from hallway.model import Colleague, Notice, NoticeKind, Place, Presence, sort_key
from hallway.store import MIGRATIONS, Store


def person(i: int, **changes: object) -> Colleague:
    fields: dict[str, object] = {"id": str(i), "name": f"Person {i}", "handle": f"p{i}", "team": "Design",
                                 "office": "Lisbon", "hobbies": ("chess",), "started_on": date(2024, 1, 1)}
    fields.update(changes)
    return Colleague(**fields)  # type: ignore[arg-type]


def test_fresh_store_is_migrated_and_uses_wal(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db", tmp_path / "photos")
    assert store.version == len(MIGRATIONS)
    assert store.query("PRAGMA journal_mode")[0][0] == "wal"
    store.close()
    assert Store(tmp_path / "s.db", tmp_path / "photos").version == len(MIGRATIONS)


def test_an_older_store_is_migrated_forward_keeping_its_data(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "s.db")
    db.executescript(MIGRATIONS[0] + "; PRAGMA user_version = 1;")
    db.execute("INSERT INTO state VALUES ('feed:home:newest', '42')")
    db.commit()
    db.close()
    store = Store(tmp_path / "s.db", tmp_path / "photos")
    assert store.version == len(MIGRATIONS)
    assert store.get_state("feed:home:newest") == "42"
    assert store.presence(date(2026, 11, 23)) == []


def test_presence_is_the_days_list_by_office(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db", tmp_path / "photos")
    day = date(2026, 11, 23)
    at = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    store.save_presence(day, [Presence("ana", Place("Lisbon"), at), Presence("kwame", Place("Nairobi"), at)])
    assert [p.colleague_id for p in store.presence(day)] == ["ana", "kwame"]
    assert [p.colleague_id for p in store.presence(day, "Lisbon")] == ["ana"]
    store.add_presence(day, Presence("ines", Place("Lisbon"), at))
    store.save_presence(day, [Presence("kwame", Place("Nairobi"), at)])  # the network's list wins
    assert [p.colleague_id for p in store.presence(day)] == ["kwame"]
    assert store.presence(date(2026, 11, 24)) == []


def test_people_round_trip_search_and_opt_out(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db", tmp_path / "photos")
    store.save_people([person(1, name="Inês Rocha"), person(2, name="Kwame Mensah"), person(3, discoverable=False)])
    assert store.colleague("1") == person(1, name="Inês Rocha")
    assert [c.id for c in store.find_people("kw")] == ["2"]
    assert [c.id for c in store.find_people("ROCHA ines")] == ["1"]  # case and accents do not matter
    assert [c.id for c in store.find_people("ro")] == ["1"]
    assert store.find_people("%'; DROP TABLE people; --") == []
    assert store.find_people("x" * 500) == []
    assert store.count_people() == 3
    store.set_opted_out("2", True)
    store.save_people([person(2, name="Kwame Mensah")])  # a sync does not undo the opt-out
    assert {c.id for c in store.people()} == {"1"}


def test_hostile_lengths_are_capped(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db", tmp_path / "photos")
    store.save_people([person(1, bio="b" * 1_000_000, name="n" * 5000)])
    stored = store.colleague("1")
    assert stored is not None and len(stored.bio) <= 2000 and len(stored.name) <= 200


def test_notices_are_new_only_once(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db", tmp_path / "photos")
    notice = Notice("7", sort_key(7), NoticeKind.MENTION, "1", "A", "hi", datetime.now(UTC))
    assert store.save_notices([notice]) == [notice]
    assert store.save_notices([notice]) == []
    reopened = Store(tmp_path / "s.db", tmp_path / "photos")
    assert reopened.save_notices([notice]) == []


def test_photo_cache_is_an_lru_capped_in_size(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db", tmp_path / "photos", photo_cache_bytes=2500)
    for name in "abc":
        store.save_photo(f"https://x/{name}.png", name.encode() * 1000)
        time.sleep(0.01)
    assert store.photo("https://x/a.png") is None  # evicted, oldest
    assert store.photo("https://x/b.png") == b"b" * 1000
    time.sleep(0.01)
    store.save_photo("https://x/d.png", b"d" * 1000)  # b was used recently, so c goes
    assert store.photo("https://x/c.png") is None and store.photo("https://x/b.png") is not None
    assert store.photo_cache_size() <= 2500
    assert len(list((tmp_path / "photos").iterdir())) == 2
    store.save_photo("https://x/huge.png", b"h" * 10_000)  # bigger than the whole cache: not kept
    assert store.photo("https://x/huge.png") is None


def test_a_crash_mid_write_never_corrupts(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    script = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from hallway.model import Colleague
        from hallway.store import MIGRATIONS, Store
        store = Store(Path({str(path)!r}), Path({str(tmp_path / "photos")!r}))
        batch = 0
        print("ready", flush=True)
        while True:
            store.save_people([Colleague(id=str(i), name=f"Batch {{batch}}") for i in range(2000)])
            batch += 1
    """)
    for delay in (0.3, 0.55, 0.8):
        process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE)
        assert process.stdout is not None and process.stdout.readline() == b"ready\n"
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        db = sqlite3.connect(path)
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        names = {row[0] for row in db.execute("SELECT name FROM people")}
        assert len(names) == 1, "each batch is all-or-nothing"
        db.close()


def test_duplicate_ids_in_one_sync_keep_the_last(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db", tmp_path / "photos")
    store.save_people([person(1, name="First"), person(1, name="Second"), person(2)])
    assert store.count_people() == 2 and store.colleague("1") == person(1, name="Second")


def test_nested_transactions_commit_once_and_fail_together(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db", tmp_path / "photos")
    with store.transaction():
        store.set_state("a", "1")
        store.set_state("b", "2")  # joins the outer transaction
        assert store.db.in_transaction
    assert not store.db.in_transaction and store.get_state("b") == "2"
    try:
        with store.transaction():
            store.set_state("c", "3")
            raise RuntimeError("a crash halfway")
    except RuntimeError:
        pass
    assert store.get_state("c") is None, "the inner write went with the outer rollback"
    store.set_state("d", "4")
    assert store.get_state("d") == "4", "the store is usable afterwards"
    store.close()


def test_an_older_store_keeps_its_order_and_what_was_shown_when_positions_become_text(tmp_path: Path) -> None:
    """Version 2 kept positions as numbers (int(id)); version 3 keeps the server's order as text.
    Upgrading re-sorts nothing wrongly and notifies nothing twice."""
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    for script in MIGRATIONS[:2]:
        db.executescript(script)
    db.execute("PRAGMA user_version = 2")
    for number in (9, 10, 110):
        db.execute("INSERT INTO posts VALUES ('home', ?, ?, 'a', 'A', 'a', '', 't', '<p>t</p>', ?, '', NULL, 0, 0, 0)",
                   (str(number), number, datetime.now(UTC).isoformat()))
    db.execute("INSERT INTO notices VALUES ('77', 77, 'mention', 'a', 'A', 'hi', ?, NULL, '', 12.5)",
               (datetime.now(UTC).isoformat(),))
    db.commit()
    db.close()
    store = Store(path, tmp_path / "photos")
    assert store.version == len(MIGRATIONS)
    assert [p.id for p in store.posts("home")] == ["110", "10", "9"], "10 after 9, as numbers, not as text"
    assert store.unshown_notices() == [], "a notice shown before the upgrade is not shown again"
    from hallway.model import Post
    store.save_posts("home", [Post("111", sort_key("111"), "a", "A", "a", "", "new", "", datetime.now(UTC))])
    assert store.posts("home")[0].id == "111", "a new post from the server goes on top"
    store.close()
