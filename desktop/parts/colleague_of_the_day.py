"""The colleague of the day on a laptop: once a day, at the first start or unlock after 07:00
local time. The pick is the core's (hallway.picker) from the same directory, so the laptop and
the lobby kiosk show a person the same colleague on the same day; it is remembered, so a
directory change during the day does not change it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from hallway.model import Colleague
from hallway.picker import Population, colleague_of_the_day
from hallway.store import Store

MORNING = time(7, 0)
SHOWN_STATE = "desktop.colleague_shown_on"
ME_STATE = "desktop.me"


class DailyColleague:
    def __init__(self, store: Store, now: Callable[[], datetime] = lambda: datetime.now().astimezone()) -> None:
        self.store, self.now = store, now

    def me(self) -> Colleague | None:
        """The signed-in person, as the directory describes them (their team and office steer the pick)."""
        my_id = self.store.get_state(ME_STATE)
        return self.store.colleague(my_id) if my_id else None

    def remember_me(self, colleague: Colleague) -> None:
        self.store.set_state(ME_STATE, colleague.id)

    def colleague(self, day: date | None = None) -> Colleague | None:
        me = self.me()
        if me is None:
            return None
        day = day or self.now().date()
        # The kiosk's choice, where a shared check-in carries it, is the day's colleague on
        # every device, and so is the record of the days before (hallway.picker, ``shown``).
        at_kiosk = self.store.shown_at_check_in(me.id)
        remembered = self.store.pick(me.id, day)
        known = at_kiosk.get(day) or remembered
        if known and (chosen := self.store.colleague(known)) is not None:
            if known != remembered:
                self.store.save_pick(me.id, day, known)
            return chosen
        shown = {**self.store.picks_for(me.id, day), **{d: c for d, c in at_kiosk.items() if d < day}}
        chosen = colleague_of_the_day(me, day, Population.of(self.store.people()), shown)
        if chosen is not None:
            self.store.save_pick(me.id, day, chosen.id)
        return chosen

    def due(self) -> bool:
        """Time to greet: after 07:00, not yet today, and someone to show."""
        now = self.now()
        if now.time() < MORNING or self.store.get_state(SHOWN_STATE) == now.date().isoformat():
            return False
        return self.me() is not None

    def shown(self) -> None:
        self.store.set_state(SHOWN_STATE, self.now().date().isoformat())

    def next_morning(self) -> datetime:
        """When to look again: 07:00 tomorrow, or today if it is still early."""
        now = self.now()
        day = now.date() if now.time() < MORNING else now.date() + timedelta(days=1)
        return datetime.combine(day, MORNING, now.tzinfo)
