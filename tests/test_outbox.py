"""Check-ins reach the network exactly once: offline, after faults, and across crashes."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path

import requests

from hallway.demo.server import DemoNetwork
from hallway.http import HttpClient, Offline
from hallway.model import CheckIn, Colleague, Place
from hallway.networks.mastodon import MastodonNetwork
from hallway.outbox import Outbox
from hallway.store import Store


def posted(demo: DemoNetwork, marker: str) -> list[dict[str, str]]:
    found: list[dict[str, str]] = requests.get(f"{demo.url}/_demo/statuses", params={"contains": marker},
                                               timeout=5).json()
    return found


def people(n: int, marker: str) -> list[Colleague]:
    return [Colleague(id=str(i), name=f"P{i}", handle=f"{marker}{i:03d}") for i in range(n)]


def test_offline_check_ins_wait_then_go_once(demo: DemoNetwork, tmp_path: Path) -> None:
    counts: list[int] = []
    outbox = Outbox(Store(tmp_path / "s.db", tmp_path / "p"), on_change=counts.append)
    network = MastodonNetwork(demo.url, demo.token_for("lobby"), HttpClient(sleep=lambda s: None))
    for colleague in people(3, "offline"):
        outbox.add_check_in(CheckIn(colleague.id, Place("Lisbon"), datetime.now(UTC), shared=True), colleague)
    assert outbox.pending_count() == 3 and counts[-1] == 3
    requests.post(f"{demo.url}/_demo/faults", json={"path": "/api/v1/statuses", "kind": "503", "count": 40},
                  timeout=5)
    stalled = outbox.deliver(network)
    assert isinstance(stalled.stopped_by, Offline) and stalled.pending == 3
    requests.delete(f"{demo.url}/_demo/faults", timeout=5)
    done = outbox.deliver(network)
    assert (done.delivered, done.pending) == (3, 0)
    # Delivery runs on a worker thread: its count travels in the result (and the sync result), never
    # through on_change, which is the GUI's and is told only when something is queued.
    assert counts == [1, 2, 3]
    assert len(posted(demo, "offline0")) == 3
    assert outbox.deliver(network).delivered == 0


def test_a_refused_item_does_not_block_the_rest(demo: DemoNetwork, tmp_path: Path) -> None:
    outbox = Outbox(Store(tmp_path / "s.db", tmp_path / "p"))
    network = MastodonNetwork(demo.url, demo.token_for("lobby"), HttpClient(sleep=lambda s: None))
    outbox.add_reaction("999999")  # no such post: 404, refused for good
    colleague = people(1, "afterrefusal")[0]
    outbox.add_check_in(CheckIn("0", Place("Lisbon"), datetime.now(UTC), shared=True), colleague)
    result = outbox.deliver(network)
    assert (result.delivered, result.failed, result.pending) == (1, 1, 0)
    assert "404" in outbox.failed()[0][1]


def test_killed_mid_delivery_then_restarted_delivers_each_exactly_once(demo: DemoNetwork, tmp_path: Path) -> None:
    store_path = tmp_path / "kiosk.db"
    marker = f"crash{random.randrange(10**6)}x"
    outbox = Outbox(Store(store_path, tmp_path / "p"))
    for colleague in people(30, marker):
        outbox.add_check_in(CheckIn(colleague.id, Place("Lisbon"), datetime.now(UTC), shared=True), colleague)
    script = textwrap.dedent(f"""
        from pathlib import Path
        from hallway.http import HttpClient
        from hallway.networks.mastodon import MastodonNetwork
        from hallway.outbox import Outbox
        from hallway.store import Store
        outbox = Outbox(Store(Path({str(store_path)!r}), Path({str(tmp_path / "p")!r})))
        network = MastodonNetwork({demo.url!r}, {demo.token_for("lobby")!r}, HttpClient())
        print("delivering", flush=True)
        outbox.deliver(network)
        print("done", flush=True)
    """)
    # Slow the server a little so that kills land between sending and recording, too.
    requests.post(f"{demo.url}/_demo/faults", json={"path": "/api/v1/statuses", "kind": "slow", "delay": 0.05,
                                                    "count": 1000}, timeout=5)
    rng = random.Random(4)
    for _ in range(6):
        process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE)
        assert process.stdout is not None and process.stdout.readline() == b"delivering\n"
        time.sleep(rng.uniform(0.05, 0.4))
        process.send_signal(signal.SIGKILL)
        process.wait()
    requests.delete(f"{demo.url}/_demo/faults", timeout=5)
    final = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert final.returncode == 0 and b"done" in final.stdout
    texts = [p["text"] for p in posted(demo, marker)]
    assert len(texts) == 30 and len(set(texts)) == 30, "every check-in once, none twice"
    assert Outbox(Store(store_path, tmp_path / "p")).pending_count() == 0


def test_a_post_written_offline_is_delivered_once_when_the_network_is_back(demo: DemoNetwork, tmp_path: Path) -> None:
    """A post written in the tray app while the server fails, and the first try's answer lost:
    one status on the network, with the words as typed."""
    outbox = Outbox(Store(tmp_path / "s.db", tmp_path / "p"))
    network = MastodonNetwork(demo.url, demo.token_for("demo"), HttpClient(sleep=lambda s: None))
    outbox.add_post("offlinepost: lunch at 12? <i>anyone</i>")
    requests.post(f"{demo.url}/_demo/faults", json={"path": "/api/v1/statuses", "kind": "503", "count": 40},
                  timeout=5)
    assert isinstance(outbox.deliver(network).stopped_by, Offline) and outbox.pending_count() == 1
    requests.delete(f"{demo.url}/_demo/faults", timeout=5)
    [item] = outbox.pending()
    network.publish(item.payload["text"], item.key)  # it landed, but its answer never came back
    assert outbox.deliver(network).delivered == 1 and outbox.pending_count() == 0
    [status] = posted(demo, "offlinepost")
    assert "<i>anyone</i>" in status["text"], "sent as typed, never as markup"


def test_a_post_retried_after_the_server_forgot_its_key_is_still_one_post(tmp_path: Path) -> None:
    """Mastodon keeps an Idempotency-Key an hour. A post whose first answer was lost, tried again
    after that, is looked for first: one status, not two."""
    from hallway.demo.organisation import generate
    from hallway.demo.server import create

    network = create(generate(seed=9, people=20), rate_limit=1_000_000).start_in_background()
    try:
        outbox = Outbox(Store(tmp_path / "s.db", tmp_path / "p"))
        mastodon = MastodonNetwork(network.url, network.token_for("demo"), HttpClient(sleep=lambda s: None))
        outbox.add_post("latepost: the train is late again")
        [item] = outbox.pending()
        outbox.store.count_attempt(item.key)
        mastodon.publish(item.payload["text"], item.key)  # it landed; its answer never came back
        network.api.clock_offset_s += 3700  # the server has forgotten the key
        outbox.clock = lambda: time.time() + 3700
        assert outbox.deliver(mastodon).delivered == 1 and outbox.pending_count() == 0
        assert len(posted(network, "latepost")) == 1, "found, not sent again"
        assert mastodon.find_post("latepost: a different text", None, datetime.now(UTC)) is None
    finally:
        network.stop()
