"""Celebrations, opt-in only: birthdays (day and month, never the year), work anniversaries and
new joiners (started within 90 days), for people whose profile says they want to be celebrated
(the field IT names, ``fields.celebrate``: "yes"), in an organisation where IT switched the kind
on (``celebrations.kinds``). A weekend's celebrations are shown on the Friday before it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from hallway.model import Colleague

NEW_JOINER_DAYS = 90
YES = {"yes", "y", "true", "on", "1", "ja", "oui", "sí", "si", "sim", "✓", "✔"}
MONTHS = {name: number for number, names in enumerate((
    ("january", "jan", "januar", "janvier", "enero"), ("february", "feb", "februar", "février", "fevrier", "febrero"),
    ("march", "mar", "märz", "maerz", "mars", "marzo"), ("april", "apr", "avril", "abril"),
    ("may", "mai", "mayo"), ("june", "jun", "juni", "juin", "junio"), ("july", "jul", "juli", "juillet", "julio"),
    ("august", "aug", "août", "aout", "agosto"), ("september", "sep", "sept", "septembre", "septiembre"),
    ("october", "oct", "oktober", "okt", "octobre", "octubre"), ("november", "nov", "novembre", "noviembre"),
    ("december", "dec", "dezember", "dez", "décembre", "decembre", "diciembre")), start=1) for name in names}


class Kind(StrEnum):
    BIRTHDAY = "birthdays"
    ANNIVERSARY = "anniversaries"
    NEW_JOINER = "new_joiners"


@dataclass(frozen=True)
class Celebration:
    colleague: Colleague
    kind: Kind
    on: date  # the day itself (a Saturday's birthday, shown on the Friday)
    years: int = 0  # an anniversary's


def birthday(text: str) -> tuple[int, int] | None:
    """(month, day) from a birthday written any common way, the year dropped and never kept:
    "12 May", "May 12", "12. Mai", "05-12" and "--05-12" (month first, as ISO writes it),
    "1990-05-12", "12.05." (day first, as German writes it). None when it cannot be read."""
    text = text.strip().casefold()[:40]
    if match := re.fullmatch(r"(?:\d{4}|-)?-?(\d{1,2})-(\d{1,2})", text):  # 1990-05-12, --05-12, 05-12
        month, day = int(match[1]), int(match[2])
    elif match := re.fullmatch(r"(\d{1,2})\.\s*(\d{1,2})\.?(?:\s*\d{4})?", text):  # 12.05. or 12.05.1990
        day, month = int(match[1]), int(match[2])
    elif match := re.fullmatch(r"(\d{1,2})\.?\s+([^\W\d_]+)\.?(?:,?\s*\d{4})?", text):  # 12 May, 12. Mai 1990
        day, month = int(match[1]), MONTHS.get(match[2], 0)
    elif match := re.fullmatch(r"([^\W\d_]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s*\d{4})?", text):  # May 12
        month, day = MONTHS.get(match[1], 0), int(match[2])
    else:
        return None
    try:
        date(2000, month, day)  # a leap year: 29 February is a birthday
    except ValueError:
        return None
    return month, day


def wants_celebrating(text: str) -> bool:
    return text.strip().casefold() in YES


def kinds_of(setting: str) -> set[Kind]:
    """IT's ``celebrations.kinds``: comma-separated; anything unknown is left out."""
    known = {kind.value: kind for kind in Kind}
    return {known[part.strip()] for part in setting.split(",") if part.strip() in known}


def _days_shown(today: date) -> list[date]:
    """Today, and on a Friday the weekend too."""
    return [today + timedelta(days=n) for n in range(3 if today.weekday() == 4 else 1)]


def _falls_on(month: int, day: int, on: date) -> bool:
    if (month, day) == (2, 29) and not _leap(on.year):
        return (on.month, on.day) == (2, 28)
    return (on.month, on.day) == (month, day)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def celebrations(today: date, people: Iterable[Colleague], kinds: set[Kind]) -> list[Celebration]:
    """What to celebrate today (and on a Friday, over the weekend), for opted-in people only:
    birthdays first, then anniversaries, then new joiners, each by name."""
    found: list[Celebration] = []
    days = _days_shown(today)
    for person in people:
        if not person.celebrate:
            continue
        for on in days:
            if Kind.BIRTHDAY in kinds and person.birthday and _falls_on(*person.birthday, on):
                found.append(Celebration(person, Kind.BIRTHDAY, on))
            started = person.started_on
            if Kind.ANNIVERSARY in kinds and started and on.year > started.year and \
                    _falls_on(started.month, started.day, on):
                found.append(Celebration(person, Kind.ANNIVERSARY, on, on.year - started.year))
        if Kind.NEW_JOINER in kinds and person.started_on and 0 <= (today - person.started_on).days < NEW_JOINER_DAYS:
            found.append(Celebration(person, Kind.NEW_JOINER, person.started_on))
    order = {Kind.BIRTHDAY: 0, Kind.ANNIVERSARY: 1, Kind.NEW_JOINER: 2}
    return sorted(found, key=lambda c: (order[c.kind], c.on, c.colleague.name.casefold()))
