"""What `hallway report` read, kept for its next run: a weekly report reads only the new week.

A 60-day report of a 10,000-person company is about 2,000 requests, 40 minutes at Mastodon's
300 requests per 5 minutes; run again over the same period it reads next to nothing
(docs/performance.md, bench/report.py). Kept per server in the person's cache folder, readable by
them alone, in the report's own spirit: no message text, and people only as salted hashes (the
report counts people and pairs; it never needs to know who). Post ids are kept as they are:
they are the network's public numbers, and the report asks about favourites by them.

What is kept is taken as read: a post's favourites as they were when it was first read, a
check-in as posted. ``hallway report --fresh`` reads everything again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import secrets
import sqlite3
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import platformdirs

from hallway.model import Place, Post, Presence

PEOPLE_FRESH_S = 24 * 3600.0  # the directory's head count is read again after a day
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS check_ins (person TEXT NOT NULL, day TEXT NOT NULL, place TEXT NOT NULL,
                                      at TEXT NOT NULL, met TEXT NOT NULL, PRIMARY KEY (person, day, place));
CREATE TABLE IF NOT EXISTS posts (id TEXT PRIMARY KEY, position TEXT NOT NULL, day TEXT NOT NULL,
                                  author TEXT NOT NULL, mentioned TEXT NOT NULL, reply_to TEXT,
                                  favourites INTEGER NOT NULL, fans TEXT);
CREATE INDEX IF NOT EXISTS posts_position ON posts (position);
"""


def default_path(server: str) -> Path:
    name = hashlib.sha256(server.rstrip("/").encode()).hexdigest()[:16]
    return Path(platformdirs.user_cache_dir("hallway", appauthor=False)) / "report" / f"{name}.sqlite3"


class ReportCache:
    """``path`` None: kept in memory for this run only (``--fresh``, tests)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        if path is None:
            self.db = sqlite3.connect(":memory:")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(OSError):
                path.parent.chmod(0o700)
            self.db = sqlite3.connect(path)
            with contextlib.suppress(OSError):
                path.chmod(0o600)
        self.db.executescript(SCHEMA)
        salt = self._meta("salt")
        if salt is None:
            salt = secrets.token_hex(16)
            self._set_meta("salt", salt)
        self._salt = salt.encode()

    def close(self) -> None:
        self.db.close()

    def person(self, person_id: str) -> str:
        """A person as the cache keeps them: the same hash for the same id, not reversible."""
        return hashlib.blake2b(person_id.encode(), key=self._salt, digest_size=10).hexdigest() if person_id else ""

    # ------------------------------------------------------------ the directory's head count

    def people_count(self) -> int | None:
        read_at = float(self._meta("people_at") or 0)
        count = self._meta("people")
        return int(count) if count is not None and time.time() - read_at < PEOPLE_FRESH_S else None

    def keep_people_count(self, count: int) -> None:
        with self.db:
            self._set_meta("people", str(count))
            self._set_meta("people_at", str(time.time()))

    # ------------------------------------------------------------ check-ins

    def check_ins_cover(self) -> tuple[date, date] | None:
        """The days whose check-ins are all kept (from, to), if any."""
        start, end = self._meta("check_ins_from"), self._meta("check_ins_to")
        return (date.fromisoformat(start), date.fromisoformat(end)) if start and end else None

    def keep_check_ins(self, check_ins: Iterable[Presence], cover: tuple[date, date]) -> None:
        with self.db:
            self.db.executemany("INSERT OR IGNORE INTO check_ins VALUES (?, ?, ?, ?, ?)", [
                (self.person(p.colleague_id), (p.day or p.at.date()).isoformat(), p.place.name, p.at.isoformat(),
                 self.person(p.met)) for p in check_ins])
            self._set_meta("check_ins_from", cover[0].isoformat())
            self._set_meta("check_ins_to", cover[1].isoformat())

    def check_ins(self, start: date) -> Iterator[Presence]:
        for person, day, place, at, met in self.db.execute(
                "SELECT person, day, place, at, met FROM check_ins WHERE day >= ? ORDER BY at DESC",
                (start.isoformat(),)):
            yield Presence(person, Place(place), datetime.fromisoformat(at), met, date.fromisoformat(day))

    # ------------------------------------------------------------ the company feed

    def newest_post(self) -> str | None:
        """The newest kept post's position: a later run reads the feed down to it, no further."""
        row = self.db.execute("SELECT max(position) FROM posts").fetchone()
        return str(row[0]) if row and row[0] else None

    def oldest_post(self) -> tuple[str, date] | None:
        """The oldest kept post (its id, as a cursor to read on from, and its day)."""
        row = self.db.execute("SELECT id, day FROM posts ORDER BY position LIMIT 1").fetchone()
        return (str(row[0]), date.fromisoformat(row[1])) if row else None

    @property
    def feed_ended(self) -> bool:
        """The company feed was read to its very first post: there is nothing older to read."""
        return self._meta("feed_ended") == "1"

    def mark_feed_ended(self) -> None:
        with self.db:
            self._set_meta("feed_ended", "1")

    def keep_posts(self, posts: Iterable[Post]) -> None:
        with self.db:
            self.db.executemany("INSERT OR IGNORE INTO posts VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
                (p.id, p.position, p.created_at.date().isoformat(), self.person(p.author_id),
                 json.dumps([self.person(m) for m in p.mentioned]), p.reply_to_id, p.likes,
                 None if p.liked_by is None else json.dumps([self.person(f) for f in p.liked_by]))
                for p in posts])

    def posts(self, start: date) -> Iterator[Post]:
        """Kept posts from ``start`` on, newest first, people as their hashes."""
        for post_id, position, day, author, mentioned, reply_to, likes, fans in self.db.execute(
                "SELECT * FROM posts WHERE day >= ? ORDER BY position DESC", (start.isoformat(),)):
            yield Post(post_id, position, author, "", "", "", "", "",
                       datetime.combine(date.fromisoformat(day), datetime.min.time(), tzinfo=UTC),
                       reply_to_id=reply_to, likes=likes, mentioned=tuple(json.loads(mentioned)),
                       liked_by=None if fans is None else tuple(json.loads(fans)))

    def keep_fans(self, post_id: str, fans: Iterable[str]) -> None:
        with self.db:
            self.db.execute("UPDATE posts SET fans = ? WHERE id = ?",
                            (json.dumps([self.person(f) for f in fans]), post_id))

    # ------------------------------------------------------------ plumbing

    def _meta(self, name: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return str(row[0]) if row else None

    def _set_meta(self, name: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (name, value))
