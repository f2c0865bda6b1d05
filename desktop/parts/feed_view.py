"""The feed window as the rest of the tray app sees it: built the first time someone opens it or
something must be said in it, not at start.

Most of the day, on most laptops, the tray app runs hidden: it never needs the window's widgets,
its lists' models and delegate, or the compose box (which loads the input method's tables), about
10 MB of the app's memory (docs/performance.md, "the bundle"). Until the window is built, the
latest news of each kind for it (the connection, the last sync result, what waits to be sent) is
kept and drawn in the order it came once it is; the lists themselves are read from the store then.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from desktop.parts.session import Session
    from desktop.views.feed_window import FeedWindow

Draw = Callable[["FeedWindow"], None]


class FeedView(QObject):
    built = Signal(object)  # the FeedWindow, just made and told the news: listeners connect, and draw from the store

    def __init__(self, build: Callable[[], FeedWindow]) -> None:
        super().__init__()
        self._build = build
        self._window: FeedWindow | None = None
        self._kept: dict[str, Draw] = {}  # the latest of each kind, in the order they came

    def follow(self, session: Session, now: Callable[[], datetime]) -> None:
        """What the session says that the window shows: kept until it is made, or (what it reads
        from the store anyway when made) drawn only on a window that exists."""
        def made(window: FeedWindow) -> None:
            window.wants_older.connect(session.fetch_older)
            window.in_office.refresh(now().date())
            window.refresh_counts()
            window.compose.set_waiting(session.outbox.pending_count())
        self.built.connect(made)
        session.opened.connect(lambda capabilities: self.draw("opened", lambda w: w.network_opened(capabilities)))
        # what waits is read from the outbox when the window is made (above), so nothing is kept
        session.pending.connect(lambda count: self.if_made(lambda w: w.compose.set_waiting(count)))
        session.limit_known.connect(lambda limit: self.draw("limit", lambda w: w.compose.set_limit(limit)))
        session.older_fetched.connect(lambda feed, count: self.if_made(lambda w: w.older_fetched(feed, count)))
        session.pushed.connect(lambda event: self.if_made(lambda w: w.show_pushed(event)))

    def window(self) -> FeedWindow:
        """The window, made now if it was not yet (and told what it missed)."""
        if self._window is None:
            self._window = window = self._build()
            kept, self._kept = self._kept, {}
            for draw in kept.values():
                draw(window)
            self.built.emit(window)  # after the news: what listeners read from the store now is newer
        return self._window

    def made(self) -> FeedWindow | None:
        """The window if it has been made, without making it."""
        return self._window

    def draw(self, kind: str, draw: Draw) -> None:
        """Draw on the window now, or keep it (the latest of ``kind`` replaces an older one) until
        the window is made."""
        if self._window is not None:
            draw(self._window)
        else:
            self._kept.pop(kind, None)
            self._kept[kind] = draw

    def if_made(self, draw: Draw) -> None:
        """Something a window made later reads from the store anyway: drawn only on a window that
        exists."""
        if self._window is not None:
            draw(self._window)

    def visible(self) -> bool:
        return self._window is not None and self._window.isVisible()
