"""Quiet time: do-not-disturb from the menu, and quiet hours (evenings, weekends) that IT may set
and lock for the whole organisation. Pure functions of the clock, so they are tested by date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from hallway.config import Config
from hallway.store import Store

DND_STATE = "desktop.dnd_until"


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

    def ends_after(self, moment: datetime) -> datetime:
        """The first minute after ``moment`` that is not quiet (within a week)."""
        probe = moment.replace(second=0, microsecond=0) + timedelta(minutes=1)
        for _ in range(8 * 24 * 4):
            if not self.quiet_at(probe):
                return probe
            probe += timedelta(minutes=15) if self.quiet_at(probe + timedelta(minutes=15)) else timedelta(minutes=1)
        return probe


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
        end = moment
        for _ in range(4):  # DND may end inside quiet hours, and the other way round
            until = self.dnd.until
            if until is not None and end < until:
                end = until
            if self.hours.quiet_at(end):
                end = self.hours.ends_after(end)
            if not self.quiet_at(end):
                break
        return end
