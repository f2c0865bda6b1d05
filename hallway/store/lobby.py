"""What a kiosk remembers about the people who pass: linked badges (as hashes only; kiosk/
visitors.py makes them), each person's sharing choice and private quiz streak, and anonymous
head counts per day and office. Nothing here is sent anywhere."""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from hallway.model import Colleague
from hallway.store.database import Database


class Sharing(StrEnum):
    """The answer to "Tell colleagues you're in today?", asked on a first check-in."""

    ASK = "ask"  # never asked, or "not now": asked again on another day
    YES = "yes"
    NO = "no"


@dataclass(frozen=True)
class Visitor:
    colleague_id: str
    sharing: Sharing
    asked_on: date | None
    last_visit: date | None
    quiz_streak: int
    quiz_best: int


class Lobby(Database):
    # ------------------------------------------------------------ badges

    def badge_owner_id(self, badge_hash: str) -> str | None:
        rows = self.query("SELECT colleague_id FROM badges WHERE hash = ?", (badge_hash,))
        return str(rows[0][0]) if rows else None

    def badge_visitor(self, badge_hash: str) -> Colleague | None:
        """Who a badge belongs to, from the lobby's own memory (enough to post a check-in)."""
        rows = self.query("SELECT v.colleague_id, v.name, v.handle FROM badges b JOIN visitors v "
                          "ON v.colleague_id = b.colleague_id WHERE b.hash = ?", (badge_hash,))
        return Colleague(id=rows[0][0], name=rows[0][1], handle=rows[0][2]) if rows else None

    def save_badge(self, badge_hash: str, colleague_id: str) -> None:
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO badges VALUES (?, ?, ?)", (badge_hash, colleague_id, time.time()))

    def count_badges(self) -> int:
        return int(self.query("SELECT count(*) FROM badges")[0][0])

    def badge_people(self) -> list[str]:
        return [str(r[0]) for r in self.query("SELECT DISTINCT colleague_id FROM badges")]

    # ------------------------------------------------------------ visitors

    def visitor(self, colleague_id: str) -> Visitor:
        rows = self.query("SELECT * FROM visitors WHERE colleague_id = ?", (colleague_id,))
        return _visitor(rows[0]) if rows else Visitor(colleague_id, Sharing.ASK, None, None, 0, 0)

    def _known_visitor(self, db: sqlite3.Connection, colleague: Colleague) -> None:
        db.execute("INSERT INTO visitors (colleague_id, name, handle) VALUES (?, ?, ?) "
                   "ON CONFLICT (colleague_id) DO UPDATE SET name = excluded.name, handle = excluded.handle",
                   (colleague.id, colleague.name[:200], colleague.handle[:200]))

    def save_visit(self, colleague: Colleague, day: date) -> None:
        with self.transaction() as db:
            self._known_visitor(db, colleague)
            db.execute("UPDATE visitors SET last_visit = ? WHERE colleague_id = ?", (day.isoformat(), colleague.id))

    def save_sharing(self, colleague: Colleague, sharing: Sharing, day: date) -> None:
        with self.transaction() as db:
            self._known_visitor(db, colleague)
            db.execute("UPDATE visitors SET sharing = ?, asked_on = ? WHERE colleague_id = ?",
                       (sharing.value, day.isoformat(), colleague.id))

    def save_quiz_answer(self, colleague: Colleague, right: bool) -> int:
        """Returns the new streak (right answers in a row), read and written in one transaction."""
        with self.transaction() as db:
            self._known_visitor(db, colleague)
            if right:
                db.execute("UPDATE visitors SET quiz_streak = quiz_streak + 1, "
                           "quiz_best = max(quiz_best, quiz_streak + 1) WHERE colleague_id = ?", (colleague.id,))
            else:
                db.execute("UPDATE visitors SET quiz_streak = 0 WHERE colleague_id = ?", (colleague.id,))
            row = db.execute("SELECT quiz_streak FROM visitors WHERE colleague_id = ?", (colleague.id,)).fetchone()
        return int(row[0])

    def quiz_leaders(self, most: int) -> list[tuple[str, int]]:
        """(name, best streak), best first."""
        rows = self.query("SELECT name, quiz_best FROM visitors WHERE quiz_best > 0 "
                          "ORDER BY quiz_best DESC, name LIMIT ?", (most,))
        return [(str(r["name"]), int(r["quiz_best"])) for r in rows]

    # ------------------------------------------------------------ anonymous head counts

    def count_visit(self, day: date, office: str) -> None:
        with self.transaction() as db:
            db.execute("INSERT INTO head_counts (day, office, visits) VALUES (?, ?, 1) ON CONFLICT (day, office) "
                       "DO UPDATE SET visits = visits + 1", (day.isoformat(), office[:200]))

    def count_quiz_play(self, day: date, office: str, right: bool) -> None:
        """A play, counted with no one's name: who played is never kept."""
        with self.transaction() as db:
            db.execute("INSERT INTO head_counts (day, office, visits, quiz_plays, quiz_right) VALUES (?, ?, 0, 1, ?) "
                       "ON CONFLICT (day, office) DO UPDATE SET quiz_plays = quiz_plays + 1, "
                       "quiz_right = quiz_right + excluded.quiz_right", (day.isoformat(), office[:200], int(right)))

    def visits(self, day: date, office: str) -> int:
        rows = self.query("SELECT visits FROM head_counts WHERE day = ? AND office = ?", (day.isoformat(), office))
        return int(rows[0][0]) if rows else 0

    def forget_visits_before(self, day: date) -> None:
        """The check-in log's retention limit (privacy.checkin_log_days)."""
        with self.transaction() as db:
            db.execute("DELETE FROM head_counts WHERE day < ?", (day.isoformat(),))
            db.execute("UPDATE visitors SET last_visit = NULL WHERE last_visit < ?", (day.isoformat(),))


def _visitor(r: sqlite3.Row) -> Visitor:
    return Visitor(r["colleague_id"], Sharing(r["sharing"]),
                   date.fromisoformat(r["asked_on"]) if r["asked_on"] else None,
                   date.fromisoformat(r["last_visit"]) if r["last_visit"] else None,
                   r["quiz_streak"], r["quiz_best"])
