"""Sync never dies silently: against a hostile server (tests/hostile_server.py) every bad answer
ends with sync alive, the failing step named, and the check-ins delivered."""

from __future__ import annotations

import asyncio
import logging
import os
import resource
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
from disk_faults import lock_held
from hostile_server import HostileServer

from hallway import logs
from hallway.demo.server import DemoNetwork
from hallway.http import HttpClient
from hallway.model import HOME_FEED, CheckIn, Colleague, Place
from hallway.networks import DirectoryPass
from hallway.networks.mastodon import MastodonNetwork
from hallway.outbox import Outbox
from hallway.store import RECOVERED_STATE, Store, StoreLocked
from hallway.sync import Connection, Sync, SyncResult

BIN = Path(sys.executable).parent


def kiosk_sync(store: Store, server: str, token: str) -> Sync:
    network = MastodonNetwork(server, token, HttpClient(sleep=lambda s: None))
    return Sync(store, network, Outbox(store), feed=None, notices=False, stream=False, photos_per_pass=400)


def check_in(outbox: Outbox, marker: str) -> None:
    colleague = Colleague(id="0", name=marker, handle=marker)
    outbox.add_check_in(CheckIn("0", Place("Lisbon"), datetime.now(UTC), shared=True), colleague)


def on_server(demo: DemoNetwork, marker: str) -> int:
    found = requests.get(f"{demo.url}/_demo/statuses", params={"contains": marker}, timeout=5).json()
    return len(found)


def colleague_of(demo: DemoNetwork) -> str:
    return next(a.username for a in demo.org.accounts.values() if not a.bot and a.username not in ("demo", "lobby"))


def run_until(sync: Sync, condition: Callable[[], bool], timeout: float, interval_s: float = 300.0) -> None:
    """Run ``Sync.run`` on a loop of its own until ``condition`` holds, then stop it."""
    async def drive() -> None:
        task = asyncio.get_running_loop().create_task(sync.run(interval_s))
        deadline = time.monotonic() + timeout
        try:
            while not condition():
                assert not task.done(), f"sync ended: {task.exception() if task.done() else ''}"
                assert time.monotonic() < deadline, "timed out"
                await asyncio.sleep(0.05)
        finally:
            sync.stop()
            await asyncio.wait_for(task, 10)
    asyncio.run(drive())


def test_a_404_photo_is_forgotten_and_sync_goes_on(demo: DemoNetwork, store: Store) -> None:
    with HostileServer(demo.url, {"/avatars/": "photo-404"}) as hostile:
        sync = kiosk_sync(store, hostile.url, demo.token_for("lobby"))
        check_in(sync.outbox, "after404photo")
        results: list[SyncResult] = []
        sync.on_result = results.append
        run_until(sync, lambda: len(results) >= 2, 60, interval_s=0.2)
    assert on_server(demo, "after404photo") == 1
    assert sync.connection is Connection.ONLINE and results[0].photos_new > 0
    assert store.photos_missing(10) == [], "a photo that failed is not asked for again every pass"
    assert hostile.requests.get("/api/v1/directory", 0) >= 1


def test_an_exception_inside_the_directory_step_is_reported_and_the_rest_runs(
        demo: DemoNetwork, store: Store, caplog: pytest.LogCaptureFixture) -> None:
    sync = kiosk_sync(store, demo.url, demo.token_for("lobby"))

    def pages(_found: DirectoryPass) -> Iterator[list[Colleague]]:
        raise KeyError("fields")
        yield []

    def broken(known: Mapping[str, Colleague] | None = None, since: str = "") -> DirectoryPass:
        return DirectoryPass.reading(pages)

    sync.network.directory = broken  # type: ignore[method-assign]
    check_in(sync.outbox, "afterdirectorycrash")
    results: list[SyncResult] = []
    sync.on_result = results.append
    with caplog.at_level(logging.WARNING):
        run_until(sync, lambda: len(results) >= 2, 30, interval_s=0.2)
    assert on_server(demo, "afterdirectorycrash") == 1, "the outbox goes first and always"
    assert [p.step for p in results[0].problems] == ["directory"]
    assert "KeyError" in results[0].problems[0].message
    assert any("sync step directory failed" in r.message for r in caplog.records), "logged with its step"


