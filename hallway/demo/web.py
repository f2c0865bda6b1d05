"""HTTP plumbing for the demo network: requests in, responses out, faults, ETags, SSE.

The standard library's threading HTTP server is enough for a loopback demo and
starts in milliseconds; this module turns its raw handler into small ``Request``
and ``Response`` values so that the API module reads like the API it imitates.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import queue
import re
import socket
import struct
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from hallway.demo.faults import Fault, FaultPlan
from hallway.demo.oauth import Token
from hallway.demo.stream import CLOSED, StreamHub, Subscriber

MAX_BODY = 1_000_000


class BadRequest(Exception):
    """A request the server refuses before routing; becomes a JSON error."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    form: dict[str, list[str]]
    json: Any
    headers: Message
    client: str
    base_url: str
    token: Token | None = None

    def get(self, name: str) -> str | None:
        """A scalar parameter from the query, the JSON body or the form, as Rails merges them."""
        if name in self.query:
            return self.query[name][-1]
        if isinstance(self.json, dict) and name in self.json:
            value = self.json[name]
            if isinstance(value, (dict, list)):
                raise BadRequest(422, f"Validation failed: {name} must be a string")
            return None if value is None else str(value).lower() if isinstance(value, bool) else str(value)
        if name in self.form:
            return self.form[name][-1]
        return None

    def getlist(self, name: str) -> list[str]:
        """An array parameter: ``name[]=a&name[]=b`` or a JSON list."""
        values = self.query.get(f"{name}[]", []) + self.form.get(f"{name}[]", [])
        if not values:
            values = self.query.get(name, []) + self.form.get(name, [])
        if isinstance(self.json, dict) and isinstance(self.json.get(name), list):
            values += [str(v) for v in self.json[name]]
        return values

    def nested(self, outer: str, inner: str) -> str | None:
        """``outer[inner]=v`` in a form, or ``{"outer": {"inner": v}}`` in JSON."""
        if isinstance(self.json, dict) and isinstance(self.json.get(outer), dict):
            value = self.json[outer].get(inner)
            return None if value is None else str(value)
        values = self.form.get(f"{outer}[{inner}]") or self.query.get(f"{outer}[{inner}]")
        return values[-1] if values else None

    @property
    def account_id(self) -> str:
        assert self.token is not None and self.token.account_id is not None
        return self.token.account_id


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class EventStream:
    """Returned by a route that holds the connection open as Server-Sent Events."""

    subscriber: Subscriber
    heartbeat_s: float


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(status, body, headers=headers or {})


def error(status: int, message: str, **extra: str) -> Response:
    return json_response({"error": message, **extra}, status)


def html_response(page: str, status: int = 200) -> Response:
    return Response(status, page.encode("utf-8"), "text/html; charset=utf-8")


GATEWAY_PAGE = (
    "<html><head><title>{code} {reason}</title></head><body><center><h1>{code} {reason}</h1>"
    "</center><hr><center>nginx</center></body></html>"
)


