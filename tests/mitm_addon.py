"""mitmproxy's addon for tests/mitm_proxy.py (run by mitmdump, in mitmproxy's own venv): every
request read inside a tunnel is written down, and sent on as plain http (the demo network behind
speaks no TLS)."""

import os

from mitmproxy import http  # type: ignore[import-not-found]


class PlainBehind:
    def requestheaders(self, flow: http.HTTPFlow) -> None:  # before the server is connected
        with open(os.environ["HALLWAY_MITM_SEEN"], "a", encoding="utf-8") as seen:  # noqa: PTH123
            seen.write(f"{flow.request.method} {flow.request.path}\n")
        flow.request.scheme = "http"

    def responseheaders(self, flow: http.HTTPFlow) -> None:
        flow.response.stream = True  # the live stream arrives as it is written


addons = [PlainBehind()]
