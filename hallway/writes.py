"""What a person does to the network from a screen, kept first and shown at once: a post or a
reply, a like, a share, an announcement dismissed, a check-in shared at the kiosk. Each goes into
the outbox (delivered exactly once, now or when the network is back) and the store changes now,
so the screen shows the change before the network has it; the network's answer, when it comes,
is the same change."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from hallway.model import CheckIn, Colleague, Post, Presence
from hallway.outbox import Outbox
from hallway.store import Store


class Writes:
    def __init__(self, store: Store, outbox: Outbox, deliver_soon: Callable[[], None] | None = None) -> None:
        """``deliver_soon``: the outbox's delivery started now, off the GUI thread (Sync.deliver_soon);
        None where the caller starts it once its own transaction has committed (the kiosk)."""
        self.store, self.outbox = store, outbox
        self.deliver_soon: Callable[[], None] = deliver_soon or (lambda: None)

    def check_in(self, check_in: CheckIn, person: Colleague) -> None:
        """A check-in the person chose to share: queued, and in today's presence at once (the
        kiosk's welcome counts them before the network has it). Written inside the kiosk's own
        transaction with the visit it belongs to: both are kept, or neither."""
        self.outbox.add_check_in(check_in, person)
        self.store.add_presence(check_in.at.date(), Presence(person.id, check_in.place, check_in.at, check_in.met))
        self.deliver_soon()

    def post(self, text: str, reply_to: str | None = None, warning: str = "", private_to: str = "") -> int:
        """Queued; how many writes wait now ("Sending…", and the count on the tray icon)."""
        self.outbox.add_post(text, reply_to, warning, private_to)
        self.deliver_soon()
        return self.outbox.pending_count()

    def like(self, post: Post, feed: str) -> Post | None:
        """The post as it shows now, liked; None when it already was (a like is once)."""
        if post.liked:
            return None
        return self._changed(post, feed, self.outbox.add_reaction, liked=True, likes=post.likes + 1)

    def share(self, post: Post, feed: str) -> Post | None:
        """Shared with the person's followers, once (a second click does nothing; Mastodon answers
        a repeated share with the first)."""
        if post.shared:
            return None
        return self._changed(post, feed, self.outbox.add_share, shared=True, shares=post.shares + 1)

    def dismiss(self, announcement_id: str) -> None:
        self.store.dismiss_announcement(announcement_id)
        self.outbox.add_dismissal(announcement_id)
        self.deliver_soon()

    def _changed(self, post: Post, feed: str, queue: Callable[[str], str], **change: object) -> Post:
        """Queued for the network (its post, not the share wrapping it), kept changed at once."""
        queue(post.acts_on)
        changed = replace(post, **change)  # type: ignore[arg-type]
        self.store.save_posts(feed, [changed])
        self.deliver_soon()
        return changed
