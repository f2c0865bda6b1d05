"""The subset of the Mastodon client API that Hallway uses, served from the demo organisation.

Each route mirrors docs.joinmastodon.org: the same paths, parameters, limits,
``Link`` pagination and error bodies, so a client that works here works on a
real server set up the same way.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import import_module
from typing import Any, TypeVar
from urllib.parse import urlencode

from hallway.demo import entities, pages
from hallway.demo.behaviour import MASTODON, Behaviour
from hallway.demo.faults import FaultPlan
from hallway.demo.oauth import OAuthProvider
from hallway.demo.organisation import Organisation, Status
from hallway.demo.stream import StreamHub
from hallway.demo.web import (
    BadRequest,
    EventStream,
    Request,
    Response,
    error,
    html_response,
    json_response,
)
from hallway.model import sort_key

T = TypeVar("T")
IDEMPOTENCY_S = 3600  # Mastodon keeps an Idempotency-Key for an hour (PostStatusService: redis setex 3_600)
ID_TEXT = re.compile(r"[0-9A-Za-z]{1,32}")  # Mastodon's numbers, GoToSocial's ULIDs
Handler = Callable[["MastodonAPI", Request, re.Match[str]], "Response | EventStream"]
MAX_STATUS_CHARS = 500
# Mastodon allows 4 profile fields unless the admin sets MAX_PROFILE_FIELDS; the demo company
# set 12, for its 10 facts and the office days (docs/admin.md says how many Hallway needs).
MAX_PROFILE_FIELDS = 12
PORTRAIT_PX = 512  # as big as the kiosk card shows a face (470 px landscape, 640 portrait): never blurred


@dataclass
class Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler
    auth: str  # "user", "app" (any token) or "none"


ROUTES: list[Route] = []


def route(method: str, path: str, auth: str = "user") -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        ROUTES.append(Route(method, re.compile(f"^{path}$"), handler, auth))
        return handler
    return register


class RateLimiter:
    """Mastodon's default: 300 requests per 5 minutes per token (per address without one)."""

    def __init__(self, limit: int = 300, window_s: float = 300.0) -> None:
        self.limit, self.window_s = limit, window_s
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[float, int]] = {}

    def hit(self, key: str) -> tuple[bool, dict[str, str]]:
        now = time.time()
        with self._lock:
            start, used = self._windows.get(key, (now, 0))
            if now - start >= self.window_s:
                start, used = now, 0
            used += 1
            self._windows[key] = (start, used)
        reset_at = start + self.window_s
        headers = {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(max(0, self.limit - used)),
            "X-RateLimit-Reset": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(reset_at)),
        }
        if used > self.limit:
            headers["Retry-After"] = str(max(1, round(reset_at - now)))
            return False, headers
        return True, headers


