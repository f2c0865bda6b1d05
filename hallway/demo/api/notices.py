"""Notifications, announcements and read markers. Part of the demo's Mastodon API (hallway/demo/api)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from hallway.demo import entities
from hallway.demo.api import (
    ID_TEXT,
    MastodonAPI,
    _truthy,
    paginate,
    route,
)
from hallway.demo.web import (
    Request,
    Response,
    error,
    json_response,
)


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
