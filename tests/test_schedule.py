"""The directory's refresh, as a fleet sees it: never all laptops at once (hallway/schedule.py)."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from hallway import schedule
from hallway.schedule import DirectorySchedule

pytestmark = pytest.mark.fast  # the fast tier: ./run test -m fast

NINE = 1_800_000_000.0  # a Monday 9:00, as epoch seconds


def test_a_first_start_reads_the_directory_at_once() -> None:
    laptop = schedule.laptop("a")
    assert laptop.due(last=0, now=NINE, started=NINE, have_people=False)
    assert laptop.due(last=NINE - 3 * 86400, now=NINE, started=NINE, have_people=False)


def test_a_start_with_people_stored_never_reads_it_in_its_first_minutes() -> None:
    for seed in map(str, range(200)):
        laptop = schedule.laptop(seed)
        overdue = NINE - 3 * 86400  # after a long weekend
        assert not any(laptop.due(overdue, NINE + s, NINE, True) for s in range(0, 15 * 60, 30))


def test_ten_thousand_laptops_booting_in_ten_minutes_spread_their_refresh_over_hours() -> None:
    """After a weekend every laptop's directory is overdue; they boot between 9:00 and 9:10 and
    each reads it at its own moment. The busiest minute has under 1 % of the fleet (at most 100
    of 10,000: at 124 requests each, about 200 requests a second), not all of it."""
    rng = random.Random(33)
    refreshed_at: Counter[int] = Counter()
    for number in range(10_000):
        laptop = schedule.laptop(f"installation-{number}")
        started = NINE + rng.uniform(0, 600)
        minute = next(m for m in range(0, 24 * 60) if laptop.due(NINE - 3 * 86400, started + m * 60, started, True))
        refreshed_at[int((started + minute * 60 - NINE) // 60)] += 1
    assert sum(refreshed_at.values()) == 10_000
    assert max(refreshed_at.values()) <= 100, refreshed_at.most_common(3)
    assert min(refreshed_at) >= 15, "none in the first quarter of an hour"


def test_a_laptop_left_running_reads_it_again_a_day_after_the_last_time() -> None:
    laptop = schedule.laptop("b")
    last = NINE + 3 * 3600
    assert not laptop.due(last, last + 23 * 3600, started=NINE - 86400, have_people=True)
    assert laptop.due(last, last + 24 * 3600 + 1, started=NINE - 86400, have_people=True)


def test_a_pass_that_left_profiles_for_later_goes_on_whatever_the_start() -> None:
    kiosk = DirectorySchedule(every_s=6 * 3600, quiet_s=600)
    last = NINE - 6 * 3600 + 60  # as sync writes it: due a minute after the pass
    assert kiosk.due(last, NINE + 61, started=NINE, have_people=True, unfinished=True)
    assert not kiosk.due(last, NINE + 61, started=NINE, have_people=True)


def test_sync_is_brisk_while_a_polled_feed_is_looked_at_and_slow_while_the_screen_is_locked() -> None:
    from hallway.schedule import Attention, pass_wait

    assert pass_wait(300, Attention.LOOKING, streamed=False) == 60, "a minute: what networks allow for polling"
    assert pass_wait(300, Attention.LOOKING, streamed=True) == 300, "the stream brings news: no more passes"
    assert pass_wait(300, Attention.AROUND, streamed=False) == 300
    assert pass_wait(300, Attention.AWAY, streamed=False) == 1200, "a quarter of the requests while locked"
    assert pass_wait(3600, Attention.AWAY, streamed=True) == 3600, "never sooner than as usual"
    assert pass_wait(900, Attention.AWAY, streamed=False) == 1800, "at most half an hour away"
