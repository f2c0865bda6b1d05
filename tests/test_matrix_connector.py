"""The Matrix connector on bad input from a real Synapse: the same outcomes as the Mastodon
connector's (skip, cap, back off, ask to sign in again), never a crash."""

from __future__ import annotations

import http.server
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from older_matrix import OlderServer
from synapse_server import AsRun

from hallway.demo.synapse import PREFIX, SeededOrganisation, Synapse
from hallway.http import HttpClient, RateLimited, Refused
from hallway.model import COMPANY_FEED, HOME_FEED
from hallway.networks import NoteKind
from hallway.networks.matrix import MatrixNetwork

pytestmark = pytest.mark.slow


@pytest.fixture
def odd_person(synapse: tuple[Synapse, SeededOrganisation]) -> Iterator[tuple[str, str]]:
    """A member of #everyone whose profile is strange: a number for a title, an object for a team."""
    homeserver, seeded = synapse
    user, token = homeserver.register(f"odd{len(seeded.tokens)}")
    seeded.tokens[user] = token
    for key, value in (("title", 42), ("team", {"name": "Ops"}), ("hobbies", ["chess"]), ("started", "soon")):
        homeserver.call("PUT", f"/_matrix/client/v3/profile/{quote(user)}/{PREFIX}{key}", token,
                        {f"{PREFIX}{key}": value})
    homeserver.call("POST", f"/_matrix/client/v3/join/{quote(seeded.everyone)}", token, {})
    yield user, token


def demo(synapse: tuple[Synapse, SeededOrganisation]) -> MatrixNetwork:
    homeserver, seeded = synapse
    return MatrixNetwork(homeserver.url, seeded.tokens[seeded.org.accounts[seeded.org.demo_user_id].username],
                         HttpClient(attempts=2, sleep=lambda _s: None))


def test_a_profile_with_odd_values_still_shows_the_person(synapse: tuple[Synapse, SeededOrganisation],
                                                          odd_person: tuple[str, str]) -> None:
    user, _ = odd_person
    people = {c.id: c for page in demo(synapse).directory() for c in page}
    odd = people[user]
    assert odd.name and (odd.title, odd.team, odd.hobbies, odd.started_on) == ("", "", (), None)


def test_a_member_with_no_profile_appears_by_their_id(synapse: tuple[Synapse, SeededOrganisation]) -> None:
    homeserver, seeded = synapse
    user, token = homeserver.register(f"blank{len(seeded.tokens)}")
    seeded.tokens[user] = token
    homeserver.call("PUT", f"/_matrix/client/v3/profile/{quote(user)}/displayname", token, {"displayname": ""})
    homeserver.call("POST", f"/_matrix/client/v3/join/{quote(seeded.everyone)}", token, {})
    answer = homeserver.http.get(f"{homeserver.url}/_matrix/client/v3/profile/{quote(user)}", timeout=10,
                                 headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 404, "Synapse: no name and no photo is no profile at all"
    blank = next(c for page in demo(synapse).directory() for c in page if c.id == user)
    localpart = user.lstrip("@").split(":")[0]
    assert (blank.name, blank.handle, blank.photo_url, blank.title) == (localpart, user.lstrip("@"), "", "")


def test_an_avatar_that_is_not_an_image_or_is_huge_is_refused(synapse: tuple[Synapse, SeededOrganisation],
                                                              odd_person: tuple[str, str]) -> None:
    homeserver, _ = synapse
    user, token = odd_person
    network = demo(synapse)
    for data in (b"<html>not a photo</html>", b"\x89PNG" + bytes(50 * 1024 * 1024)):
        mxc = homeserver.call("POST", "/_matrix/media/v3/upload?filename=a.png", token, data=data,
                              content_type="image/png")["content_uri"]
        homeserver.call("PUT", f"/_matrix/client/v3/profile/{quote(user)}/avatar_url", token, {"avatar_url": mxc})
        colleague = next(c for page in network.directory() for c in page if c.id == user)
        with pytest.raises(Refused):
            network.photo(colleague.photo_url)


def test_unknown_events_and_messages_without_text_are_skipped(synapse: tuple[Synapse, SeededOrganisation]) -> None:
    homeserver, seeded = synapse
    author = seeded.tokens[next(iter(seeded.tokens))]
    room = quote(seeded.everyone)
    homeserver.call("PUT", f"/_matrix/client/v3/rooms/{room}/send/com.example.poll/odd1", author, {"q": "?"})
    homeserver.call("PUT", f"/_matrix/client/v3/rooms/{room}/send/m.room.message/odd2", author,
                    {"msgtype": "com.example.sticker", "body": "   "})
    homeserver.call("PUT", f"/_matrix/client/v3/rooms/{room}/send/m.room.message/odd3", author,
                    {"msgtype": "m.text", "body": "<script>alert(1)</script> after the odd ones",
                     "format": "org.matrix.custom.html", "formatted_body": "<b>bold</b><script>alert(1)</script>"})
    posts = demo(synapse).feed(HOME_FEED, limit=5).posts
    assert posts[0].text == "bold" and "<script" not in posts[0].html
    assert all(p.id and p.text for p in posts)


class LimitExceeded(http.server.BaseHTTPRequestHandler):
    """A homeserver that is busy: M_LIMIT_EXCEEDED with retry_after_ms, and no Retry-After header."""

    def do_GET(self) -> None:
        body = json.dumps({"errcode": "M_LIMIT_EXCEEDED", "error": "Too Many Requests",
                           "retry_after_ms": 42_000}).encode()
        self.send_response(429)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_rate_limited_backs_off_for_as_long_as_the_server_asks() -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), LimitExceeded)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        network = MatrixNetwork(f"http://127.0.0.1:{server.server_port}", "token",
                                HttpClient(attempts=2, sleep=lambda _s: None))
        with pytest.raises(RateLimited) as limited:
            network.me()
        assert limited.value.retry_after_s == 42.0  # longer than Hallway waits in place: sync backs off
    finally:
        server.shutdown()


