"""The outbox's rows: writes waiting for the network, each with its idempotency key, committed
before the screen says it is done (hallway/outbox.py decides when and how they are sent)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from hallway.store.database import Database


@dataclass(frozen=True)
class QueuedWrite:
    key: str
    kind: str
    payload: dict[str, Any]
    queued_at: float
    attempts: int


class QueuedWrites(Database):
    def queue_write(self, key: str, kind: str, payload: dict[str, Any]) -> None:
        with self.transaction() as db:
            db.execute("INSERT INTO outbox (key, kind, payload, queued_at) VALUES (?, ?, ?, ?)",
                       (key, kind, json.dumps(payload), time.time()))

    def queued_writes(self) -> list[QueuedWrite]:
        """Waiting to be sent, oldest first (neither delivered nor set aside)."""
        rows = self.query("SELECT * FROM outbox WHERE delivered_at IS NULL AND failed IS NULL ORDER BY queued_at")
        return [QueuedWrite(r["key"], r["kind"], json.loads(r["payload"]), r["queued_at"], r["attempts"])
                for r in rows]

    def count_queued_writes(self) -> int:
        return int(self.query("SELECT count(*) FROM outbox WHERE delivered_at IS NULL AND failed IS NULL")[0][0])

    def refused_writes(self) -> list[tuple[str, str]]:
        """(key, why) of the writes set aside: refused by the network, or unreadable."""
        return [(r["key"], r["failed"]) for r in self.query("SELECT key, failed FROM outbox WHERE failed IS NOT NULL")]

    def count_attempt(self, key: str) -> None:
        with self.transaction() as db:
            db.execute("UPDATE outbox SET attempts = attempts + 1 WHERE key = ?", (key,))

    def set_write_aside(self, key: str, why: str) -> None:
        with self.transaction() as db:
            db.execute("UPDATE outbox SET failed = ? WHERE key = ?", (why[:500], key))

    def mark_delivered(self, key: str, remote_id: str) -> None:
        with self.transaction() as db:
            db.execute("UPDATE outbox SET delivered_at = ?, remote_id = ? WHERE key = ?",
                       (time.time(), remote_id, key))

    def forget_delivered_before(self, cutoff: float) -> int:
        with self.transaction() as db:
            return db.execute("DELETE FROM outbox WHERE delivered_at IS NOT NULL AND delivered_at < ?",
                              (cutoff,)).rowcount
