"""The running tray app: the tray icon and its windows, wired to the parts that do the work.

- desktop.parts.session: the network (connect, sign in and out, sync);
- desktop.parts.notice_centre: notifications, do-not-disturb and quiet hours;
- desktop.parts.colleague_greeting: the colleague of the day, with "Say hi" and "Invite for coffee";
- desktop.parts.navigation: where a click, a link or a notification takes the person;
- desktop.parts.preferences: the settings window and who follows a change;
- desktop.parts.signing: signing in and out, and what the window says meanwhile;
- desktop.parts.writing (over hallway.writes): a post, a like, a share, a dismissal, kept and shown at once.

This module only joins them and draws what sync and the stream bring. Everything shown
comes from the store; the network is reached only on executor threads, so the GUI never waits.
Idle, the app does nothing at all: the network's stream pushes what is new, and single-shot
timers wake it only when something is due.
"""

from __future__ import annotations

import logging
import webbrowser
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices
from PySide6.QtWidgets import QWidget

from desktop.parts.celebrating import Celebrating
from desktop.parts.coffee import Invitations
from desktop.parts.colleague_greeting import MorningColleague
from desktop.parts.colleague_of_the_day import DailyColleague
from desktop.parts.company_network import CompanyNetwork
from desktop.parts.feed_view import FeedView
from desktop.parts.navigation import Navigation
from desktop.parts.notice_centre import NoticeCentre
from desktop.parts.office_week import WeekPlan
from desktop.parts.preferences import Preferences
from desktop.parts.session import Session
from desktop.parts.signing import Signing
from desktop.parts.writing import Writing
from desktop.system.notify import Notifier
from desktop.system.screen_lock import ScreenLock
from desktop.system.screen_reader import announce, words_for
from desktop.system.tray import Tray
from desktop.system.unlock import ScreenUnlock
from desktop.views.colleague_card import ColleagueCard
from desktop.views.sign_in_forms import SignInAsker
from desktop.views.tray_icon import TrayState
from hallway import config as settings
from hallway.networks import StreamEvent
from hallway.outbox import Outbox
from hallway.schedule import Attention
from hallway.store import Store
from hallway.sync import Connection, SyncResult
from hallway.writes import Writes
from ui.lifetime import give_back_memory, request_quit

if TYPE_CHECKING:
    from desktop.views.feed_window import FeedWindow

log = logging.getLogger(__name__)