def test_edits_redactions_and_replies_show_as_people_see_them_in_matrix(
        synapse: tuple[Synapse, SeededOrganisation]) -> None:
    """An edit changes its message (never a second post, never "* ..."); a redaction removes the
    message from every laptop; a reply shows without the quoted fallback."""
    import time as clock

    from hallway.networks import StreamEvent
    homeserver, seeded = synapse
    network = demo(synapse)
    author = next(u for u in seeded.tokens if u not in ("demo", "lobby"))
    token, room = seeded.tokens[author], seeded.everyone
    sent = iter(range(1_000_000))

    def send(content: dict[str, object], kind: str = "m.room.message") -> str:
        answer = homeserver.call("PUT", f"/_matrix/client/v3/rooms/{quote(room)}/send/{kind}/edit{clock.time_ns()}"
                                        f"{next(sent)}", token, content)
        return str(answer["event_id"])

    stop = threading.Event()
    seen: list[StreamEvent] = []
    reader = threading.Thread(target=lambda: seen.extend(
        e for e in network.stream(stop) if e.post or e.deleted_post_id or e.edit), daemon=True)
    reader.start()
    clock.sleep(1.5)  # the stream has taken its position
    original = send({"msgtype": "m.text", "body": "Fire drill on Tuesday"})
    send({"msgtype": "m.text", "body": "* Fire drill on Wednesday (moved)",
          "m.new_content": {"msgtype": "m.text", "body": "Fire drill on Wednesday (moved)"},
          "m.relates_to": {"rel_type": "m.replace", "event_id": original}})
    spam = send({"msgtype": "m.text", "body": "Buy cheap watches"})
    homeserver.call("PUT", f"/_matrix/client/v3/rooms/{quote(room)}/redact/{quote(spam)}/r{clock.time_ns()}", token,
                    {"reason": "spam"})
    reply = send({"msgtype": "m.text", "body": f"> <@{author}:x> Fire drill on Wednesday\n\nThanks for the heads-up",
                  "m.relates_to": {"m.in_reply_to": {"event_id": original}}})
    deadline = clock.monotonic() + 20
    while clock.monotonic() < deadline and not any(e.post and e.post.id == reply for e in seen):
        clock.sleep(0.2)
    stop.set()
    network.close_stream()
    reader.join(10)
    assert any(e.edit and e.edit.post_id == original and e.edit.text == "Fire drill on Wednesday (moved)" for e in seen)
    assert not any(e.post and e.post.text.startswith("* ") for e in seen), "an edit is never a post of its own"
    assert any(e.deleted_post_id == spam for e in seen), "the redaction removes it"
    [live] = [e.post for e in seen if e.post and e.post.id == reply]
    assert live.text == "Thanks for the heads-up"
    assert live.author_name and not live.author_name.startswith("@"), "a live message says who wrote it, by name"
    page = network.feed(HOME_FEED, limit=20).posts
    texts = {p.id: p.text for p in page}
    assert texts.get(original) == "Fire drill on Wednesday (moved)", "the server's bundled edit"
    assert spam not in texts and not any(t.startswith("* ") for t in texts.values())
    assert texts.get(reply) == "Thanks for the heads-up"


