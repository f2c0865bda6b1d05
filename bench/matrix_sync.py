"""First and incremental sync of an organisation on a real Synapse (the Matrix connector).

Run: python bench/matrix_sync.py [--people 150]  (needs matrix-synapse: ./run test installs it)
Ends with: ``matrix_sync: people=... directory_s=... first_s=... first_requests=...
incremental_s=... incremental_requests=...``

Seeding goes through Synapse's client API (about 4 people a second), so the default is modest;
the directory's cost grows with one profile request per person (MSC4133 fields live only there).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from hallway.demo import server
from hallway.demo.organisation import generate
from hallway.demo.synapse import MISSING, company_sign_in, seed, start, synapse_python
from hallway.http import HttpClient
from hallway.networks.matrix import MatrixNetwork
from hallway.store import Store
from hallway.sync import Sync


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=150)
    args = parser.parse_args()
    if synapse_python() is None:
        raise SystemExit(MISSING)
    org = generate(seed=1, people=args.people)
    with tempfile.TemporaryDirectory() as folder, server.create(org).start_in_background() as company:
        homeserver = start(Path(folder), company_sign_in(company))
        try:
            seeded = seed(homeserver, org, posts=100)
            me = org.accounts[org.demo_user_id].username
            client = HttpClient()
            network = MatrixNetwork(homeserver.url, seeded.tokens[me], client)
            started = time.perf_counter()
            people = sum(len(page) for page in network.directory())
            directory_s = time.perf_counter() - started
            client.traffic.requests = 0
            store = Store(Path(folder) / "bench.sqlite3", Path(folder) / "photos")
            sync = Sync(store, network, backfill=100)
            started = time.perf_counter()
            sync.once(directory=True)
            first_s, first_requests = time.perf_counter() - started, client.traffic.requests
            client.traffic.requests = 0
            started = time.perf_counter()
            sync.once()
            incremental_s, incremental_requests = time.perf_counter() - started, client.traffic.requests
            store.close()
        finally:
            homeserver.stop()
    print(f"matrix_sync: people={people} directory_s={directory_s:.2f} first_s={first_s:.2f} "
          f"first_requests={first_requests} incremental_s={incremental_s:.2f} "
          f"incremental_requests={incremental_requests}")


if __name__ == "__main__":
    main()
