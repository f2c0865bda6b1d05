"""The feeds' posts, ordered by the network's position."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime

from hallway.model import Edit, Post, Reactions
from hallway.store.database import Database, to_moment, to_text
from hallway.text import cap


class Posts(Database):

    def newest_fetched(self, feed: str) -> str | None:
        """The newest post sync has fetched for ``feed`` (where the next pass reads on from);
        None before the feed's first pass."""
        return self.get_state(f"feed:{feed}:newest")

    def set_newest_fetched(self, feed: str, post_id: str) -> None:
        self.set_state(f"feed:{feed}:newest", post_id)

    def save_posts(self, feed: str, posts: Iterable[Post]) -> int:
        rows = [(feed, p.id, p.position, p.author_id, cap(p.author_name, 200), cap(p.author_handle, 200),
                 p.author_photo_url[:2000], cap(p.text, 20_000), p.html[:40_000], to_text(p.created_at), p.url[:2000],
                 p.reply_to_id, int(p.liked), p.likes, int(p.mentions_me), int(p.shared), p.shares,
                 p.share_of, cap(p.shared_by, 200), int(p.in_thread)) for p in posts]
        with self.transaction() as db:
            before = db.total_changes
            db.executemany(
                """INSERT INTO posts (feed, id, position, author_id, author_name, author_handle, author_photo_url,
                     text, html, created_at, url, reply_to_id, liked, likes, mentions_me, shared, shares,
                     share_of, shared_by, in_thread)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (feed, id) DO UPDATE SET text = excluded.text, html = excluded.html,
                     liked = excluded.liked, likes = excluded.likes,
                     shared = excluded.shared, shares = excluded.shares""", rows)
            return db.total_changes - before

    def apply_changes(self, edits: Iterable[Edit] = (), reactions: Iterable[Reactions] = ()) -> int:
        """Edited words and reactions counted anew, on the posts this computer holds (in any feed;
        a post it does not hold is not added). Returns how many rows changed."""
        with self.transaction() as db:
            before = db.total_changes
            db.executemany("UPDATE posts SET text = ?, html = ? WHERE id = ? AND (text != ? OR html != ?)",
                           [(cap(e.text, 20_000), e.html[:40_000], e.post_id, cap(e.text, 20_000), e.html[:40_000])
                            for e in edits])
            db.executemany("UPDATE posts SET likes = ?, liked = ? WHERE id = ? "
                           "AND (likes != ? OR liked != ?)",
                           [(r.count, int(r.mine), r.post_id, r.count, int(r.mine)) for r in reactions])
            return db.total_changes - before

    def posts_by_id(self, post_ids: Iterable[str]) -> dict[str, Post]:
        """The posts this computer holds among ``post_ids`` (what a feed's replies answer), in one query."""
        wanted = sorted(set(post_ids))[:500]
        if not wanted:
            return {}
        marks = ", ".join("?" for _ in wanted)
        rows = self.query(f"SELECT * FROM posts WHERE id IN ({marks})", wanted)  # noqa: S608
        return {r["id"]: _post(r) for r in rows}

    def reply_counts(self, post_ids: Iterable[str]) -> dict[str, int]:
        """How many replies this computer holds to each of ``post_ids`` (a thread's size under its root)."""
        wanted = sorted(set(post_ids))[:500]
        if not wanted:
            return {}
        marks = ", ".join("?" for _ in wanted)
        rows = self.query(f"SELECT reply_to_id, count(DISTINCT id) FROM posts WHERE reply_to_id IN ({marks}) "  # noqa: S608
                          "GROUP BY reply_to_id", wanted)
        return {str(r[0]): int(r[1]) for r in rows}

    def post(self, post_id: str) -> Post | None:
        rows = self.query("SELECT * FROM posts WHERE id = ? LIMIT 1", (post_id,))
        return _post(rows[0]) if rows else None

    def posts(self, feed: str, limit: int = 50, before_position: str | None = None) -> list[Post]:
        newest_first = "ORDER BY position DESC, id DESC LIMIT ?"
        if before_position is None:
            rows = self.query(f"SELECT * FROM posts WHERE feed = ? {newest_first}", (feed, limit))  # noqa: S608
        else:
            rows = self.query(f"SELECT * FROM posts WHERE feed = ? AND position < ? {newest_first}",  # noqa: S608
                              (feed, before_position, limit))
        return [_post(r) for r in rows]

    def post_url(self, post_id: str) -> str:
        """Where a post lives on the network: from any feed, or from a notice about it."""
        rows = (self.query("SELECT url FROM posts WHERE id = ? AND url != '' LIMIT 1", (post_id,))
                or self.query("SELECT url FROM notices WHERE post_id = ? AND url != '' LIMIT 1", (post_id,)))
        return str(rows[0][0]) if rows else ""

    def thread(self, post_id: str, most: int = 6) -> list[Post]:
        """The post and what it answers, oldest first, as far back as this computer holds (at
        most ``most`` posts, so a long chain stays a glance): shown above the reply box."""
        chain: list[Post] = []
        wanted: str | None = post_id
        while wanted is not None and len(chain) < most and all(p.id != wanted for p in chain):
            rows = self.query("SELECT * FROM posts WHERE id = ? LIMIT 1", (wanted,))
            if not rows:
                break
            chain.append(_post(rows[0]))
            wanted = chain[-1].reply_to_id
        return chain[::-1]

    def count_posts(self, feed: str) -> int:
        return int(self.query("SELECT count(*) FROM posts WHERE feed = ?", (feed,))[0][0])

    def remove_post(self, post_id: str) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM posts WHERE id = ?", (post_id,))

    def oldest_post_id(self, feed: str) -> str | None:
        """Where scrolling back past the stored posts starts."""
        rows = self.query("SELECT id FROM posts WHERE feed = ? ORDER BY position LIMIT 1", (feed,))
        return str(rows[0][0]) if rows else None


def _post(r: sqlite3.Row) -> Post:
    return Post(id=r["id"], position=r["position"], author_id=r["author_id"], author_name=r["author_name"],
                author_handle=r["author_handle"], author_photo_url=r["author_photo_url"], text=r["text"],
                html=r["html"], created_at=to_moment(r["created_at"]) or datetime.now(UTC), url=r["url"],
                reply_to_id=r["reply_to_id"], liked=bool(r["liked"]), likes=r["likes"],
                mentions_me=bool(r["mentions_me"]), shared=bool(r["shared"]), shares=r["shares"],
                share_of=r["share_of"], shared_by=r["shared_by"], in_thread=bool(r["in_thread"]))
