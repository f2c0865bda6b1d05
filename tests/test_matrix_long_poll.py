"""Matrix's live stream is a long poll the server holds for 30 s without a byte, not even its
headers: quitting must not wait for it, and following it must not cost a thread per poll."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from hallway.http import HttpClient
from hallway.networks import StreamEvent
from hallway.networks.matrix import MatrixNetwork

pytestmark = pytest.mark.fast


class HoldingHomeserver(BaseHTTPRequestHandler):
    """Says who is signed in and takes a first /sync; holds every later /sync unanswered."""

    held = threading.Event()  # a poll is being held
    release = threading.Event()  # the test is over: let held polls go

    def do_GET(self) -> None:
        if self.path.startswith("/_matrix/client/v3/account/whoami"):
            self._json({"user_id": "@ana:company.test"})
        elif self.path.startswith("/_matrix/client/v3/sync") and "since=" not in self.path:
            self._json({"next_batch": "s1", "rooms": {}})
        elif self.path.startswith("/_matrix/client/v3/sync"):
            HoldingHomeserver.held.set()
            HoldingHomeserver.release.wait(60)
        else:
            self._json({"errcode": "M_NOT_FOUND"}, 404)

    def _json(self, body: object, status: int = 200) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def homeserver() -> Iterator[str]:
    HoldingHomeserver.held.clear()
    HoldingHomeserver.release.clear()
    server = ThreadingHTTPServer(("127.0.0.1", 0), HoldingHomeserver)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    HoldingHomeserver.release.set()
    server.shutdown()
    server.server_close()


def test_closing_the_stream_ends_a_held_poll_at_once_with_no_thread_of_its_own(homeserver: str) -> None:
    network = MatrixNetwork(homeserver, "token", HttpClient(attempts=1),
                            rooms={"everyone": "!everyone:company.test", "announcements": "!news:company.test",
                                   "lobby": "!lobby:company.test"})
    stop = threading.Event()
    events: list[StreamEvent] = []
    ended = threading.Event()
    before = {t.ident for t in threading.enumerate()}

    def follow() -> None:
        events.extend(network.stream(stop))
        ended.set()

    reader = threading.Thread(target=follow, name="test-stream", daemon=True)
    reader.start()
    assert HoldingHomeserver.held.wait(10), "the second /sync is held by the server"
    time.sleep(0.3)
    started = {t.name for t in threading.enumerate() if t.ident not in before and t is not reader}
    assert not any("matrix" in name for name in started), f"a thread for the poll: {started}"
    asked_at = time.monotonic()
    stop.set()
    network.close_stream()
    assert ended.wait(2), "the held poll still holds the stream"
    assert time.monotonic() - asked_at < 1.0
    assert events == []
