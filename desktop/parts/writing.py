"""What the person writes or does to a post in the feed window, sent through hallway.writes:
kept in the outbox and shown at once, or refused in words where the network will not take it
from here (an encrypted room)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from desktop.views.compose import Draft
from desktop.views.feed_window import FeedWindow
from hallway.model import Announcement, Post
from hallway.writes import Writes


class Writing(QObject):
    queued = Signal()  # something waits to be sent: the tray's count changes

    def __init__(self, window: FeedWindow, writes: Writes, feed: Callable[[], str],
                 say: Callable[[str], None]) -> None:
        super().__init__()
        self.window, self.writes, self.feed, self.say = window, writes, feed, say
        self.refused = ""  # why the network will not take writes from here, or ""
        window.compose.sent.connect(self.write)
        window.delegate.favourite.connect(self.favourite)
        window.delegate.share.connect(self.share)
        window.delegate.dismiss.connect(self.dismiss)

    def write(self, draft: Draft) -> None:
        """A post or reply from the compose box: into the outbox (delivered once, now or when the
        network is back), "Sending…" until it is (offline: "Will send when you're back online")."""
        self.window.compose.set_waiting(self.writes.post(draft.text, draft.reply_to, draft.warning,
                                                         draft.private_to))
        self.queued.emit()

    def favourite(self, post: Post) -> None:
        if self.refused:  # a reaction in an encrypted room would be plain text too
            self.say(self.refused)
        elif (liked := self.writes.like(post, self.feed())) is not None:
            self.window.posts.replace(liked)

    def share(self, post: Post) -> None:
        if self.window.delegate.can_share and (shared := self.writes.share(post, self.feed())) is not None:
            self.window.posts.replace(shared)

    def dismiss(self, announcement: Announcement) -> None:
        self.writes.dismiss(announcement.id)
        self.window.announcements.refresh()
        self.window.refresh_counts()
