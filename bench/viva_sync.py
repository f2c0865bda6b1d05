"""A Viva Engage tenant's directory, read as the kiosk reads it, on the emulator with Microsoft's
documented limits (Yammer: 10 requests per person per app per 30 s; Graph: 429 with Retry-After),
with a check-in made while the directory is still loading.

Run: python bench/viva_sync.py [--people 5000]
Ends with: ``viva_sync: people=... directory_s=... directory_requests=... throttled=...
refresh_requests=... refresh_s=... checkin_delivered_s=...``

``directory_*``: the first pass, everyone with their facts (Graph's delta walk, then each page's
single-user facts twenty to a JSON batch); ``throttled``: answers that told Hallway to wait
(429), from Graph or Yammer; ``refresh_*``: a later pass with nothing changed (Graph's delta link:
the goal is at most 5 requests); ``checkin_delivered_s``: from a check-in made half a second into
the first pass to its reply in the lobby community. The process has its own HOME, TMPDIR and
trust settings; the emulator listens on a free loopback port.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from hallway.demo.viva import server
from hallway.demo.viva.tenant import Quirks, create
from hallway.http import HttpClient
from hallway.outbox import Outbox
from hallway.store import Store
from hallway.sync import Sync

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from bench.first_pass import with_a_check_in  # noqa: E402 (after the path: run as python bench/NAME.py)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ.update(HOME=folder, TMPDIR=folder, XDG_DATA_HOME=folder, XDG_CONFIG_HOME=folder,
                          XDG_CACHE_HOME=folder, XDG_STATE_HOME=folder)
        started = time.perf_counter()
        tenant = create(seed=1, people=args.people, quirks=Quirks())  # Microsoft's documented limits
        seed_s = time.perf_counter() - started
        with server.start(tenant) as emulated:
            os.environ["SSL_CERT_FILE"] = str(emulated.ca.ca_file)  # this process trusts the emulator's CA
            client = HttpClient()
            kiosk = emulated.network_for("lobby", client)
            store = Store(Path(folder) / "kiosk.sqlite3", Path(folder) / "photos")
            outbox = Outbox(store)
            sync = Sync(store, kiosk, outbox, feed=None, notices=False, photos_per_pass=0)
            someone = emulated.network_for("demo").me()
            graph_before = emulated.api.calls["graph"]
            counts: list[int] = []
            first = with_a_check_in(sync, outbox, someone,
                                    counted=lambda: counts.append(emulated.api.calls["graph"] - graph_before))
            directory_s, checkin_delivered_s = first.directory_s, first.checkin_delivered_s
            directory_requests = counts[0]
            graph_before, yammer_before = emulated.api.calls["graph"], emulated.api.calls["yammer"]
            started = time.perf_counter()
            sync.read_directory()
            refresh_s = time.perf_counter() - started
            refresh_requests = (emulated.api.calls["graph"] - graph_before) + (emulated.api.calls["yammer"]
                                                                               - yammer_before)
            people = store.count_people()
            with_facts = sum(bool(c.hobbies) for c in store.people())
            throttled = sum(emulated.api.limits.refused.values()) + client.traffic.rate_limited
            store.close()
    print(f"people listed {people}, with their interests {with_facts}; tenant drawn in {seed_s:.1f} s")
    print(f"viva_sync: people={people} directory_s={directory_s:.1f} directory_requests={directory_requests} "
          f"throttled={throttled} refresh_requests={refresh_requests} refresh_s={refresh_s:.2f} "
          f"checkin_delivered_s={checkin_delivered_s:.1f}")


if __name__ == "__main__":
    main()
