"""Bringing the store up to date: incremental pulls, the network's stream when it has one,
jittered timers, and backoff that recovers by itself.

``Sync.once`` is one blocking pass (the ``hallway sync --once`` command, and each timer
tick); ``Sync.run`` is the long-lived loop for the apps. It runs on the asyncio loop
(qasync's, in the apps) and sends every blocking call to an executor thread, so the GUI
thread never waits on the network. Results reach the apps through callbacks that always arrive on the
loop's thread (the one thread boundary is here, not in each front end). Sync is supervised:
no exception ends it; each failure is logged with its step and shown as a state.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from hallway.clock import SYSTEM, Clock
from hallway.directory_copy import STALE_AFTER_DAYS, BadCopy, CopySource
from hallway.http import (
    BadAnswer,
    CertificateLocked,
    HttpError,
    Offline,
    ProxyRefused,
    RateLimited,
    Refused,
    Unauthorized,
)
from hallway.model import HOME_FEED, Announcement, FeedRef, Notice
from hallway.networks import DirectoryPass, Network, StreamEvent
from hallway.outbox import Outbox
from hallway.schedule import Attention, DirectorySchedule, pass_wait
from hallway.store import DiskFull, Store, StoreFault

DIRECTORY_EVERY_S = 6 * 3600
DIRECTORY_AGAIN_S = 60  # after a pass that left profiles for later (a rate limit): the rest a minute on
# While the stream is open it brings posts and notices (and a stream that drops is followed by a
# full pass at once): this full pass is only a net for what a stream may have missed unnoticed.
FULL_PASS_EVERY_S = 2 * 3600
BACKFILL_POSTS = 200
MAX_BACKOFF_S = 300.0
RATE_LIMIT_WAIT_S = 60.0  # the longest a "slow down" is waited out before asking again
EMPTY_DIRECTORY = ("The directory lists nobody yet. People appear in it when their profile allows it "
                   "(on Mastodon: Preferences > Public profile > Privacy and reach) or, where IT chose so, "
                   "when they follow the lobby account.")
FEED_POLL_S = 60.0  # a feed the live stream does not bring, while it brings the rest
PRESENCE_WATCH_S = 7.0  # "who is in" while a person looks at it: a check-in shows within 10 s
PRESENCE_IDLE_S = 20 * 60.0  # a laptop nobody looks at: "who is in" read this often (the tray's count)
PRESENCE_STARRED_S = 10 * 60.0  # the same for a person who starred colleagues: "Kwame is in today" this late at most
# A check-in's badge keys make the kiosk's background reads wait between pages this long: the
# card is painted, committed and its QR code drawn well within it (bench/kiosk.py).
SCREEN_BUSY_S = 1.5
PREFETCH_FULL = 0.95  # the share of the photo cache past which the kiosk fetches no more faces ahead
PHOTO_FRESH_S = 7 * 86400.0  # a photo at an address that stays (Graph's) is fetched again after this
PHOTOS_AGAIN_PER_PASS = 5  # of those, at most this many a pass: a kiosk's 5,000 faces over a week
PENDING_BACKOFF_S = 3.0  # a check-in is waiting: the network is tried this often at most
MAX_DIRECTORY_PAGES = 2000  # 160,000 people at 80 a page: past that a server is walking us in circles
MAX_PEOPLE = 50_000  # sync.max_people's default: a company's size with room to grow
MAX_CATCH_UP_PAGES = 50
STREAM_QUICK_FAIL_S = 10.0
STREAM_OFF_RETRY_S = 3600.0

log = logging.getLogger(__name__)


class Connection(StrEnum):
    ONLINE = "online"
    OFFLINE = "offline"
    SIGNED_OUT = "signed-out"
    PROBLEM = "problem"  # the network answers, but a pass failed in a way retrying may not fix
    SLOW = "slow"  # the network is there and limits how fast Hallway may write: writes go, slowly


@dataclass(frozen=True)
class Problem:
    """One step of a pass that failed, in words for people (the kiosk's admin status, doctor)."""

    step: str
    title: str
    message: str
    proxy_asks: str = ""  # the company's proxy (its URL) that asks for a user name and password
    passphrase_for: str = ""  # the client certificate file (tls.client_certificate) whose passphrase is missing

    def __str__(self) -> str:
        return f"{STEP_NAMES.get(self.step, self.step)}: {self.message}"


STEP_NAMES = {"outbox": "Sending check-ins", "directory": "The directory", "feed": "The feed",
              "notices": "Notifications", "announcements": "Announcements", "markers": "Read positions",
              "presence": "Who is in today", "photos": "Photos", "stream": "The live stream",
              "writes": "Where Hallway may write", "sync": "Sync"}


DIRECTORY_CURSOR = "directory_cursor"  # the network's "changed since" cursor after the last complete pass


@dataclass
class SyncResult:
    """What one pass changed, what is still waiting to be sent, and which steps failed."""

    people_changed: int = 0
    people_removed: int = 0
    posts_new: int = 0
    posts_changed: int = 0  # posts already shown whose words or reactions changed
    notices_new: list[Notice] = field(default_factory=list)
    announcements_new: list[Announcement] = field(default_factory=list)
    delivered: int = 0
    in_office: int = 0
    photos_new: int = 0
    pending: int = 0
    problems: list[Problem] = field(default_factory=list)
    # Where Hallway will not write, and why in words ("feed", "check-ins": see Network.write_refusal).
    refusals: dict[str, str] = field(default_factory=dict)

    def summary(self) -> str:
        text = (f"{self.people_changed} people updated, {self.people_removed} removed, {self.posts_new} new posts, "
                f"{len(self.notices_new)} new notices, {len(self.announcements_new)} new announcements, "
                f"{self.delivered} check-ins delivered, {self.pending} waiting, {self.in_office} in the office today")
        return text + "".join(f"\n  problem: {p}" for p in self.problems)


def _settle(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


def jitter(seconds: float, spread: float = 0.2) -> float:
    """Spread timers so that a whole office waking from sleep does not call the network at once."""
    return seconds * random.uniform(1 - spread, 1 + spread)


def backoff_cap(offline_for_s: float, pending: int) -> float:
    """How long the longest wait between tries may be. A check-in waiting to be sent is tried
    every few seconds; otherwise a network that just went away is tried often, one gone for
    hours rarely (each try is one request)."""
    if pending:
        return PENDING_BACKOFF_S
    if offline_for_s < 600:
        return 15.0
    return 60.0 if offline_for_s < 3600 else MAX_BACKOFF_S


def plain(failure: BaseException) -> Problem:
    """Any exception as a problem a person can read: the network's own words for HttpErrors,
    a short technical note (for IT) for anything else."""
    if isinstance(failure, ProxyRefused):
        return Problem("sync", failure.title, failure.message, failure.proxy if failure.status == 407 else "")
    if isinstance(failure, CertificateLocked):
        return Problem("sync", failure.title, failure.message, passphrase_for=failure.path)
    if isinstance(failure, HttpError):
        return Problem("sync", failure.title, failure.message)
    if isinstance(failure, StoreFault):  # a full disk, a lock held elsewhere: not a bug, and said so
        return Problem("sync", "Hallway's data", str(failure)[:300])
    detail = str(failure)[:200]
    return Problem("sync", "Something went wrong",
                   f"Hallway hit an unexpected problem ({type(failure).__name__}{': ' + detail if detail else ''}).")


def _away(failure: HttpError) -> Connection:
    """Offline, or held up by the company's proxy: that one is a problem shown in its own words
    (it names the proxy and whom to ask), tried again as often as being offline is."""
    return Connection.PROBLEM if isinstance(failure, ProxyRefused | CertificateLocked) else Connection.OFFLINE


class Sync:
    def __init__(self, store: Store, network: Network, outbox: Outbox | None = None,
                 feed: FeedRef | None = HOME_FEED,
                 backfill: int = BACKFILL_POSTS, notices: bool = True, stream: bool = True,
                 photos_per_pass: int = 0, max_people: int = MAX_PEOPLE,
                 writes: tuple[str, ...] = ("feed",), schedule: DirectorySchedule | None = None,
                 photos_of: str = "everyone", directory_copy: CopySource | None = None,
                 exported: Callable[[], None] | None = None, clock: Clock = SYSTEM) -> None:
        """``feed`` None, ``notices`` and ``stream`` False leave out what an app does not show (the
        kiosk); ``photos_per_pass`` fetches that many missing photos each pass (the kiosk must show
        photos with no network on the check-in path).

        Callbacks (``on_result``, ``on_connection``, ``on_event``, ``on_pending``) always arrive on
        the thread that runs ``run`` (the GUI thread, under qasync), whichever thread the news
        came from; an exception in one is logged and never ends sync. ``max_people``: how many
        colleagues a directory pass keeps at most (sync.max_people), so a server that lists people
        without end fills neither the disk nor memory. ``directory_copy``: the company's copy of the
        directory (hallway/directory_copy.py), read instead of the network's while it is usable;
        ``exported`` is called after each complete read of the network's directory (the kiosk
        writes the copy for laptops). ``clock``: when things are due (hallway/clock.py)."""
        # No further back than the network reads cheaply (Viva Engage: 20 a page, 10 requests in 30 s).
        self.store, self.network, self.feed = store, network, feed
        self.backfill = min(backfill, network.backfill_posts)
        self.max_people = max_people
        # Whose photos a pass fetches ahead: "everyone" (the kiosk shows any face with no network
        # on the check-in path) or "shown" (a laptop: only the faces it is about to show).
        self.photos_of = photos_of
        # When the directory is read again (hallway/schedule.py): never all laptops at once.
        self.schedule = schedule or DirectorySchedule(every_s=DIRECTORY_EVERY_S)
        self.directory_copy, self.exported = directory_copy, exported
        self.copy_words = ""  # where the last directory read from the company's copy found the people, in words
        self.directory_found: DirectoryPass | None = None  # the last finished pass over the network's directory
        self.clock = clock
        self.started = clock.time()
        self._presence_at: float | None = None  # when "who is in" was last read (monotonic)
        self._screen_busy_until = 0.0
        self._cache_full_said = False  # the kiosk's screen is the interpreter's first call until then (monotonic)
        self.writes = writes  # what this app writes: the tray app the feed, the kiosk check-ins
        self.notices, self.stream, self.photos_per_pass = notices, stream, photos_per_pass
        self.outbox = outbox or Outbox(store)
        self._wake = threading.Event()
        self._full = threading.Event()
        self._reset_backoff = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread: int | None = None
        self._waker: asyncio.Future[None] | None = None
        self.on_result: Callable[[SyncResult], None] | None = None
        self.on_connection: Callable[[Connection], None] | None = None
        self.on_event: Callable[[StreamEvent], None] | None = None
        self.on_pending: Callable[[int], None] | None = None
        self._delivering = threading.Lock()
        self._soon_lock = threading.Lock()
        self._soon_running = self._soon_again = False  # deliver_soon's one round at a time
        self.connection = Connection.ONLINE
        self.problem: Problem | None = None  # why the connection is PROBLEM or OFFLINE, in words
        self.problems: list[Problem] = []  # the steps that failed in the last pass
        self.slow_until = 0.0  # while SLOW: when the network said the next write may go (epoch seconds)
        self.refusals: dict[str, str] = {}  # the last pass's Network.write_refusal answers
        self.stream_off = False  # the network has no live stream (streaming switched off): polling
        self._stream_off_until = 0.0
        self._stream_task: asyncio.Future[None] | None = None
        # Asked on the loop's thread before each wait: True while a person looks at "who is in"
        # (the tray's tab), so presence, which no stream brings, is read every few seconds.
        self.watching_presence: Callable[[], bool] | None = None
        # Asked on the loop's thread before each wait (it must not block): whether the person is
        # looking, around, or away (hallway.schedule.pass_wait); None: always "around".
        self.attention: Callable[[], Attention] | None = None
        self.today: Callable[[], date] = lambda: self.clock.now().date()  # the kiosk: its office's
        self._stop = threading.Event()

    @property
    def people_from(self) -> str:
        """Where the last directory read found the people, in words: the company's copy, or the
        network's sources (for doctor, ``hallway sync`` and the kiosk's admin panel)."""
        return self.copy_words or (self.directory_found.people_from if self.directory_found else "")

    @property
    def facts_from(self) -> str:
        return self.directory_found.facts_from if self.directory_found else ""

    @property
    def join_by_following(self) -> str:
        """The account people follow to be among the kiosk's colleagues, where that is how one joins."""
        return self.directory_found.join_by_following if self.directory_found else ""

    @property
    def streamed_feeds(self) -> tuple[FeedRef, ...]:
        """What the stream brings (the rest is polled); a stream the server lacks brings less."""
        return self.network.stream_feeds

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    # ------------------------------------------------------------ one pass (blocking)

    def once(self, directory: bool | None = None, streaming: bool = False) -> SyncResult:
        """Pull what changed, step by step. Each step commits on its own and fails on its own: a
        step that fails is logged and reported in ``problems`` and the others still run; only the
        network being away (Offline, RateLimited) or the sign-in failing ends the pass early.
        The outbox goes first and always. ``streaming``: the network's stream is open and brings
        new posts, notices and announcement changes, so this pass leaves them out (an idle laptop
        then costs one request a tick)."""
        result = SyncResult()
        self._step(result, "outbox", self._deliver)
        if directory or (directory is None and self._directory_due()):
            self._step(result, "directory", self._directory)
        # A streamed feed is left to the stream, once it has been fetched at all (a feed just
        # chosen in Settings is fetched now, stream or not).
        streamed = streaming and self.feed in self.streamed_feeds and self.store.newest_fetched(self.feed.key)
        if self.feed is not None and not streamed:
            feed = self.feed
            self._step(result, "feed", lambda r: self._feed(r, feed))
        if self.notices and not streaming:
            self._step(result, "notices", self._notices)
        if not streaming:
            self._step(result, "announcements", lambda r: setattr(
                r, "announcements_new", self.store.save_announcements(self.network.announcements())))
        if self.notices:
            self._step(result, "markers", lambda r: self._markers(pull=not streaming))
        if self._presence_due(full=not streaming):
            self._step(result, "presence", self._presence)
        self._step(result, "writes", self._writes)
        if self.photos_per_pass:
            self._step(result, "photos", lambda r: setattr(r, "photos_new", self._photos(self.photos_per_pass)))
        result.pending = self.outbox.pending_count()
        self.problems = result.problems
        return result

    def screen_busy(self, seconds: float = SCREEN_BUSY_S) -> None:
        """Someone is at the screen (a badge's keys are arriving): for ``seconds``, the big
        background reads (the directory's next page, the next photo) wait, so the interpreter is
        the card's until it is on screen. Any thread may call it."""
        self._screen_busy_until = time.monotonic() + seconds

    def _yield_to_screen(self) -> None:
        while time.monotonic() < self._screen_busy_until and not self._stop.is_set():
            self._stop.wait(0.05)

    def read_directory(self) -> SyncResult:
        """The network's directory, read whole now (``hallway export-directory``)."""
        result = SyncResult()
        self._step(result, "directory", self._directory_from_network)
        return result

    def _directory_due(self) -> bool:
        last = float(self.store.get_state("directory_synced_at", "0") or 0)
        unfinished = self.store.get_state("directory_unfinished", "") == "1"
        return self.schedule.due(last, self.clock.time(), self.started, self.store.count_people() > 0, unfinished)

    def _step(self, result: SyncResult, name: str, step: Callable[[SyncResult], object]) -> None:
        if self._stop.is_set():
            return
        try:
            step(result)
        except (Offline, RateLimited, Unauthorized):
            raise  # the network is away or the sign-in is gone: no later step would fare better
        except Exception as failure:  # one failing step never stops the others
            problem = replace(plain(failure), step=name)
            if isinstance(failure, (HttpError, StoreFault)):
                log.warning("sync step %s failed: %s", name, problem.message)
            else:
                log.exception("sync step %s failed unexpectedly", name)
            result.problems.append(problem)

    def deliver_soon(self) -> None:
        """Something the person just wrote: delivered at once on an executor thread, even while a
        pass is busy elsewhere (the directory, photos, a slow step), instead of at the next pass.
        Calls while one delivery runs make it go round once more, never a queue of threads. A
        failure (offline, say) is left to the loop, which a poke wakes to deal with it as always."""
        loop = self._loop
        if loop is None or loop.is_closed() or self._stop.is_set():
            self.now()
            return
        with self._soon_lock:
            self._soon_again = self._soon_running
            if self._soon_running:
                return
            self._soon_running = True

        def deliver() -> None:
            while True:
                failed = False
                try:
                    self._deliver(SyncResult())
                except Exception as failure:
                    log.info("a write waits for the next sync pass: %s", failure)
                    failed = True
                    if isinstance(failure, (Offline, RateLimited)):  # said now, not after the next pass
                        self.problem = replace(plain(failure), step="outbox")
                        slow = isinstance(failure, RateLimited)
                        self._call_from_thread(loop, self._set, Connection.SLOW if slow else _away(failure))
                    self.now()
                with self._soon_lock:
                    # After a failure the loop's backoff decides when to try again, not each new write.
                    if failed or not self._soon_again or self._stop.is_set():
                        self._soon_running = self._soon_again = False
                        return
                    self._soon_again = False
        try:
            loop.run_in_executor(None, deliver)
        except RuntimeError:  # the loop closed meanwhile: the app is quitting
            with self._soon_lock:
                self._soon_running = False

    def _deliver(self, result: SyncResult) -> None:
        def sent() -> None:  # the count drops with each delivery, not at the end of the queue
            self._call(self.on_pending, self.outbox.pending_count())
        with self._delivering:  # a pass and deliver_soon never send the same write twice
            delivery = self.outbox.deliver(self.network, self._stop, sent)
        result.delivered += delivery.delivered
        if delivery.delivered:  # "sending…" goes as soon as it is sent, not when the pass ends
            self._call(self.on_pending, delivery.pending)
        if delivery.stopped_by is not None:
            raise delivery.stopped_by

    def _notices(self, result: SyncResult) -> None:
        cursor = self.store.get_state("notices_newest")
        notices = self.network.notices(newer_than=cursor)
        result.notices_new = self.store.save_notices(notices)
        if notices:
            self.store.set_state("notices_newest", max(notices, key=lambda n: n.position).id)

    def _writes(self, result: SyncResult) -> None:
        """Where the app may write (an encrypted Matrix room, never): the front ends say so instead
        of offering a box, a ☆ or a sharing question that could not be kept."""
        result.refusals = {into: self.network.write_refusal(into) for into in self.writes}
        self.refusals = result.refusals

    def _presence_due(self, full: bool) -> bool:
        """No stream brings who is in. The kiosk reads it each pass (its welcome screen counts
        them); a laptop on each full pass (a start, the window opened), every few seconds while
        someone looks at "who is in", every 10 minutes for a person who starred colleagues (their
        arrival is a notification), else every 20 minutes (the tray's count)."""
        if self.feed is None or full or self._presence_at is None:
            return True
        if self.watching_presence is not None and self.watching_presence():
            return True
        every = PRESENCE_STARRED_S if self.store.starred() else PRESENCE_IDLE_S
        return self.clock.monotonic() - self._presence_at >= every

    def _presence(self, result: SyncResult) -> None:
        self._presence_at = self.clock.monotonic()
        today = self.today()
        result.in_office = self.store.save_presence(today, self.network.in_office(today))

    def _markers(self, pull: bool) -> None:
        """Read positions, shared with the person's other clients: send ours when it moved; take
        the network's when another client read further (for mentions, only while some are unread
        here: with none, there is nothing another client's reading could clear)."""
        for feed in (*((self.feed.key,) if self.feed else ()), "notices"):
            local = self.store.read_marker(feed)
            if pull and (feed != "notices" or self.store.unread_mentions()):
                remote = self.network.read_marker(feed)
                if remote and remote != local and self.store.mark_read(feed, remote):
                    self.store.set_marker_sent(feed, remote)
                    continue
            if local and local != self.store.marker_sent(feed):
                self.network.set_read_marker(feed, local)
                self.store.set_marker_sent(feed, local)

    def older(self, feed: FeedRef, limit: int = 40) -> int:
        """Fetch the page before the oldest post stored (scrolling back past the backfill)."""
        oldest = self.store.oldest_post_id(feed.key)
        if oldest is None:
            return 0
        page = self.network.feed(feed, older_than=oldest, limit=limit)
        self.store.save_posts(feed.key, page.posts)
        return len(page.posts)

    def _photos(self, most: int) -> int:
        """Fetch photos nobody has cached yet, a few per pass so a big directory arrives gently."""
        fetched = 0
        prefetch = self.photos_of != "shown"
        wanted = (self.store.photos_missing(most) if prefetch
                  else self.store.photos_of_people_shown(most, self.today().isoformat()))
        for url in wanted:
            self._yield_to_screen()
            if self._stop.is_set():
                break
            # Fetching everyone's face ahead stops where the cache is full: each new one would push
            # out another, fetched again next pass, for ever (privacy.photo_cache_mb is too small).
            if prefetch and self.store.photo_cache_size() >= self.store.photo_cache_bytes * PREFETCH_FULL:
                if not self._cache_full_said:
                    log.warning("the photo cache is full (privacy.photo_cache_mb): faces not cached yet show "
                                "as initials")
                    self._cache_full_said = True
                break
            try:
                self.store.save_photo(url, self.network.photo(url))
            except Unauthorized:
                raise
            except (Offline, RateLimited, DiskFull):
                break  # the server is struggling, or no room: photos wait; what came before stands
            except HttpError as failure:  # not an image, too big, gone, another host: the app draws
                log.info("photo %s not kept: %s", url[:200], failure.message)  # initials instead, and
                self.store.save_photo_failure(url)  # it waits for its profile to change, or a week
            fetched += 1
        if not self.network.photos_move and fetched < most:
            fetched += self._photos_again(min(most - fetched, PHOTOS_AGAIN_PER_PASS))
        return fetched

    def _photos_again(self, most: int) -> int:
        """Where a photo's address stays when it changes (Microsoft Graph), the cached ones are
        fetched again after PHOTO_FRESH_S, the faces shown most recently first, a few a pass: a
        colleague's new photo reaches the screens within about a week. How many changed."""
        changed = 0
        for url in self.store.photos_to_fetch_again(PHOTO_FRESH_S, most):
            self._yield_to_screen()
            if self._stop.is_set():
                break
            try:
                data = self.network.photo(url)
            except Unauthorized:
                raise
            except (Offline, RateLimited):
                break
            except HttpError as failure:  # the photo was taken down (Graph: 404): initials again
                log.info("photo %s is gone: %s", url[:200], failure.message)
                self.store.save_photo_failure(url)
                changed += 1
                continue
            if data == self.store.photo(url, touch=False):
                self.store.photo_still_current(url)
            else:
                self.store.save_photo(url, data)
                changed += 1
        return changed

    def _directory(self, result: SyncResult) -> None:
        if self.directory_copy is not None:
            try:
                self._directory_from_copy(result)
                self.store.forget_photo_failures()
                return
            except (BadCopy, HttpError) as failure:  # IT's web server is not the network: never "signed out"
                words = failure.message if isinstance(failure, HttpError) else str(failure)
                log.warning("the directory copy %s was not used: %s", self.directory_copy.where, words)
                result.problems.append(Problem("directory", "The company's directory copy could not be used",
                                               f"{words} Hallway read the network's directory instead."))
        self._directory_from_network(result)
        self.copy_words = ""
        if self.exported is not None and self.store.get_state("directory_unfinished", "") != "1":
            self.exported()
        self.store.forget_photo_failures()

    def _directory_from_copy(self, result: SyncResult) -> None:
        """One request; on most days "not modified" (its validator is kept in the store)."""
        assert self.directory_copy is not None
        started = self.clock.time()
        copy = self.directory_copy.read(self.max_people)
        if copy is not None:
            result.people_changed += self.store.save_people(copy.people, synced_at=started)
            result.people_removed = self.store.forget_people_not_seen_since(started)
            self.store.set_state("directory_copy_exported_at", copy.exported_at.isoformat())
        elif not self.store.count_people():
            raise BadCopy("The copy was not sent again and this computer holds nobody from it.")
        exported = self.store.get_state("directory_copy_exported_at")
        if exported and (self.clock.now() - datetime.fromisoformat(exported)).days >= STALE_AFTER_DAYS:
            raise BadCopy(f"The directory copy has not changed since {exported[:10]}: the export has stopped.")
        self.store.set_state("directory_synced_at", str(started))
        self.store.set_state("directory_unfinished", "")
        self.copy_words = self.directory_copy.words(copy) if copy else self.directory_copy.words(None)

    def _directory_from_network(self, result: SyncResult) -> None:
        started = self.clock.time()
        seen: set[str] = set()
        complete = False
        # The store's people with the connector's versions: a connector that pays a request per
        # profile (Matrix's profile fields) asks only for those that changed.
        held = {person.id: person for person in self.store.people(include_hidden=True)}
        waiting = self.outbox.pending_count()  # what the outbox step could not send stays for later
        # Only a pass that completed left a cursor worth starting from (see DirectoryPass.cursor).
        found = self.network.directory(held, since=self.store.get_state(DIRECTORY_CURSOR, "") or "")
        pages = iter(found)
        for _ in range(MAX_DIRECTORY_PAGES):
            self._yield_to_screen()
            if self._stop.is_set():
                return
            page = next(pages, None)
            if page is None:
                complete = True
                break
            fresh = [person for person in page if person.id not in seen]
            if page and not fresh:
                # A server whose next page is a page already seen would be walked for ever.
                raise BadAnswer("The directory kept sending the same people again; Hallway stopped reading it.")
            fresh = fresh[:self.max_people - len(seen)]
            seen.update(person.id for person in fresh)
            result.people_changed += self.store.save_people(fresh, synced_at=started)
            if len(seen) >= self.max_people:  # as far as IT said the company goes: the rest waits
                log.warning("the directory lists more than %d people; Hallway keeps that many (sync.max_people)",
                            self.max_people)
                result.problems.append(Problem("directory", "More people than expected", (
                    f"The directory lists more than {self.max_people:,} people, more than this company has "
                    "(sync.max_people); Hallway kept that many and stopped reading.")))
                self.store.set_state("directory_synced_at", str(started))  # not read again for hours
                return
            if self.outbox.pending_count() > waiting:  # a check-in made while a big directory loads goes now
                self._deliver(result)
                waiting = self.outbox.pending_count()
        if not complete:
            raise BadAnswer(f"The directory had more than {MAX_DIRECTORY_PAGES} pages; Hallway read that many.")
        if not seen:
            known = self.store.count_people()
            if known:  # a glitch, not a company that emptied overnight: keep everyone
                raise BadAnswer(f"The directory came back empty; Hallway kept the {known} colleagues it had.")
            raise BadAnswer(EMPTY_DIRECTORY)
        # Only a complete pass may forget people: a fault above leaves everyone in place.
        result.people_removed = self.store.forget_people_not_seen_since(started)
        self.directory_found = found
        self.store.set_state(DIRECTORY_CURSOR, found.cursor)
        if found.complete:
            self.store.set_state("directory_synced_at", str(started))
            self.store.set_state("directory_unfinished", "")
        else:  # everyone is listed, some facts are still to come (a profile rate limit): soon again
            self.store.set_state("directory_synced_at", str(started - self.schedule.every_s + DIRECTORY_AGAIN_S))
            self.store.set_state("directory_unfinished", "1")

    def _feed(self, result: SyncResult, feed: FeedRef) -> None:
        key = feed.key  # how the store files it
        newest = self.store.newest_fetched(key)
        if newest is None:  # first sync: the newest posts, then back in time up to the backfill
            page = self.network.feed(feed, limit=40)
            result.posts_new += self.store.save_posts(key, page.posts)
            fetched = len(page.posts)
            if page.posts:
                self.store.set_newest_fetched(key, page.posts[0].id)
            cursors: set[str] = set()
            while page.older and page.posts and fetched < self.backfill and page.older not in cursors:
                cursors.add(page.older)  # a Link header that points back at itself ends the walk
                page = self.network.feed(feed, older_than=page.older, limit=40)
                result.posts_new += self.store.save_posts(key, page.posts)
                fetched += len(page.posts)
            return
        for _ in range(MAX_CATCH_UP_PAGES):  # catch up page by page, oldest first, and move the cursor each time
            if self._stop.is_set():
                return
            page = self.network.feed(feed, newer_than=newest, limit=40)
            for taken_down in page.removed:  # moderated away while this laptop was not listening
                self.store.remove_post(taken_down)
            # Edits and reactions made meanwhile to posts this computer already holds.
            result.posts_changed += self.store.apply_changes(page.edits, page.reactions)
            if page.posts:
                result.posts_new += self.store.save_posts(key, page.posts)
            # The cursor: the newest thing the page read (Matrix: any event, an edit or a reaction
            # too, so they are not read again), else its newest post.
            newer = page.newer or (max(page.posts, key=lambda p: p.position).id if page.posts else newest)
            if newer == newest:
                return  # nothing newer: the server keeps answering with what we have
            newest = newer
            self.store.set_newest_fetched(key, newest)

    # ------------------------------------------------------------ the long-lived loop

    async def run(self, interval_s: float = 300.0) -> None:  # noqa: C901
        """Sync now, then keep up: the stream where there is one, a jittered timer, backoff on
        faults. Supervised: no exception ends it; only ``stop`` does."""
        loop = self._loop = asyncio.get_running_loop()  # kept: every later step uses this loop
        self._loop_thread = threading.get_ident()
        backoff = 0.0
        offline_since: float | None = None
        last_full = 0.0
        self._stop.clear()
        log.info("sync started (every %.0f s)", interval_s)
        try:
            while not self._stop.is_set():
                if self._reset_backoff.is_set():
                    self._reset_backoff.clear()
                    backoff = 0.0
                stream_task = self._stream_task
                streaming = (stream_task is not None and not stream_task.done()
                             and time.monotonic() - last_full < FULL_PASS_EVERY_S and not self._full.is_set())
                self._full.clear()
                try:
                    result = await loop.run_in_executor(None, functools.partial(self.once, streaming=streaming))
                except Unauthorized as failure:
                    log.warning("signed out: %s", failure.message)
                    self.problem = replace(plain(failure), step="sync")
                    self._set(Connection.SIGNED_OUT)
                    self._report_pending()
                    await self._sleep(jitter(max(interval_s, 60.0)))  # IT may renew the token meanwhile
                    continue
                except RateLimited as slow:
                    # Not offline: the network answers and asks for time. Exactly that long (a minute
                    # at most, then it is asked again), never a growing debt of our own.
                    wait = min(max(slow.retry_after_s, 1.0), RATE_LIMIT_WAIT_S)
                    self.problem = replace(plain(slow), step="sync", message=(
                        f"The network limits how fast Hallway may write: the next in {wait:.0f} s."))
                    self.slow_until = time.time() + wait
                    log.info("rate limited: waiting %.0f s", wait)
                    self._set(Connection.SLOW)
                    self._report_pending()
                    await self._sleep(wait + random.uniform(0, 0.5))
                    continue
                except Offline as failure:
                    offline_since = offline_since or time.monotonic()
                    self.problem = replace(plain(failure), step="sync")
                    log.warning("offline: %s", failure.message)
                    self._set(_away(failure))
                    self._report_pending()
                    cap = backoff_cap(time.monotonic() - offline_since, self._pending_quietly())
                    backoff = min(cap, backoff * 2 or 2.0)
                    await self._sleep(jitter(backoff))
                    continue
                except Exception as failure:  # supervised: logged, shown, tried again
                    log.exception("sync pass failed")
                    self.problem = plain(failure)
                    self._set(Connection.PROBLEM)
                    backoff = max(30.0, min(MAX_BACKOFF_S, backoff * 2 or 30.0))
                    await self._sleep(jitter(backoff))
                    continue
                if offline_since is not None:
                    log.info("back online after %.0f s", time.monotonic() - offline_since)
                backoff, offline_since = 0.0, None
                if not streaming:
                    last_full = time.monotonic()
                self.problem = None
                self._set(Connection.ONLINE)
                self._call(self.on_result, result)
                self._call(self.on_pending, result.pending)
                if self._stream_wanted() and (self._stream_task is None or self._stream_task.done()):
                    reopening = self._stream_task is not None
                    self._stream_task = loop.run_in_executor(None, self._follow_stream, loop, reopening)
                # A check-in still waiting after a pass that went through (its answer came back
                # garbled) is tried again soon, not at the next tick.
                # A feed the stream does not bring (Mastodon's local timeline) is polled each minute.
                polled = self._stream_wanted() and self.feed is not None and self.feed not in self.streamed_feeds
                wait = min(interval_s, FEED_POLL_S) if polled else interval_s
                if self.watching_presence is not None and self.watching_presence():
                    wait = min(wait, PRESENCE_WATCH_S)  # someone is looking at "who is in"
                if self.attention is not None:  # brisk while they look, slow while the screen is locked
                    streamed = self._stream_wanted() and (self.feed is None or self.feed in self.streamed_feeds)
                    wait = pass_wait(wait, self.attention(), streamed)
                if self.directory_found is not None and not self.directory_found.complete:  # profiles left for later
                    wait = min(wait, DIRECTORY_AGAIN_S)
                await self._sleep(jitter(PENDING_BACKOFF_S * 2 if result.pending else wait))
        finally:
            self._stop.set()
            log.info("sync stopped")
            task = self._stream_task
            if task is not None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(asyncio.shield(task), timeout=0.1)

    def _stream_wanted(self) -> bool:
        if not self.stream or self._stop.is_set():
            return False
        return not (self.stream_off and time.monotonic() < self._stream_off_until)

    def _pending_quietly(self) -> int:
        try:
            return self.outbox.pending_count()
        except Exception:  # a locked store must not turn a backoff into a crash
            log.exception("could not count the outbox")
            return 0

    def _report_pending(self) -> None:
        self._call(self.on_pending, self._pending_quietly())

    def stop(self) -> None:
        self._stop.set()
        self._poke()
        if self.stream:
            with contextlib.suppress(Exception):
                self.network.close_stream()

    def now(self, full: bool = False) -> None:
        """Sync as soon as possible (a check-in was queued, the admin asked, the network came
        back): ends the wait, including a backoff wait, and starts the backoff afresh, so a
        network that is back is noticed at once. ``full``: pull everything even while the stream
        is open (announcements changed, the window was opened, the stream was reopened)."""
        if full:
            self._full.set()
        self._reset_backoff.set()
        self._wake.set()
        self._poke()

    def _poke(self) -> None:
        """End a wait from any thread: the loop's own future, so waiting costs no wake-ups at all."""
        loop, waker = self._loop, self._waker
        if loop is not None and waker is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed in between
                loop.call_soon_threadsafe(_settle, waker)

    async def _sleep(self, seconds: float) -> None:
        loop = self._loop or asyncio.get_running_loop()
        waker = self._waker = loop.create_future()
        if not self._stop.is_set() and not self._wake.is_set():
            timer = loop.call_later(seconds, _settle, waker)
            try:
                await waker
            finally:
                timer.cancel()
        self._wake.clear()

    def _follow_stream(self, loop: asyncio.AbstractEventLoop, reopening: bool = False) -> None:
        """In its own thread: store each pushed event and hand it to the loop. Returns when the
        stream ends, or when it has been silent too long (a hung connection: the connector's read
        timeout). Then a full pass catches up on what the stream missed and reopens it."""
        opened = time.monotonic()
        try:
            for event in self.network.stream(self._stop):
                if event.opened:
                    opened = time.monotonic()
                    if reopening:  # what was pushed while it was down is fetched by a full pass
                        self._call_from_thread(loop, self.now, True)
                    continue
                self._take(event)
        except Refused as off:  # streaming switched off on this server: poll instead, and say so once
            if not self.stream_off:
                log.warning("the network has no live stream (%s); checking every few minutes instead", off.message)
            self.stream_off = True
            self._stream_off_until = time.monotonic() + STREAM_OFF_RETRY_S
            return
        except HttpError as lost:
            log.info("live stream ended: %s", lost.message)
        except Exception:  # a broken event must not end the stream's thread silently
            log.exception("live stream failed")
        if self._stop.is_set():
            return
        # What was pushed while the stream was down is fetched by a full pass; a stream that
        # failed at once waits for the timer, so a broken stream does not become a busy loop.
        if time.monotonic() - opened > STREAM_QUICK_FAIL_S:
            self._call_from_thread(loop, self.now, True)

    def _take(self, event: StreamEvent) -> None:
        if event.post is not None:
            # Kept under the app's own feed when the stream brings it (Matrix's room is both the
            # home and the company feed); Mastodon's streams each say their own feed.
            same = (self.feed in self.streamed_feeds and event.feed in self.streamed_feeds
                    and not self.network.feeds_apart)
            feed = self.feed if same and self.feed else event.feed
            if feed is not None:
                self.store.save_posts(feed.key, [event.post])
        if event.notice is not None and not self.store.save_notices([event.notice]):
            return
        if event.deleted_post_id:
            self.store.remove_post(event.deleted_post_id)
        if event.edit is not None or event.reactions is not None:
            self.store.apply_changes([event.edit] if event.edit else [], [event.reactions] if event.reactions else [])
        self._call(self.on_event, event)

    def _call(self, callback: Callable[..., None] | None, *args: Any) -> None:
        """Run a front end's callback on the loop's thread, and never let it end sync."""
        if callback is None:
            return
        loop = self._loop
        if loop is not None and threading.get_ident() != self._loop_thread:
            self._call_from_thread(loop, callback, *args)
            return
        try:
            callback(*args)
        except Exception:  # a front end's fault is logged, and sync goes on
            log.exception("a sync callback failed")

    def _call_from_thread(self, loop: asyncio.AbstractEventLoop, callback: Callable[..., None], *args: Any) -> None:
        if not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # closed in between: the app is gone
                loop.call_soon_threadsafe(self._call, callback, *args)

    def _set(self, connection: Connection) -> None:
        if connection is not self.connection:
            self.connection = connection
            if not self._stop.is_set():  # a stopped sync's last word is not news
                self._call(self.on_connection, connection)
