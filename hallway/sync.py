"""Bringing the store up to date: incremental pulls, the network's stream when it has one,
jittered timers, and backoff that recovers by itself.

``Sync.once`` is one blocking pass (the ``hallway sync --once`` command, and each timer
tick); ``Sync.run`` is the long-lived loop for the apps. It runs on the asyncio loop
(qasync's, in the apps) and sends every blocking call to an executor thread, so the GUI
thread never waits on the network. Results reach the apps through plain callbacks.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from hallway.http import HttpError, Offline, RateLimited, Unauthorized
from hallway.model import Announcement, Notice
from hallway.networks import Network, StreamEvent
from hallway.outbox import Outbox
from hallway.store import Store

DIRECTORY_EVERY_S = 6 * 3600
FULL_PASS_EVERY_S = 1800  # while the stream is open it brings posts and notices: a full pass this often
BACKFILL_POSTS = 200
MAX_BACKOFF_S = 600.0


class Connection(StrEnum):
    ONLINE = "online"
    OFFLINE = "offline"
    SIGNED_OUT = "signed-out"


@dataclass
class SyncResult:
    """What one pass changed."""

    people_changed: int = 0
    people_removed: int = 0
    posts_new: int = 0
    notices_new: list[Notice] = field(default_factory=list)
    announcements_new: list[Announcement] = field(default_factory=list)
    delivered: int = 0
    in_office: int = 0
    photos_new: int = 0

    def summary(self) -> str:
        return (f"{self.people_changed} people updated, {self.people_removed} removed, {self.posts_new} new posts, "
                f"{len(self.notices_new)} new notices, {len(self.announcements_new)} new announcements, "
                f"{self.delivered} check-ins delivered, {self.in_office} in the office today")


def _settle(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


def jitter(seconds: float, spread: float = 0.2) -> float:
    """Spread timers so that a whole office waking from sleep does not call the network at once."""
    return seconds * random.uniform(1 - spread, 1 + spread)


class Sync:
    def __init__(self, store: Store, network: Network, outbox: Outbox | None = None, feed: str | None = "home",
                 backfill: int = BACKFILL_POSTS, notices: bool = True, stream: bool = True,
                 photos_per_pass: int = 0) -> None:
        """``feed`` None, ``notices`` and ``stream`` False leave out what an app does not show (the
        kiosk); ``photos_per_pass`` fetches that many missing photos each pass (the kiosk must show
        photos with no network on the check-in path)."""
        self.store, self.network, self.feed, self.backfill = store, network, feed, backfill
        self.notices, self.stream, self.photos_per_pass = notices, stream, photos_per_pass
        self.outbox = outbox or Outbox(store)
        self._wake = threading.Event()
        self._full = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._waker: asyncio.Future[None] | None = None
        self.on_result: Callable[[SyncResult], None] | None = None
        self.on_connection: Callable[[Connection], None] | None = None
        self.on_event: Callable[[StreamEvent], None] | None = None
        self.connection = Connection.ONLINE
        self.streamed_feeds = ("home",)  # what the stream brings (Mastodon's user stream: the home feed)
        self._stop = threading.Event()

    # ------------------------------------------------------------ one pass (blocking)

    def once(self, directory: bool | None = None, streaming: bool = False) -> SyncResult:
        """Pull what changed. Each part commits on its own, so a fault keeps what came before it.
        ``streaming``: the network's stream is open and brings new posts, notices and announcement
        changes, so this pass leaves them out (an idle laptop then costs one request a tick)."""
        result = SyncResult()
        last_directory = float(self.store.get_state("directory_synced_at", "0") or 0)
        if directory or (directory is None and time.time() - last_directory > DIRECTORY_EVERY_S):
            self._directory(result)
        # Writes first: a check-in waiting in the outbox matters more than anything to read.
        delivery = self.outbox.deliver(self.network)
        result.delivered = delivery.delivered
        if delivery.stopped_by is not None:
            raise delivery.stopped_by
        if self.feed is not None and not (streaming and self.feed in self.streamed_feeds):
            self._feed(result, self.feed)
        if self.notices and not streaming:
            cursor = self.store.get_state("notices_newest")
            notices = self.network.notices(newer_than=cursor)
            result.notices_new = self.store.save_notices(notices)
            if notices:
                self.store.set_state("notices_newest", max(notices, key=lambda n: n.position).id)
        if not streaming:
            result.announcements_new = self.store.save_announcements(self.network.announcements())
        if self.notices:
            self._markers(pull=not streaming)
        today = datetime.now().astimezone().date()
        result.in_office = self.store.save_presence(today, self.network.in_office(today))
        if self.photos_per_pass:
            result.photos_new = self._photos(self.photos_per_pass)
        return result

    def _markers(self, pull: bool) -> None:
        """Read positions, shared with the person's other clients: send ours when it moved; take
        the network's when another client read further."""
        for feed in (*((self.feed,) if self.feed else ()), "notices"):
            local = self.store.read_marker(feed)
            if pull:
                remote = self.network.read_marker(feed)
                if remote and remote != local and self.store.mark_read(feed, remote):
                    self.store.set_state(f"marker:{feed}:sent", remote)
                    continue
            if local and local != self.store.get_state(f"marker:{feed}:sent"):
                self.network.set_read_marker(feed, local)
                self.store.set_state(f"marker:{feed}:sent", local)

    def older(self, feed: str, limit: int = 40) -> int:
        """Fetch the page before the oldest post stored (scrolling back past the backfill)."""
        oldest = self.store.query("SELECT id FROM posts WHERE feed = ? ORDER BY position LIMIT 1", (feed,))
        if not oldest:
            return 0
        page = self.network.feed(feed, older_than=str(oldest[0][0]), limit=limit)
        self.store.save_posts(feed, page.posts)
        return len(page.posts)

    def _photos(self, most: int) -> int:
        """Fetch photos nobody has cached yet, a few per pass so a big directory arrives gently."""
        fetched = 0
        for url in self.store.photos_missing(most):
            try:
                self.store.save_photo(url, self.network.photo(url))
            except Unauthorized:
                raise
            except (Offline, RateLimited):
                break  # the server is struggling: photos wait for the next pass; what came before stands
            except HttpError:  # not an image, too big, gone, failing: the app draws initials instead,
                self.store.save_photo_failure(url)  # and this photo waits for the next directory refresh
            fetched += 1
        return fetched

    def _directory(self, result: SyncResult) -> None:
        started = time.time()
        for page in self.network.directory():
            result.people_changed += self.store.save_people(page, synced_at=started)
        # Only a complete pass may forget people: a fault above leaves everyone in place.
        result.people_removed = self.store.forget_people_not_seen_since(started)
        self.store.forget_photo_failures()
        self.store.set_state("directory_synced_at", str(started))

    def _feed(self, result: SyncResult, feed: str) -> None:
        key = f"feed:{feed}:newest"
        newest = self.store.get_state(key)
        if newest is None:  # first sync: the newest posts, then back in time up to the backfill
            page = self.network.feed(feed, limit=40)
            result.posts_new += self.store.save_posts(feed, page.posts)
            fetched = len(page.posts)
            if page.posts:
                self.store.set_state(key, page.posts[0].id)
            while page.older and page.posts and fetched < self.backfill:
                page = self.network.feed(feed, older_than=page.older, limit=40)
                result.posts_new += self.store.save_posts(feed, page.posts)
                fetched += len(page.posts)
            return
        for _ in range(50):  # catch up page by page, oldest first, and move the cursor each time
            page = self.network.feed(feed, newer_than=newest, limit=40)
            if not page.posts:
                return
            result.posts_new += self.store.save_posts(feed, page.posts)
            newest = max(page.posts, key=lambda p: p.position).id
            self.store.set_state(key, newest)

    # ------------------------------------------------------------ the long-lived loop

    async def run(self, interval_s: float = 300.0) -> None:
        """Sync now, then keep up: the stream where there is one, a jittered timer, backoff on faults."""
        loop = self._loop = asyncio.get_running_loop()  # kept: every later step uses this loop
        backoff = 0.0
        stream_task: asyncio.Future[None] | None = None
        last_full = 0.0
        self._stop.clear()
        try:
            while not self._stop.is_set():
                streaming = (stream_task is not None and not stream_task.done()
                             and time.monotonic() - last_full < FULL_PASS_EVERY_S and not self._full.is_set())
                self._full.clear()
                try:
                    result = await loop.run_in_executor(None, functools.partial(self.once, streaming=streaming))
                except Unauthorized:
                    self._set(Connection.SIGNED_OUT)
                    return
                except HttpError as failure:
                    self._set(Connection.OFFLINE)
                    retry = failure.retry_after_s if isinstance(failure, RateLimited) else 0.0
                    backoff = min(MAX_BACKOFF_S, max(retry, backoff * 2 or 2.0))
                    await self._sleep(jitter(backoff))
                    continue
                backoff = 0.0
                if not streaming:
                    last_full = time.monotonic()
                self._set(Connection.ONLINE)
                if self.on_result:
                    self.on_result(result)
                if self.stream and (stream_task is None or stream_task.done()):
                    stream_task = loop.run_in_executor(None, self._follow_stream, loop)
                await self._sleep(jitter(interval_s))
        finally:
            self._stop.set()
            if stream_task is not None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(asyncio.shield(stream_task), timeout=0.1)

    def stop(self) -> None:
        self._stop.set()
        self._poke()
        if self.stream:
            self.network.close_stream()

    def now(self, full: bool = False) -> None:
        """Sync as soon as possible (a check-in was queued, or the admin asked): ends the wait,
        including a backoff wait, so a network that is back is noticed at once. ``full``: pull
        everything even while the stream is open (announcements changed, the window was opened)."""
        if full:
            self._full.set()
        self._wake.set()
        self._poke()

    def _poke(self) -> None:
        """End a wait from any thread: the loop's own future, so waiting costs no wake-ups at all."""
        loop, waker = self._loop, self._waker
        if loop is not None and waker is not None and not loop.is_closed():
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

    def _follow_stream(self, loop: asyncio.AbstractEventLoop) -> None:
        """In its own thread: store each pushed event and hand it to the loop. Returns when the
        stream ends; the timer keeps the store fresh meanwhile and reopens it on the next tick."""
        with contextlib.suppress(HttpError):
            for event in self.network.stream(self._stop):
                if event.post is not None:
                    self.store.save_posts(event.feed, [event.post])
                if event.notice is not None:
                    fresh = self.store.save_notices([event.notice])
                    if not fresh:
                        continue
                if event.deleted_post_id:
                    self.store.remove_post(event.deleted_post_id)
                if self.on_event and not loop.is_closed():
                    loop.call_soon_threadsafe(self.on_event, event)

    def _set(self, connection: Connection) -> None:
        if connection is not self.connection:
            self.connection = connection
            if self.on_connection and not self._stop.is_set():  # a stopped sync's last word is not news
                self.on_connection(connection)
