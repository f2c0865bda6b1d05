"""Hallway on a Mastodon server set up the way admins set them up (#15), on the strict demo:
the directory switched off, a one-hour idempotency window, a person who follows nobody yet,
a laptop that slept through 100 notifications, and GoToSocial's string ids."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

from hallway.demo.organisation import generate
from hallway.demo.server import DemoNetwork, create
from hallway.http import HttpClient
from hallway.model import COMPANY_FEED, HOME_FEED, CheckIn, Colleague, Place
from hallway.networks import NoteKind
from hallway.networks.mastodon import MastodonNetwork
from hallway.outbox import Outbox
from hallway.store import Store
from hallway.sync import Sync

BIN = Path(sys.executable).parent


@pytest.fixture
def network() -> Iterator[DemoNetwork]:
    started = create(generate(seed=31, people=60), rate_limit=1_000_000).start_in_background()
    yield started
    started.stop()


def connect(network: DemoNetwork, who: str) -> MastodonNetwork:
    return MastodonNetwork(network.url, network.token_for(who), HttpClient(sleep=lambda s: None))


def statuses_with(network: DemoNetwork, text: str) -> int:
    """How many statuses on the server contain ``text`` (check-ins: the demo person's only)."""
    found = requests.get(f"{network.url}/_demo/statuses", params={"contains": text}, timeout=5).json()
    return len([s for s in found if text != CHECKED_IN_DEMO or "account=demo&" in s["text"]])


CHECKED_IN_DEMO = "office=Lisbon&day="  # with "account=demo": see statuses_with


def queue_check_in(outbox: Outbox, handle: str, at: datetime | None = None) -> None:
    person = Colleague(id=handle, name=handle, handle=handle)
    outbox.add_check_in(CheckIn(handle, Place("Lisbon"), at or datetime.now(UTC), shared=True), person)


def test_with_the_directory_off_the_kiosk_knows_the_lobbys_followers_and_everyone_names_the_setting(
        network: DemoNetwork, store: Store, tmp_path: Path) -> None:
    """A Mastodon whose admin switched the profile directory off: the kiosk reads the people who
    follow the lobby account (their opt-in) and those seen posting, and says so; check-ins go out,
    the feed shows, and doctor names the setting as a note, not a failure."""
    requests.post(f"{network.url}/_demo/settings", data={"directory": "off"}, timeout=5).raise_for_status()
    lobby = network.org.by_username("lobby")
    assert lobby is not None
    quiet = [a for a in network.org.accounts.values() if not a.bot and a.discoverable][:3]
    for person in quiet:  # three people follow the lobby account from their own Mastodon
        requests.post(f"{network.url}/api/v1/accounts/{lobby.id}/follow", timeout=5,
                      headers={"Authorization": f"Bearer {network.token_for(person.username)}"}).raise_for_status()
    try:
        outbox = Outbox(store)
        queue_check_in(outbox, "demo")
        kiosk_network = connect(network, "lobby")
        kiosk = Sync(store, kiosk_network, outbox, feed=None, notices=False, stream=False)
        result = kiosk.once(directory=True)
        assert result.pending == 0 and statuses_with(network, CHECKED_IN_DEMO) == 1
        assert result.problems == [], result.problems
        known = {c.id for c in store.people()}
        assert {p.id for p in quiet} <= known, "the lobby's followers are the kiosk's people"
        assert len(known) > 10, "and the people seen posting"
        assert "the lobby account's followers (3)" in kiosk.people_from
        assert "Enable profile directory" in kiosk_network.notes.about(NoteKind.DIRECTORY)

        laptop = Store(tmp_path / "laptop.sqlite3", tmp_path / "laptop-photos")
        try:
            tray = Sync(laptop, connect(network, "demo"), Outbox(laptop), feed=COMPANY_FEED)
            tray_result = tray.once(directory=True)
            assert laptop.count_posts("local") > 20, "the feed is shown all the same"
            assert tray_result.problems == [] and laptop.count_people() > 10
        finally:
            laptop.close()

        machine = tmp_path / "machine.toml"
        machine.write_text(f'[network]\nserver = "{network.url}"\n')
        doctor = subprocess.run([BIN / "hallway", "doctor"], capture_output=True, text=True, timeout=60,
                                env=os.environ | {"HALLWAY_MACHINE_CONFIG": str(machine),
                                                  "HALLWAY_DATA_DIR": str(tmp_path / "doctor"),
                                                  "HALLWAY_TOKEN": network.token_for("demo")})
        assert "The server's profile directory is switched off" in doctor.stdout
        assert "Enable profile directory" in doctor.stdout and "people from " in doctor.stdout, doctor.stdout
        for fine in ("directory", "feed (local)", "notifications", "announcements", "read positions", "live stream"):
            assert f"✓   {fine}" in doctor.stdout, doctor.stdout
    finally:
        for person in quiet:
            requests.post(f"{network.url}/api/v1/accounts/{lobby.id}/unfollow", timeout=5,
                          headers={"Authorization": f"Bearer {network.token_for(person.username)}"})


def test_a_check_in_whose_answer_was_lost_is_not_posted_again_two_hours_later(
        network: DemoNetwork, store: Store) -> None:
    outbox = Outbox(store)
    kiosk = connect(network, "lobby")
    queue_check_in(outbox, "someone-else")  # the office's day post is there already
    assert outbox.deliver(kiosk).delivered == 1
    queue_check_in(outbox, "demo")
    # The post lands; its answer is cut on the way back (the write happened, the kiosk cannot tell).
    requests.post(f"{network.url}/_demo/faults", json={"path": "/api/v1/statuses", "kind": "truncated", "count": 50},
                  timeout=5).raise_for_status()
    first = outbox.deliver(kiosk)
    assert first.delivered == 0 and first.pending == 1
    assert statuses_with(network, CHECKED_IN_DEMO) == 1
    requests.delete(f"{network.url}/_demo/faults", timeout=5)
    # Two hours on: the server has forgotten the key, and so would post it again.
    requests.post(f"{network.url}/_demo/clock", data={"advance": str(2 * 3600)}, timeout=5).raise_for_status()
    later = datetime.now().timestamp() + 2 * 3600
    outbox.clock = lambda: later
    again = outbox.deliver(kiosk)
    assert again.delivered == 1 and again.pending == 0
    assert statuses_with(network, CHECKED_IN_DEMO) == 1, "the server holds it once"


def test_a_check_in_delivered_the_next_day_says_its_own_day_and_counts_there(
        network: DemoNetwork, store: Store) -> None:
    yesterday = datetime.now().astimezone() - timedelta(days=1)
    outbox = Outbox(store)
    queue_check_in(outbox, "demo", yesterday)
    outbox.deliver(connect(network, "lobby"))
    today = datetime.now().astimezone().date().isoformat()
    assert statuses_with(network, f"day={yesterday.date().isoformat()}&account=demo&") == 1
    assert statuses_with(network, f"day={today}&account=demo&") == 0, "it never claims today"
    kiosk = connect(network, "lobby")
    assert [p.colleague_id for p in kiosk.in_office(yesterday.date())] == ["demo"]
    assert "demo" not in [p.colleague_id for p in kiosk.in_office(datetime.now().astimezone().date())]


def test_on_day_one_a_person_who_follows_nobody_sees_colleagues_posts(network: DemoNetwork, store: Store) -> None:
    newcomer = next(a for a in network.org.accounts.values() if not a.bot and a.id != network.org.demo_user_id)
    for followed in list(network.org.following(newcomer.id)):  # new here: follows nobody yet
        requests.post(f"{network.url}/api/v1/accounts/{followed}/unfollow", timeout=5,
                      headers={"Authorization": f"Bearer {network.token_for(newcomer.username)}"}).raise_for_status()
    home = requests.get(f"{network.url}/api/v1/timelines/home", timeout=5,
                        headers={"Authorization": f"Bearer {network.token_for(newcomer.username)}"}).json()
    assert all(s["account"]["id"] == newcomer.id for s in home), "their home timeline holds only their own posts"
    from hallway import config as settings
    feed = settings.load()["network.feed"]
    assert feed == "local", "the apps' default feed is the company's"
    newcomers = connect(network, newcomer.username)
    result = Sync(store, newcomers, Outbox(store), feed=newcomers.feed_of(feed)).once(directory=True)
    assert result.problems == []
    posts = store.posts(feed, limit=50)
    assert len(posts) >= 40 and len({p.author_id for p in posts}) > 10, "colleagues' posts, not only their own"


def test_after_a_gap_every_notification_arrives(network: DemoNetwork, store: Store) -> None:
    me = connect(network, "demo")
    Sync(store, me, Outbox(store), feed=COMPANY_FEED).once(directory=True)
    for number in range(100):
        requests.post(f"{network.url}/api/v1/statuses", data={"status": f"@demo while you slept {number}"},
                      headers={"Authorization": f"Bearer {network.token_for('lobby')}"},
                      timeout=10).raise_for_status()
    Sync(store, me, Outbox(store), feed=COMPANY_FEED).once()
    texts = {n.text for n in store.notices(limit=500)}
    missing = [n for n in range(100) if f"@demo while you slept {n}" not in texts]
    assert missing == [], f"{len(missing)} of 100 notifications lost"


def test_with_string_ids_new_posts_go_on_top_and_the_read_marker_advances(store: Store) -> None:
    org = generate(seed=32, people=40, string_ids=True)
    with create(org, rate_limit=1_000_000).start_in_background() as network:
        me = connect(network, "demo")
        sync = Sync(store, me, Outbox(store), feed=HOME_FEED)
        sync.once(directory=True)
        top = store.posts("home", limit=1)[0]
        assert not top.id.isdigit() and len(top.id) == 26
        requests.post(f"{network.url}/api/v1/statuses", data={"status": "A brand new post"},
                      headers={"Authorization": f"Bearer {network.token_for('demo')}"}, timeout=10)
        sync.once()
        newest = store.posts("home", limit=1)[0]
        assert "A brand new post" in newest.text and newest.position > top.position
        assert store.mark_read("home", newest.id) and store.unread_posts("home") == 0
        sync.once()
        marker = requests.get(f"{network.url}/api/v1/markers", params={"timeline[]": "home"}, timeout=5,
                              headers={"Authorization": f"Bearer {network.token_for('demo')}"}).json()
        assert marker["home"]["last_read_id"] == newest.id, "the read position reached the server"


def doctor(network: DemoNetwork, tmp_path: Path, machine: str = "") -> subprocess.CompletedProcess[str]:
    config = tmp_path / "doctor.toml"
    config.write_text(f'[network]\nserver = "{network.url}"\n{machine}')
    return subprocess.run([BIN / "hallway", "doctor"], capture_output=True, text=True, timeout=60,
                          env=os.environ | {"HALLWAY_MACHINE_CONFIG": str(config),
                                            "HALLWAY_DATA_DIR": str(tmp_path / "doctor-data"),
                                            "HALLWAY_TOKEN": network.token_for("demo")})


# (path, fault, the sync step it is a problem for or None when the app simply goes on, doctor's words)
BAD_ANSWERS = [
    ("/api/v1/directory", "404", None, "Enable profile directory"),  # people come from elsewhere
    ("/api/v1/directory", "403", None, "Enable profile directory"),
    ("/api/v1/directory", "empty", None, "people from people seen posting"),
    ("/api/v1/announcements", "404", None, "no announcements"),
    ("/api/v1/markers", "404", None, "does not keep read positions"),
    ("/api/v1/streaming/*", "404", None, "live stream is switched off"),
]


@pytest.mark.parametrize("path, kind, step, words", BAD_ANSWERS, ids=[f"{p}={k}" for p, k, _, _ in BAD_ANSWERS])
def test_an_api_the_server_lacks_leaves_a_working_app_and_a_clear_word_in_doctor(
        network: DemoNetwork, store: Store, tmp_path: Path, path: str, kind: str, step: str | None,
        words: str) -> None:
    requests.post(f"{network.url}/_demo/faults", json={"path": path, "kind": kind, "count": 100_000},
                  timeout=5).raise_for_status()
    outbox = Outbox(store)
    queue_check_in(outbox, "demo")
    kiosk = Sync(store, connect(network, "lobby"), outbox, feed=None, notices=False, stream=False).once(True)
    assert kiosk.pending == 0 and statuses_with(network, CHECKED_IN_DEMO) == 1, "check-ins go out"
    laptop = Store(tmp_path / "laptop.sqlite3", tmp_path / "laptop-photos")
    try:
        tray = Sync(laptop, connect(network, "demo"), Outbox(laptop), feed=HOME_FEED)
        result = tray.once(directory=True)
        assert laptop.count_posts("home") > 5, "the feed is shown"
        assert [p.step for p in result.problems] == ([step] if step else []), result.problems
        if step:
            assert words in result.problems[0].message
        again = tray.once()
        # A server setting that is off stays a problem until IT switches it on; a missing API
        # is not asked again at every pass, and the app is quiet about it.
        assert [p.step for p in again.problems] == ([step] if step else [])
    finally:
        laptop.close()
    said = doctor(network, tmp_path)
    assert words in said.stdout, said.stdout
    assert "Traceback" not in said.stderr
    assert said.returncode == (1 if step else 0), said.stdout


def test_accounts_without_fields_or_with_other_field_names(tmp_path: Path, store: Store) -> None:
    org = generate(seed=33, people=30)
    people = [a for a in org.accounts.values() if not a.bot and a.discoverable]
    bare, renamed = people[3], people[4]
    bare.fields = []
    renamed.fields = [("Role", "Chief tea officer"), ("Squad", "Kettles"), ("Site", "Porto")]
    with create(org, rate_limit=1_000_000).start_in_background() as network:
        from hallway.networks import FieldNames
        plain = connect(network, "demo")
        everyone = {c.id: c for page in plain.directory() for c in page}
        assert everyone[bare.id].name == bare.display_name and everyone[bare.id].title == ""
        own_names = MastodonNetwork(network.url, network.token_for("demo"), HttpClient(sleep=lambda s: None),
                                    fields=FieldNames(title="Role", team="Squad", office="Site"))
        found = {c.id: c for page in own_names.directory() for c in page}[renamed.id]
        assert (found.title, found.team, found.office) == ("Chief tea officer", "Kettles", "Porto")
        result = Sync(store, plain, Outbox(store), feed=COMPANY_FEED).once(directory=True)
        assert result.problems == [] and store.colleague(bare.id) is not None
