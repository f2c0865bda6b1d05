"""A hostile Mastodon server for the tests: a loopback proxy in front of the demo network that
answers chosen endpoints badly, the way a broken or malicious server would.

Each rule matches a path prefix and does one bad thing: a 404, an endless answer, a directory
that links back to itself, a freeze, text no store can hold, avatars on another host. What no
rule matches is forwarded unchanged, so the rest of the API stays real.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

import requests

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-encoding", "content-length", "host"}

# Each hostile answer, by name; the tests pick from these.
BAD_ANSWERS = ("photo-404", "endless-answer", "directory-loop", "freeze", "lone-surrogates", "enclosing-marks",
               "deep-nesting", "foreign-avatars", "invalid-json", "hostile-text", "garbled-person", "huge-person")
BAD_POSITION = 100  # "garbled-person" and "huge-person": the directory's 101st profile breaks any page holding it

# What "hostile-text" puts in every name, bio, profile field and post: markup that must never
# run or show as tags, text no store can hold, and a flood of marks and direction overrides.
HOSTILE_HTML = ('<script>alert("x")</script><style>*{display:none}</style>'
                '<img src="file:///etc/passwd"><iframe src="http://127.0.0.1:1/"></iframe>'
                '<a href="javascript:alert(1)" onclick="alert(2)">click</a> '
                + "<b>" * 1000 + "deep" + "</b>" * 1000 + " \ud800 \u202eevil\u202c " + "Z\u0489" * 300)
SHORT_FIELDS = ("Email", "Birthday", "Celebrate", "Office days")
HOSTILE_EMAIL = '<a href="javascript:alert(1)">ana@evil.example</a><script>alert(3)</script>'
HUGE = 10 * 1024 * 1024  # the first bio and the first post: 10 MB each


class _Handler(BaseHTTPRequestHandler):
    server: HostileServer
    protocol_version = "HTTP/1.1"

    def _handle(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.count(self.path)
        while self.server.frozen.is_set():  # a server that stopped answering, and comes back
            time.sleep(0.05)
        rule = self.server.rule_for(self.path)
        if rule == "photo-404" and self.path.startswith("/avatars/"):
            return self._send(404, b'{"error":"Record not found"}')
        if rule == "endless-answer":
            return self._endless()
        if rule == "invalid-json":
            return self._send(200, b'[{"id": "1", "display_name": ')
        if rule in ("garbled-person", "huge-person") and _holds(self.path, BAD_POSITION):
            # One profile the server cannot send whole (bad JSON, or a 500 MB bio): every page with it breaks.
            return self._endless() if rule == "huge-person" else self._send(200, b'[{"id": "1", "note": "')
        if self.path.startswith("/api/v1/streaming"):
            return self._relay_stream()
        path = self.path
        if rule == "directory-loop":  # every page is the first page: a walk that never ends
            path = re.sub(r"offset=\d+", "offset=0", path)
        answer = self._forward(path, body)
        content = answer.content
        if rule in ("lone-surrogates", "enclosing-marks", "deep-nesting", "foreign-avatars", "hostile-text") \
                and answer.headers.get("Content-Type", "").startswith("application/json"):
            content = self.server.rewrite(rule, self.path, answer.json()).encode()
        self._send(answer.status_code, content, {k: v for k, v in answer.headers.items()
                                                if k.lower() not in HOP_BY_HOP})

    def _forward(self, path: str, body: bytes) -> requests.Response:
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        return self.server.http.request(self.command, self.server.upstream + path, headers=headers,
                                        data=body or None, timeout=60, allow_redirects=False)

    def _relay_stream(self) -> None:
        """Server-Sent Events, passed on as they come; a freeze holds them (no heartbeat either)."""
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        try:
            upstream = self.server.http.get(self.server.upstream + self.path, headers=headers, stream=True,
                                            timeout=(5, 120))
        except requests.RequestException:
            self.close_connection = True
            return
        self.send_response(upstream.status_code)
        for name, value in upstream.headers.items():
            if name.lower() not in HOP_BY_HOP:
                self.send_header(name, value)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            for chunk in upstream.iter_content(chunk_size=None):
                while self.server.frozen.is_set():
                    time.sleep(0.05)
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.wfile.flush()
        except (OSError, requests.RequestException):
            pass
        finally:
            upstream.close()
            self.close_connection = True

    def _send(self, status: int, content: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {"Content-Type": "application/json"}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def _endless(self) -> None:
        """A 500 MB "page", sent without a length, as fast as the client reads it."""
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        chunk = b"[" + b'{"id": "1", "content": "' + b"x" * 65_000 + b'"},'
        try:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            block = b" " * (1024 * 1024)
            for _ in range(500):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(block), block))
                self.server.endless_sent += len(block)
            self.wfile.write(b"0\r\n\r\n")
        except OSError:
            self.close_connection = True  # the client hung up: what a capped reader does

    do_GET = do_POST = do_PUT = do_DELETE = _handle

    def log_message(self, format: str, *args: object) -> None:
        pass


class HostileServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, upstream: str, rules: dict[str, str] | None = None, canary: str = "") -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.upstream = upstream.rstrip("/")
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        self.rules: dict[str, str] = dict(rules or {})
        self.canary = canary  # where "foreign-avatars" points every avatar
        self.frozen = threading.Event()
        self.endless_sent = 0
        self.requests: dict[str, int] = {}
        self.http = requests.Session()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)

    def rule_for(self, path: str) -> str | None:
        for prefix, rule in self.rules.items():
            if path.startswith(prefix):
                return rule
        return None

    def count(self, path: str) -> None:
        with self._lock:
            key = path.split("?", 1)[0]
            self.requests[key] = self.requests.get(key, 0) + 1

    def rewrite(self, rule: str, path: str, body: Any) -> str:
        if rule == "hostile-text":
            return json.dumps(_hostile(body))
        accounts = body if isinstance(body, list) else []
        for account in accounts:
            if not isinstance(account, dict):
                continue
            edit: Callable[[str], str] = {
                "lone-surrogates": lambda text: text + "\ud800",
                "enclosing-marks": lambda text: text + "\u0489" * 300,
                "deep-nesting": lambda text: text,
                "foreign-avatars": lambda text: text,
            }[rule]
            account["display_name"] = edit(str(account.get("display_name", "")))
            if rule == "deep-nesting":
                account["note"] = "<b>" * 5000 + "bio" + "</b>" * 5000
            if rule == "foreign-avatars":
                account["avatar"] = f"{self.canary}/internal-secret.png"
        return json.dumps(body)  # json.dumps escapes lone surrogates as \ud800, as a server would send

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.frozen.clear()
        self.shutdown()
        self.server_close()
        self.http.close()


def _holds(path: str, position: int) -> bool:
    """Whether a directory request (offset and limit) covers ``position``."""
    offset = re.search(r"[?&]offset=(\d+)", path)
    limit = re.search(r"[?&]limit=(\d+)", path)
    start = int(offset[1]) if offset else 0
    return start <= position < start + (int(limit[1]) if limit else 40)


def _hostile(body: Any) -> Any:
    """Every account and status in an answer, made as hostile as text can be."""
    items = body if isinstance(body, list) else [body]
    for number, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        account = item.get("account") if "content" in item else item
        if "content" in item:
            item["content"] = ("<p>" + "x" * HUGE + "</p>") if number == 0 else f"<p>{HOSTILE_HTML}</p>"
            item["spoiler_text"] = HOSTILE_HTML
        if isinstance(account, dict):
            account["display_name"] = "Ana \ud800\u202e" + "\u0489" * 300 + " Lima"
            account["note"] = ("<p>" + "y" * HUGE + "</p>") if number == 0 and "content" not in item else HOSTILE_HTML
            for field in account.get("fields") or []:
                if isinstance(field, dict):  # the address short: a page must stay under Hallway's 16 MB cap
                    field["value"] = HOSTILE_EMAIL if field.get("name") in SHORT_FIELDS else HOSTILE_HTML
    return body
