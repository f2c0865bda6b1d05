"""Overall deadlines for blocking HTTP calls.

A read timeout bounds each wait for the next byte, not the whole answer: a server (or a proxy)
that trickles a byte every few seconds would hold a request, and the thread it runs on, for
ever. Here one watchdog thread keeps every request's deadline; when one passes, it shuts the
request's sockets down, so the blocked read returns at once and the caller sees
``Deadline.expired``. Sockets are attached where urllib3 makes and reuses them (the connection
classes below), so the deadline covers the TLS handshake, the headers and the body alike.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

_current = threading.local()  # the deadline of the request this thread is making, if any


class Deadline:
    """One request's deadline: the sockets it uses are shut when ``at`` (monotonic) passes."""

    def __init__(self, at: float, seconds: float) -> None:
        self.at = at
        self.seconds = seconds  # as given (the enclosing one's, where that one binds), for the words
        self.expired = False
        self.finished = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def attach(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            if not self.expired:
                self._sockets.append(sock)
                return
        _shut(sock)  # too late already: the read that follows fails at once

    def expire(self) -> None:
        with self._lock:
            if self.finished or self.expired:
                return
            self.expired = True
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            _shut(sock)

    def finish(self) -> None:
        with self._lock:
            self.finished = True
            self._sockets.clear()


def _shut(sock: socket.socket) -> None:
    # The plain socket's shutdown, also for a TLS socket (ssl.SSLSocket.shutdown would unwrap it
    # under the reading thread's feet); the fd stays open for the reader to close.
    with contextlib.suppress(OSError, ValueError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


class Watchdog:
    """One daemon thread for every deadline in the process, started when first needed."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, Deadline]] = []
        self._order = itertools.count()
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None

    @contextlib.contextmanager
    def deadline(self, seconds: float) -> Iterator[Deadline]:
        """The calling thread's requests inside this block end by ``seconds`` from now, or by the
        deadline of an enclosing block if that comes first (a check-in's few requests share one)."""
        outer: Deadline | None = getattr(_current, "deadline", None)
        at = time.monotonic() + seconds
        watched = Deadline(outer.at, outer.seconds) if outer is not None and outer.at < at else Deadline(at, seconds)
        with self._wake:
            heapq.heappush(self._heap, (watched.at, next(self._order), watched))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="hallway-deadlines", daemon=True)
                self._thread.start()
            self._wake.notify()
        _current.deadline = watched
        try:
            yield watched
        finally:
            _current.deadline = outer
            watched.finish()

    def _run(self) -> None:
        with self._wake:
            while True:
                now = time.monotonic()
                while self._heap and (self._heap[0][2].finished or self._heap[0][0] <= now):
                    _, _, due = heapq.heappop(self._heap)
                    due.expire()  # a no-op for one that finished in time
                self._wake.wait(self._heap[0][0] - now if self._heap else None)


WATCHDOG = Watchdog()


def watch(sock: socket.socket | None) -> None:
    """Put ``sock`` under the deadline of the request this thread is making (if it has one)."""
    deadline: Deadline | None = getattr(_current, "deadline", None)
    if deadline is not None:
        deadline.attach(sock)


class _WatchedHTTPConnection(HTTPConnection):
    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        watch(sock)
        return sock

    def request(self, *args: Any, **kwargs: Any) -> None:
        watch(self.sock)  # a kept-alive connection, reused for this request
        super().request(*args, **kwargs)


class WatchedHTTPSConnection(HTTPSConnection):
    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        watch(sock)
        return sock

    def request(self, *args: Any, **kwargs: Any) -> None:
        watch(self.sock)
        super().request(*args, **kwargs)


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = WatchedHTTPSConnection


# For a urllib3 PoolManager's ``pool_classes_by_scheme`` (hallway.http mounts them).
WATCHED_POOLS: dict[str, type[HTTPConnectionPool]] = {"http": _WatchedHTTPPool, "https": WatchedHTTPSPool}
