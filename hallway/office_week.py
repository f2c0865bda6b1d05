"""The office week: the days a person plans to be in, this week and next, shared on the network
with its own calls (a Mastodon profile field, a Matrix state event: docs/networks.md) so other
clients can read them, and only by people who chose to share them.

On the network the days are ISO dates, comma-separated ("2026-12-07, 2026-12-10"): readable in a
profile by a person, and by any program, in any language. Reading takes dates only: anything
else in the field (a hand-written "Mondays") is left alone, never guessed at."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta

WEEKS = 2  # this week and next
MOST_DAYS = 14  # a field holding more is cut: nobody plans further ahead here
_ISO_DAY = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


class PastDay(ValueError):
    """A plan for a day that is over (or beyond next week): refused with the words to show."""


def planning_days(today: date) -> list[date]:
    """The working days one can plan: from today to Friday of next week (Monday to Friday)."""
    monday = today - timedelta(days=today.weekday())
    days = [monday + timedelta(days=week * 7 + day) for week in range(WEEKS) for day in range(5)]
    return [day for day in days if day >= today]


def week_of(today: date) -> list[date]:
    """This week's and next week's working days, past ones included (the week view shows them)."""
    monday = today - timedelta(days=today.weekday())
    return [monday + timedelta(days=week * 7 + day) for week in range(WEEKS) for day in range(5)]


def read_days(text: str) -> tuple[date, ...]:
    """The dates in a profile field, sorted, each once; what is not a real date is skipped."""
    found: set[date] = set()
    for year, month, day in _ISO_DAY.findall(text[:1000]):
        try:
            found.add(date(int(year), int(month), int(day)))
        except ValueError:  # 2026-02-30
            continue
    return tuple(sorted(found))[-MOST_DAYS:]


def write_days(days: Iterable[date]) -> str:
    return ", ".join(day.isoformat() for day in sorted(set(days)))


def plan(days: Iterable[date], today: date) -> tuple[date, ...]:
    """The person's chosen days, checked: none past, none beyond next week, no weekend."""
    chosen = sorted(set(days))
    allowed = set(planning_days(today))
    for day in chosen:
        if day < today:
            raise PastDay(f"{day.isoformat()} is over: plans are for today and the days ahead.")
        if day not in allowed:
            raise PastDay(f"{day.isoformat()} is not a working day this week or next.")
    return tuple(chosen)


def planned_on(days: Iterable[date], day: date) -> bool:
    return day in set(days)
