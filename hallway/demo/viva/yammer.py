"""The Yammer REST API v1 endpoints Hallway calls, under ``/api/v1``: the person, the feeds, a
community's messages, what was sent to the person, posting and liking. The message envelope
(``messages``, ``references``, ``meta.older_available``), ``older_than``/``newer_than`` paging,
numeric ids, 20 messages a page and the 401 body for a token it does not know are from
Microsoft's Yammer reference (learn.microsoft.com/rest/api/yammer); a message's fields from the
responses the CLI for Microsoft 365 published from a real network."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any

from hallway.demo.viva.routes import Call, Source, router
from hallway.demo.viva.tenant import Message, Person
from hallway.demo.web import Response, json_response

ROUTES, route = router()
PAGE_MAX = 20  # "limit": at most 20 messages (the documented default and ceiling)
USERS_PAGE = 50
MENTION = re.compile(r"\[\[user:(\d+)\]\]")


def yammer_error(status: int, message: str, code: int) -> Response:
    return json_response({"response": {"message": message, "code": code, "stat": "fail"}}, status)


def stamp(message: Message) -> str:
    return message.created_at.strftime("%Y/%m/%d %H:%M:%S +0000")


def _plain(call: Call, body: str) -> str:
    """Mentions as the names people read."""
    def name(found: re.Match[str]) -> str:
        person = call.tenant.by_yammer.get(int(found[1]))
        return person.display_name if person else found[0]
    return MENTION.sub(name, body)


def user_json(call: Call, person: Person) -> dict[str, Any]:
    """A Yammer user. In a network in Microsoft 365 native mode, most profile fields are null
    (the published sample had job_title, location and the rest empty): facts come from Graph."""
    first, _, last = person.display_name.partition(" ")
    return {"type": "user", "id": person.yammer_id, "network_id": 101, "state": "active" if person.account_enabled
            else "suspended", "full_name": person.display_name, "first_name": first, "last_name": last,
            "name": person.username, "email": person.mail or person.upn, "job_title": None, "location": None,
            "interests": None, "summary": None, "expertise": None, "department": None,
            "url": f"{call.base}/api/v1/users/{person.yammer_id}",
            "web_url": f"{call.base}/users/{person.yammer_id}",
            "mugshot_url": f"{call.base}/mugshot/{person.yammer_id}/48x48",
            "mugshot_url_template": f"{call.base}/mugshot/{person.yammer_id}/{{width}}x{{height}}",
            "guest": person.user_type == "Guest", "aad_guest": person.user_type == "Guest",
            "stats": {"updates": 0, "following": 0, "followers": 0}}


def message_json(call: Call, message: Message) -> dict[str, Any]:
    plain = _plain(call, message.body)
    return {
        "id": message.id, "sender_id": message.sender_id, "delegate_id": None,
        "replied_to_id": message.replied_to_id, "created_at": stamp(message), "network_id": 101,
        "message_type": message.message_type, "sender_type": "user",
        "url": f"{call.base}/api/v1/messages/{message.id}", "web_url": f"{call.base}/messages/{message.id}",
        "group_id": message.group_id, "thread_id": message.thread_id,
        "body": {"parsed": message.body, "plain": plain, "rich": html.escape(plain).replace("\n", "<br>")},
        "client_type": "Web", "system_message": False, "direct_message": bool(message.direct_to),
        "privacy": "private" if message.direct_to else "public", "notified_user_ids": message.notified_user_ids,
        "attachments": [], "language": "en", "content_excerpt": plain[:200],
        "liked_by": {"count": len(message.liked_by), "names": [
            {"full_name": call.tenant.by_yammer[y].display_name, "permalink": call.tenant.by_yammer[y].username,
             "user_id": y} for y in sorted(message.liked_by)[:3] if y in call.tenant.by_yammer]},
    }


def envelope(call: Call, messages: list[Message], older_available: bool, feed: str) -> dict[str, Any]:
    senders = {m.sender_id for m in messages} | {y for m in messages for y in m.notified_user_ids}
    references: list[dict[str, Any]] = [user_json(call, call.tenant.by_yammer[s]) for s in sorted(senders)
                                        if s in call.tenant.by_yammer]
    threads = {m.thread_id for m in messages}
    for thread in sorted(threads):
        replies = [m for m in call.tenant.messages.values() if m.thread_id == thread and m.id != thread]
        references.append({"type": "thread", "id": thread, "thread_starter_id": thread, "privacy": "public",
                           "stats": {"updates": len(replies) + 1,
                                     "latest_reply_id": max((m.id for m in replies), default=thread)}})
    for group_id in sorted({m.group_id for m in messages if m.group_id}):
        group = call.tenant.groups.get(group_id or 0)
        if group:
            references.append({"type": "group", "id": group.id, "full_name": group.name, "name": group.name.lower(),
                               "privacy": group.privacy})
    return {"messages": [message_json(call, m) for m in messages], "references": references,
            "meta": {"older_available": older_available, "current_user_id": call.me.yammer_id,
                     "requested_poll_interval": 60, "feed_name": feed, "feed_desc": feed},
            "threaded_extended": {}}


def _page(call: Call, chosen: Iterable[Message], feed: str) -> Response:
    request = call.request
    try:
        limit = min(int(request.get("limit") or PAGE_MAX), PAGE_MAX)
        older = int(request.get("older_than") or 0)
        newer = int(request.get("newer_than") or 0)
    except ValueError:
        return yammer_error(400, "Invalid parameter.", 17)
    threaded = (request.get("threaded") or "").lower() in ("true", "extended")
    found = sorted((m for m in chosen if (not older or m.id < older) and (not newer or m.id > newer)
                    and (not threaded or m.id == m.thread_id) and _may_read(call, m)),
                   key=lambda m: m.id, reverse=True)
    return json_response(envelope(call, found[:limit], len(found) > limit, feed))


def _may_read(call: Call, message: Message) -> bool:
    if message.direct_to:
        return call.me.yammer_id in message.direct_to or message.sender_id == call.me.yammer_id
    group = call.tenant.groups.get(message.group_id or 0)
    return group is None or group.privacy == "public" or call.me.yammer_id in group.members


@route("GET", r"/api/v1/users/current\.json", Source.DOCS, "rest/api/yammer/userscurrentjson")
def current(call: Call, _: re.Match[str]) -> Response:
    return json_response(user_json(call, call.me))


@route("GET", r"/api/v1/users/(?P<id>\d+)\.json", Source.DOCS, "rest/api/yammer/usersidjson")
def one_user(call: Call, match: re.Match[str]) -> Response:
    person = call.tenant.by_yammer.get(int(match["id"]))
    return json_response(user_json(call, person)) if person else yammer_error(404, "User not found.", 24)


@route("GET", r"/api/v1/users/by_email\.json", Source.DOCS, "rest/api/yammer/users-by-email: a list of one")
def by_email(call: Call, _: re.Match[str]) -> Response:
    wanted = (call.request.get("email") or "").lower()
    found = [p for p in call.tenant.people.values() if (p.mail or "").lower() == wanted or p.upn.lower() == wanted]
    return json_response([user_json(call, p) for p in found]) if found else yammer_error(404, "User not found.", 24)


@route("GET", r"/api/v1/messages\.json", Source.DOCS, "rest/api/yammer/messagesjson: all public messages")
def all_messages(call: Call, _: re.Match[str]) -> Response:
    return _page(call, (m for m in call.tenant.messages.values() if not m.direct_to), "All")


@route("GET", r"/api/v1/messages/my_feed\.json", Source.DOCS, "rest/api/yammer/messagesmy_feedjson")
def my_feed(call: Call, _: re.Match[str]) -> Response:
    mine = {g.id for g in call.tenant.groups.values() if call.me.yammer_id in g.members}
    return _page(call, (m for m in call.tenant.messages.values() if m.group_id in mine), "My Feed")


@route("GET", r"/api/v1/messages/in_group/(?P<id>\d+)\.json", Source.DOCS, "rest/api/yammer/messagesin_groupidjson")
def in_group(call: Call, match: re.Match[str]) -> Response:
    group = call.tenant.groups.get(int(match["id"]))
    if group is None:
        return yammer_error(404, "Group not found.", 18)
    if group.privacy != "public" and call.me.yammer_id not in group.members:
        return yammer_error(403, "You do not have access to this group.", 19)
    return _page(call, (m for m in call.tenant.messages.values() if m.group_id == group.id), group.name)


@route("GET", r"/api/v1/messages/in_thread/(?P<id>\d+)\.json", Source.DOCS, "rest/api/yammer/messagesin_threadidjson")
def in_thread(call: Call, match: re.Match[str]) -> Response:
    thread = int(match["id"])
    if thread not in call.tenant.messages:
        return yammer_error(404, "Thread not found.", 18)
    return _page(call, (m for m in call.tenant.messages.values() if m.thread_id == thread), "Thread")


@route("GET", r"/api/v1/messages/received\.json", Source.DOCS, "rest/api/yammer/messagesreceivedjson")
def received(call: Call, _: re.Match[str]) -> Response:
    me = call.me.yammer_id
    return _page(call, (m for m in call.tenant.messages.values()
                        if me in m.notified_user_ids or (me in m.direct_to and m.sender_id != me)), "Received")


@route("POST", r"/api/v1/messages\.json", Source.DOCS,
       "rest/api/yammer/messages-json-post: form encoded; body and one of group_id, replied_to_id, "
       "direct_to_user_ids; answers the message list envelope")
def post(call: Call, _: re.Match[str]) -> Response:
    request = call.request
    body = request.get("body") or ""
    if not body.strip():
        return yammer_error(400, "Please include a message.", 17)
    if len(body) > 10_000:  # a guess: Yammer documents no limit; its web app stops near here
        return yammer_error(400, "The message is too long.", 17)
    tenant = call.tenant
    try:
        group_id = int(request.get("group_id") or 0) or None
        replied = int(request.get("replied_to_id") or 0) or None
        direct = [int(x) for x in ",".join(request.getlist("direct_to_user_ids")).split(",") if x.strip()]
    except ValueError:
        return yammer_error(400, "Invalid parameter.", 17)
    if replied is not None:
        parent = tenant.messages.get(replied)
        if parent is None or not _may_read(call, parent):
            return yammer_error(404, "Message not found.", 18)
        group_id = parent.group_id
    if group_id is not None and group_id not in tenant.groups:
        return yammer_error(404, "Group not found.", 18)
    if group_id is None and replied is None and not direct:
        group_id = tenant.all_company.id  # network_id alone: All Company
    message = tenant.add(call.me, body, group_id, replied, direct_to=direct)
    if replied is not None:  # the person answered hears of it, as in Yammer's web app
        parent_sender = tenant.messages[replied].sender_id
        if parent_sender != call.me.yammer_id and parent_sender not in message.notified_user_ids:
            message.notified_user_ids.append(parent_sender)
    return json_response(envelope(call, [message], False, "Post"), 201)


@route("POST", r"/api/v1/messages/liked_by/current\.json", Source.DOCS,
       "rest/api/yammer (liked_by): message_id; the CLI for Microsoft 365's engage-message-like-set")
def like(call: Call, _: re.Match[str]) -> Response:
    message = call.tenant.messages.get(int(call.request.get("message_id") or 0))
    if message is None or not _may_read(call, message):
        return yammer_error(404, "Message not found.", 18)
    with call.tenant.lock:
        message.liked_by.add(call.me.yammer_id)
    return Response(201, b"")


@route("DELETE", r"/api/v1/messages/liked_by/current\.json", Source.DOCS, "rest/api/yammer (liked_by)")
def unlike(call: Call, _: re.Match[str]) -> Response:
    message = call.tenant.messages.get(int(call.request.get("message_id") or 0))
    if message is None:
        return yammer_error(404, "Message not found.", 18)
    with call.tenant.lock:
        message.liked_by.discard(call.me.yammer_id)
    return Response(200, b"")


@route("GET", r"/api/v1/groups\.json", Source.SAMPLE,
       "the CLI for Microsoft 365's engage-group-list (at most 50 a page)")
def groups(call: Call, _: re.Match[str]) -> Response:
    return json_response([{"type": "group", "id": g.id, "full_name": g.name, "name": g.name.lower(),
                           "description": g.description, "privacy": g.privacy,
                           "web_url": f"{call.base}/groups/{g.id}"}
                          for g in call.tenant.groups.values() if g.privacy == "public"
                          or call.me.yammer_id in g.members])


@route("GET", r"/api/v1/groups/for_user/(?P<id>\d+)\.json", Source.GUESS,
       "rest/api/yammer/groupsfor_useruser_idjson documents the path and that it lists the user's "
       "communities, but shows no answer: each as /groups.json's published sample shows one")
def groups_for_user(call: Call, match: re.Match[str]) -> Response:
    member = int(match["id"])
    if member not in call.tenant.by_yammer:
        return yammer_error(404, "User not found.", 24)
    return json_response([{"type": "group", "id": g.id, "full_name": g.name, "name": g.name.lower(),
                           "description": g.description, "privacy": g.privacy,
                           "web_url": f"{call.base}/groups/{g.id}"}
                          for g in call.tenant.groups.values() if member in g.members
                          and (g.privacy == "public" or call.me.yammer_id in g.members)])


@route("GET", r"/api/v1/networks/current\.json", Source.SAMPLE,
       "the CLI for Microsoft 365's engage-network-list: a list, with unseen counters")
def network(call: Call, _: re.Match[str]) -> Response:
    return json_response([{"id": 101, "name": call.tenant.name, "permalink": call.tenant.domain.split(".")[0],
                           "web_url": call.base, "m365_native_mode": True, "unseen_message_count": 0,
                           "unseen_notification_count": 0, "inbox_unseen_thread_count": 0}])


@route("GET", r"/api/v1/messages/(?P<id>\d+)\.json", Source.DOCS, "rest/api/yammer/messagesidjson: one message")
def one_message(call: Call, match: re.Match[str]) -> Response:
    message = call.tenant.messages.get(int(match["id"]))
    if message is None or not _may_read(call, message):
        return yammer_error(404, "Message not found.", 18)
    return json_response(message_json(call, message))


@route("GET", r"/api/v1/messages/from_user/(?P<id>\d+)\.json", Source.DOCS,
       "rest/api/yammer/messagesfrom_useridjson (the legacy reference's from_user feed)")
def from_user(call: Call, match: re.Match[str]) -> Response:
    sender = int(match["id"])
    return _page(call, (m for m in call.tenant.messages.values() if m.sender_id == sender), "From user")


@route("GET", r"/api/v1/users/liked_message/(?P<id>\d+)\.json", Source.DOCS,
       "rest/api/yammer (users/liked_message): who liked a message")
def liked_message(call: Call, match: re.Match[str]) -> Response:
    message = call.tenant.messages.get(int(match["id"]))
    if message is None or not _may_read(call, message):
        return yammer_error(404, "Message not found.", 18)
    return json_response({"users": [user_json(call, call.tenant.by_yammer[y]) for y in sorted(message.liked_by)
                                    if y in call.tenant.by_yammer], "more_available": False})