def test_encrypted_messages_are_said_not_silently_dropped(synapse: tuple[Synapse, SeededOrganisation]) -> None:
    """Hallway has no end-to-end encryption: what it cannot read it says, in words, instead of
    showing a feed that silently lacks most messages."""
    import time as clock

    homeserver, seeded = synapse
    network = demo(synapse)
    author = next(u for u in seeded.tokens if u not in ("demo", "lobby"))
    homeserver.call("PUT", f"/_matrix/client/v3/rooms/{quote(seeded.everyone)}/send/m.room.encrypted/"
                           f"secret{clock.time_ns()}", seeded.tokens[author],
                    {"algorithm": "m.megolm.v1.aes-sha2", "ciphertext": "AwgAEnAC...", "sender_key": "x",
                     "device_id": "DEV", "session_id": "s"})
    homeserver.call("PUT", f"/_matrix/client/v3/rooms/{quote(seeded.everyone)}/send/m.room.message/"
                           f"plain{clock.time_ns()}", seeded.tokens[author], {"msgtype": "m.text", "body": "In clear"})
    page = network.feed(HOME_FEED, limit=10)
    assert page.posts[0].text == "In clear", "what can be read is shown"
    words = network.notes.about(NoteKind.UNREADABLE)
    assert "encrypted" in words and "Element" in words


def test_a_message_redacted_while_a_laptop_polls_leaves_its_store(
        synapse: tuple[Synapse, SeededOrganisation], tmp_path: object) -> None:
    import time as clock
    from pathlib import Path

    from hallway.outbox import Outbox
    from hallway.store import Store
    from hallway.sync import Sync
    assert isinstance(tmp_path, Path)
    homeserver, seeded = synapse
    network = demo(synapse)
    author = next(u for u in seeded.tokens if u not in ("demo", "lobby"))
    token, room = seeded.tokens[author], quote(seeded.everyone)
    spam = str(homeserver.call("PUT", f"/_matrix/client/v3/rooms/{room}/send/m.room.message/s{clock.time_ns()}",
                               token, {"msgtype": "m.text", "body": "Cheap watches, again"})["event_id"])
    store = Store(tmp_path / "laptop.sqlite3", tmp_path / "photos")
    try:
        sync = Sync(store, network, Outbox(store), feed=COMPANY_FEED, notices=False, stream=False, photos_per_pass=0)
        sync.once()
        assert any(p.id == spam for p in store.posts("local", limit=50))
        homeserver.call("PUT", f"/_matrix/client/v3/rooms/{room}/redact/{quote(spam)}/r{clock.time_ns()}", token,
                        {"reason": "spam"})
        homeserver.call("PUT", f"/_matrix/client/v3/rooms/{room}/send/m.room.message/n{clock.time_ns()}", token,
                        {"msgtype": "m.text", "body": "Back to work"})
        sync.once()
        posts = store.posts("local", limit=50)
        assert not any(p.id == spam for p in posts), "moderated away on every laptop"
        assert any(p.text == "Back to work" for p in posts)
    finally:
        store.close()



def test_edits_and_reactions_made_while_a_laptop_was_off_reach_its_store(
        synapse: tuple[Synapse, SeededOrganisation], tmp_path: Path) -> None:
    """A laptop that was off: at its next pass an older post shows its edited words (not the stale
    ones) and its reactions counted, though neither edit nor reaction is a post of its own; and
    reading the same again changes nothing (no count goes up twice)."""
    from hallway.outbox import Outbox
    from hallway.store import Store
    from hallway.sync import Sync

    homeserver, seeded = synapse
    network = demo(synapse)
    author = next(u for u in seeded.tokens if u not in ("demo", "lobby"))
    token, room = seeded.tokens[author], quote(seeded.everyone)
    stamp = time.time_ns()
    original = str(homeserver.call("PUT", f"/_matrix/client/v3/rooms/{room}/send/m.room.message/o{stamp}", token,
                                   {"msgtype": "m.text", "body": f"Standup at 9:30 {stamp}"})["event_id"])
    store = Store(tmp_path / "laptop.sqlite3", tmp_path / "photos")
    try:
        sync = Sync(store, network, Outbox(store), feed=COMPANY_FEED, notices=False, stream=False, photos_per_pass=0)
        sync.once()
        assert store.post(original) is not None and store.post(original).likes == 0  # type: ignore[union-attr]
        # The laptop is off: the author corrects the time, two colleagues react, someone posts.
        homeserver.call("PUT", f"/_matrix/client/v3/rooms/{room}/send/m.room.message/e{stamp}", token, {
            "msgtype": "m.text", "body": f"* Standup at 10:00 {stamp}",
            "m.new_content": {"msgtype": "m.text", "body": f"Standup at 10:00 {stamp}"},
            "m.relates_to": {"rel_type": "m.replace", "event_id": original}})
        fans = [*[u for u in seeded.tokens if u not in ("demo", "lobby", author)][:2], "demo"]
        for number, fan in enumerate(fans):
            homeserver.call("PUT", f"/_matrix/client/v3/rooms/{room}/send/m.reaction/r{stamp}{number}",
                            seeded.tokens[fan], {"m.relates_to": {"rel_type": "m.annotation", "event_id": original,
                                                                  "key": "👍"}})
        homeserver.call("PUT", f"/_matrix/client/v3/rooms/{room}/send/m.room.message/n{stamp}", token,
                        {"msgtype": "m.text", "body": f"Coffee is fixed {stamp}"})
        result = sync.once()
        after = store.post(original)
        assert after is not None and after.text == f"Standup at 10:00 {stamp}", "the edit, not the stale words"
        assert (after.likes, after.liked) == (3, True), "three reactions, one of them the person's"
        assert result.posts_changed >= 1
        again = sync.once()
        assert again.posts_changed == 0 and store.post(original).likes == 3  # type: ignore[union-attr]
    finally:
        store.close()


