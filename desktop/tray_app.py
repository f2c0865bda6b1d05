"""The running tray app: the tray icon and its windows, wired to the parts that do the work.

- desktop.session: the network (connect, sign in and out, sync);
- desktop.notice_centre: notifications, do-not-disturb and quiet hours;
- desktop.morning: the colleague of the day, with "Say hi" and "Invite for coffee";
- desktop.navigation: where a click, a link or a notification takes the person;
- desktop.preferences: the settings window and who follows a change;
- hallway.writes: a post, a like, a share, a dismissal, kept and shown at once.

This module only joins them and draws what sync and the stream bring. Everything shown
comes from the store; the network is reached only on executor threads, so the GUI never waits.
Idle, the app does nothing at all: the network's stream pushes what is new, and single-shot
timers wake it only when something is due.
"""

from __future__ import annotations

import logging
import time
import webbrowser
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices

from desktop.celebrating import Celebrating
from desktop.coffee import Invitations
from desktop.colleague_card import ColleagueCard
from desktop.compose import Draft
from desktop.daily import DailyColleague
from desktop.feed_window import FeedWindow
from desktop.morning import MorningColleague
from desktop.navigation import Navigation
from desktop.notice_centre import NoticeCentre
from desktop.notify import Notifier
from desktop.preferences import Preferences
from desktop.proxy_sign_in import ProxySignIn
from desktop.screen_lock import ScreenLock
from desktop.screen_reader import announce, words_for
from desktop.session import Session, SignedOut
from desktop.sign_in_forms import SignInAsker
from desktop.tray import Tray
from desktop.tray_icon import TrayState
from desktop.unlock import ScreenUnlock
from desktop.week_plan import WeekPlan
from hallway import config as settings
from hallway.model import Announcement, Post
from hallway.networks import StreamEvent
from hallway.outbox import Outbox
from hallway.schedule import Attention
from hallway.store import Store
from hallway.sync import Connection, SyncResult
from hallway.writes import Writes
from ui.language import QT_TRANSLATE_NOOP, fill
from ui.lifetime import give_back_memory, request_quit

