"""Accounts, follows, the profile directory and the admin accounts API.
Part of the demo's Mastodon API (hallway/demo/api)."""

from __future__ import annotations

import re
from typing import Any

from hallway.demo import entities
from hallway.demo.api import (
    MAX_PROFILE_FIELDS,
    MastodonAPI,
    _limit,
    _newest_first,
    _statuses,
    _visible,
    order,
    paginate,
    route,
)
from hallway.demo.web import (
    Request,
    Response,
    error,
    json_response,
)


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