def test_a_directory_that_links_back_to_itself_is_not_walked_for_ever(demo: DemoNetwork, store: Store) -> None:
    with HostileServer(demo.url, {"/api/v1/directory": "directory-loop"}) as hostile:
        sync = kiosk_sync(store, hostile.url, demo.token_for("lobby"))
        check_in(sync.outbox, "afterdirectoryloop")
        started = time.monotonic()
        result = sync.once(directory=True)
    assert time.monotonic() - started < 20
    assert hostile.requests["/api/v1/directory"] <= 3
    assert [p.step for p in result.problems] == ["directory"] and "same people" in result.problems[0].message
    assert on_server(demo, "afterdirectoryloop") == 1


def test_a_500_mb_answer_is_refused_without_reading_it(demo: DemoNetwork, store: Store) -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with HostileServer(demo.url, {"/api/v1/timelines/home": "endless-answer"}) as hostile:
        network = MastodonNetwork(hostile.url, demo.token_for("demo"), HttpClient(sleep=lambda s: None))
        sync = Sync(store, network, feed=HOME_FEED, stream=False)
        check_in(sync.outbox, "afterendless")
        result = sync.once(directory=False)
    assert [p.step for p in result.problems] == ["feed"] and "more than" in result.problems[0].message
    assert hostile.endless_sent < 100 * 1024 * 1024, "the client hung up long before 500 MB"
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 150
    assert on_server(demo, "afterendless") == 1


@pytest.mark.parametrize("rule", ["lone-surrogates", "enclosing-marks", "deep-nesting", "invalid-json"])
def test_hostile_text_in_the_directory_never_stops_sync(demo: DemoNetwork, store: Store, rule: str) -> None:
    with HostileServer(demo.url, {"/api/v1/directory": rule}) as hostile:
        sync = kiosk_sync(store, hostile.url, demo.token_for("lobby"))
        sync.photos_per_pass = 0
        result = sync.once(directory=True)
    if rule == "invalid-json":
        assert [p.step for p in result.problems] == ["directory"] and "garbled" in result.problems[0].title
        return
    assert result.problems == [] and store.count_people() > 50
    for person in store.people():
        assert "\ud800" not in person.name
        assert sum(1 for ch in person.name if ch == "\u0489") <= 2
        assert "<b" not in person.bio


@pytest.mark.parametrize("rule", ["garbled-person", "huge-person"])
def test_one_broken_profile_costs_that_person_not_the_directory(demo: DemoNetwork, tmp_path: Path,
                                                                 rule: str) -> None:
    """A profile the server cannot send whole (bad JSON, a 500 MB bio) once made the whole directory
    unavailable, and the kiosk stayed on "Getting ready…": now the page is read around it."""
    whole = Store(tmp_path / "whole.sqlite3", tmp_path / "photos")
    kiosk_sync(whole, demo.url, demo.token_for("lobby")).once(directory=True)
    everyone = whole.count_people()
    whole.close()
    store = Store(tmp_path / "hallway.sqlite3", tmp_path / "photos")
    try:
        with HostileServer(demo.url, {"/api/v1/directory": rule}) as hostile:
            sync = kiosk_sync(store, hostile.url, demo.token_for("lobby"))
            sync.photos_per_pass = 0
            result = sync.once(directory=True)
        assert result.problems == [], result.problems
        assert store.count_people() == everyone - 1, "everyone but the one broken profile"
        assert hostile.requests["/api/v1/directory"] < everyone // 80 + 1 + 30, "read around it, not one by one"
    finally:
        store.close()


