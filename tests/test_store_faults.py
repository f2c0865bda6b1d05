"""The store the way a kiosk's disk really fails: full (a small tmpfs where this machine lets the
test mount one, else SQLite told the file may not grow), held by another process, damaged on one
page. A full disk is never taken for damage; a damaged file is set aside once, and what can still
be read of it (waiting check-ins, linked badges, the badge salt) comes across."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import disk_faults
import pytest
from disk_faults import corrupt_a_leaf, damaged_copies, fill

from hallway.store import DiskFull, Store, StoreDamaged, StoreFault
from kiosk.visitors import SALT_STATE, Visitors


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 32 MB tmpfs of the test's own (root only; skipped elsewhere: the max_page_count test
    below covers the same paths without one)."""
    with disk_faults.small_disk(tmp_path) as mount:
        if mount is None:
            pytest.skip("cannot mount a tmpfs here (not root)")
        yield mount


def queue(store: Store, count: int, start: int = 0) -> None:
    for number in range(start, start + count):
        store.queue_write(f"key-{number:05d}", "check-in", {"colleague": {"id": str(number), "name": f"P{number}",
                                                                           "handle": f"p{number}"},
                                                             "padding": "x" * 200})


def test_a_full_disk_is_not_damage_and_the_reserve_keeps_check_ins_coming(small_disk: Path) -> None:
    path = small_disk / "hallway.sqlite3"
    store = Store(path, small_disk / "photos")
    assert store.reserve.exists(), "room is kept beside the store while the disk has it"
    queue(store, 3)
    store.close()
    fill(small_disk)

    again = Store(path, small_disk / "photos")  # would have been "damaged" and moved aside before
    try:
        assert damaged_copies(small_disk) == [] and again.recovered is None
        assert len(again.queued_writes()) == 3, "the waiting check-ins are still there"
        assert not again.reserve.exists() and again.disk_full
        queue(again, 5, start=3)  # the reserve's room takes them
        assert len(again.queued_writes()) == 8
        fill(small_disk)  # and now that room is gone too
        with pytest.raises(DiskFull, match="is full"):
            queue(again, 500, start=100)
        assert damaged_copies(small_disk) == [], "a full disk never moves the store aside"
        assert len(again.queued_writes()) == 8, "a failed write leaves what was committed"
    finally:
        again.close()


def test_a_store_that_cannot_even_open_on_a_full_disk_is_named_and_left_alone(small_disk: Path) -> None:
    path = small_disk / "hallway.sqlite3"
    store = Store(path, small_disk / "photos")
    queue(store, 3)
    store.close()
    store.reserve.unlink()
    fill(small_disk)
    for _ in range(3):  # the kiosk's waiting screen tries every few seconds
        with contextlib.suppress(DiskFull):
            Store(path, small_disk / "photos").close()
    assert damaged_copies(small_disk) == []
    (small_disk / "filler").unlink()
    reopened = Store(path, small_disk / "photos")
    try:
        assert len(reopened.queued_writes()) == 3
    finally:
        reopened.close()


def test_a_file_that_may_not_grow_is_a_full_disk_not_damage(tmp_path: Path) -> None:
    """The same fault injected at the SQLite layer, for machines where no tmpfs can be mounted."""
    store = Store(tmp_path / "hallway.sqlite3", tmp_path / "photos")
    try:
        queue(store, 2)
        pages = int(store.db.execute("PRAGMA page_count").fetchone()[0])
        store.db.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(DiskFull), store.transaction():  # one commit: all of them or none
            queue(store, 400, start=10)
        assert store.recovered is None and damaged_copies(tmp_path) == []
        assert len(store.queued_writes()) == 2
    finally:
        store.close()


def test_a_damaged_outbox_page_is_set_aside_once_and_the_rest_is_saved_and_sent(tmp_path: Path) -> None:
    path = tmp_path / "hallway.sqlite3"
    store = Store(path, tmp_path / "photos")
    visitors = Visitors(store)
    salt = store.get_state(SALT_STATE)
    from hallway.model import Colleague
    for number in range(275):
        visitors.link_badge(f"8{number:05d}", Colleague(id=f"c{number}", name=f"Person {number}", handle=f"p{number}"))
    queue(store, 300)
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    corrupt_a_leaf(path, "outbox")

    store = Store(path, tmp_path / "photos")  # the header and schema are fine: it opens
    try:
        waiting = store.queued_writes()  # the damaged page shows here: repaired, then read again
        assert store.recovered is not None and Path(store.recovered).exists()
        assert damaged_copies(tmp_path)[0].name.startswith("hallway.sqlite3.damaged-")
        assert 250 <= len(waiting) < 300, len(waiting)
        assert store.count_badges() == 275 and store.get_state(SALT_STATE) == salt
        assert Visitors(store).badge_owner("800042") == "c42", "linked badges still find their person"
        assert store.integrity() == "ok"
        assert store.salvaged is not None and "outbox" in store.salvaged.unreadable
        assert store.recover() is False, "never twice in one run"
    finally:
        store.close()
    assert len(damaged_copies(tmp_path)) == 1


