"""Viva Engage (Microsoft 365): people from Microsoft Graph, posts from the Yammer REST API v1.

Graph has no Viva Engage feed API (late 2026), so the feeds, threads, posts, replies, likes and
what was sent to the person come from Yammer's v1 API, which Microsoft still documents and
serves; the company's people, their facts, photos and where they work today come from Graph.
One sign-in (hallway/signin/viva_engage.py) gives a token for each: ``signin`` carries Graph's,
``yammer`` Yammer's, both refreshed from the same refresh token.

How each Hallway feature maps, and what was never checked against a real tenant, is in
docs/networks.md (the Viva Engage column). In short:

- People: Graph ``/users`` (enabled members in the address book), 999 a page; facts Graph gives
  only one person at a time (about me, interests, skills, birthday, hire date) are read twenty
  at a time in a JSON batch, and again only after ``FACTS_FRESH_DAYS``.
- Feeds: "local" is the All Company community, "home" the person's own feed; a community IT
  names is its own feed (``#Name``). Check-ins are in a community of their own, never in a feed.
- Yammer allows 10 requests per person per app per 30 s: Hallway paces itself under that, and
  when told to wait (429, with no Retry-After) waits 30 s.
- No live stream for apps: sync polls (at most once a minute, as Microsoft asks).
- Check-ins: the lobby kiosk writes one thread per office per day in the lobby community, a
  reply per check-in (the ``hallway:`` lines of mastodon_presence), never mentioning anyone;
  "who is in today" also counts people whose Microsoft 365 work location says office.
- No idempotency keys on Yammer: ``keys_kept_s = 0``, and the outbox looks (``find_check_in``,
  ``find_post``) before it sends anything again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import re
import threading
import time
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import quote

from hallway.config import Config
from hallway.http import BadAnswer, HttpClient, Refused
from hallway.model import (
    COMPANY_FEED,
    Announcement,
    CheckIn,
    Colleague,
    FeedKind,
    FeedPage,
    FeedRef,
    Notice,
    NoticeKind,
    Place,
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
from hallway.signin.credentials import Credentials, SignIn
from hallway.signin.viva_engage import YAMMER_SCOPES, yammer_credentials
from hallway.text import to_safe_html, to_text

log = logging.getLogger(__name__)

KIND = "viva-engage"
LIST_FIELDS = ("id", "displayName", "userPrincipalName", "mail", "jobTitle", "department", "officeLocation", "city",
               "accountEnabled", "userType", "showInAddressList")
FACT_FIELDS = ("aboutMe", "interests", "skills", "birthday", "hireDate")  # Graph gives these one person at a time
BATCH = 20  # Graph's JSON batching: at most 20 requests in one
FACTS_FRESH_DAYS = 10  # a person's facts are read again after this many days (or when their entry changes)
PRESENCE_IDS = 650  # getPresencesByUserId's most per request
YAMMER_PACE = (10, 30.0)  # requests, seconds: Yammer's documented limit per person per app
YAMMER_WAIT_S = 30.0  # a 429 from Yammer says no Retry-After: at least this
YAMMER_PAGE = 20
FIND_PAGES = 10
CATCH_UP_PAGES = 10  # 200 posts caught up after a gap at most; older ones stay a scroll away
NOTICE_PAGES = 50  # 1,000 messages to the person caught up after a gap at most
HANDLE = re.compile(r"(?<![\w@])@([A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9])")
SETTLED_S = 24 * 3600.0
ANNOUNCEMENTS_EVERY_S = 600.0
TEXT_LIMIT = 10_000  # Yammer documents none; its web app stops about here (a guess)
MENTION = re.compile(r"\[\[user:(\d+)\]\]")
# The calls whose shape was never seen from a real tenant (doctor lists them): each a guess in
# the emulator (hallway/demo/viva), from no documentation and no published sample.
UNVERIFIED = (
    "announcements: read as messages of type \"announcement\" (Yammer documents no announcements API)",
    "whether a like is the person's own: read from liked_by.names, which may list only a few people",
    "the All Company and lobby communities found by name in /groups.json",
    "the person's communities (settings): /groups/for_user/{id}.json read as /groups.json's list of communities",
    "Graph's /users without User.Read.All: job titles and the like read as empty",
    "a Yammer 429: no Retry-After, so Hallway waits 30 s",
)


def _str(value: Any) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def _moment(text: Any) -> datetime:
    """Yammer's "2026/12/05 09:12:00 +0000", or Graph's ISO 8601."""
    value = _str(text)
    for form in ("%Y/%m/%d %H:%M:%S %z",):
        with contextlib.suppress(ValueError):
            return datetime.strptime(value, form)
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return datetime.now(UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _day(text: Any) -> date | None:
    """A Graph date (hire date, birthday); the year 1 is Graph's "never set"."""
    value = _str(text)
    if not value or value.startswith("0001-"):
        return None
    with contextlib.suppress(ValueError):
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    return None


def _list(value: Any) -> tuple[str, ...]:
    return tuple(_str(v).strip() for v in value if _str(v).strip())[:10] if isinstance(value, list) else ()


class Pace:
    """At most ``most`` requests in any ``window`` seconds, waited for here: Hallway stays under
    Yammer's limit instead of being told off by it. A quitting app is not held (``closing``)."""

    def __init__(self, most: int, window: float, closing: threading.Event) -> None:
        self.most, self.window, self.closing = most, window, closing
        self._sent: deque[float] = deque()
        self._lock = threading.Lock()
        self.waited_s = 0.0

    def __call__(self) -> None:
        while True:
            with self._lock:
                now = time.monotonic()
                while self._sent and now - self._sent[0] >= self.window:
                    self._sent.popleft()
                if len(self._sent) < self.most:
                    self._sent.append(now)
                    return
                wait = self.window - (now - self._sent[0]) + 0.05
            self.waited_s += wait
            if self.closing.wait(wait):
                raise Refused("Hallway is quitting.")


