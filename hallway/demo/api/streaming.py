"""The streaming API (server-sent events). Part of the demo's Mastodon API (hallway/demo/api)."""

from __future__ import annotations

import re

from hallway.demo.api import (
    MastodonAPI,
    route,
)
from hallway.demo.web import (
    EventStream,
    Request,
    Response,
)


@route("GET", "/api/v1/streaming/health", auth="none")
def streaming_health(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    return Response(200, b"OK", "text/plain")


@route("GET", r"/api/v1/streaming/(?P<channel>user|public/local|public)")
def streaming(api: MastodonAPI, request: Request, match: re.Match[str]) -> EventStream:
    channel = "user" if match["channel"] == "user" else "public:local"
    return EventStream(api.hub.subscribe(channel, request.account_id), api.heartbeat_s)
