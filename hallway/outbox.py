"""Writes that must reach the network exactly once: check-ins, posts, reactions and boosts.

An item gets its idempotency key when it is queued, and the key is committed with it
before ``add`` returns, so a check-in survives a crash the moment the card shows. Delivery
sends the same key on every try; the network turns a repeat into a no-op (Mastodon's
``Idempotency-Key``, Matrix's transaction id), so a crash between sending and recording
the answer cannot post twice.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, assert_never

from hallway.deadline import WATCHDOG
from hallway.http import BadAnswer, HttpError, Offline, RateLimited, Unauthorized
from hallway.model import CheckIn, Colleague, Place
from hallway.networks import Network
from hallway.store import QueuedWrite, Store

log = logging.getLogger(__name__)
# How long a server is trusted to remember an idempotency key: Mastodon keeps one an hour,
# Synapse a transaction id about half an hour. An item tried before and older than this is
# looked for on the network before it is sent again.
TRUST_KEY_S = 25 * 60
# All of one item's requests (a look for an earlier copy, the day's post, the write itself) end
# within this: a check-in never waits behind a trickling answer for longer.
SEND_DEADLINE_S = 10.0
SENDERS = 4  # check-ins sent at once: after an outage a queue of 240 goes in seconds, politely
_SET_ASIDE = object()  # an item's outcome: refused for good, or unreadable


class Kind(StrEnum):
    CHECK_IN = "check-in"
    REACTION = "reaction"
    DISMISS = "dismiss"  # an announcement the person dismissed
    POST = "post"  # something the person wrote in the tray app: a post or a reply
    SHARE = "share"  # a post the person shared with their followers (Mastodon's reblog)
    OFFICE_DAYS = "office-days"  # the days the person plans to be in, shared (none: taken back)


Item = QueuedWrite  # its kind read as a Kind by ``pending``


@dataclass(frozen=True)
class Delivery:
    """What one delivery pass did; ``stopped_by`` says why it stopped early, if it did."""

    delivered: int
    failed: int
    pending: int
    stopped_by: HttpError | None = None


class Outbox:
    def __init__(self, store: Store, on_change: Callable[[int], None] | None = None) -> None:
        self.store = store
        # Told the pending count when an item is queued, on the thread that queued it (the GUI's).
        # Deliveries happen on a worker thread, so their count travels in the sync result instead.
        self.on_change = on_change
        self.clock: Callable[[], float] = time.time  # how old an item is (the tests move it)
        self._sent: Callable[[], None] | None = None

    def add_check_in(self, check_in: CheckIn, colleague: Colleague) -> str:
        return self._add(Kind.CHECK_IN, {
            "colleague": {"id": colleague.id, "name": colleague.name, "handle": colleague.handle,
                          "profile_url": colleague.profile_url},
            "place": check_in.place.name, "at": check_in.at.isoformat(), "by_badge": check_in.by_badge,
            "met": check_in.met})

    def add_reaction(self, post_id: str) -> str:
        return self._add(Kind.REACTION, {"post_id": post_id})

    def add_share(self, post_id: str) -> str:
        return self._add(Kind.SHARE, {"post_id": post_id})

    def add_office_days(self, days: Sequence[date]) -> str:
        return self._add(Kind.OFFICE_DAYS, {"days": [day.isoformat() for day in days]})

    def add_post(self, text: str, reply_to: str | None = None, warning: str = "", private_to: str = "") -> str:
        """Queue what the person wrote; the caller has checked it against the server's limit.
        ``private_to``: a colleague's handle, for a private message only they see ("Say hi")."""
        if not text.strip():
            raise ValueError("There is nothing to send.")
        return self._add(Kind.POST, {"text": text, "reply_to": reply_to, "warning": warning,
                                     **({"private_to": private_to} if private_to else {})})

    def add_dismissal(self, announcement_id: str) -> str:
        return self._add(Kind.DISMISS, {"announcement_id": announcement_id})

    def _add(self, kind: Kind, payload: dict[str, Any]) -> str:
        key = str(uuid.uuid4())
        self.store.queue_write(key, kind.value, payload)
        self._changed()
        return key

    def pending(self) -> list[Item]:
        """Waiting, oldest first; an item of a kind this version does not know is set aside."""
        items: list[Item] = []
        for write in self.store.queued_writes():
            try:
                kind = Kind(write.kind)
            except ValueError:
                log.error("outbox item %s has an unknown kind %r", write.key, write.kind)
                self.store.set_write_aside(write.key, f"Hallway does not know this kind of item ({write.kind[:40]}).")
                continue
            items.append(replace(write, kind=kind))
        return items

    def pending_count(self) -> int:
        return self.store.count_queued_writes()

    def failed(self) -> list[tuple[str, str]]:
        return self.store.refused_writes()

    def deliver(self, network: Network, stop: threading.Event | None = None,
                sent: Callable[[], None] | None = None) -> Delivery:
        """Send what is pending, oldest first. Stops at the first sign the network is away, or
        when ``stop`` is set (the app is quitting: what is left waits, safely, for next time).
        Check-ins, each independent of the others, go a few at once: a morning's queue after an
        outage drains in seconds; everything else goes one by one, in the order it was made.
        ``sent`` is told after each item delivered (a queue's count drops as it drains)."""
        self._sent = sent
        delivered = failed = 0
        items = self.pending()
        while items:
            if stop is not None and stop.is_set():
                break
            run = 1
            while run < len(items) and items[0].kind == items[run].kind == Kind.CHECK_IN:
                run += 1
            outcomes = self._send_all(network, items[:run], stop)
            items = items[run:]
            delivered += outcomes.count(None)
            failed += sum(1 for o in outcomes if o is _SET_ASIDE)
            away = next((o for o in outcomes if isinstance(o, HttpError)), None)
            if away is not None:
                return Delivery(delivered, failed, self.pending_count(), away)
        return Delivery(delivered, failed, self.pending_count())

    def _send_all(self, network: Network, items: list[Item], stop: threading.Event | None) -> list[object]:
        """Each item's outcome: None (delivered), _SET_ASIDE, or the HttpError that says the
        network is away (nothing more is started after one)."""
        if len(items) == 1:
            return [self._send_one(network, items[0])]
        outcomes: list[object] = []
        with ThreadPoolExecutor(min(SENDERS, len(items)), "hallway-outbox") as senders:
            running: set[Future[object]] = set()
            queue = list(items)
            while queue or running:
                while queue and len(running) < SENDERS and not any(isinstance(o, HttpError) for o in outcomes) \
                        and not (stop is not None and stop.is_set()):
                    running.add(senders.submit(self._send_one, network, queue.pop(0)))
                if not running:
                    break
                done, running = wait(running, return_when=FIRST_COMPLETED)
                outcomes += [future.result() for future in done]
        return outcomes

    def _send_one(self, network: Network, item: Item) -> object:
        self.store.count_attempt(item.key)
        try:
            with WATCHDOG.deadline(SEND_DEADLINE_S):
                remote_id = self._send(network, item)
        except (Offline, RateLimited, Unauthorized, BadAnswer) as away:
            # BadAnswer: the write may or may not have landed (its answer came back garbled);
            # it is tried again later with the same key, never set aside as refused.
            return away
        except HttpError as refused:  # refused for good (a 4xx): keep it out of the way, visibly
            log.warning("outbox item %s (%s) refused for good: %s", item.key, item.kind, refused.message)
            self.store.set_write_aside(item.key, refused.message)
            return _SET_ASIDE
        except (KeyError, TypeError, ValueError) as broken:  # an item this version cannot read
            log.exception("outbox item %s cannot be sent", item.key)
            self.store.set_write_aside(item.key, f"Hallway could not read this item ({type(broken).__name__}).")
            return _SET_ASIDE
        self.store.mark_delivered(item.key, remote_id)
        if self._sent is not None:
            try:
                self._sent()
            except Exception:  # the count on a screen never stops a delivery
                log.exception("telling about a delivery failed")
        return None

    def _send(self, network: Network, item: Item) -> str:
        """One item to the network; mypy checks that every kind has its case."""
        kind = Kind(item.kind)
        match kind:
            case Kind.CHECK_IN:
                return self._check_in(network, item)
            case Kind.POST:
                return self._post(network, item)
            case Kind.OFFICE_DAYS:  # the newest plan is sent last, so it is the one that stays
                network.share_office_days([date.fromisoformat(day) for day in item.payload["days"]])
                return ""
            case Kind.SHARE:
                return network.share(item.payload["post_id"], item.key)  # boosting twice is one boost
            case Kind.DISMISS:
                network.dismiss_announcement(item.payload["announcement_id"])  # dismissing twice is harmless
                return str(item.payload["announcement_id"])
            case Kind.REACTION:
                return network.react(item.payload["post_id"], item.key)
            case _:
                assert_never(kind)

    def _may_have_landed(self, network: Network, item: Item) -> bool:
        """Tried before, and older than the server keeps its keys (0 where it keeps none): it may
        have landed with its answer lost, so it is looked for before it is sent a second time."""
        return bool(item.attempts) and self.clock() - item.queued_at > min(TRUST_KEY_S, network.keys_kept_s)

    def _check_in(self, network: Network, item: Item) -> str:
        who = item.payload["colleague"]
        check_in = CheckIn(who["id"], Place(item.payload["place"]), datetime.fromisoformat(item.payload["at"]),
                           shared=True, by_badge=bool(item.payload.get("by_badge")),
                           met=str(item.payload.get("met") or ""))
        colleague = Colleague(id=who["id"], name=who["name"], handle=who["handle"],
                              profile_url=str(who.get("profile_url") or ""))  # queued before: none
        if self._may_have_landed(network, item):
            found = network.find_check_in(check_in, colleague, item.key)
            if found:
                log.info("outbox item %s was already on the network (%s)", item.key, found)
                return found
        return network.check_in(check_in, colleague, item.key)

    def _post(self, network: Network, item: Item) -> str:
        text, reply_to = str(item.payload["text"]), item.payload.get("reply_to") or None
        if self._may_have_landed(network, item):
            found = network.find_post(text, reply_to, datetime.fromtimestamp(item.queued_at, UTC))
            if found:
                log.info("outbox item %s was already on the network (%s)", item.key, found)
                return found
        if item.payload.get("private_to"):
            return network.message(str(item.payload["private_to"]), text, item.key)
        return network.publish(text, item.key, reply_to, str(item.payload.get("warning") or ""))

    def forget_delivered(self, older_than_days: int) -> int:
        """The check-in log's retention: delivered items older than this go."""
        return self.store.forget_delivered_before(time.time() - older_than_days * 86400)

    def _changed(self) -> None:
        if self.on_change:
            self.on_change(self.pending_count())
