"""First and incremental sync of a large organisation against the demo network.

Run: python bench/sync.py [--people 10000] [--posts 1000]
Ends with: ``sync: people=... first_s=... first_requests=... first_mb=... incremental_s=...
incremental_requests=... store_mb=...``
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from hallway.demo import server
from hallway.demo.organisation import generate
from hallway.http import HttpClient
from hallway.networks.mastodon import MastodonNetwork
from hallway.store import Store
from hallway.sync import Sync


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--posts", type=int, default=1_000)
    args = parser.parse_args()
    network = server.create(generate(seed=1, people=args.people, posts=args.posts),
                            rate_limit=1_000_000).start_in_background()
    with tempfile.TemporaryDirectory() as folder, network:
        client = HttpClient()
        connector = MastodonNetwork(network.url, network.token_for("demo"), client)
        store = Store(Path(folder) / "bench.sqlite3", Path(folder) / "photos")
        sync = Sync(store, connector, backfill=args.posts)
        started = time.perf_counter()
        sync.once(directory=True)
        first_s = time.perf_counter() - started
        first_requests, first_bytes = client.traffic.requests, client.traffic.bytes_in
        # Nothing new: the directory is fresh (it refreshes every 6 hours), so only the feed,
        # notices, announcements and the outbox are asked.
        started = time.perf_counter()
        sync.once()
        incremental_s = time.perf_counter() - started
        incremental_requests = client.traffic.requests - first_requests
        # The 6-hourly directory refresh with nothing changed: conditional GETs, answered 304.
        before = client.traffic.requests
        started = time.perf_counter()
        sync.once(directory=True)
        refresh_s = time.perf_counter() - started
        refresh_requests, not_modified = client.traffic.requests - before, client.traffic.not_modified
        store.close()
        size = sum(p.stat().st_size for p in Path(folder).glob("bench.sqlite3*"))
        print(f"sync: people={store_people(folder)} first_s={first_s:.2f} first_requests={first_requests} "
              f"first_mb={first_bytes / 1e6:.1f} incremental_s={incremental_s:.2f} "
              f"incremental_requests={incremental_requests} store_mb={size / 1e6:.1f} "
              f"directory_refresh_s={refresh_s:.2f} directory_refresh_requests={refresh_requests} "
              f"not_modified={not_modified}")


def store_people(folder: str) -> int:
    store = Store(Path(folder) / "bench.sqlite3", Path(folder) / "photos")
    try:
        return store.count_people()
    finally:
        store.close()


if __name__ == "__main__":
    main()
