"""What can still be read from a damaged store, copied into a fresh one.

A damaged page loses the rows on it, not the file: the kiosk's waiting check-ins, its linked
badges (and the salt that makes their hashes), its visitors' choices are mostly still readable.
Each table is read whole if it can be, else in rowid ranges and then row by row around what
fails (SQLite's own ``.recover`` does the same, page by page; it is not in Python's sqlite3).
Only columns both versions have are copied, so an older store's rows come across too.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

CHUNK = 512
PROBE_ROWIDS = 1 << 20  # where max(rowid) cannot be read: look this far


@dataclass(frozen=True)
class Salvaged:
    """Rows saved per table, and the tables of which some part could not be read."""

    saved: dict[str, int] = field(default_factory=dict)
    unreadable: tuple[str, ...] = ()

    def words(self) -> str:
        """For doctor and the kiosk's admin panel: what came across, in the apps' words."""
        named = {"outbox": "writes waiting or sent", "badges": "linked badges", "visitors": "visitors",
                 "people": "colleagues", "posts": "posts"}
        parts = [f"{self.saved[t]} {named[t]}" for t in named if self.saved.get(t)]
        text = "saved " + ", ".join(parts) if parts else "nothing could be saved"
        if self.unreadable:
            text += "; unreadable in part: " + ", ".join(self.unreadable)
        return text


def salvage(damaged: Path, into: sqlite3.Connection) -> Salvaged:
    """Copy every readable row of ``damaged`` into the tables ``into`` has (a fresh store, inside a
    transaction the caller commits)."""
    saved: dict[str, int] = {}
    unreadable: list[str] = []
    try:
        source = sqlite3.connect(damaged, timeout=1)
    except sqlite3.Error:
        return Salvaged()
    try:
        tables = [str(r[0]) for r in into.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        for table in tables:
            try:
                theirs = {str(r[1]) for r in source.execute(f'PRAGMA table_info("{table}")')}
            except sqlite3.Error:
                unreadable.append(table)
                continue
            columns = [str(r[1]) for r in into.execute(f'PRAGMA table_info("{table}")') if str(r[1]) in theirs]
            if not columns:
                continue
            rows, whole = _rows(source, table, columns)
            if not whole:
                unreadable.append(table)
            names = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join("?" for _ in columns)
            into.executemany(f'INSERT OR IGNORE INTO "{table}" ({names}) VALUES ({marks})', rows)  # noqa: S608
            saved[table] = len(rows)
    finally:
        source.close()
    return Salvaged(saved, tuple(unreadable))


def _rows(source: sqlite3.Connection, table: str, columns: list[str]) -> tuple[list[tuple[object, ...]], bool]:
    """The readable rows, and whether that was all of them. (Table and column names come from
    Hallway's own schema, never from the damaged file.)"""
    names = ", ".join(f'"{c}"' for c in columns)
    select = f'SELECT {names} FROM "{table}" NOT INDEXED'  # noqa: S608
    try:
        return [tuple(r) for r in source.execute(select)], True
    except sqlite3.DatabaseError:
        pass
    try:
        top = int(source.execute(f'SELECT max(rowid) FROM "{table}"').fetchone()[0] or 0)  # noqa: S608
    except sqlite3.DatabaseError:
        top = PROBE_ROWIDS
    rows: list[tuple[object, ...]] = []
    for start in range(1, top + 1, CHUNK):
        try:
            rows += [tuple(r) for r in source.execute(select + " WHERE rowid BETWEEN ? AND ?",
                                                      (start, start + CHUNK - 1))]
            continue
        except sqlite3.DatabaseError:
            pass
        for rowid in range(start, start + CHUNK):  # around the damaged page, one row at a time
            try:
                rows += [tuple(r) for r in source.execute(select + " WHERE rowid = ?", (rowid,))]
            except sqlite3.DatabaseError:
                continue
    return rows, False
