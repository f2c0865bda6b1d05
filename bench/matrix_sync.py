"""The company directory on a Synapse run as admins leave it: Synapse's default rate limits,
seeded as IT would (the admin API), read as the kiosk reads it, with a check-in made while
the directory is still loading.

Run: python bench/matrix_sync.py [--people 2000] [--facts state|profile|none]
  (needs matrix-synapse: ./run test installs it)
Ends with: ``matrix_sync: people=... directory_s=... directory_requests=... rate_limited=...
facts=... profile_requests=... listed_s=... refresh_requests=... refresh_s=... checkin_delivered_s=... seed_s=...``

- ``--facts state``: the facts are ``com.hallway.profile`` state in the company room, read with
  the room's state in one request.
- ``--facts profile``: the facts are profile fields (MSC4133), one request a person under
  Synapse's ``rc_profile`` (one a second after a burst of 500); the kiosk's passes follow each
  other at once here, where the app waits a minute between them (the bucket refills meanwhile).
- ``--facts none``: nobody has facts anywhere (Synapse still advertises profile fields): what
  finding that out costs, in ``profile_requests`` (every ``/profile/`` request of the first pass
  and the refresh; the goal is at most 50).

``listed_s``: everyone listed with name and photo; ``directory_s``: everyone's facts in;
``refresh_*``: a later pass with nothing changed; ``checkin_delivered_s``: from a check-in made
half a second into the first pass to its arrival in the lobby room.
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hallway.demo.organisation import generate
from hallway.demo.synapse import MISSING, seed_as_admin, start, synapse_python
from hallway.http import Answer, HttpClient
from hallway.model import CheckIn, Colleague, Place
from hallway.networks.matrix import MatrixNetwork
from hallway.outbox import Outbox
from hallway.store import Store
from hallway.sync import Sync


class ProfilesCounted(HttpClient):
    """The requests a pass makes, the profile requests among them counted apart."""

    def __init__(self) -> None:
        super().__init__()
        self.profiles = 0

    def request(self, method: str, url: str, **options: Any) -> Answer:
        if "/profile/" in url:
            self.profiles += 1
        return super().request(method, url, **options)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--facts", choices=("state", "profile", "none"), default="state")
    args = parser.parse_args()
    if synapse_python() is None:
        raise SystemExit(MISSING)
    org = generate(seed=1, people=args.people, posts=200)
    with tempfile.TemporaryDirectory() as folder:
        homeserver = start(Path(folder), as_run=True)
        try:
            started = time.perf_counter()
            seeded = seed_as_admin(homeserver, org, posts=50, facts=args.facts)
            seed_s = time.perf_counter() - started
            lobby = org.accounts[org.kiosk_account_id].username
            client = ProfilesCounted()
            network = MatrixNetwork(homeserver.url, seeded.tokens[lobby], client)
            store = Store(Path(folder) / "kiosk.sqlite3", Path(folder) / "photos")
            delivered = threading.Event()
            delivered_at: list[float] = []
            outbox = Outbox(store)
            sync = Sync(store, network, outbox, feed=None, notices=False, photos_per_pass=0)
            someone = next(a for a in org.accounts.values() if not a.bot)
            person = Colleague(id=seeded.user_ids[someone.username], name=someone.display_name,
                               handle=seeded.user_ids[someone.username].lstrip("@"))

            def check_in_soon() -> None:
                time.sleep(0.5)
                outbox.add_check_in(CheckIn(person.id, Place("Lisbon"), datetime.now(UTC), shared=True), person)
                sync.now()
                while outbox.pending_count():  # the kiosk's "sending…" goes when this reaches 0
                    time.sleep(0.05)
                delivered_at.append(time.perf_counter())
                delivered.set()

            checked_in = time.perf_counter() + 0.5
            maker = threading.Thread(target=check_in_soon, daemon=True)
            maker.start()
            started = time.perf_counter()
            sync.once(directory=True)
            listed_s = time.perf_counter() - started
            while sync.directory_found is None or not sync.directory_found.complete:  # facts still to come: on
                sync.once(directory=True)
            directory_s, directory_requests = time.perf_counter() - started, client.traffic.requests
            time.sleep(max(0.0, checked_in + 0.2 - time.perf_counter()))
            if not delivered.wait(0.5):  # the directory was done first: the pass sync.now() asks for
                sync.once(directory=False)
            if not delivered.wait(60):
                raise SystemExit("matrix_sync: the check-in was not delivered within a minute")
            checkin_delivered_s = delivered_at[0] - checked_in
            rate_limited = client.traffic.rate_limited
            client.traffic.requests = 0
            started = time.perf_counter()
            sync.once(directory=True)
            refresh_s, refresh_requests = time.perf_counter() - started, client.traffic.requests
            people = store.count_people()
            with_facts = sum(bool(c.title) for c in store.people())
            store.close()
        finally:
            homeserver.stop()
    print(f"people listed {people}, with a title {with_facts}")
    print(f"matrix_sync: people={people} directory_s={directory_s:.1f} directory_requests={directory_requests} "
          f"rate_limited={rate_limited} facts={args.facts} profile_requests={client.profiles} listed_s={listed_s:.1f} "
          f"refresh_requests={refresh_requests} refresh_s={refresh_s:.2f} "
          f"checkin_delivered_s={checkin_delivered_s:.1f} seed_s={seed_s:.0f}")


if __name__ == "__main__":
    main()
