"""Answers kept with their validators (ETag, Last-Modified), so that a request made again after a
restart is answered "304 Not Modified" instead of sent whole: the morning's first pass of 10,000
laptops costs the server headers, not bodies (docs/performance.md, the herd).

Kept per account (the key is a hash of the sign-in and the address: one person's answer is never
another's), compressed, capped in size; the least recently used go first.
"""

from __future__ import annotations

import hashlib
import time
import zlib

from hallway.store.database import Database

MAX_KEPT_BYTES = 32 * 1024 * 1024  # compressed; a 10,000-person directory is about 3 MB of it
MAX_ONE_BYTES = 2 * 1024 * 1024  # a bigger answer is not kept (photos never are: they have their own cache)
TOUCH_EVERY_S = 3600.0  # a 304 marks its answer used at most this often (not a write per poll)

Validated = tuple[str | None, str | None, bytes, float]  # ETag, Last-Modified, the body, when last vouched for


def key_of(account: str, url: str) -> str:
    return hashlib.sha256(f"{account}\n{url}".encode()).hexdigest()


class KeptAnswers(Database):

    def kept_answer(self, account: str, url: str) -> Validated | None:
        rows = self.query("SELECT etag, modified, body, used_at, checked_at FROM kept_answers WHERE key = ?",
                          (key_of(account, url),))
        if not rows:
            return None
        etag, modified, body, used_at, checked_at = rows[0]
        try:
            plain = zlib.decompress(body)
        except zlib.error:
            return None  # damaged: asked again in full
        if time.time() - float(used_at) > TOUCH_EVERY_S:
            with self.transaction() as db:
                db.execute("UPDATE kept_answers SET used_at = ? WHERE key = ?", (time.time(), key_of(account, url)))
        return etag, modified, plain, float(checked_at)

    def answer_checked(self, account: str, url: str) -> None:
        """The server answered "not modified" just now."""
        with self.transaction() as db:
            db.execute("UPDATE kept_answers SET checked_at = ?, used_at = ? WHERE key = ?",
                       (time.time(), time.time(), key_of(account, url)))

    def keep_answer(self, account: str, url: str, etag: str | None, modified: str | None, body: bytes) -> None:
        packed = zlib.compress(body, 6)
        key = key_of(account, url)
        with self.transaction() as db:
            if len(packed) > MAX_ONE_BYTES:
                db.execute("DELETE FROM kept_answers WHERE key = ?", (key,))
                return
            db.execute("INSERT OR REPLACE INTO kept_answers VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (key, etag, modified, packed, len(packed), time.time(), time.time()))
            total = int(db.execute("SELECT coalesce(sum(bytes), 0) FROM kept_answers").fetchone()[0])
            if total > MAX_KEPT_BYTES:  # the least recently used go until it fits
                db.execute("DELETE FROM kept_answers WHERE key IN (SELECT key FROM (SELECT key, sum(bytes) OVER "
                           "(ORDER BY used_at DESC) AS running FROM kept_answers) WHERE running > ?)",
                           (MAX_KEPT_BYTES,))

    def kept_answers_bytes(self) -> int:
        return int(self.query("SELECT coalesce(sum(bytes), 0) FROM kept_answers")[0][0])
