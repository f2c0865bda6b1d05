"""The one HTTP client meets each fault the demo network can produce, and keeps its head."""

from __future__ import annotations

import http.server
import socketserver
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pytest
import requests

from hallway.demo.server import DemoNetwork
from hallway.http import BadAnswer, HttpClient, Offline, RateLimited, Refused, Unauthorized, UntrustedServer


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def fault(demo: DemoNetwork, spec: str) -> None:
    requests.post(f"{demo.url}/_demo/faults", data={"spec": spec}, timeout=5).raise_for_status()


@pytest.fixture
def client() -> Iterator[HttpClient]:
    c = HttpClient(sleep=Sleeps())
    yield c
    c.close()


def slept(client: HttpClient) -> Sleeps:
    return cast(Sleeps, client.sleep)


def auth(demo: DemoNetwork) -> dict[str, str]:
    return {"Authorization": f"Bearer {demo.token_for('demo')}"}


@pytest.mark.parametrize("kind", ["500", "502", "503", "html", "drop", "truncated"])
def test_server_faults_are_retried_until_they_pass(demo: DemoNetwork, client: HttpClient, kind: str) -> None:
    fault(demo, f"/api/v1/timelines/home={kind}x2")
    body, _ = client.get_json(f"{demo.url}/api/v1/timelines/home", headers=auth(demo))
    assert isinstance(body, list) and body
    assert len(slept(client)) == 2


def test_lasting_faults_end_as_offline(demo: DemoNetwork, client: HttpClient) -> None:
    fault(demo, "/api/v1/timelines/home=503x10")
    with pytest.raises(Offline, match="HTTP 503"):
        client.get_json(f"{demo.url}/api/v1/timelines/home", headers=auth(demo))


def test_retry_after_is_honoured(demo: DemoNetwork, client: HttpClient) -> None:
    fault(demo, "/api/v1/timelines/home=429:3x1")
    client.get_json(f"{demo.url}/api/v1/timelines/home", headers=auth(demo))
    assert 3 <= slept(client)[0] <= 3.5
    fault(demo, "/api/v1/timelines/home=429:600x1")
    with pytest.raises(RateLimited) as long_wait:  # too long to sleep in a thread: handed back
        client.get_json(f"{demo.url}/api/v1/timelines/home", headers=auth(demo))
    assert long_wait.value.retry_after_s == 600


def test_errors_that_retrying_cannot_fix(demo: DemoNetwork, client: HttpClient) -> None:
    with pytest.raises(Unauthorized):
        client.get_json(f"{demo.url}/api/v1/timelines/home", headers={"Authorization": "Bearer wrong"})
    with pytest.raises(Refused, match="404"):
        client.get_json(f"{demo.url}/api/v1/accounts/42", headers=auth(demo))
    fault(demo, "/api/v1/timelines/home=invalid-json")
    with pytest.raises(BadAnswer):
        client.get_json(f"{demo.url}/api/v1/timelines/home", headers=auth(demo))
    assert slept(client) == []


def test_conditional_get_reuses_the_cached_body(demo: DemoNetwork, client: HttpClient) -> None:
    url, signed_in = f"{demo.url}/api/v1/directory", auth(demo)
    first, answer = client.get_json(url, params={"limit": "5"}, headers=signed_in)
    again, second = client.get_json(url, params={"limit": "5"}, headers=signed_in)
    assert again == first and answer.fresh and not second.fresh
    assert client.traffic.not_modified == 1


def test_oversized_bodies_are_refused_unread(demo: DemoNetwork, client: HttpClient) -> None:
    person = next(iter(demo.org.accounts.values()))
    url = f"{demo.url}/system/accounts/avatars/{person.id}/original/avatar.png"
    with pytest.raises(Refused, match="more than Hallway accepts"):
        client.request("GET", url, max_bytes=1000)
    assert client.request("GET", url, max_bytes=1_000_000).body.startswith(b"\x89PNG")


def test_a_self_signed_certificate_is_refused(tmp_path: Path, client: HttpClient) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key),
                    "-out", str(cert)], check=True, capture_output=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(UntrustedServer, match="does not trust the certificate"):
            client.request("GET", f"https://127.0.0.1:{server.server_address[1]}/")
    finally:
        server.shutdown()


def test_a_silent_server_is_offline_after_one_read_timeout_not_four(demo: DemoNetwork, client: HttpClient) -> None:
    """A server that stops answering is hung, not refusing: the call ends after one read timeout
    (sync's backoff asks again), so "Offline" shows within seconds and the next call gets through."""
    fault(demo, "/api/v1/timelines/home=slow:2x1")
    started = time.monotonic()
    with pytest.raises(Offline, match="did not answer in time"):
        client.request("GET", f"{demo.url}/api/v1/timelines/home", headers=auth(demo), timeout=(2, 0.5))
    assert time.monotonic() - started < 1.5 and slept(client) == []
    answer = client.request("GET", f"{demo.url}/api/v1/timelines/home", headers=auth(demo), timeout=(2, 0.5))
    assert answer.status == 200


class _Trickle(socketserver.BaseRequestHandler):
    """Answers a byte at a time, each well inside any read timeout: only a deadline ends it."""

    def handle(self) -> None:
        self.request.recv(65536)
        head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
        body = b"[" + b" " * 99_998 + b"]"
        trickle_head = self.server.trickle_head  # type: ignore[attr-defined]
        try:
            for index, byte in enumerate(head + body):
                if trickle_head or index >= len(head):
                    time.sleep(0.05)
                self.request.sendall(bytes([byte]))
        except OSError:
            return


@pytest.fixture(params=["body", "headers"])
def trickling(request: pytest.FixtureRequest) -> Iterator[str]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Trickle)
    server.daemon_threads = True
    server.trickle_head = request.param == "headers"  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/api/v1/directory"
    server.shutdown()
    server.server_close()


def test_a_trickling_server_ends_at_the_deadline(trickling: str, client: HttpClient) -> None:
    """A byte every 50 ms never trips a read timeout; the whole answer has a deadline anyway, in
    the headers as in the body, and a trickle is not tried again in the same call."""
    started = time.monotonic()
    with pytest.raises(Offline, match="took longer than 2 s"):
        client.request("GET", trickling, deadline_s=2.0)
    took = time.monotonic() - started
    assert 1.9 <= took < 3.0, took
    assert slept(client) == []
