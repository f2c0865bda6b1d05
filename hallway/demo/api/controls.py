"""The demo's own controls, for the tests and the demo's tools (loopback only).
Part of the demo's Mastodon API (hallway/demo/api)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from hallway.demo.api import (
    MastodonAPI,
    RateLimiter,
    _truthy,
    route,
)
from hallway.demo.faults import Fault, FaultError
from hallway.demo.oauth import OAuthError, parse_scopes
from hallway.demo.organisation import Status
from hallway.demo.web import (
    Request,
    Response,
    error,
    json_response,
)


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
