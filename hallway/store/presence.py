"""Who shared that they are in the office, per day; a week is kept."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from hallway.model import Place, Presence
from hallway.store.database import Database, to_moment, to_text
from hallway.text import cap


class Presences(Database):

    def save_presence(self, day: date, presences: Iterable[Presence]) -> int:
        """Replace the day's list with what the network says (check-ins it no longer has go)."""
        rows = [(day.isoformat(), p.colleague_id[:200], cap(p.place.name, 200), to_text(p.at), p.met[:200])
                for p in presences]
        with self.transaction() as db:
            db.execute("DELETE FROM presence WHERE day = ?", (day.isoformat(),))
            db.executemany("INSERT OR IGNORE INTO presence (day, colleague_id, office, at, met) VALUES (?, ?, ?, ?, ?)",
                           rows)
            db.execute("DELETE FROM presence WHERE day < ?", ((day - timedelta(days=7)).isoformat(),))
        return len(rows)

    def add_presence(self, day: date, presence: Presence) -> None:
        """One check-in made here, shown at once, before the network has it."""
        with self.transaction() as db:
            db.execute("INSERT OR IGNORE INTO presence (day, colleague_id, office, at, met) VALUES (?, ?, ?, ?, ?)",
                       (day.isoformat(), presence.colleague_id[:200], cap(presence.place.name, 200),
                        to_text(presence.at), presence.met[:200]))

    def presence_of(self, day: date, colleague_id: str) -> Presence | None:
        """One person's check-in on ``day`` (the primary key: the card path reads one row)."""
        rows = self.query("SELECT * FROM presence WHERE day = ? AND colleague_id = ?", (day.isoformat(), colleague_id))
        return _presence(rows[0]) if rows else None

    def shown_at_check_in(self, colleague_id: str) -> dict[date, str]:
        """The colleague of the day each of this person's check-ins of the week kept says the
        kiosk showed them (``met``): the laptop's picker takes them as its record."""
        rows = self.query("SELECT day, met FROM presence WHERE colleague_id = ? AND met != ''", (colleague_id,))
        return {date.fromisoformat(r[0]): str(r[1]) for r in rows}

    def presence(self, day: date, office: str | None = None) -> list[Presence]:
        """Who is in on ``day`` (by account id), earliest first; only one office when it is given."""
        rows = self.query("SELECT * FROM presence WHERE day = ? AND (? IS NULL OR office = ?) ORDER BY at",
                          (day.isoformat(), office, office))
        return [_presence(r) for r in rows]


def _presence(row: sqlite3.Row) -> Presence:
    return Presence(row["colleague_id"], Place(row["office"]), to_moment(row["at"]) or datetime.now(UTC), row["met"])
