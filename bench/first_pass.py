"""The kiosk's first pass with a check-in made half a second into it (bench/viva_sync.py and
bench/chatter_sync.py): how long the directory takes, and how soon the check-in is delivered
while it loads. Not a bench of its own."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from hallway.model import CheckIn, Colleague, Place
from hallway.outbox import Outbox
from hallway.sync import Sync


@dataclass
class FirstPass:
    directory_s: float
    checkin_delivered_s: float


def with_a_check_in(sync: Sync, outbox: Outbox, person: Colleague, counted: Callable[[], None] | None = None,
                    wait_s: float = 90.0) -> FirstPass:
    """``sync.once(directory=True)``, a check-in for ``person`` made 0.5 s into it; ``counted``
    runs right after the directory pass (to read the server's counters)."""
    delivered = threading.Event()
    delivered_at: list[float] = []

    def check_in_soon() -> None:
        time.sleep(0.5)
        outbox.add_check_in(CheckIn(person.id, Place("Lisbon"), datetime.now(UTC), shared=True), person)
        sync.now()
        while outbox.pending_count():
            time.sleep(0.05)
        delivered_at.append(time.perf_counter())
        delivered.set()

    checked_in = time.perf_counter() + 0.5
    threading.Thread(target=check_in_soon, daemon=True).start()
    started = time.perf_counter()
    sync.once(directory=True)
    directory_s = time.perf_counter() - started
    if counted is not None:
        counted()
    time.sleep(max(0.0, checked_in + 0.2 - time.perf_counter()))
    if not delivered.wait(0.5):  # the directory was done first: the pass sync.now() asks for
        sync.once(directory=False)
    if not delivered.wait(wait_s):
        raise SystemExit(f"the check-in was not delivered within {wait_s:.0f} s")
    return FirstPass(directory_s, delivered_at[0] - checked_in)
