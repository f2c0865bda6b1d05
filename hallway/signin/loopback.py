"""The browser's way back to Hallway: a one-shot HTTP listener on 127.0.0.1, on a free port
(RFC 8252). The network's sign-in page redirects there with a code (OAuth) or a login token
(Matrix SSO), and the page the browser lands on says it is done."""

from __future__ import annotations

import secrets
import sys
import threading
import webbrowser
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from hallway.signin.errors import SignInError

CALLBACK_PATH = "/callback"
PAGE = ("<!doctype html><meta charset=utf-8><title>Hallway</title><body style='font:18px system-ui;"
        "display:grid;place-items:center;height:90vh'><div><h1>{}</h1><p>You can close this tab.</p></div>")


class _Callback(BaseHTTPRequestHandler):
    server: _Listener

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path != CALLBACK_PATH:
            self.send_error(404)
            return
        self.server.answer = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        ok = self.server.expects in self.server.answer
        page = PAGE.format("You're signed in to Hallway" if ok else "Sign-in was cancelled").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)
        self.server.done.set()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the query holds the code or login token: never log it


class _Listener(HTTPServer):
    # Linux and macOS: a port in TIME_WAIT may be bound again, one in use never. On Windows the
    # same option would let two listeners share a port, so it stays off there.
    allow_reuse_address = sys.platform != "win32"

    def __init__(self, expects: str, port: int) -> None:
        super().__init__(("127.0.0.1", port), _Callback)
        self.expects = expects
        self.answer: dict[str, str] = {}
        self.done = threading.Event()


class LoopbackRedirect:
    """Listens from creation; ``redirect`` is the address to hand the sign-in page, ``state``
    the random value the answer must carry back (checked by ``wait``)."""

    def __init__(self, expects: str, port: int = 0) -> None:
        """``port`` 0: any free one. OSError when that port is taken."""
        self._listener = _Listener(expects, port)
        self.redirect = f"http://127.0.0.1:{self._listener.server_address[1]}{CALLBACK_PATH}"
        self.state = secrets.token_urlsafe(16)

    def close(self) -> None:
        self._listener.server_close()

    def wait(self, url: str, open_browser: Callable[[str], Any] = webbrowser.open,
             timeout_s: float = 300.0) -> str:
        """Open ``url`` in the browser and return the value of ``expects`` from the redirect."""
        waiter = threading.Thread(target=self._listener.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        waiter.start()
        try:
            open_browser(url)
            if not self._listener.done.wait(timeout_s):
                raise SignInError("Sign-in took too long", "Nothing came back from the browser. Try again.")
        finally:
            self._listener.shutdown()
            self._listener.server_close()
        answer = self._listener.answer
        if not secrets.compare_digest(answer.get("state", ""), self.state):
            raise SignInError("Sign-in did not match", "The answer from the browser was not for this sign-in.")
        if self._listener.expects not in answer:
            raise SignInError("Sign-in was cancelled", answer.get("error_description", "The network said no."))
        return answer[self._listener.expects]
