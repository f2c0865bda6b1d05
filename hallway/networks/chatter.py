"""Salesforce Chatter: people from the REST API's ``query`` on User, posts from the Connect REST
API (Chatter), at the ``instance_url`` the sign-in gave.

How each Hallway feature maps, and what was never checked against a real org, is in
docs/networks.md (the Chatter column). In short:

- People: active standard users (community and inactive users left out), their title,
  department, city and about me; the facts IT adds as custom fields (``Hobbies__c``,
  ``Ask_Me_About__c``, ``Pronouns__c``, ``Started__c``, ``Birthday__c``, ``Celebrate__c``) where the
  org has them; a person's handle is their Chatter nickname.
  After the first pass only who changed (``LastModifiedDate``), the cursor kept by sync.
- Feeds: "local" is the company feed, "home" the news feed, a group IT names is ``#Name``; a
  comment is a reply (its post's id as ``reply_to_id``). Check-ins are in a group of their own.
- Every call counts against the org's 24-hour allocation: Hallway reads ``Sforce-Limit-Info``,
  keeps its own day under ``chatter.daily_calls``, and doctor shows the headroom.
- No live stream for Chatter feeds: polled. No idempotency keys: the outbox looks before any resend.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import quote

from hallway.config import Config
from hallway.http import Answer, BadAnswer, HttpClient, RateLimited, Refused
from hallway.model import (
    Announcement,
    CheckIn,
    Colleague,
    FeedKind,
    FeedPage,
    FeedRef,
    Notice,
    NoticeKind,
    Post,
    Presence,
)
from hallway.networks import (
    Capabilities,
    DirectoryPass,
    NoteKind,
    ServerNotes,
    SetUp,
    SetUpLine,
    StreamEvent,
    check_photo_host,
    sort_key,
)
from hallway.networks import mastodon_presence as presence_format
from hallway.networks.salesforce_ids import eighteen, is_id
from hallway.office_week import read_days, write_days
from hallway.signin.credentials import SignIn
from hallway.text import to_safe_html, to_text

log = logging.getLogger(__name__)

KIND = "chatter"
SETTLED_S = 24 * 3600.0
BASIC = ("Id", "Name", "Username", "CommunityNickname", "Title", "Department", "City", "AboutMe", "Email",
         "IsActive", "UserType", "SmallPhotoUrl", "LastModifiedDate")
CUSTOM = ("Hobbies__c", "Ask_Me_About__c", "Pronouns__c", "Started__c", "Birthday__c", "Celebrate__c",
          "Office_Days__c")  # IT's own, where made
PAGE = 25
FULL_EVERY_DAYS = 7  # the directory read whole again after this many days (else only who changed)
PAGES = 8  # a feed caught up, or a post looked for, at most this far back
GROUP_PAGES = 4  # 1,000 groups a person belongs to: more than a settings list can offer
ANNOUNCEMENTS_EVERY_S = 600.0
READ_STATE_EVERY_S = 1200.0  # what was read in Salesforce's bell, asked at most this often
NOTICES_REMEMBERED = 500
DAILY_CALLS = 400  # a computer's share of the org's allocation a day until the allocation is known
SHARE = 0.5  # of the org's allocation, shared among its people: the rest is for every other integration
SHARE_LEAST, SHARE_MOST = 100, 1000
UNVERIFIED = (
    "the query envelope's every field (totalSize, done, records, nextRecordsUrl)",
    "the Mention segment in answers (type, text, name, record)",
    "liking a post twice answers as one like",
    "an External Client App's callback compared exactly, port and all (http://127.0.0.1:42813/callback)",
    "the hourly Chatter limit's 503 body",
    "profile photos (/profilephoto/) are not API calls: not counted against the org's allocation",
    "whether the bell's notifications (/connect/notifications) include Chatter mentions for an External Client "
    "App: the read state Hallway shares",
)
HANDLE = re.compile(r"(?<![\w@])@([A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9])")


def _str(value: Any) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def _id(value: Any) -> str:
    """A record id as the 18-character form (an answer or IT may give the 15-character one)."""
    text = _str(value)
    try:
        return eighteen(text)
    except ValueError:
        return text


def _moment(text: Any) -> datetime:
    try:
        moment = datetime.fromisoformat(_str(text).replace("Z", "+00:00"))
    except ValueError:
        return datetime.now(UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _over_the_hourly_limit(status: int, error: Any) -> bool:
    return status == 503 and isinstance(error, list) and bool(error) and isinstance(error[0], dict) \
        and "errorCode" in error[0]


def _until_the_hour_turns() -> float:
    now = datetime.now()
    return (now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1) - now).total_seconds() + 5


def _position_in(cursor: str | None) -> str | None:
    """A cursor that is a position (its moment, then an id: longer than an id); None for an id,
    which is looked for on the way."""
    return cursor if cursor and len(cursor) > 18 and cursor[:14].isdigit() else None


def position(created: Any, item_id: str) -> str:
    """Time, then id: Salesforce's ids are not in time order, so a post's place is its moment."""
    return sort_key(_moment(created).strftime("%Y%m%d%H%M%S") + item_id[:18])


class ChatterNetwork:
    """One signed-in connection to a Salesforce org's Chatter."""
    # Salesforce's guide says to watch a photo's photoVersionId for a new one, not its address
    # (connect_resources_user_profiles_photo): cached photos are fetched again after a while.
    photos_move = False

    kind = KIND
    stream_feeds: tuple[FeedRef, ...] = ()  # no push channel for Chatter feeds: polled
    feeds_apart = True
    keys_kept_s = 0.0  # no idempotency keys: the outbox looks before any resend
    backfill_posts = 100

    def __init__(self, server: str, signin: SignIn | str, client: HttpClient | None = None, *,
                 groups: Sequence[str] = (), lobby_group: str = "Lobby check-ins",
                 announcements_group: str = "All Company", lobby_accounts: Sequence[str] = ("lobby",),
                 is_lobby: bool = False, daily_calls: int = 0) -> None:
        """``daily_calls``: IT's ceiling for this computer's calls a day; 0: computed (``ceiling``)."""
        self.login = server.rstrip("/")  # the login host; the API is at the sign-in's instance_url
        self.client = client or HttpClient()
        # Chatter's per-user hourly limit answers 503 with Salesforce's error list: waited out until
        # the hour turns, never retried (a proxy's bare 503 is trouble, and retried as such).
        self.client.is_limit, self.client.limit_wait = _over_the_hourly_limit, _until_the_hour_turns
        self.signin = signin if isinstance(signin, SignIn) else SignIn(signin)
        self.groups, self.lobby_group, self.announcements_group = tuple(groups), lobby_group, announcements_group
        self.lobby_accounts, self.is_lobby = tuple(a.lower() for a in lobby_accounts), is_lobby
        self.daily_calls = daily_calls
        self.people_count = 0  # the last directory pass's, for the computed share
        self.notes = ServerNotes()
        self.version = ""
        self.usage = ""  # the last Sforce-Limit-Info: "api-usage=n/m"
        self.calls_today: tuple[date, int] = (date.today(), 0)
        self._me: Colleague | None = None
        self._group_ids: dict[str, str] = {}
        self._handles: dict[str, str] = {}  # handle -> user id, for mentions
        self._custom = True  # the org has Hallway's custom fields (until a query says otherwise)
        self._day_items: dict[tuple[str, date], str] = {}
        self._day_lock = threading.Lock()
        self._announced: tuple[float, list[Announcement]] = (0.0, [])
        self._read_asked = 0.0
        self._notice_moments: dict[str, datetime] = {}  # the notices this process has seen: id -> when

    # ------------------------------------------------------------ plumbing

    @property
    def base(self) -> str:
        """The org's own address, where every call goes (the sign-in's ``instance_url``)."""
        return (self.signin.credentials.api_base or self.login).rstrip("/")

    @property
    def server(self) -> str:
        return self.base

    def _count(self, answer: Answer | None = None) -> None:
        """One more call today; past the ceiling IT set, the rest of the day waits."""
        day, count = self.calls_today
        if day != date.today():
            day, count = date.today(), 0
        if count >= self.ceiling():
            midnight = datetime.combine(day + timedelta(days=1), datetime.min.time())
            raise RateLimited(f"Hallway used this computer's share of the org's API calls today ({self.ceiling()});"
                              " it goes on tomorrow.", (midnight - datetime.now()).total_seconds())
        self.calls_today = (day, count + 1)
        if answer is not None and answer.headers.get("Sforce-Limit-Info"):
            self.usage = answer.headers["Sforce-Limit-Info"]

    def ceiling(self) -> int:
        """This computer's calls a day: IT's number, else half the org's allocation (from
        ``Sforce-Limit-Info``) shared among its people, between SHARE_LEAST and SHARE_MOST."""
        if self.daily_calls > 0:
            return self.daily_calls
        most = self.usage.partition("/")[2]
        if not most.isdigit() or not self.people_count:
            return DAILY_CALLS
        return max(SHARE_LEAST, min(SHARE_MOST, int(SHARE * int(most) / self.people_count)))

    def _api(self) -> str:
        if not self.version:
            self._count()
            versions, _ = self.client.get_json(f"{self.base}/services/data/", auth=self.signin,
                                                    fresh_for_s=SETTLED_S)
            known = [_str(v.get("version")) for v in versions or [] if isinstance(v, dict)]
            if not known:
                raise BadAnswer("Salesforce did not list its API versions.")
            self.version = max(known, key=lambda v: float(v or 0))
        return f"{self.base}/services/data/v{self.version}"

    def _get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        url = path if path.startswith("http") else (f"{self.base}{path}" if path.startswith("/services/")
                                                    else f"{self._api()}{path}")
        self._count()
        with self._allocation():
            body, answer = self.client.get_json(url, params=params, auth=self.signin)
        self._count_answer(answer)
        return body

    def _post(self, path: str, body: Mapping[str, Any]) -> Any:
        return self._send("POST", path, body)

    def _send(self, method: str, path: str, body: Mapping[str, Any]) -> Any:
        """A write; a POST is never sent twice (no idempotency keys: the outbox looks first)."""
        self._count()
        with self._allocation():
            answer = self.client.request(method, f"{self._api()}{path}", json=dict(body), auth=self.signin,
                                         resend=method != "POST")
        self._count_answer(answer)
        return answer.json() if answer.body else None

    @contextlib.contextmanager
    def _allocation(self) -> Iterator[None]:
        """The org's 24-hour allocation used up (403 REQUEST_LIMIT_EXCEEDED) is a wait, not a
        refusal: sync tries again in an hour, and says why meanwhile."""
        try:
            yield
        except Refused as refused:
            if "REQUEST_LIMIT_EXCEEDED" in refused.message or "TotalRequests" in refused.message:
                raise RateLimited("The org has used its API calls for the last 24 hours; Hallway tries again "
                                  "in an hour.", 3600.0) from None
            raise

    def _count_answer(self, answer: Answer) -> None:
        if answer.headers.get("Sforce-Limit-Info"):
            self.usage = answer.headers["Sforce-Limit-Info"]

    def close_stream(self) -> None:
        return None

    # ------------------------------------------------------------ people

    def colleague(self, record: Mapping[str, Any]) -> Colleague:
        from hallway.celebrations import birthday, wants_celebrating

        username = _str(record.get("Username"))
        started = _str(record.get("Started__c"))
        try:
            started_on = date.fromisoformat(started) if started else None
        except ValueError:
            started_on = None
        listed = record.get("IsActive") is not False and _str(record.get("UserType") or "Standard") == "Standard"
        return Colleague(
            id=_id(record.get("Id")), name=_str(record.get("Name")) or username,
            handle=_str(record.get("CommunityNickname")) or username.split("@")[0],
            pronouns=_str(record.get("Pronouns__c")),
            title=_str(record.get("Title")), team=_str(record.get("Department")), office=_str(record.get("City")),
            hobbies=tuple(h.strip() for h in _str(record.get("Hobbies__c")).split(",") if h.strip())[:10],
            ask_me_about=_str(record.get("Ask_Me_About__c")), started_on=started_on,
            bio=to_text(_str(record.get("AboutMe")), 2000), photo_url=_str(record.get("SmallPhotoUrl")),
            discoverable=listed, email=_str(record.get("Email")), profile_url=f"{self.base}/{_id(record.get('Id'))}",
            birthday=birthday(_str(record.get("Birthday__c"))), celebrate=wants_celebrating(_str(record.get(
                "Celebrate__c"))), office_days=read_days(_str(record.get("Office_Days__c"))),
            version=_str(record.get("LastModifiedDate")),
        )

    def me(self) -> Colleague:
        body = self._get("/chatter/users/me")
        if not isinstance(body, dict) or not body.get("id"):
            raise BadAnswer("Salesforce did not say who is signed in.")
        self._me = Colleague(id=_id(body["id"]), name=_str(body.get("displayName") or body.get("name")),
                             handle=_str(body.get("communityNickname")) or _str(body.get("username")).split("@")[0],
                             title=_str(body.get("title")),
                             email=_str(body.get("email")))
        return self._me

    def _query(self, where: str) -> Iterator[dict[str, Any]]:
        fields = BASIC + (CUSTOM if self._custom else ())
        # SOQL from Hallway's own field names and conditions; the one value (a moment the server
        # sent, or a handle) is checked where the condition is made.
        try:
            body = self._get("/query", {"q": f"SELECT {', '.join(fields)} FROM User WHERE {where} ORDER BY Id"})  # noqa: S608
        except Refused as refused:
            if not self._custom or ("INVALID_FIELD" not in refused.message and "No such column" not in refused.message):
                raise
            self._custom = False  # the org has none of Hallway's custom fields: the standard ones
            body = self._get("/query", {"q": f"SELECT {', '.join(BASIC)} FROM User WHERE {where} ORDER BY Id"})  # noqa: S608
        while isinstance(body, dict):
            yield from (r for r in body.get("records") or [] if isinstance(r, dict))
            more = _str(body.get("nextRecordsUrl"))
            if body.get("done") or not more:
                return
            body = self._get(more)

    def _frozen(self) -> set[str]:
        """Users an admin froze (their login, ``UserLogin.IsFrozen``): still active in Salesforce,
        but gone from the company for now, so not colleagues Hallway shows."""
        try:
            body = self._get("/query", {"q": "SELECT UserId FROM UserLogin WHERE IsFrozen = true"})
        except Refused as refused:  # a sign-in that may not read UserLogin: nobody is taken for frozen
            log.info("could not ask who is frozen: %s", refused.message)
            return set()
        records = body.get("records") if isinstance(body, dict) else None
        return {_str(r.get("UserId")) for r in records or [] if isinstance(r, dict)}

    def directory(self, known: Mapping[str, Colleague] | None = None, since: str = "") -> DirectoryPass:
        """Active standard users who are not frozen; after a complete pass only those modified
        since (the cursor), and who is frozen now."""
        return DirectoryPass.reading(lambda found: self._people(known or {}, found), since)

    def _people(self, known: Mapping[str, Colleague], found: DirectoryPass) -> Iterator[list[Colleague]]:
        frozen = self._frozen()
        # The cursor: the day of the last pass that read everyone, and the newest change seen. A
        # week on, everyone again (a user an admin thawed changed their login, not their record).
        full_day, _, since = found.since.rpartition("|")
        try:
            stale = (date.today() - date.fromisoformat(full_day)).days >= FULL_EVERY_DAYS
        except ValueError:  # none yet, or not one this version wrote
            stale = True
        if stale:
            since, full_day = "", date.today().isoformat()
        newest = since
        if since and not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)", since):
            since = ""  # not a moment Salesforce sent: everyone again
        if since:
            listed = {c.id: c for c in known.values() if c.discoverable and c.id not in frozen}
            for record in self._query(f"LastModifiedDate > {since}"):
                person = self.colleague(record)
                newest = max(newest, _str(record.get("LastModifiedDate")))
                if self._listed(person) and person.id not in frozen:
                    listed[person.id] = person
                else:
                    listed.pop(person.id, None)
            everyone = list(listed.values())
            self.people_count = len(everyone)
            for start in range(0, len(everyone), 500):
                yield everyone[start:start + 500]
        else:
            page: list[Colleague] = []
            count = 0
            for record in self._query("IsActive = true AND UserType = 'Standard'"):
                person = self.colleague(record)
                newest = max(newest, _str(record.get("LastModifiedDate")))
                if self._listed(person) and person.id not in frozen:
                    page.append(person)
                    count += 1
                if len(page) >= 500:
                    yield page
                    page = []
            self.people_count = count
            yield page
        found.cursor = f"{full_day}|{newest}"
        for colleague in known.values():
            self._handles.setdefault(colleague.handle, colleague.id)
        found.facts_from = ("Salesforce users: title, department, city, about me" +
                            (", and Hallway's custom fields" if self._custom else
                             " (the org has none of Hallway's custom fields for hobbies and the like)"))
        found.people_from = "Salesforce: active standard users"

    def _listed(self, colleague: Colleague) -> bool:
        if colleague.id and colleague.discoverable:
            self._handles[colleague.handle] = colleague.id
        return bool(colleague.id) and colleague.discoverable and colleague.handle.lower() not in self.lobby_accounts

    def photo(self, url: str) -> bytes:
        check_photo_host(url, self.base)  # the session goes to the org's own host only
        answer = self.client.request("GET", url, auth=self.signin, max_bytes=5 * 1024 * 1024, conditional=False)
        if not answer.body.startswith((b"\x89PNG", b"\xff\xd8", b"GIF8", b"RIFF")):
            raise Refused("That profile photo is not an image Hallway can show.")
        return answer.body

    # ------------------------------------------------------------ posts

    def _group(self, name: str) -> str:
        """A group IT named by its name, or by its id (15 or 18 characters, as Salesforce shows it)."""
        if is_id(name, "0F9"):
            return eighteen(name)
        if name.casefold() not in self._group_ids:
            body = self._get("/chatter/groups", {"q": name})
            for group in (body.get("groups") if isinstance(body, dict) else None) or []:
                if isinstance(group, dict) and _str(group.get("name")).casefold() == name.casefold():
                    self._group_ids[name.casefold()] = _id(group.get("id"))
        if name.casefold() not in self._group_ids:
            raise Refused(f"Chatter has no group called {name!r} that Hallway can read: IT creates it, or names "
                          "another (docs/admin.md).", 404)
        return self._group_ids[name.casefold()]

    def feed_of(self, setting: str) -> FeedRef:
        """"#Name" is a group."""
        return FeedRef.of(setting, FeedKind.GROUP)

    def feeds(self) -> list[FeedRef]:
        """The groups the person is a member of (User Groups, 250 a page, a few pages)."""
        names: set[str] = set()
        url = "/chatter/users/me/groups"
        params: dict[str, str] = {"pageSize": "250"}
        for _ in range(GROUP_PAGES):
            body = self._get(url, params)
            for group in (body.get("groups") if isinstance(body, dict) else None) or []:
                if isinstance(group, dict) and _str(group.get("name")):
                    names.add(_str(group["name"]))
                    self._group_ids.setdefault(_str(group["name"]).casefold(), _id(group.get("id")))
            url = _str(body.get("nextPageUrl")) if isinstance(body, dict) else ""
            if not url.startswith("/services/"):
                break
            params = {}
        return [FeedRef(FeedKind.GROUP, name) for name in sorted(names, key=str.casefold)]

    def _feed_path(self, feed: FeedRef) -> str:
        if feed.kind is FeedKind.COMPANY:
            return "/chatter/feeds/company/feed-elements"
        if feed.kind is FeedKind.HOME:
            return "/chatter/feeds/news/me/feed-elements"
        if feed.kind is FeedKind.GROUP and feed.id:
            return f"/chatter/feeds/record/{self._group(feed.id)}/feed-elements"
        raise ValueError(f"no such feed on Chatter: {feed.key!r} (home, local or #Group)")

    def _posts(self, element: Mapping[str, Any]) -> list[Post]:
        """A feed element and its comments (each a reply to it), as posts."""
        me = self._me.id if self._me else ""
        item_id = _str(element.get("id"))
        capabilities = element.get("capabilities") if isinstance(element.get("capabilities"), dict) else {}
        assert isinstance(capabilities, dict)
        likes = capabilities.get("chatterLikes") if isinstance(capabilities.get("chatterLikes"), dict) else {}
        assert isinstance(likes, dict)
        like_page = likes.get("page") if isinstance(likes.get("page"), dict) else {}
        assert isinstance(like_page, dict)
        made = [self._as_post(element, item_id, _str(element.get("createdDate")), element.get("actor"), None,
                           bool(likes.get("isLikedByCurrentUser")), int(like_page.get("total") or 0), me)]
        comments = capabilities.get("comments") if isinstance(capabilities.get("comments"), dict) else {}
        assert isinstance(comments, dict)
        page = comments.get("page") if isinstance(comments.get("page"), dict) else {}
        assert isinstance(page, dict)
        for comment in page.get("items") or []:
            if isinstance(comment, dict) and comment.get("id"):
                made.append(self._as_post(comment, _str(comment["id"]), _str(comment.get("createdDate")),
                                       comment.get("user"), item_id, False, 0, me))
        return made

    def _as_post(self, thing: Mapping[str, Any], post_id: str, created: str, actor: Any, reply_to: str | None,
              liked: bool, likes: int, me: str) -> Post:
        actor = actor if isinstance(actor, dict) else {}
        body = thing.get("body") if isinstance(thing.get("body"), dict) else {}
        assert isinstance(body, dict)
        segments = [s for s in body.get("messageSegments") or [] if isinstance(s, dict)]
        mentioned = tuple(_id((s.get("record") or {}).get("id")) for s in segments if s.get("type") == "Mention"
                          and isinstance(s.get("record"), dict))
        text = _str(body.get("text")) or "".join(_str(s.get("text")) for s in segments)
        photo = actor.get("photo") if isinstance(actor.get("photo"), dict) else {}
        assert isinstance(photo, dict)
        escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return Post(id=post_id, position=position(created, post_id), author_id=_id(actor.get("id")),
                    author_name=_str(actor.get("displayName") or actor.get("name")) or "Someone",
                    author_handle=_str(actor.get("communityNickname")) or self._handle_of(_str(actor.get("id"))),
                    author_photo_url=_str(
                        photo.get("smallPhotoUrl")), text=to_text(escaped, 20_000), html=to_safe_html(escaped, 20_000),
                    created_at=_moment(created), url=f"{self.base}/{post_id}", reply_to_id=reply_to,
                    liked=liked, likes=likes, mentions_me=bool(me) and me in mentioned,
                    mentioned=mentioned[:50])

    def _handle_of(self, user_id: str) -> str:
        return next((h for h, i in self._handles.items() if i == user_id), "")

    def _elements(self, path: str, params: Mapping[str, Any]) -> tuple[list[dict[str, Any]], str | None]:
        body = self._get(path, params)
        if not isinstance(body, dict):
            raise BadAnswer("Salesforce sent something other than a page of feed elements.")
        return [e for e in body.get("elements") or [] if isinstance(e, dict)], _str(body.get("nextPageToken")) or None

    def feed(self, feed: FeedRef, *, newer_than: str | None = None, older_than: str | None = None,
             limit: int = 40) -> FeedPage:
        """Newest activity first (a comment brings its post up); ``newer_than``: everything after
        that post (its id, or the position this gave as ``newer``), page by page back (at most
        PAGES). Check-ins never appear in a feed."""
        if self._me is None:
            self.me()
        path = self._feed_path(feed)
        lobby = self._group_ids.get(self.lobby_group.casefold())
        posts: list[Post] = []
        token = older_than
        after = _position_in(newer_than)
        for _ in range(PAGES if newer_than else 1):
            elements, token = self._elements(path, {"pageSize": str(min(limit, PAGE))} | ({"page": token}
                                                                                            if token else {}))
            for element in elements:
                parent = element.get("parent") if isinstance(element.get("parent"), dict) else {}
                if isinstance(parent, dict) and lobby and parent.get("id") == lobby:
                    continue
                posts += [p for p in self._posts(element) if not presence_format.read(p.text)]
            if newer_than and after is None:
                after = next((p.position for p in posts if p.id == newer_than), None)
            if not newer_than or not token or (after is not None and any(p.position <= after for p in posts)):
                break
        if newer_than:
            posts = [p for p in posts if after is None or p.position > after]
        posts.sort(key=lambda p: p.position, reverse=True)
        newest = posts[0].position if posts else (after or newer_than)
        return FeedPage(tuple(posts), older=None if newer_than else token, newer=newest)

    def notices(self, newer_than: str | None = None) -> list[Notice]:
        """The "to me" feed: posts and comments that mention the person, and posts to their profile.
        ``newer_than``: a notice's id or position; everything after it, page by page back."""
        me = (self._me or self.me()).id
        found: list[Notice] = []
        token: str | None = None
        after = _position_in(newer_than)
        for _ in range(PAGES if newer_than else 1):
            elements, token = self._elements("/chatter/feeds/to/me/feed-elements",
                                             {"pageSize": str(PAGE)} | ({"page": token} if token else {}))
            for element in elements:
                posts = self._posts(element)
                root = posts[0]
                for post in posts:
                    if after is None and newer_than and post.id == newer_than:
                        after = post.position
                    if post.author_id == me or not (post.mentions_me or (post is root and not post.mentioned)):
                        continue
                    kind = NoticeKind.REPLY if post.reply_to_id and root.author_id == me else NoticeKind.MENTION
                    found.append(Notice(id=post.id, position=post.position, kind=kind, from_id=post.author_id,
                                        from_name=post.author_name, text=post.text, created_at=post.created_at,
                                        post_id=post.id, url=post.url, thread_id=root.id))
            if not newer_than or not token or (after is not None and any(n.position <= after for n in found)):
                break
        if newer_than:
            found = [n for n in found if after is None or n.position > after]
        for notice in found:
            self._notice_moments[notice.id] = notice.created_at
        while len(self._notice_moments) > NOTICES_REMEMBERED:
            del self._notice_moments[min(self._notice_moments, key=self._notice_moments.__getitem__)]
        return sorted(found, key=lambda n: n.position, reverse=True)

    def announcements(self) -> list[Announcement]:
        """The group's unexpired announcements, asked at most every ten minutes (each ask is an API
        call the whole org's allocation pays for)."""
        asked, kept = self._announced
        if asked and time.monotonic() - asked < ANNOUNCEMENTS_EVERY_S:
            return kept
        body = self._get(f"/chatter/groups/{self._group(self.announcements_group)}/announcements")
        found = []
        for item in (body.get("announcements") if isinstance(body, dict) else None) or []:
            element = item.get("feedElement") if isinstance(item, dict) else None
            if isinstance(element, dict) and element.get("id"):
                text = _str((element.get("body") or {}).get("text"))
                escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                found.append(Announcement(_str(element["id"]), to_text(escaped, 5000), to_safe_html(escaped, 5000),
                                          _moment(element.get("createdDate"))))
        self._announced = (time.monotonic(), found)
        return found

    def dismiss_announcement(self, announcement_id: str) -> None:
        """Chatter keeps no "dismissed" per person: dismissing is this computer's own."""

    def capabilities(self) -> Capabilities:
        """No content warnings; Chatter's "share" is not something Hallway makes; its private
        messages are retired ("Say hi" opens the person's profile); publish() names the person
        answered in a Mention segment; the bell is the read position, where the org lets Hallway
        at it; no push channel for feeds."""
        return Capabilities(read_markers=NoteKind.READ_POSITIONS not in self.notes)

    def read_marker(self, feed: str) -> str | None:
        """How far the person has read their mentions, from Salesforce's bell: every notice before
        its oldest unread notification (all of them when none is unread). The bell is the one read
        state Salesforce keeps; feeds have none. Asked at most every 20 minutes (each ask is a call
        the org's allocation pays for)."""
        if feed != "notices" or NoteKind.READ_POSITIONS in self.notes:
            return None
        if self._read_asked and time.monotonic() - self._read_asked < READ_STATE_EVERY_S:
            return None
        self._read_asked = time.monotonic()
        status = self._notifications("GET", "/connect/notifications/status")
        if not isinstance(status, dict):
            return None
        unread = status.get("unreadCount")
        edge = _moment(status.get("oldestUnread")) if unread else None
        if not self._notice_moments:
            self.notices()
        read = [(at, notice) for notice, at in self._notice_moments.items() if edge is None or at < edge]
        return max(read)[1] if read else None

    def set_read_marker(self, feed: str, post_id: str) -> None:
        """The person read up to this notice here: the bell's notifications until then are marked
        read in Salesforce too (and so in its web and mobile apps)."""
        if feed != "notices" or NoteKind.READ_POSITIONS in self.notes:
            return
        if post_id not in self._notice_moments:
            self.notices()
        at = self._notice_moments.get(post_id)
        if at is not None:
            edge = at.astimezone(UTC) + timedelta(milliseconds=1)
            self._notifications("PATCH", "/connect/notifications", {
                "before": edge.strftime("%Y-%m-%dT%H:%M:%S.") + f"{edge.microsecond // 1000:03d}Z", "read": True})

    def _notifications(self, method: str, path: str, body: Mapping[str, Any] | None = None) -> Any:
        """The bell (Connect's notifications, since v49.0); an org or app without it keeps what was
        read on this computer, and doctor says so."""
        try:
            if method == "GET":
                return self._get(path)
            return self._send(method, path, body or {})
        except Refused as absent:
            if absent.status not in (403, 404):
                raise
            self.notes.say(NoteKind.READ_POSITIONS, "Salesforce's notifications are not open to Hallway here: what "
                                                    "was read stays on this computer")
            return None

    # ------------------------------------------------------------ writes

    def can_write(self) -> bool | None:
        return None

    def text_limit(self) -> int | None:
        return 10_000  # a feed item's body (Salesforce's documented most)

    def write_refusal(self, into: str) -> str:
        return ""

    def _segments(self, text: str) -> list[dict[str, str]]:
        """What the person typed as Text segments, ``@handle`` of a colleague as a Mention segment
        (so they are told); any other @word stays a word."""
        segments: list[dict[str, str]] = []
        last = 0
        for found in HANDLE.finditer(text):
            user = self._handles.get(found[1]) or self._look_up(found[1])
            if not user:
                continue
            if found.start() > last:
                segments.append({"type": "Text", "text": text[last:found.start()]})
            segments.append({"type": "Mention", "id": user})
            last = found.end()
        if last < len(text) or not segments:
            segments.append({"type": "Text", "text": text[last:]})
        return segments

    def _look_up(self, handle: str) -> str:
        domain = (self._me or self.me()).email.partition("@")[2]
        username = f"{handle}@{domain}"
        if not re.fullmatch(r"[\w.+-]+@[\w.-]+", username):
            return ""
        with contextlib.suppress(Refused):
            body = self._get("/query", {"q": f"SELECT Id FROM User WHERE Username = '{username}'"})  # noqa: S608
            records = body.get("records") if isinstance(body, dict) else None
            if isinstance(records, list) and records and isinstance(records[0], dict):
                self._handles[handle] = _str(records[0].get("Id"))
        return self._handles.get(handle, "")

    def publish(self, text: str, key: str, reply_to: str | None = None, warning: str = "") -> str:
        """A post to the person's own feed (the company feed shows it), or a comment on
        ``reply_to`` that mentions its author, so they are notified."""
        segments = self._segments(text)
        if reply_to:
            parent = self._get(f"/chatter/feed-elements/{quote(reply_to)}")
            author = _str((parent.get("actor") or {}).get("id")) if isinstance(parent, dict) else ""
            me = (self._me or self.me()).id
            if author and author != me and not any(s.get("id") == author for s in segments):
                segments = [{"type": "Mention", "id": author}, {"type": "Text", "text": " "}, *segments]
            made = self._post(f"/chatter/feed-elements/{quote(reply_to)}/capabilities/comments/items",
                              {"body": {"messageSegments": segments}})
        else:
            made = self._post("/chatter/feed-elements", {"body": {"messageSegments": segments},
                                                         "feedElementType": "FeedItem", "subjectId": "me"})
        if not isinstance(made, dict) or not made.get("id"):
            raise BadAnswer("Salesforce did not say which post it made.")
        return _str(made["id"])

    def find_post(self, text: str, reply_to: str | None, since: datetime) -> str | None:
        """The person's post (or comment on ``reply_to``) with these words, since ``since``."""
        me = (self._me or self.me()).id
        wanted = " ".join(text.split())
        if reply_to:
            candidates = [p for p in self._comments(reply_to) if p.author_id == me]
        else:
            candidates = []
            token: str | None = None
            for _ in range(PAGES):
                elements, token = self._elements("/chatter/feeds/news/me/feed-elements",
                                                 {"pageSize": str(PAGE)} | ({"page": token} if token else {}))
                candidates += [self._posts(e)[0] for e in elements]
                if not token or any(p.created_at < since - timedelta(minutes=10) for p in candidates):
                    break
        for post in candidates:
            words = " ".join(post.text.split())
            if post.author_id == me and (words == wanted or words.endswith(wanted)) and post.created_at >= \
                    since - timedelta(minutes=10):
                return post.id
        return None

    def _comments(self, item_id: str) -> list[Post]:
        found: list[Post] = []
        url: str | None = f"/chatter/feed-elements/{quote(item_id)}/capabilities/comments/items"
        params: dict[str, str] | None = {"pageSize": "100"}
        me = self._me.id if self._me else ""
        while url:
            body = self._get(url, params)
            params = None
            for comment in (body.get("items") if isinstance(body, dict) else None) or []:
                if isinstance(comment, dict) and comment.get("id"):
                    found.append(self._as_post(comment, _str(comment["id"]), _str(comment.get("createdDate")),
                                            comment.get("user"), item_id, False, 0, me))
            url = _str(body.get("nextPageUrl")) if isinstance(body, dict) else ""
            if url and not url.startswith("http"):
                url = f"{self.base}{url}"
        return found

    def react(self, post_id: str, key: str) -> str:
        self._post(f"/chatter/feed-elements/{quote(post_id)}/capabilities/chatter-likes/items", {})
        return post_id

    def message(self, handle: str, text: str, key: str) -> str:
        raise Refused("Chatter has no private messages for apps: \"Say hi\" opens the person's profile.")

    def share(self, post_id: str, key: str) -> str:
        raise Refused("Chatter shares are not something Hallway makes: share it in Salesforce itself.")

    def liked_by(self, post_id: str) -> list[str]:
        body = self._get(f"/chatter/feed-elements/{quote(post_id)}/capabilities/chatter-likes/items")
        return [_str((i.get("user") or {}).get("id")) for i in (body.get("items") if isinstance(body, dict) else None)
                or [] if isinstance(i, dict)]

    def share_office_days(self, days: Sequence[date]) -> None:
        """The person's own User record's ``Office_Days__c`` (a field IT adds, which each person may
        edit on their own record), in the office week's format; none: the field emptied."""
        if not self._custom:
            raise Refused("The org has no Office_Days__c field on User: IT adds it to share office days "
                          "(docs/admin.md).")
        me = (self._me or self.me()).id
        self._send("PATCH", f"/sobjects/User/{quote(me)}", {"Office_Days__c": write_days(days) if days else None})

    # ------------------------------------------------------------ check-ins

    def check_in(self, check_in: CheckIn, colleague: Colleague, key: str) -> str:
        """A comment on the office's post for the day in the lobby group; it mentions nobody."""
        day = check_in.at.date()
        item = self._day_item(check_in.place.name, day)
        text = presence_format.check_in_text(check_in, colleague, "", day, key)
        made = self._post(f"/chatter/feed-elements/{quote(item)}/capabilities/comments/items",
                          {"body": {"messageSegments": [{"type": "Text", "text": text}]}})
        if not isinstance(made, dict) or not made.get("id"):
            raise BadAnswer("Salesforce did not say which comment it made.")
        return _str(made["id"])

    def _lobby_items(self, pages: int = 2) -> Iterator[tuple[Post, presence_format.Marked]]:
        token: str | None = None
        for _ in range(pages):
            elements, token = self._elements(f"/chatter/feeds/record/{self._group(self.lobby_group)}/feed-elements",
                                             {"pageSize": str(PAGE)} | ({"page": token} if token else {}))
            for element in elements:
                post = self._posts(element)[0]
                marked = presence_format.read(post.text)
                if marked is not None and marked.kind == "day" and self._from_lobby(post.author_id, post.author_handle):
                    yield post, marked
            if not token:
                return

    def _from_lobby(self, author_id: str, handle: str) -> bool:
        return handle.lower() in self.lobby_accounts or (self.is_lobby and self._me is not None
                                                          and author_id == self._me.id)

    def _day_item(self, office: str, day: date) -> str:
        with self._day_lock:
            if (office, day) in self._day_items:
                return self._day_items[(office, day)]
            if self._me is None:
                self.me()
            for post, marked in self._lobby_items():
                if marked.office == office and marked.day == day and self._me and post.author_id == self._me.id:
                    self._day_items[(office, day)] = post.id
                    return post.id
            made = self._post("/chatter/feed-elements", {
                "body": {"messageSegments": [{"type": "Text", "text": presence_format.day_text(office, day)}]},
                "feedElementType": "FeedItem", "subjectId": self._group(self.lobby_group)})
            self._day_items[(office, day)] = _str(made["id"]) if isinstance(made, dict) else ""
            return self._day_items[(office, day)]

    def _check_ins_on(self, day: date) -> Iterator[tuple[Post, presence_format.Marked]]:
        for post, marked in self._lobby_items():
            if marked.day != day:
                continue
            for comment in self._comments(post.id):
                line = presence_format.read(comment.text)
                if line is not None and line.kind == "in" and self._from_lobby(comment.author_id,
                                                                               comment.author_handle):
                    yield comment, line

    def find_check_in(self, check_in: CheckIn, colleague: Colleague, key: str) -> str | None:
        if self._me is None:
            self.me()
        day = check_in.at.date()
        for comment, marked in self._check_ins_on(day):
            same = marked.key == presence_format.write_key(key) if marked.key else marked.at in (None, check_in.at)
            if same and (marked.account, marked.office, marked.day) == (colleague.id, check_in.place.name, day):
                return comment.id
        return None

    def in_office(self, day: date) -> list[Presence]:
        if self._me is None:
            self.me()
        seen: dict[str, Presence] = {}
        for comment, marked in self._check_ins_on(day):
            fresh = presence_format.presence(marked, comment.created_at)
            if marked.account not in seen or fresh.at < seen[marked.account].at:
                seen[marked.account] = fresh
        return list(seen.values())

    def check_ins(self, since: date) -> Iterator[Presence]:
        if self._me is None:
            self.me()
        seen: set[tuple[str, date]] = set()
        for post, marked in self._lobby_items(pages=40):
            if marked.day < since:
                continue
            for comment in self._comments(post.id):
                line = presence_format.read(comment.text)
                if line is not None and line.kind == "in" and (line.account, line.day) not in seen:
                    seen.add((line.account, line.day))
                    yield presence_format.presence(line, comment.created_at)

    # ------------------------------------------------------------ live, set-up

    def stream(self, stop: threading.Event) -> Iterator[StreamEvent]:
        raise Refused("Chatter has no live stream for apps: Hallway checks for news every few minutes.")

    def set_up(self, kiosk: bool) -> list[SetUpLine]:
        lines: list[SetUpLine] = []
        self._api()
        lines.append(SetUpLine.fine(f"API version {self.version} at {self.base}"))
        granted = self.signin.credentials.granted
        if granted:
            chatter_ok = bool({"chatter_api", "api", "full"} & set(granted.split()))
            lines.append(SetUpLine.fine_if(chatter_ok, f"the sign-in's scopes: {granted}" + ("" if chatter_ok else
                                           " (no chatter_api or api: IT adds it to Hallway's External Client App)")))
        if self.usage:
            used, _, most = self.usage.partition("=")[2].partition("/")
            with contextlib.suppress(ValueError):
                left = int(most) - int(used)
                share = "IT's chatter.daily_calls" if self.daily_calls else "its share"
                lines.append(SetUpLine.fine_if(left > 0, f"the org's API calls today: {int(used):,} of "
                                                         f"{int(most):,} used; this computer keeps under "
                                                         f"{self.ceiling():,} a day ({share})"))
        for name in (self.announcements_group, self.lobby_group, *self.groups):
            try:
                self._group(name)
                lines.append(SetUpLine.fine(f"group {name!r}: found"))
            except Refused:
                needed = kiosk or name == self.announcements_group
                lines.append(SetUpLine(SetUp.WRONG if needed else SetUp.WORTH_KNOWING,
                                       f"group {name!r}: not found (IT creates it, docs/admin.md)"))
        for guess in UNVERIFIED:
            lines.append(SetUpLine.worth_knowing(f"never verified against a real org: {guess}"))
        return lines


def build(config: Config, signin: SignIn, kiosk: bool, client: HttpClient | None) -> ChatterNetwork:
    return ChatterNetwork(config["network.server"] or "https://login.salesforce.com", signin, client,
                          groups=config.listed("chatter.groups"), lobby_group=config["chatter.lobby_group"],
                          announcements_group=config["chatter.announcements_group"],
                          lobby_accounts=config.listed("network.lobby_accounts"), is_lobby=kiosk,
                          daily_calls=config["chatter.daily_calls"])


def probe(server: str, client: HttpClient) -> str:
    """The login host answers its OAuth endpoints (a token request without a grant is refused)."""
    try:
        client.request("POST", f"{server.rstrip('/')}/services/oauth2/token", data={}, conditional=False)
    except Refused:
        return "Salesforce (login host)"
    return "Salesforce (login host)"