def test_a_live_edit_and_reaction_come_down_the_stream(synapse: tuple[Synapse, SeededOrganisation]) -> None:
    import threading

    from hallway.networks import StreamEvent
    homeserver, seeded = synapse
    network = demo(synapse)
    author = next(u for u in seeded.tokens if u not in ("demo", "lobby"))
    token, room = seeded.tokens[author], quote(seeded.everyone)
    stamp = time.time_ns()
    original = str(homeserver.call("PUT", f"/_matrix/client/v3/rooms/{room}/send/m.room.message/lo{stamp}", token,
                                   {"msgtype": "m.text", "body": f"Lunch at noon {stamp}"})["event_id"])
    stop = threading.Event()
    seen: list[StreamEvent] = []

    def follow() -> None:
        for event in network.stream(stop):
            seen.append(event)
            if any(e.edit and e.edit.post_id == original for e in seen) and \
                    any(e.reactions and e.reactions.post_id == original for e in seen):
                stop.set()
    reader = threading.Thread(target=follow, daemon=True)
    reader.start()
    time.sleep(1.5)  # the first /sync takes the position
    homeserver.call("PUT", f"/_matrix/client/v3/rooms/{room}/send/m.room.message/le{stamp}", token, {
        "msgtype": "m.text", "body": f"* Lunch at one {stamp}",
        "m.new_content": {"msgtype": "m.text", "body": f"Lunch at one {stamp}"},
        "m.relates_to": {"rel_type": "m.replace", "event_id": original}})
    homeserver.call("PUT", f"/_matrix/client/v3/rooms/{room}/send/m.reaction/lr{stamp}", seeded.tokens["demo"],
                    {"m.relates_to": {"rel_type": "m.annotation", "event_id": original, "key": "👍"}})
    reader.join(40)
    stop.set()
    network.close_stream()
    edits = [e.edit for e in seen if e.edit and e.edit.post_id == original]
    reactions = [e.reactions for e in seen if e.reactions and e.reactions.post_id == original]
    assert edits and edits[-1].text == f"Lunch at one {stamp}"
    assert reactions and (reactions[-1].count, reactions[-1].mine) == (1, True)
    # (the room's other posts may come down the stream too: only the edit's own words are looked for)
    assert not any(e.post and f"one {stamp}" in e.post.text for e in seen), "an edit is no post of its own"


def test_without_extended_profiles_the_directory_is_names_and_photos_and_says_so(
        synapse: tuple[Synapse, SeededOrganisation]) -> None:
    """A server that keeps no MSC4133 fields: the directory comes from the member list in one
    request (names and photos), and what is missing is said in words (doctor, the kiosk's admin)."""
    homeserver, seeded = synapse
    older = OlderServer(homeserver.url)
    try:
        client = HttpClient(attempts=2, sleep=lambda _s: None)
        token = seeded.tokens[seeded.org.accounts[seeded.org.demo_user_id].username]
        network = MatrixNetwork(older.url, token, client)
        network.me()
        before = client.traffic.requests
        people = [c for page in network.directory() for c in page]
        assert len(people) >= 30 and all(c.name and not c.name.startswith("@") for c in people)
        assert not any(c.handle.startswith("lobby:") for c in people), "the lobby is no colleague"
        assert sum(bool(c.photo_url) for c in people) >= len(people) * 0.8, "photos from the member list"
        assert all(c.title == "" for c in people)
        assert client.traffic.requests - before <= 4, "no request per person"
        assert "msc4133_enabled" in network.notes.about(NoteKind.PROFILE_FACTS)
    finally:
        older.stop()


