"""Photos: an LRU cache on disk, capped in size, with failures remembered until the address changes."""

from __future__ import annotations

import contextlib
import hashlib
import time

from hallway.store.database import Database, fault_of

PHOTO_FAILURE_KEPT_S = 7 * 86400.0


class Photos(Database):

    def photos_missing(self, limit: int) -> list[str]:
        """Photo addresses of people shown who have none cached yet (one query, not one per person)."""
        rows = self.query("SELECT photo_url FROM people WHERE discoverable = 1 AND opted_out = 0 AND "
                          "photo_url != '' AND photo_url NOT IN (SELECT url FROM photos) GROUP BY photo_url "
                          # the faces in the feed first (the tray app), then everyone (the kiosk)
                          "ORDER BY max(EXISTS (SELECT 1 FROM posts WHERE posts.author_id = people.id)) DESC "
                          "LIMIT ?", (limit,))
        return [str(r[0]) for r in rows]

    def photos_of_people_shown(self, limit: int, day: str) -> list[str]:
        """Photo addresses a laptop shows soon and has not cached: the authors of the newest posts,
        today's colleague of the day, who is in today, starred colleagues, who wrote to the person.
        A laptop never fetches the whole company's faces (the kiosk does: ``photos_missing``)."""
        rows = self.query(
            "SELECT url FROM ("
            " SELECT author_photo_url AS url, 0 AS rank FROM (SELECT author_photo_url FROM posts"
            "  ORDER BY position DESC LIMIT 200)"
            " UNION ALL SELECT p.photo_url, 1 FROM picks k JOIN people p ON p.id = k.colleague_id WHERE k.day >= ?"
            " UNION ALL SELECT p.photo_url, 1 FROM presence r JOIN people p ON p.id = r.colleague_id WHERE r.day = ?"
            " UNION ALL SELECT p.photo_url, 2 FROM stars s JOIN people p ON p.id = s.person_id"
            " UNION ALL SELECT p.photo_url, 2 FROM notices n JOIN people p ON p.id = n.from_id"
            ") WHERE url != '' AND url NOT IN (SELECT url FROM photos) GROUP BY url ORDER BY min(rank) LIMIT ?",
            (day, day, limit))
        return [str(r[0]) for r in rows]

    def forget_photo_failures(self, older_than_s: float = PHOTO_FAILURE_KEPT_S) -> int:
        """Photos that failed that long ago are tried again (sync asks after each directory pass):
        a colleague who had none may have one now, at the same address (Microsoft Graph's). Not
        sooner: a company of people without photos would cost every laptop a request per face a
        day. How many were forgotten."""
        with self.transaction() as db:
            return db.execute("DELETE FROM photos WHERE file = '' AND used_at < ?",
                              (time.time() - older_than_s,)).rowcount

    def save_photo_failure(self, url: str) -> None:
        """No photo at ``url`` (none, gone, not an image): initials instead, and a cached one
        that was there before is dropped."""
        rows = self.query("SELECT file FROM photos WHERE url = ?", (url,))
        now = time.time()
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO photos (url, file, bytes, used_at, fetched_at) VALUES (?, '', 0, ?, ?)",
                       (url, now, now))
        if rows and rows[0]["file"]:
            (self.photo_dir / str(rows[0]["file"])).unlink(missing_ok=True)

    def photos_to_fetch_again(self, older_than_s: float, limit: int) -> list[str]:
        """Cached photos fetched that long ago, the most recently shown first: where a network
        keeps a person's photo at one address whatever it shows (Microsoft Graph), this is how a
        new photo reaches the screens."""
        rows = self.query("SELECT url FROM photos WHERE file != '' AND fetched_at < ? ORDER BY used_at DESC LIMIT ?",
                          (time.time() - older_than_s, limit))
        return [str(r[0]) for r in rows]

    def photo_still_current(self, url: str) -> None:
        """Fetched again and the same: not asked again for a while."""
        with self.transaction() as db:
            db.execute("UPDATE photos SET fetched_at = ? WHERE url = ?", (time.time(), url))

    def has_photo(self, url: str) -> bool:
        """Whether a photo is cached (without reading it)."""
        return bool(self.query("SELECT 1 FROM photos WHERE url = ? AND file != ''", (url,)))

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
        tmp = self.photo_dir / f"{name}.tmp"
        try:
            self.photo_dir.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(data)
            tmp.replace(self.photo_dir / name)
        except OSError as failure:  # a full disk is named as one (sync stops fetching photos)
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
            raise fault_of(failure, self.path) from None
        with self.transaction() as db:
            now = time.time()
            db.execute("INSERT OR REPLACE INTO photos (url, file, bytes, used_at, fetched_at) VALUES (?, ?, ?, ?, ?)",
                       (url, name, len(data), now, now))
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