def test_a_directory_without_end_is_read_as_far_as_the_company_goes(demo: DemoNetwork, store: Store) -> None:
    sync = kiosk_sync(store, demo.url, demo.token_for("lobby"))
    sync.max_people, sync.photos_per_pass = 100, 0
    result = sync.once(directory=True)
    assert store.count_people() == 100
    assert [p.step for p in result.problems] == ["directory"] and "sync.max_people" in result.problems[0].message
    assert store.get_state("directory_synced_at") is not None, "not walked again at every pass"
    again = sync.once()
    assert again.people_changed == 0 and again.problems == []


def test_photos_come_only_from_the_server_and_the_hosts_it_lists(demo: DemoNetwork, store: Store) -> None:
    hits: list[str] = []

    class Canary(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    canary = ThreadingHTTPServer(("127.0.0.1", 0), Canary)
    threading.Thread(target=canary.serve_forever, daemon=True).start()
    try:
        with HostileServer(demo.url, {"/api/v1/directory": "foreign-avatars"},
                           canary=f"http://127.0.0.1:{canary.server_address[1]}") as hostile:
            sync = kiosk_sync(store, hostile.url, demo.token_for("lobby"))
            result = sync.once(directory=True)
    finally:
        canary.shutdown()
        canary.server_close()
    assert hits == [], "an internal address named in a profile was never called"
    assert result.problems == [] and store.photos_missing(10) == []


def test_every_callback_arrives_on_the_loop_s_thread(demo: DemoNetwork, store: Store) -> None:
    """The one thread boundary: whatever thread the news comes from (a delivery on the executor,
    the stream's own thread), the front end hears it on the loop's thread."""
    network = MastodonNetwork(demo.url, demo.token_for("demo"), HttpClient(sleep=lambda s: None))
    sync = Sync(store, network, feed=HOME_FEED)
    heard: list[tuple[str, int]] = []
    sync.on_result = lambda _r: heard.append(("result", threading.get_ident()))
    sync.on_pending = lambda _n: heard.append(("pending", threading.get_ident()))
    sync.on_connection = lambda _c: heard.append(("connection", threading.get_ident()))
    sync.on_event = lambda _e: heard.append(("event", threading.get_ident()))
    loop_thread = threading.get_ident()
    author = demo.token_for(colleague_of(demo))

    def post_when_streaming() -> bool:
        if any(kind == "result" for kind, _ in heard) and not getattr(post_when_streaming, "done", False):
            time.sleep(1.0)  # the stream opens after the first pass
            requests.post(f"{demo.url}/api/v1/statuses", headers={"Authorization": f"Bearer {author}"},
                          data={"status": "@demo a streamed mention"}, timeout=5).raise_for_status()
            post_when_streaming.done = True  # type: ignore[attr-defined]
        return any(kind == "event" for kind, _ in heard)

    run_until(sync, post_when_streaming, 30)
    assert {kind for kind, _ in heard} >= {"result", "pending", "event"}
    assert all(thread == loop_thread for _, thread in heard), heard


def test_a_check_in_made_offline_is_sent_within_seconds_of_the_network_coming_back(
        demo: DemoNetwork, store: Store) -> None:
    with HostileServer(demo.url) as hostile:
        sync = kiosk_sync(store, hostile.url, demo.token_for("lobby"))
        hostile.frozen.set()
        # Frozen: requests hang until the read timeout; shorten it so the test sees several tries.
        sync.network.client.attempts = 1  # type: ignore[attr-defined]
        check_in(sync.outbox, "backoffreset")
        states: list[Connection] = []
        sync.on_connection = states.append
        back = [0.0]

        def condition() -> bool:
            if Connection.OFFLINE in states and not back[0]:
                for _ in range(3):  # more check-ins while offline: they must not push the next try out
                    check_in(sync.outbox, "backoffreset")
                    sync.now()
                hostile.frozen.clear()
                back[0] = time.monotonic()
            return bool(back[0]) and on_server(demo, "backoffreset") == 4

        original = sync.network.client.request  # type: ignore[attr-defined]

        def short(*args: object, **options: object) -> object:
            options["timeout"] = (1.0, 1.0)
            return original(*args, **options)

        sync.network.client.request = short  # type: ignore[attr-defined]
        run_until(sync, condition, 90, interval_s=300)
    assert time.monotonic() - back[0] < 15, "delivered within seconds, not after a 10-minute backoff"


@pytest.mark.slow
def test_after_a_server_freezes_for_a_minute_a_mention_arrives_within_30_s(demo: DemoNetwork, store: Store) -> None:
    """The stream goes silent (no heartbeat); it counts as dead, sync catches up on what it missed."""
    with HostileServer(demo.url) as hostile:
        network = MastodonNetwork(hostile.url, demo.token_for("demo"), HttpClient(sleep=lambda s: None))
        sync = Sync(store, network, feed=HOME_FEED)
        results: list[SyncResult] = []
        events: list[object] = []
        sync.on_result = results.append
        sync.on_event = events.append
        author = demo.token_for(colleague_of(demo))
        marks: dict[str, float] = {}

        def condition() -> bool:
            now = time.monotonic()
            if results and "frozen" not in marks:
                time.sleep(1.0)
                hostile.frozen.set()
                marks["frozen"] = now
                requests.post(f"{demo.url}/api/v1/statuses", headers={"Authorization": f"Bearer {author}"},
                              data={"status": "@demo posted while the server was frozen"},
                              timeout=5).raise_for_status()
            if "frozen" in marks and "resumed" not in marks and now - marks["frozen"] > 60:
                hostile.frozen.clear()
                marks["resumed"] = now
            texts = [n.text for r in results for n in r.notices_new] + [
                getattr(getattr(e, "notice", None), "text", "") for e in events]
            return "resumed" in marks and any("while the server was frozen" in (t or "") for t in texts)

        run_until(sync, condition, 150)
    assert time.monotonic() - marks["resumed"] < 30


# ---------------------------------------------------------------- logs, files and the store


def test_no_token_reaches_the_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, demo: DemoNetwork) -> None:
    monkeypatch.setenv(logs.LOG_DIR_ENV, str(tmp_path / "logs"))
    token = demo.token_for("demo")
    path = logs.start("hallway-test", stderr=False)
    assert path is not None
    logs.forget_secret_later(token)
    log = logging.getLogger("hallway.test")
    log.warning("request failed: Authorization: Bearer %s", token)
    log.warning("redirect to http://127.0.0.1/cb?code=abc123secret&state=x")
    log.warning('{"access_token": "syt_ZGVtbw_abcdefghij_123"}')
    log.warning("the token was %s", token)
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = path.read_text()
    assert token not in text and "abc123secret" not in text and "syt_ZGVtbw" not in text
    assert text.count("***") >= 4
    assert len(logs.last_problems(10)) >= 4


