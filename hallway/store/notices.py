"""Notices (mentions, replies, likes) and announcements: each shown once, never twice."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from datetime import UTC, datetime

from hallway.model import Announcement, Notice, NoticeKind
from hallway.store.database import Database, to_moment, to_text
from hallway.text import cap


class Notices(Database):

    def save_notices(self, notices: Iterable[Notice]) -> list[Notice]:
        """Store new notices; returns only those not seen before (never shown twice)."""
        fresh: list[Notice] = []
        with self.transaction() as db:
            for n in notices:
                cursor = db.execute(
                    "INSERT OR IGNORE INTO notices (id, position, kind, from_id, from_name, text, created_at, post_id,"
                    " url, thread_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (n.id, n.position, n.kind.value, n.from_id, cap(n.from_name, 200), cap(n.text, 2000),
                     to_text(n.created_at), n.post_id, n.url[:2000], n.thread_id))
                if cursor.rowcount:
                    fresh.append(n)
        return fresh

    def notices(self, limit: int = 50) -> list[Notice]:
        rows = self.query("SELECT * FROM notices ORDER BY position DESC LIMIT ?", (limit,))
        return [_notice(r) for r in rows]

    def mark_notices_shown(self, ids: Iterable[str]) -> None:
        with self.transaction() as db:
            db.executemany("UPDATE notices SET shown_at = ? WHERE id = ?", [(time.time(), i) for i in ids])

    def unshown_notices(self) -> list[Notice]:
        """Notices no notification has told the person about yet, oldest first."""
        rows = self.query("SELECT * FROM notices WHERE shown_at IS NULL ORDER BY position")
        return [_notice(r) for r in rows]

    def save_announcements(self, announcements: Iterable[Announcement]) -> list[Announcement]:
        """Replace the list (ended ones disappear); returns those new to this computer."""
        current = list(announcements)
        with self.transaction() as db:
            known = {r["id"] for r in db.execute("SELECT id FROM announcements")}
            db.execute(f"DELETE FROM announcements WHERE id NOT IN ({','.join('?' * len(current))})",  # noqa: S608
                       [a.id for a in current])
            for a in current:
                db.execute("INSERT INTO announcements (id, text, html, published_at, dismissed) VALUES (?, ?, ?, ?, ?)"
                           " ON CONFLICT (id) DO UPDATE SET text = excluded.text, html = excluded.html,"
                           " dismissed = excluded.dismissed",
                           (a.id, cap(a.text, 5000), a.html[:10_000], to_text(a.published_at), int(a.dismissed)))
        return [a for a in current if a.id not in known]

    def unshown_announcements(self) -> list[Announcement]:
        rows = self.query("SELECT * FROM announcements WHERE dismissed = 0 AND shown_at IS NULL "
                          "ORDER BY published_at DESC")
        return [_announcement(r) for r in rows]

    def mark_announcements_shown(self, ids: Iterable[str]) -> None:
        with self.transaction() as db:
            db.executemany("UPDATE announcements SET shown_at = ? WHERE id = ?", [(time.time(), i) for i in ids])

    def dismiss_announcement(self, announcement_id: str) -> None:
        """Gone from this computer at once; the outbox tells the network."""
        with self.transaction() as db:
            db.execute("UPDATE announcements SET dismissed = 1 WHERE id = ?", (announcement_id,))

    def announcements(self, include_dismissed: bool = False) -> list[Announcement]:
        where = "" if include_dismissed else "WHERE dismissed = 0"
        rows = self.query(f"SELECT * FROM announcements {where} ORDER BY published_at DESC")  # noqa: S608
        return [_announcement(r) for r in rows]


def _announcement(r: sqlite3.Row) -> Announcement:
    return Announcement(r["id"], r["text"], r["html"], to_moment(r["published_at"]), bool(r["dismissed"]))


def _notice(r: sqlite3.Row) -> Notice:
    return Notice(r["id"], r["position"], NoticeKind(r["kind"]), r["from_id"], r["from_name"], r["text"],
                  to_moment(r["created_at"]) or datetime.now(UTC), r["post_id"], r["url"], r["thread_id"])

