"""The kiosk's check-ins the way its machine really fails, counted at the network.

People check in at the lobby (the kiosk's own Lobby, Outbox and Sync, as hallway-kiosk wires
them, without the window) one every 0.25 s while a fault lasts ``--seconds``, then the fault
ends and the bench waits for everything to be delivered. Modes:

- ``flap`` (default): the link flaps (refused, blackholed, cut mid-answer) and the server sends
  a hostile mix (photos that 404);
- ``blackhole``: the link goes dark, open connections included;
- ``trickle``: every answer comes 20 bytes a second;
- ``lock``: another process holds the store's write lock;
- ``disk-full``: the store's disk is full, and whatever room appears (Hallway's own reserve
  included) is taken again at once (a tmpfs of its own where this machine allows mounting one,
  as root; else SQLite is told the file may not grow).

Run: python bench/chaos.py [--mode flap] [--seconds 60] [--people 1000]
Ends with: ``chaos: mode=M promised=N delivered=N lost=0 duplicated=0 recovery_s=X sync_deaths=0 peak_rss_mb=Y``

- promised: check-ins the card told the person about ("checked in", or "not saved yet: it
  keeps trying"; both are promises);
- delivered / lost / duplicated: what the demo network holds at the end, by account, for the
  people promised (each checks in once: a fresh demo, one check-in a person);
- recovery_s: from the fault's end to the last promised check-in delivered (goal <= 15);
- sync_deaths: times the sync task ended while it should have been running (goal 0);
- peak_rss_mb: this process's peak memory (the network runs in a child process of its own).
The network runs on loopback only; every loop here is bounded in time.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

MODES = ("flap", "blackhole", "trickle", "lock", "disk-full")
SERVE = """
import json, sys
from hallway.demo import server
from hallway.demo.organisation import generate
network = server.create(generate(seed=5, people=int(sys.argv[1])), rate_limit=1_000_000).start_in_background()
print(json.dumps({"url": network.url, "token": network.token_for("lobby")}), flush=True)
sys.stdin.read()
network.stop()
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=MODES, default="flap")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long the fault lasts")
    parser.add_argument("--people", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hallway-chaos-") as home:
        for name in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "TMPDIR"):
            os.environ[name] = str(Path(home) / name.lower())
            Path(os.environ[name]).mkdir()
        child = subprocess.Popen([sys.executable, "-c", SERVE, str(args.people)], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, text=True, cwd=ROOT)
        try:
            assert child.stdout is not None
            demo = json.loads(child.stdout.readline())
            print(run(args.mode, demo["url"], demo["token"], Path(home), args.seconds))
        finally:
            assert child.stdin is not None
            child.stdin.close()
            child.wait(30)


@contextlib.contextmanager
def data_folder(home: Path, mode: str) -> Iterator[Path]:
    """Where the kiosk's store lives: a small disk of its own for ``disk-full`` where possible."""
    if mode != "disk-full":
        yield home / "kiosk"
        return
    from disk_faults import small_disk
    with small_disk(home, 64) as mount:
        yield (mount or home) / "kiosk"


