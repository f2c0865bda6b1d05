"""First and incremental sync of a large organisation, as the tray app syncs (the company's
feed), against the demo network or mastodon-mock (a Mastodon API written by someone else).

Run: python bench/sync.py [--server demo|mastodon-mock] [--people 10000] [--posts 1000]
Ends with: ``sync: server=... people=... first_s=... first_requests=... first_mb=... incremental_s=...
incremental_requests=... store_mb=...``
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from hallway.demo import server
from hallway.demo.organisation import generate
from hallway.http import HttpClient
from hallway.model import COMPANY_FEED
from hallway.networks.mastodon import MastodonNetwork
from hallway.store import Store
from hallway.sync import Sync

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import mock_mastodon


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--posts", type=int, default=1_000)
    parser.add_argument("--server", choices=("demo", "mastodon-mock"), default="demo")
    args = parser.parse_args()
    org = generate(seed=1, people=args.people, posts=args.posts)
    with tempfile.TemporaryDirectory() as folder:
        if args.server == "demo":
            demo = server.create(org, rate_limit=1_000_000).start_in_background()
            url, token, stop = demo.url, demo.token_for("demo"), demo.stop
        else:
            mock = mock_mastodon.start(org, Path(folder) / "mock", statuses=args.posts)
            url, token, stop = mock.url, mock.token_for("demo"), mock.stop
        try:
            run(args, folder, url, token)
        finally:
            stop()


def run(args: argparse.Namespace, folder: str, url: str, token: str) -> None:
    client = HttpClient()
    connector = MastodonNetwork(url, token, client)
    store = Store(Path(folder) / "bench.sqlite3", Path(folder) / "photos")
    sync = Sync(store, connector, feed=COMPANY_FEED, backfill=args.posts)
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
    print(f"sync: server={args.server} people={store_people(folder)} first_s={first_s:.2f} "
          f"first_requests={first_requests} "
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
