"""Answers kept past a restart (hallway/store/kept.py): a laptop's morning asks "changed since?"
and the server answers with headers, not the whole directory again (#33)."""

from __future__ import annotations

from pathlib import Path

from hallway.demo.server import DemoNetwork
from hallway.http import HttpClient
from hallway.model import HOME_FEED
from hallway.networks.mastodon import MastodonNetwork
from hallway.store import Store
from hallway.store.kept import MAX_KEPT_BYTES
from hallway.sync import Sync


def laptop(network: DemoNetwork, token: str, store: Store) -> tuple[Sync, HttpClient]:
    client = HttpClient(sleep=lambda s: None, kept=store)
    return Sync(store, MastodonNetwork(network.url, token, client), feed=HOME_FEED), client


def test_after_a_restart_the_directory_costs_headers_not_bodies(fresh_demo: DemoNetwork, tmp_path: Path) -> None:
    store, token = Store(tmp_path / "hallway.sqlite3", tmp_path / "photos"), fresh_demo.token_for("demo")
    sync, first = laptop(fresh_demo, token, store)
    sync.once(directory=True)
    people = {c.id for c in store.people()}
    store.close()

    store = Store(tmp_path / "hallway.sqlite3", tmp_path / "photos")  # the next morning: a new process
    served = fresh_demo.server.served
    before = served.not_modified
    sync, again = laptop(fresh_demo, token, store)
    sync.once(directory=True)
    assert {c.id for c in store.people()} == people, "the directory read again is the same directory"
    assert served.not_modified - before >= 1 and again.traffic.not_modified >= 1
    assert again.traffic.bytes_in < first.traffic.bytes_in / 10
    store.close()


def test_one_persons_answer_is_never_anothers(store: Store) -> None:
    store.keep_answer("Bearer alice", "https://social.example/api/v1/timelines/home", '"a"', None, b"[1]")
    assert store.kept_answer("Bearer bob", "https://social.example/api/v1/timelines/home") is None
    kept = store.kept_answer("Bearer alice", "https://social.example/api/v1/timelines/home")
    assert kept is not None and kept[:3] == ('"a"', None, b"[1]")


def test_kept_answers_stay_within_their_cap_keeping_the_newest(store: Store) -> None:
    import os
    for n in range(40):  # 40 x 1 MiB that does not compress
        store.keep_answer("Bearer a", f"https://social.example/{n}", f'"{n}"', None, os.urandom(1024 * 1024))
    assert store.kept_answers_bytes() <= MAX_KEPT_BYTES
    assert store.kept_answer("Bearer a", "https://social.example/39") is not None
    assert store.kept_answer("Bearer a", "https://social.example/0") is None


def test_a_restart_does_not_ask_again_which_server_this_is_or_who_is_signed_in(
        fresh_demo: DemoNetwork, tmp_path: Path) -> None:
    store, token = Store(tmp_path / "hallway.sqlite3", tmp_path / "photos"), fresh_demo.token_for("demo")
    first = MastodonNetwork(fresh_demo.url, token, HttpClient(sleep=lambda s: None, kept=store))
    assert first.me().handle == "demo" and first.lobby_ids()
    store.close()

    store = Store(tmp_path / "hallway.sqlite3", tmp_path / "photos")  # the laptop starts again
    client = HttpClient(sleep=lambda s: None, kept=store)
    again = MastodonNetwork(fresh_demo.url, token, client)
    assert again.me().handle == "demo" and again.lobby_ids() == first.lobby_ids()
    assert again.software().name == first.software().name
    assert client.traffic.requests == 0 and client.traffic.unasked >= 3
    other = MastodonNetwork(fresh_demo.url, fresh_demo.token_for("lobby"), HttpClient(kept=store))
    assert other.me().handle == "lobby", "another sign-in is never answered with this one's"
    store.close()
