"""The running tray app: the tray icon, its windows, notifications and sync, wired together.

Everything shown comes from the store; the network is reached only through ``Sync`` (and the
few writes it delivers from the outbox) on executor threads, so the GUI never waits. Idle,
the app does nothing at all: the network's stream pushes what is new, and single-shot timers
wake it only when something is due (quiet time ending, the morning's colleague, the next sync).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import tempfile
import threading
import time
import webbrowser
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QObject, QRect, QTimer, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices

from desktop import autostart
from desktop.alerts import Alert, Alerts
from desktop.coffee import invitation, write_invitation
from desktop.colleague_card import ColleagueCard
from desktop.compose import Draft
from desktop.daily import DailyColleague
from desktop.feed_delegate import openable
from desktop.feed_window import FeedWindow
from desktop.notify import Notifier, for_this_os
from desktop.password_form import PasswordAsker
from desktop.placement import near_tray
from desktop.quiet import DoNotDisturb, QuietHours, QuietTime
from desktop.settings_window import SettingsWindow
from desktop.tray import Tray
from desktop.tray_icon import TrayState
from desktop.unlock import ScreenUnlock
from hallway import config as settings
from hallway import signin
from hallway.connect import NotConfigured, open_network
from hallway.http import HttpError
from hallway.lifetime import give_back_memory, request_quit
from hallway.model import Announcement, Colleague, Post
from hallway.networks import Network, StreamEvent
from hallway.outbox import Outbox
from hallway.store import Store
from hallway.sync import Connection, Sync, SyncResult

log = logging.getLogger(__name__)
NOTIFY_AFTER_MS = 1500
TRAY_POLL_MS = 1000
NO_TRAY_STATE = "desktop.no_tray_explained"
NO_TRAY_NOTE = ("Your desktop has no system tray, so Hallway runs in this window instead. "
                "Closing the window quits Hallway.")


class BalloonNotifier:
    """Where no notification service answers: the tray icon's own balloon (Qt shows it through
    Windows' and macOS's notification centres). A click opens the feed."""

    def __init__(self, tray: Tray) -> None:
        self.tray = tray

    def show(self, alert: Alert) -> bool:
        if not self.tray.available() or not self.tray.icon.isVisible():
            return False
        self.tray.icon.showMessage(alert.title, alert.body, self.tray.icon.icon(), 8000)
        return True

    def close(self) -> None:
        pass


class TrayApp(QObject):
    clicked = Signal(str)  # a notification was clicked (from the D-Bus thread): its target
    signed_in = Signal(str)  # after a sign-in attempt (from a thread): "" when it worked, else why not
    me_known = Signal()  # the network said who is signed in (from a thread)
    limit_known = Signal(object, bool)  # the server's post length limit and whether it has warnings
    unlocked = Signal()  # the person unlocked the screen (from a thread)
    photo_fetched = Signal(str)  # a photo the card was waiting for is in the store (from a thread)
    older_fetched = Signal(str, int)  # feed, how many older posts arrived (-1: the network failed)
    not_notified = Signal(object)  # an Alert the notification service could not show (from its thread)

    def __init__(self, config: settings.Config, store: Store, executor: ThreadPoolExecutor,
                 notifier: Notifier | None = None, open_url: Callable[[QUrl], object] = QDesktopServices.openUrl,
                 now: Callable[[], datetime] = lambda: datetime.now().astimezone(),
                 browser: Callable[[str], object] = webbrowser.open, tray_wait_s: float = 60.0) -> None:
        """``tray_wait_s``: how long a missing tray host is waited for before Hallway runs in a
        window (at login the panel often comes up after the apps: QTBUG-61898, as maestral-qt)."""
        super().__init__()
        self.tray_wait_s = tray_wait_s
        self.config, self.store, self.executor, self.now = config, store, executor, now
        self._open_url, self._browser = open_url, browser
        self.feed = config["network.feed"]
        self.accent = QColor(config["appearance.accent"])
        self.outbox = Outbox(store)
        self.dnd = DoNotDisturb(store)
        self.quiet = QuietTime(QuietHours.of(config), self.dnd)
        self.alerts = Alerts(store, config, self.quiet, now)
        self.daily = DailyColleague(store, now)
        self.network: Network | None = None
        self.sync: Sync | None = None
        self.sync_task: asyncio.Task[None] | None = None
        self.connection = Connection.SIGNED_OUT
        self.signing_in = False
        self.first_result = True

        self.tray = Tray(self)
        self.window = FeedWindow(store, self.feed, self.accent, config["office.name"])
        self.password = PasswordAsker(self.window)
        self.card = ColleagueCard(self.accent)
        self.settings: SettingsWindow | None = None
        self.balloon = BalloonNotifier(self.tray)
        self.notifier = notifier or for_this_os(self.clicked.emit, self.balloon, self.not_notified.emit)
        self.not_notified.connect(self._not_notified)
        self.clicked.connect(self.open_target)
        self.signed_in.connect(self._after_sign_in)
        self.older_fetched.connect(self._older_fetched)
        self.photo_fetched.connect(self._photo_fetched)
        self.me_known.connect(self._morning)
        self.unlocked.connect(self._morning)
        self.unlock = ScreenUnlock(self.unlocked.emit)

        self.tray.open_feed.connect(lambda: self.open_window("feed"))
        self.tray.open_colleague.connect(self.open_colleague)
        self.tray.open_in_office.connect(lambda: self.open_window("in_office"))
        self.tray.open_settings.connect(self.open_settings)
        self.tray.dnd_chosen.connect(self.choose_dnd)
        self.tray.sign_in.connect(self.sign_in)
        self.tray.sign_out.connect(self.sign_out)
        self.tray.quit.connect(request_quit)
        self.tray.icon.messageClicked.connect(lambda: self.open_window("mentions"))
        self.window.settings_wanted.connect(self.open_settings)
        self.window.sign_in_wanted.connect(self.sign_in)
        self.window.colleague_wanted.connect(self.open_colleague)
        self.window.compose.sent.connect(self.write)
        self.limit_known.connect(self.window.compose.set_limit)
        self.window.read.connect(self.show_state)
        self.window.tab_shown.connect(self._tab_shown)
        self.window.delegate.favourite.connect(self.favourite)
        self.window.delegate.open_url.connect(self.open_url)
        self.window.delegate.dismiss.connect(self.dismiss)
        self.window.posts.wants_older.connect(self.fetch_older)
        self.card.say_hi.connect(self.say_hi)
        self.card.invite.connect(self.invite)

        self._quiet_timer = self._single_shot(self._quiet_changed)
        # Pushed notices wait a moment, so a burst (500 mentions in a minute) becomes one notification.
        self._notify_timer = self._single_shot(self.notify)
        self._notify_timer.setInterval(NOTIFY_AFTER_MS)
        self._morning_timer = self._single_shot(self._morning)
        self._open_timer = self._single_shot(lambda: self.open_window("feed"))
        self._tray_timer = self._single_shot(self._tray_check)
        self._tray_deadline = 0.0

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
            self.window.set_status(NO_TRAY_NOTE)
            self.store.set_state(NO_TRAY_STATE, self.now().isoformat())
        self._open_timer.start(0)

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
        self._apply_autostart()
        self.connect_network()
        self.show_state()
        self._schedule_quiet()
        self._morning_timer.start(0)  # the first start after 07:00 greets; before it, waits for 07:00
        self.unlock.start()
        if show_window:  # a moment later: the tray host has placed the icon, so the window opens beside it
            self._open_timer.start(250)

    def connect_network(self) -> None:
        try:
            self.network = open_network(self.config)
        except NotConfigured as missing:
            self.network = None
            self._set_connection(Connection.SIGNED_OUT, str(missing))
            return
        self.sync = Sync(self.store, self.network, self.outbox, feed=self.feed, photos_per_pass=100)
        self.sync.on_result = self.synced
        self.sync.on_connection = self._set_connection
        self.sync.on_event = self.pushed
        self.sync.on_pending = self.window.compose.set_waiting  # "Sending…" in the compose box
        self.sync.watching_presence = lambda: self.window.isVisible() and self.window.current_tab() == "in_office"
        self.connection = Connection.ONLINE
        self.window.set_signed_out(False)
        with contextlib.suppress(RuntimeError):  # no running loop yet: main() starts it
            self.start_sync()

    def start_sync(self) -> None:
        if self.sync is None or (self.sync_task is not None and not self.sync_task.done()):
            return
        loop = asyncio.get_event_loop()
        self.sync_task = loop.create_task(self.sync.run(self.config["sync.interval_s"]))
        network = self.network
        if network is not None and self.daily.me() is None:
            self.executor.submit(self._learn_who_i_am, network)
        if network is not None:
            self.executor.submit(self._learn_text_limit, network)

    def _learn_text_limit(self, network: Network) -> None:
        with contextlib.suppress(HttpError):
            self.limit_known.emit(network.text_limit(), network.warnings)

    def write(self, draft: Draft) -> None:
        """A post or reply from the compose box: into the outbox (delivered once, now or when the
        network is back), "Sending…" until it is."""
        self.outbox.add_post(draft.text, draft.reply_to, draft.warning)
        self.window.compose.set_waiting(self.outbox.pending_count())
        if self.sync is not None:
            self.sync.now()

    def _learn_who_i_am(self, network: Network) -> None:
        with contextlib.suppress(HttpError):
            self.daily.remember_me(network.me())
            self.me_known.emit()

    def stop(self) -> None:
        for timer in self.findChildren(QTimer):
            timer.stop()
        if self.sync is not None:
            self.sync.stop()
        if self.sync_task is not None:
            self.sync_task.cancel()
        self.notifier.close()
        self.unlock.stop()

    # ------------------------------------------------------------ what sync brings

    def synced(self, result: SyncResult) -> None:
        first, self.first_result = self.first_result, False
        notes = self._server_notes()
        if notes and self.connection is Connection.ONLINE:
            self.window.set_status(notes)
        if first:
            self.alerts.start()  # what the first sync on this computer brings is history, not news
        self.window.in_office.refresh(self.now().date())
        self.window.refresh()  # every list, then the tab counts once
        self.window.compose.set_waiting(result.pending)
        if result.photos_new:
            self.window.delegate.forget()
            for view in self.window.lists.values():
                view.viewport().update()
        self.notify()
        self.show_state()
        if self.daily.due():
            self._morning()
        if first or result.people_changed or result.posts_new > 40:
            give_back_memory()

    def pushed(self, event: StreamEvent) -> None:
        if event.post is not None:
            self.window.posts.refresh()
        if event.deleted_post_id:
            self.window.posts.remove(event.deleted_post_id)
        if event.notice is not None:
            self.window.notices.refresh()
            if not self._notify_timer.isActive():
                self._notify_timer.start()
        if event.announcements_changed and self.sync is not None:
            self.sync.now(full=True)
        self.window.refresh_counts()
        self.show_state()

    def _set_connection(self, connection: Connection, why: str = "") -> None:
        self.connection = connection
        if connection is Connection.SIGNED_OUT:
            self.window.set_signed_out(True, why if why and "server" in why.lower() else "")
            self.window.set_status("")
        elif connection is Connection.OFFLINE:
            self.window.set_status("Offline: showing what was last synced. Hallway reconnects by itself.")
        elif connection is Connection.PROBLEM:
            problem = self.sync.problem if self.sync is not None else None
            self.window.set_status(f"Not syncing: {problem.message if problem else 'something went wrong'} "
                                   "Showing what was last synced; Hallway keeps trying.")
        else:
            self.window.set_status(self._server_notes())
            self.window.set_signed_out(False)
        self.show_state()

    def _server_notes(self) -> str:
        """What the server keeps from Hallway that the person should know while all is well
        (encrypted messages it cannot read)."""
        missing = self.network.missing if self.network is not None else {}
        return " ".join(words for key, words in missing.items() if key == "m.room.encrypted")

    def show_state(self) -> None:
        now = self.now()
        signed_out = self.connection is Connection.SIGNED_OUT
        state = TrayState(unread=not signed_out and self.store.unread_posts(self.feed) > 0,
                          mentions=0 if signed_out else self.store.unread_mentions(),
                          offline=self.connection in (Connection.OFFLINE, Connection.PROBLEM),
                          quiet=self.quiet.quiet_at(now), signed_out=signed_out)
        self.tray.show_state(state)
        until = self.dnd.until
        self.tray.show_dnd("off" if until is None or until <= now else
                           "hour" if until - now <= timedelta(hours=1, minutes=1) else "tomorrow")

    # ------------------------------------------------------------ notifications and quiet time

    def notify(self) -> None:
        for alert in self.alerts.due():
            self.notifier.show(alert)  # False (no service, or it failed): the badge still says it
        self._schedule_quiet()

    def _not_notified(self, alert: Alert) -> None:
        """The service could not show it: the tray's balloon, or for the colleague, the card itself."""
        if not self.balloon.show(alert) and alert.target == "colleague":
            self.open_colleague(activate=False)

    def choose_dnd(self, key: str) -> None:
        now = self.now()
        if key == "hour":
            self.dnd.for_an_hour(now)
        elif key == "tomorrow":
            self.dnd.until_tomorrow(now)
        else:
            self.dnd.off()
        self._quiet_changed()

    def _quiet_changed(self) -> None:
        """Quiet time began or ended: show the moon, and let out what was held (as a summary)."""
        self.notify()
        self.show_state()

    def _schedule_quiet(self) -> None:
        """Wake when quiet time next starts or ends (one timer; nothing ticks meanwhile)."""
        now = self.now()
        if self.quiet.quiet_at(now):
            change = self.quiet.ends_after(now)
        else:
            change = now.replace(second=0, microsecond=0) + timedelta(minutes=1)
            for _ in range(7 * 24 * 4):
                if self.quiet.quiet_at(change):
                    break
                change += timedelta(minutes=15)
        self._quiet_timer.start(max(1000, min(int((change - now).total_seconds() * 1000), 2**31 - 1)))

    # ------------------------------------------------------------ the colleague of the day

    def _morning(self) -> None:
        """Once a day after 07:00: a notification that opens the card (the card itself where no
        notification can be shown). Held while quiet, like any other."""
        if not self.daily.due() or not self.config["notifications.colleague"] or self.quiet.quiet_at(self.now()):
            self._schedule_morning_later()
            return
        colleague = self.daily.colleague()
        if colleague is None:
            return  # the directory has not arrived: the next sync tries again
        self.daily.shown()
        body = " · ".join(f for f in (colleague.title, colleague.team) if f) or "Say hi today"
        if not self.notifier.show(Alert(f"Meet {colleague.name}", body, "colleague", "colleague")):
            self.open_colleague(activate=False)
        self._schedule_morning_later()

    def _schedule_morning_later(self) -> None:
        wait = (self.daily.next_morning() - self.now()).total_seconds()
        self._morning_timer.start(max(60_000, min(int(wait * 1000), 2**31 - 1)))

    def open_colleague(self, activate: bool = True) -> None:
        colleague = self.daily.colleague()
        if colleague is None:
            problems = self.sync.problems if self.sync is not None else []
            why = next((p.message for p in problems if p.step == "directory"), "")
            self.card.show_nobody(f"Hallway cannot read the company directory. {why}" if why else "")
        else:
            photo = self.store.photo(colleague.photo_url) if colleague.photo_url else None
            self.card.show_colleague(colleague, photo, self.now().date())
            if photo is None and colleague.photo_url and self.network is not None:
                self.executor.submit(self._fetch_photo, self.network, colleague.photo_url)
        if not self.card.isVisible():
            self.card.adjustSize()
            near_tray(self.card, self._tray_rect())
        self.card.show()
        if activate:
            self.card.raise_()
            self.card.activateWindow()

    def _fetch_photo(self, network: Network, url: str) -> None:
        with contextlib.suppress(HttpError):
            self.store.save_photo(url, network.photo(url))
            self.photo_fetched.emit(url)

    def _photo_fetched(self, url: str) -> None:
        shown = self.card.colleague
        if shown is not None and shown.photo_url == url:
            self.card.show_colleague(shown, self.store.photo(url), self.now().date())

    def say_hi(self, colleague: Colleague) -> None:
        """The compose box with the colleague mentioned, in the feed window; signed out, their
        profile on the network's own pages."""
        if self.network is not None and colleague.handle:
            self.card.hide()
            self.open_window("feed")
            self.window.compose.mention(colleague.handle)
        elif colleague.profile_url:
            self.open_url(colleague.profile_url)

    def invite(self, colleague: Colleague) -> Path:
        text = invitation(self.daily.me(), colleague, self.now().date(), self.config["office.name"])
        folder = Path(tempfile.gettempdir()) / "hallway-invitations"
        path = write_invitation(folder, text, colleague)
        self._open_url(QUrl.fromLocalFile(str(path)))
        return path

    # ------------------------------------------------------------ windows

    def open_window(self, tab: str = "feed") -> None:
        self.window.show_tab(tab)
        self.window.show_near(self._tray_rect())
        if self.sync is not None and tab in ("feed", "in_office"):
            self.sync.now()

    def open_target(self, target: str) -> None:
        """A notification was clicked."""
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

    def _tab_shown(self, tab: str) -> None:
        if tab == "in_office":
            self.window.in_office.refresh(self.now().date())
            self.window.refresh_counts()
            if self.sync is not None:
                self.sync.now()  # and then every few seconds while it stays open

    def _tray_rect(self) -> QRect | None:
        rect = self.tray.icon.geometry() if self.tray.available() else QRect()
        return rect if rect.isValid() and not rect.isEmpty() else None

    def open_settings(self) -> None:
        if self.settings is None:
            self.settings = SettingsWindow(self.config)
            self.settings.changed.connect(self.change_setting)
            self.settings.sign_out_wanted.connect(self.sign_out)
        signed_in = self.connection is not Connection.SIGNED_OUT
        me = self.daily.me()
        server = self.config["network.server"]
        self.settings.show_account(
            f"Signed in as {me.name} on {server}" if signed_in and me else
            f"Signed in on {server}" if signed_in else "Signed out", signed_in)
        self.settings.show()
        self.settings.raise_()
        self.settings.activateWindow()

    def change_setting(self, key: str, value: object) -> None:
        if self.config.is_locked(key):
            return
        settings.save_user_value(key, value, self.config.user_file)
        self.config = settings.load(self.config.machine_file, self.config.user_file)
        self.alerts.config = self.config
        self.quiet = QuietTime(QuietHours.of(self.config), self.dnd)
        self.alerts.quiet = self.quiet
        if key == "desktop.autostart":
            self._apply_autostart()
        if key == "network.feed" and value != self.feed:
            self.feed = str(value)
            self.window.set_feed(self.feed)
            self.window.posts.wants_older.connect(self.fetch_older)
            if self.sync is not None:
                self.sync.feed = self.feed
                self.sync.now()
        self._quiet_changed()
        self._schedule_quiet()

    def _apply_autostart(self) -> None:
        """Keep the login entry as the settings say (IT's locked value included)."""
        with contextlib.suppress(OSError):
            starter = autostart.for_this_os()
            wanted = bool(self.config["desktop.autostart"])
            if wanted and not starter.enabled():
                starter.enable(autostart.launch_command())
            elif not wanted and starter.enabled():
                starter.disable()

    # ------------------------------------------------------------ acting on items

    def open_url(self, url: str) -> None:
        if openable(url):
            self._open_url(QUrl(url))

    def favourite(self, post: Post) -> None:
        if post.favourited:
            return
        self.outbox.add_reaction(post.id)
        liked = replace(post, favourited=True, favourites=post.favourites + 1)
        self.store.save_posts(self.feed, [liked])
        self.window.posts.replace(liked)
        if self.sync is not None:
            self.sync.now()

    def dismiss(self, announcement: Announcement) -> None:
        self.store.dismiss_announcement(announcement.id)
        self.outbox.add_dismissal(announcement.id)
        self.window.announcements.refresh()
        self.window.refresh_counts()
        if self.sync is not None:
            self.sync.now()

    def fetch_older(self, feed: str) -> None:
        sync = self.sync
        if sync is None:
            self.window.posts.older_arrived(0)
            return

        def fetch() -> None:  # on an executor thread; the signal carries the count back to the GUI thread
            try:
                count = sync.older(feed)
            except HttpError:
                count = -1
            self.older_fetched.emit(feed, count)
        self.executor.submit(fetch)

    def _older_fetched(self, feed: str, count: int) -> None:
        if feed == self.window.posts.feed:
            self.window.posts.older_arrived(max(0, count), failed=count < 0)

    # ------------------------------------------------------------ signing in and out

    def sign_in(self) -> None:
        server = self.config["network.server"]
        if not server:
            self.window.set_signed_out(True, "No server is set for Hallway. Ask IT, or see docs/admin.md.")
            self.open_window("feed")
            return
        if self.signing_in:
            return
        self.signing_in = True
        self.window.set_signed_out(True, "Finish signing in in your browser…")
        self.open_window("feed")

        def run() -> None:
            try:
                signin.sign_in(server, kind=self.config["network.kind"], open_browser=self._browser,
                               ask_password=self.password.ask)
                self.signed_in.emit("")
            except signin.SignInError as failure:
                log.warning("sign-in did not finish: %s", failure.message)
                self.signed_in.emit(failure.message)
            except Exception as failure:  # never leave "Finish signing in…" on screen for ever
                log.exception("sign-in failed")
                self.signed_in.emit(f"Hallway hit an unexpected problem ({type(failure).__name__}). Try again.")
        # Its own daemon thread, not the executor: it may wait minutes for the browser, and
        # quitting Hallway meanwhile must not wait for it.
        threading.Thread(target=run, name="sign-in", daemon=True).start()

    def _after_sign_in(self, failure: str) -> None:
        self.signing_in = False
        if failure:
            self.window.set_signed_out(True, f"Sign-in did not finish: {failure}")
            return
        self.first_result = True
        self.connect_network()
        self.show_state()

    def sign_out(self) -> None:
        server = self.config["network.server"]
        if self.sync is not None:
            self.sync.stop()
        self.sync, self.network, self.sync_task = None, None, None
        self.store.set_state("desktop.me", "")
        self._set_connection(Connection.SIGNED_OUT)
        if server:
            self.executor.submit(signin.sign_out, server, self.config["network.kind"])
        if self.settings is not None:
            self.settings.show_account("Signed out", False)
