"""The subset of the Mastodon client API that Hallway uses, served from the demo organisation.

Each route mirrors docs.joinmastodon.org: the same paths, parameters, limits,
``Link`` pagination and error bodies, so a client that works here works on a
real server set up the same way.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import urlencode, urlsplit

from hallway.demo import entities, pages
from hallway.demo.avatars import banner, landscape, portrait
from hallway.demo.behaviour import MASTODON, Behaviour
from hallway.demo.faults import Fault, FaultError, FaultPlan
from hallway.demo.oauth import OOB, OAuthError, OAuthProvider, parse_scopes
from hallway.demo.organisation import Organisation, Status, notify
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


# ---------------------------------------------------------------- instance and OAuth discovery


@route("GET", "/api/v1/instance", auth="none")
def instance_v1(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    base = request.base_url
    return json_response({
        "uri": api.org.acct_domain or urlsplit(base).netloc, "title": api.org.name,
        "short_description": f"{api.org.name}'s internal network (Hallway demo)",
        "description": "A generated organisation for trying Hallway.", "email": f"it@{api.org.domain}",
        "version": api.behaviour.version,
        "urls": {"streaming_api": base.replace("http://", "ws://")},
        "stats": {"user_count": len(api.org.accounts), "status_count": len(api.org.statuses),
                  "domain_count": 1},
        "languages": ["en"], "registrations": False, "approval_required": True,
        "invites_enabled": False, "configuration": {"statuses": {"max_characters": MAX_STATUS_CHARS}},
    })


@route("GET", "/api/v2/instance", auth="none")
def instance_v2(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    base = request.base_url
    return json_response({
        "domain": api.org.acct_domain or urlsplit(base).netloc, "title": api.org.name,
        "version": api.behaviour.version,
        "source_url": "https://example.invalid/hallway", "description": "Hallway demo network",
        "api_versions": {"mastodon": 2},
        "usage": {"users": {"active_month": len(api.org.accounts)}},
        "languages": ["en"],
        "configuration": {
            "urls": {"streaming": base.replace("http://", "ws://")},
            "statuses": {"max_characters": MAX_STATUS_CHARS},
            "accounts": {"max_profile_fields": MAX_PROFILE_FIELDS},
            "timelines_access": {
                "live_feeds": {"local": "authenticated", "remote": "disabled"},
                "hashtag_feeds": {"local": "authenticated", "remote": "disabled"},
                "trending_link_feeds": {"local": "disabled", "remote": "disabled"},
            },
        },
        "registrations": {"enabled": False, "approval_required": True},
        "contact": {"email": f"it@{api.org.domain}"},
        "rules": [],
    })


@route("GET", "/.well-known/oauth-authorization-server", auth="none")
def oauth_metadata(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    base = request.base_url
    return json_response({
        "issuer": f"{base}/",
        "authorization_endpoint": f"{base}/oauth/authorize",
        "token_endpoint": f"{base}/oauth/token",
        "revocation_endpoint": f"{base}/oauth/revoke",
        "app_registration_endpoint": f"{base}/api/v1/apps",
        "scopes_supported": ["read", "write", "follow", "push", "profile"],
        "response_types_supported": ["code"],
        "response_modes_supported": ["query", "fragment", "form_post"],
        "code_challenge_methods_supported": ["S256"],
        "grant_types_supported": ["authorization_code", "client_credentials"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
    })


@route("POST", "/api/v1/apps", auth="none")
def create_app(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    name = (request.get("client_name") or "").strip()
    uris = request.getlist("redirect_uris")
    if len(uris) == 1:
        uris = [u for u in re.split(r"[\s]+", uris[0]) if u]
    if not name or not uris:
        return error(422, "Validation failed: Application name can't be blank, Redirect URI can't be blank"
                     if not name else "Validation failed: Redirect URI can't be blank")
    try:
        app = api.oauth.register(name[:200], uris, parse_scopes(request.get("scopes")), request.get("website"))
    except OAuthError as failure:
        return error(failure.status if failure.status != 400 else 422, failure.description)
    return json_response({
        "id": str(len(api.oauth.apps)), "name": app.name, "website": app.website,
        "scopes": sorted(app.scopes), "redirect_uri": "\n".join(app.redirect_uris),
        "redirect_uris": app.redirect_uris, "client_id": app.client_id,
        "client_secret": app.client_secret, "client_secret_expires_at": 0, "vapid_key": "",
    })


def _authorization_params(request: Request) -> dict[str, str | None]:
    names = ("client_id", "redirect_uri", "response_type", "scope", "state", "code_challenge",
             "code_challenge_method", "login_hint")
    return {n: request.get(n) for n in names}


@route("GET", "/oauth/authorize", auth="none")
def authorize_page(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    params = _authorization_params(request)
    try:
        app, scopes = api.oauth.check_authorization(
            params["client_id"], params["redirect_uri"], params["response_type"], params["scope"],
            params["code_challenge"], params["code_challenge_method"])
    except OAuthError as failure:
        return html_response(pages.oauth_error(failure.description), failure.status)
    hinted = api.org.by_username(params["login_hint"] or "")
    if api.auto_approve:
        account = hinted or api.org.accounts[api.org.demo_user_id]
        return _finish_authorization(api, params, app.client_id, account.id, scopes)
    people = [api.org.accounts[api.org.demo_user_id], api.org.accounts[api.org.kiosk_account_id]]
    people += [a for a in api.org.accounts.values() if not a.bot and a not in people][:4]
    if hinted and hinted not in people:
        people.insert(0, hinted)
    return html_response(pages.consent(api.org, app.name, sorted(scopes), params, people))


@route("POST", "/oauth/authorize", auth="none")
def authorize_decision(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    params = _authorization_params(request)
    try:
        app, scopes = api.oauth.check_authorization(
            params["client_id"], params["redirect_uri"], params["response_type"], params["scope"],
            params["code_challenge"], params["code_challenge_method"])
    except OAuthError as failure:
        return html_response(pages.oauth_error(failure.description), failure.status)
    if request.get("decision") != "approve":
        return _redirect(params, {"error": "access_denied",
                                  "error_description": "The resource owner denied the request."})
    account = api.org.by_username(request.get("account") or "")
    if account is None:
        return html_response(pages.oauth_error("Choose who you are signing in as."), 400)
    return _finish_authorization(api, params, app.client_id, account.id, scopes)


def _finish_authorization(api: MastodonAPI, params: dict[str, str | None], client_id: str,
                          account_id: str, scopes: set[str]) -> Response:
    redirect_uri = params["redirect_uri"] or OOB
    code = api.oauth.grant(api.oauth.apps[client_id], account_id, redirect_uri, scopes,
                           params["code_challenge"])
    if redirect_uri == OOB:
        return html_response(pages.show_code(code))
    return _redirect(params, {"code": code})


def _redirect(params: dict[str, str | None], values: dict[str, str]) -> Response:
    if params["state"] is not None:
        values["state"] = params["state"]
    target = params["redirect_uri"] or ""
    joiner = "&" if "?" in target else "?"
    return Response(302, b"", "text/plain", {"Location": f"{target}{joiner}{urlencode(values)}"})


def _form(request: Request) -> dict[str, str]:
    names = ("grant_type", "code", "redirect_uri", "client_id", "client_secret", "code_verifier",
             "scope", "token", "refresh_token")
    values = {n: v for n in names if (v := request.get(n)) is not None}
    auth = request.headers.get("Authorization") or ""
    if auth.lower().startswith("basic "):  # client_secret_basic
        try:
            client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
            values.setdefault("client_id", client_id)
            values.setdefault("client_secret", secret)
        except ValueError:
            pass
    return values


@route("POST", "/oauth/token", auth="none")
def token(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    try:
        issued = api.oauth.exchange(_form(request))
    except OAuthError as failure:
        return json_response({"error": failure.code, "error_description": failure.description},
                             failure.status)
    answer: dict[str, Any] = {"access_token": issued.value, "token_type": "Bearer",
                              "scope": " ".join(sorted(issued.scopes)), "created_at": int(issued.created_at)}
    if issued.refresh_token:  # behind the demo's switch: Doorkeeper's answer with use_refresh_token
        answer |= {"refresh_token": issued.refresh_token, "expires_in": int(issued.expires_at - issued.created_at)}
    return json_response(answer)


@route("POST", "/oauth/revoke", auth="none")
def revoke(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    if not api.behaviour.revokes:  # the token goes on working until it expires or an admin ends it
        return json_response({"error": "unauthorized_client",
                              "error_description": "You are not authorized to revoke this token"}, 403)
    api.oauth.revoke(_form(request))
    return json_response({})


@route("GET", "/.well-known/nodeinfo", auth="none")
def nodeinfo_index(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    return json_response({"links": [{"rel": "http://nodeinfo.diaspora.software/ns/schema/2.0",
                                     "href": f"{request.base_url}/nodeinfo/2.0"}]})


@route("GET", "/nodeinfo/2.0", auth="none")
def nodeinfo(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    """nodeinfo 2.0: the software's own name and version (the part after "compatible;")."""
    named = re.search(r"compatible;\s*(\S+)\s+(\S+)\)", api.behaviour.version)
    name, version = (named[1].lower(), named[2]) if named else ("mastodon", api.behaviour.version)
    return json_response({
        "version": "2.0", "software": {"name": name, "version": version}, "protocols": ["activitypub"],
        "services": {"outbound": [], "inbound": []}, "openRegistrations": False,
        "usage": {"users": {"total": len(api.org.accounts)}, "localPosts": len(api.org.statuses)}, "metadata": {}})


