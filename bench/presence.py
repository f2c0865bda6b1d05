"""Presence at scale: 2,000 people check in at one office through the kiosk's outbox on the demo
network, and a colleague's laptop reads who is in.

Run: python bench/presence.py [--people 2000]
Ends with: ``presence: checkins=N timeline_posts=N self_notifications=N in_today=N in_today_lag_s=X read_s=Y``

- timeline_posts: what a colleague's home and local timelines gained (goal <= 1: the day post);
- self_notifications: notifications the people who checked in received (goal 0);
- in_today: how many of them a colleague's "who is in" lists, by account id (goal: all);
- in_today_lag_s: one more check-in, delivered, to the laptop's store listing it, with the laptop
  syncing as the tray app does while its "In today" tab is open (goal <= 10);
- read_s: how long the laptop's first read of who is in took.
Everything runs on loopback; the server's notifications are counted through its API.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import datetime
from pathlib import Path

import requests

from hallway.demo import server
from hallway.demo.organisation import generate
from hallway.http import HttpClient
from hallway.model import COMPANY_FEED, CheckIn, Colleague, Place, sort_key
from hallway.networks.mastodon import MastodonNetwork
from hallway.outbox import Outbox
from hallway.store import Store
from hallway.sync import Sync

OFFICE = "Lisbon"


def gained(url: str, token: str, path: str, params: dict[str, str], newest: str | None) -> int:
    """Statuses newer than ``newest`` in a timeline, page by page upwards."""
    count, cursor = 0, newest or "0"
    while True:
        page = requests.get(f"{url}{path}", params=params | {"min_id": cursor, "limit": "40"}, timeout=30,
                            headers={"Authorization": f"Bearer {token}"}).json()
        if not page:
            return count
        count += len(page)
        cursor = max((str(s["id"]) for s in page), key=sort_key)


def newest(url: str, token: str, path: str, params: dict[str, str]) -> str | None:
    page = requests.get(f"{url}{path}", params=params | {"limit": "1"}, timeout=30,
                        headers={"Authorization": f"Bearer {token}"}).json()
    return str(page[0]["id"]) if page else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=2000)
    args = parser.parse_args()
    org = generate(seed=5, people=args.people + 20, posts=400)
    network = server.create(org, rate_limit=10**9).start_in_background()
    try:
        run(network, args.people)
    finally:
        network.stop()


def run(network: server.DemoNetwork, count: int) -> None:
    people = [a for a in network.org.accounts.values() if not a.bot and a.id != network.org.demo_user_id]
    coming, colleague = people[:count], network.org.accounts[network.org.demo_user_id]
    reader_token = network.token_for(colleague.username)
    timelines = {"/api/v1/timelines/home": {}, "/api/v1/timelines/public": {"local": "true"}}
    before = {path: newest(network.url, reader_token, path, params) for path, params in timelines.items()}
    notices_before = {a.id: newest(network.url, network.token_for(a.username), "/api/v1/notifications", {})
                      for a in coming}
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "kiosk.sqlite3", Path(folder) / "photos")
        outbox = Outbox(store)
        kiosk = MastodonNetwork(network.url, network.token_for("lobby"), HttpClient(), is_lobby=True)
        for account in coming:
            outbox.add_check_in(CheckIn(account.id, Place(OFFICE), datetime.now().astimezone(), shared=True),
                                Colleague(id=account.id, name=account.display_name, handle=account.username))
        delivery = outbox.deliver(kiosk)
        assert delivery.pending == 0, delivery
        timeline_posts = sum(gained(network.url, reader_token, path, params, before[path])
                             for path, params in timelines.items())
        self_notifications = sum(gained(network.url, network.token_for(a.username), "/api/v1/notifications", {},
                                        notices_before[a.id]) for a in coming)
        laptop_store = Store(Path(folder) / "laptop.sqlite3", Path(folder) / "laptop-photos")
        laptop = MastodonNetwork(network.url, reader_token, HttpClient())
        started = time.perf_counter()
        present = laptop.in_office(datetime.now().astimezone().date())
        read_s = time.perf_counter() - started
        ids = {a.id for a in coming}
        in_today = len([p for p in present if p.colleague_id in ids])
        lag = lag_of_one_more(network, laptop, laptop_store, kiosk, people[count])
        laptop_store.close()
        store.close()
    print(f"presence: checkins={count} timeline_posts={timeline_posts} self_notifications={self_notifications} "
          f"in_today={in_today} in_today_lag_s={lag:.1f} read_s={read_s:.2f}")


def lag_of_one_more(network: server.DemoNetwork, laptop: MastodonNetwork, store: Store, kiosk: MastodonNetwork,
                    latecomer: object) -> float:
    """The laptop syncs as the tray app does with "In today" open; one more check-in arrives."""
    from hallway.demo.organisation import Account
    assert isinstance(latecomer, Account)
    sync = Sync(store, laptop, Outbox(store), feed=COMPANY_FEED, photos_per_pass=0)
    sync.watching_presence = lambda: True
    today = datetime.now().astimezone().date()

    async def drive() -> float:
        task = asyncio.get_running_loop().create_task(sync.run(300))
        try:
            while not store.count_posts("local"):
                await asyncio.sleep(0.1)
            await asyncio.sleep(1.0)  # past the first pass, waiting as it would
            person = Colleague(id=latecomer.id, name=latecomer.display_name, handle=latecomer.username)
            await asyncio.to_thread(kiosk.check_in, CheckIn(latecomer.id, Place(OFFICE), datetime.now().astimezone(),
                                                            shared=True), person, "latecomer")
            delivered = time.monotonic()
            while not any(p.colleague_id == latecomer.id for p in store.presence(today)):
                if time.monotonic() - delivered > 60:
                    return float("inf")
                await asyncio.sleep(0.1)
            return time.monotonic() - delivered
        finally:
            sync.stop()
            await asyncio.wait_for(task, 30)

    return asyncio.run(drive())


if __name__ == "__main__":
    main()
