"""The SQLite file itself: opening (and setting a damaged one aside), the one writer and
its lock, readers per thread, transactions, and the small state table (sync cursors).

WAL journaling with ``synchronous=FULL``: a committed write survives a crash or power cut,
and a crash mid-write leaves the last committed state (SQLite's transactions). The schema
is versioned with ``PRAGMA user_version`` and migrated forward on open. One connection and
one lock: every write goes through this one writer.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import shutil
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs

from hallway.store.salvage import Salvaged, salvage
from hallway.store.schema import MIGRATIONS

log = logging.getLogger(__name__)

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
RESERVE_BYTES = 4 * 1024 * 1024  # kept free beside the store, for check-ins on a full disk
LOW_SPACE_BYTES = 1024 * 1024  # an I/O error with less than this free is a full disk

# SQLite's primary result codes (sqlite3.h), read from ``sqlite_errorcode & 0xff``.
_PERM, _BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 3, 5, 6, 8, 10, 11, 13, 14, 26


class StoreFault(Exception):
    """The store could not be read or written; the message says why, for people (the kiosk's
    admin panel, doctor). Never corruption unless it is ``StoreDamaged``."""


class StoreLocked(StoreFault):
    """Another process holds the store's write lock for longer than a moment."""

    def __init__(self, path: Path, holders: list[str]) -> None:
        who = ", ".join(holders) if holders else "another program"
        super().__init__(f"Hallway's data ({path}) is in use by {who}. Close it, or wait for it to finish.")
        self.path, self.holders = path, holders


