"""What the lobby remembers about the people who pass: linked badges (as salted hashes only),
each person's choice about sharing that they are in, their private quiz streak, and
anonymous head counts. Nothing here is sent anywhere.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from hallway.model import Colleague
from hallway.store import Store

SALT_STATE = "kiosk.badge_salt"


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


class Visitors:
    def __init__(self, store: Store) -> None:
        self.store = store
        salt = store.get_state(SALT_STATE)
        if salt is None:
            salt = secrets.token_hex(16)
            store.set_state(SALT_STATE, salt)
        self._salt = bytes.fromhex(salt)

    # ------------------------------------------------------------ badges

    def badge_hash(self, badge: str) -> str:
        """A keyed hash: the store never holds a badge number, and its hashes are useless elsewhere.
        Deliberately fast (the check-in path has 16 ms); the salt stays on this machine."""
        return hmac.new(self._salt, badge.strip().encode(), hashlib.sha256).hexdigest()

    def badge_owner(self, badge: str) -> str | None:
        rows = self.store.query("SELECT colleague_id FROM badges WHERE hash = ?", (self.badge_hash(badge),))
        return str(rows[0][0]) if rows else None

    def known_person(self, badge: str) -> Colleague | None:
        """Who a badge belongs to, from the lobby's own memory (enough to post a check-in)."""
        rows = self.store.query("SELECT v.colleague_id, v.name, v.handle FROM badges b JOIN visitors v "
                                "ON v.colleague_id = b.colleague_id WHERE b.hash = ?", (self.badge_hash(badge),))
        return Colleague(id=rows[0][0], name=rows[0][1], handle=rows[0][2]) if rows else None

    def link_badge(self, badge: str, colleague: Colleague) -> None:
        with self.store.transaction() as db:
            db.execute("INSERT OR REPLACE INTO badges VALUES (?, ?, ?)",
                       (self.badge_hash(badge), colleague.id, time.time()))

    def linked_badges(self) -> int:
        return int(self.store.query("SELECT count(*) FROM badges")[0][0])

    def linked_people(self) -> list[str]:
        return [str(r[0]) for r in self.store.query("SELECT DISTINCT colleague_id FROM badges")]

    # ------------------------------------------------------------ visitors

    def visitor(self, colleague: Colleague) -> Visitor:
        rows = self.store.query("SELECT * FROM visitors WHERE colleague_id = ?", (colleague.id,))
        if not rows:
            return Visitor(colleague.id, Sharing.ASK, None, None, 0, 0)
        r = rows[0]
        return Visitor(colleague.id, Sharing(r["sharing"]),
                       date.fromisoformat(r["asked_on"]) if r["asked_on"] else None,
                       date.fromisoformat(r["last_visit"]) if r["last_visit"] else None,
                       r["quiz_streak"], r["quiz_best"])

    def _update(self, colleague: Colleague, assignments: str, *values: object) -> None:
        """Creates the visitor's row if needed, then ``UPDATE visitors SET <assignments>``."""
        with self.store.transaction() as db:
            db.execute("INSERT INTO visitors (colleague_id, name, handle) VALUES (?, ?, ?) "
                       "ON CONFLICT (colleague_id) DO UPDATE SET name = excluded.name, handle = excluded.handle",
                       (colleague.id, colleague.name[:200], colleague.handle[:200]))
            db.execute(f"UPDATE visitors SET {assignments} WHERE colleague_id = ?",  # noqa: S608 (fixed text)
                       (*values, colleague.id))

    def record_visit(self, colleague: Colleague, day: date) -> None:
        self._update(colleague, "last_visit = ?", day.isoformat())

    def set_sharing(self, colleague: Colleague, sharing: Sharing, day: date) -> None:
        self._update(colleague, "sharing = ?, asked_on = ?", sharing.value, day.isoformat())

    def record_quiz(self, colleague: Colleague, right: bool) -> int:
        """Returns the new streak: right answers in a row, kept private to the person."""
        streak = self.visitor(colleague).quiz_streak + 1 if right else 0
        self._update(colleague, "quiz_streak = ?, quiz_best = max(quiz_best, ?)", streak, streak)
        return streak

    def leaderboard(self, most: int = 5) -> list[tuple[str, int]]:
        """First names and best streaks: shown only where IT turned the leaderboard on."""
        rows = self.store.query("SELECT name, quiz_best FROM visitors WHERE quiz_best > 0 "
                                "ORDER BY quiz_best DESC, name LIMIT ?", (most,))
        return [(str(r["name"]).split(" ")[0], int(r["quiz_best"])) for r in rows]

    # ------------------------------------------------------------ anonymous head counts

    def count_visit(self, day: date, office: str) -> None:
        with self.store.transaction() as db:
            db.execute("INSERT INTO head_counts VALUES (?, ?, 1) ON CONFLICT (day, office) "
                       "DO UPDATE SET visits = visits + 1", (day.isoformat(), office[:200]))

    def visits(self, day: date, office: str) -> int:
        rows = self.store.query("SELECT visits FROM head_counts WHERE day = ? AND office = ?",
                                (day.isoformat(), office))
        return int(rows[0][0]) if rows else 0

    def forget_before(self, day: date) -> None:
        """The check-in log's retention limit (privacy.checkin_log_days)."""
        with self.store.transaction() as db:
            db.execute("DELETE FROM head_counts WHERE day < ?", (day.isoformat(),))
            db.execute("UPDATE visitors SET last_visit = NULL WHERE last_visit < ?", (day.isoformat(),))