class MastodonAPI:
    """Routes requests to the organisation; one lock guards all of its state."""

    def __init__(self, org: Organisation, *, auto_approve: bool = False, heartbeat_s: float = 15.0,
                 rate_limit: int = 300, directory: bool | None = None, behaviour: Behaviour = MASTODON) -> None:
        self.org = org
        self.behaviour = behaviour
        # Mastodon's "profile directory" admin setting; off, /api/v1/directory answers 404.
        self.directory_enabled = behaviour.directory if directory is None else directory
        self.clock_offset_s = 0.0  # the tests move the clock (idempotency keys expire after an hour)
        self.lock = threading.RLock()
        self.oauth = OAuthProvider(loopback_any_port=behaviour.loopback_any_port,
                                   loopback_redirects=behaviour.loopback_redirects,
                                   token_lifetime_s=behaviour.token_lifetime_s)
        # Who may read the admin accounts API with an admin:read:accounts token: on Mastodon, an
        # account whose role has "Manage Users". IT gives the lobby account such a role.
        self.account_managers = {org.kiosk_account_id}
        self.faults = FaultPlan()
        self.hub = StreamHub()
        self.limiter = RateLimiter(rate_limit)
        self.auto_approve = auto_approve
        self.heartbeat_s = heartbeat_s
        self.idempotency: dict[tuple[str, str], tuple[str, float]] = {}  # -> (status id, stored at)
        self.markers: dict[tuple[str, str], dict[str, Any]] = {}
        self.api_calls: dict[str, int] = {}  # username -> signed-in API calls (the demo test watches the apps)

    def now(self) -> float:
        return time.time() + self.clock_offset_s

    def remembered(self, author: str, key: str) -> str | None:
        """The status an Idempotency-Key made, if it is younger than an hour (then forgotten)."""
        found = self.idempotency.get((author, key))
        if found is None:
            return None
        if self.now() - found[1] >= IDEMPOTENCY_S:
            del self.idempotency[(author, key)]
            return None
        return found[0]

    def in_home(self, status: Status, viewer: str) -> bool:
        """Mastodon's home feed: your own posts and those of accounts you follow, minus replies
        to people you follow not (FeedManager#filter_from_home), within what you may see."""
        if status.account_id != viewer and status.account_id not in self.org.following(viewer):
            return False
        if status.in_reply_to_id is not None and status.account_id != viewer:
            parent = self.org.statuses.get(status.in_reply_to_id)
            if parent is not None and parent.account_id not in (viewer, status.account_id) \
                    and parent.account_id not in self.org.following(viewer):
                return False
        if status.visibility == "private":
            return status.account_id == viewer or status.account_id in self.org.following(viewer)
        return _visible(self, status, viewer)

    def dispatch(self, request: Request) -> Response | EventStream:
        limited = request.path.startswith(("/api/", "/oauth/"))
        header = request.headers.get("Authorization") or ""
        token_value = header[7:].strip() if header.lower().startswith("bearer ") else None
        if token_value is None and request.path.startswith("/api/v1/streaming"):
            token_value = request.get("access_token")  # browsers cannot set headers on EventSource
        request.token = self.oauth.lookup(token_value) if token_value else None
        rate_headers: dict[str, str] = {}
        if limited:
            allowed, rate_headers = self.limiter.hit(token_value or request.client)
            if not allowed:
                response = error(429, "Too many requests")
                response.headers.update(rate_headers)
                return response
        if request.token is not None:
            user = self.org.accounts[request.token.account_id].username if request.token.account_id else "app"
            with self.lock:
                self.api_calls[user] = self.api_calls.get(user, 0) + 1
        result = self._route(request)
        if isinstance(result, Response) and limited and request.token is not None:
            for name, value in rate_headers.items():
                result.headers.setdefault(name, value)
        return result

    def _route(self, request: Request) -> Response | EventStream:
        allowed_methods: list[str] = []
        path = request.path.rstrip("/") or "/"  # Rails routes ignore a trailing slash
        if self.lacks(path):
            return error(404, "Record not found")
        for candidate in ROUTES:
            match = candidate.pattern.match(path)
            if not match:
                continue
            if candidate.method != request.method:
                allowed_methods.append(candidate.method)
                continue
            if candidate.auth != "none" and request.token is None:
                return self._no_token(request)
            if candidate.auth == "user" and request.token and request.token.account_id is None:
                return error(422, "This method requires an authenticated user")
            with self.lock:
                return candidate.handler(self, request, match)
        if allowed_methods:
            return error(405, "Method not allowed")
        if request.path.startswith("/api/"):
            return error(404, "Record not found")
        return html_response(pages.not_found(), 404)

    def _no_token(self, request: Request) -> Response:
        """Mastodon (Doorkeeper): 401 with RFC 6750's challenge; a server that answers a bad token
        with 400 says only that in its body."""
        if self.behaviour.bad_token_status != 401 and request.headers.get("Authorization"):
            return error(self.behaviour.bad_token_status, "Invalid Bearer token")
        header = request.headers.get("Authorization") or ""
        words = "The access token expired" if self.oauth.expired(header[7:].strip()) else "The access token is invalid"
        response = error(401, words)
        if header:
            response.headers["WWW-Authenticate"] = ('Bearer realm="Doorkeeper", error="invalid_token", '
                                                    f'error_description="{words}"')
        return response

    def lacks(self, path: str) -> bool:
        """Whether this server has no such API at all (a compatible server's missing parts)."""
        b = self.behaviour
        return ((not b.streaming and path.startswith("/api/v1/streaming"))
                or (not b.markers and path.startswith("/api/v1/markers"))
                or (not b.dismissed and path.startswith("/api/v1/announcements/") and path.endswith("/dismiss")))

    def publish(self, event: str, status: Status, base_url: str) -> None:
        """Tell open streams about a new status, each rendered for its own viewer."""
        for viewer in self.hub.accounts("user"):
            if self.in_home(status, viewer):
                body = json.dumps(entities.status(self.org, status, base_url, viewer))
                self.hub.publish("user", event, body, viewer)
        if status.visibility == "public" and status.reblog_of is None:  # public streams carry no boosts
            self.hub.publish("public:local", event, json.dumps(
                entities.status(self.org, status, base_url, None)))


