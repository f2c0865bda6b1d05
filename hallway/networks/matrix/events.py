"""Matrix events as Hallway reads them: pure functions of the JSON a server sends (/sync,
/messages, /context), no requests, so they are tested on recorded events
(tests/test_matrix_events.py). The connector (hallway/networks/matrix) asks; these read."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from hallway.model import Place, Post, Presence

CHECK_IN = "com.hallway.check_in"  # the content key a check-in message carries


def as_text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def as_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def content_of(event: Mapping[str, Any]) -> dict[str, Any]:
    """An event's content; an empty one where a server sent something else."""
    content = event.get("content")
    return content if isinstance(content, dict) else {}


def relation_of(content: Mapping[str, Any]) -> tuple[str, str]:
    """(rel_type, event_id) of an event's m.relates_to, or empty strings."""
    relates = content.get("m.relates_to")
    if not isinstance(relates, dict):
        return "", ""
    return as_text(relates.get("rel_type")), as_text(relates.get("event_id"))


REPLY_FALLBACK = re.compile(r"\A(?:> [^\n]*\n)+\n?")  # "> <@ana:x> what they said" lines, then a blank
MX_REPLY = re.compile(r"<mx-reply>.*?</mx-reply>", re.DOTALL)


def shown(event: Mapping[str, Any]) -> dict[str, Any] | None:
    """What an event shows, as people see it in Matrix clients: None for an edit (it changes
    another message and is no message of its own); the latest edit's content where the server
    bundled one; a reply without the quoted fallback of the message it answers."""
    content = content_of(event)
    if relation_of(content)[0] == "m.replace":
        return None
    unsigned = event.get("unsigned") if isinstance(event.get("unsigned"), dict) else {}
    relations = unsigned.get("m.relations") if isinstance(unsigned, dict) else None
    edit = relations.get("m.replace") if isinstance(relations, dict) else None
    if isinstance(edit, dict):
        newer = content_of(edit).get("m.new_content")
        if isinstance(newer, dict) and as_text(newer.get("body")).strip():
            content = {**content, **newer}
    if isinstance(content.get("m.relates_to"), dict) and isinstance(content["m.relates_to"].get("m.in_reply_to"), dict):
        content = dict(content, body=REPLY_FALLBACK.sub("", as_text(content.get("body"))),
                       formatted_body=MX_REPLY.sub("", as_text(content.get("formatted_body"))))
    return content


def check_in_of(event: Mapping[str, Any]) -> Presence | None:
    """A lobby-room message's ``com.hallway.check_in``: who, where, on which day (the one it
    names, a late one's own; else the day it was sent), and the colleague the kiosk showed."""
    marker = content_of(event).get(CHECK_IN)
    if not isinstance(marker, dict) or not as_text(marker.get("user_id")):
        return None
    at = moment(event.get("origin_server_ts"))
    named = as_text(marker.get("day"))
    day = as_date(named) if named else at.date()
    if day is None:  # a day that cannot be read is no day to count it on
        return None
    return Presence(as_text(marker.get("user_id")), Place(as_text(marker.get("office"))), at,
                    as_text(marker.get("met"))[:200], day)


def with_reactions(posts: tuple[Post, ...], reactions: list[dict[str, Any]], me: str) -> tuple[Post, ...]:
    """Reactions (``m.annotation``) counted on the posts they react to, as Matrix clients show
    them, never posts of their own. Synapse no longer bundles their counts, so what is counted is
    what the pages read brought (a reaction is read with the posts around it); a removed reaction
    comes back redacted, without its relation, and no longer counts."""
    counts: dict[str, set[str]] = {}
    for reaction in reactions:
        rel_type, target = relation_of(content_of(reaction))
        if rel_type == "m.annotation" and target:
            counts.setdefault(target, set()).add(as_text(reaction.get("sender")))
    return tuple(replace(p, likes=len(counts[p.id]), liked=me in counts[p.id],
                         liked_by=tuple(sorted(counts[p.id]))[:200]) if p.id in counts else p
                 for p in posts)


def answers(content: Mapping[str, Any]) -> str | None:
    """The message a post answers: its thread's root (m.thread), else the one it replies to."""
    rel_type, event_id = relation_of(content)
    if rel_type == "m.thread" and event_id:
        return event_id
    relates = content.get("m.relates_to")
    reply = relates.get("m.in_reply_to") if isinstance(relates, dict) else None
    return as_text(reply.get("event_id")) or None if isinstance(reply, dict) else None


def moment(ms: Any) -> datetime:
    if isinstance(ms, int) and not isinstance(ms, bool) and ms > 0:
        return datetime.fromtimestamp(ms / 1000, UTC)
    return datetime.now(UTC)