class VivaEngageNetwork:
    """One signed-in connection to a Microsoft 365 tenant's Viva Engage and Graph."""
    photos_move = False  # Graph keeps a person's photo at one address: sync fetches it again after a while

    kind = KIND
    stream_feeds: tuple[FeedRef, ...] = ()  # no live stream: every feed is polled
    feeds_apart = True
    keys_kept_s = 0.0  # Yammer keeps no idempotency keys: the outbox looks before any resend
    # Yammer serves 20 a page and 10 requests per 30 s: a first sync reads three pages, so the
    # person sees the feed in seconds; older posts come page by page as they scroll.
    backfill_posts = 60

    def __init__(self, server: str, signin: SignIn | str, client: HttpClient | None = None, *,
                 graph: str = "https://graph.microsoft.com", communities: Sequence[str] = (),
                 lobby_community: str = "Lobby check-ins", lobby_accounts: Sequence[str] = ("lobby",),
                 is_lobby: bool = False, yammer: SignIn | None = None,
                 pace: tuple[int, float] = YAMMER_PACE, work_location: bool = False) -> None:
        """``pace``: Yammer's limit as Hallway keeps it (tests that are not about limits widen it,
        with the emulator's own); ``work_location``: the person said yes to their kiosk check-in
        setting their Microsoft 365 work location (Teams, Outlook) to the office for the day."""
        self.server = server.rstrip("/")
        self.graph = graph.rstrip("/")
        self.client = client or HttpClient()
        self.client.unsaid_wait_s = YAMMER_WAIT_S
        self.signin = signin if isinstance(signin, SignIn) else SignIn(signin)
        self.yammer = yammer or SignIn(self._yammer_seed(), refresh=self._refresh_yammer, keep=self._keep_rotated)
        self.communities, self.lobby_community = tuple(communities), lobby_community
        self.lobby_accounts, self.is_lobby = tuple(a.lower() for a in lobby_accounts), is_lobby
        self._closing = threading.Event()
        self.pace = Pace(*pace, self._closing)
        self.notes = ServerNotes()
        self.yammer_scope = ""  # which of Yammer's scope names the tenant accepted (doctor)
        self._me: Colleague | None = None
        self._my_yammer_id: int | None = None
        self._groups: dict[str, int] | None = None
        self._by_email: dict[str, str] = {}  # e-mail (lower case) -> Graph id, from the directory and lookups
        self._people_ids: list[str] = []  # the last directory pass's people (their presence is asked)
        self._offices: dict[str, str] = {}  # Graph id -> office, for presence
        self._announced: tuple[float, list[Announcement]] = (0.0, [])
        self._day_threads: dict[tuple[str, date], int] = {}
        self._day_lock = threading.Lock()
        self._presence_read: dict[date, tuple[int, dict[str, Presence]]] = {}
        self._yammer_ids: dict[str, int | None] = {}  # handle -> Yammer id, for mentions
        self.work_location = work_location and not is_lobby
        self._location_set: date | None = None  # the day the work location was last set to the office
        self.notes.say(NoteKind.READ_POSITIONS, "Viva Engage keeps no read position Hallway could share with its "
                                                "web app: what was read stays on this computer")

    # ------------------------------------------------------------ sign-in for two resources

    def _yammer_seed(self) -> Credentials:
        """Yammer's token is made from the sign-in's refresh token at the first Yammer request."""
        graph = self.signin.credentials
        return replace(graph, access_token="", expires_at=1.0, scope=YAMMER_SCOPES[0])

    def _refresh_yammer(self, stale: Credentials) -> Credentials:
        graph = self.signin.credentials
        tried = (stale.scope.split()[0],) if stale.scope and self.yammer_scope else ()
        fresh = yammer_credentials(replace(graph, refresh_token=graph.refresh_token or stale.refresh_token),
                                   self.client, tuple(dict.fromkeys((*tried, *YAMMER_SCOPES))))
        self.yammer_scope = fresh.scope.split()[0]
        return fresh

    def _keep_rotated(self, fresh: Credentials) -> None:
        """Entra hands a new refresh token with each use: the sign-in keeps the newest."""
        if fresh.refresh_token and fresh.refresh_token != self.signin.credentials.refresh_token:
            self.signin.adopt(refresh_token=fresh.refresh_token)

    # ------------------------------------------------------------ plumbing

    def _graph_get(self, path: str, params: Mapping[str, Any] | None = None, **options: Any) -> Any:
        url = path if path.startswith("https://") or path.startswith("http://") else f"{self.graph}/v1.0{path}"
        body, _ = self.client.get_json(url, params=params, auth=self.signin, **options)
        return body

    def _yammer_get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        self.pace()
        body, _ = self.client.get_json(f"{self.server}/api/v1{path}", params=params, auth=self.yammer)
        return body

    def _yammer_post(self, path: str, data: Mapping[str, Any], resend: bool = False) -> Any:
        self.pace()
        answer = self.client.request("POST", f"{self.server}/api/v1{path}", data=data, auth=self.yammer,
                                     resend=resend)
        return answer.json() if answer.body else None

    def close_stream(self) -> None:
        self._closing.set()

    # ------------------------------------------------------------ people

    def colleague(self, user: Mapping[str, Any], facts: Mapping[str, Any] | None = None) -> Colleague:
        facts = facts or {}
        upn = _str(user.get("userPrincipalName"))
        skills = _list(facts.get("skills"))
        birthday = _day(facts.get("birthday"))
        # Without User.Read.All these read as null: unknown is not "no" (the list asked for enabled people)
        listed = user.get("accountEnabled") is not False and _str(user.get("userType") or "Member") == "Member" \
            and user.get("showInAddressList") is not False
        return Colleague(
            id=_str(user.get("id")), name=_str(user.get("displayName")) or upn, handle=upn.split("@")[0],
            title=_str(user.get("jobTitle")), team=_str(user.get("department")),
            office=_str(user.get("officeLocation")) or _str(user.get("city")),
            hobbies=_list(facts.get("interests")), ask_me_about=skills[0] if skills else "",
            started_on=_day(facts.get("hireDate")), bio=to_text(_str(facts.get("aboutMe")), 2000),
            photo_url=f"{self.graph}/v1.0/users/{quote(_str(user.get('id')))}/photo/$value",
            discoverable=listed, email=_str(user.get("mail")),
            birthday=(birthday.month, birthday.day) if birthday else None,
            celebrate=birthday is not None,  # a birthday in one's Microsoft 365 profile is shared by choice
            version=(_str(user.get("_version")) or self._list_version(user)) + (
                f":{date.today().isoformat()}" if facts else ""),
        )

    @staticmethod
    def _list_version(user: Mapping[str, Any]) -> str:
        seen = json.dumps({k: user.get(k) for k in LIST_FIELDS}, sort_keys=True)
        return hashlib.sha256(seen.encode()).hexdigest()[:16]

    def me(self) -> Colleague:
        user = self._graph_get("/me", {"$select": ",".join(LIST_FIELDS)}, fresh_for_s=6 * 3600.0)
        if not isinstance(user, dict) or not user.get("id"):
            raise BadAnswer("Microsoft Graph did not say who is signed in.")
        self._me = self.colleague(user)
        if self._me.email:
            self._by_email[self._me.email.lower()] = self._me.id
        return self._me

    def _my_yammer(self) -> int:
        if self._my_yammer_id is None:
            body = self._yammer_get("/users/current.json")
            if not isinstance(body, dict) or not isinstance(body.get("id"), int):
                raise BadAnswer("Viva Engage did not say who is signed in.")
            self._my_yammer_id = int(body["id"])
        return self._my_yammer_id

    def directory(self, known: Mapping[str, Colleague] | None = None, since: str = "") -> DirectoryPass:
        """Enabled members in the address book. The first time, everyone (Graph's ``/users/delta``,
        a page at a time); after that, ``since`` the last complete pass (Graph's delta link, which
        sync keeps), only who changed: a morning with no change costs one request. Facts Graph
        gives one person at a time are read, twenty to a batch, for the people who changed or whose
        facts are older than FACTS_FRESH_DAYS; everyone else keeps what the store holds."""
        return DirectoryPass.reading(lambda found: self._people(known or {}, found), since)

    def _people(self, known: Mapping[str, Colleague], found: DirectoryPass) -> Iterator[list[Colleague]]:  # noqa: C901
        found.facts_from = "Microsoft Entra ID (Graph): job title, department, office, about me, interests, skills"
        people: list[str] = []
        if found.since:
            try:
                changed, removed, found.cursor = self._delta(found.since)
            except Refused as refused:  # an expired or unknown delta link: everyone again
                log.info("the directory's delta link was refused (%s): reading everyone", refused.message)
            else:
                listed: dict[str, Colleague] = {c.id: c for c in known.values() if c.discoverable and c.version}
                for gone in removed:
                    listed.pop(gone, None)
                fresh: list[dict[str, Any]] = []
                for user in changed:
                    first = self.colleague(user)
                    if self._listed(first):
                        listed[first.id] = first
                        fresh.append(user)
                    else:
                        listed.pop(first.id, None)
                fresh_ids = {_str(u.get("id")) for u in fresh}
                stale = [c for c in listed.values() if c.id not in fresh_ids and not self._fresh(c, c)]
                made = {c.id: c for c in self._with_facts(fresh + [self._as_user(c) for c in stale], found)}
                everyone = [made.get(c.id, c) for c in listed.values()]
                for colleague in everyone:
                    self._remember(colleague)
                    people.append(colleague.id)
                for start in range(0, len(everyone), 500):
                    yield self._with_my_plan(everyone[start:start + 500])
                self._people_ids = people
                found.people_from = f"Microsoft Entra ID: the company's enabled members ({len(people):,})"
                return
        url = f"{self.graph}/v1.0/users/delta"
        params: dict[str, Any] | None = {"$select": ",".join(LIST_FIELDS)}
        while url:
            body = self._graph_get(url, params)
            params = None  # the next link carries them
            users = [u for u in (body.get("value") if isinstance(body, dict) else None) or [] if isinstance(u, dict)]
            page: list[Colleague] = []
            wanted: list[dict[str, Any]] = []
            for user in users:
                first = self.colleague(user)
                if not self._listed(first) or user.get("@removed"):
                    continue
                self._remember(first)
                people.append(first.id)
                held = known.get(first.id)
                if held is not None and self._fresh(held, first):
                    page.append(replace(first, hobbies=held.hobbies, ask_me_about=held.ask_me_about,
                                        started_on=held.started_on, bio=held.bio, birthday=held.birthday,
                                        celebrate=held.celebrate, version=held.version))
                else:
                    wanted.append(user)
            page += self._with_facts(wanted, found)
            yield self._with_my_plan(page)
            url = _str(body.get("@odata.nextLink")) if isinstance(body, dict) else ""
            if not url and isinstance(body, dict):
                found.cursor = _str(body.get("@odata.deltaLink"))
        self._people_ids = people
        found.people_from = f"Microsoft Entra ID: the company's enabled members ({len(people):,})"

    def _with_my_plan(self, page: list[Colleague]) -> list[Colleague]:
        """The signed-in person's office days from their own work plan in Outlook (Graph gives
        each person only their own), so a plan made there need not be made again in Hallway."""
        me = self._me
        if me is None or self.is_lobby or not any(c.id == me.id for c in page):
            return page
        days = self.planned_days()
        return [replace(c, office_days=days) if c.id == me.id else c for c in page]

    def planned_days(self) -> tuple[date, ...]:
        """The office days of the person's own work plan, from today for two weeks."""
        start = date.today()
        end = start + timedelta(days=14)
        try:
            body = self._graph_get(f"/me/settings/workHoursAndLocations/occurrencesView(startDateTime="
                                   f"'{start.isoformat()}T00:00:00Z',endDateTime='{end.isoformat()}T00:00:00Z')")
        except Refused as refused:  # no Calendars.Read, or no plan: the days kept in Hallway stay
            log.info("could not read the work plan: %s", refused.message)
            return ()
        found = set()
        for item in (body.get("value") if isinstance(body, dict) else None) or []:
            if isinstance(item, dict) and item.get("workLocationType") == "office":
                day = _day(_str((item.get("start") or {}).get("dateTime"))[:10])
                if day is not None:
                    found.add(day)
        return tuple(sorted(found))

    def _delta(self, link: str) -> tuple[list[dict[str, Any]], set[str], str]:
        """Who changed since ``link``: their entries, the ids of those removed or disabled, and
        the delta link to ask next time."""
        changed: list[dict[str, Any]] = []
        removed: set[str] = set()
        url = link
        for _ in range(1000):
            body = self._graph_get(url)
            for user in (body.get("value") if isinstance(body, dict) else None) or []:
                if not isinstance(user, dict) or not user.get("id"):
                    continue
                if user.get("@removed") or user.get("accountEnabled") is False:
                    removed.add(_str(user["id"]))
                else:
                    changed.append(user)
            url = _str(body.get("@odata.nextLink")) if isinstance(body, dict) else ""
            if not url:
                return changed, removed, _str(body.get("@odata.deltaLink")) if isinstance(body, dict) else ""
        return changed, removed, ""

    def _listed(self, colleague: Colleague) -> bool:
        return bool(colleague.id) and colleague.discoverable and colleague.handle.lower() not in self.lobby_accounts

    def _remember(self, colleague: Colleague) -> None:
        if colleague.email:
            self._by_email[colleague.email.lower()] = colleague.id
        self._offices[colleague.id] = colleague.office

    @staticmethod
    def _as_user(colleague: Colleague) -> dict[str, Any]:
        """A stored colleague as Graph's list entry (to read their facts again)."""
        return {"id": colleague.id, "displayName": colleague.name, "userPrincipalName": colleague.handle,
                "mail": colleague.email or None, "jobTitle": colleague.title or None,
                "department": colleague.team or None, "officeLocation": colleague.office or None,
                "_version": colleague.version.partition(":")[0]}

    def _fresh(self, held: Colleague, listed: Colleague) -> bool:
        version, _, day = held.version.partition(":")
        try:
            read = date.fromisoformat(day)
        except ValueError:
            return False
        return version == listed.version.partition(":")[0] and (date.today() - read).days < FACTS_FRESH_DAYS

    def _with_facts(self, users: list[dict[str, Any]], found: DirectoryPass) -> list[Colleague]:
        """Each person's single-user facts, twenty to a JSON batch (one request for twenty people)."""
        made: list[Colleague] = []
        for start in range(0, len(users), BATCH):
            chunk = users[start:start + BATCH]
            requests_ = [{"id": str(n), "method": "GET",
                          "url": f"/users/{quote(_str(u.get('id')))}?$select={','.join(FACT_FIELDS)}"}
                         for n, u in enumerate(chunk)]
            try:
                answer = self.client.request("POST", f"{self.graph}/v1.0/$batch", json={"requests": requests_},
                                             auth=self.signin).json()
            except Refused as refused:
                log.warning("could not read people's facts from Graph: %s", refused.message)
                answer = {}
            bodies = {str(r.get("id")): r.get("body") for r in (answer.get("responses") or [])
                      if isinstance(r, dict) and r.get("status") == 200} if isinstance(answer, dict) else {}
            for n, user in enumerate(chunk):
                facts = bodies.get(str(n))
                if not isinstance(facts, dict):
                    found.complete = False  # read again soon, not in six hours
                made.append(self.colleague(user, facts if isinstance(facts, dict) else None))
        return made

    def photo(self, url: str) -> bytes:
        check_photo_host(url, self.graph)  # the Graph token goes to Graph only
        answer = self.client.request("GET", url, auth=self.signin, max_bytes=5 * 1024 * 1024, conditional=False)
        if not answer.body.startswith((b"\x89PNG", b"\xff\xd8", b"GIF8", b"RIFF")):
            raise Refused("That profile photo is not an image Hallway can show.")
        return answer.body

    def _graph_id(self, user: Mapping[str, Any]) -> str:
        """A Yammer user's Graph id, by e-mail (Yammer users carry no Entra object id)."""
        email = _str(user.get("email")).lower()
        if email and email not in self._by_email:
            with contextlib.suppress(Refused):
                quoted = email.replace("'", "''")
                found = self._graph_get("/users", {"$filter": f"mail eq '{quoted}'", "$select": "id"},
                                        fresh_for_s=SETTLED_S)
                value = found.get("value") if isinstance(found, dict) else None
                if isinstance(value, list) and value and isinstance(value[0], dict) and value[0].get("id"):
                    self._by_email[email] = _str(value[0]["id"])
        return self._by_email.get(email) or f"yammer:{_str(user.get('id'))}"

    # ------------------------------------------------------------ posts

    def _groups_by_name(self) -> dict[str, int]:
        if self._groups is None:
            body = self._yammer_get("/groups.json")
            self._groups = {_str(g.get("full_name")).casefold(): int(g["id"]) for g in body or []
                            if isinstance(g, dict) and isinstance(g.get("id"), int)} if isinstance(body, list) else {}
        return self._groups

    def _group(self, name: str) -> int:
        found = self._groups_by_name().get(name.casefold())
        if found is None:
            raise Refused(f"Viva Engage has no community called {name!r} that Hallway can read: IT creates it, "
                          "or names another (docs/admin.md).", 404)
        return found

    def _users(self, body: Mapping[str, Any]) -> dict[int, dict[str, Any]]:
        return {int(r["id"]): r for r in body.get("references") or []
                if isinstance(r, dict) and r.get("type") == "user" and isinstance(r.get("id"), int)}

    @staticmethod
    def _sender(message: Mapping[str, Any], users: Mapping[int, Mapping[str, Any]]) -> Mapping[str, Any]:
        number = message.get("sender_id")
        return users.get(number, {}) if isinstance(number, int) else {}

    def post(self, message: Mapping[str, Any], users: Mapping[int, Mapping[str, Any]]) -> Post:
        sender = self._sender(message, users)
        author_id = self._graph_id(sender) if sender else f"yammer:{_str(message.get('sender_id'))}"
        body = message.get("body") if isinstance(message.get("body"), dict) else {}
        assert isinstance(body, dict)
        liked = message.get("liked_by") if isinstance(message.get("liked_by"), dict) else {}
        assert isinstance(liked, dict)
        me = self._my_yammer_id
        names = [n for n in liked.get("names") or [] if isinstance(n, dict)]
        notified = [n for n in message.get("notified_user_ids") or [] if isinstance(n, int)]
        plain = _str(body.get("plain"))
        rich = _str(body.get("rich")) or plain.replace("&", "&amp;").replace("<", "&lt;")
        return Post(
            id=_str(message.get("id")), position=sort_key(_str(message.get("id"))), author_id=author_id,
            author_name=_str(sender.get("full_name")) or "Someone",
            author_handle=_str(sender.get("email")).split("@")[0] or _str(sender.get("name")),
            author_photo_url=(f"{self.graph}/v1.0/users/{quote(author_id)}/photo/$value"
                              if not author_id.startswith("yammer:") else ""),
            text=to_text(rich, 20_000), html=to_safe_html(rich, 20_000), created_at=_moment(message.get("created_at")),
            url=_str(message.get("web_url")),
            reply_to_id=_str(message.get("replied_to_id")) or None,
            liked=me is not None and any(n.get("user_id") == me for n in names),
            likes=int(liked["count"]) if isinstance(liked.get("count"), int) else 0,
            mentions_me=me is not None and me in notified,
            mentioned=tuple(self._graph_id(users[n]) for n in notified if n in users)[:50],
        )

    def feed_of(self, setting: str) -> FeedRef:
        """"#Name" is a community."""
        return FeedRef.of(setting, FeedKind.GROUP)

    def feeds(self) -> list[FeedRef]:
        """The communities the person belongs to (All Company is the company's feed already)."""
        body = self._yammer_get(f"/groups/for_user/{self._my_yammer()}.json")
        names = {_str(g.get("full_name")) for g in body if isinstance(g, dict)} if isinstance(body, list) else set()
        return [FeedRef(FeedKind.GROUP, name) for name in sorted(names, key=str.casefold)
                if name and name.casefold() != "all company"]

    def _feed_path(self, feed: FeedRef) -> str:
        if feed.kind is FeedKind.HOME:
            return "/messages/my_feed.json"
        if feed.kind is FeedKind.COMPANY:
            return f"/messages/in_group/{self._group('All Company')}.json"
        if feed.kind is FeedKind.GROUP and feed.id:
            return f"/messages/in_group/{self._group(feed.id)}.json"
        raise ValueError(f"no such feed on Viva Engage: {feed.key!r} (home, local or #Community)")

    def feed(self, feed: FeedRef, *, newer_than: str | None = None, older_than: str | None = None,
             limit: int = 40) -> FeedPage:
        """Newest first, at most 20 a page (Yammer's most); check-ins never appear in a feed.
        ``newer_than``: everything after it, page by page back from the newest (Yammer gives the
        newest first), so a laptop that slept misses nothing (at most CATCH_UP_PAGES)."""
        self._my_yammer()
        lobby = self._groups_by_name().get(self.lobby_community.casefold())
        path = self._feed_path(feed)
        posts: list[Post] = []
        older: str | None = older_than
        top: str | None = None
        more = False
        for _ in range(CATCH_UP_PAGES if newer_than else 1):
            params: dict[str, Any] = {"limit": str(min(limit, YAMMER_PAGE))}
            if newer_than:
                params["newer_than"] = newer_than
            if older:
                params["older_than"] = older
            body = self._yammer_get(path, params)
            if not isinstance(body, dict):
                raise BadAnswer("Viva Engage sent something other than a page of messages.")
            users = self._users(body)
            messages = [m for m in body.get("messages") or [] if isinstance(m, dict) and m.get("id")]
            top = top or (_str(messages[0]["id"]) if messages else None)
            posts += [self.post(m, users) for m in messages if m.get("group_id") != lobby
                      and not presence_format.read(_str((m.get("body") or {}).get("plain")))]
            more = bool(messages) and bool((body.get("meta") or {}).get("older_available"))
            if not more:
                break
            older = _str(messages[-1]["id"])
        return FeedPage(tuple(posts), older=older if more and not newer_than else None, newer=top or newer_than)

    def notices(self, newer_than: str | None = None) -> list[Notice]:
        """What was sent to the person: mentions and replies (``received.json``), newest first.
        After a gap, every page back to ``newer_than`` (Yammer gives the newest 20 first)."""
        me = self._my_yammer()
        found: list[Notice] = []
        older: str | None = None
        for _ in range(NOTICE_PAGES if newer_than else 1):
            params: dict[str, Any] = {"limit": str(YAMMER_PAGE)}
            if newer_than:
                params["newer_than"] = newer_than
            if older:
                params["older_than"] = older
            body = self._yammer_get("/messages/received.json", params)
            if not isinstance(body, dict):
                raise BadAnswer("Viva Engage sent something other than a page of messages.")
            users = self._users(body)
            messages = [m for m in body.get("messages") or [] if isinstance(m, dict) and m.get("id")]
            for message in messages:
                if message.get("sender_id") == me:
                    continue
                post = self.post(message, users)
                found.append(Notice(id=post.id, position=post.position,
                                    kind=NoticeKind.REPLY if post.reply_to_id else NoticeKind.MENTION,
                                    from_id=post.author_id, from_name=post.author_name, text=post.text,
                                    created_at=post.created_at, post_id=post.id, url=post.url,
                                    thread_id=_str(message.get("thread_id")) or None))
            if not messages or not (body.get("meta") or {}).get("older_available"):
                break
            older = _str(messages[-1]["id"])
        return sorted(found, key=lambda n: n.position, reverse=True)

    def announcements(self) -> list[Announcement]:
        """Announcements in All Company (message type "announcement": a guess, see UNVERIFIED),
        asked at most every ten minutes."""
        asked, kept = self._announced
        if time.monotonic() - asked < ANNOUNCEMENTS_EVERY_S and asked:
            return kept
        body = self._yammer_get(self._feed_path(COMPANY_FEED), {"threaded": "true", "limit": str(YAMMER_PAGE)})
        messages = body.get("messages") if isinstance(body, dict) else None
        found = [Announcement(_str(m.get("id")), to_text(_str((m.get("body") or {}).get("rich")), 5000),
                              to_safe_html(_str((m.get("body") or {}).get("rich")), 5000), _moment(m.get("created_at")))
                 for m in messages or [] if isinstance(m, dict) and m.get("message_type") == "announcement"]
        self._announced = (time.monotonic(), found)
        return found

    def dismiss_announcement(self, announcement_id: str) -> None:
        """Yammer keeps no "dismissed" per person: dismissing is this computer's own."""

    def capabilities(self) -> Capabilities:
        """Yammer's private messages (direct_to_user_ids); no content warnings, nor shares Hallway
        can make; publish() names the person answered in Yammer's own mention markup; no read
        position to share and no live stream: polled."""
        return Capabilities(private_messages=True)

    def read_marker(self, feed: str) -> str | None:
        return None  # Yammer documents no read position Hallway could share with the web app

    def set_read_marker(self, feed: str, post_id: str) -> None:
        return None

    # ------------------------------------------------------------ writes

    def can_write(self) -> bool | None:
        return None  # the delegated token may post wherever the person may: the community decides

    def text_limit(self) -> int | None:
        return TEXT_LIMIT

    def write_refusal(self, into: str) -> str:
        return ""

    def publish(self, text: str, key: str, reply_to: str | None = None, warning: str = "") -> str:
        """A message in All Company, or a reply that names the person answered in Yammer's own
        mention markup (so they are notified). Never sent twice here: no idempotency key holds it."""
        data: dict[str, str] = {"body": self._with_mentions(text)}
        if reply_to:
            parent = self._yammer_get(f"/messages/{quote(reply_to)}.json")
            sender = parent.get("sender_id") if isinstance(parent, dict) else None
            if isinstance(sender, int) and sender != self._my_yammer() and f"[[user:{sender}]]" not in data["body"]:
                data["body"] = f"[[user:{sender}]] {data['body']}"
            data["replied_to_id"] = reply_to
        else:
            data["group_id"] = str(self._group("All Company"))
        return self._first_id(self._yammer_post("/messages.json", data))

    def message(self, handle: str, text: str, key: str) -> str:
        """A private message (``direct_to_user_ids``): only the colleague and the person see it."""
        number = self._yammer_id_of(handle)
        if not number:
            raise Refused(f"Viva Engage does not know @{handle}.", 404)
        return self._first_id(self._yammer_post("/messages.json", {"body": self._with_mentions(text),
                                                                   "direct_to_user_ids": str(number)}))

    def _with_mentions(self, text: str) -> str:
        """``@handle`` as Yammer's mention markup, for the colleagues it names (so they are told,
        as when one picks a name in Viva Engage's own box); any other @word stays a word."""
        def mention(found: re.Match[str]) -> str:
            number = self._yammer_id_of(found[1])
            return f"[[user:{number}]]" if number else found[0]
        return HANDLE.sub(mention, text)

    def _yammer_id_of(self, handle: str) -> int | None:
        """A colleague's Yammer id from their handle (their sign-in name's first part)."""
        if handle not in self._yammer_ids:
            domain = (self._me or self.me()).email.partition("@")[2]
            number: int | None = None
            if domain:
                try:
                    found = self._yammer_get("/users/by_email.json", {"email": f"{handle}@{domain}"})
                except Refused:
                    found = None
                first = found[0] if isinstance(found, list) and found else None
                number = int(first["id"]) if isinstance(first, dict) and isinstance(first.get("id"), int) else None
            self._yammer_ids[handle] = number
        return self._yammer_ids[handle]

    @staticmethod
    def _first_id(body: Any) -> str:
        messages = body.get("messages") if isinstance(body, dict) else None
        if not messages or not isinstance(messages[0], dict) or not messages[0].get("id"):
            raise BadAnswer("Viva Engage did not say which message it made.")
        return _str(messages[0]["id"])

    def find_post(self, text: str, reply_to: str | None, since: datetime) -> str | None:
        """The person's own messages since ``since``, compared as what ``publish`` sent: the words
        typed, mentions in Yammer's markup, and a reply's leading mention of the person answered."""
        wanted = " ".join(self._with_mentions(text).split())
        for message in self._own_messages(since):
            parsed = " ".join(_str((message.get("body") or {}).get("parsed")).split())
            if parsed != wanted and reply_to:
                parsed = re.sub(r"^\[\[user:\d+\]\]\s*", "", parsed, count=1)
            if parsed == wanted and (_str(message.get("replied_to_id")) or None) == reply_to:
                return _str(message.get("id"))
        return None

    def _own_messages(self, since: datetime) -> Iterator[dict[str, Any]]:
        older: str | None = None
        for _ in range(FIND_PAGES):
            params = {"limit": str(YAMMER_PAGE)} | ({"older_than": older} if older else {})
            body = self._yammer_get(f"/messages/from_user/{self._my_yammer()}.json", params)
            if not isinstance(body, dict):
                return
            messages = [m for m in body.get("messages") or [] if isinstance(m, dict)]
            yield from messages
            if not messages or not (body.get("meta") or {}).get("older_available") or \
                    _moment(messages[-1].get("created_at")) < since:
                return
            older = _str(messages[-1].get("id"))

    def react(self, post_id: str, key: str) -> str:
        """A like: liking twice is one like, so a retry is harmless."""
        self.pace()
        self.client.request("POST", f"{self.server}/api/v1/messages/liked_by/current.json",
                            params={"message_id": post_id}, auth=self.yammer)
        return post_id

    def share(self, post_id: str, key: str) -> str:
        raise Refused("Viva Engage has no share Hallway can make: share it in Viva Engage itself.")

    def liked_by(self, post_id: str) -> list[str]:
        body = self._yammer_get(f"/users/liked_message/{post_id}.json")
        users = body.get("users") if isinstance(body, dict) else body
        return [self._graph_id(u) for u in users or [] if isinstance(u, dict)]

    def share_office_days(self, days: Sequence[date]) -> None:
        raise Refused("On Viva Engage, office days are planned in Outlook (Settings > Calendar > Work hours and "
                      "location), where Hallway reads your own; colleagues' plans cannot be read there.")

    # ------------------------------------------------------------ check-ins

    def check_in(self, check_in: CheckIn, colleague: Colleague, key: str) -> str:
        """A reply in the office's thread for the day, in the lobby community; it names nobody."""
        day = check_in.at.date()
        thread = self._day_thread(check_in.place.name, day)
        text = presence_format.check_in_text(check_in, colleague, "", day, key)
        return self._first_id(self._yammer_post("/messages.json", {"body": text, "replied_to_id": str(thread)}))

    def _day_thread(self, office: str, day: date) -> int:
        with self._day_lock:
            known = self._day_threads.get((office, day))
            if known:
                return known
            for message, marked in self._lobby_marked(newer_than=None, pages=FIND_PAGES):
                if marked.kind == "day" and marked.office == office and marked.day == day \
                        and message.get("sender_id") == self._my_yammer():
                    self._day_threads[(office, day)] = int(message["id"])
                    return int(message["id"])
            made = self._first_id(self._yammer_post("/messages.json", {
                "body": presence_format.day_text(office, day), "group_id": str(self._group(self.lobby_community))}))
            self._day_threads[(office, day)] = int(made)
            return int(made)

    def _lobby_marked(self, newer_than: int | None, pages: int,
                      since: datetime | None = None) -> Iterator[tuple[dict[str, Any], presence_format.Marked]]:
        """The lobby community's messages with a ``hallway:`` line from a lobby account, newest first."""
        group = self._group(self.lobby_community)
        older: str | None = None
        for _ in range(pages):
            params: dict[str, Any] = {"limit": str(YAMMER_PAGE)}
            if newer_than:
                params["newer_than"] = str(newer_than)
            if older:
                params["older_than"] = older
            body = self._yammer_get(f"/messages/in_group/{group}.json", params)
            if not isinstance(body, dict):
                return
            users = self._users(body)
            messages = [m for m in body.get("messages") or [] if isinstance(m, dict) and isinstance(m.get("id"), int)]
            for message in messages:
                sender = self._sender(message, users)
                is_lobby = _str(sender.get("email")).split("@")[0].lower() in self.lobby_accounts or \
                    (self.is_lobby and message.get("sender_id") == self._my_yammer_id)
                marked = presence_format.read(_str((message.get("body") or {}).get("plain")))
                if marked is not None and is_lobby:
                    yield message, marked
            if not messages or not (body.get("meta") or {}).get("older_available"):
                return
            if since is not None and _moment(messages[-1].get("created_at")) < since:
                return
            older = _str(messages[-1]["id"])

    def find_check_in(self, check_in: CheckIn, colleague: Colleague, key: str) -> str | None:
        self._my_yammer()
        day = check_in.at.date()
        for message, marked in self._lobby_marked(None, FIND_PAGES, since=check_in.at - timedelta(minutes=10)):
            same = marked.key == presence_format.write_key(key) if marked.key else marked.at in (None, check_in.at)
            if marked.kind == "in" and same and (marked.account, marked.office, marked.day) == (
                    colleague.id, check_in.place.name, day):
                return _str(message.get("id"))
        return None

    def in_office(self, day: date) -> list[Presence]:
        """Kiosk check-ins from the lobby community (only what is new after the first read), and
        everyone whose Microsoft 365 work location today says office."""
        self._my_yammer()
        newest, seen = self._presence_read.get(day, (0, {}))
        start = datetime.combine(day, datetime.min.time(), tzinfo=UTC) - timedelta(hours=15)
        top = newest
        for message, marked in self._lobby_marked(newest or None, 200, since=start):
            top = max(top, int(message["id"]))
            if marked.kind == "in" and marked.day == day:
                fresh = presence_format.presence(marked, _moment(message.get("created_at")))
                if marked.account not in seen or fresh.at < seen[marked.account].at:
                    seen[marked.account] = fresh
        self._presence_read[day] = (top, seen)
        if self.work_location and day == date.today() and self._me and self._me.id in seen:
            self._set_work_location(day)
        found = dict(seen)
        if day == date.today():
            for person, place in self._in_the_office_today():
                found.setdefault(person, Presence(person, Place(place), datetime.now(UTC), day=day))
        return list(found.values())

    def _set_work_location(self, day: date) -> None:
        """The person checked in at the kiosk today and said yes: Teams and Outlook show them in
        the office (``setManualLocation`` is for oneself only, so the laptop does it, once a day)."""
        if self._location_set == day:
            return
        try:
            self.client.request("POST", f"{self.graph}/v1.0/me/presence/setManualLocation",
                                json={"workLocationType": "office", "placeId": None}, auth=self.signin)
        except Refused as refused:
            log.warning("could not set the work location to the office: %s", refused.message)
            self.notes.say(NoteKind.WORK_LOCATION, "setting your work location: IT grants Presence.ReadWrite to "
                                                   "Hallway's app in Microsoft Entra ID")
        self._location_set = day

    def _in_the_office_today(self) -> list[tuple[str, str]]:
        """People whose work location today says office (Graph presence; needs Presence.Read.All)."""
        if NoteKind.WHO_IS_IN in self.notes:
            return []
        found: list[tuple[str, str]] = []
        for start in range(0, len(self._people_ids), PRESENCE_IDS):
            try:
                answer = self.client.request("POST", f"{self.graph}/v1.0/communications/getPresencesByUserId",
                                             json={"ids": self._people_ids[start:start + PRESENCE_IDS]},
                                             auth=self.signin).json()
            except Refused as refused:
                if refused.status == 403:
                    self.notes.say(NoteKind.WHO_IS_IN, "who is in by work location: IT grants Presence.Read.All "
                                                       "(admin consent) to Hallway's app in Microsoft Entra ID")
                    return []
                raise
            for item in answer.get("value") or [] if isinstance(answer, dict) else []:
                where = item.get("workLocation") if isinstance(item, dict) else None
                if isinstance(where, dict) and where.get("workLocationType") == "office":
                    person = _str(item.get("id"))
                    found.append((person, self._offices.get(person, "")))
        return found

    def check_ins(self, since: date) -> Iterator[Presence]:
        self._my_yammer()
        start = datetime.combine(since, datetime.min.time(), tzinfo=UTC) - timedelta(hours=15)
        seen: set[tuple[str, date]] = set()
        for message, marked in self._lobby_marked(None, 1_000_000, since=start):
            if marked.kind == "in" and marked.day >= since and (marked.account, marked.day) not in seen:
                seen.add((marked.account, marked.day))
                yield presence_format.presence(marked, _moment(message.get("created_at")))

    # ------------------------------------------------------------ live, set-up

    def stream(self, stop: threading.Event) -> Iterator[StreamEvent]:
        raise Refused("Viva Engage has no live stream for apps: Hallway checks for news every few minutes.")

    def set_up(self, kiosk: bool) -> list[SetUpLine]:
        lines: list[SetUpLine] = []
        granted = self.signin.credentials.granted
        for permission, words in (("User.Read.All", "job titles, departments and offices"),
                                  ("Presence.Read.All", "who is in by Microsoft 365 work location")):
            if granted and permission not in granted:
                lines.append(SetUpLine.worth_knowing(f"{words}: IT grants {permission} (admin consent) to "
                                                     "Hallway's app in Microsoft Entra ID"))
        try:
            self._my_yammer()
            lines.append(SetUpLine.fine(f"Yammer token: accepted (scope {self.yammer_scope or YAMMER_SCOPES[0]})"))
        except Refused as refused:
            lines.append(SetUpLine.wrong(f"Yammer: {refused.message}"))
        for name in ("All Company", self.lobby_community, *self.communities):
            present = name.casefold() in self._groups_by_name()
            status = (SetUp.FINE if present else
                      SetUp.WORTH_KNOWING if not kiosk and name == self.lobby_community else SetUp.WRONG)
            lines.append(SetUpLine(status, f"community {name!r}: "
                                           f"{'found' if present else 'not found (IT creates it, docs/admin.md)'}"))
        for guess in UNVERIFIED:
            lines.append(SetUpLine.worth_knowing(f"never verified against a real tenant: {guess}"))
        return lines


def build(config: Config, signin: SignIn, kiosk: bool, client: HttpClient | None) -> VivaEngageNetwork:
    return VivaEngageNetwork(config["network.server"] or "https://www.yammer.com", signin, client,
                             graph=config["viva_engage.graph"], communities=config.listed("viva_engage.communities"),
                             lobby_community=config["viva_engage.lobby_community"],
                             lobby_accounts=config.listed("network.lobby_accounts"), is_lobby=kiosk,
                             work_location=config["viva_engage.work_location"])


def probe(server: str, client: HttpClient) -> str:
    """Yammer answers a request without a token with its own 401 body: reachable, and Yammer."""
    from hallway.http import Unauthorized

    try:
        client.request("GET", f"{server.rstrip('/')}/api/v1/networks/current.json", conditional=False)
    except Unauthorized:
        return "Viva Engage (Yammer API v1)"
    except Refused as refused:
        return f"Viva Engage (Yammer API v1, HTTP {refused.status})"
    return "Viva Engage (Yammer API v1)"