class DiskFull(StoreFault):
    """No room left on the disk (SQLITE_FULL, ENOSPC): the file is healthy, it cannot grow."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"The disk that holds Hallway's data ({path.parent}) is full. Free some space on it: "
                         "what cannot be saved meanwhile is kept in memory.")
        self.path = path


class StoreReadOnly(StoreFault):
    """The file or its folder cannot be written (permissions, a read-only disk)."""

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(f"Hallway's data ({path}) cannot be written ({detail}). Check the folder's permissions "
                         "and that its disk is not read-only.")
        self.path = path


class StoreDamaged(StoreFault):
    """SQLite says the file is damaged (SQLITE_CORRUPT, SQLITE_NOTADB)."""

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(f"Hallway's data ({path}) is damaged ({detail}).")
        self.path = path
        self.recovered = False  # set aside, and what could be read carried into a fresh store


def fault_of(failure: sqlite3.Error | OSError, path: Path) -> StoreFault:
    """What a failure of the store means: a full disk and a held lock are not damage."""
    if isinstance(failure, OSError):
        if failure.errno in (errno.ENOSPC, errno.EDQUOT):
            return DiskFull(path)
        if failure.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return StoreReadOnly(path, failure.strerror or type(failure).__name__)
        return StoreFault(f"Hallway's data ({path}) cannot be used: {failure}")
    code = (getattr(failure, "sqlite_errorcode", None) or 0) & 0xFF
    text = str(failure)
    if code in (_BUSY, _LOCKED) or (not code and ("locked" in text or "busy" in text)):
        return StoreLocked(path, holders_of(path))
    if code == _FULL or (code in (_IOERR, _CANTOPEN) and _free_bytes(path) < LOW_SPACE_BYTES):
        return DiskFull(path)
    if code in (_READONLY, _PERM, _CANTOPEN):
        return StoreReadOnly(path, text)
    if code in (_CORRUPT, _NOTADB) or (not code and ("malformed" in text or "not a database" in text)):
        return StoreDamaged(path, text)
    return StoreFault(f"Hallway's data ({path}) cannot be used: {text}")


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


def _free_bytes(path: Path) -> int:
    try:
        return shutil.disk_usage(path.parent).free
    except OSError:
        return 1 << 62


def damaged(path: Path) -> str | None:
    """SQLite's own verdict on the file (``quick_check``), on a connection of its own: None when
    sound, else what it found. Only this moves a store aside, never a failed write."""
    try:
        db = sqlite3.connect(path, timeout=1)
    except sqlite3.Error as failure:
        return str(failure)
    try:
        found = [str(r[0]) for r in db.execute("PRAGMA quick_check(5)")]
    except sqlite3.DatabaseError as failure:
        return str(failure) if isinstance(fault_of(failure, path), StoreDamaged) else None
    except sqlite3.Error:
        return None  # busy or the like: no verdict, so not damaged
    finally:
        db.close()
    return None if found == ["ok"] else "; ".join(found)[:300]


class Database:
    """The SQLite file, opened once per process.

    A file SQLite itself finds damaged is moved aside (kept for IT, never deleted) and what can
    still be read of it is copied into a fresh store (hallway.store.salvage): waiting check-ins
    and linked badges are not lost with it. A full disk, a held lock or a read-only folder are
    not damage: they are named (``StoreFault``) and the file stays. A write lock held elsewhere
    is waited for briefly, then named (``StoreLocked``).
    Writes go through one connection under one lock; reads outside a transaction use a
    connection per thread (WAL lets them run beside a writer), so the GUI never waits for the
    writer's fsync."""

    def __init__(self, path: Path | None = None, photo_dir: Path | None = None,
                 photo_cache_bytes: int = 200 * 1024 * 1024, lock_wait_s: float = LOCK_WAIT_S,
                 repair: bool = True) -> None:
        """``repair`` False (doctor, a report): a damaged store is named, never moved aside, so a
        look from outside cannot pull the file from under a running app."""
        self.path = path or default_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as failure:
            raise fault_of(failure, self.path) from None
        self.photo_dir = photo_dir or default_photo_dir()
        self.photo_cache_bytes = photo_cache_bytes
        self.lock_wait_s = lock_wait_s
        self.repair = repair
        self._lock = threading.RLock()
        self._depth = 0  # transactions open on the owning thread: only the outermost commits
        self._owner: int | None = None  # the thread inside a transaction
        self._readers = threading.local()
        self._all_readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()
        self._generation = 0  # bumped when the file is replaced: every thread's reader is made again
        self._swap = threading.Lock()  # held while the file is replaced: no reader opens it half made
        self.recovered: str | None = None  # where a damaged store was put aside, in this process
        self.salvaged: Salvaged | None = None
        self._ready = False  # repairs wait until the store is open (opening has its own)
        try:
            self._open()
        except (sqlite3.Error, OSError, StoreFault) as failure:
            fault = failure if isinstance(failure, StoreFault) else fault_of(failure, self.path)
            if isinstance(fault, DiskFull) and self.release_reserve():
                self._open()  # the reserve's room is enough to open and keep going
            elif isinstance(fault, StoreDamaged) and self.repair and damaged(self.path):
                self._replace(str(fault))
            else:
                raise fault from None
        self._ready = True
        self._keep_reserve()

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
        except BaseException:
            self.db.close()
            raise

    # ------------------------------------------------------------ damage and a full disk

    def recover(self) -> bool:
        """After a read or write said the file is damaged: if SQLite's check agrees, set it aside and
        carry what can be read into a fresh store, in place (every part of the app keeps its
        ``Store``). Once per process: a store damaged again at once is not replaced in a loop.
        True when the store was replaced."""
        with self._lock:
            if not (self.repair and self._ready) or self.recovered is not None or self._depth:
                return False
            found = damaged(self.path)
            if found is None:
                return False
            self.db.close()
            self._replace(found)
            return True

    def _replace(self, why: str) -> None:
        """Set the damaged file aside, open a fresh one, and salvage into it (holding ``_lock``)."""
        aside = self.path.with_name(f"{self.path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
        log.error("the store %s is damaged (%s); keeping it as %s, saving what can be read", self.path, why, aside)
        with self._swap:
            with self._readers_lock:
                self._generation += 1
            for suffix in ("", "-wal", "-shm"):
                part = Path(str(self.path) + suffix)
                if part.exists():
                    part.replace(Path(str(aside) + suffix))
            self.recovered = str(aside)
            self._open()
            with self.transaction() as db:
                self.salvaged = salvage(aside, db)
                record = {"at": time.strftime("%Y-%m-%d %H:%M"), "kept_as": str(aside), "why": why[:300],
                          "saved": self.salvaged.saved, "unreadable": list(self.salvaged.unreadable)}
                db.execute("INSERT INTO state (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET "
                           "value = excluded.value", (RECOVERED_STATE, json.dumps(record)))
        log.warning("the fresh store holds what could be read: %s", self.salvaged.words())

    @property
    def reserve(self) -> Path:
        return self.path.with_name(self.path.name + ".reserve")

    def _keep_reserve(self) -> None:
        """Room set aside beside the store, given back on a full disk so the check-ins people are
        told about can still be committed; made again once the disk has room."""
        if self.reserve.exists() or _free_bytes(self.path) < 4 * RESERVE_BYTES:
            return
        with contextlib.suppress(OSError), self.reserve.open("wb") as room:
            room.write(bytes(RESERVE_BYTES))
            room.flush()
            os.fsync(room.fileno())

    def release_reserve(self) -> bool:
        """Give back the reserved room (the disk is full): True when there was some to give."""
        try:
            self.reserve.unlink()
        except OSError:
            return False
        log.error("the disk that holds %s is full; using the room Hallway kept for check-ins", self.path)
        return True

    @property
    def disk_full(self) -> bool:
        """The reserve is spent and not made again: the disk was full, and still has little room."""
        return not self.reserve.exists() and _free_bytes(self.path) < 4 * RESERVE_BYTES

    def close(self) -> None:
        with self._lock:
            self.db.close()
        with self._readers_lock:
            for reader in self._all_readers:
                reader.close()
            self._all_readers.clear()

    def _reader(self) -> sqlite3.Connection:
        reader: sqlite3.Connection | None = getattr(self._readers, "db", None)
        if reader is not None and getattr(self._readers, "generation", 0) != self._generation:
            reader.close()  # this thread's own reader, of a file since replaced
            reader = None
        if reader is None:
            with self._swap:  # a file being replaced is opened once it is whole (and salvaged)
                reader = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None,
                                         timeout=self.lock_wait_s)
            reader.row_factory = sqlite3.Row
            self._readers.db, self._readers.generation = reader, self._generation
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
    def transaction(self, wait_s: float | None = None) -> Iterator[sqlite3.Connection]:
        """All-or-nothing: an exception (or a crash) inside leaves the store as it was. Nested
        transactions join the outer one, so several writes cost one commit (one fsync). A store
        that cannot take the write raises a ``StoreFault`` that says why (locked, disk full,
        read-only, damaged); a damaged one is repaired first where SQLite agrees it is damaged
        (``StoreDamaged.recovered``: the caller may simply try again). ``wait_s``: how long to wait
        for the write lock, here and in other processes, instead of ``lock_wait_s`` (the GUI
        thread cannot wait seconds: it keeps what it could not write and tries again)."""
        if not self._lock.acquire(timeout=-1 if wait_s is None else wait_s):
            raise StoreLocked(self.path, holders_of(self.path))  # our sync waits on them too
        try:
            if self._depth:
                self._depth += 1
                try:
                    yield self.db
                finally:
                    self._depth -= 1
                return
            try:
                if wait_s is not None:
                    self.db.execute(f"PRAGMA busy_timeout = {int(wait_s * 1000)}")
                self.db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as failure:
                raise self._fault(failure) from None
            finally:
                if wait_s is not None:
                    self.db.execute(f"PRAGMA busy_timeout = {int(self.lock_wait_s * 1000)}")
            yield from self._committed()
        finally:
            self._lock.release()

    def _committed(self) -> Iterator[sqlite3.Connection]:
        """The body of an outermost transaction (BEGIN done, ``_lock`` held): COMMIT or ROLLBACK."""
        self._depth, self._owner = 1, threading.get_ident()
        failed: sqlite3.Error | OSError | None = None
        try:
            yield self.db
            self.db.execute("COMMIT")
        except (sqlite3.Error, OSError) as failure:
            self._rollback()
            failed = failure
        except BaseException:
            self._rollback()
            raise
        finally:
            self._depth, self._owner = 0, None
        if failed is not None:
            raise self._fault(failed) from None

    def _rollback(self) -> None:
        if self.db.in_transaction:  # SQLite may have rolled back already (a full disk, say)
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")

    def _fault(self, failure: sqlite3.Error | OSError, repair: bool = True) -> BaseException:
        """The failure in words (``StoreFault``), or itself when it is none of those (a bug's
        IntegrityError stays one). A damaged file is repaired here, outside any transaction."""
        fault = fault_of(failure, self.path)
        if type(fault) is StoreFault and isinstance(failure, sqlite3.Error):
            return failure
        if isinstance(fault, StoreDamaged) and repair:
            fault.recovered = self.recover()
        return fault

    def query(self, sql: str, args: Iterable[Any] = ()) -> list[sqlite3.Row]:
        """Read. Inside a transaction on this thread: through the writer (it sees its own writes);
        otherwise on this thread's reader, without waiting for a writer. A read that finds the
        file damaged repairs it (as ``transaction`` does) and reads again, once."""
        if self._owner == threading.get_ident():
            with self._lock:
                return self.db.execute(sql, tuple(args)).fetchall()
        try:
            return self._reader().execute(sql, tuple(args)).fetchall()
        except sqlite3.Error as failure:
            fault = self._fault(failure)
        if isinstance(fault, StoreDamaged) and fault.recovered:
            return self._reader().execute(sql, tuple(args)).fetchall()
        raise fault

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