def test_a_directory_refresh_asks_only_for_profiles_that_changed(synapse: tuple[Synapse, SeededOrganisation]) -> None:
    """Profile fields cost a request a person (under Synapse's rc_profile): a second pass with
    what the store holds asks for none, and a person who changed their name is asked again."""
    homeserver, seeded = synapse
    network = demo(synapse)
    client = network.client
    network.me()
    first = {c.id: c for page in network.directory() for c in page}
    assert len(first) >= 30 and all(c.version for c in first.values())
    before = client.traffic.requests
    again = {c.id: c for page in network.directory(first) for c in page}
    assert again == first and client.traffic.requests - before <= 2, "nothing changed: the room's state only"
    renamed = next(u for u, c in first.items() if c.title)
    username = next(name for name, user in seeded.user_ids.items() if user == renamed)
    homeserver.call("PUT", f"/_matrix/client/v3/profile/{quote(renamed)}/displayname", seeded.tokens[username],
                    {"displayname": "Renamed Person"})
    deadline = time.monotonic() + 15  # Synapse carries a new name into each room's member event in the background
    while True:
        before = client.traffic.requests
        third = {c.id: c for page in network.directory(again) for c in page}
        if third[renamed].name == "Renamed Person" or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert third[renamed].name == "Renamed Person" and third[renamed].title == first[renamed].title
    assert client.traffic.requests - before <= 3, "the room's state and the one profile that changed"
    homeserver.call("PUT", f"/_matrix/client/v3/profile/{quote(renamed)}/displayname", seeded.tokens[username],
                    {"displayname": first[renamed].name})


