"""What deciding the way to a server costs (hallway/proxy): reading the computer's settings, a
PAC file run in its own process (fetched from loopback), and a request's later look-up, which is
a dictionary's (the way is kept per host for 30 minutes).

Run: python bench/proxy_route.py [--hosts 3]
Ends with: ``proxy_route: settings_ms=... pac_first_ms=... pac_more_hosts_ms=... cached_us=...
app_grew_mb=... dukpy_in_app=0``
"""

from __future__ import annotations

import argparse
import http.server
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from hallway.proxy import Router, system  # noqa: E402 (after the path: run as python bench/NAME.py)

PAC = """function FindProxyForURL(url, host) {
  if (dnsDomainIs(host, ".corp") || shExpMatch(host, "social.*")) return "PROXY proxy.corp:8080; DIRECT";
  if (isPlainHostName(host)) return "DIRECT";
  return "PROXY proxy.corp:8080";
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--hosts", type=int, default=3, help="the servers a laptop talks to (Chatter: login, API)")
    args = parser.parse_args()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = PAC.encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            return

    served = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=served.serve_forever, daemon=True).start()
    with tempfile.TemporaryDirectory() as folder:
        os.environ.update(HOME=folder, TMPDIR=folder, XDG_CONFIG_HOME=folder)
        started = time.perf_counter()
        found = system.read()
        settings_ms = (time.perf_counter() - started) * 1000
        before_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        router = Router(pac_url=f"http://127.0.0.1:{served.server_port}/wpad.dat")
        started = time.perf_counter()
        first = router.route("https://social.example.com/api/v1/timelines/public")
        pac_first_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        for n in range(1, args.hosts):
            router.route(f"https://api{n}.example.com/")
        pac_hosts_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        rounds = 100_000
        for _ in range(rounds):
            router.route("https://social.example.com/api/v1/notifications")
        cached_us = (time.perf_counter() - started) / rounds * 1e6
        grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before_kb) / 1024
        loaded = "dukpy" in sys.modules
    served.shutdown()
    print(f"this computer's settings: {found.source}; the PAC file's way: {first.words}")
    print(f"proxy_route: settings_ms={settings_ms:.0f} pac_first_ms={pac_first_ms:.0f} "
          f"pac_more_hosts_ms={pac_hosts_ms:.0f} cached_us={cached_us:.1f} "
          f"app_grew_mb={grown_mb:.1f} dukpy_in_app={int(loaded)}")


if __name__ == "__main__":
    main()
