"""The local copy: one SQLite file that both apps draw from, so screens are instant and
survive the network going away.

WAL journaling with ``synchronous=FULL``: a committed write survives a crash or power cut,
and a crash mid-write leaves the last committed state (SQLite's transactions). The schema
is versioned with ``PRAGMA user_version`` and migrated forward on open. One connection and
one lock: every write goes through this one writer.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import threading
import time
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import platformdirs

from hallway.model import Announcement, Colleague, Notice, NoticeKind, Place, Post, Presence
from hallway.text import cap

APP = "hallway"

MIGRATIONS: tuple[str, ...] = (
    # 1: everything the apps show, the outbox and sync state
    """
    CREATE TABLE people (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, handle TEXT NOT NULL, pronouns TEXT NOT NULL,
        title TEXT NOT NULL, team TEXT NOT NULL, office TEXT NOT NULL, hobbies TEXT NOT NULL,
        ask_me_about TEXT NOT NULL, started_on TEXT, bio TEXT NOT NULL, photo_url TEXT NOT NULL,
        profile_url TEXT NOT NULL, discoverable INTEGER NOT NULL, opted_out INTEGER NOT NULL DEFAULT 0,
        synced_at REAL NOT NULL, search_key TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX people_name ON people (name COLLATE NOCASE);
    CREATE TABLE photos (url TEXT PRIMARY KEY, file TEXT NOT NULL, bytes INTEGER NOT NULL, used_at REAL NOT NULL);
    CREATE TABLE posts (
        feed TEXT NOT NULL, id TEXT NOT NULL, position INTEGER NOT NULL, author_id TEXT NOT NULL,
        author_name TEXT NOT NULL, author_handle TEXT NOT NULL, author_photo_url TEXT NOT NULL,
        text TEXT NOT NULL, html TEXT NOT NULL, created_at TEXT NOT NULL, url TEXT NOT NULL,
        reply_to_id TEXT, favourited INTEGER NOT NULL, favourites INTEGER NOT NULL, mentions_me INTEGER NOT NULL,
        PRIMARY KEY (feed, id)
    );
    CREATE INDEX posts_position ON posts (feed, position);
    CREATE TABLE notices (
        id TEXT PRIMARY KEY, position INTEGER NOT NULL, kind TEXT NOT NULL, from_id TEXT NOT NULL,
        from_name TEXT NOT NULL, text TEXT NOT NULL, created_at TEXT NOT NULL, post_id TEXT, url TEXT NOT NULL,
        shown_at REAL
    );
    CREATE TABLE announcements (
        id TEXT PRIMARY KEY, text TEXT NOT NULL, html TEXT NOT NULL, published_at TEXT,
        dismissed INTEGER NOT NULL DEFAULT 0, shown_at REAL
    );
    CREATE TABLE picks (person_id TEXT NOT NULL, day TEXT NOT NULL, colleague_id TEXT NOT NULL,
                        PRIMARY KEY (person_id, day));
    CREATE TABLE outbox (
        key TEXT PRIMARY KEY, kind TEXT NOT NULL, payload TEXT NOT NULL, queued_at REAL NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0, delivered_at REAL, remote_id TEXT, failed TEXT
    );
    CREATE INDEX outbox_pending ON outbox (delivered_at, failed, queued_at);
    CREATE TABLE state (name TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # 2: who is in the office today (both apps), and the lobby's own memory (kiosk/visitors.py):
    # badges only as salted hashes, each visitor's sharing choice and private quiz streak, and
    # anonymous head counts per day
    """
    CREATE TABLE presence (day TEXT NOT NULL, handle TEXT NOT NULL, office TEXT NOT NULL, at TEXT NOT NULL,
                           PRIMARY KEY (day, handle));
    CREATE TABLE badges (hash TEXT PRIMARY KEY, colleague_id TEXT NOT NULL, linked_at REAL NOT NULL);
    CREATE TABLE visitors (
        colleague_id TEXT PRIMARY KEY, name TEXT NOT NULL, handle TEXT NOT NULL,
        sharing TEXT NOT NULL DEFAULT 'ask', asked_on TEXT, last_visit TEXT,
        quiz_streak INTEGER NOT NULL DEFAULT 0, quiz_best INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX people_handle ON people (handle);
    CREATE TABLE head_counts (day TEXT NOT NULL, office TEXT NOT NULL, visits INTEGER NOT NULL,
                              PRIMARY KEY (day, office));
    """,
)

TEXT_CAPS = {"name": 200, "handle": 200, "pronouns": 40, "title": 200, "team": 200, "office": 200,
             "ask_me_about": 500, "bio": 2000}


DATA_DIR_ENV = "HALLWAY_DATA_DIR"  # the demo keeps its store apart from a real one


def default_path() -> Path:
    if os.environ.get(DATA_DIR_ENV):
        return Path(os.environ[DATA_DIR_ENV]) / "hallway.sqlite3"
    return Path(platformdirs.user_data_dir(APP, appauthor=False)) / "hallway.sqlite3"


def default_photo_dir() -> Path:
    if os.environ.get(DATA_DIR_ENV):
        return Path(os.environ[DATA_DIR_ENV]) / "photos"
    return Path(platformdirs.user_cache_dir(APP, appauthor=False)) / "photos"


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat()


def _moment(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


LOCK_WAIT_S = 5.0
RECOVERED_STATE = "store.recovered"


class StoreLocked(Exception):
    """Another process holds the store's write lock for longer than a moment."""

    def __init__(self, path: Path, holders: list[str]) -> None:
        who = ", ".join(holders) if holders else "another program"
        super().__init__(f"Hallway's data ({path}) is in use by {who}. Close it, or wait for it to finish.")
        self.path, self.holders = path, holders


def holders_of(path: Path) -> list[str]:
    """Which processes have ``path`` open ("pid 123 (hallway-kiosk)"), where the OS tells (Linux's
    /proc); an empty list elsewhere or when it cannot be seen."""
    found: list[str] = []
    proc = Path("/proc")
    if not proc.is_dir():
        return found
    wanted = {str(path.resolve()), str(path.resolve()) + "-wal"}
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            links = {str(fd.readlink()) for fd in (entry / "fd").iterdir()}
        except OSError:
            continue
        if links & wanted:
            try:
                name = (entry / "cmdline").read_bytes().split(b"\0")
                label = " ".join(Path(part.decode(errors="replace")).name for part in name[:2] if part)
            except OSError:
                label = "?"
            found.append(f"pid {entry.name} ({label})")
    return found


def _is_locked(failure: sqlite3.Error) -> bool:
    return "locked" in str(failure) or "busy" in str(failure)


class Store:
    """The SQLite file, opened once per process.

    A file that is not a database (or whose header is damaged) is moved aside, kept for IT and
    never deleted, and a fresh store is made: the apps start again from the network. A write lock
    held elsewhere is waited for briefly, then named (``StoreLocked``).
    Writes go through one connection under one lock; reads outside a transaction use a
    connection per thread (WAL lets them run beside a writer), so the GUI never waits for the
    writer's fsync."""

    def __init__(self, path: Path | None = None, photo_dir: Path | None = None,
                 photo_cache_bytes: int = 200 * 1024 * 1024, lock_wait_s: float = LOCK_WAIT_S) -> None:
        self.path = path or default_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.photo_dir = photo_dir or default_photo_dir()
        self.photo_cache_bytes = photo_cache_bytes
        self.lock_wait_s = lock_wait_s
        self._lock = threading.RLock()
        self._depth = 0  # transactions open on the owning thread: only the outermost commits
        self._owner: int | None = None  # the thread inside a transaction
        self._readers = threading.local()
        self._all_readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()
        self.recovered: str | None = None  # where a damaged store was put aside, this start
        try:
            self._open()
        except sqlite3.DatabaseError as failure:
            if _is_locked(failure):
                raise StoreLocked(self.path, holders_of(self.path)) from None
            self._set_aside(failure)
            self._open()
            self.set_state(RECOVERED_STATE, f"{time.strftime('%Y-%m-%d %H:%M')}, kept as {self.recovered}")

    def _open(self) -> None:
        self.db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None,
                                  timeout=self.lock_wait_s)
        try:
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("SELECT count(*) FROM sqlite_master").fetchone()  # reads the header and schema
            self._migrate()
            # A lock held elsewhere shows here, at start, in words, not at the first check-in.
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute("ROLLBACK")
        except sqlite3.Error:
            self.db.close()
            raise

    def _set_aside(self, failure: sqlite3.Error) -> None:
        aside = self.path.with_name(f"{self.path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
        logging.getLogger(__name__).error("the store %s is damaged (%s); keeping it as %s and starting afresh",
                                          self.path, failure, aside)
        for suffix in ("", "-wal", "-shm"):
            part = Path(str(self.path) + suffix)
            if part.exists():
                part.replace(Path(str(aside) + suffix))
        self.recovered = str(aside)

    def close(self) -> None:
        with self._lock:
            self.db.close()
        with self._readers_lock:
            for reader in self._all_readers:
                reader.close()
            self._all_readers.clear()

    def _reader(self) -> sqlite3.Connection:
        reader: sqlite3.Connection | None = getattr(self._readers, "db", None)
        if reader is None:
            reader = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None,
                                     timeout=self.lock_wait_s)
            reader.row_factory = sqlite3.Row
            self._readers.db = reader
            with self._readers_lock:
                self._all_readers.append(reader)
        return reader

    @property
    def version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        with self._lock:
            current = self.version
            for number, script in enumerate(MIGRATIONS[current:], current + 1):
                with self.transaction():
                    for statement in script.split(";"):
                        if statement.strip():
                            self.db.execute(statement)
                    self.db.execute(f"PRAGMA user_version = {number}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All-or-nothing: an exception (or a crash) inside leaves the store as it was. Nested
        transactions join the outer one, so several writes cost one commit (one fsync)."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self.db
                finally:
                    self._depth -= 1
                return
            try:
                self.db.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as failure:
                if _is_locked(failure):
                    raise StoreLocked(self.path, holders_of(self.path)) from None
                raise
            self._depth, self._owner = 1, threading.get_ident()
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            finally:
                self._depth, self._owner = 0, None
            self.db.execute("COMMIT")

    def query(self, sql: str, args: Iterable[Any] = ()) -> list[sqlite3.Row]:
        """Read. Inside a transaction on this thread: through the writer (it sees its own writes);
        otherwise on this thread's reader, without waiting for a writer."""
        if self._owner == threading.get_ident():
            with self._lock:
                return self.db.execute(sql, tuple(args)).fetchall()
        return self._reader().execute(sql, tuple(args)).fetchall()

    # ------------------------------------------------------------ state (sync cursors and the like)

    def get_state(self, name: str, default: str | None = None) -> str | None:
        rows = self.query("SELECT value FROM state WHERE name = ?", (name,))
        return str(rows[0]["value"]) if rows else default

    def set_state(self, name: str, value: str) -> None:
        with self.transaction() as db:
            db.execute("INSERT INTO state (name, value) VALUES (?, ?) "
                       "ON CONFLICT (name) DO UPDATE SET value = excluded.value", (name, value))

    # ------------------------------------------------------------ people

    def save_people(self, people: Iterable[Colleague], synced_at: float | None = None) -> int:
        """Insert or update; the person's Hallway opt-out is kept. Returns how many rows changed."""
        synced_at = time.time() if synced_at is None else synced_at
        rows = [(c.id, *(cap(getattr(c, f), TEXT_CAPS[f]) for f in ("name", "handle", "pronouns", "title",
                                                                    "team", "office")),
                 json.dumps([cap(h, 100) for h in c.hobbies[:10]]), cap(c.ask_me_about, TEXT_CAPS["ask_me_about"]),
                 c.started_on.isoformat() if c.started_on else None, cap(c.bio, TEXT_CAPS["bio"]),
                 c.photo_url[:2000], c.profile_url[:2000], int(c.discoverable), synced_at,
                 " " + fold(c.name[:200])) for c in people]
        with self.transaction() as db:
            before = db.total_changes
            db.executemany(
                """INSERT INTO people (id, name, handle, pronouns, title, team, office, hobbies, ask_me_about,
                                       started_on, bio, photo_url, profile_url, discoverable, synced_at,
                                       search_key)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (id) DO UPDATE SET name = excluded.name, handle = excluded.handle,
                     pronouns = excluded.pronouns, title = excluded.title, team = excluded.team,
                     office = excluded.office, hobbies = excluded.hobbies, ask_me_about = excluded.ask_me_about,
                     started_on = excluded.started_on, bio = excluded.bio, photo_url = excluded.photo_url,
                     profile_url = excluded.profile_url, discoverable = excluded.discoverable,
                     synced_at = excluded.synced_at, search_key = excluded.search_key""", rows)
            return db.total_changes - before

    def forget_people_not_seen_since(self, synced_at: float) -> int:
        """After a full directory pass: people who left (or stopped being discoverable) go."""
        with self.transaction() as db:
            return db.execute("DELETE FROM people WHERE synced_at < ?", (synced_at,)).rowcount

    def people(self, include_hidden: bool = False) -> list[Colleague]:
        where = "" if include_hidden else "WHERE discoverable = 1 AND opted_out = 0"
        return [_colleague(r) for r in self.query(f"SELECT * FROM people {where} ORDER BY name")]  # noqa: S608

    def colleague_by_handle(self, handle: str) -> Colleague | None:
        rows = self.query("SELECT * FROM people WHERE handle = ?", (handle,))
        return _colleague(rows[0]) if rows else None

    def colleague(self, colleague_id: str) -> Colleague | None:
        rows = self.query("SELECT * FROM people WHERE id = ?", (colleague_id,))
        return _colleague(rows[0]) if rows else None

    def find_people(self, text: str, limit: int = 8) -> list[Colleague]:
        """Name search for the kiosk: each word matches the start of a part of the name, ignoring
        case and accents (people type "ines" for Inês on a touch keyboard)."""
        words = fold(text).split()[:4]
        if not words:
            return []
        clauses = " AND ".join("search_key LIKE ? ESCAPE '\\'" for _ in words)
        args = ["% " + w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%" for w in words]
        rows = self.query(f"SELECT * FROM people WHERE discoverable = 1 AND opted_out = 0 AND {clauses} "  # noqa: S608
                          "ORDER BY name LIMIT ?", [*args, limit])
        return [_colleague(r) for r in rows]

    def set_opted_out(self, colleague_id: str, opted_out: bool) -> None:
        with self.transaction() as db:
            db.execute("UPDATE people SET opted_out = ? WHERE id = ?", (int(opted_out), colleague_id))

    def count_people(self) -> int:
        return int(self.query("SELECT count(*) FROM people")[0][0])

    # ------------------------------------------------------------ posts

    def save_posts(self, feed: str, posts: Iterable[Post]) -> int:
        rows = [(feed, p.id, p.position, p.author_id, cap(p.author_name, 200), cap(p.author_handle, 200),
                 p.author_photo_url[:2000], cap(p.text, 20_000), p.html[:40_000], _iso(p.created_at), p.url[:2000],
                 p.reply_to_id, int(p.favourited), p.favourites, int(p.mentions_me)) for p in posts]
        with self.transaction() as db:
            before = db.total_changes
            db.executemany(
                """INSERT INTO posts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (feed, id) DO UPDATE SET text = excluded.text, html = excluded.html,
                     favourited = excluded.favourited, favourites = excluded.favourites""", rows)
            return db.total_changes - before

    def posts(self, feed: str, limit: int = 50, before_position: int | None = None) -> list[Post]:
        if before_position is None:
            rows = self.query("SELECT * FROM posts WHERE feed = ? ORDER BY position DESC LIMIT ?", (feed, limit))
        else:
            rows = self.query("SELECT * FROM posts WHERE feed = ? AND position < ? ORDER BY position DESC LIMIT ?",
                              (feed, before_position, limit))
        return [_post(r) for r in rows]

    def post_url(self, post_id: str) -> str:
        """Where a post lives on the network: from any feed, or from a notice about it."""
        rows = (self.query("SELECT url FROM posts WHERE id = ? AND url != '' LIMIT 1", (post_id,))
                or self.query("SELECT url FROM notices WHERE post_id = ? AND url != '' LIMIT 1", (post_id,)))
        return str(rows[0][0]) if rows else ""

    def count_posts(self, feed: str) -> int:
        return int(self.query("SELECT count(*) FROM posts WHERE feed = ?", (feed,))[0][0])

    def remove_post(self, post_id: str) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM posts WHERE id = ?", (post_id,))

    # ------------------------------------------------------------ notices and announcements

    def save_notices(self, notices: Iterable[Notice]) -> list[Notice]:
        """Store new notices; returns only those not seen before (never shown twice)."""
        fresh: list[Notice] = []
        with self.transaction() as db:
            for n in notices:
                cursor = db.execute(
                    "INSERT OR IGNORE INTO notices (id, position, kind, from_id, from_name, text, created_at, post_id,"
                    " url) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (n.id, n.position, n.kind.value, n.from_id, cap(n.from_name, 200), cap(n.text, 2000),
                     _iso(n.created_at), n.post_id, n.url[:2000]))
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
                           (a.id, cap(a.text, 5000), a.html[:10_000], _iso(a.published_at), int(a.dismissed)))
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

    # ------------------------------------------------------------ read positions (the network's markers)

    def read_marker(self, feed: str) -> str | None:
        """The last item read in ``feed`` (a feed's post, or "notices"), as this computer knows it."""
        return self.get_state(f"marker:{feed}") or None

    def position_of(self, feed: str, item_id: str) -> int | None:
        rows = (self.query("SELECT position FROM notices WHERE id = ?", (item_id,)) if feed == "notices"
                else self.query("SELECT position FROM posts WHERE feed = ? AND id = ?", (feed, item_id)))
        return int(rows[0][0]) if rows else None

    def mark_read(self, feed: str, item_id: str) -> bool:
        """Move the read position forward to ``item_id`` (never back); True when it moved."""
        position = self.position_of(feed, item_id)
        current = self.read_marker(feed)
        current_position = self.position_of(feed, current) if current else None
        if position is None or (current_position is not None and position <= current_position):
            return False
        self.set_state(f"marker:{feed}", item_id)
        return True

    def unread_posts(self, feed: str) -> int:
        marker = self.read_marker(feed)
        position = self.position_of(feed, marker) if marker else None
        return int(self.query("SELECT count(*) FROM posts WHERE feed = ? AND position > ?",
                              (feed, -1 if position is None else position))[0][0])

    def unread_mentions(self) -> int:
        """Mentions and replies after the read position: the number on the tray icon."""
        marker = self.read_marker("notices")
        position = self.position_of("notices", marker) if marker else None
        return int(self.query("SELECT count(*) FROM notices WHERE kind IN ('mention', 'reply') AND position > ?",
                              (-1 if position is None else position,))[0][0])

    # ------------------------------------------------------------ picks (the colleague of the day, remembered)

    def save_pick(self, person_id: str, day: date, colleague_id: str) -> None:
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO picks VALUES (?, ?, ?)", (person_id, day.isoformat(), colleague_id))

    def pick(self, person_id: str, day: date) -> str | None:
        rows = self.query("SELECT colleague_id FROM picks WHERE person_id = ? AND day = ?",
                          (person_id, day.isoformat()))
        return str(rows[0][0]) if rows else None

    # ------------------------------------------------------------ presence: who shared that they are in today

    def save_presence(self, day: date, presences: Iterable[Presence]) -> int:
        """Replace the day's list with what the network says (check-ins it no longer has go)."""
        rows = [(day.isoformat(), p.colleague_id[:200], cap(p.place.name, 200), _iso(p.at)) for p in presences]
        with self.transaction() as db:
            db.execute("DELETE FROM presence WHERE day = ?", (day.isoformat(),))
            db.executemany("INSERT OR IGNORE INTO presence VALUES (?, ?, ?, ?)", rows)
            db.execute("DELETE FROM presence WHERE day < ?", ((day - timedelta(days=7)).isoformat(),))
        return len(rows)

    def add_presence(self, day: date, presence: Presence) -> None:
        """One check-in made here, shown at once, before the network has it."""
        with self.transaction() as db:
            db.execute("INSERT OR IGNORE INTO presence VALUES (?, ?, ?, ?)",
                       (day.isoformat(), presence.colleague_id[:200], cap(presence.place.name, 200),
                        _iso(presence.at)))

    def presence(self, day: date, office: str | None = None) -> list[Presence]:
        """Who is in on ``day`` (by handle), earliest first; only one office when it is given."""
        rows = self.query("SELECT * FROM presence WHERE day = ? AND (? IS NULL OR office = ?) ORDER BY at",
                          (day.isoformat(), office, office))
        return [Presence(r["handle"], Place(r["office"]), _moment(r["at"]) or datetime.now(UTC)) for r in rows]

    # ------------------------------------------------------------ photos: an LRU cache on disk, capped in size

    def photos_missing(self, limit: int) -> list[str]:
        """Photo addresses of people shown who have none cached yet (one query, not one per person)."""
        rows = self.query("SELECT photo_url FROM people WHERE discoverable = 1 AND opted_out = 0 AND "
                          "photo_url != '' AND photo_url NOT IN (SELECT url FROM photos) GROUP BY photo_url "
                          # the faces in the feed first (the tray app), then everyone (the kiosk)
                          "ORDER BY max(EXISTS (SELECT 1 FROM posts WHERE posts.author_id = people.id)) DESC "
                          "LIMIT ?", (limit,))
        return [str(r[0]) for r in rows]

    def forget_photo_failures(self) -> None:
        """Photos that failed are tried again (after each directory refresh)."""
        with self.transaction() as db:
            db.execute("DELETE FROM photos WHERE file = ''")

    def save_photo_failure(self, url: str) -> None:
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO photos VALUES (?, '', 0, ?)", (url, time.time()))

    def photo(self, url: str, touch: bool = True) -> bytes | None:
        """The cached bytes. ``touch`` marks it used (for the LRU); that is a write, so a path that
        must be fast reads with touch=False and calls ``touch_photo`` later."""
        rows = self.query("SELECT file FROM photos WHERE url = ?", (url,))
        if not rows or not rows[0]["file"]:
            return None
        try:
            data = (self.photo_dir / str(rows[0]["file"])).read_bytes()
        except OSError:
            with self.transaction() as db:
                db.execute("DELETE FROM photos WHERE url = ?", (url,))
            return None
        if touch:
            self.touch_photo(url)
        return data

    def touch_photo(self, url: str) -> None:
        with self.transaction() as db:
            db.execute("UPDATE photos SET used_at = ? WHERE url = ?", (time.time(), url))

    def save_photo(self, url: str, data: bytes) -> None:
        if len(data) > self.photo_cache_bytes:
            return
        name = hashlib.sha256(url.encode()).hexdigest()[:32]
        self.photo_dir.mkdir(parents=True, exist_ok=True)
        tmp = self.photo_dir / f"{name}.tmp"
        tmp.write_bytes(data)
        tmp.replace(self.photo_dir / name)
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO photos VALUES (?, ?, ?, ?)", (url, name, len(data), time.time()))
            total = int(db.execute("SELECT coalesce(sum(bytes), 0) FROM photos").fetchone()[0])
            evicted: list[str] = []
            for row in db.execute("SELECT url, file, bytes FROM photos ORDER BY used_at").fetchall():
                if total <= self.photo_cache_bytes:
                    break
                total -= row["bytes"]
                if row["file"]:
                    evicted.append(row["file"])
                db.execute("DELETE FROM photos WHERE url = ?", (row["url"],))
        for file in evicted:
            (self.photo_dir / file).unlink(missing_ok=True)

    def photo_cache_size(self) -> int:
        return int(self.query("SELECT coalesce(sum(bytes), 0) FROM photos")[0][0])


def fold(text: str) -> str:
    """Lower case without accents, hyphens as spaces: how names are matched when searched."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.replace("-", " ").replace("'", " ").split())


def _colleague(r: sqlite3.Row) -> Colleague:
    return Colleague(
        id=r["id"], name=r["name"], handle=r["handle"], pronouns=r["pronouns"], title=r["title"], team=r["team"],
        office=r["office"], hobbies=tuple(json.loads(r["hobbies"])), ask_me_about=r["ask_me_about"],
        started_on=date.fromisoformat(r["started_on"]) if r["started_on"] else None, bio=r["bio"],
        photo_url=r["photo_url"], profile_url=r["profile_url"], discoverable=bool(r["discoverable"]))


def _announcement(r: sqlite3.Row) -> Announcement:
    return Announcement(r["id"], r["text"], r["html"], _moment(r["published_at"]), bool(r["dismissed"]))


def _notice(r: sqlite3.Row) -> Notice:
    return Notice(r["id"], r["position"], NoticeKind(r["kind"]), r["from_id"], r["from_name"], r["text"],
                  _moment(r["created_at"]) or datetime.now(UTC), r["post_id"], r["url"])


def _post(r: sqlite3.Row) -> Post:
    return Post(id=r["id"], position=r["position"], author_id=r["author_id"], author_name=r["author_name"],
                author_handle=r["author_handle"], author_photo_url=r["author_photo_url"], text=r["text"],
                html=r["html"], created_at=_moment(r["created_at"]) or datetime.now(UTC), url=r["url"],
                reply_to_id=r["reply_to_id"], favourited=bool(r["favourited"]), favourites=r["favourites"],
                mentions_me=bool(r["mentions_me"]))