def test_under_the_profile_rate_limit_everyone_is_listed_and_the_facts_follow(
        synapse: tuple[Synapse, SeededOrganisation], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Synapse's rc_profile empties (a big company's first directory): everyone is listed at
    once with name and photo, the pass ends on time, sync comes back within a minute, and the
    facts arrive when the limit allows."""
    from hallway import sync as sync_module
    from hallway.networks import matrix
    from hallway.store import Store
    from hallway.sync import DIRECTORY_EVERY_S, Sync

    homeserver, seeded = synapse
    monkeypatch.setattr(matrix, "PROFILE_BUDGET_S", 1.5)
    proxy = OlderServer(homeserver.url, older=False)
    proxy.profiles_limited.set()
    store = Store(tmp_path / "kiosk.sqlite3", tmp_path / "photos")
    try:
        lobby = seeded.org.accounts[seeded.org.kiosk_account_id].username
        network = MatrixNetwork(proxy.url, seeded.tokens[lobby], HttpClient(attempts=2, sleep=lambda _s: None))
        sync = Sync(store, network, feed=None, notices=False, stream=False)
        started = time.monotonic()
        result = sync.once(directory=True)
        assert time.monotonic() - started < 10 and not result.problems
        people = store.people()
        assert len(people) >= 30 and all(c.name and not c.name.startswith("@") for c in people)
        assert sum(bool(c.photo_url) for c in people) >= len(people) * 0.8, "photos come with the room's state"
        assert sync.directory_found is not None and not sync.directory_found.complete
        assert not any(c.title for c in people)
        assert len(set(proxy.profiles_asked)) <= matrix.FACTS_SAMPLE, \
            "with the limit spent on the day's dozen, nobody else's profile is asked this pass"
        due_in = float(store.get_state("directory_synced_at") or 0) + DIRECTORY_EVERY_S - time.time()
        assert due_in <= sync_module.DIRECTORY_AGAIN_S, "the facts are asked again within a minute"
        proxy.profiles_limited.clear()
        sync.once(directory=True)
        assert sync.directory_found.complete
        assert sum(bool(c.title) for c in store.people()) >= len(people) * 0.8
    finally:
        store.close()
        proxy.stop()


def test_a_check_in_waiting_when_it_replaces_the_kiosk_token_is_not_posted_twice(
        synapse: tuple[Synapse, SeededOrganisation], tmp_path: Path) -> None:
    """Synapse keeps a transaction id per access token: the kiosk's first try landed, its answer
    was lost, and IT gave the kiosk a new token before the retry. The lobby holds it once."""
    from datetime import UTC, datetime

    from hallway.demo.synapse import PASSWORD
    from hallway.model import CheckIn, Colleague, Place
    from hallway.outbox import Outbox
    from hallway.store import Store

    homeserver, seeded = synapse
    org = seeded.org
    lobby = org.accounts[org.kiosk_account_id].username
    person = Colleague(id=seeded.user_ids[org.accounts[org.demo_user_id].username], name="Demo", handle="demo")
    store = Store(tmp_path / "kiosk.sqlite3", tmp_path / "photos")
    try:
        outbox = Outbox(store)
        check_in = CheckIn(person.id, Place("Lisbon"), datetime.now(UTC), shared=True)
        key = outbox.add_check_in(check_in, person)
        old = MatrixNetwork(homeserver.url, seeded.tokens[lobby], HttpClient(attempts=2, sleep=lambda _s: None))
        store.count_attempt(key)
        old.check_in(check_in, person, key)  # it landed; the answer never came back
        new_token = homeserver.call("POST", "/_matrix/client/v3/login", body={
            "type": "m.login.password", "identifier": {"type": "m.id.user", "user": lobby},
            "password": PASSWORD})["access_token"]
        new = MatrixNetwork(homeserver.url, new_token, HttpClient(attempts=2, sleep=lambda _s: None))
        assert outbox.deliver(new).delivered == 1 and outbox.pending_count() == 0
        events = homeserver.call("GET", f"/_matrix/client/v3/rooms/{quote(seeded.lobby)}/messages?dir=b&limit=100",
                                 new_token)["chunk"]
        with_key = [e for e in events if (e.get("content", {}).get("com.hallway.check_in") or {}).get("key") == key]
        assert len(with_key) == 1, "one check-in, not two"
    finally:
        store.close()


def test_doctor_on_a_synapse_as_admins_leave_it_says_what_is_set_and_what_to_change(
        synapse_as_run: AsRun, isolated_home: Path, tmp_path: Path) -> None:
    """Doctor on Matrix: the server answers, the kiosk's token, the three rooms (joined,
    encrypted or not), where profile facts come from, the service flag and the message limit."""
    import os
    import subprocess
    import sys

    run = synapse_as_run
    org = run.seeded.org
    machine = tmp_path / "machine.toml"
    machine.write_text(f'[network]\nkind = "matrix"\nserver = "{run.url}"\n')
    env = os.environ | {"HALLWAY_MACHINE_CONFIG": str(machine)}
    hallway = Path(sys.executable).parent / "hallway"
    token = run.seeded.tokens[org.accounts[org.kiosk_account_id].username]
    stored = subprocess.run([hallway, "set-token", "--kiosk"], input=token + "\n", capture_output=True, text=True,
                            env=env, timeout=60)
    assert stored.returncode == 0, stored.stderr
    doctor = subprocess.run([hallway, "doctor"], capture_output=True, text=True, env=env, timeout=120)
    said = doctor.stdout
    assert "✓ network reachable: Matrix" in said and "✓ kiosk service token: signed in as @lobby" in said, said
    assert "#everyone is end-to-end encrypted" in said, said
    assert "✓   #lobby: joined, not encrypted" in said, said
    assert "profile facts from com.hallway.profile state" in said, said
    assert "profile fields (MSC4133): not kept by this server" in said, said
    assert "is marked as a service" in said and "rc_message" in said, said
    assert "✗   " not in said, "nothing in the set-up stops Hallway"
    assert token[:8] not in said + doctor.stderr


def test_thread_replies_answer_their_root_and_members_who_left_or_were_banned_are_gone(
        synapse: tuple[Synapse, SeededOrganisation]) -> None:
    homeserver, seeded = synapse
    room = quote(seeded.everyone)
    author = next(name for name in seeded.tokens if not name.startswith("@") and name != "lobby")
    token = seeded.tokens[author]
    root = homeserver.call("PUT", f"/_matrix/client/v3/rooms/{room}/send/m.room.message/root{len(seeded.tokens)}",
                           token, {"msgtype": "m.text", "body": "Thread root: who has the projector?"})["event_id"]
    homeserver.call("PUT", f"/_matrix/client/v3/rooms/{room}/send/m.room.message/thread{len(seeded.tokens)}", token,
                    {"msgtype": "m.text", "body": "> <@x:localhost> Thread root\n\nIn the thread: I do",
                     "m.relates_to": {"rel_type": "m.thread", "event_id": root, "is_falling_back": True,
                                      "m.in_reply_to": {"event_id": root}}})
    posts = demo(synapse).feed(HOME_FEED, limit=10).posts
    [answer] = [p for p in posts if "In the thread" in p.text]
    assert answer.reply_to_id == root and answer.text == "In the thread: I do"
    assert next(p for p in posts if p.id == root).reply_to_id is None

    gone: list[str] = []
    owner = seeded.tokens[seeded.org.accounts[seeded.org.demo_user_id].username]
    for number, leaves in enumerate(("leave", "ban")):
        user, their_token = homeserver.register(f"leaver{number}x{len(seeded.tokens)}")
        homeserver.call("POST", f"/_matrix/client/v3/join/{room}", their_token, {})
        assert user in {c.id for page in demo(synapse).directory() for c in page}
        if leaves == "leave":
            homeserver.call("POST", f"/_matrix/client/v3/rooms/{room}/leave", their_token, {})
        else:
            homeserver.call("POST", f"/_matrix/client/v3/rooms/{room}/ban", owner, {"user_id": user})
        gone.append(user)
    assert not set(gone) & {c.id for page in demo(synapse).directory() for c in page}


def test_reactions_are_a_count_on_their_post_not_posts(synapse: tuple[Synapse, SeededOrganisation]) -> None:
    homeserver, seeded = synapse
    room = quote(seeded.everyone)
    author, other = [n for n in seeded.tokens if not n.startswith("@") and n != "lobby"][2:4]
    post = homeserver.call("PUT", f"/_matrix/client/v3/rooms/{room}/send/m.room.message/react{len(seeded.tokens)}",
                           seeded.tokens[author], {"msgtype": "m.text", "body": "Cake in the kitchen"})["event_id"]
    me = demo(synapse)
    me.feed(HOME_FEED, limit=5)  # who am I
    me.react(post, f"react-me-{post}")
    homeserver.call("PUT", f"/_matrix/client/v3/rooms/{room}/send/m.reaction/r{len(seeded.tokens)}",
                    seeded.tokens[other], {"m.relates_to": {"rel_type": "m.annotation", "event_id": post, "key": "🎉"}})
    posts = me.feed(HOME_FEED, limit=10).posts
    [cake] = [p for p in posts if p.id == post]
    assert (cake.likes, cake.liked) == (2, True)
    assert all(p.text.strip() not in ("👍", "🎉") for p in posts), "reactions are no posts"


def test_a_kiosk_with_an_encrypted_lobby_room_shares_nothing_in_plain_text(
        synapse: tuple[Synapse, SeededOrganisation], tmp_path: Path) -> None:
    """An end-to-end encrypted lobby room: sync says why check-ins are not shared (the kiosk then
    asks nobody and queues nothing), and a check-in queued before the room was encrypted is set
    aside with those words instead of going out in plain text."""
    from datetime import UTC, datetime

    from hallway.model import CheckIn, Colleague, Place
    from hallway.outbox import Outbox
    from hallway.store import Store
    from hallway.sync import Sync

    homeserver, seeded = synapse
    lobby_user = next(u for u in seeded.tokens if u.startswith("lobby"))
    token = seeded.tokens[lobby_user]
    lock = {"type": "m.room.encryption", "state_key": "", "content": {"algorithm": "m.megolm.v1.aes-sha2"}}
    room = homeserver.call("POST", "/_matrix/client/v3/createRoom", token,
                           {"name": "Lobby, encrypted", "preset": "private_chat", "initial_state": [lock]})["room_id"]
    network = MatrixNetwork(homeserver.url, token, HttpClient(attempts=2, sleep=lambda _s: None), rooms={"lobby": room})
    store = Store(tmp_path / "hallway.sqlite3", tmp_path / "photos")
    try:
        outbox = Outbox(store)
        person = Colleague(id=seeded.user_ids["demo"], name="Demo Person", handle="demo")
        outbox.add_check_in(CheckIn(person.id, Place("Lisbon"), datetime.now(UTC), shared=True), person)
        sync = Sync(store, network, outbox, feed=None, notices=False, stream=False, writes=("check-ins",))
        result = sync.once()
        assert "lobby room is end-to-end encrypted" in result.refusals["check-ins"]
        assert outbox.pending_count() == 0
        assert [why for _, why in outbox.failed()] == [result.refusals["check-ins"]], "set aside, with the reason"
        events = homeserver.call("GET", f"/_matrix/client/v3/rooms/{quote(room)}/messages?dir=b&limit=20", token)
        assert not [e for e in events["chunk"] if e.get("type") == "m.room.message"], "nothing in plain text"
    finally:
        store.close()


class Counting(HttpClient):
    """The connector's requests, counted by what they ask."""

    def __init__(self) -> None:
        super().__init__(attempts=2, sleep=lambda _s: None)
        self.profiles = 0

    def request(self, method: str, url: str, **options: Any) -> Any:
        if "/profile/" in url:
            self.profiles += 1
        return super().request(method, url, **options)


