"""Media (portraits, banners) and the demo's web pages. Part of the demo's Mastodon API (hallway/demo/api)."""

from __future__ import annotations

import re

from hallway.demo import pages
from hallway.demo.api import (
    PORTRAIT_PX,
    MastodonAPI,
    route,
)
from hallway.demo.avatars import banner, landscape, portrait
from hallway.demo.web import (
    Request,
    Response,
    error,
    html_response,
)


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
