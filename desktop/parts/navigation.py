"""Where a click, a link or a notification takes the person: a tab of the feed window, the
colleague card, a post in the browser. Links route by their kind (desktop.parts.links.LinkKind);
notification actions by theirs ("reply", "read", or open)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRect, QTimer, QUrl
from PySide6.QtWidgets import QMessageBox

from desktop.parts.alerts import Alert
from desktop.parts.coffee import copy_to_clipboard
from desktop.parts.colleague_greeting import MorningColleague
from desktop.parts.feed_view import FeedView
from desktop.parts.links import BadLink, Link, LinkKind, parse
from desktop.parts.notice_centre import NoticeCentre
from desktop.parts.office_week import WeekPlan
from desktop.parts.session import Session
from desktop.system.tray import Tray
from desktop.views.colleague_card import ColleagueCard
from hallway.store import Store
from hallway.text import openable
from ui.language import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from desktop.views.feed_window import FeedWindow

log = logging.getLogger(__name__)
LINK_NOTE_MS = 20_000
NO_TRAY_STATE = "desktop.no_tray_explained"
NO_TRAY_NOTE = QT_TRANSLATE_NOOP("Navigation", "Your desktop has no system tray, so Hallway runs in this window "
                                               "instead. Closing the window quits Hallway.")


class Navigation(QObject):
    def __init__(self, view: FeedView, card: ColleagueCard, tray: Tray, store: Store, session: Session,
                 morning: MorningColleague, notices: NoticeCentre, week: WeekPlan, now: Callable[[], datetime],
                 open_url: Callable[[QUrl], object], show_state: Callable[[], None]) -> None:
        super().__init__()
        self.view, self.card, self.tray, self.store, self.session = view, card, tray, store, session
        self.morning, self.notices, self.week, self.now = morning, notices, week, now
        self._open_url, self._show_state = open_url, show_state
        self._open_feed = QTimer(self)  # the feed window a moment after start (the icon is placed by then)
        self._open_feed.setSingleShot(True)
        self._open_feed.timeout.connect(lambda: self.open_window("feed"))
        tray.open_feed.connect(lambda: self.open_window("feed"))
        tray.open_colleague.connect(self.open_colleague)
        tray.open_in_office.connect(lambda: self.open_window("in_office"))
        tray.icon.messageClicked.connect(lambda: self.open_window("mentions"))
        tray.no_host.connect(self.no_tray)
        view.built.connect(self._listen)

    def _listen(self, window: FeedWindow) -> None:
        window.colleague_wanted.connect(self.open_colleague)
        window.tab_shown.connect(self.tab_shown)
        window.delegate.open_url.connect(self.open_url)

    # ------------------------------------------------------------ notifications

    def act(self, action: str, alert: Alert) -> None:
        """A notification was clicked ("open") or one of its buttons pressed."""
        if action == "reply" and alert.target:
            self.open_window("mentions")
            self.view.window().reply_to_item(alert.target)
        elif action == "read":
            self.mark_read(alert.notice_id)
        else:
            self.open_target(alert.target)

    def mark_read(self, notice_id: str) -> None:
        """Read up to that notice, here and (at the next sync, which is now) on the network."""
        if notice_id and self.store.mark_read("notices", notice_id):
            self.view.if_made(lambda window: window.refresh_counts())
            self._show_state()
            self.session.now()

    def not_shown(self, alert: Alert) -> None:
        """The service could not show it: the tray's balloon, or for the colleague, the card itself."""
        if not self.notices.balloon.show(alert) and alert.target == "colleague":
            self.open_colleague(activate=False)

    def open_target(self, target: str) -> None:
        if target == "colleague":
            self.open_colleague()
        elif target in ("mentions", "announcements"):
            self.open_window(target)
        elif target:
            self.open_window("mentions")
            url = self.store.post_url(target)
            if url:
                self.open_url(url)
        else:
            self.open_window("feed")

    # ------------------------------------------------------------ links

    def open_link(self, text: str) -> bool:
        """A ``hallway://`` link (given at start, or to a second launch); a malformed one is
        ignored with a message in the window."""
        try:
            link = parse(text)
        except BadLink as bad:
            log.warning("ignored a link: %s", bad)
            self.open_window("feed")
            self.say_for_a_while(f"{bad} Hallway opened its feed instead.")
            return False
        return self.follow(link)

    def follow(self, link: Link) -> bool:
        match link.kind:
            case LinkKind.TODAY:
                self.open_colleague()
            case LinkKind.IN_TODAY:
                self.open_window("in_office")
            case LinkKind.COLLEAGUE:
                colleague = self.store.colleague(link.id)
                if colleague is None:
                    self.open_window("feed")
                    self.say_for_a_while(self.tr("That colleague is not in the company directory on this computer "
                                                 "(they may have left, or the directory is still arriving)."))
                    return False
                self.morning.show_person(colleague)
            case LinkKind.POST:
                return self._show_post(link.id)
        return True

    def _show_post(self, post_id: str) -> bool:
        self.open_window("feed")
        if self.view.window().show_post(post_id):
            return True
        url = self.store.post_url(post_id)
        if url:
            self.open_url(url)
            return True
        self.say_for_a_while(self.tr("That post is not in your feed on this computer (it may have been deleted)."))
        return False

    def say_for_a_while(self, note: str) -> None:
        """A link's note: in the window's status line for 20 s, unless something else is said meanwhile."""
        self.view.window().set_status(note)

        def clear() -> None:
            if self.view.window().status.text() == note:
                self.view.window().set_status("")
        QTimer.singleShot(LINK_NOTE_MS, self, clear)

    def open_url(self, url: str) -> None:
        if openable(url):
            self._open_url(QUrl(url))

    # ------------------------------------------------------------ windows

    def open_window(self, tab: str = "feed") -> None:
        self.view.window().show_tab(tab)
        self.view.window().show_near(self.tray_rect())
        if tab in ("feed", "in_office"):
            self.session.now()

    def open_feed_soon(self, ms: int) -> None:
        self._open_feed.start(ms)

    def no_tray(self) -> None:
        """No tray host came: Hallway runs in its window, which says why the first time."""
        self.view.window().quit_on_close = True
        if self.store.get_state(NO_TRAY_STATE) is None:
            self.view.window().set_status(self.tr(NO_TRAY_NOTE))
            self.store.set_state(NO_TRAY_STATE, self.now().isoformat())
        self.open_feed_soon(0)

    def open_colleague(self, activate: bool = True) -> None:
        self.morning.open(activate)

    def compose_to(self, handle: str, name: str = "") -> None:
        self.open_window("feed")
        self.view.window().compose.mention(handle, name)

    def tab_shown(self, tab: str) -> None:
        if tab == "in_office":
            self.view.window().in_office.refresh(self.now().date())
            self.week.draw(self.view.window().week)
            self.view.window().refresh_counts()
            self.session.now()  # and then every few seconds while it stays open

    def tray_rect(self) -> QRect | None:
        rect = self.tray.icon.geometry() if self.tray.available() else QRect()
        return rect if rect.isValid() and not rect.isEmpty() else None

    def invitation_unopened(self, message: str, text: str) -> None:
        """Nothing opened the invitation: say so, and offer to copy it."""
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("Invite for coffee"), message, parent=self.card)
        box.setObjectName("invitation-unopened")
        copy = box.addButton(self.tr("Copy invitation"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Close)
        copy.clicked.connect(lambda: copy_to_clipboard(text))
        box.open()
