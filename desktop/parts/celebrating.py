"""The day's celebrations on a laptop: one notification on the day (birthdays, work
anniversaries, new joiners of the person's office, for people who said yes), held while quiet."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import QObject

from desktop.parts.alerts import Alert
from hallway import config as settings
from hallway.celebrations import celebrations, kinds_of
from hallway.store import Store
from ui.language import Cheers

TOLD_STATE = "celebrations.told"


class Celebrating(QObject):
    def __init__(self, store: Store, config: settings.Config, now: Callable[[], datetime],
                 office: Callable[[], str]) -> None:
        super().__init__()
        self.store, self.config, self.now, self.office = store, config, now, office
        self._nobody_on: date | None = None  # a day already looked at and found nobody to celebrate

    def reconfigure(self, config: settings.Config) -> None:
        self.config = config

    def due(self, people_changed: bool = False) -> Alert | None:
        """Today's, once: None when IT celebrates nothing, when already told, or nobody today
        (the directory is looked through again only when it changed, not at every sync)."""
        kinds = kinds_of(self.config["celebrations.kinds"])
        today = self.now().date()
        if not kinds or self.store.get_state(TOLD_STATE) == today.isoformat() or (
                self._nobody_on == today and not people_changed):
            return None
        office = self.office().casefold()
        people = [c for c in self.store.people() if not office or c.office.casefold() == office]
        lines = Cheers().lines(celebrations(today, people, kinds), today)
        if not lines:
            self._nobody_on = today
            return None
        return Alert(self.tr("Celebrating today"), "\n".join(lines), "feed", f"celebrations:{today.isoformat()}")

    def told(self) -> None:
        self.store.set_state(TOLD_STATE, self.now().date().isoformat())
