"""The tray app's link to the network: open it from the settings, sign in and out through the
network's own sign-in, run sync, and say how the connection is. No widgets: what changes comes
out as signals, always on the GUI thread (sync's callbacks arrive on the event loop; work on
executor and sign-in threads comes back through queued signals)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from enum import StrEnum
from typing import Protocol

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.parts.colleague_of_the_day import DailyColleague
from hallway import config as settings
from hallway import directory_copy, schedule, signin
from hallway.connect import Missing, NotConfigured, open_network
from hallway.http import HttpClient, HttpError
from hallway.networks import Network, NoteKind, StreamEvent
from hallway.outbox import Outbox
from hallway.schedule import Attention, installation
from hallway.store import Store
from hallway.sync import Connection, Sync, SyncResult
from ui.background import Background
from ui.language import fill
from ui.sync_signals import SyncSignals

log = logging.getLogger(__name__)
RECONNECT_MS = 60_000  # the keyring did not answer: asked again this often


class Asker(Protocol):
    """What sign-in may need to ask the person, from its own thread (desktop.views.sign_in_forms)."""

    def ask_password(self, server: str) -> tuple[str, str] | None: ...

    def ask_code(self, server: str) -> str | None: ...


class SignedOut(StrEnum):
    """Why nobody is signed in, so the window says it in words and what to do."""

    NEVER = "never"  # not signed in on this computer yet (or signed out)
    REFUSED = "refused"  # the network no longer accepts the sign-in (revoked, or expired for good)
    NO_SERVER = "no server"  # IT set no network.server
    KEYRING = "keyring"  # the keyring refused or did not answer
    PROBLEM = "problem"  # something unexpected; the words say what


class Session(QObject):
    connection_changed = Signal(object, str)  # Connection, and why in words ("" when all is well)
    opened = Signal(object)  # signed in: the network is opened and sync starts; its Capabilities
    synced = Signal(object)  # a SyncResult
    pushed = Signal(object)  # a StreamEvent the network's stream brought
    pending = Signal(int)  # writes still waiting in the outbox
    me_known = Signal()  # the network said who is signed in
    limit_known = Signal(object)  # the server's post length limit (None: it sets none)
    signed_in = Signal(str)  # after a sign-in attempt: "" when it worked, else why not
    signed_out = Signal(str)  # after signing out: what the network did, in words
    older_fetched = Signal(str, int)  # feed, how many older posts arrived (-1: the network failed)
    photo_fetched = Signal(str)  # a photo asked for is in the store

    def __init__(self, config: settings.Config, store: Store, executor: ThreadPoolExecutor, outbox: Outbox,
                 daily: DailyColleague, browser: Callable[[str], object], asker: Asker) -> None:
        super().__init__()
        self.config, self.store, self.outbox, self.daily = config, store, outbox, daily
        self.background = Background(executor, self)  # every answer from a worker thread arrives through it
        self._news: SyncSignals | None = None  # what the current sync brings
        self._browser, self._asker = browser, asker
        self.feed = config["network.feed"]  # the feed's key, as settings and the store spell it
        self.network: Network | None = None
        self.sync: Sync | None = None
        self.sync_task: asyncio.Task[None] | None = None
        self.connection = Connection.SIGNED_OUT
        self.signed_out_reason = SignedOut.NEVER  # why, in the window's words (tray_app)
        self.signing_in = False
        self.opening = False  # the network is being opened, off the GUI thread
        self._sync_wanted = False
        self.watching_presence: Callable[[], bool] = lambda: False
        self.attention: Callable[[], Attention] = lambda: Attention.AROUND  # the tray app says (window, lock)
        self.signed_in.connect(self._after_sign_in)
        self._reconnect = QTimer(self)
        self._reconnect.setSingleShot(True)
        self._reconnect.setInterval(RECONNECT_MS)
        self._reconnect.timeout.connect(self.connect_network)

    def reconfigure(self, config: settings.Config) -> None:
        self.config = config

    # ------------------------------------------------------------ connecting

    def connect_network(self) -> None:
        """Open the network from the settings and the keyring, off the GUI thread: the keyring
        may take its time (an unlock prompt) or never answer, and the tray must stay alive. The
        answer comes back as ``_opened`` or ``_not_opened``, on the GUI thread."""
        if self.opening:
            return
        config = self.config
        self.opening = self.background.run(  # answers kept in the store: 304s after a restart
            lambda: open_network(config, client=HttpClient(kept=self.store), keyring_apart=True),
            self._opened, self._not_opened)

    def _opened(self, network: Network) -> None:
        self.opening = False
        if self.sync is not None:
            self.sync.stop()
        self.network = network
        # One photo a pass, of someone the laptop shows (a face on screen is fetched when shown):
        # 10,000 laptops on a rollout day ask for about 170 photos a second, not 16,700.
        self.sync = Sync(self.store, self.network, self.outbox, feed=network.feed_of(self.feed), photos_per_pass=1,
                         photos_of="shown", max_people=self.config["sync.max_people"],
                         schedule=schedule.laptop(installation(self.store)),
                         directory_copy=directory_copy.source(self.config, HttpClient(kept=self.store)))
        if self._news is not None:
            self._news.deleteLater()  # the stopped sync's
        news = self._news = SyncSignals(self.sync, self)
        news.result.connect(self.synced)
        news.connection.connect(self._set_connection)
        news.pushed.connect(self.pushed)
        news.pending.connect(self.pending)  # "Sending…" in the compose box
        self.sync.watching_presence = lambda: self.watching_presence()
        self.sync.attention = lambda: self.attention()
        self.sync_task = None
        self.connection = Connection.ONLINE  # until sync says otherwise; nothing to say yet
        self.opened.emit(network.capabilities())
        if self._sync_wanted:
            self.start_sync()

    def _not_opened(self, failure: BaseException) -> None:
        if isinstance(failure, NotConfigured):
            self._missing(str(failure), failure.missing.value, failure.again)
            return
        log.error("could not open the network", exc_info=failure)  # never "Connecting…" for ever
        self._missing(fill(self.tr("Hallway hit an unexpected problem (%1)."), type(failure).__name__), "", True)

    def _missing(self, why: str, which: str, again: bool) -> None:
        self.opening = False
        self.network = None
        self.signed_out_reason = {Missing.SERVER.value: SignedOut.NO_SERVER, Missing.SIGN_IN.value: SignedOut.NEVER
                                  }.get(which, SignedOut.KEYRING if which else SignedOut.PROBLEM)
        self._set_connection(Connection.SIGNED_OUT, why)
        if again:  # the keyring did not answer: it may once it is unlocked
            self._reconnect.start()

    def start_sync(self) -> None:
        """Sync as soon as the network is open (now, if it is)."""
        self._sync_wanted = True
        if self.sync is None or (self.sync_task is not None and not self.sync_task.done()):
            return
        loop = asyncio.get_event_loop()
        self.sync_task = loop.create_task(self.sync.run(self.config["sync.interval_s"]))
        network = self.network
        if network is not None and self.daily.me() is None:
            self.background.run(lambda: self.daily.remember_me(network.me()), lambda _: self.me_known.emit(),
                                _unless_network)
        if network is not None:
            self.background.run(network.text_limit, self.limit_known.emit, _unless_network)

    def _set_connection(self, connection: Connection, why: str = "") -> None:
        if connection is Connection.SIGNED_OUT and self.network is not None:
            self.signed_out_reason = SignedOut.REFUSED  # sync: the network no longer takes the sign-in
        self.connection = connection
        if not why and connection is Connection.PROBLEM:
            problem = self.sync.problem if self.sync is not None else None
            why = problem.message if problem else "something went wrong"
        self.connection_changed.emit(connection, why)

    def stop(self) -> None:
        self._reconnect.stop()
        if self.sync is not None:
            self.sync.stop()
        if self.sync_task is not None:
            self.sync_task.cancel()

    # ------------------------------------------------------------ asking sync

    def now(self, full: bool = False) -> None:
        """Sync soon (a window opened, something was written); nothing when signed out."""
        if self.sync is not None:
            self.sync.now(full=full)

    def deliver_soon(self) -> None:
        """Something the person wrote is in the outbox: send it now, not at the next pass."""
        if self.sync is not None:
            self.sync.deliver_soon()

    def set_feed(self, feed: str) -> None:
        self.feed = feed
        if self.sync is not None:
            self.sync.feed = self.sync.network.feed_of(feed)
            self.sync.now()

    def directory_problem(self) -> str:
        problems = self.sync.problems if self.sync is not None else []
        return next((p.message for p in problems if p.step == "directory"), "")

    def server_notes(self) -> str:
        """What the server keeps from Hallway that the person should know while all is well
        (encrypted messages it cannot read)."""
        return self.network.notes.about(NoteKind.UNREADABLE) if self.network is not None else ""

    def fetch_older(self, feed: str) -> None:
        sync = self.sync
        if sync is None:
            self.older_fetched.emit(feed, 0)
            return

        def fetched(failure: BaseException) -> None:
            if not isinstance(failure, HttpError):
                log.error("older posts could not be read", exc_info=failure)
            self.older_fetched.emit(feed, -1)
        self.background.run(lambda: sync.older(sync.network.feed_of(feed)),
                            lambda count: self.older_fetched.emit(feed, count), fetched)

    def fetch_photo(self, url: str) -> None:
        network = self.network
        if network is None:
            return

        self.background.run(lambda: self.store.save_photo(url, network.photo(url)),
                            lambda _: self.photo_fetched.emit(url), _unless_network)

    # ------------------------------------------------------------ signing in and out

    def sign_in(self) -> bool:
        """Start signing in through the network's own sign-in page, off the GUI thread (it may
        wait minutes for the browser; quitting meanwhile does not wait for it: the app's workers
        are left after a second). False when no server is set or a sign-in is already under way;
        ``signed_in`` says how it went."""
        server, config = self.config["network.server"], self.config
        if not server or self.signing_in:
            return False

        def failed(failure: BaseException) -> None:
            if isinstance(failure, signin.SignInError):
                log.warning("sign-in did not finish: %s", failure.message)
                self.signed_in.emit(failure.message)
                return
            log.error("sign-in failed", exc_info=failure)  # never leave "Finish signing in…" on screen for ever
            self.signed_in.emit(fill(self.tr("Hallway hit an unexpected problem (%1). Try again."),
                                     type(failure).__name__))
        self.signing_in = self.background.run(
            lambda: signin.sign_in(server, kind=config["network.kind"], open_browser=self._browser,
                                   ask_password=self._asker.ask_password, ask_code=self._asker.ask_code, config=config),
            lambda _: self.signed_in.emit(""), failed)
        return self.signing_in

    def _after_sign_in(self, failure: str) -> None:
        self.signing_in = False
        if not failure:
            self.connect_network()

    def sign_out(self) -> None:
        server = self.config["network.server"]
        if self.sync is not None:
            self.sync.stop()
        self.sync, self.network, self.sync_task = None, None, None
        self.signed_out_reason = SignedOut.NEVER
        self.store.set_state("desktop.me", "")
        self._set_connection(Connection.SIGNED_OUT)
        if server:
            def failed(failure: BaseException) -> None:  # the keyring: the token could not be forgotten
                if not isinstance(failure, signin.SignInError):
                    log.error("sign-out failed", exc_info=failure)
                self.signed_out.emit(getattr(failure, "message", "") or type(failure).__name__)
            kind = self.config["network.kind"]
            self.background.run(lambda: signin.sign_out(server, kind),
                                lambda revoked: self.signed_out.emit(signin.REVOKED_WORDS[revoked]), failed)

    def no_server_words(self) -> str:
        return self.tr("No server is set for Hallway. Ask IT, or see docs/admin.md.")

    def signed_out_words(self, why: str, keep: str) -> str:
        """What the signed-out window says: why, and what to do (``keep``: the window's words
        while a sign-in runs, "Finish signing in in your browser…")."""
        if self.signing_in:
            return keep
        reason = self.signed_out_reason
        if reason is SignedOut.REFUSED:
            return self.tr("The network no longer accepts this computer's sign-in: it was ended (you signed out "
                           "elsewhere, or IT did) or it expired. Sign in again to go on; what you wrote waits.")
        if reason is SignedOut.NO_SERVER:
            return self.no_server_words()
        if reason in (SignedOut.KEYRING, SignedOut.PROBLEM) and why:
            return why
        return ""  # not signed in yet: the window's own words, on signing in


__all__ = ["Connection", "Session", "StreamEvent", "SyncResult"]


def _unless_network(failure: BaseException) -> None:
    """Work whose answer can wait for another time when the network fails (who I am, the text
    limit, a photo); anything else is a fault and logged as one."""
    if not isinstance(failure, HttpError):
        log.error("work off the GUI thread failed", exc_info=failure)
