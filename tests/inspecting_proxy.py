"""A TLS-inspecting proxy on loopback, as a company's gateway is: it answers CONNECT, ends the
TLS itself with a certificate its own root signed (the root IT puts on every laptop), reads what
passes, and carries it on to the server. Here the server behind it speaks plain HTTP (the demo
network), which the client never sees: to the client it is https:// all the way."""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class Inspector:
    port: int
    seen: list[str] = field(default_factory=list)  # the request lines read inside the tunnels

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _pipe(source: socket.socket, sink: socket.socket, seen: list[str] | None) -> None:
    try:
        while True:
            chunk = source.recv(65536)
            if not chunk:
                break
            if seen is not None and chunk[:8].split(b" ")[0] in (b"GET", b"POST", b"PUT", b"PATCH", b"DELETE"):
                seen.append(chunk.split(b"\r\n", 1)[0].decode("latin-1"))
            sink.sendall(chunk)
    except OSError:
        pass
    finally:
        for end in (source, sink):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)


def _forward(client: socket.socket, head: bytes, seen: list[str]) -> None:
    """``GET http://host:port/path`` sent on as ``GET /path`` with ``Connection: close`` (so the
    client's next request, perhaps for another host, comes on a new connection)."""
    line, _, rest = head.partition(b"\r\n")
    method, target, version = line.split(b" ", 2)
    parts = urlsplit(target.decode("latin-1"))
    seen.append(f"{method.decode()} {target.decode('latin-1')}")
    kept = [h for h in rest.split(b"\r\n") if not h.lower().startswith((b"connection:", b"proxy-connection:"))]
    upstream = socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 80), timeout=10)
    upstream.settimeout(None)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    upstream.sendall(b" ".join([method, path.encode(), version]) + b"\r\nConnection: close\r\n" + b"\r\n".join(kept))
    back = threading.Thread(target=_pipe, args=(upstream, client, None), daemon=True)
    back.start()
    _pipe(client, upstream, None)
    back.join(30)


def _handshake(context: ssl.SSLContext, client: socket.socket) -> ssl.SSLSocket:
    """The server's side of TLS; a refused handshake (no client certificate) is closed the way a
    server closes it: its alert sent, what the client already sent read, then the end (closing
    with unread data would reset the connection and lose the alert)."""
    try:
        return context.wrap_socket(client, server_side=True)
    except ssl.SSLError:
        with contextlib.suppress(OSError):
            client.settimeout(1)
            client.shutdown(socket.SHUT_WR)
            while client.recv(65536):
                pass
        client.close()
        raise


def _accept(listener: socket.socket, serve: Callable[[socket.socket], None]) -> None:
    """Each connection served on a thread of its own, until the listener closes."""
    def accept() -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=serve, args=(client,), daemon=True).start()
    threading.Thread(target=accept, daemon=True).start()


@contextlib.contextmanager
def running(context: ssl.SSLContext) -> Iterator[Inspector]:
    """``context``: the server side of the inspection (a certificate for 127.0.0.1 and its key)."""
    listener = socket.create_server(("127.0.0.1", 0))
    inspector = Inspector(listener.getsockname()[1])
    def serve(client: socket.socket) -> None:
        with contextlib.suppress(OSError, ssl.SSLError):
            head = b""
            while b"\r\n\r\n" not in head and len(head) < 65536:
                chunk = client.recv(4096)
                if not chunk:
                    return
                head += chunk
            method, target = head.split(b" ", 2)[:2]
            if method != b"CONNECT":  # a plain-HTTP request through the proxy: carried, one per connection
                _forward(client, head, inspector.seen)
                return
            host, _, port = target.decode().rpartition(":")
            upstream = socket.create_connection((host, int(port)), timeout=10)
            client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            inside = _handshake(context, client)
            upstream.settimeout(None)
            back = threading.Thread(target=_pipe, args=(upstream, inside, None), daemon=True)
            back.start()
            _pipe(inside, upstream, inspector.seen)
            back.join(5)

    _accept(listener, serve)
    try:
        yield inspector
    finally:
        listener.close()


@contextlib.contextmanager
def tls_front(context: ssl.SSLContext, upstream_port: int) -> Iterator[int]:
    """A server's TLS front (as a load balancer is): https on its own port, plain HTTP behind it
    to ``upstream_port``. Yields its port."""
    listener = socket.create_server(("127.0.0.1", 0))

    def serve(client: socket.socket) -> None:
        with contextlib.suppress(OSError, ssl.SSLError):
            inside = _handshake(context, client)
            upstream = socket.create_connection(("127.0.0.1", upstream_port), timeout=10)
            upstream.settimeout(None)
            back = threading.Thread(target=_pipe, args=(upstream, inside, None), daemon=True)
            back.start()
            _pipe(inside, upstream, None)
            back.join(5)

    _accept(listener, serve)
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()
