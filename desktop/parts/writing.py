"""What the person writes or does to a post in the feed window, sent through hallway.writes:
kept in the outbox and shown at once, or refused in words where the network will not take it
from here (an encrypted room)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from desktop.parts.feed_view import FeedView
from hallway.model import Announcement, Post
from hallway.writes import Writes

if TYPE_CHECKING:
    from desktop.views.compose import Draft
    from desktop.views.feed_window import FeedWindow


class Writing(QObject):
    queued = Signal()  # something waits to be sent: the tray's count changes

    def __init__(self, view: FeedView, writes: Writes, feed: Callable[[], str],
                 say: Callable[[str], None]) -> None:
        super().__init__()
        self.view, self.writes, self.feed, self.say = view, writes, feed, say
        self.refused = ""  # why the network will not take writes from here, or ""
        view.built.connect(self._listen)

    def _listen(self, window: FeedWindow) -> None:
        window.compose.sent.connect(self.write)
        window.delegate.favourite.connect(self.favourite)
        window.delegate.share.connect(self.share)
        window.delegate.dismiss.connect(self.dismiss)
        if self.refused:
            window.compose.set_refused(self.refused)

    def write(self, draft: Draft) -> None:
        """A post or reply from the compose box: into the outbox (delivered once, now or when the
        network is back), "Sending…" until it is (offline: "Will send when you're back online")."""
        self.view.window().compose.set_waiting(self.writes.post(draft.text, draft.reply_to, draft.warning,
                                                         draft.private_to))
        self.queued.emit()

    def favourite(self, post: Post) -> None:
        if self.refused:  # a reaction in an encrypted room would be plain text too
            self.say(self.refused)
        elif (liked := self.writes.like(post, self.feed())) is not None:
            self.view.window().posts.replace(liked)

    def share(self, post: Post) -> None:
        if self.view.window().delegate.can_share and (shared := self.writes.share(post, self.feed())) is not None:
            self.view.window().posts.replace(shared)

    def dismiss(self, announcement: Announcement) -> None:
        self.writes.dismiss(announcement.id)
        self.view.window().announcements.refresh()
        self.view.window().refresh_counts()
