"""The colleague of the day on the laptop, with what one does about them: once a day after
07:00 a notification that opens their card (the card itself where no notification can be
shown), held while it is quiet like any other; and from the card, "Say hi" (the compose box with
them mentioned) and "Invite for coffee" (desktop.parts.coffee)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, QRect, QTimer, Signal

from desktop.parts.alerts import Alert
from desktop.parts.coffee import Invitations
from desktop.parts.notice_centre import NoticeCentre
from desktop.parts.session import Session
from desktop.views.colleague_card import ColleagueCard
from desktop.views.placement import near_tray
from hallway import config as settings
from hallway.model import Colleague
from hallway.store import Store

LONGEST_WAIT_MS = 2**31 - 1


class MorningColleague(QObject):
    compose_to = Signal(str, str)  # "Say hi": a private message to this handle (and the name to show)
    open_link = Signal(str)  # a web page to open (their profile, when Hallway cannot write)

    def __init__(self, store: Store, config: settings.Config, session: Session, notices: NoticeCentre,
                 card: ColleagueCard, invitations: Invitations, tray_rect: Callable[[], QRect | None],
                 now: Callable[[], datetime]) -> None:
        super().__init__()
        self.store, self.config, self.session, self.notices, self.now = store, config, session, notices, now
        self.daily = session.daily
        self.card, self.invitations, self._tray_rect = card, invitations, tray_rect
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.greet)
        session.me_known.connect(self.greet)
        session.photo_fetched.connect(self._photo_fetched)
        card.say_hi.connect(self.say_hi)
        card.invite.connect(self.invite)

    def reconfigure(self, config: settings.Config) -> None:
        self.config = config

    def start(self) -> None:
        self._timer.start(0)  # the first start after 07:00 greets; before it, waits for 07:00

    def stop(self) -> None:
        self._timer.stop()

    def greet(self) -> None:
        """Once a day after 07:00; held while quiet (the quiet timer calls again)."""
        if not self.daily.due() or not self.config["notifications.colleague"] or self.notices.quiet_now():
            self._wait_for_tomorrow()
            return
        colleague = self.daily.colleague()
        if colleague is None:
            return  # the directory has not arrived: the next sync tries again
        self.daily.shown()
        body = " · ".join(f for f in (colleague.title, colleague.team) if f) or self.tr("Say hi today")
        if not self.notices.show(Alert(self.tr("Meet %1").replace("%1", colleague.name), body,
                                       "colleague", "colleague")):
            self.open(activate=False)
        self._wait_for_tomorrow()

    def _wait_for_tomorrow(self) -> None:
        wait = (self.daily.next_morning() - self.now()).total_seconds()
        self._timer.start(max(60_000, min(int(wait * 1000), LONGEST_WAIT_MS)))

    def open(self, activate: bool = True) -> None:
        """Today's colleague's card, beside the tray icon."""
        colleague = self.daily.colleague()
        if colleague is None:
            why = self.session.directory_problem()
            self.card.show_nobody(self.tr("Hallway cannot read the company directory. %1").replace("%1", why)
                                  if why else "")
            self._place(activate)
        else:
            self._show(colleague, of_the_day=True, activate=activate)

    def show_person(self, colleague: Colleague) -> None:
        """Any colleague's card (a ``hallway://colleague`` link), with the same "Say hi" and
        "Invite for coffee"."""
        today = self.daily.colleague()
        self._show(colleague, of_the_day=today is not None and today.id == colleague.id, activate=True)

    def _show(self, colleague: Colleague, of_the_day: bool, activate: bool) -> None:
        photo = self.store.photo(colleague.photo_url) if colleague.photo_url else None
        self.card.show_colleague(colleague, photo, self.now().date(), of_the_day)
        if photo is None and colleague.photo_url:
            self.session.fetch_photo(colleague.photo_url)
        self._place(activate)

    def _place(self, activate: bool) -> None:
        if not self.card.isVisible():
            self.card.adjustSize()
            near_tray(self.card, self._tray_rect())
        self.card.show()
        if activate:
            self.card.raise_()
            self.card.activateWindow()

    def _photo_fetched(self, url: str) -> None:
        shown = self.card.colleague
        if shown is not None and shown.photo_url == url and self.card.isVisible():
            today = self.daily.colleague()
            self.card.show_colleague(shown, self.store.photo(url), self.now().date(),
                                     of_the_day=today is not None and today.id == shown.id)

    def say_hi(self, colleague: Colleague) -> None:
        """A private message to the colleague in the compose box, where the network has them;
        elsewhere (Matrix, Chatter) or signed out, their profile on the network's own pages."""
        network = self.session.network
        if network is not None and colleague.handle and network.capabilities().private_messages:
            self.card.hide()
            self.compose_to.emit(colleague.handle, colleague.name)
        elif colleague.profile_url:
            self.open_link.emit(colleague.profile_url)

    def invite(self, colleague: Colleague) -> None:
        self.invitations.send(self.daily.me(), colleague)
