"""A TCP proxy on loopback whose link flaps: up, refusing, blackholed (accepts and never
answers; open connections go silent too), cut mid-answer, or trickling (the answer a few bytes
at a time, each well inside any read timeout). The kiosk-kill test and bench/chaos.py put it between an app and
the demo network. Bounded: it only ever connects to the upstream it was given, on 127.0.0.1."""

from __future__ import annotations

import contextlib
import random
import socket
import threading
import time
from types import TracebackType

MODES = ("up", "refuse", "blackhole", "cut", "trickle")
FLAPPING = ("up", "refuse", "blackhole", "cut")  # what flap() picks from


class FlappingProxy:
    def __init__(self, upstream_port: int, seed: int = 1) -> None:
        self.upstream_port = upstream_port
        self.mode = "up"
        self.random = random.Random(seed)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._stop = threading.Event()
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self.connections = 0
        self._flapper: threading.Thread | None = None

    def __enter__(self) -> FlappingProxy:
        threading.Thread(target=self._accept, name="flapping-proxy", daemon=True).start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stop.set()
        self._listener.close()
        self.drop_all()

    def set(self, mode: str) -> None:
        assert mode in MODES
        self.mode = mode
        if mode in ("refuse", "cut"):
            self.drop_all()

    def flap(self, every_s: tuple[float, float] = (0.5, 3.0), until: threading.Event | None = None) -> None:
        """Change the mode at random intervals, in a thread, until ``until`` is set (then: up)."""
        stop = until or self._stop

        def run() -> None:
            while not stop.wait(self.random.uniform(*every_s)):
                self.set(self.random.choice(FLAPPING))
            self.set("up")
        self._flapper = threading.Thread(target=run, name="flapper", daemon=True)
        self._flapper.start()

    def drop_all(self) -> None:
        with self._lock:
            sockets, self._open = list(self._open), set()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            self.connections += 1
            mode = self.mode
            if mode == "refuse":  # a reset at once, as a closed port looks through a proxy
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                client.close()
                continue
            with self._lock:
                self._open.add(client)
            if mode == "blackhole":
                continue  # accepted, never answered: the client's timeout must notice
            threading.Thread(target=self._pipe, args=(client, mode), daemon=True).start()

    def _pipe(self, client: socket.socket, mode: str) -> None:
        cut = mode == "cut"
        try:
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=10)
        except OSError:
            client.close()
            return
        with self._lock:
            self._open.add(upstream)

        def pump(source: socket.socket, sink: socket.socket, cut_after: int | None) -> None:
            sent = 0
            try:
                while True:
                    data = source.recv(65536)
                    if not data:
                        break
                    if cut_after is not None and sent + len(data) > cut_after:
                        sink.sendall(data[: max(0, cut_after - sent)])
                        break  # half an answer, then the line goes dead
                    while self.mode == "blackhole" and not self._stop.is_set():
                        time.sleep(0.05)  # the link went dark under an open connection: nothing passes
                    if self.mode == "trickle" and sink is client:
                        for offset in range(0, len(data), 4):  # 4 bytes every 0.2 s: 20 bytes a second
                            sink.sendall(data[offset:offset + 4])
                            time.sleep(0.2)
                    else:
                        sink.sendall(data)
                    sent += len(data)
            except OSError:
                pass
            finally:
                for sock in (source, sink):
                    with contextlib.suppress(OSError):
                        sock.shutdown(socket.SHUT_RDWR)

        threading.Thread(target=pump, args=(client, upstream, None), daemon=True).start()
        pump(upstream, client, self.random.randint(20, 400) if cut else None)
        time.sleep(0)
