"""The company's directory copy (hallway/directory_copy.py, #33): IT exports the directory once,
laptops read that one file (one conditional request a day) instead of paging the network's."""

from __future__ import annotations

import gzip
import http.server
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest

from hallway import config as settings
from hallway import directory_copy
from hallway.demo.server import DemoNetwork
from hallway.http import HttpClient
from hallway.model import Colleague
from hallway.networks.mastodon import MastodonNetwork
from hallway.store import Store
from hallway.sync import Sync

BIN = Path(sys.executable).parent


def hallway(args: list[str], network: DemoNetwork, home: Path, token: str, copy: str = "",
            ) -> subprocess.CompletedProcess[str]:
    machine = home / "machine.toml"
    machine.write_text(f'[network]\nserver = "{network.url}"\n' + (f'directory_copy = "{copy}"\n' if copy else ""))
    env = os.environ | {"HALLWAY_MACHINE_CONFIG": str(machine), "HALLWAY_DATA_DIR": str(home / "data"),
                        "HALLWAY_TOKEN": token}
    return subprocess.run([BIN / "hallway", *args], capture_output=True, text=True, timeout=120, env=env)


class Counted(http.server.SimpleHTTPRequestHandler):
    """IT's web server: a folder served with Last-Modified (Python's own, which answers 304)."""

    statuses: list[int]

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        self.statuses.append(int(code))


@pytest.fixture
def web_folder(tmp_path: Path) -> Iterator[tuple[Path, str, list[int]]]:
    folder = tmp_path / "www"
    folder.mkdir()
    statuses: list[int] = []
    handler = type("Handler", (Counted,), {"statuses": statuses})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield folder, f"http://127.0.0.1:{server.server_address[1]}", statuses
    server.shutdown()
    server.server_close()


def test_laptops_read_the_exported_copy_and_the_next_morning_it_is_not_sent_again(
        fresh_demo: DemoNetwork, tmp_path: Path, web_folder: tuple[Path, str, list[int]]) -> None:
    folder, web, statuses = web_folder
    token = fresh_demo.token_for("demo")
    it = tmp_path / "it"
    it.mkdir()
    exported = hallway(["export-directory", str(folder / "people.json.gz")], fresh_demo, it, token)
    assert exported.returncode == 0, exported.stderr
    listed = {a.id for a in fresh_demo.org.accounts.values() if a.discoverable and not a.bot}
    assert f"{len(listed)} people" in exported.stdout

    served = fresh_demo.server.served
    laptop = tmp_path / "laptop"
    laptop.mkdir()
    before = served.requests["directory"]
    first = hallway(["sync", "--once"], fresh_demo, laptop, token, copy=f"{web}/people.json.gz")
    assert first.returncode == 0, first.stderr
    assert "people from the company's directory copy" in first.stdout, first.stdout
    assert served.requests["directory"] == before, "the laptop did not page the network's directory"
    store = Store(laptop / "data" / "hallway.sqlite3", laptop / "data" / "photos")
    assert {c.id for c in store.people()} == listed
    store.close()

    again = hallway(["sync", "--once"], fresh_demo, laptop, token, copy=f"{web}/people.json.gz")
    assert again.returncode == 0, again.stderr
    assert statuses == [200, 304], "a new process asks 'changed since?' and is told no"
    doctor = hallway(["doctor"], fresh_demo, laptop, token, copy=f"{web}/people.json.gz")
    assert f"people: read from the company's directory copy ({web}/people.json.gz, exported" in doctor.stdout
    assert f"{len(listed)} people" in doctor.stdout


