"""Signing in and out from the tray app: the network's own sign-in page in the browser, what the
window says meanwhile and after, and what settings say about the account."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from desktop.parts.colleague_of_the_day import DailyColleague
from desktop.parts.feed_view import FeedView
from desktop.parts.preferences import Preferences
from desktop.parts.session import Session
from hallway import config as settings
from hallway.sync import Connection
from ui.language import fill


class Signing(QObject):
    signed_in = Signal()  # a sign-in finished: the next sync result is a first one again

    def __init__(self, view: FeedView, session: Session, daily: DailyColleague,
                 config: Callable[[], settings.Config], open_feed: Callable[[], None]) -> None:
        super().__init__()
        self.view, self.session, self.daily, self.config, self.open_feed = view, session, daily, config, open_feed
        self.preferences: Preferences | None = None  # told about sign-outs once it exists
        session.signed_in.connect(self._after_sign_in)
        session.signed_out.connect(self._after_sign_out)

    def sign_in(self) -> None:
        if not self.config()["network.server"]:
            self.view.window().set_signed_out(True, self.session.no_server_words())
            self.open_feed()
            return
        if self.session.sign_in():
            self.view.window().set_signed_out(True, self.tr("Finish signing in in your browser…"))
            self.open_feed()

    def sign_out(self) -> None:
        self.session.sign_out()
        if self.preferences is not None:
            self.preferences.show_account(self.tr("Signed out"), False)

    def account(self) -> tuple[str, bool]:
        """What settings say about the sign-in, and whether there is one to end."""
        signed_in = self.session.connection is not Connection.SIGNED_OUT
        me, server = self.daily.me(), self.config()["network.server"]
        return (fill(self.tr("Signed in as %1 on %2"), me.name, server) if signed_in and me else
                fill(self.tr("Signed in on %1"), server) if signed_in else self.tr("Signed out"), signed_in)

    def _after_sign_in(self, failure: str) -> None:
        if failure:
            self.view.window().set_signed_out(True, fill(self.tr("Sign-in did not finish: %1"), failure))
            return
        self.signed_in.emit()

    def _after_sign_out(self, words: str) -> None:
        """What the network did: a refused revocation is said, never a bare "Signed out"."""
        self.view.window().set_signed_out(True, words)
        if self.preferences is not None:
            self.preferences.show_account(words, False)
