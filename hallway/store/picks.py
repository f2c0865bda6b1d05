"""The colleague of the day, remembered, so a second check-in the same day shows the same person."""

from __future__ import annotations

from datetime import date

from hallway.store.database import Database


class Picks(Database):

    def save_pick(self, person_id: str, day: date, colleague_id: str) -> None:
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO picks VALUES (?, ?, ?)", (person_id, day.isoformat(), colleague_id))

    def picks_for(self, person_id: str, before: date) -> dict[date, str]:
        """Who this person was shown on each day before ``before``: the picker's record."""
        rows = self.query("SELECT day, colleague_id FROM picks WHERE person_id = ? AND day < ?",
                          (person_id, before.isoformat()))
        return {date.fromisoformat(r[0]): str(r[1]) for r in rows}

    def pick(self, person_id: str, day: date) -> str | None:
        rows = self.query("SELECT colleague_id FROM picks WHERE person_id = ? AND day = ?",
                          (person_id, day.isoformat()))
        return str(rows[0][0]) if rows else None
