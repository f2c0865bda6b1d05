"""Quiet time: do-not-disturb from the menu, and quiet hours (evenings, weekends) that IT may set
and lock for the whole organisation. Pure functions of the clock, so they are tested by date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from hallway.config import Config
from hallway.store import Store

DND_STATE = "desktop.dnd_until"
# The tray menu's do-not-disturb: three lengths, until tomorrow morning, until turned off.
DND_DURATIONS = {"30min": timedelta(minutes=30), "hour": timedelta(hours=1), "2hours": timedelta(hours=2)}
DND_CHOICES = ("30min", "hour", "2hours", "tomorrow", "on", "off")
FOR_EVER = datetime(9999, 1, 1, tzinfo=UTC)  # "until I turn it off"


def _clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


@dataclass(frozen=True)
class QuietHours:
    enabled: bool = True
    start: time = time(18, 0)
    end: time = time(8, 0)
    weekends: bool = True

    @classmethod
    def of(cls, config: Config) -> QuietHours:
        return cls(config["quiet_hours.enabled"], _clock(config["quiet_hours.start"]),
                   _clock(config["quiet_hours.end"]), config["quiet_hours.weekends"])

    def quiet_at(self, moment: datetime) -> bool:
        if not self.enabled:
            return False
        if self.weekends and moment.weekday() >= 5:
            return True
        now = moment.time()
        if self.start <= self.end:  # e.g. 12:00-14:00
            return self.start <= now < self.end
        return now >= self.start or now < self.end  # across midnight, e.g. 18:00-08:00

    def changes_after(self, moment: datetime, days: int = 8) -> list[datetime]:
        """Every moment after ``moment`` (within ``days``) at which quiet hours may begin or end:
        the day's start and end times, and midnight (weekends), worked out from the clock, not
        probed."""
        if not self.enabled:
            return []
        moments = []
        for offset in range(days + 1):
            day = moment.date() + timedelta(days=offset)
            for clock in (self.start, self.end, time(0, 0)):
                candidate = datetime.combine(day, clock, moment.tzinfo)
                if candidate > moment:
                    moments.append(candidate)
        return sorted(set(moments))

    def next_change(self, moment: datetime) -> datetime | None:
        """When quiet hours next begin or end after ``moment``; None when they never change."""
        now = self.quiet_at(moment)
        return next((when for when in self.changes_after(moment) if self.quiet_at(when) != now), None)

    def ends_after(self, moment: datetime) -> datetime:
        """The first moment after ``moment`` that is not quiet (``moment`` itself when it is not)."""
        if not self.quiet_at(moment):
            return moment
        return self.next_change(moment) or moment


class DoNotDisturb:
    """Timed from the tray menu; remembered in the store so a restart keeps it."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @property
    def until(self) -> datetime | None:
        value = self.store.get_state(DND_STATE)
        return datetime.fromisoformat(value) if value else None

    def active_at(self, moment: datetime) -> bool:
        until = self.until
        return until is not None and moment < until

    def set_until(self, until: datetime | None) -> None:
        self.store.set_state(DND_STATE, until.isoformat() if until else "")

    def for_an_hour(self, now: datetime) -> None:
        self.set_until(now + timedelta(hours=1))

    def until_tomorrow(self, now: datetime, morning: time = time(8, 0)) -> None:
        self.set_until(datetime.combine(now.date() + timedelta(days=1), morning, now.tzinfo))

    def choose(self, choice: str, now: datetime, morning: time = time(8, 0)) -> None:
        """One of ``DND_CHOICES`` from the tray menu."""
        if choice in DND_DURATIONS:
            self.set_until(now + DND_DURATIONS[choice])
        elif choice == "tomorrow":
            self.until_tomorrow(now, morning)
        elif choice == "on":
            self.set_until(FOR_EVER)
        else:
            self.off()

    def choice(self, now: datetime) -> str:
        """Which menu entry describes the do-not-disturb in force (for its tick mark)."""
        until = self.until
        if until is None or until <= now:
            return "off"
        if until >= FOR_EVER:
            return "on"
        left = until - now
        for choice, length in DND_DURATIONS.items():
            if left <= length + timedelta(minutes=1):
                return choice
        return "tomorrow"

    def off(self) -> None:
        self.set_until(None)


@dataclass(frozen=True)
class QuietTime:
    """Both together: is now a time to hold notifications, and until when."""

    hours: QuietHours
    dnd: DoNotDisturb

    def quiet_at(self, moment: datetime) -> bool:
        return self.dnd.active_at(moment) or self.hours.quiet_at(moment)

    def ends_after(self, moment: datetime) -> datetime:
        """The first moment from ``moment`` on that is not quiet."""
        return self.next_change(moment) if self.quiet_at(moment) else moment

    def next_change(self, moment: datetime) -> datetime:
        """When quiet time next begins or ends: the next quiet-hours boundary or the end of
        do-not-disturb at which the answer differs (a week on when nothing changes)."""
        now = self.quiet_at(moment)
        until = self.dnd.until
        candidates = self.hours.changes_after(moment)
        if until is not None and until > moment:
            candidates = sorted({*candidates, until})
        return next((when for when in candidates if self.quiet_at(when) != now), moment + timedelta(days=7))