def test_a_copy_of_another_network_is_refused_and_the_network_is_read(fresh_demo: DemoNetwork, tmp_path: Path) -> None:
    copy = tmp_path / "people.json"
    directory_copy.export([Colleague("1", "Somebody Else")], "https://another.example", copy)
    store = Store(tmp_path / "hallway.sqlite3", tmp_path / "photos")
    client = HttpClient(sleep=lambda s: None, kept=store)
    sync = Sync(store, MastodonNetwork(fresh_demo.url, fresh_demo.token_for("demo"), client), feed=None,
                directory_copy=directory_copy.CopySource(str(copy), fresh_demo.url, client))
    result = sync.once(directory=True)
    assert [p.title for p in result.problems] == ["The company's directory copy could not be used"]
    message = result.problems[0].message
    assert "another.example" in message and "network's directory instead" in message
    assert store.count_people() > 1 and store.colleague("1") is None
    store.close()


def person_rows(count: int) -> list[dict[str, object]]:
    return [{"id": str(n), "name": f"Person {n}", "title": "Engineer"} for n in range(count)]


def document(**changes: object) -> bytes:
    base: dict[str, object] = {"format": "hallway-directory", "version": 1, "server": "https://social.example",
                               "exported_at": datetime.now(UTC).isoformat(), "people": person_rows(3)}
    return json.dumps(base | changes).encode()


@pytest.mark.parametrize(("body", "words"), [
    (document(exported_at=(datetime.now(UTC) - timedelta(days=4)).isoformat()), "exported 4 days ago"),
    (document(server="https://elsewhere.example"), "not of https://social.example"),
    (document(version=2), "version 2"),
    (document(people=[]), "lists nobody"),
    (document(people=[{"id": 5}, "text", {"name": "No id"}]), "nobody Hallway can show"),
    (b"<html>login page</html>", "not valid JSON"),
    (b"\x1f\x8b" + b"\x00" * 20, "damaged gzip"),
    (gzip.compress(b" " * (300 * 1024 * 1024)), "unpacks to more than"),
])
def test_a_bad_copy_is_refused_in_words(body: bytes, words: str) -> None:
    with pytest.raises(directory_copy.BadCopy, match=words):
        directory_copy.parse(body, "https://social.example", 50_000, datetime.now(UTC))


def test_hostile_entries_are_skipped_and_capped() -> None:
    rows = [*person_rows(2), {"id": "x", "name": "<b>Bold</b>", "hobbies": "not a list", "birthday": "02-30",
                              "office_days": ["2026-12-07", "soon"], "celebrate": "yes"}, 42]
    copy = directory_copy.parse(document(people=rows), "https://social.example", 50_000, datetime.now(UTC))
    hostile = next(c for c in copy.people if c.id == "x")
    assert hostile.name == "<b>Bold</b>" and hostile.hobbies == () and hostile.birthday is None
    assert [d.isoformat() for d in hostile.office_days] == ["2026-12-07"] and not hostile.celebrate
    assert copy.skipped == 1
    many = directory_copy.parse(document(people=person_rows(500)), "https://social.example", 100, datetime.now(UTC))
    assert len(many.people) == 100, "sync.max_people holds for a copy too"


def test_the_kiosk_writes_the_copy_after_each_read_of_the_directory(
        fresh_demo: DemoNetwork, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    to = tmp_path / "share" / "people.json"
    machine = tmp_path / "machine.toml"
    machine.write_text(f'[network]\nserver = "{fresh_demo.url}"\n[kiosk]\nexport_directory = "{to}"\n')
    monkeypatch.setenv("HALLWAY_MACHINE_CONFIG", str(machine))
    store = Store(tmp_path / "hallway.sqlite3", tmp_path / "photos")
    sync = Sync(store, MastodonNetwork(fresh_demo.url, fresh_demo.token_for("demo")), feed=None,
                exported=directory_copy.exporter(settings.load(), store.people))
    sync.once(directory=True)
    copy = directory_copy.read(str(to), fresh_demo.url, HttpClient(), 50_000)
    assert copy is not None and {c.id for c in copy.people} == {c.id for c in store.people()}
    assert oct(to.stat().st_mode & 0o777) == "0o644", "IT's web server, another user, can read it"
    store.close()
