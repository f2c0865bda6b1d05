"""The outbox against a network in memory (tests/memory_network.py), in milliseconds: every kind
of write reaches the network exactly once whatever is lost on the way, on a network that honours
idempotency keys and on one that ignores them (where the outbox looks before any resend). The
same promises are tested over HTTP against real servers in test_network_contract.py; this is the
fast tier's share of them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, cast

import pytest
from memory_network import MemoryNetwork

from hallway.model import CheckIn, Colleague, Place
from hallway.outbox import TRUST_KEY_S, Outbox
from hallway.store import Store

pytestmark = pytest.mark.fast  # the fast tier: ./run test -m fast

if TYPE_CHECKING:
    from hallway.networks import Network

ANA = Colleague(id="7", name="Ana Lima", handle="ana")
KEYS = {"keys ignored": 0.0, "keys kept an hour": 3600.0}


@pytest.fixture
def outbox(tmp_path: Path) -> Outbox:
    return Outbox(Store(tmp_path / "s.db", tmp_path / "photos"))


def deliver(outbox: Outbox, network: MemoryNetwork) -> None:
    outbox.deliver(cast("Network", network))  # the part of the protocol the outbox uses


QUEUE = {
    "check-in": lambda box: box.add_check_in(CheckIn("7", Place("Lisbon"), datetime.now().astimezone()), ANA),
    "post": lambda box: box.add_post("Lunch at one?"),
    "reply": lambda box: box.add_post("Count me in", reply_to="99"),
    "message": lambda box: box.add_post("@ana hi!", private_to="ana"),
    "reaction": lambda box: box.add_reaction("99"),
    "share": lambda box: box.add_share("99"),
    "dismissal": lambda box: box.add_dismissal("a1"),
}
ON_NETWORK = {"check-in": "check-in", "post": "post", "reply": "post", "message": "message",
              "reaction": "reaction", "share": "share", "dismissal": "dismissal"}


@pytest.mark.parametrize("keys", KEYS.values(), ids=list(KEYS))
@pytest.mark.parametrize("write", QUEUE)
def test_a_write_whose_answer_was_lost_lands_once(outbox: Outbox, write: str, keys: float) -> None:
    """It arrived, its answer did not: tried again (after the time a server keeps its keys, or at
    once where it keeps none), it is on the network once, and the outbox is empty."""
    network = MemoryNetwork(keys_kept_s=keys, faults=["lose"])
    QUEUE[write](outbox)
    deliver(outbox, network)
    assert outbox.pending_count() == 1, "kept: the outbox cannot know it arrived"
    outbox.clock = lambda: datetime.now().timestamp() + TRUST_KEY_S + 1  # later, past any key's life
    deliver(outbox, network)
    assert outbox.pending_count() == 0
    assert len(network.of(ON_NETWORK[write])) == 1, network.written


@pytest.mark.parametrize("keys", KEYS.values(), ids=list(KEYS))
@pytest.mark.parametrize("write", QUEUE)
def test_a_write_refused_on_the_way_goes_when_the_network_is_back(outbox: Outbox, write: str, keys: float) -> None:
    network = MemoryNetwork(keys_kept_s=keys, faults=["refuse"])
    QUEUE[write](outbox)
    deliver(outbox, network)
    assert outbox.pending_count() == 1 and not network.written
    deliver(outbox, network)
    assert outbox.pending_count() == 0 and len(network.of(ON_NETWORK[write])) == 1


def test_within_a_servers_key_window_the_key_alone_keeps_it_once(outbox: Outbox) -> None:
    """Mastodon keeps a key an hour: a retry minutes later is sent again with its key, which the
    server answers with the first post, so nothing is looked up and nothing doubles."""
    network = MemoryNetwork(keys_kept_s=3600.0, faults=["lose"])
    outbox.add_post("Lunch at one?")
    deliver(outbox, network)
    calls = network.calls
    deliver(outbox, network)
    assert outbox.pending_count() == 0 and len(network.of("post")) == 1
    assert network.calls == calls + 1, "one resend with the key, no search"


def test_a_morning_of_check_ins_after_an_outage_each_lands_once(outbox: Outbox) -> None:
    """Twenty check-ins queued offline, and the link flaps as they go: every other answer is lost.
    Each lost answer stops the round (the network looks away); the next round, a few seconds on in
    the app, looks for what may have landed before sending it again."""
    network = MemoryNetwork(keys_kept_s=0.0, faults=["lose", ""] * 10)
    for minute in range(20):
        person = Colleague(id=str(minute), name=f"Person {minute}", handle=f"p{minute}")
        outbox.add_check_in(CheckIn(person.id, Place("Lisbon"), datetime.now().astimezone()), person)
    deliver(outbox, network)
    outbox.clock = lambda: datetime.now().timestamp() + TRUST_KEY_S + 1
    for _ in range(20):
        if outbox.pending_count() == 0:
            break
        deliver(outbox, network)
    assert outbox.pending_count() == 0
    assert sorted(int(w.target) for w in network.of("check-in")) == list(range(20)), "each once"


def test_a_store_from_before_likes_and_shares_keeps_its_queued_share_and_counts(tmp_path: Path) -> None:
    """A laptop updated with a boost still queued and a favourite among its notices (the store's
    words before migration 15): after the update the share reaches the network once, and the
    post and the notice read as a like and a share."""
    import sqlite3

    from hallway.model import NoticeKind
    from hallway.store import MIGRATIONS

    path = tmp_path / "s.db"
    db = sqlite3.connect(path)
    db.executescript("".join(MIGRATIONS[:14]) + "; PRAGMA user_version = 14;")
    db.execute("INSERT INTO posts (feed, id, position, author_id, author_name, author_handle, author_photo_url, text,"
               " html, created_at, url, reply_to_id, favourited, favourites, mentions_me, boosted, boosts, boost_of,"
               " boosted_by, in_thread) VALUES ('local', '99', '0099', '7', 'Ana Lima', 'ana', '', 'Cake!', 'Cake!',"
               " '2026-12-01T09:00:00+00:00', '', NULL, 1, 4, 0, 1, 2, NULL, '', 0)")
    db.execute("INSERT INTO notices (id, position, kind, from_id, from_name, text, created_at, post_id, url)"
               " VALUES ('n1', '0001', 'favourite', '7', 'Ana Lima', '', '2026-12-01T09:00:00+00:00', '99', '')")
    db.execute("INSERT INTO outbox (key, kind, payload, queued_at) VALUES ('k1', 'boost', '{\"post_id\": \"99\"}', ?)",
               (datetime.now().timestamp(),))
    db.commit()
    db.close()
    store = Store(path, tmp_path / "photos")
    post = store.post("99")
    assert post is not None and (post.liked, post.likes, post.shared, post.shares) == (True, 4, True, 2)
    assert [n.kind for n in store.notices()] == [NoticeKind.LIKE]
    network = MemoryNetwork(keys_kept_s=3600.0)
    deliver(Outbox(store), network)
    assert [w.target for w in network.of("share")] == ["99"], network.written
