"""What the lobby remembers about the people who pass, in the lobby's words: badges are kept
only as keyed hashes made here (the salt never leaves this machine), sharing choices, private
quiz streaks and anonymous head counts. The rows live in the store (hallway/store/lobby.py);
nothing here is sent anywhere.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import date

from hallway.model import Colleague
from hallway.store import Sharing, Store, Visitor

SALT_STATE = "kiosk.badge_salt"

__all__ = ["SALT_STATE", "Sharing", "Visitor", "Visitors"]


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
        return self.store.badge_owner_id(self.badge_hash(badge))

    def known_person(self, badge: str) -> Colleague | None:
        """Who a badge belongs to, from the lobby's own memory (enough to post a check-in)."""
        return self.store.badge_visitor(self.badge_hash(badge))

    def link_badge(self, badge: str, colleague: Colleague) -> None:
        self.store.save_badge(self.badge_hash(badge), colleague.id)

    def linked_badges(self) -> int:
        return self.store.count_badges()

    def linked_people(self) -> list[str]:
        return self.store.badge_people()

    # ------------------------------------------------------------ visitors

    def visitor(self, colleague: Colleague) -> Visitor:
        return self.store.visitor(colleague.id)

    def record_visit(self, colleague: Colleague, day: date) -> None:
        self.store.save_visit(colleague, day)

    def set_sharing(self, colleague: Colleague, sharing: Sharing, day: date) -> None:
        self.store.save_sharing(colleague, sharing, day)

    def record_quiz(self, colleague: Colleague, right: bool) -> int:
        """Returns the new streak: right answers in a row, kept private to the person."""
        return self.store.save_quiz_answer(colleague, right)

    def leaderboard(self, most: int = 5) -> list[tuple[str, int]]:
        """First names and best streaks: shown only where IT turned the leaderboard on."""
        return [(name.split(" ")[0], best) for name, best in self.store.quiz_leaders(most)]

    # ------------------------------------------------------------ anonymous head counts

    def count_visit(self, day: date, office: str) -> None:
        self.store.count_visit(day, office)

    def count_quiz_play(self, day: date, office: str, right: bool) -> None:
        self.store.count_quiz_play(day, office, right)

    def visits(self, day: date, office: str) -> int:
        return self.store.visits(day, office)

    def forget_before(self, day: date) -> None:
        """The check-in log's retention limit (privacy.checkin_log_days)."""
        self.store.forget_visits_before(day)
