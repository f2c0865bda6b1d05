"""The time as sync reads it for its schedule (when the directory, who is in and the rest are
due): the computer's clock in the apps, one the tests move, so the fast tier checks a day of
schedules in milliseconds. Real waits (a backoff, the stream's retries) stay on real time."""

from __future__ import annotations

import time
from datetime import datetime


class Clock:
    """Wall time (epoch seconds: what is stored, a copy's age) and monotonic time (intervals: a
    clock set back by NTP never makes a read overdue, nor holds one back)."""

    def time(self) -> float:
        return time.time()

    def monotonic(self) -> float:
        return time.monotonic()

    def now(self) -> datetime:
        """Now, in this computer's time zone."""
        return datetime.now().astimezone()


SYSTEM = Clock()