def test_with_no_facts_anywhere_a_dozen_profiles_are_asked_not_everyone(
        synapse: tuple[Synapse, SeededOrganisation]) -> None:
    """Synapse advertises profile fields whether or not anyone fills them: with no facts anywhere,
    a dozen profiles are asked, not the whole company (once 2,200 rate-limited requests over 28
    minutes), and the admin panel says so; facts people fill in after roll-out arrive the next day."""
    from datetime import date, timedelta

    homeserver, _ = synapse
    # Nobody in the room has facts, the signed-in account included (the seeded people all do).
    _, owner = homeserver.register(f"blankowner{time.time_ns() % 100000}")
    room = homeserver.call("POST", "/_matrix/client/v3/createRoom", owner, {"preset": "public_chat"})["room_id"]
    blank: dict[str, str] = {}
    for number in range(30):
        user, token = homeserver.register(f"blank{number}x{time.time_ns() % 100000}")
        homeserver.call("POST", f"/_matrix/client/v3/join/{quote(room)}", token, {})
        blank[user] = token
    client = Counting()
    network = MatrixNetwork(homeserver.url, owner, client, rooms={"everyone": room})
    found = network.directory({})
    people = {c.id: c for page in found for c in page}
    assert set(blank) <= set(people)
    assert client.profiles <= 13, f"{client.profiles} profile requests"
    assert found.facts_from.startswith("nowhere yet")
    assert "docs/admin.md" in network.notes.about(NoteKind.PROFILE_FACTS)
    again = {c.id: c for page in network.directory(people) for c in page}
    assert client.profiles <= 13, "not asked again the same day"
    filled = list(blank)[:20]  # two thirds fill in their title after roll-out
    for user in filled:
        homeserver.call("PUT", f"/_matrix/client/v3/profile/{quote(user)}/{PREFIX}title", blank[user],
                        {f"{PREFIX}title": "Analyst"})
    network.today = lambda: date.today() + timedelta(days=1)
    found = network.directory(again)
    tomorrow = {c.id: c for page in found for c in page}
    assert sum(tomorrow[u].title == "Analyst" for u in filled) == 20, "picked up the next day"
    assert "profile fields" in found.facts_from and not found.facts_from.startswith("nowhere")


