"""Fan-out of live events to the streaming API's open connections."""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass, field

CLOSED = ("", "")  # sentinel: the server is shutting down


@dataclass(eq=False)
class Subscriber:
    """One open ``/api/v1/streaming/...`` connection."""

    channel: str  # "user" or "public:local"
    account_id: str
    events: queue.Queue[tuple[str, str]] = field(default_factory=queue.Queue)


class StreamHub:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: set[Subscriber] = set()

    def subscribe(self, channel: str, account_id: str) -> Subscriber:
        subscriber = Subscriber(channel, account_id)
        with self._lock:
            self._subscribers.add(subscriber)
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        with self._lock:
            self._subscribers.discard(subscriber)

    def publish(self, channel: str, event: str, payload: str, account_id: str | None = None) -> int:
        """Send to every subscriber of ``channel`` (only ``account_id``'s, if given); returns how many."""
        with self._lock:
            targets = [s for s in self._subscribers if s.channel == channel
                       and (account_id is None or s.account_id == account_id)]
        for subscriber in targets:
            subscriber.events.put((event, payload))
        return len(targets)

    def accounts(self, channel: str) -> set[str]:
        """Whose connections are open on ``channel``."""
        with self._lock:
            return {s.account_id for s in self._subscribers if s.channel == channel}

    def count(self) -> int:
        with self._lock:
            return len(self._subscribers)

    def close(self) -> None:
        with self._lock:
            targets = list(self._subscribers)
        for subscriber in targets:
            subscriber.events.put(CLOSED)