def run(mode: str, url: str, token: str, home: Path, seconds: float) -> str:
    import requests
    from disk_faults import fill, lock_held
    from flapping_proxy import FlappingProxy
    from hostile_server import HostileServer

    from hallway.http import HttpClient
    from hallway.networks import mastodon_presence
    from hallway.networks.mastodon import MastodonNetwork
    from hallway.outbox import Outbox
    from hallway.store import Store
    from hallway.sync import Sync
    from kiosk.lobby import Lobby
    from kiosk.visitors import Sharing, Visitors

    with data_folder(home, mode) as folder, HostileServer(url, {"/avatars/": "photo-404"}) as hostile, \
            FlappingProxy(int(hostile.url.rsplit(":", 1)[1]), seed=7) as proxy:
        folder.mkdir(parents=True, exist_ok=True)
        store = Store(folder / "hallway.sqlite3", folder / "photos")
        outbox = Outbox(store)
        network = MastodonNetwork(proxy.url, token, HttpClient(), is_lobby=True)
        sync = Sync(store, network, outbox, feed=None, notices=False, stream=False, photos_per_pass=0)
        sync.once(directory=True)
        visitors = Visitors(store)
        lobby = Lobby(store, outbox, visitors, "Lisbon", quiz="off")
        people = [p for p in lobby.people.values() if p.handle not in ("demo", "lobby")]
        for person in people:
            visitors.set_sharing(person, Sharing.YES, date(2026, 1, 1))
        promised: list[str] = []
        deaths = 0
        recovery_s = 0.0
        fault_over = threading.Event()

        @contextlib.contextmanager
        def fault() -> Iterator[None]:
            """The mode's fault, for as long as the block runs."""
            if mode == "flap":
                proxy.flap((0.5, 3.0), until=fault_over)
                yield
            elif mode in ("blackhole", "trickle"):
                proxy.set(mode)
                yield
                proxy.set("up")
            elif mode == "lock":
                with lock_held(store.path, seconds=seconds + 30):
                    yield
            else:
                on_tmpfs = folder.parent.name == "disk"
                if on_tmpfs:  # something else on the machine keeps taking whatever room appears
                    filling = threading.Event()

                    def keep_filling() -> None:
                        while not filling.wait(0.2):
                            fill(folder.parent)
                    fill(folder.parent)
                    threading.Thread(target=keep_filling, daemon=True).start()
                else:
                    with store.transaction():
                        pages = int(store.db.execute("PRAGMA page_count").fetchone()[0])
                        store.db.execute(f"PRAGMA max_page_count = {pages}")
                yield
                if on_tmpfs:
                    filling.set()
                    time.sleep(0.3)
                    (folder.parent / "filler").unlink()
                else:
                    with store.transaction():
                        store.db.execute("PRAGMA max_page_count = 1073741823")
            fault_over.set()

        async def drive() -> None:
            nonlocal deaths, recovery_s
            loop = asyncio.get_running_loop()
            task = loop.create_task(sync.run(30.0))
            await asyncio.sleep(0.5)
            with fault():
                end = time.monotonic() + seconds
                last_retry = time.monotonic()
                while time.monotonic() < end and len(promised) < len(people):
                    if task.done():  # supervised sync never ends by itself: count it and start again
                        deaths += 1
                        task = loop.create_task(sync.run(30.0))
                    person = people[len(promised)]
                    arrival = lobby.arrive(person, by_badge=True)
                    lobby.settle(arrival)  # SAVED or HELD: either way the card promised it
                    promised.append(person.id)
                    sync.deliver_soon()  # as the kiosk does after each check-in
                    if time.monotonic() - last_retry >= 1.0:  # the window's retry timer
                        lobby.retry_held()
                        last_retry = time.monotonic()
                    await asyncio.sleep(0.25)
            back = time.monotonic()
            while lobby.held or outbox.pending_count():
                if time.monotonic() - back > 300:
                    break
                if task.done():
                    deaths += 1
                    task = loop.create_task(sync.run(30.0))
                if lobby.retry_held():
                    sync.deliver_soon()
                await asyncio.sleep(0.05)
            recovery_s = time.monotonic() - back
            sync.stop()
            await asyncio.wait_for(task, 30)

        asyncio.run(drive())
        lobby.give_up_held()
        store.close()
    found = requests.get(f"{url}/_demo/statuses", params={"contains": "hallway:in?"}, timeout=60).json()
    accounts: dict[str, int] = {}
    for status in found:
        marked = mastodon_presence.read(str(status.get("text", "")))
        if marked is not None and marked.kind == "in":
            accounts[marked.account] = accounts.get(marked.account, 0) + 1
    delivered = sum(1 for person in promised if accounts.get(person))
    duplicated = sum(accounts.get(person, 0) - 1 for person in promised if accounts.get(person, 0) > 1)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return (f"chaos: mode={mode} promised={len(promised)} delivered={delivered} lost={len(promised) - delivered} "
            f"duplicated={duplicated} recovery_s={recovery_s:.1f} sync_deaths={deaths} peak_rss_mb={peak_mb:.0f}")


if __name__ == "__main__":
    main()