def fault_response(fault: Fault) -> Response | None:
    """The response a status-code fault stands for; None for faults that act on the socket."""
    if fault.kind == "500":
        return error(500, "Internal server error")
    if fault.kind == "403":  # an API an admin closed, Rails' words
        return error(403, "This action is not allowed")
    if fault.kind == "404":  # switched off, or a server that has no such API (GoToSocial, older Mastodon)
        return error(404, "Record not found")
    if fault.kind == "empty":  # a list with nothing in it
        return Response(200, b"[]")
    if fault.kind in ("502", "503", "html"):
        code = 503 if fault.kind == "503" else 502
        reason = "Service Temporarily Unavailable" if code == 503 else "Bad Gateway"
        return html_response(GATEWAY_PAGE.format(code=code, reason=reason), code)
    if fault.kind == "429":
        reset = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(time.time() + fault.retry_after))
        return Response(429, b'{"error":"Too many requests"}', headers={
            "Retry-After": str(fault.retry_after), "X-RateLimit-Limit": "300",
            "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset})
    if fault.kind == "invalid-json":
        return Response(200, b'{"id": "1", "oops": [unterminated')
    return None


Dispatch = Callable[[Request], "Response | EventStream"]


class Served:
    """What the server answered, counted as a company's server would see it (bench/herd.py):
    requests and body bytes by kind of path, and how many were 304 Not Modified."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests: Counter[str] = Counter()
        self.bytes: Counter[str] = Counter()
        self.not_modified = 0
        self.paths: Counter[str] = Counter()  # by path, ids folded ("/api/v1/accounts/{id}/statuses")
        self.streams = 0
        self.log: list[tuple[float, str, int]] | None = None  # (monotonic time, kind, bytes) while recording

    @staticmethod
    def kind(path: str) -> str:
        if path.startswith("/system/"):
            return "photos"
        if path.startswith("/api/v1/directory"):
            return "directory"
        if path.startswith("/_demo/"):
            return "demo"
        if path.startswith("/api/v1/streaming"):
            return "stream"
        return "api"

    def count(self, path: str, size: int, status: int) -> None:
        with self._lock:
            kind = self.kind(path)
            self.requests[kind] += 1
            self.bytes[kind] += size
            self.not_modified += status == 304
            self.paths[re.sub(r"/[0-9A-Za-z_-]*\d[0-9A-Za-z_-]*(?=/|$)", "/{id}", path)] += 1
            if self.log is not None:
                self.log.append((time.monotonic(), kind, size))

    def snapshot(self) -> tuple[dict[str, int], dict[str, int], int]:
        with self._lock:
            return dict(self.requests), dict(self.bytes), self.not_modified


class DemoHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False

    def __init__(self, address: tuple[str, int], dispatch: Dispatch, faults: FaultPlan,
                 hub: StreamHub, verbose: bool = False) -> None:
        self.dispatch, self.faults, self.hub, self.verbose = dispatch, faults, hub, verbose
        self.served = Served()
        super().__init__(address, DemoRequestHandler)

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


class DemoRequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "HallwayDemo/1"
    server: DemoHTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            sys.stderr.write(f"demo-network: {self.address_string()} {format % args}\n")

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_PATCH(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def _handle(self) -> None:
        path = urlsplit(self.path).path
        fault = self.server.faults.take(path) if not path.startswith("/_demo/") else None
        if fault and fault.kind == "slow":
            time.sleep(fault.delay)
        if fault and fault.kind == "drop":
            self._drop()
            return
        try:
            request = self._read_request()
        except BadRequest as bad:
            self._send(error(bad.status, str(bad)), request_method=self.command)
            return
        if fault and (canned := fault_response(fault)) is not None:
            self._send(canned, request_method=request.method)
            return
        try:
            result = self.server.dispatch(request)
        except BadRequest as bad:
            result = error(bad.status, str(bad))
        except Exception as crash:  # a bug in the demo must not take the connection's thread down
            sys.stderr.write(f"demo-network: internal error on {request.method} {path}: {crash!r}\n")
            result = error(500, "Internal server error")
        if isinstance(result, EventStream):
            self._stream(result)
        else:
            self._send(result, request_method=request.method, truncate=bool(fault and fault.kind == "truncated"))

    def _read_request(self) -> Request:
        parts = urlsplit(self.path)
        query = parse_qs(parts.query, keep_blank_values=True)
        length_text = self.headers.get("Content-Length", "0") or "0"
        if not length_text.isdigit():
            raise BadRequest(400, "Invalid Content-Length")
        length = int(length_text)
        if length > MAX_BODY:
            self.close_connection = True
            raise BadRequest(413, "Request body too large")
        raw = self.rfile.read(length) if length else b""
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        form: dict[str, list[str]] = {}
        body: Any = None
        if raw and kind == "application/json":
            try:
                body = json.loads(raw)
            except (ValueError, UnicodeDecodeError):
                raise BadRequest(400, "Error occurred while parsing request parameters") from None
        elif raw and kind == "multipart/form-data":
            form = _multipart(raw, self.headers.get("Content-Type", ""))
        elif raw:
            try:
                form = parse_qs(raw.decode("utf-8"), keep_blank_values=True)
            except UnicodeDecodeError:
                raise BadRequest(400, "Error occurred while parsing request parameters") from None
        host = self.headers.get("Host") or f"127.0.0.1:{self.server.server_address[1]}"
        return Request(self.command, parts.path, query, form, body, self.headers,
                       self.client_address[0], f"http://{host}")

    def _send(self, response: Response, request_method: str, truncate: bool = False) -> None:
        body = response.body
        headers = dict(response.headers)
        if request_method == "GET" and response.status == 200:
            tag = 'W/"' + hashlib.sha1(body, usedforsecurity=False).hexdigest() + '"'
            headers["ETag"] = tag
            if tag in (self.headers.get("If-None-Match") or ""):
                response = Response(304, b"", response.content_type, headers)
                body = b""
        self.send_response(response.status)
        if response.status != 304:
            self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        if truncate:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.server.served.count(urlsplit(self.path).path, len(body), response.status)
        if request_method != "HEAD":
            self.wfile.write(body[: len(body) // 2] if truncate else body)

    def _stream(self, stream: EventStream) -> None:
        with self.server.served._lock:
            self.server.served.streams += 1
        self.server.served.count(urlsplit(self.path).path, 0, 200)
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        subscriber = stream.subscriber
        try:
            self._chunk(b":)\n\n")
            while True:
                try:
                    event, payload = subscriber.events.get(timeout=stream.heartbeat_s)
                except queue.Empty:  # quiet for a while: a heartbeat keeps proxies from closing it
                    self._chunk(b":thump\n\n")
                    continue
                if (event, payload) == CLOSED:
                    self._chunk(b"")
                    break
                self._chunk(f"event: {event}\ndata: {payload}\n\n".encode())
        except OSError:
            pass  # the client went away
        finally:
            self.server.hub.unsubscribe(subscriber)
            self.close_connection = True

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _drop(self) -> None:
        """Reset the connection without a response, as a crashed proxy would."""
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.close()


def _multipart(raw: bytes, content_type: str) -> dict[str, list[str]]:
    """Text fields of a multipart/form-data body (Mastodon clients send some requests this way)."""
    message = Message()
    message["Content-Type"] = content_type
    boundary = message.get_param("boundary")
    if not isinstance(boundary, str):
        raise BadRequest(400, "Error occurred while parsing request parameters")
    form: dict[str, list[str]] = {}
    for part in raw.split(b"--" + boundary.encode()):
        head, sep, value = part.partition(b"\r\n\r\n")
        if not sep:
            continue
        disposition = Message()
        for line in head.decode("utf-8", "replace").strip().split("\r\n"):
            name, _, text = line.partition(":")
            disposition[name.strip()] = text.strip()
        field_name = disposition.get_param("name", header="Content-Disposition")
        if isinstance(field_name, str):
            form.setdefault(field_name, []).append(value.removesuffix(b"\r\n").decode("utf-8", "replace"))
    return form