class TrayApp(QObject):
    unlocked = Signal()  # the person unlocked the screen (from the unlock watcher's thread)

    def __init__(self, config: settings.Config, store: Store, executor: ThreadPoolExecutor,
                 notifier: Notifier | None = None, open_url: Callable[[QUrl], object] = QDesktopServices.openUrl,
                 now: Callable[[], datetime] = lambda: datetime.now().astimezone(),
                 browser: Callable[[str], object] = webbrowser.open, tray_wait_s: float = 60.0) -> None:
        """``tray_wait_s``: how long a missing tray host is waited for before Hallway runs in a
        window (at login the panel often comes up after the apps: QTBUG-61898, as maestral-qt)."""
        super().__init__()
        self.tray_wait_s = tray_wait_s
        self.store, self.executor, self.now = store, executor, now
        self._open_url = open_url
        self.accent = QColor(config["appearance.accent"])
        self.outbox = Outbox(store)
        self.screen_lock = ScreenLock()  # sync slows down while the screen is locked
        self.daily = DailyColleague(store, now)
        self.first_result = True

        self.tray = Tray(self)
        self.feed_view = FeedView(self._make_window)  # made when first needed: a hidden app goes without
        self.announcer = QWidget()  # what a screen reader hears announcements from, window or not
        self.asker = SignInAsker()
        self.card = ColleagueCard(self.accent)
        self.session = Session(config, store, executor, self.outbox, self.daily, browser, self.asker)
        self.notices = NoticeCentre(store, config, self.tray, now, notifier)
        self.invitations = Invitations(config["desktop.calendar"], config["desktop.outlook_host"],
                                       lambda: self.notices.quiet.hours, now, self._open_url, config["office.name"])
        self.week = WeekPlan(store, config, self.outbox, now, self.session.deliver_soon, self.daily.me)
        self.card.starred = self.week.is_starred
        self.celebrating = Celebrating(store, config, now, self.week.office)
        self.morning = MorningColleague(store, config, self.session, self.notices, self.card, self.invitations,
                                        lambda: self.navigation.tray_rect(), now)
        self.company_network = CompanyNetwork(executor, lambda: self.session.now(full=True))
        self.company_network.refused.connect(lambda words: self.feed_view.draw("status", lambda w: w.set_status(words)))
        self.navigation = Navigation(self.feed_view, self.card, self.tray, store, self.session, self.morning,
                                     self.notices, self.week, now, open_url, self.show_state)
        self.signing = Signing(self.feed_view, self.session, self.daily, lambda: self.preferences.config,
                               lambda: self.navigation.open_window("feed"))
        self.preferences = self.signing.preferences = Preferences(config, self.signing.account,
                                                                  self.navigation.tray_rect, executor,
                                                                  lambda: self.session.network)
        self.writing = Writing(self.feed_view, Writes(store, self.outbox, self.session.deliver_soon), lambda: self.feed,
                               self.navigation.say_for_a_while)
        for part in (self.session, self.notices, self.invitations, self.morning, self.company_network, self.navigation,
                     self.preferences, self.signing, self.writing):
            part.setParent(self)  # their timers are the app's: stopped with it
        self.unlocked.connect(self.morning.greet)
        self.unlock = ScreenUnlock(self.unlocked.emit)
        self._wire()

    def _wire(self) -> None:
        session, notices, go, prefs = self.session, self.notices, self.navigation, self.preferences
        view = self.feed_view
        session.watching_presence = lambda: view.visible() and self.window.current_tab() == "in_office"
        session.attention = lambda: (Attention.AWAY if self.screen_lock.locked else
                                     Attention.LOOKING if view.visible() else Attention.AROUND)
        session.connection_changed.connect(self._connection_changed)
        view.follow(session, self.now)
        session.synced.connect(self.synced)
        session.pushed.connect(self.pushed)
        session.pending.connect(lambda _count: self.show_state())  # "1 waiting to send" on the icon
        self.signing.signed_in.connect(self._signed_in)  # the next result is a first one again
        notices.acted.connect(go.act)
        notices.not_shown.connect(go.not_shown)
        notices.quiet_changed.connect(self.show_state)
        notices.raised.connect(lambda alert: announce(self.announcer, words_for(alert)))
        self.morning.compose_to.connect(go.compose_to)
        self.morning.open_link.connect(go.open_url)
        self.invitations.unopened.connect(go.invitation_unopened)
        self.week.show_in(view, lambda on: prefs.change("office_week.share", on))
        self.week.refused.connect(go.say_for_a_while)
        self.card.star.connect(self.week.star)
        for part in (session, notices, self.week, self.morning, self.celebrating, self.invitations):
            prefs.changed.connect(part.reconfigure)  # each part that reads settings follows a change
        prefs.feed_chosen.connect(lambda feed: view.if_made(lambda w: w.set_feed(feed)))
        prefs.feed_chosen.connect(session.set_feed)
        prefs.sign_out_wanted.connect(self.signing.sign_out)
        view.built.connect(self._window_made)
        self.writing.queued.connect(self.show_state)  # "1 waiting to send" on the icon

        self.tray.open_settings.connect(prefs.open)
        self.tray.dnd_chosen.connect(notices.choose_dnd)
        self.tray.sign_in.connect(self.signing.sign_in)
        self.tray.sign_out.connect(self.signing.sign_out)
        self.tray.quit.connect(request_quit)

    def _make_window(self) -> FeedWindow:
        from desktop.views.feed_window import FeedWindow  # here: its modules wait for the window too

        return FeedWindow(self.store, self.feed, self.accent, self.config["office.name"])

    def _window_made(self, window: FeedWindow) -> None:
        """The feed window exists now: listen to it."""
        self.asker.parent_widget = window
        window.settings_wanted.connect(self.preferences.open)
        window.sign_in_wanted.connect(self.signing.sign_in)
        window.read.connect(self.show_state)

    @property
    def window(self) -> FeedWindow:
        """The feed window, made now if it was not yet."""
        return self.feed_view.window()

    # The parts' state, where the windows and tests ask for it.
    @property
    def config(self) -> settings.Config:
        return self.preferences.config

    @property
    def connection(self) -> Connection:
        return self.session.connection

    @property
    def feed(self) -> str:
        return str(self.session.feed)

    # ------------------------------------------------------------ start and stop

    def start(self, show_window: bool = False) -> None:
        """Draw from the store at once; then connect, in the background."""
        self.tray.show()
        self.tray.wait_for_host(self.tray_wait_s)
        self.preferences.apply_autostart()
        self.session.connect_network()
        self.show_state()
        self.notices.start()
        self.morning.start()
        self.unlock.start()
        if show_window:  # a moment later: the tray host has placed the icon, so the window opens beside it
            self.navigation.open_feed_soon(250)

    def start_sync(self) -> None:
        self.session.start_sync()

    def stop(self) -> None:
        for timer in self.findChildren(QTimer):
            timer.stop()
        self.morning.stop()
        self.session.stop()
        self.notices.stop()
        self.unlock.stop()
        self.screen_lock.stop()

    # ------------------------------------------------------------ what sync brings

    def synced(self, result: SyncResult) -> None:
        first, self.first_result = self.first_result, False
        if first:
            self.notices.history_only()
        online = self.connection is Connection.ONLINE
        notes = self.session.server_notes() if online else ""
        self.feed_view.draw("result", lambda w: w.show_result(result, self.now().date(), notes))
        self.feed_view.if_made(lambda w: self.week.draw(w.week))
        self.writing.refused = result.refusals.get("feed", self.writing.refused)
        self.notices.notify()
        self.notices.tell_the_day(self.week, self.celebrating, result.people_changed > 0)
        self.show_state()
        if self.daily.due():
            self.morning.greet()
        if first or result.people_changed or result.posts_new > 40:
            give_back_memory()

    def pushed(self, event: StreamEvent) -> None:
        if event.notice is not None:
            self.notices.notify_soon()
        if event.announcements_changed:
            self.session.now(full=True)
        self.show_state()

    def _connection_changed(self, connection: Connection, why: str) -> None:
        if connection is Connection.SIGNED_OUT:
            shown = self.feed_view.made()
            why = self.session.signed_out_words(why, keep=shown.sign_in_note.text() if shown is not None else "")
        elif connection is Connection.PROBLEM:
            self.company_network.maybe_ask(self.session.sync.problem if self.session.sync is not None else None)
        notes = self.session.server_notes()
        self.feed_view.draw("connection", lambda w: w.show_connection(connection, why, notes))
        self.show_state()

    def show_state(self) -> None:
        signed_out = self.connection is Connection.SIGNED_OUT
        state = TrayState(unread=not signed_out and self.store.unread_posts(self.feed) > 0,
                          mentions=0 if signed_out else self.store.unread_mentions(),
                          offline=self.connection in (Connection.OFFLINE, Connection.PROBLEM),
                          quiet=self.notices.quiet_now(), signed_out=signed_out,
                          waiting=self.outbox.pending_count())
        self.tray.show_state(state)
        self.tray.show_dnd(self.notices.dnd_choice())

    def _signed_in(self) -> None:
        self.first_result = True
        self.show_state()
