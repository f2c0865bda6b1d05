"""The person's office week in the tray app: their days (kept on this computer, and on the
network only when they chose to share them), the colleagues they starred, and one quiet
notification the first time each day a starred colleague checks in."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from desktop.parts.alerts import Alert
from desktop.parts.feed_view import FeedView
from desktop.views.office_week import WeekStrip
from hallway import config as settings
from hallway.model import Colleague
from hallway.office_week import PastDay, plan, read_days, week_of, write_days
from hallway.outbox import Outbox
from hallway.store import Store
from ui.language import fill

if TYPE_CHECKING:
    from desktop.views.feed_window import FeedWindow

MINE_STATE = "office_week.mine"


class WeekPlan(QObject):
    changed = Signal()  # redraw the week
    refused = Signal(str)  # a day that cannot be planned, in words

    def __init__(self, store: Store, config: settings.Config, outbox: Outbox, now: Callable[[], datetime],
                 deliver_soon: Callable[[], None], me: Callable[[], Colleague | None]) -> None:
        super().__init__()
        self.store, self.config, self.outbox, self.now = store, config, outbox, now
        self.deliver_soon, self.me = deliver_soon, me

    def mine(self) -> tuple[date, ...]:
        """The days kept on this computer, and those the network says the person planned (Viva
        Engage: their own work plan in Outlook), in the weeks shown."""
        shown = set(week_of(self.now().date()))
        me = self.me()
        planned = set(read_days(self.store.get_state(MINE_STATE) or "")) | set(me.office_days if me else ())
        return tuple(sorted(d for d in planned if d in shown))

    def sharing(self) -> bool:
        return bool(self.config["office_week.share"])

    def toggle(self, day: date, planned: bool) -> None:
        today = self.now().date()
        days = set(d for d in self.mine() if d >= today)
        days = days | {day} if planned else days - {day}
        try:
            chosen = plan(days, today)
        except PastDay as refusal:
            self.refused.emit(str(refusal))
            self.changed.emit()
            return
        self.store.set_state(MINE_STATE, write_days(chosen))
        if self.sharing():
            self._share(chosen)
        self.changed.emit()

    def reconfigure(self, config: settings.Config) -> None:
        """Sharing switched on sends the plan; switched off takes it back from the network."""
        was, self.config = self.sharing(), config
        if self.sharing() != was:
            self._share(tuple(d for d in self.mine() if d >= self.now().date()) if self.sharing() else ())
        self.changed.emit()

    def _share(self, days: tuple[date, ...]) -> None:
        self.outbox.add_office_days(days)
        self.deliver_soon()

    def office(self) -> str:
        """The person's own office: whose plans the week counts (the directory's, else IT's)."""
        me = self.me()
        return ((me.office if me is not None else "") or self.config["office.name"]).strip()

    def show_in(self, feed_view: FeedView, share: Callable[[bool], None]) -> None:
        """The week in the feed window's "In today" tab: drawn when the window is made and after
        each change; ``share``: the person's choice to share their days, as a setting."""
        def made(window: FeedWindow) -> None:
            window.week.day_toggled.connect(self.toggle)
            window.week.share_toggled.connect(share)
            self.draw(window.week)
        feed_view.built.connect(made)
        self.changed.connect(lambda: feed_view.if_made(lambda window: self.draw(window.week)))

    def draw(self, view: WeekStrip) -> None:
        today = self.now().date()
        me, office = self.me(), self.office().casefold()
        planned = {day: [c for c in self.store.planned_on(day) if (me is None or c.id != me.id)
                         and (not office or c.office.casefold() == office)] for day in week_of(today)}
        view.show_week(today, self.mine(), planned, self.store.starred(), self.sharing(),
                       self.config.is_locked("office_week.share"))

    # ------------------------------------------------------------ stars

    def star(self, colleague: Colleague, starred: bool) -> None:
        self.store.star(colleague.id, starred)
        self.changed.emit()

    def is_starred(self, colleague_id: str) -> bool:
        return colleague_id in self.store.starred()

    def starred_in(self) -> list[Alert]:
        """Starred colleagues who checked in today and were not told about yet (the caller shows
        them and calls ``told``): one notification each a day."""
        today = self.now().date()
        starred, told = self.store.starred(), self._told(today)
        alerts = []
        for presence in self.store.presence(today):
            colleague = self.store.colleague(presence.colleague_id)
            if presence.colleague_id in starred and presence.colleague_id not in told and colleague is not None:
                alerts.append(Alert(fill(self.tr("%1 is in today"), colleague.name),
                                    fill(self.tr("In the %1 office. You starred them in Hallway."),
                                         presence.place.name), "in_office", f"starred:{colleague.id}"))
        return alerts

    def told(self, alert: Alert) -> None:
        today = self.now().date()
        told = self._told(today) | {alert.key.removeprefix("starred:")}
        self.store.set_state(f"office_week.told:{today.isoformat()}", json.dumps(sorted(told)))

    def _told(self, day: date) -> set[str]:
        return set(json.loads(self.store.get_state(f"office_week.told:{day.isoformat()}") or "[]"))