log = logging.getLogger(__name__)
TRAY_POLL_MS = 1000
NO_TRAY_STATE = "desktop.no_tray_explained"
NO_TRAY_NOTE = QT_TRANSLATE_NOOP("TrayApp", "Your desktop has no system tray, so Hallway runs in this window "
                                            "instead. Closing the window quits Hallway.")


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
        self.config, self.store, self.executor, self.now = config, store, executor, now
        self._open_url = open_url
        self.accent = QColor(config["appearance.accent"])
        self.outbox = Outbox(store)
        self.screen_lock = ScreenLock()  # sync slows down while the screen is locked
        self.daily = DailyColleague(store, now)
        self.first_result = True
        self.write_refused = ""  # why the network will not take writes from here (an encrypted room), or ""

        self.tray = Tray(self)
        self.window = FeedWindow(store, config["network.feed"], self.accent, config["office.name"])
        self.asker = SignInAsker(self.window)
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
        self.proxy_sign_in = ProxySignIn(executor, lambda: self.session.now(full=True))
        self.proxy_sign_in.refused.connect(self.window.set_status)
        self.navigation = Navigation(self.window, self.card, self.tray, store, self.session, self.morning,
                                     self.notices, self.week, now, open_url, self.show_state)
        self.preferences = Preferences(config, self._account, self.navigation.tray_rect)
        self.writes = Writes(store, self.outbox, self.session.deliver_soon)
        for part in (self.session, self.notices, self.invitations, self.morning, self.proxy_sign_in, self.navigation,
                     self.preferences):
            part.setParent(self)  # their timers are the app's: stopped with it
        self.unlocked.connect(self.morning.greet)
        self.unlock = ScreenUnlock(self.unlocked.emit)
        self._wire()

        self._open_timer = self._single_shot(lambda: self.navigation.open_window("feed"))
        self._tray_timer = self._single_shot(self._tray_check)
        self._tray_deadline = 0.0

    def _wire(self) -> None:
        session, notices, window, go, prefs = self.session, self.notices, self.window, self.navigation, self.preferences
        session.watching_presence = lambda: window.isVisible() and window.current_tab() == "in_office"
        session.attention = lambda: (Attention.AWAY if self.screen_lock.locked else
                                     Attention.LOOKING if window.isVisible() else Attention.AROUND)
        session.connection_changed.connect(self._connection_changed)
        session.opened.connect(self._opened)
        session.synced.connect(self.synced)
        session.pushed.connect(self.pushed)
        session.pending.connect(window.compose.set_waiting)  # "Sending…" in the compose box
        session.pending.connect(lambda _count: self.show_state())  # and "1 waiting to send" on the icon
        session.limit_known.connect(self._network_known)
        session.signed_in.connect(self._after_sign_in)
        session.signed_out.connect(self._after_sign_out)
        session.older_fetched.connect(self._older_fetched)
        notices.acted.connect(go.act)
        notices.not_shown.connect(go.not_shown)
        notices.quiet_changed.connect(self.show_state)
        notices.raised.connect(lambda alert: announce(self.window, words_for(alert)))
        self.morning.compose_to.connect(go.compose_to)
        self.morning.open_link.connect(go.open_url)
        self.invitations.unopened.connect(go.invitation_unopened)
        window.week.day_toggled.connect(self.week.toggle)
        window.week.share_toggled.connect(lambda on: prefs.change("office_week.share", on))
        self.week.changed.connect(lambda: self.week.draw(window.week))
        self.week.refused.connect(go.say_for_a_while)
        self.card.star.connect(self.week.star)
        prefs.changed.connect(self._reconfigure)
        prefs.feed_chosen.connect(self._feed_chosen)
        prefs.sign_out_wanted.connect(self.sign_out)

        self.tray.open_feed.connect(lambda: go.open_window("feed"))
        self.tray.open_colleague.connect(go.open_colleague)
        self.tray.open_in_office.connect(lambda: go.open_window("in_office"))
        self.tray.open_settings.connect(prefs.open)
        self.tray.dnd_chosen.connect(notices.choose_dnd)
        self.tray.sign_in.connect(self.sign_in)
        self.tray.sign_out.connect(self.sign_out)
        self.tray.quit.connect(request_quit)
        self.tray.icon.messageClicked.connect(lambda: go.open_window("mentions"))
        window.settings_wanted.connect(prefs.open)
        window.sign_in_wanted.connect(self.sign_in)
        window.colleague_wanted.connect(go.open_colleague)
        window.compose.sent.connect(self.write)
        window.read.connect(self.show_state)
        window.tab_shown.connect(go.tab_shown)
        window.delegate.favourite.connect(self.favourite)
        window.delegate.boost.connect(self.boost)
        window.delegate.open_url.connect(go.open_url)
        window.delegate.dismiss.connect(self.dismiss)
        window.posts.wants_older.connect(self.session.fetch_older)

    # The parts' state, where the windows and tests ask for it.
    @property
    def connection(self) -> Connection:
        return self.session.connection

    @property
    def notifier(self) -> Notifier:
        return self.notices.notifier

    @property
    def feed(self) -> str:
        return str(self.session.feed)

    def _single_shot(self, slot: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.timeout.connect(slot)
        return timer

    # ------------------------------------------------------------ start and stop

    def start(self, show_window: bool = False) -> None:
        """Draw from the store at once; then connect, in the background."""
        self.window.in_office.refresh(self.now().date())
        self.window.refresh_counts()
        # Shown even with no tray host yet: Qt adds a visible icon to a tray that appears later.
        self.tray.show()
        if not self.tray.available():
            if self.tray_wait_s > 0:
                self._tray_deadline = time.monotonic() + self.tray_wait_s
                self._tray_timer.start(TRAY_POLL_MS)
            else:
                self._no_tray()
        self.preferences.apply_autostart()
        self.session.connect_network()
        self.show_state()
        self.notices.start()
        self.morning.start()
        self.unlock.start()
        if show_window:  # a moment later: the tray host has placed the icon, so the window opens beside it
            self._open_timer.start(250)

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

    def _tray_check(self) -> None:
        """Waiting for a late tray host: a check a second, for a minute at most, then a window."""
        if self.tray.available():
            log.info("the tray host appeared")
            return
        if time.monotonic() >= self._tray_deadline:
            self._no_tray()
            return
        self._tray_timer.start(TRAY_POLL_MS)

    def _no_tray(self) -> None:
        log.warning("no system tray: running in a window")
        self.window.quit_on_close = True
        if self.store.get_state(NO_TRAY_STATE) is None:
            self.window.set_status(self.tr(NO_TRAY_NOTE))
            self.store.set_state(NO_TRAY_STATE, self.now().isoformat())
        self._open_timer.start(0)

    # ------------------------------------------------------------ what sync brings

    def synced(self, result: SyncResult) -> None:
        first, self.first_result = self.first_result, False
        notes = self.session.server_notes()
        if notes and self.connection is Connection.ONLINE:
            self.window.set_status(notes)
        if first:
            self.notices.history_only()
        self.window.in_office.refresh(self.now().date())
        self.week.draw(self.window.week)
        self.window.refresh()  # every list, then the tab counts once
        self.window.compose.set_waiting(result.pending)
        self.window.set_in_office_problem(next((p.message for p in result.problems if p.step == "presence"), ""))
        if "feed" in result.refusals:
            self.write_refused = result.refusals["feed"]
            self.window.compose.set_refused(self.write_refused)
        if result.photos_new:
            self.window.delegate.forget()
            for view in self.window.lists.values():
                view.viewport().update()
        self.notices.notify()
        self._tell_the_day(result.people_changed > 0)
        self.show_state()
        if self.daily.due():
            self.morning.greet()
        if first or result.people_changed or result.posts_new > 40:
            give_back_memory()

    def _tell_the_day(self, people_changed: bool = False) -> None:
        """A starred colleague checked in, and the day's celebrations: one quiet notification
        each a day, held while quiet."""
        if self.notices.quiet_now():
            return
        for alert in self.week.starred_in():
            if self.notices.show(alert):
                self.week.told(alert)
        if (cheer := self.celebrating.due(people_changed)) is not None and self.notices.show(cheer):
            self.celebrating.told()

    def pushed(self, event: StreamEvent) -> None:
        if event.post is not None or event.edit is not None or event.reactions is not None:
            self.window.posts.refresh()
        if event.deleted_post_id:
            self.window.posts.remove(event.deleted_post_id)
        if event.notice is not None:
            self.window.notices.refresh()
            self.notices.notify_soon()
        if event.announcements_changed:
            self.session.now(full=True)
        self.window.refresh_counts()
        self.show_state()

    def _connection_changed(self, connection: Connection, why: str) -> None:
        if connection is Connection.SIGNED_OUT:
            self.window.set_signed_out(True, self._signed_out_words(why))
            self.window.set_status("")
        elif connection is Connection.OFFLINE:
            self.window.set_status(self.tr("Offline: showing what was last synced. Hallway reconnects by itself."))
        elif connection is Connection.SLOW:
            self.window.set_status(self.tr("Sending slowly: the network limits how fast Hallway may write. "
                                           "What you wrote goes out by itself."))
        elif connection is Connection.PROBLEM:
            self.window.set_status(fill(self.tr("Not syncing: %1 Showing what was last synced; Hallway keeps trying."),
                                        why))
            self.proxy_sign_in.maybe_ask(self.session.sync.problem if self.session.sync is not None else None)
        else:
            self.window.set_status(self.session.server_notes())
            self.window.set_signed_out(False)
        self.window.compose.set_offline(connection in (Connection.OFFLINE, Connection.PROBLEM))
        self.show_state()

    def _signed_out_words(self, why: str) -> str:
        """What the signed-out window says: why, and what to do."""
        if self.session.signing_in:  # "Finish signing in in your browser…" stays
            return self.window.sign_in_note.text()
        reason = self.session.signed_out_reason
        if reason is SignedOut.REFUSED:
            return self.tr("The network no longer accepts this computer's sign-in: it was ended (you signed out "
                           "elsewhere, or IT did) or it expired. Sign in again to go on; what you wrote waits.")
        if reason is SignedOut.NO_SERVER:
            return self.tr("No server is set for Hallway. Ask IT, or see docs/admin.md.")
        if reason in (SignedOut.KEYRING, SignedOut.PROBLEM) and why:
            return why
        return ""  # not signed in yet: the window's own words, on signing in

    def show_state(self) -> None:
        signed_out = self.connection is Connection.SIGNED_OUT
        state = TrayState(unread=not signed_out and self.store.unread_posts(self.feed) > 0,
                          mentions=0 if signed_out else self.store.unread_mentions(),
                          offline=self.connection in (Connection.OFFLINE, Connection.PROBLEM),
                          quiet=self.notices.quiet_now(), signed_out=signed_out,
                          waiting=self.outbox.pending_count())
        self.tray.show_state(state)
        self.tray.show_dnd(self.notices.dnd_choice())

    # ------------------------------------------------------------ settings

    def _account(self) -> tuple[str, bool]:
        """What settings say about the sign-in, and whether there is one to end."""
        signed_in = self.connection is not Connection.SIGNED_OUT
        me, server = self.daily.me(), self.config["network.server"]
        return (fill(self.tr("Signed in as %1 on %2"), me.name, server) if signed_in and me else
                fill(self.tr("Signed in on %1"), server) if signed_in else self.tr("Signed out"), signed_in)

    def _reconfigure(self, config: settings.Config) -> None:
        """A setting changed: each part that reads settings follows."""
        self.config = self.session.config = self.morning.config = self.celebrating.config = config
        self.invitations.calendar = config["desktop.calendar"]
        self.notices.reconfigure(config)
        self.week.reconfigure(config)

    def _feed_chosen(self, feed: str) -> None:
        self.window.set_feed(feed)
        self.window.posts.wants_older.connect(self.session.fetch_older)
        self.session.set_feed(feed)

    # ------------------------------------------------------------ acting on items

    def write(self, draft: Draft) -> None:
        """A post or reply from the compose box: into the outbox (delivered once, now or when the
        network is back), "Sending…" until it is (offline: "Will send when you're back online")."""
        waiting = self.writes.post(draft.text, draft.reply_to, draft.warning, draft.private_to)
        self.window.compose.set_waiting(waiting)
        self.show_state()  # "1 waiting to send" on the icon

    def favourite(self, post: Post) -> None:
        if self.write_refused:  # a reaction in an encrypted room would be plain text too
            self.navigation.say_for_a_while(self.write_refused)
        elif (liked := self.writes.like(post, self.feed)) is not None:
            self.window.posts.replace(liked)

    def boost(self, post: Post) -> None:
        if self.window.delegate.boosts and (shared := self.writes.share(post, self.feed)) is not None:
            self.window.posts.replace(shared)

    def _opened(self) -> None:
        self.window.set_signed_out(False)
        network = self.session.network
        self.window.compose.names_in_reply = network is not None and network.mentions_in_text

    def _network_known(self, limit: int | None, warnings: bool, boosts: bool) -> None:
        """What the server allows: the compose box's limit and warnings, and the ⇄ on posts."""
        self.window.compose.set_limit(limit, warnings)
        if boosts != self.window.delegate.boosts:
            self.window.delegate.boosts = boosts
            for view in self.window.lists.values():
                view.viewport().update()

    def dismiss(self, announcement: Announcement) -> None:
        self.writes.dismiss(announcement.id)
        self.window.announcements.refresh()
        self.window.refresh_counts()

    def _older_fetched(self, feed: str, count: int) -> None:
        if feed == self.window.posts.feed:
            self.window.posts.older_arrived(max(0, count), failed=count < 0)

    # ------------------------------------------------------------ signing in and out

    def sign_in(self) -> None:
        if not self.config["network.server"]:
            self.window.set_signed_out(True, self.tr("No server is set for Hallway. Ask IT, or see docs/admin.md."))
            self.navigation.open_window("feed")
            return
        if self.session.sign_in():
            self.window.set_signed_out(True, self.tr("Finish signing in in your browser…"))
            self.navigation.open_window("feed")

    def _after_sign_in(self, failure: str) -> None:
        if failure:
            self.window.set_signed_out(True, fill(self.tr("Sign-in did not finish: %1"), failure))
            return
        self.first_result = True
        self.show_state()

    def _after_sign_out(self, words: str) -> None:
        """What the network did: a refused revocation is said, never a bare "Signed out"."""
        log.info("sign-out: %s", words)
        self.window.set_signed_out(True, words)
        self.preferences.show_account(words, False)

    def sign_out(self) -> None:
        self.session.sign_out()
        self.preferences.show_account(self.tr("Signed out"), False)
