"""Read positions: the network's markers as this computer knows them, only ever moving forward."""

from __future__ import annotations

from hallway.store.database import Database


class Markers(Database):

    def read_marker(self, feed: str) -> str | None:
        """The last item read in ``feed`` (a feed's post, or "notices"), as this computer knows it."""
        return self.get_state(f"marker:{feed}") or None

    def marker_sent(self, feed: str) -> str | None:
        """The read position last sent to the network for ``feed`` (so it is sent once)."""
        return self.get_state(f"marker:{feed}:sent")

    def set_marker_sent(self, feed: str, item_id: str) -> None:
        self.set_state(f"marker:{feed}:sent", item_id)

    def position_of(self, feed: str, item_id: str) -> str | None:
        rows = (self.query("SELECT position FROM notices WHERE id = ?", (item_id,)) if feed == "notices"
                else self.query("SELECT position FROM posts WHERE feed = ? AND id = ?", (feed, item_id)))
        return str(rows[0][0]) if rows else None

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
                              (feed, position or ""))[0][0])

    def unread_mentions(self, thread: str | None = None) -> int:
        """Mentions and replies after the read position: the number on the tray icon; with
        ``thread``, those of one conversation (see Notice.thread)."""
        marker = self.read_marker("notices")
        position = self.position_of("notices", marker) if marker else None
        where, args = ("AND coalesce(thread_id, post_id, id) = ?", (thread,)) if thread is not None else ("", ())
        sql = f"SELECT count(*) FROM notices WHERE kind IN ('mention', 'reply') AND position > ? {where}"  # noqa: S608
        return int(self.query(sql, (position or "", *args))[0][0])
