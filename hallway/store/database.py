"""The SQLite file itself: opening (and setting a damaged one aside), the one writer and
its lock, readers per thread, transactions, and the small state table (sync cursors).

WAL journaling with ``synchronous=FULL``: a committed write survives a crash or power cut,
and a crash mid-write leaves the last committed state (SQLite's transactions). The schema
is versioned with ``PRAGMA user_version`` and migrated forward on open. One connection and
one lock: every write goes through this one writer.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs

from hallway.store.schema import MIGRATIONS

APP = "hallway"
DATA_DIR_ENV = "HALLWAY_DATA_DIR"  # the demo keeps its store apart from a real one


def default_path() -> Path:
    if os.environ.get(DATA_DIR_ENV):
        return Path(os.environ[DATA_DIR_ENV]) / "hallway.sqlite3"
    return Path(platformdirs.user_data_dir(APP, appauthor=False)) / "hallway.sqlite3"


def default_photo_dir() -> Path:
    if os.environ.get(DATA_DIR_ENV):
        return Path(os.environ[DATA_DIR_ENV]) / "photos"
    return Path(platformdirs.user_cache_dir(APP, appauthor=False)) / "photos"


def to_text(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat()


def to_moment(text: str | None) -> datetime | None:
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


class Database:
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

    def integrity(self) -> str:
        """SQLite's own check of the file ("ok" when sound), for doctor."""
        return str(self.query("PRAGMA integrity_check")[0][0])
