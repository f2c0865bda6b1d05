"""A loopback HTTP proxy in front of a real server that can fail on purpose: the next N requests
answer 503 or have their connection dropped. The contract suite puts it in front of each network
(the demo network and Synapse alike) to check that every connector retries and recovers."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

from hallway.http import new_session

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-encoding", "content-length", "host"}


class _Forward(BaseHTTPRequestHandler):
    server: FaultProxy
    protocol_version = "HTTP/1.1"

    def _handle(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        fault = self.server.take_fault()
        if fault == "drop":
            self.close_connection = True
            self.connection.shutdown(2)  # no answer at all, as a dead link or a proxy timing out would
            return
        if fault == "503":
            self.send_response(503)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        answer = self.server.http.request(self.command, self.server.upstream + self.path, headers=headers,
                                          data=body or None, timeout=60, allow_redirects=False)
        self.send_response(answer.status_code)
        for name, value in answer.headers.items():
            if name.lower() not in HOP_BY_HOP:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer.content)))
        self.end_headers()
        self.wfile.write(answer.content)

    do_GET = do_POST = do_PUT = do_DELETE = _handle

    def log_message(self, format: str, *args: object) -> None:
        pass


class FaultProxy(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, upstream: str) -> None:
        super().__init__(("127.0.0.1", 0), _Forward)
        self.upstream = upstream.rstrip("/")
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        self.http = new_session()  # the OS trust store, as Hallway's: an emulator's test CA is trusted too
        self._lock = threading.Lock()
        self._faults: list[str] = []
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)

    def fail(self, count: int, kind: str = "503") -> None:
        """The next ``count`` requests fail this way (0: none; what was queued is forgotten)."""
        with self._lock:
            self._faults = [kind] * count

    def take_fault(self) -> str:
        with self._lock:
            return self._faults.pop() if self._faults else ""

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.shutdown()
        self.server_close()
        self.http.close()
