"""The kiosk fetches everyone's face ahead, but never churns (#33): a cache too small for the
company fills once, and later passes fetch nothing to push another face out."""

from __future__ import annotations

from pathlib import Path

from hallway.demo.server import DemoNetwork
from hallway.http import HttpClient
from hallway.networks.mastodon import MastodonNetwork
from hallway.store import Store
from hallway.sync import Sync


def test_a_full_photo_cache_is_not_refilled_for_ever(fresh_demo: DemoNetwork, tmp_path: Path) -> None:
    store = Store(tmp_path / "hallway.sqlite3", tmp_path / "photos", photo_cache_bytes=60 * 1024)
    network = MastodonNetwork(fresh_demo.url, fresh_demo.token_for("lobby"), HttpClient(sleep=lambda s: None))
    kiosk = Sync(store, network, feed=None, notices=False, stream=False, photos_per_pass=400)
    kiosk.once(directory=True)
    assert store.photo_cache_size() > 0
    served = fresh_demo.server.served
    before = served.requests["photos"]
    for _ in range(3):
        kiosk.once(directory=False)
    assert served.requests["photos"] == before, "nothing fetched only to push another face out"
    assert store.photo_cache_size() <= 60 * 1024
    store.close()


def test_a_face_that_failed_is_asked_again_after_a_week_not_before(fresh_demo: DemoNetwork, tmp_path: Path) -> None:
    """A colleague without a photo may add one at the same address (Graph's): a failure is kept a
    week, then the next directory pass lets the face be fetched again; a day-old one is kept."""
    import time

    store = Store(tmp_path / "hallway.sqlite3", tmp_path / "photos")
    network = MastodonNetwork(fresh_demo.url, fresh_demo.token_for("lobby"), HttpClient(sleep=lambda s: None))
    kiosk = Sync(store, network, feed=None, notices=False, stream=False, photos_per_pass=0)
    kiosk.once(directory=True)
    week_old, day_old = store.photos_missing(2)
    for url, age_days in ((week_old, 8), (day_old, 1)):
        store.save_photo_failure(url)
        with store.transaction() as db:
            db.execute("UPDATE photos SET used_at = ? WHERE url = ?", (time.time() - age_days * 86400, url))
    assert week_old not in store.photos_missing(1000) and day_old not in store.photos_missing(1000)
    kiosk.once(directory=True)
    missing = store.photos_missing(1000)
    assert week_old in missing, "asked again after a week"
    assert day_old not in missing, "not every day"
    store.close()