def test_a_look_from_outside_never_moves_a_damaged_store(tmp_path: Path) -> None:
    path = tmp_path / "hallway.sqlite3"
    store = Store(path, tmp_path / "photos")
    queue(store, 300)
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    corrupt_a_leaf(path, "outbox")
    looking = Store(path, tmp_path / "photos", repair=False)
    try:
        with pytest.raises(StoreDamaged):
            looking.queued_writes()
        assert damaged_copies(tmp_path) == []
    finally:
        looking.close()
    doctor = subprocess.run([sys.executable, "-m", "hallway", "doctor"], capture_output=True, text=True, timeout=60,
                            env=os.environ | {"HALLWAY_DATA_DIR": str(tmp_path)})
    assert "✗ local copy" in doctor.stdout and "damaged" in doctor.stdout, doctor.stdout
    assert "All good." not in doctor.stdout and damaged_copies(tmp_path) == []


def test_a_read_only_disk_is_named_in_words(small_disk: Path) -> None:
    Store(small_disk / "hallway.sqlite3", small_disk / "photos").close()
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    with pytest.raises(StoreFault, match=r"cannot be written|cannot be used") as refused:
        store = Store(small_disk / "hallway.sqlite3", small_disk / "photos")
        queue(store, 1)
    assert "read-only" in str(refused.value) or "readonly" in str(refused.value), str(refused.value)
    assert damaged_copies(small_disk) == []


def test_the_tray_app_says_why_it_cannot_open_its_data_and_starts_once_it_can(
        tmp_path: Path, x_server: str) -> None:
    """Held by another program: a message in words with Try again and Quit, never a traceback;
    Try again once the data is free, and the tray app starts."""
    import signal
    import time

    from disk_faults import lock_held
    data = tmp_path / "data"
    Store(data / "hallway.sqlite3", data / "photos").close()
    env = os.environ | {"HALLWAY_DATA_DIR": str(data), "HALLWAY_LOG_DIR": str(tmp_path / "logs"),
                        "HALLWAY_MACHINE_CONFIG": str(tmp_path / "machine.toml"),
                        "HALLWAY_USER_CONFIG": str(tmp_path / "user.toml")}
    (tmp_path / "machine.toml").write_text('[network]\nserver = "http://127.0.0.1:9"\n[desktop]\nautostart = false\n')
    env["HALLWAY_TOKEN"] = "any"  # a sign-in, so sync starts (and finds nobody on port 9)
    log_file = tmp_path / "logs" / "hallway.log"

    def message_box() -> list[str]:
        return subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "^Hallway$"], capture_output=True,
                              text=True, timeout=10).stdout.split()

    with lock_held(data / "hallway.sqlite3", seconds=60):
        app = subprocess.Popen([sys.executable, "-m", "desktop", "--hidden"], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 30
            while not message_box():
                assert app.poll() is None, app.stderr.read() if app.stderr else ""
                assert time.monotonic() < deadline, "the message appeared"
                time.sleep(0.2)
            log = log_file.read_text()
            assert "cannot open the local data" in log and "is in use by pid" in log
        except BaseException:
            app.kill()
            raise
    try:
        subprocess.run(["xdotool", "windowactivate", "--sync", message_box()[-1]], timeout=10, check=False)
        subprocess.run(["xdotool", "key", "Return"], timeout=10, check=True)  # Try again (the default)
        deadline = time.monotonic() + 30
        while "sync started" not in log_file.read_text():
            assert app.poll() is None
            assert time.monotonic() < deadline, "the tray app started once the data was free"
            time.sleep(0.2)
        app.send_signal(signal.SIGTERM)
        assert app.wait(10) == 0
        assert app.stderr is not None and "Traceback" not in app.stderr.read()
    finally:
        if app.poll() is None:
            app.kill()
            app.wait(10)