def test_a_damaged_store_is_set_aside_and_a_fresh_one_made(tmp_path: Path) -> None:
    path = tmp_path / "hallway.sqlite3"
    path.write_bytes(b"this is not a database at all" * 100)
    store = Store(path, tmp_path / "photos")
    try:
        assert store.recovered and Path(store.recovered).read_bytes().startswith(b"this is not")
        assert store.count_people() == 0
        assert store.get_state(RECOVERED_STATE)
        assert store.salvaged is not None and store.salvaged.words().startswith("nothing could be saved")
    finally:
        store.close()


def test_a_locked_store_names_who_holds_it(tmp_path: Path) -> None:
    path = tmp_path / "hallway.sqlite3"
    Store(path, tmp_path / "photos").close()
    with lock_held(path) as holder:
        started = time.monotonic()
        with pytest.raises(StoreLocked) as locked:
            Store(path, tmp_path / "photos", lock_wait_s=0.5)
        assert time.monotonic() - started < 5
        assert f"pid {holder.pid}" in str(locked.value)
        doctor = subprocess.run([BIN / "hallway", "doctor"], capture_output=True, text=True, timeout=60,
                                env=os.environ | {"HALLWAY_DATA_DIR": str(tmp_path)})
        assert f"✗ local copy: Hallway's data ({path}) is in use by pid {holder.pid}" in doctor.stdout
        assert "Traceback" not in doctor.stderr


