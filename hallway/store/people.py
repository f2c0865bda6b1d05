"""People from the network's directory, and the kiosk's name search over them."""

from __future__ import annotations

import json
import sqlite3
import time
import unicodedata
from collections.abc import Iterable
from datetime import date

from hallway.model import Colleague
from hallway.office_week import MOST_DAYS, read_days, write_days
from hallway.store.database import Database
from hallway.store.schema import TEXT_CAPS
from hallway.text import cap


class People(Database):

    def save_people(self, people: Iterable[Colleague], synced_at: float | None = None) -> int:
        """Insert or update; the person's Hallway opt-out is kept. Returns how many rows changed."""
        synced_at = time.time() if synced_at is None else synced_at
        rows = [(c.id, *(cap(getattr(c, f), TEXT_CAPS[f]) for f in ("name", "handle", "pronouns", "title",
                                                                    "team", "office")),
                 json.dumps([cap(h, 100) for h in c.hobbies[:10]]), cap(c.ask_me_about, TEXT_CAPS["ask_me_about"]),
                 c.started_on.isoformat() if c.started_on else None, cap(c.bio, TEXT_CAPS["bio"]),
                 c.photo_url[:2000], c.profile_url[:2000], int(c.discoverable), synced_at,
                 " " + fold(c.name[:200]), c.version[:500], c.email[:320], write_days(c.office_days[-MOST_DAYS:]),
                 f"{c.birthday[0]:02d}-{c.birthday[1]:02d}" if c.birthday else "", int(c.celebrate))
                for c in people]
        with self.transaction() as db:
            before = db.total_changes
            db.executemany(
                """INSERT INTO people (id, name, handle, pronouns, title, team, office, hobbies, ask_me_about,
                                       started_on, bio, photo_url, profile_url, discoverable, synced_at,
                                       search_key, version, email, office_days, birthday, celebrate)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (id) DO UPDATE SET name = excluded.name, handle = excluded.handle,
                     pronouns = excluded.pronouns, title = excluded.title, team = excluded.team,
                     office = excluded.office, hobbies = excluded.hobbies, ask_me_about = excluded.ask_me_about,
                     started_on = excluded.started_on, bio = excluded.bio, photo_url = excluded.photo_url,
                     profile_url = excluded.profile_url, discoverable = excluded.discoverable,
                     synced_at = excluded.synced_at, search_key = excluded.search_key,
                     version = excluded.version, email = excluded.email,
                     office_days = excluded.office_days, birthday = excluded.birthday,
                     celebrate = excluded.celebrate""", rows)
            return db.total_changes - before

    def forget_people_not_seen_since(self, synced_at: float) -> int:
        """After a full directory pass: people who left (or stopped being discoverable) go."""
        with self.transaction() as db:
            return db.execute("DELETE FROM people WHERE synced_at < ?", (synced_at,)).rowcount

    def people(self, include_hidden: bool = False) -> list[Colleague]:
        where = "" if include_hidden else "WHERE discoverable = 1 AND opted_out = 0"
        return [_colleague(r) for r in self.query(f"SELECT * FROM people {where} ORDER BY name")]  # noqa: S608

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

    def planned_on(self, day: date) -> list[Colleague]:
        """Who shared that they plan to be in on ``day`` (the kiosk's "planned today", the week view)."""
        rows = self.query("SELECT * FROM people WHERE discoverable = 1 AND opted_out = 0 AND office_days LIKE ? "
                          "ORDER BY name", (f"%{day.isoformat()}%",))
        return [_colleague(r) for r in rows]

    def star(self, colleague_id: str, starred: bool) -> None:
        with self.transaction() as db:
            if starred:
                db.execute("INSERT OR IGNORE INTO stars (person_id, starred_at) VALUES (?, ?)",
                           (colleague_id, time.time()))
            else:
                db.execute("DELETE FROM stars WHERE person_id = ?", (colleague_id,))

    def starred(self) -> set[str]:
        """The ids of the colleagues the person starred (one who left stays starred: they may come back)."""
        return {str(r[0]) for r in self.query("SELECT person_id FROM stars")}

    def count_people(self) -> int:
        return int(self.query("SELECT count(*) FROM people")[0][0])


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
        photo_url=r["photo_url"], profile_url=r["profile_url"], discoverable=bool(r["discoverable"]),
        version=r["version"], email=r["email"], office_days=read_days(r["office_days"]),
        birthday=(int(r["birthday"][:2]), int(r["birthday"][3:5])) if r["birthday"] else None,
        celebrate=bool(r["celebrate"]))