# ---------------------------------------------------------------- helpers


def _limit(request: Request, default: int, maximum: int) -> int:
    text = request.get("limit")
    if text is None or text == "":
        return default
    try:
        value = int(text)
    except ValueError:
        raise BadRequest(400, "limit must be an integer") from None
    return max(1, min(abs(value), maximum))


def order(item_id: str) -> str:
    """Ids compare as the server orders them: numbers by value, ULIDs as text (the same key
    Hallway sorts by; ids are checked to be 1 to 32 characters before they get here)."""
    return sort_key(item_id)


def _paging_id(request: Request, name: str) -> str | None:
    text = request.get(name)
    if text is None or text == "":
        return None
    if not ID_TEXT.fullmatch(text):
        raise BadRequest(400, f"{name} must be an id")
    return order(text)


def paginate(request: Request, newest_first: Sequence[T], key: Callable[[T], str], default: int,
             maximum: int) -> tuple[list[T], dict[str, str]]:
    """Mastodon's id pagination: max_id, since_id, min_id, limit, and the Link header."""
    limit = _limit(request, default, maximum)
    max_id, since_id, min_id = (_paging_id(request, n) for n in ("max_id", "since_id", "min_id"))
    chosen = [item for item in newest_first
              if (max_id is None or order(key(item)) < max_id)
              and (since_id is None or order(key(item)) > since_id)
              and (min_id is None or order(key(item)) > min_id)]
    # min_id alone asks for the page just above it (still newest first); otherwise the newest.
    chosen = chosen[-limit:] if min_id is not None and since_id is None else chosen[:limit]
    headers = {}
    if chosen:
        keep = {k: v for k, v in request.query.items() if k not in ("max_id", "since_id", "min_id")}
        url = f"{request.base_url}{request.path}"

        def link(**edge: str) -> str:
            pairs = [(k, v) for k, values in keep.items() for v in values] + list(edge.items())
            return f"{url}?{urlencode(pairs)}"

        headers["Link"] = (f'<{link(max_id=key(chosen[-1]))}>; rel="next", '
                           f'<{link(min_id=key(chosen[0]))}>; rel="prev"')
    return chosen, headers


def _truthy(value: str | None) -> bool:
    return (value or "").lower() in ("1", "true", "yes", "on")


def _visible(api: MastodonAPI, status: Status, viewer: str | None) -> bool:
    if status.visibility in ("public", "unlisted"):
        return True
    return viewer is not None and (status.account_id == viewer or viewer in status.mentions)


def _status_or_404(api: MastodonAPI, request: Request, status_id: str) -> Status:
    status = api.org.statuses.get(status_id)
    if status is None or not _visible(api, status, request.token.account_id if request.token else None):
        raise BadRequest(404, "Record not found")
    return status


def _statuses(api: MastodonAPI, request: Request, chosen: list[Status],
              headers: dict[str, str]) -> Response:
    viewer = request.token.account_id if request.token else None
    return json_response([entities.status(api.org, s, request.base_url, viewer) for s in chosen],
                         headers=headers)


def _newest_first(api: MastodonAPI) -> list[Status]:
    return list(reversed(api.org.statuses.values()))


# The routes, each part adding its own as it is imported, in the order they are tried (an earlier
# pattern wins: /api/v1/accounts/verify_credentials before /api/v1/accounts/{id}).
for _part in ("discovery", "accounts", "statuses", "tags", "notices", "streaming", "media", "controls"):
    import_module(f"hallway.demo.api.{_part}")
