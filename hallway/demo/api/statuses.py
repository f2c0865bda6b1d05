"""Timelines and statuses: posting, deleting, favourites and reblogs.
Part of the demo's Mastodon API (hallway/demo/api)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

from hallway.demo import entities, pages
from hallway.demo.api import (
    MAX_STATUS_CHARS,
    MastodonAPI,
    _limit,
    _newest_first,
    _status_or_404,
    _statuses,
    paginate,
    route,
)
from hallway.demo.organisation import Status, notify
from hallway.demo.web import (
    Request,
    Response,
    error,
    html_response,
    json_response,
)


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
