"""A Salesforce org's people and a laptop's day on Chatter, on the emulator: the kiosk's first
directory pass with a check-in made during it, a refresh with nothing changed, and what one
laptop's tray app costs the org's 24-hour API allocation.

Run: python bench/chatter_sync.py [--people 5000] [--interval 300]
Ends with: ``chatter_sync: people=... directory_s=... directory_requests=... refresh_requests=...
pass_calls=... api_calls_per_laptop_day=... checkin_delivered_s=...``

``directory_*``: the kiosk's first pass (query on User, 2,000 a page); ``refresh_requests``: a
later pass with nothing changed; ``pass_calls``: the API calls of a laptop's steady sync pass
(feed, notices, announcements, who is in); ``api_calls_per_laptop_day``: its first pass plus
eight hours of passes at ``--interval`` seconds (the tray app's pace without a live stream) plus a
directory refresh every six hours, plus the bell's read state as if a mention stayed unread all day
(asked every 20 minutes) and ``--reads`` mentions read in the tray (each marked read in Salesforce).
Profile photos are not API calls. The goal: at most 500 a day.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from hallway.demo.chatter import server
from hallway.demo.chatter.org import create
from hallway.model import COMPANY_FEED
from hallway.networks.chatter import ANNOUNCEMENTS_EVERY_S, READ_STATE_EVERY_S
from hallway.outbox import Outbox
from hallway.store import Store
from hallway.sync import Sync

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from bench.first_pass import with_a_check_in  # noqa: E402 (after the path: run as python bench/NAME.py)

WORKDAY_S = 8 * 3600
STEADY_PASSES = 4


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--interval", type=int, default=300)
    parser.add_argument("--reads", type=int, default=10, help="mentions read in the tray in a day")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, server.start(create(seed=1, people=args.people)) as org:
        os.environ.update(HOME=folder, TMPDIR=folder, XDG_DATA_HOME=folder, XDG_CONFIG_HOME=folder,
                          XDG_CACHE_HOME=folder, XDG_STATE_HOME=folder)
        kiosk = org.network_for("lobby")
        store = Store(Path(folder) / "kiosk.sqlite3", Path(folder) / "photos")
        outbox = Outbox(store)
        sync = Sync(store, kiosk, outbox, feed=None, notices=False, photos_per_pass=0)
        someone = org.network_for("demo").me()
        first = with_a_check_in(sync, outbox, someone, wait_s=60)
        directory_s, checkin_delivered_s = first.directory_s, first.checkin_delivered_s
        directory_requests = org.instance.requests["query"]
        before = org.instance.usage.calls
        sync.read_directory()
        refresh_requests = org.instance.usage.calls - before
        people = store.count_people()
        store.close()

        laptop_store = Store(Path(folder) / "laptop.sqlite3", Path(folder) / "laptop-photos")
        laptop = Sync(laptop_store, org.network_for("demo"), Outbox(laptop_store), feed=COMPANY_FEED, photos_per_pass=0)
        before = org.instance.usage.calls
        laptop.once(directory=True)
        first_pass = org.instance.usage.calls - before
        laptop.once(directory=False)  # the first catch-up turns the first page's post into its cursor
        before = org.instance.usage.calls
        for _ in range(STEADY_PASSES):  # announcements are asked every ten minutes: most passes skip them
            laptop.once(directory=False)
        pass_calls = (org.instance.usage.calls - before) / STEADY_PASSES
        laptop_store.close()
    passes = WORKDAY_S // args.interval
    announcements = WORKDAY_S // ANNOUNCEMENTS_EVERY_S  # the ten-minute asks a day (the passes above made none)
    read_state = WORKDAY_S // READ_STATE_EVERY_S + args.reads  # the bell: asked, and marked read
    per_day = round(first_pass + passes * pass_calls + announcements + read_state
                    + (WORKDAY_S // (6 * 3600)) * refresh_requests)
    print(f"a laptop: first pass {first_pass} calls, then {pass_calls:.1f} a pass, {passes} passes in 8 h")
    print(f"chatter_sync: people={people} directory_s={directory_s:.1f} directory_requests={directory_requests} "
          f"refresh_requests={refresh_requests} pass_calls={pass_calls:.1f} api_calls_per_laptop_day={per_day} "
          f"checkin_delivered_s={checkin_delivered_s:.1f}")


if __name__ == "__main__":
    main()
