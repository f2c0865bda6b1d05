"""A loopback proxy in front of the tests' Synapse that answers as a Matrix server without
extended profile fields (Synapse before 1.12x, Conduit, Dendrite): no MSC4133 and no v1.16 in
``/versions``, profiles with a name and a photo only, and 404 for any other profile key.
Synapse 1.163 keeps profile fields whatever its settings say, so this is how the tests meet a
server that does not. Everything else is Synapse's own answer.

``older=False`` passes profile fields on; ``profiles_limited`` set makes every profile lookup
answer 429 as Synapse's rc_profile does once its bucket is empty."""

from __future__ import annotations

import http.server
import json
import re
import threading

import requests

PROFILE_KEY = re.compile(r"^/_matrix/client/(?:v3|r0|unstable/uk\.tcpip\.msc4133)/profile/[^/?]+/([^/?]+)")
PROFILE = re.compile(r"^/_matrix/client/(?:v3|r0)/profile/[^/?]+/?(?:\?|$)")


class OlderServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, upstream: str, older: bool = True) -> None:
        session = requests.Session()
        self.profiles_limited = threading.Event()
        self.profiles_asked: list[str] = []  # whose profile was asked for (the path's user id), in order
        proxy = self

        class Relay(http.server.BaseHTTPRequestHandler):
            def _relay(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if PROFILE.match(self.path) or PROFILE_KEY.match(self.path):
                    proxy.profiles_asked.append(self.path.split("/profile/")[1].split("/")[0].split("?")[0])
                if proxy.profiles_limited.is_set() and (PROFILE.match(self.path) or PROFILE_KEY.match(self.path)):
                    return self._send(429, json.dumps({"errcode": "M_LIMIT_EXCEEDED", "error": "Too Many Requests",
                                                       "retry_after_ms": 1000}).encode())
                key = PROFILE_KEY.match(self.path)
                if older and key and key[1] not in ("displayname", "avatar_url"):
                    return self._send(404, json.dumps({"errcode": "M_NOT_FOUND", "error": "No such key"}).encode())
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
                answer = session.request(self.command, upstream + self.path, data=body, headers=headers, timeout=60)
                content = answer.content
                if not older:
                    pass
                elif self.path.startswith("/_matrix/client/versions"):
                    versions = answer.json()
                    versions["versions"] = [v for v in versions["versions"] if v not in ("v1.16",)]
                    versions["unstable_features"] = {k: v for k, v in versions.get("unstable_features", {}).items()
                                                     if "msc4133" not in k}
                    content = json.dumps(versions).encode()
                elif self.path.startswith("/_matrix/client/v3/capabilities") and answer.ok:
                    capabilities = answer.json()
                    capabilities.get("capabilities", {}).pop("m.profile_fields", None)
                    content = json.dumps(capabilities).encode()
                elif PROFILE.match(self.path) and answer.ok:
                    content = json.dumps({k: v for k, v in answer.json().items()
                                          if k in ("displayname", "avatar_url")}).encode()
                self._send(answer.status_code, content, answer.headers.get("Content-Type", "application/json"))

            def _send(self, status: int, content: bytes, kind: str = "application/json") -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            do_GET = do_POST = do_PUT = do_DELETE = _relay

            def log_message(self, format: str, *args: object) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Relay)
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
