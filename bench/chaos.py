"""The kiosk's sync under a flapping network: check-ins keep coming while the link between the
kiosk and the demo network flaps (refused, blackholed, cut mid-answer) and the server sends a
hostile mix (photos that 404, invalid JSON now and then).

Run: python bench/chaos.py [--seconds 60] [--people 300]
Ends with: ``chaos: checkins=N delivered=N lost=0 duplicated=0 sync_deaths=0 recovery_s=X peak_rss_mb=Y``

- checkins: accepted by the outbox (one every 0.25 s while the network flaps);
- delivered / lost / duplicated: what the demo network holds at the end, by each check-in's text;
- sync_deaths: times the sync task ended while it should have been running (the goal: 0);
- recovery_s: from the network's return to the last pending check-in delivered (goal <= 15);
- peak_rss_mb: this process's peak memory: the kiosk's sync, store and outbox (the demo network
  runs in a child process of its own), goal <= 200.
The network runs on loopback only, in a child process; every loop here is bounded in time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

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
    parser.add_argument("--seconds", type=float, default=60.0, help="how long the network flaps")
    parser.add_argument("--people", type=int, default=300)
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
            print(run(demo["url"], demo["token"], Path(home), args.seconds))
        finally:
            assert child.stdin is not None
            child.stdin.close()
            child.wait(30)


def run(url: str, token: str, home: Path, seconds: float) -> str:
    import requests
    from flapping_proxy import FlappingProxy
    from hostile_server import HostileServer

    from hallway.http import HttpClient
    from hallway.model import CheckIn, Colleague, Place
    from hallway.networks.mastodon import MastodonNetwork
    from hallway.outbox import Outbox
    from hallway.store import Store
    from hallway.sync import Sync

    store = Store(home / "hallway.sqlite3", home / "photos")
    outbox = Outbox(store)
    marker = f"chaos{int(time.time())}"
    with HostileServer(url, {"/avatars/": "photo-404"}) as hostile, \
            FlappingProxy(int(hostile.url.rsplit(":", 1)[1]), seed=7) as proxy:
        network = MastodonNetwork(proxy.url, token, HttpClient())
        sync = Sync(store, network, outbox, feed=None, notices=False, stream=False, photos_per_pass=400)
        flapping = threading.Event()
        proxy.flap((0.5, 3.0), until=flapping)
        deaths = 0
        accepted = 0
        recovery_s = 0.0

        async def drive() -> None:
            nonlocal deaths, accepted, recovery_s
            loop = asyncio.get_running_loop()
            task = loop.create_task(sync.run(30.0))
            end = time.monotonic() + seconds
            number = 0
            while time.monotonic() < end:
                if task.done():  # supervised sync never ends by itself: count it and start again
                    deaths += 1
                    task = loop.create_task(sync.run(30.0))
                person = Colleague(id=str(number), name=f"P{number}", handle=f"{marker}x{number:05d}")
                outbox.add_check_in(CheckIn(person.id, Place("Lisbon"), datetime.now(UTC), shared=True), person)
                accepted += 1
                number += 1
                sync.now()  # as the kiosk does after each check-in
                await asyncio.sleep(0.25)
            flapping.set()  # the network comes back, for good
            back = time.monotonic()
            while outbox.pending_count():
                if time.monotonic() - back > 300:
                    break
                if task.done():
                    deaths += 1
                    task = loop.create_task(sync.run(30.0))
                await asyncio.sleep(0.05)
            recovery_s = time.monotonic() - back
            sync.stop()
            await asyncio.wait_for(task, 30)

        asyncio.run(drive())
    found = requests.get(f"{url}/_demo/statuses", params={"contains": marker}, timeout=30).json()
    texts = [str(status.get("text", "")) for status in found]
    handles = {f"{marker}x{n:05d}" for n in range(accepted)}
    counts = {h: sum(1 for t in texts if f"/users/{h}\n" in t) for h in handles}  # the check-in links the profile
    delivered = sum(1 for c in counts.values() if c)
    duplicated = sum(c - 1 for c in counts.values() if c > 1)
    store.close()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return (f"chaos: checkins={accepted} delivered={delivered} lost={accepted - delivered} duplicated={duplicated} "
            f"sync_deaths={deaths} recovery_s={recovery_s:.1f} peak_rss_mb={peak_mb:.0f}")


if __name__ == "__main__":
    main()