# ---------------------------------------------------------------- accounts and directory


@route("GET", "/api/v1/apps/verify_credentials", auth="app")
def verify_app(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    """The token's application and, as Mastodon 4.3 answers, its scopes."""
    token = request.token
    assert token is not None
    app = api.oauth.apps.get(token.client_id)
    return json_response({"name": app.name if app else "", "website": None, "scopes": sorted(token.scopes)})


@route("GET", "/api/v1/accounts/verify_credentials")
def verify_credentials(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    account = api.org.accounts[request.account_id]
    return json_response(entities.account(api.org, account, request.base_url, credentials=True))


@route("PATCH", "/api/v1/accounts/update_credentials")
def update_credentials(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    """The profile's fields, as Mastodon's form sends them (``fields_attributes[i][name|value]``):
    the list given replaces the old one; a pair with an empty name and value is dropped; more
    than the server allows is refused (422), and so is a name or value over 255 characters."""
    account = api.org.accounts[request.account_id]
    pattern = re.compile(r"fields_attributes\[(\d+)\]\[\w+\]")
    indices = sorted({int(m[1]) for key in request.form if (m := pattern.fullmatch(key))})
    if indices:
        fields = [(request.get(f"fields_attributes[{i}][name]") or "",
                   request.get(f"fields_attributes[{i}][value]") or "") for i in indices]
        fields = [(name, value) for name, value in fields if name or value]
        if len(fields) > MAX_PROFILE_FIELDS:
            return error(422, f"Validation failed: Fields is too long (maximum is {MAX_PROFILE_FIELDS} characters)")
        if any(len(name) > 255 or len(value) > 255 for name, value in fields):
            return error(422, "Validation failed: Fields is invalid")
        account.fields = fields
    if (name := request.get("display_name")) is not None:
        account.display_name = name[:30]
    return json_response(entities.account(api.org, account, request.base_url, credentials=True))


@route("GET", "/api/v1/accounts/lookup", auth="app")
def lookup(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    account = api.org.by_username((request.get("acct") or "").split("@")[0])
    if account is None:
        return error(404, "Record not found")
    return json_response(entities.account(api.org, account, request.base_url))


@route("GET", "/api/v1/accounts/relationships")
def relationships(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    return json_response([_relationship(api, request.account_id, i) for i in request.getlist("id")
                          if i in api.org.accounts])


@route("GET", r"/api/v1/accounts/(?P<id>[^/]+)", auth="app")
def get_account(api: MastodonAPI, request: Request, match: re.Match[str]) -> Response:
    account = api.org.accounts.get(match["id"])
    if account is None:
        return error(404, "Record not found")
    return json_response(entities.account(api.org, account, request.base_url))


@route("GET", r"/api/v1/accounts/(?P<id>[^/]+)/statuses", auth="app")
def account_statuses(api: MastodonAPI, request: Request, match: re.Match[str]) -> Response:
    if match["id"] not in api.org.accounts:
        return error(404, "Record not found")
    viewer = request.token.account_id if request.token else None
    mine = [s for s in _newest_first(api) if s.account_id == match["id"] and _visible(api, s, viewer)]
    chosen, headers = paginate(request, mine, lambda s: s.id, 20, 40)
    return _statuses(api, request, chosen, headers)


@route("GET", r"/api/v1/accounts/(?P<id>[^/]+)/followers", auth="app")
def followers(api: MastodonAPI, request: Request, match: re.Match[str]) -> Response:
    """Who follows an account, newest follow first as Mastodon pages them (40, at most 80); the
    cursor is the follow's own id (here the follower's, as the demo keeps no follow records)."""
    if match["id"] not in api.org.accounts:
        return error(404, "Record not found")
    who = sorted((a for a in api.org.accounts.values() if match["id"] in api.org.following(a.id)),
                 key=lambda a: order(a.id), reverse=True)
    chosen, headers = paginate(request, who, lambda a: a.id, 40, 80)
    return json_response([entities.account(api.org, a, request.base_url) for a in chosen], headers=headers)


@route("POST", r"/api/v1/accounts/(?P<id>[^/]+)/(?P<action>follow|unfollow)")
def follow(api: MastodonAPI, request: Request, match: re.Match[str]) -> Response:
    """Follow or unfollow (the demo's accounts are never locked, so a follow is at once)."""
    target = api.org.accounts.get(match["id"])
    if target is None:
        return error(404, "Record not found")
    if target.id == request.account_id:
        return error(403, "This action is not allowed")
    following = api.org.following(request.account_id)
    if match["action"] == "follow":
        following.add(target.id)
    else:
        following.discard(target.id)
    return json_response(_relationship(api, request.account_id, target.id))


def _relationship(api: MastodonAPI, viewer: str, other: str) -> dict[str, Any]:
    return {"id": other, "following": other in api.org.following(viewer),
            "followed_by": viewer in api.org.following(other), "requested": False, "blocking": False,
            "muting": False, "showing_reblogs": True, "notifying": False, "endorsed": False, "note": ""}


@route("GET", "/api/v1/directory", auth="app")
def directory(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    if not api.directory_enabled:  # DirectoriesController#require_enabled!: not_found
        return error(404, "Record not found")
    limit = _limit(request, 40, 80)
    offset_text = request.get("offset") or "0"
    if not offset_text.isdigit():
        return error(400, "offset must be a non-negative integer")
    offset = int(offset_text)
    people = [a for a in api.org.accounts.values() if a.discoverable]
    if request.get("order") == "new":
        people.sort(key=lambda a: (a.created_at, order(a.id)), reverse=True)
    else:  # "active": most recently posting first
        last_post: dict[str, str] = {}
        for s in api.org.statuses.values():
            last_post[s.account_id] = order(s.id)
        people.sort(key=lambda a: (last_post.get(a.id, ""), order(a.id)), reverse=True)
    page = people[offset : offset + limit]
    return json_response([entities.account(api.org, a, request.base_url) for a in page])


@route("GET", "/api/v2/admin/accounts")
def admin_accounts(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    """Admin::Account entities (v2): a token with admin:read:accounts, of an account whose role
    may manage users; otherwise 403, as Mastodon answers. 100 a page, at most 200."""
    token = request.token
    assert token is not None
    if not ({"admin:read", "admin:read:accounts"} & token.scopes) or request.account_id not in api.account_managers:
        return error(403, "This action is not allowed")
    if (request.get("origin") or "local") != "local" or (request.get("status") or "active") != "active":
        return json_response([])  # the demo has only local, active accounts
    people = sorted(api.org.accounts.values(), key=lambda a: order(a.id), reverse=True)
    chosen, headers = paginate(request, people, lambda a: a.id, 100, 200)
    return json_response([entities.admin_account(api.org, a, request.base_url) for a in chosen], headers=headers)


# ---------------------------------------------------------------- timelines and statuses


@route("GET", "/api/v1/timelines/home")
def home(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    viewer = request.account_id
    visible = [s for s in _newest_first(api) if api.in_home(s, viewer)]
    chosen, headers = paginate(request, visible, lambda s: s.id, 20, 40)
    return _statuses(api, request, chosen, headers)


@route("GET", "/api/v1/timelines/public", auth="app")
def public(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    # Boosts are in home feeds only, never in public timelines (Mastodon's without_reblogs).
    visible = [s for s in _newest_first(api) if s.visibility == "public" and s.reblog_of is None]
    chosen, headers = paginate(request, visible, lambda s: s.id, 20, 40)
    return _statuses(api, request, chosen, headers)


@route("GET", r"/api/v1/timelines/tag/(?P<tag>[^/]+)", auth="app")
def tag_timeline(api: MastodonAPI, request: Request, match: re.Match[str]) -> Response:
    tag = match["tag"].lower()
    tagged = [s for s in _newest_first(api) if s.visibility == "public" and s.reblog_of is None and tag in s.tags]
    chosen, headers = paginate(request, tagged, lambda s: s.id, 20, 40)
    return _statuses(api, request, chosen, headers)


@route("POST", "/api/v1/statuses")
def post_status(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    author = request.account_id
    key = request.headers.get("Idempotency-Key") if api.behaviour.keeps_keys else None
    earlier = api.remembered(author, key) if key else None
    if earlier is not None and earlier in api.org.statuses:
        return json_response(entities.status(api.org, api.org.statuses[earlier], request.base_url, author))
    text = request.get("status")
    if text is None or not text.strip():
        return error(422, "Validation failed: Text can't be blank")
    if len(text) > MAX_STATUS_CHARS:
        return error(422, f"Validation failed: Text character limit of {MAX_STATUS_CHARS} exceeded")
    visibility = request.get("visibility") or "public"
    if visibility not in ("public", "unlisted", "private", "direct"):
        return error(422, "Validation failed: Visibility is not included in the list")
    reply_to = request.get("in_reply_to_id")
    if reply_to and reply_to not in api.org.statuses:
        return error(404, "Record not found")
    status = _publish(api, author, text, visibility, reply_to or None, request.base_url)
    if key:
        api.idempotency[(author, key)] = (status.id, api.now())
    return json_response(entities.status(api.org, status, request.base_url, author))


def _publish(api: MastodonAPI, author: str, text: str, visibility: str, reply_to: str | None,
             base_url: str) -> Status:
    """A new post: stored, pushed to the streams, and a notification for each person mentioned."""
    # Mastodon's Account::MENTION_RE: an @ after a letter, "/" or "=" (a profile link) is no mention.
    mentioned = [a.id for word in re.findall(r"(?<![=/\w])@([\w.\-]+)", text)
                 if (a := api.org.by_username(word.rstrip(".-"))) is not None]
    moment = datetime.fromtimestamp(api.now(), UTC)
    status = Status(
        id=api.org.next_id(moment), account_id=author, text=text, created_at=moment,
        visibility=visibility, in_reply_to_id=reply_to, mentions=list(dict.fromkeys(mentioned)),
        tags=[t.lower() for t in re.findall(r"#(\w+)", text)],
    )
    api.org.statuses[status.id] = status
    api.publish("update", status, base_url)
    for account_id in status.mentions:
        if account_id != author:
            notification = notify(api.org, account_id, "mention", author, status.id)
            api.hub.publish("user", "notification", json.dumps(
                entities.notification(api.org, notification, base_url, account_id)), account_id)
    return status


@route("GET", "/share", auth="none")
def share_page(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    """The web compose page (Mastodon's /share?text=...). The demo has no web sessions: it posts as
    the demo person."""
    author = api.org.accounts[api.org.demo_user_id]
    return html_response(pages.compose(api.org, (request.get("text") or "")[:MAX_STATUS_CHARS], author))


@route("POST", "/share", auth="none")
def share_post(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    author = api.org.accounts[api.org.demo_user_id]
    text = (request.get("text") or "").strip()
    if not text or len(text) > MAX_STATUS_CHARS:
        return html_response(pages.compose(api.org, text[:MAX_STATUS_CHARS], author), 422)
    _publish(api, author.id, text, "public", None, request.base_url)
    return html_response(pages.compose(api.org, "", author, posted=True))


@route("GET", r"/api/v1/statuses/(?P<id>[0-9A-Za-z]+)", auth="app")
def get_status(api: MastodonAPI, request: Request, match: re.Match[str]) -> Response:
    status = _status_or_404(api, request, match["id"])
    viewer = request.token.account_id if request.token else None
    return json_response(entities.status(api.org, status, request.base_url, viewer))


@route("DELETE", r"/api/v1/statuses/(?P<id>[0-9A-Za-z]+)")
def delete_status(api: MastodonAPI, request: Request, match: re.Match[str]) -> Response:
    status = _status_or_404(api, request, match["id"])
    if status.account_id != request.account_id:
        return error(403, "This action is not allowed")
    body = entities.status(api.org, status, request.base_url, request.account_id)
    del api.org.statuses[status.id]
    api.hub.publish("user", "delete", status.id)
    api.hub.publish("public:local", "delete", status.id)
    for boost in [s for s in api.org.statuses.values() if s.reblog_of == status.id]:  # its boosts go with it
        del api.org.statuses[boost.id]
        api.hub.publish("user", "delete", boost.id)
    if status.reblog_of in api.org.statuses:  # deleting a boost un-boosts
        api.org.statuses[status.reblog_of].reblogged_by.discard(status.account_id)
    return json_response(body)


@route("POST", r"/api/v1/statuses/(?P<id>[^/]+)/(?P<action>favourite|unfavourite)")
def favourite(api: MastodonAPI, request: Request, match: re.Match[str]) -> Response:
    status = _status_or_404(api, request, match["id"])
    viewer = request.account_id
    if match["action"] == "favourite" and viewer not in status.favourited_by:
        status.favourited_by.add(viewer)
        if status.account_id != viewer:
            notification = notify(api.org, status.account_id, "favourite", viewer, status.id)
            api.hub.publish("user", "notification", json.dumps(entities.notification(
                api.org, notification, request.base_url, status.account_id)), status.account_id)
    elif match["action"] == "unfavourite":
        status.favourited_by.discard(viewer)
    return json_response(entities.status(api.org, status, request.base_url, viewer))


@route("GET", r"/api/v1/statuses/(?P<id>[^/]+)/favourited_by", auth="app")
def favourited_by(api: MastodonAPI, request: Request, match: re.Match[str]) -> Response:
    """The accounts that favourited a status (paged like Mastodon's, newest favourite first)."""
    status = _status_or_404(api, request, match["id"])
    fans = [api.org.accounts[a] for a in reversed(list(status.favourited_by)) if a in api.org.accounts]
    return json_response([entities.account(api.org, a, request.base_url) for a in fans[:_limit(request, 40, 80)]])


@route("POST", r"/api/v1/statuses/(?P<id>[^/]+)/(?P<action>reblog|unreblog)")
def reblog(api: MastodonAPI, request: Request, match: re.Match[str]) -> Response:
    """Mastodon's ReblogService: a boost is a status of the booster's that wraps the original;
    boosting twice answers with the first boost (so a retried boost is one boost); private posts
    (but one's own) and direct ones cannot be boosted (StatusPolicy#reblog?: 403)."""
    status = _status_or_404(api, request, match["id"])
    original = api.org.statuses.get(status.reblog_of or "") or status
    viewer = request.account_id
    if match["action"] == "unreblog":
        for wrapper in [s for s in api.org.statuses.values() if s.reblog_of == original.id and s.account_id == viewer]:
            del api.org.statuses[wrapper.id]
            api.hub.publish("user", "delete", wrapper.id)
        original.reblogged_by.discard(viewer)
        return json_response(entities.status(api.org, original, request.base_url, viewer))
    if original.visibility == "direct" or (original.visibility == "private" and original.account_id != viewer):
        return error(403, "This action is not allowed")
    existing = next((s for s in api.org.statuses.values() if s.reblog_of == original.id and s.account_id == viewer),
                    None)
    if existing is not None:
        return json_response(entities.status(api.org, existing, request.base_url, viewer))
    moment = datetime.fromtimestamp(api.now(), UTC)
    wrapper = Status(id=api.org.next_id(moment), account_id=viewer, text="", created_at=moment,
                     visibility="public" if original.visibility == "unlisted" else original.visibility,
                     reblog_of=original.id)
    api.org.statuses[wrapper.id] = wrapper
    original.reblogged_by.add(viewer)
    api.publish("update", wrapper, request.base_url)
    if original.account_id != viewer:
        notification = notify(api.org, original.account_id, "reblog", viewer, original.id)
        api.hub.publish("user", "notification", json.dumps(entities.notification(
            api.org, notification, request.base_url, original.account_id)), original.account_id)
    return json_response(entities.status(api.org, wrapper, request.base_url, viewer))


# ---------------------------------------------------------------- notifications, announcements, markers


@route("GET", "/api/v1/notifications")
def notifications(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    viewer = request.account_id
    types, excluded = set(request.getlist("types")), set(request.getlist("exclude_types"))
    mine = [n for n in reversed(api.org.notifications.values()) if n.account_id == viewer
            and (not types or n.type in types) and n.type not in excluded]
    chosen, headers = paginate(request, mine, lambda n: n.id, 40, 80)
    return json_response([entities.notification(api.org, n, request.base_url, viewer) for n in chosen],
                         headers=headers)


@route("GET", r"/api/v1/notifications/(?P<id>[0-9A-Za-z]+)")
def get_notification(api: MastodonAPI, request: Request, match: re.Match[str]) -> Response:
    found = api.org.notifications.get(match["id"])
    if found is None or found.account_id != request.account_id:
        return error(404, "Record not found")
    return json_response(entities.notification(api.org, found, request.base_url, request.account_id))


@route("POST", r"/api/v1/notifications/(?P<id>[0-9A-Za-z]+)/dismiss")
def dismiss_notification(api: MastodonAPI, request: Request, match: re.Match[str]) -> Response:
    found = api.org.notifications.get(match["id"])
    if found is None or found.account_id != request.account_id:
        return error(404, "Record not found")
    del api.org.notifications[found.id]
    return json_response({})


@route("GET", "/api/v1/announcements")
def announcements(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    now, viewer = datetime.now(UTC), request.account_id
    with_dismissed = _truthy(request.get("with_dismissed"))
    active = [a for a in api.org.announcements.values()
              if (a.starts_at is None or a.starts_at <= now) and (a.ends_at is None or now <= a.ends_at)
              and (with_dismissed or not api.behaviour.dismissed or viewer not in a.read_by)]
    return json_response([entities.announcement(a, viewer if api.behaviour.dismissed else "") for a in active])


@route("POST", r"/api/v1/announcements/(?P<id>[^/]+)/dismiss")
def dismiss_announcement(api: MastodonAPI, request: Request, match: re.Match[str]) -> Response:
    found = api.org.announcements.get(match["id"])
    if found is None:
        return error(404, "Record not found")
    found.read_by.add(request.account_id)
    return json_response({})


TIMELINES = ("home", "notifications")


@route("GET", "/api/v1/markers")
def get_markers(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    wanted = [t for t in request.getlist("timeline") if t in TIMELINES]
    found = {t: api.markers[(request.account_id, t)] for t in wanted if (request.account_id, t) in api.markers}
    return json_response(found)


@route("POST", "/api/v1/markers")
def set_markers(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    changed: dict[str, Any] = {}
    for timeline in TIMELINES:
        last_read = request.nested(timeline, "last_read_id")
        if last_read is None:
            continue
        if not ID_TEXT.fullmatch(last_read):
            return error(422, "Validation failed: Last read id is invalid")
        previous = api.markers.get((request.account_id, timeline), {"version": -1})
        marker = {"last_read_id": last_read, "version": previous["version"] + 1,
                  "updated_at": entities.iso(datetime.now(UTC))}
        api.markers[(request.account_id, timeline)] = marker
        changed[timeline] = marker
    return json_response(changed)


# ---------------------------------------------------------------- streaming


@route("GET", "/api/v1/streaming/health", auth="none")
def streaming_health(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    return Response(200, b"OK", "text/plain")


@route("GET", r"/api/v1/streaming/(?P<channel>user|public/local|public)")
def streaming(api: MastodonAPI, request: Request, match: re.Match[str]) -> EventStream:
    channel = "user" if match["channel"] == "user" else "public:local"
    return EventStream(api.hub.subscribe(channel, request.account_id), api.heartbeat_s)


# ---------------------------------------------------------------- media and web pages


def _png(data: bytes) -> Response:
    return Response(200, data, "image/png", {"Cache-Control": "public, max-age=315360000, immutable"})


@route("GET", r"/system/accounts/avatars/(?P<id>[0-9A-Za-z]+)/original/avatar\.png", auth="none")
def avatar(api: MastodonAPI, request: Request, match: re.Match[str]) -> Response:
    account = api.org.accounts.get(match["id"])
    if account is None:
        return error(404, "Record not found")
    return _png(portrait(account.avatar_seed or account.username, PORTRAIT_PX))


@route("GET", r"/system/accounts/headers/(?P<id>[0-9A-Za-z]+)/original/header\.png", auth="none")
def header(api: MastodonAPI, request: Request, match: re.Match[str]) -> Response:
    account = api.org.accounts.get(match["id"])
    if account is None:
        return error(404, "Record not found")
    return _png(banner(account.username))


@route("GET", r"/system/media_attachments/(?P<id>[0-9A-Za-z]+)/original/picture\.png", auth="none")
def media(api: MastodonAPI, request: Request, match: re.Match[str]) -> Response:
    status = api.org.statuses.get(match["id"])
    if status is None or status.media_seed is None:
        return error(404, "Record not found")
    return _png(landscape(status.media_seed))


@route("GET", r"/@(?P<username>[\w.\-]+)", auth="none")
def profile_page(api: MastodonAPI, request: Request, match: re.Match[str]) -> Response:
    account = api.org.by_username(match["username"])
    if account is None or not account.discoverable:
        return html_response(pages.not_found(), 404)
    return html_response(pages.profile(api.org, account, request.base_url))


@route("GET", r"/@(?P<username>[\w.\-]+)/(?P<id>[0-9A-Za-z]+)", auth="none")
def status_page(api: MastodonAPI, request: Request, match: re.Match[str]) -> Response:
    status = api.org.statuses.get(match["id"])
    if status is None or status.visibility not in ("public", "unlisted"):
        return html_response(pages.not_found(), 404)
    return html_response(pages.status(api.org, status, request.base_url))


@route("GET", "/", auth="none")
def home_page(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    return html_response(pages.home(api.org, request.base_url))


# ---------------------------------------------------------------- the demo's own controls (loopback only)


@route("GET", "/_demo/health", auth="none")
def health(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    return json_response({"ok": True, "people": len(api.org.accounts), "statuses": len(api.org.statuses),
                          "streams": api.hub.count(), "faults": api.faults.pending(), "api_calls": api.api_calls})


@route("GET", "/_demo/faults", auth="none")
def list_faults(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    return json_response(api.faults.pending())


@route("POST", "/_demo/faults", auth="none")
def add_fault(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    try:
        fault = Fault.parse(request.get("spec") or "") if request.get("spec") else Fault.from_json(request.json)
    except FaultError as bad:
        return error(422, str(bad))
    api.faults.add(fault)
    return json_response(api.faults.pending())


@route("DELETE", "/_demo/faults", auth="none")
def clear_faults(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    api.faults.clear()
    return json_response([])


@route("POST", "/_demo/tokens", auth="none")
def mint_token(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    account = api.org.by_username(request.get("username") or "")
    if account is None:
        return error(404, "No such demo account")
    try:
        scopes = parse_scopes(request.get("scope"), default="read write follow push")
    except OAuthError as failure:
        return error(422, failure.description)
    return json_response({"access_token": api.oauth.mint(account.id, scopes=scopes).value, "account_id": account.id})


@route("POST", "/_demo/rate-limit", auth="none")
def set_rate_limit(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    try:
        limit, window = int(request.get("limit") or 300), float(request.get("window") or 300)
    except ValueError:
        return error(422, "limit and window must be numbers")
    if limit < 1 or window <= 0:
        return error(422, "limit and window must be positive")
    api.limiter = RateLimiter(limit, window)
    return json_response({"limit": limit, "window": window})


@route("POST", "/_demo/settings", auth="none")
def server_settings(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    """What a Mastodon admin switches in the admin pages; the demo's are set here (loopback only)."""
    if request.get("directory") is not None:
        api.directory_enabled = _truthy(request.get("directory"))
    return json_response({"directory": api.directory_enabled})


@route("POST", "/_demo/clock", auth="none")
def move_clock(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    """Move the server's clock forward (seconds): idempotency keys then expire as they would."""
    try:
        seconds = float(request.get("advance") or 0)
    except ValueError:
        return error(422, "advance must be a number of seconds")
    api.clock_offset_s += max(0.0, seconds)
    return json_response({"offset_s": api.clock_offset_s})


@route("POST", "/_demo/statuses", auth="none")
def inject_status(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    """A post with raw HTML content, as a hostile or broken federated server might send it
    (loopback only; the tests' way to put script tags and 100 KB posts in a feed)."""
    author = api.org.by_username(request.get("account") or "")
    if author is None:
        return error(404, "Record not found")
    html = request.get("html") or ""
    status = Status(id=api.org.next_id(), account_id=author.id, text=html[:200], created_at=datetime.now(UTC),
                    raw_html=html)
    api.org.statuses[status.id] = status
    api.publish("update", status, request.base_url)
    return json_response({"id": status.id})


@route("GET", "/_demo/statuses", auth="none")
def search_statuses(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    needle = request.get("contains") or ""
    found = [{"id": s.id, "account": api.org.accounts[s.account_id].username, "text": s.text,
              "visibility": s.visibility, "in_reply_to_id": s.in_reply_to_id}
             for s in api.org.statuses.values() if needle in s.text]
    return json_response(found)