def test_a_machine_config_that_is_a_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "hallway.toml"
    os.mkfifo(fifo)
    done = subprocess.run([BIN / "hallway", "doctor"], capture_output=True, text=True, timeout=30,
                          env=os.environ | {"HALLWAY_MACHINE_CONFIG": str(fifo), "HALLWAY_DATA_DIR": str(tmp_path)})
    assert "is not a regular file" in done.stdout and "Traceback" not in done.stderr


def test_doctor_bundle_holds_logs_and_settings_but_no_token(tmp_path: Path, demo: DemoNetwork) -> None:
    import zipfile
    token = demo.token_for("demo")
    machine = tmp_path / "machine.toml"
    machine.write_text(f'[network]\nserver = "{demo.url}"\n')
    env = os.environ | {"HALLWAY_MACHINE_CONFIG": str(machine), "HALLWAY_DATA_DIR": str(tmp_path / "data"),
                        "HALLWAY_LOG_DIR": str(tmp_path / "logs"), "HALLWAY_TOKEN": token}
    done = subprocess.run([BIN / "hallway", "doctor", "--bundle", str(tmp_path)], capture_output=True, text=True,
                          timeout=60, env=env)
    assert "send it to IT" in done.stdout, done.stdout + done.stderr
    bundle = next(tmp_path.glob("hallway-report-*.zip"))
    with zipfile.ZipFile(bundle) as opened:
        names = opened.namelist()
        everything = b"".join(opened.read(n) for n in names)
    assert "versions.txt" in names and any(n.startswith("logs/") for n in names)
    assert any(n.startswith("settings/") and "machine" in n for n in names)
    assert token.encode() not in everything


def test_sync_once_with_a_problem_says_which_step(demo: DemoNetwork, tmp_path: Path) -> None:
    machine = tmp_path / "machine.toml"
    machine.write_text(f'[network]\nserver = "{demo.url}"\nfeed = "#in-office"\n')
    done = subprocess.run([BIN / "hallway", "sync", "--once"], capture_output=True, text=True, timeout=120,
                          env=os.environ | {"HALLWAY_MACHINE_CONFIG": str(machine),
                                            "HALLWAY_DATA_DIR": str(tmp_path / "data"),
                                            "HALLWAY_TOKEN": demo.token_for("demo")})
    assert done.returncode == 1 and "problem: The feed:" in done.stdout and "Traceback" not in done.stderr
    assert "people updated" in done.stdout, "the other steps ran"


def test_store_reads_do_not_wait_for_a_writer(tmp_path: Path) -> None:
    """The GUI reads on its own connection: a long write elsewhere does not hold it up."""
    store = Store(tmp_path / "hallway.sqlite3", tmp_path / "photos")
    try:
        store.set_state("greeting", "hello")
        entered, release = threading.Event(), threading.Event()

        def long_write() -> None:
            with store.transaction() as db:
                db.execute("INSERT INTO state VALUES ('busy', 'yes')")
                entered.set()
                release.wait(5)

        writer = threading.Thread(target=long_write)
        writer.start()
        entered.wait(5)
        started = time.monotonic()
        assert store.get_state("greeting") == "hello"
        assert store.get_state("busy") is None, "not yet committed"
        assert time.monotonic() - started < 0.5
        release.set()
        writer.join()
        assert store.get_state("busy") == "yes"
    finally:
        store.close()


def test_sqlite_errors_are_not_swallowed_as_corruption(tmp_path: Path) -> None:
    """Only a file that is not a database is set aside; a healthy store opened twice is kept."""
    first = Store(tmp_path / "hallway.sqlite3", tmp_path / "photos")
    first.set_state("kept", "1")
    second = Store(tmp_path / "hallway.sqlite3", tmp_path / "photos")
    try:
        assert second.recovered is None and second.get_state("kept") == "1"
    finally:
        first.close()
        second.close()
    assert sqlite3.sqlite_version
