"""Hashtags a person follows (Mastodon 4.0's followed tags): the list, and following or
unfollowing one. Part of the demo's Mastodon API (hallway/demo/api)."""

from __future__ import annotations

import re

from hallway.demo.api import MastodonAPI, paginate, route
from hallway.demo.web import Request, Response, error, json_response

TAG_NAME = re.compile(r"^\w{1,100}$")


def _tag(request: Request, name: str, following: bool) -> dict[str, object]:
    return {"name": name, "url": f"{request.base_url}/tags/{name}", "history": [], "following": following}


@route("GET", "/api/v1/followed_tags")
def followed_tags(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    """Newest follow first, 100 a page by default and 200 at most (Mastodon's limits), paged by
    the follow's id in the Link header."""
    follows = list(reversed(api.org.followed_tags.get(request.account_id, [])))
    chosen, headers = paginate(request, follows, lambda f: f[0], 100, 200)
    return json_response([_tag(request, name, True) for _, name in chosen], headers=headers)


@route("POST", r"/api/v1/tags/(?P<tag>[^/]+)/(?P<verb>follow|unfollow)")
def follow_tag(api: MastodonAPI, request: Request, match: re.Match[str]) -> Response:
    name = match["tag"].lower()
    if not TAG_NAME.fullmatch(name):
        return error(404, "Record not found")
    follows = api.org.followed_tags.setdefault(request.account_id, [])
    follows[:] = [f for f in follows if f[1] != name]
    if match["verb"] == "follow":
        follows.append((str(max((int(i) for i, _ in follows), default=0) + 1), name))
    return json_response(_tag(request, name, match["verb"] == "follow"))
