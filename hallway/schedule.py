"""When a computer reads the company's directory again: the fleet's heaviest request, so never all
laptops at once.

A whole directory is about 124 requests and 14 MB for 10,000 people. Read every six hours, after a
night it is due on every laptop's first pass, so 10,000 laptops booting between 9:00 and 9:10 would
ask the server for it together. Instead a laptop reads it once a day, never in its first minutes
after a start (what it stored yesterday is shown meanwhile), and each computer has its own moment:
a refresh that is overdue at a start waits for that computer's own offset within a spread window.
A first start, with no one stored yet, reads at once.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hallway.store import Store


@dataclass(frozen=True)
class DirectorySchedule:
    """``every_s``: how old the stored directory may get; ``quiet_s``: never in the first seconds
    after a start that has people stored; ``spread_s``: the window an overdue refresh is spread
    over, each computer at its own offset (from ``seed``, a value kept per installation)."""

    every_s: float = 6 * 3600
    quiet_s: float = 0.0
    spread_s: float = 0.0
    seed: str = ""

    @property
    def offset_s(self) -> float:
        if self.spread_s <= 0:
            return 0.0
        digest = hashlib.sha256(self.seed.encode()).digest()
        return int.from_bytes(digest[:8], "big") % 10_000 / 10_000 * self.spread_s

    def due(self, last: float, now: float, started: float, have_people: bool, unfinished: bool = False) -> bool:
        """Whether to read the directory now; ``last`` and ``started`` are epoch seconds (0: never).
        ``unfinished``: the last pass left profiles for later (a rate limit), so it goes on when
        ``last`` says, start or not."""
        if not have_people or last <= 0:
            return True  # nothing to show without it
        if now - last < self.every_s:
            return False
        return unfinished or now - started >= self.quiet_s + self.offset_s


KIOSK = DirectorySchedule(every_s=6 * 3600, quiet_s=10 * 60)


class Attention(StrEnum):
    """Whether the person is using Hallway now, as the app sees it."""

    LOOKING = "looking"  # the feed window is open
    AROUND = "around"  # the app is in the tray, the person at the computer
    AWAY = "away"  # the screen is locked


LOOKING_POLL_S = 60.0  # a feed with no live stream, while its window is open (networks ask: not more often)
AWAY_FACTOR = 4.0  # while the screen is locked: a quarter of the requests (nobody sees them)
AWAY_MOST_S = 30 * 60.0


def pass_wait(wait_s: float, attention: Attention, streamed: bool) -> float:
    """The wait before the next sync pass, as the person uses the app: brisk while they look at a
    feed that has no live stream; slow while the screen is locked (what comes meanwhile is there
    when they are back: every pass catches up); as it was otherwise."""
    if attention is Attention.AWAY:
        return max(wait_s, min(wait_s * AWAY_FACTOR, AWAY_MOST_S))
    if attention is Attention.LOOKING and not streamed:
        return min(wait_s, LOOKING_POLL_S)
    return wait_s
LAPTOP_EVERY_S = 24 * 3600
LAPTOP_QUIET_S = 15 * 60
LAPTOP_SPREAD_S = 4 * 3600


def installation(store: Store) -> str:
    """A random value kept with this installation's data: its own moment in every spread."""
    seed = store.get_state("installation", "")
    if not seed:
        seed = secrets.token_hex(8)
        store.set_state("installation", seed)
    return seed


def laptop(seed: str) -> DirectorySchedule:
    """A laptop's: once a day, not in its first 15 minutes, an overdue one spread over four hours."""
    return DirectorySchedule(every_s=LAPTOP_EVERY_S, quiet_s=LAPTOP_QUIET_S, spread_s=LAPTOP_SPREAD_S, seed=seed)
