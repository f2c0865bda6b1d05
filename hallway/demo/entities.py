"""The demo organisation rendered as Mastodon API entities (docs.joinmastodon.org/entities)."""

from __future__ import annotations

import re
from datetime import datetime
from html import escape
from typing import Any

from hallway.demo.organisation import Account, Announcement, Notification, Organisation, Status

JSON = dict[str, Any]


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def account(org: Organisation, a: Account, base: str, credentials: bool = False) -> JSON:
    url = f"{base}/@{a.username}"
    avatar = f"{base}/system/accounts/avatars/{a.id}/original/avatar.png"
    header = f"{base}/system/accounts/headers/{a.id}/original/header.png"
    body: JSON = {
        "id": a.id,
        "username": a.username,
        "acct": f"{a.username}@{org.acct_domain}" if org.acct_domain else a.username,
        "display_name": a.display_name,
        "locked": False,
        "bot": a.bot,
        "discoverable": a.discoverable,
        "indexable": a.discoverable,
        "group": False,
        "created_at": iso(a.created_at.replace(hour=0, minute=0, second=0, microsecond=0)),
        "note": a.note,
        "url": url,
        "uri": f"{base}/users/{a.username}",
        "avatar": avatar,
        "avatar_static": avatar,
        "header": header,
        "header_static": header,
        "followers_count": 0,
        "following_count": 0,
        "statuses_count": sum(1 for s in org.statuses.values() if s.account_id == a.id)
        if credentials else 0,
        "last_status_at": None,
        "noindex": not a.discoverable,
        "emojis": [],
        "roles": [],
        "fields": [{"name": n, "value": _field_value(v), "verified_at": None} for n, v in a.fields],
    }
    if credentials:
        body["source"] = {
            "privacy": "public",
            "sensitive": False,
            "language": "en",
            "note": re.sub(r"<[^>]+>", "", a.note),
            "fields": [{"name": n, "value": v, "verified_at": None} for n, v in a.fields],
            "follow_requests_count": 0,
        }
    return body


def admin_account(org: Organisation, a: Account, base: str) -> JSON:
    """Mastodon's Admin::Account: what a moderator sees, with the public Account inside."""
    return {
        "id": a.id, "username": a.username, "domain": None, "created_at": iso(a.created_at),
        "email": f"{a.username}@{org.domain}", "ip": None, "ips": [], "locale": "en", "invite_request": None,
        "role": {"id": "-99", "name": "", "permissions": "0", "color": "", "highlighted": False},
        "confirmed": True, "approved": True, "disabled": False, "silenced": False, "suspended": False,
        "sensitized": False, "account": account(org, a, base),
    }


def _field_value(value: str) -> str:
    if value.startswith(("http://", "https://")):
        return f'<a href="{escape(value)}" rel="nofollow noopener" target="_blank">{escape(value)}</a>'
    return escape(value)


def status_html(org: Organisation, s: Status, base: str) -> str:
    """Post text as Mastodon renders it: paragraphs, mention and hashtag links."""
    if s.raw_html is not None:
        return s.raw_html
    words: list[str] = []
    for word in s.text.split(" "):
        bare = word.rstrip(".,!?")
        tail = word[len(bare):]
        if bare.startswith("@") and org.by_username(bare[1:]):
            name = bare[1:]
            words.append(f'<span class="h-card"><a href="{base}/@{name}" class="u-url mention">'
                         f"@<span>{escape(name)}</span></a></span>{escape(tail)}")
        elif bare.startswith("#") and len(bare) > 1:
            tag = bare[1:]
            words.append(f'<a href="{base}/tags/{escape(tag.lower())}" class="mention hashtag" '
                         f'rel="tag">#<span>{escape(tag)}</span></a>{escape(tail)}')
        else:
            words.append(escape(word))
    return "<p>" + " ".join(words).replace("\n", "<br />") + "</p>"


def status(org: Organisation, s: Status, base: str, viewer: str | None) -> JSON:
    author = org.accounts[s.account_id]
    reply_to = org.statuses.get(s.in_reply_to_id or "")
    media = []
    if s.media_seed:
        url = f"{base}/system/media_attachments/{s.id}/original/picture.png"
        media.append({"id": s.id, "type": "image", "url": url, "preview_url": url,
                      "remote_url": None, "description": "A drawing of green hills under the sky",
                      "blurhash": None, "meta": {"original": {"width": 480, "height": 320}}})
    return {
        "id": s.id,
        "uri": f"{base}/users/{author.username}/statuses/{s.id}",
        "url": f"{base}/@{author.username}/{s.id}",
        "created_at": iso(s.created_at),
        "edited_at": None,
        "account": account(org, author, base),
        "content": "" if s.reblog_of else status_html(org, s, base),
        "visibility": s.visibility,
        "sensitive": False,
        "spoiler_text": "",
        "language": "en",
        "in_reply_to_id": s.in_reply_to_id,
        "in_reply_to_account_id": reply_to.account_id if reply_to else None,
        "reblog": status(org, org.statuses[s.reblog_of], base, viewer) if s.reblog_of in org.statuses else None,
        "application": None,
        "media_attachments": media,
        "mentions": [
            {"id": m, "username": org.accounts[m].username, "acct": org.accounts[m].username,
             "url": f"{base}/@{org.accounts[m].username}"} for m in s.mentions
        ],
        "tags": [{"name": t, "url": f"{base}/tags/{t}"} for t in s.tags],
        "emojis": [],
        "card": None,
        "poll": None,
        "replies_count": sum(1 for o in org.statuses.values() if o.in_reply_to_id == s.id),
        "reblogs_count": len(s.reblogged_by),
        "favourites_count": len(s.favourited_by),
        "favourited": viewer in s.favourited_by if viewer else False,
        "reblogged": viewer in s.reblogged_by if viewer else False,
        "muted": False,
        "bookmarked": False,
        "pinned": s.pinned,
    }


def notification(org: Organisation, n: Notification, base: str, viewer: str) -> JSON:
    body: JSON = {
        "id": n.id,
        "type": n.type,
        "group_key": f"ungrouped-{n.id}",
        "created_at": iso(n.created_at),
        "account": account(org, org.accounts[n.from_account_id], base),
    }
    if n.status_id and n.status_id in org.statuses:
        body["status"] = status(org, org.statuses[n.status_id], base, viewer)
    return body


def announcement(a: Announcement, viewer: str) -> JSON:
    return {
        "id": a.id,
        "content": f"<p>{escape(a.text)}</p>",
        "starts_at": iso(a.starts_at),
        "ends_at": iso(a.ends_at),
        "all_day": False,
        "published_at": iso(a.published_at),
        "updated_at": iso(a.published_at),
        "read": viewer in a.read_by,
        "mentions": [],
        "statuses": [],
        "tags": [],
        "emojis": [],
        "reactions": [],
    }