def test_a_rate_limited_drain_counts_down_and_says_slow_not_offline(synapse_as_run: AsRun, tmp_path: Path) -> None:
    """Synapse's default rc_message (10 at once, then one every 5 s): the kiosk's queue count
    dropped only at the very end and the corner said "Offline" while the server was up. Now the
    count drops with each check-in sent, and the state is "sending slowly", never offline."""
    import asyncio
    from datetime import UTC, datetime

    from hallway.model import CheckIn, Colleague, Place
    from hallway.outbox import Outbox
    from hallway.store import Store
    from hallway.sync import Connection, Sync

    run = synapse_as_run
    lobby = run.seeded.org.accounts[run.seeded.org.kiosk_account_id].username
    network = MatrixNetwork(run.url, run.seeded.tokens[lobby], HttpClient())
    store = Store(tmp_path / "kiosk.sqlite3", tmp_path / "photos")
    try:
        outbox = Outbox(store)
        # Visitors nobody else checks in: the company's own people are the other tests' (the first
        # check-in of the day is the one "who is in" keeps).
        domain = run.seeded.user_ids[lobby].split(":", 1)[1]
        people = [f"visitor{n}x{time.time_ns() % 10**9}" for n in range(16)]
        stamp = datetime.now(UTC)
        for username in people:
            person = Colleague(id=f"@{username}:{domain}", name=username, handle=username)
            outbox.add_check_in(CheckIn(person.id, Place("Lisbon"), stamp, shared=True), person)
        sync = Sync(store, network, outbox, feed=None, notices=False, stream=False, writes=("check-ins",))
        counts: list[int] = []
        states: list[Connection] = []
        sync.on_pending = counts.append
        sync.on_connection = states.append

        async def drain() -> None:
            task = asyncio.get_running_loop().create_task(sync.run(300))
            deadline = time.monotonic() + 90
            while outbox.pending_count() and time.monotonic() < deadline:
                await asyncio.sleep(0.2)
            sync.stop()
            await asyncio.wait_for(task, 30)

        asyncio.run(drain())
        assert outbox.pending_count() == 0, "all sent within 90 s"
        assert Connection.SLOW in states and Connection.OFFLINE not in states, states
        between = sorted({c for c in counts if 0 < c < len(people)}, reverse=True)
        assert len(between) >= 4, f"the count moved as it drained: {counts}"
    finally:
        store.close()


def test_room_names_without_a_hash_and_a_laptop_outside_the_lobby_room(
        synapse: tuple[Synapse, SeededOrganisation], tmp_path: Path) -> None:
    """`everyone_room = "everyone"` (no #) is the room IT meant, not "does not exist"; an account
    that never joined the lobby room is told why "In today" is empty, not that nobody is in."""
    from hallway.outbox import Outbox
    from hallway.store import Store
    from hallway.sync import Sync

    homeserver, seeded = synapse
    bare = MatrixNetwork(homeserver.url, seeded.tokens["demo"], HttpClient(attempts=2, sleep=lambda _s: None),
                         rooms={"everyone": "everyone", "announcements": "announcements", "lobby": "lobby"})
    assert bare.room("everyone") == seeded.everyone and len([c for p in bare.directory() for c in p]) >= 30
    _user, token = homeserver.register(f"outside{time.time_ns() % 100000}")
    homeserver.call("POST", f"/_matrix/client/v3/join/{quote(seeded.everyone)}", token, {})
    outside = MatrixNetwork(homeserver.url, token, HttpClient(attempts=2, sleep=lambda _s: None))
    store = Store(tmp_path / "laptop.sqlite3", tmp_path / "photos")
    try:
        result = Sync(store, outside, Outbox(store), feed=COMPANY_FEED, notices=False, stream=False).once()
        [problem] = [p for p in result.problems if p.step == "presence"]
        assert "not a member of the lobby room" in problem.message and "IT adds everyone" in problem.message
    finally:
        store.close()
