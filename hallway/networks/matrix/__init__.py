"""The Matrix client-server API (Synapse, Conduit, ...) in Hallway's words.

- The organisation is the membership of one room (``#everyone`` by default); profile facts are
  MSC4133 extended profile fields (``com.hallway.title``, ...: keys IT can rename), read from
  ``GET /profile/{userId}``. People without them appear with what they have.
- The feed is the messages of that room, announcements those of ``#announcements``, and a
  check-in is a message in ``#lobby`` carrying ``com.hallway.check_in``. Post ids are event ids;
  a post's position is its server timestamp.
- Notices are ``/notifications`` (what the server's push rules highlighted: mentions).
- The stream is ``/sync`` long-polling with a filter, so only the rooms and events Hallway shows
  come down.
- Writes are PUTs with a transaction id (the outbox's key), which the server makes idempotent.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time as time_module
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import quote

import requests

from hallway.celebrations import birthday, wants_celebrating
from hallway.config import Config
from hallway.deadline import WATCHDOG, Deadline
from hallway.http import (
    MAX_ANSWER_BYTES,
    Answer,
    BadAnswer,
    HttpClient,
    HttpError,
    Offline,
    RateLimited,
    Refused,
    Unauthorized,
    read_capped,
)
from hallway.model import (
    COMPANY_FEED,
    HOME_FEED,
    Announcement,
    CheckIn,
    Colleague,
    Edit,
    FeedPage,
    FeedRef,
    Notice,
    NoticeKind,
    Post,
    Presence,
    Reactions,
)
from hallway.networks import (
    Capabilities,
    DirectoryPass,
    FieldNames,
    NoteKind,
    ServerNotes,
    SetUpLine,
    StreamEvent,
    check_photo_host,
    sort_key,
)
from hallway.networks.matrix.events import (
    CHECK_IN,
    answers,
    as_date,
    as_text,
    check_in_of,
    content_of,
    moment,
    relation_of,
    shown,
    with_reactions,
)
from hallway.office_week import MOST_DAYS, read_days
from hallway.signin.credentials import SignIn
from hallway.text import cap, clean, email_address, to_safe_html, to_text

API = "/_matrix/client/v3"
PHOTO_MAX_BYTES = 5 * 1024 * 1024
DIRECTORY_PAGE = 50
PROFILE_REQUESTS_AT_ONCE = 6  # under requests' pool of 10 connections per host
SERVICE = "com.hallway.service"  # profile field: true on service accounts (the lobby), not colleagues
DISMISSED = "com.hallway.dismissed_announcements"  # account data: announcements this person closed
SYNC_TIMEOUT_MS = 30_000
NOTICE_PAGES = 50
PROFILE_PATIENCE = 20  # a profile rate-limited this many times in a row is left for the next pass
PROFILE_BUDGET_S = 20.0  # a directory pass waits out the profile rate limit this long, then goes on
PROFILE_FRESH_DAYS = 7  # profile fields reach no room state: each is asked again after 7 to 13 days
FACTS = "com.hallway.profile"  # state event in the company room, keyed by user id: IT's or the person's facts
FACTS_SAMPLE = 12  # profiles asked first where nothing says facts exist: none with facts, no more asked today
FIND_PAGES = 10  # the company room's last 1,000 messages, looked through before a late resend
OFFICE_DAYS = "com.hallway.office_days"  # state event in the company room, keyed by user id: {"days": [ISO dates]}
STATE_MAX_BYTES = 64 * 1024 * 1024  # the company room's state: about 1 KB a member with their facts
PROFILE_FIELDS_WORDS = ("This server keeps no extended profile fields (MSC4133) and the company room holds no "
                        f"{FACTS} state, so titles, teams, offices and hobbies are empty. Either fill {FACTS} "
                        "state events in the company room (docs/admin.md), or update the server: Synapse "
                        "1.163 and later keep profile fields by default; older ones switch them on with "
                        "experimental_features: msc4133_enabled: true.")
NO_FACTS_YET_WORDS = (f"Nobody's profile holds Hallway's fields yet (titles, teams, offices, hobbies), so they are "
                      f"empty and no profile is read one by one. Fill {FACTS} state events in the company room "
                      "(one request for everyone) or people's profile fields (docs/admin.md): Hallway looks at a "
                      "dozen profiles each day and picks the facts up within a day.")
ENCRYPTION_CHECK_S = 600.0  # a room found unencrypted is asked again this often (a room never goes back)
# Why Hallway does not write where people were promised end-to-end encryption: it would be plain
# text, readable by the server, in a room its members believe is private (an end-to-end library
# would need device keys and verification Hallway does not have).
NOT_IN_PLAIN_TEXT = {
    "feed": "The company room is end-to-end encrypted. Hallway cannot write there without breaking that "
            "encryption, so it does not: write in a Matrix app such as Element.",
    "check-ins": "The lobby room is end-to-end encrypted. The kiosk cannot share check-ins there without "
                 "breaking that encryption, so check-ins stay on the kiosk: IT gives the kiosk a lobby room "
                 "that is not encrypted (docs/admin.md).",
}
WRITES_INTO = {"feed": "everyone", "check-ins": "lobby"}
ENCRYPTED_WORDS = ("Some messages in the company room are end-to-end encrypted, and Hallway cannot read "
                   "those: it shows the others. Read them in a Matrix app such as Element.")
EVERYONE_FEEDS: tuple[FeedRef, ...] = (HOME_FEED, COMPANY_FEED)  # both the everyone room: no follows on Matrix
EVERYONE_KEYS = tuple(feed.key for feed in EVERYONE_FEEDS)
FIELDS = FieldNames(title="com.hallway.title", team="com.hallway.team", office="com.hallway.office",
                    hobbies="com.hallway.hobbies", ask_me_about="com.hallway.ask_me_about",
                    pronouns="com.hallway.pronouns", started="com.hallway.started",
                    email="com.hallway.email", office_days=OFFICE_DAYS, birthday="com.hallway.birthday",
                    celebrate="com.hallway.celebrate")


def _link(*parts: str) -> str:
    """A matrix.to link (a person, or a message in a room): it opens in whatever Matrix client one uses."""
    return "https://matrix.to/#/" + "/".join(quote(part) for part in parts)


def _has_facts(colleague: Colleague) -> bool:
    """Whether a stored profile holds any of the facts Hallway shows."""
    return bool(colleague.title or colleague.team or colleague.office or colleague.hobbies
                or colleague.ask_me_about or colleague.pronouns)


def _asked_on(version: str) -> int:
    """The day (ordinal) a profile's fields were last read, from a version "m=... p=DAY"; 0 if never."""
    for part in version.split():
        if part.startswith("p=") and part[2:].isdigit():
            return int(part[2:])
    return 0


def _still_fresh(version: str, member_id: str, user_id: str, today: int) -> bool:
    """Whether a stored profile needs no request: same member event (no join, name or photo
    change since) and its fields read less than 7 to 13 days ago, spread by person so a whole
    company read on one day is not all asked again on one day."""
    asked = _asked_on(version)
    spread = zlib.crc32(user_id.encode()) % PROFILE_FRESH_DAYS
    return f"m={member_id}" in version.split() and asked > 0 and today - asked < PROFILE_FRESH_DAYS + spread


class MatrixNetwork:
    """One signed-in connection to a Matrix homeserver."""
    photos_move = True  # a new photo comes at a new address (hallway.networks.Network)

    kind = "matrix"
    stream_feeds: tuple[FeedRef, ...] = EVERYONE_FEEDS
    feeds_apart = False

    def __init__(self, server: str, signin: SignIn | str, client: HttpClient | None = None,
                 fields: FieldNames | None = None, rooms: Mapping[str, str] | None = None,
                 lobby_accounts: tuple[str, ...] = ("lobby",)) -> None:
        self.server = server.rstrip("/")
        self.lobby_accounts = lobby_accounts  # service accounts, known by name where no profile says so
        self.client = client or HttpClient()
        self.fields = fields or FIELDS
        self.rooms = {"everyone": "#everyone", "announcements": "#announcements", "lobby": "#lobby",
                      **(rooms or {})}
        self.signin = signin if isinstance(signin, SignIn) else SignIn(signin)  # refreshed where tokens expire
        self._user_id = ""
        # Names and photos of the people met so far (members lists, pages, the stream's state),
        # so a message that arrives live says who wrote it, not a raw id.
        self._members: dict[str, dict[str, Any]] = {}
        self.notes = ServerNotes()  # what this server's rooms keep from Hallway, in words
        self._extended: bool | None = None
        self._room_ids: dict[str, str] = {}
        self._poll: Deadline | None = None  # the open long poll's deadline, which close_stream brings forward
        self._since: str | None = None
        self._names: dict[str, str] = {}  # user id -> display name, for notices
        self._closing = threading.Event()  # the app is quitting: no more waiting out rate limits
        self._profiles_limited = False  # the server rate-limited a profile request this pass
        self._one_profile_at_a_time = threading.Lock()
        self.backfill_posts = 200  # five pages
        # A transaction id holds only under the access token that sent it, and IT may replace the
        # kiosk's token at any time: a retried write is always looked for first.
        self.keys_kept_s = 0.0
        self._notice_rooms: dict[str, str] = {}  # a mention's event id -> its room, for its read receipt
        self._plans: dict[str, tuple[date, ...]] = {}  # user id -> the office days they shared
        self._encrypted: dict[str, tuple[bool, float]] = {}  # room name -> (encrypted, when asked)
        self._sampled: tuple[int, bool] | None = None  # (day, whether any sampled profile held facts)
        self._facts_appeared_on = 0  # the day a sample found facts where none were known: re-read those
        self.today: Callable[[], date] = date.today  # which day it is (profile freshness, the daily sample)

    # ------------------------------------------------------------ plumbing

    def _url(self, path: str) -> str:
        return f"{self.server}{API}{path}"

    def _get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        body, _ = self.client.get_json(self._url(path), params=params, auth=self.signin)
        if not isinstance(body, dict):
            raise BadAnswer("The server sent something other than a JSON object.")
        return body

    def _put(self, path: str, body: Mapping[str, Any]) -> Any:
        return self.client.request("PUT", self._url(path), json=body, auth=self.signin).json()

    def _post(self, path: str, body: Mapping[str, Any]) -> Any:
        return self.client.request("POST", self._url(path), json=body, auth=self.signin).json()

    def _whoami(self) -> str:
        if not self._user_id:
            self._user_id = as_text(self._get("/account/whoami").get("user_id"))
            if not self._user_id:
                raise BadAnswer("The server did not say who is signed in.")
        return self._user_id

    def room(self, name: str) -> str:
        """The room id behind one of Hallway's rooms ("everyone", ...), from its alias, once."""
        if name not in self._room_ids:
            alias = self.rooms[name].strip()
            if alias.startswith("!"):
                self._room_ids[name] = alias
            else:
                alias = alias if alias.startswith("#") else f"#{alias}"  # "staff" is what IT meant by #staff
                if ":" not in alias:
                    alias = f"{alias}:{self._whoami().split(':', 1)[1]}"
                found = as_text(self._get(f"/directory/room/{quote(alias)}").get("room_id"))
                if not found:
                    raise BadAnswer(f"The room {alias} has no id.")
                self._room_ids[name] = found
        return self._room_ids[name]

    # ------------------------------------------------------------ people

    def colleague(self, user_id: str, profile: Mapping[str, Any], version: str = "") -> Colleague:
        names = self.fields

        def fact(key: str, limit: int = 500) -> str:
            return to_text(as_text(profile.get(key)), limit)

        hobbies = tuple(h.strip() for h in re.split(r"[,;·•]|\band\b", fact(names.hobbies)) if h.strip())
        name = cap(clean(as_text(profile.get("displayname"))).strip(), 200) or user_id.split(":")[0].lstrip("@")
        return Colleague(
            id=user_id, name=name, handle=user_id.lstrip("@"),  # the apps write the @, as for Mastodon's acct
            pronouns=fact(names.pronouns, 40), title=fact(names.title),
            team=fact(names.team), office=fact(names.office), hobbies=hobbies[:10],
            ask_me_about=fact(names.ask_me_about), started_on=as_date(fact(names.started)),
            photo_url=self._media_url(as_text(profile.get("avatar_url"))),
            profile_url=_link(user_id), version=version, email=email_address(fact(names.email, 320)),
            birthday=birthday(fact(names.birthday, 40)), celebrate=wants_celebrating(fact(names.celebrate, 20)),
        )

    def _media_url(self, mxc: str) -> str:
        """Authenticated media (Matrix 1.11): mxc://server/id -> the download URL on this server."""
        match = re.fullmatch(r"mxc://([\w.:\-\[\]]+)/([\w\-]+)", mxc)
        return f"{self.server}/_matrix/client/v1/media/download/{match[1]}/{match[2]}" if match else ""

    def extended_profiles(self) -> bool:
        """Whether the server keeps extended profile fields (MSC4133, stable in Matrix 1.16)."""
        if self._extended is None:
            versions = self.client.request("GET", f"{self.server}/_matrix/client/versions").json()
            spoken = versions.get("versions") if isinstance(versions, dict) else None
            unstable = versions.get("unstable_features") if isinstance(versions, dict) else None
            self._extended = (isinstance(spoken, list) and "v1.16" in spoken) or (
                isinstance(unstable, dict) and bool(unstable.get("uk.tcpip.msc4133.stable")
                                                    or unstable.get("uk.tcpip.msc4133")))
        return self._extended

    def _profile(self, user_id: str, deadline: float | None = None) -> dict[str, Any] | None:
        """The person's profile ({} when they have none). None when the server's profile rate limit
        (Synapse's rc_profile: one a second after a burst of 500) would keep this pass past
        ``deadline``: the person is asked again at the next pass, and the pass goes on."""
        for _ in range(PROFILE_PATIENCE):
            if (deadline is not None and time_module.monotonic() > deadline) or self._closing.is_set():
                return None
            try:
                if self._profiles_limited:  # once the server says "slow down", one request at a time
                    with self._one_profile_at_a_time:
                        return dict(self._get(f"/profile/{quote(user_id)}"))
                return dict(self._get(f"/profile/{quote(user_id)}"))
            except Refused:  # no profile (404): the person still appears, named by their id's localpart
                return {}
            except RateLimited as slow:  # default limits: wait as asked, within the pass's budget
                self._profiles_limited = True
                wait = min(slow.retry_after_s, 30.0)
                if deadline is not None and time_module.monotonic() + wait > deadline:
                    return None
                self._closing.wait(wait)
        return None

    def _name(self, user_id: str) -> str:
        """A notice's sender by name (notifications carry only the id); remembered, as the same few
        people mention one most."""
        known = cap(clean(as_text(self._members.get(user_id, {}).get("displayname"))), 200)
        if known:
            return known
        if user_id not in self._names:
            if len(self._names) > 1000:
                self._names.clear()
            try:
                name = cap(clean(as_text(self._get(f"/profile/{quote(user_id)}/displayname").get("displayname"))), 200)
            except Refused:
                name = ""
            self._names[user_id] = name or user_id
        return self._names[user_id]

    def me(self) -> Colleague:
        user_id = self._whoami()
        return self.colleague(user_id, self._profile(user_id) or {})

    def _everyone_state(self) -> tuple[dict[str, tuple[str, dict[str, Any]]], dict[str, tuple[str, dict[str, Any]]]]:
        """The everyone room's state in one request: its joined members (event id, content) and
        the profile facts kept as ``com.hallway.profile`` state, both by user id; the office days
        people shared (``com.hallway.office_days``) are kept in ``self._plans``."""
        events = self.client.get_json(self._url(f"/rooms/{quote(self.room('everyone'))}/state"),
                                      auth=self.signin, max_bytes=STATE_MAX_BYTES)[0]
        if not isinstance(events, list):
            raise BadAnswer("The server did not send the company room's state.")
        members: dict[str, tuple[str, dict[str, Any]]] = {}
        facts: dict[str, tuple[str, dict[str, Any]]] = {}
        for event in events:
            key = event.get("state_key") if isinstance(event, dict) else None
            if not isinstance(key, str) or not key.startswith("@"):
                continue
            content = content_of(event)
            if event.get("type") == "m.room.member" and content.get("membership") == "join":
                members[key] = (as_text(event.get("event_id")), content)
            elif event.get("type") == FACTS and content:
                # A state key that is a user id can only be sent by that user (the room's auth
                # rules), so nobody writes someone else's facts.
                facts[key] = (as_text(event.get("event_id")), content)
            elif event.get("type") == OFFICE_DAYS and isinstance(content.get("days"), list):
                self._plans[key] = read_days(", ".join(d for d in content["days"][:MOST_DAYS] if isinstance(d, str)))
        return members, facts

    def directory(self, known: Mapping[str, Colleague] | None = None, since: str = "") -> DirectoryPass:
        """Every pass lists everyone (no ``since``); see ``_people``."""
        return DirectoryPass.reading(lambda found: self._people(known or {}, found))

    def _people(self, known: Mapping[str, Colleague], found: DirectoryPass) -> Iterator[list[Colleague]]:  # noqa: C901
        """Everyone in the company room. Names and photos come with the room's state (one request
        for the whole company), and so do facts kept as ``com.hallway.profile`` state. Facts kept
        only in profile fields (MSC4133) cost a request per person, under the server's profile
        rate limit: those are asked only for people new or changed since ``known`` (what the
        store holds, with each person's ``version``) or not asked for a week, within
        PROFILE_BUDGET_S a pass; whoever is left waits for the next pass (``found.complete``)."""
        members, facts = self._everyone_state()
        for user, (_, member) in members.items():
            self._members[user] = {"displayname": member.get("displayname"), "avatar_url": member.get("avatar_url")}
        extended = self.extended_profiles()
        colleagues_with_facts = sum(content.get(SERVICE) is not True for _, content in facts.values())
        today = self.today().toordinal()
        # Synapse advertises profile fields whether or not anyone fills them: a dozen profiles say
        # first whether reading 2,000 is worth it. None with facts: none more asked today, and
        # tomorrow's dozen pick up what IT fills in after roll-out; some with facts: whoever was
        # read without any is read again now, not when their week is up.
        sampled = None  # False: no profile holds facts, as far as anyone can tell today
        unread = False  # the server's profile limit kept the sample unread: none more asked this pass
        if extended and not colleagues_with_facts:
            factless = [u for u in members if u not in facts and not (u in known and _has_facts(known[u]))]
            held = self._sample_facts(factless, today)
            sampled = None if held is None else held or any(_has_facts(c) for c in known.values())
            unread = held is None
        found.facts_from = self._say_where_facts_come_from(extended, colleagues_with_facts, sampled)
        found.people_from = f"the members of {self.rooms['everyone']} ({len(members)})"
        ready: list[Colleague] = []
        to_ask: list[tuple[str, str, Colleague | None]] = []
        for user, (member_id, member) in members.items():
            if user.split(":")[0].lstrip("@") in self.lobby_accounts:
                continue
            names = {"displayname": member.get("displayname"), "avatar_url": member.get("avatar_url")}
            if user in facts:
                facts_id, content = facts[user]
                if content.get(SERVICE) is not True:
                    ready.append(self.colleague(user, {**content, **names}, f"m={member_id} f={facts_id}"))
            elif not extended:
                ready.append(self.colleague(user, names, f"m={member_id}"))
            elif sampled is False or unread:  # none hold facts today, or the limit is spent: what was read stays
                old = known.get(user)
                ready.append(old if old is not None and _asked_on(old.version) else
                             self.colleague(user, names, f"m={member_id}"))
                found.complete = found.complete and not unread  # asked again soon, sample first
            elif (old := known.get(user)) is not None and _still_fresh(old.version, member_id, user, today) \
                    and not (_asked_on(old.version) < self._facts_appeared_on and not _has_facts(old)):
                ready.append(old)
            else:
                to_ask.append((user, member_id, known.get(user)))
        for start in range(0, len(ready), DIRECTORY_PAGE):
            yield self._with_plans(ready[start:start + DIRECTORY_PAGE])
        # Never asked first, then the stalest: a person with no facts yet gains most.
        to_ask.sort(key=lambda item: (item[2] is not None, _asked_on(item[2].version if item[2] else "")))
        deadline = time_module.monotonic() + PROFILE_BUDGET_S
        self._profiles_limited = False
        with ThreadPoolExecutor(PROFILE_REQUESTS_AT_ONCE, "matrix-profiles") as pool:
            for start in range(0, len(to_ask), DIRECTORY_PAGE):
                page = to_ask[start:start + DIRECTORY_PAGE]
                profiles = pool.map(lambda user: self._profile(user, deadline), [user for user, _, _ in page])
                people: list[Colleague] = []
                for (user, member_id, old), profile in zip(page, profiles, strict=True):
                    if profile is None:  # the profile limit ran out for this pass: what is known stands
                        found.complete = False
                        people.append(old or self.colleague(user, self._members.get(user, {}), f"m={member_id}"))
                    elif profile.get(SERVICE) is not True:
                        people.append(self.colleague(user, {**self._members.get(user, {}), **profile},
                                                     f"m={member_id} p={today}"))
                yield self._with_plans(people)

    def _sample_facts(self, factless: list[str], today: int) -> bool | None:
        """Whether any of a day's dozen profiles of people with no known facts (a different dozen
        each day) holds one of Hallway's fields; asked once a day. A find means IT has been filling
        them in: everyone read without facts before today is read again now (``_facts_appeared_on``).
        None when the server's rate limit kept some of the dozen unread: nothing is concluded."""
        if self._sampled is not None and self._sampled[0] == today:
            return self._sampled[1]
        order = sorted(factless, key=lambda user: zlib.crc32(f"{user} {today}".encode()))[:FACTS_SAMPLE]
        wanted = {getattr(self.fields, name) for name in FieldNames.__dataclass_fields__}
        with ThreadPoolExecutor(PROFILE_REQUESTS_AT_ONCE, "matrix-sample") as pool:
            profiles = list(pool.map(lambda user: self._profile(user, time_module.monotonic() + PROFILE_BUDGET_S),
                                     order))
        found = any(any(str(v).strip() for k, v in (p or {}).items() if k in wanted) for p in profiles)
        if not found and any(p is None for p in profiles):
            return None  # not read, not empty: no more profiles this pass, and the next pass asks again
        self._sampled = (today, found)
        if found:
            self._facts_appeared_on = today
        return found

    def _with_plans(self, people: list[Colleague]) -> list[Colleague]:
        """Plans change without the profile changing: they come from this pass's room state."""
        return [replace(c, office_days=self._plans.get(c.id, ())) for c in people]

    def share_office_days(self, days: Sequence[date]) -> None:
        """A ``com.hallway.office_days`` state event in the company room, state key the person's
        own user id (the room's auth rules let only them write it); IT lets members send it
        (power level 0 for the event type, docs/admin.md)."""
        content = {"days": [day.isoformat() for day in sorted(set(days))]}
        try:
            self._put(f"/rooms/{quote(self.room('everyone'))}/state/{OFFICE_DAYS}/{quote(self._whoami())}", content)
        except Refused as refused:
            if refused.status == 403:
                raise Refused(f"The company room does not let members share office days: IT needs to set power "
                              f"level 0 for {OFFICE_DAYS} (docs/admin.md).", 403) from None
            raise

    def _say_where_facts_come_from(self, extended: bool, kept_in_state: int, sampled: bool | None) -> str:
        """Where the facts come from, in words; what is missing, in the server's notes."""
        if sampled is False:  # profile fields kept, and none of a dozen holds facts
            self.notes.say(NoteKind.PROFILE_FACTS, NO_FACTS_YET_WORDS)
            return (f"nowhere yet: none of {FACTS_SAMPLE} profiles asked today holds Hallway's fields, so "
                    "no more are asked (names and photos only); a dozen more are asked tomorrow")
        if extended or kept_in_state:
            self.notes.clear(NoteKind.PROFILE_FACTS)
        else:  # the facts a profile would hold are said to be missing, not silently empty
            self.notes.say(NoteKind.PROFILE_FACTS, PROFILE_FIELDS_WORDS)
        sources = []
        if kept_in_state:
            sources.append(f"{FACTS} state in the company room ({kept_in_state} people, one request for all)")
        if extended:
            sources.append("profile fields (MSC4133; one request a person, under the server's rc_profile limit)")
        return " and ".join(sources) or "nowhere: names and photos only"

    def set_up(self, kiosk: bool) -> list[SetUpLine]:
        """The rooms (there, joined, encrypted or not), profile fields, the kiosk's service flag and
        its message limit, as docs/admin.md asks a Synapse admin to set them."""
        lines: list[SetUpLine] = []
        joined = self._get("/joined_rooms").get("joined_rooms")
        joined = set(joined) if isinstance(joined, list) else set()
        for name, alias in self.rooms.items():
            try:
                room = self.room(name)
            except Refused:
                lines.append(SetUpLine.wrong(f"the room {alias} does not exist on this server: create it "
                                             "(docs/admin.md)"))
                continue
            if room not in joined:
                lines.append(SetUpLine.wrong(f"this account is not a member of {alias}: join it "
                                             "(POST /_synapse/admin/v1/join/<room>)"))
                continue
            try:
                self._get(f"/rooms/{quote(room)}/state/m.room.encryption/")
                lines.append(SetUpLine.worth_knowing(f"{alias} is end-to-end encrypted: Hallway shows only the "
                                                     "messages sent in plain text there, and writes nothing there "
                                                     "(docs/admin.md)"))
            except Refused:  # 404: not encrypted
                lines.append(SetUpLine.fine(f"{alias}: joined, not encrypted"))
        capabilities = self._get("/capabilities").get("capabilities")
        fields = capabilities.get("m.profile_fields") if isinstance(capabilities, dict) else None
        switched_off = isinstance(fields, dict) and fields.get("enabled") is False
        lines.append(SetUpLine.worth_knowing("profile fields (MSC4133): " + (
            "kept by this server" if self.extended_profiles() and not switched_off else
            f"not kept by this server; profile facts need {FACTS} state (docs/admin.md)")))
        if kiosk:
            me = self._whoami()
            _, facts = self._everyone_state() if self._room_ids.get("everyone") in joined else ({}, {})
            profile = facts.get(me, ("", {}))[1] or (self._profile(me) or {})
            if profile.get(SERVICE) is True:
                lines.append(SetUpLine.fine(f"{me} is marked as a service ({SERVICE}), so it is nobody's colleague"))
            elif me.split(":")[0].lstrip("@") in self.lobby_accounts:
                lines.append(SetUpLine.worth_knowing(f"{me} is known as the lobby by name (network.lobby_accounts); "
                                                     f"mark it with {SERVICE}: true (docs/admin.md)"))
            else:
                lines.append(SetUpLine.wrong(f"{me} is not marked as a service: it would be someone's colleague of "
                                             f"the day; set {SERVICE}: true in its {FACTS} state or profile "
                                             "(docs/admin.md)"))
            lines.append(SetUpLine.worth_knowing("check-ins are messages: under Synapse's default rc_message the "
                                                 "kiosk sends 10 at once, then one every 5 s, and queues the rest; "
                                                 "an admin lifts it with override_ratelimit (docs/admin.md)"))
        return lines

    # ------------------------------------------------------------ posts

    def post(self, event: Mapping[str, Any], names: Mapping[str, Mapping[str, Any]] | None = None) -> Post | None:
        content = shown(event)
        if event.get("type") != "m.room.message" or content is None or not as_text(content.get("body")).strip():
            return None  # other events, edits, and messages with nothing to read are not posts
        sender = as_text(event.get("sender"))
        member = (names or {}).get(sender) or self._members.get(sender) or {}
        html = as_text(content.get("formatted_body")) if content.get("format") == "org.matrix.custom.html" else ""
        body = as_text(content.get("body"))
        mentions = content.get("m.mentions") if isinstance(content.get("m.mentions"), dict) else {}
        me = self._user_id
        mentions_me = bool(me) and (me in (mentions or {}).get("user_ids", []) or me in body)
        ms = event.get("origin_server_ts")
        return Post(
            id=as_text(event.get("event_id")), reply_to_id=answers(content),
            in_thread=relation_of(content)[0] == "m.thread",
            position=sort_key(ms if isinstance(ms, int) and not isinstance(ms, bool) else 0),
            author_id=sender, author_name=cap(clean(as_text(member.get("displayname"))), 200) or sender,
            author_handle=sender.lstrip("@"), author_photo_url=self._media_url(as_text(member.get("avatar_url"))),
            text=to_text(html, 20_000) if html else cap(clean(body), 20_000),
            html=to_safe_html(html, 20_000) if html else to_safe_html(_escape(body), 20_000),
            created_at=moment(ms), url=_link(as_text(event.get("room_id")), as_text(event.get("event_id"))),
            mentions_me=mentions_me,
            mentioned=tuple(u for u in (mentions or {}).get("user_ids", []) if isinstance(u, str))[:50],
        )

    def _page(self, room: str, token: str | None, direction: str,
              limit: int) -> tuple[list[dict[str, Any]], dict[str, Any], str | None]:
        """A batch of a room's messages, the senders' member events (names, photos) and the next token."""
        params: dict[str, Any] = {"dir": direction, "limit": limit,
                                  "filter": json.dumps({"types": ["m.room.message", "m.room.encrypted",
                                                                  "m.room.redaction", "m.reaction"],
                                                        "lazy_load_members": True})}
        if token:
            params["from"] = token
        body = self._get(f"/rooms/{quote(room)}/messages", params)
        chunk = body.get("chunk") if isinstance(body.get("chunk"), list) else []
        names = {as_text(m.get("state_key")): m.get("content") for m in body.get("state") or []
                 if isinstance(m, dict) and m.get("type") == "m.room.member" and isinstance(m.get("content"), dict)}
        events = [dict(e, room_id=room) for e in chunk if isinstance(e, dict)]
        self._members.update({user: dict(content) for user, content in names.items() if isinstance(content, dict)})
        return events, names, as_text(body.get("end")) or None

    def _around(self, room: str, event_id: str) -> tuple[str | None, str | None]:
        """The pagination tokens just before and just after an event (``/context``)."""
        body = self._get(f"/rooms/{quote(room)}/context/{quote(event_id)}", {"limit": 0})
        return as_text(body.get("start")) or None, as_text(body.get("end")) or None

    def feed_of(self, setting: str) -> FeedRef:
        """Every feed is the company room (a hashtag names no room of its own)."""
        return FeedRef.of(setting)

    def feeds(self) -> list[FeedRef]:
        """None: Hallway reads the company room, and a room of one's own is not a feed here."""
        return []

    def feed(self, feed: FeedRef, *, newer_than: str | None = None, older_than: str | None = None,
             limit: int = 40) -> FeedPage:
        self._whoami()
        room = self.room("everyone")
        direction = "f" if newer_than else "b"
        if newer_than:
            token = self._around(room, newer_than)[1]
        else:
            token = self._around(room, older_than)[0] if older_than else None
        found: list[Post] = []
        removed: list[str] = []
        reactions: list[dict[str, Any]] = []
        edits: list[dict[str, Any]] = []
        last_seen = newer_than  # going forward: the newest event read, posts or not
        more = True
        for _ in range(10):  # events that are not posts (reactions, edits, odd ones) leave gaps: fill the page
            events, names, token = self._page(room, token, direction, limit)
            found += [p for p in (self.post(e, names) for e in events) if p and p.id]
            removed += [as_text(e.get("redacts")) or as_text(content_of(e).get("redacts")) for e in events
                        if e.get("type") == "m.room.redaction"]
            reactions += [e for e in events if e.get("type") == "m.reaction"]
            edits += [e for e in events if relation_of(content_of(e))[0] == "m.replace"]
            if any(e.get("type") == "m.room.encrypted" for e in events):
                self.notes.say(NoteKind.UNREADABLE, ENCRYPTED_WORDS)
            if newer_than and events:
                last_seen = as_text(events[-1].get("event_id")) or last_seen
            more = len(events) >= limit and token is not None
            if len(found) >= limit or not more:
                break
        if newer_than:
            found = found[:limit][::-1]  # newest first, like every page
        posts = with_reactions(tuple(found[:limit]), reactions, self._user_id)
        on_page = {p.id for p in posts}
        changed_edits, changed_reactions = (self._changes_before(room, on_page, edits, reactions, names)
                                            if newer_than else ((), ()))
        return FeedPage(posts, older=posts[-1].id if (more or len(found) > limit) and posts else None,
                        newer=last_seen if newer_than else (posts[0].id if posts else None),
                        removed=tuple(r for r in removed if r), edits=changed_edits, reactions=changed_reactions)

    def _changes_before(self, room: str, on_page: set[str], edits: list[dict[str, Any]],
                        reactions: list[dict[str, Any]], names: Mapping[str, Any],
                        ) -> tuple[tuple[Edit, ...], tuple[Reactions, ...]]:
        """Edits and reactions a catch-up page read for posts before it (a laptop that was off
        while they were made): the edited words; each reacted post's reactions counted anew."""
        changed: dict[str, Edit] = {}
        for event in edits:  # in time order: the last edit of a post wins
            edit = self._edit(event, room, names)
            if edit is not None and edit.post_id not in on_page:
                changed[edit.post_id] = edit
        targets = {target for e in reactions if (target := relation_of(content_of(e))[1]) and target not in on_page}
        return tuple(changed.values()), tuple(self._reactions(room, target) for target in sorted(targets)[:50])

    def _edit(self, event: Mapping[str, Any], room: str, names: Mapping[str, Any] | None = None) -> Edit | None:
        """An m.replace event as the words of the message it changes."""
        rel_type, target = relation_of(content_of(event))
        newer = content_of(event).get("m.new_content")
        if rel_type != "m.replace" or not target or not isinstance(newer, dict):
            return None
        edited = self.post(dict(event, room_id=room, event_id=target, content=newer), names)
        return Edit(target, edited.text, edited.html) if edited is not None else None

    def _reactions(self, room: str, post_id: str) -> Reactions:
        """A post's reactions as the server counts them now (the relations API): everyone who
        reacted, once each, and whether the person is among them."""
        body = self.client.get_json(
            f"{self.server}/_matrix/client/v1/rooms/{quote(room)}/relations/{quote(post_id)}/m.annotation/m.reaction",
            params={"limit": 200}, auth=self.signin)[0]
        chunk = body.get("chunk") if isinstance(body, dict) else None
        events = chunk if isinstance(chunk, list) else []
        senders = {as_text(e.get("sender")) for e in events if isinstance(e, dict)} - {""}
        return Reactions(post_id, len(senders), self._user_id in senders)

    # ------------------------------------------------------------ notices, announcements, markers

    def notices(self, newer_than: str | None = None) -> list[Notice]:
        """Newest first: the newest page the first time; after that, back page by page (the
        ``from`` token) until ``newer_than``, so none is lost after a gap (at most NOTICE_PAGES)."""
        found: list[Notice] = []
        token: str | None = None
        for _ in range(NOTICE_PAGES if newer_than else 1):
            params: dict[str, Any] = {"limit": 50, "only": "highlight"} | ({"from": token} if token else {})
            body = self._get("/notifications", params)
            page, reached = self._notices(body, newer_than)
            found += page
            token = as_text(body.get("next_token")) or None
            if reached or token is None:
                break
        return found

    def _notices(self, body: dict[str, Any], newer_than: str | None) -> tuple[list[Notice], bool]:
        """One page of /notifications as notices; True when it reached ``newer_than``."""
        me = self._whoami()
        found: list[Notice] = []
        for item in body.get("notifications") or []:
            event = item.get("event") if isinstance(item, dict) and isinstance(item.get("event"), dict) else None
            if not event or event.get("sender") == me:
                continue
            content = content_of(event)
            event_id = as_text(event.get("event_id"))
            if newer_than and event_id == newer_than:
                return found, True
            relates = content.get("m.relates_to") if isinstance(content.get("m.relates_to"), dict) else {}
            reply = isinstance(relates, dict) and isinstance(relates.get("m.in_reply_to"), dict)
            ms = event.get("origin_server_ts")
            sender = as_text(event.get("sender"))
            if as_text(item.get("room_id")):
                self._notice_rooms[event_id] = as_text(item.get("room_id"))
                if len(self._notice_rooms) > 2000:  # the newest are the ones marked read
                    del self._notice_rooms[next(iter(self._notice_rooms))]
            found.append(Notice(
                id=event_id, position=sort_key(ms if isinstance(ms, int) and not isinstance(ms, bool) else 0),
                kind=NoticeKind.REPLY if reply else NoticeKind.MENTION, from_id=sender,
                from_name=self._name(sender), text=cap(clean(as_text(content.get("body"))), 2000),
                created_at=moment(ms), post_id=event_id,
                url=_link(as_text(item.get("room_id")), event_id), thread_id=answers(content)))
        return found, False

    def announcements(self) -> list[Announcement]:
        dismissed = set(self._dismissed())
        events, _, _ = self._page(self.room("announcements"), None, "b", 20)
        found: list[Announcement] = []
        for event in events:
            content = shown(event) or {}
            body = as_text(content.get("body"))
            if event.get("type") == "m.room.message" and body:
                event_id = as_text(event.get("event_id"))
                found.append(Announcement(event_id, cap(clean(body), 5000), to_safe_html(_escape(body), 5000),
                                          moment(event.get("origin_server_ts")), event_id in dismissed))
        return found

    def _dismissed(self) -> list[str]:
        try:
            body = self._get(f"/user/{quote(self._whoami())}/account_data/{DISMISSED}")
        except Refused:  # none yet (404)
            return []
        ids = body.get("ids")
        return [i for i in ids if isinstance(i, str)] if isinstance(ids, list) else []

    def dismiss_announcement(self, announcement_id: str) -> None:
        ids = self._dismissed()
        if announcement_id not in ids:
            self._put(f"/user/{quote(self._whoami())}/account_data/{DISMISSED}", {"ids": [*ids, announcement_id]})

    def capabilities(self) -> Capabilities:
        """No content warnings, no shares; "Say hi" opens the person in their Matrix client
        (matrix.to); a reply's m.mentions names the sender answered; /sync pushes, and the room's
        m.fully_read is the read position Element shows too."""
        return Capabilities(read_markers=True, live_stream=True)

    def read_marker(self, feed: str) -> str | None:
        if feed not in EVERYONE_KEYS:
            return None  # notices are read where they happen, by the room's own receipt
        try:
            body = self._get(f"/user/{quote(self._whoami())}/rooms/{quote(self.room('everyone'))}"
                             "/account_data/m.fully_read")
        except Refused:
            return None
        return as_text(body.get("event_id")) or None

    def set_read_marker(self, feed: str, post_id: str) -> None:
        if feed in EVERYONE_KEYS:
            self._post(f"/rooms/{quote(self.room('everyone'))}/read_markers",
                       {"m.fully_read": post_id, "m.read": post_id})
        elif feed == "notices":
            # Matrix has no notifications marker: a read receipt on the mention, in its room, is
            # what clears it in Element and the server's /notifications (receipts never go back).
            room = self._notice_rooms.get(post_id) or self.room("everyone")
            self._post(f"/rooms/{quote(room)}/receipt/m.read/{quote(post_id)}", {})

    # ------------------------------------------------------------ writes

    def write_refusal(self, into: str) -> str:
        room = WRITES_INTO[into]
        known = self._encrypted.get(room)
        if known is None or (not known[0] and time_module.monotonic() - known[1] > ENCRYPTION_CHECK_S):
            try:
                self._get(f"/rooms/{quote(self.room(room))}/state/m.room.encryption/")
                encrypted = True
            except Refused as refused:  # 404: no such state, not encrypted; anything else: not known
                if refused.status != 404:
                    raise
                encrypted = False
            known = self._encrypted[room] = (encrypted, time_module.monotonic())
        return NOT_IN_PLAIN_TEXT[into] if known[0] else ""

    def _refuse_if_encrypted(self, into: str) -> None:
        """Asked before every write, whatever the front end knew: never plain text into an
        encrypted room (refused for good, with the words)."""
        words = self.write_refusal(into)
        if words:
            raise Refused(words, 403)

    def check_in(self, check_in: CheckIn, colleague: Colleague, key: str) -> str:
        self._refuse_if_encrypted("check-ins")
        text = f"👋 {colleague.name} is in the {check_in.place.name} office today."
        day = check_in.at.date()  # in the office's zone, as the kiosk made it
        if day != datetime.now(check_in.at.tzinfo).date():  # late: it names its own day, never "today"
            text = f"👋 {colleague.name} was in the {check_in.place.name} office on {day.isoformat()}."
        content = {"msgtype": "m.notice", "body": text,
                   CHECK_IN: {"user_id": colleague.id, "office": check_in.place.name,
                              "day": day.isoformat(), "key": key, **({"met": check_in.met} if check_in.met else {})}}
        sent = self._put(f"/rooms/{quote(self.room('lobby'))}/send/m.room.message/{quote(key)}", content)
        return as_text(sent.get("event_id"))

    def can_write(self) -> bool | None:
        return None  # a Matrix token may always send; the room's power levels decide, at send time

    def find_check_in(self, check_in: CheckIn, colleague: Colleague, key: str) -> str | None:
        """Synapse forgets a transaction id after about half an hour; the check-in's own marker
        carries the key, so the lobby room is searched for it."""
        token: str | None = None
        since = check_in.at - timedelta(days=1)
        for _ in range(10):
            events, _, token = self._page(self.room("lobby"), token, "b", 50)
            for event in events:
                marker = content_of(event).get(CHECK_IN)
                if isinstance(marker, dict) and marker.get("key") == key:
                    return as_text(event.get("event_id"))
            if not events or token is None or moment(events[-1].get("origin_server_ts")) < since:
                return None
        return None

    def liked_by(self, post_id: str) -> list[str]:
        """Matrix brings who reacted with the posts (``Post.liked_by``): nothing to ask."""
        return []

    def find_post(self, text: str, reply_to: str | None, since: datetime) -> str | None:
        """The person's own messages in the company room since ``since``, newest first."""
        me, token = self._whoami(), None
        wanted = " ".join(text.split())
        for _ in range(FIND_PAGES):
            events, _, token = self._page(self.room("everyone"), token, "b", 100)
            for event in events:
                content = content_of(event)
                if event.get("sender") == me and " ".join(as_text(content.get("body")).split()).endswith(wanted) \
                        and answers(content) == reply_to:
                    return as_text(event.get("event_id"))
            if not events or not token or moment(events[-1].get("origin_server_ts")) < since - timedelta(minutes=5):
                return None
        return None

    def publish(self, text: str, key: str, reply_to: str | None = None, warning: str = "") -> str:
        """An ``m.text`` in the company room, body only (no formatted_body: nothing typed becomes
        HTML); ``@name`` words that are members are mentioned (``m.mentions``); a reply points at
        its message (``m.in_reply_to``). Matrix has no content warnings: ``warning`` goes first
        in the text."""
        self._refuse_if_encrypted("feed")
        body = f"{warning}\n\n{text}" if warning else text
        mentioned = {user for user in self._members if self._mentioned(user, text)}
        if reply_to:  # the person answered is notified, as Element and every current client does
            answered = self._sender_of(reply_to)
            if answered and answered != self._whoami():
                mentioned.add(answered)
        content: dict[str, Any] = {"msgtype": "m.text", "body": body, "m.mentions": {"user_ids": sorted(mentioned)}}
        if reply_to:
            content["m.relates_to"] = {"m.in_reply_to": {"event_id": reply_to}}
        sent = self._put(f"/rooms/{quote(self.room('everyone'))}/send/m.room.message/{quote(key)}", content)
        return as_text(sent.get("event_id"))

    def _sender_of(self, event_id: str) -> str:
        """Who sent a message of the company room ("" when the server will not say)."""
        try:
            event = self._get(f"/rooms/{quote(self.room('everyone'))}/event/{quote(event_id)}")
        except Refused:
            return ""
        return as_text(event.get("sender")) if isinstance(event, dict) else ""

    @staticmethod
    def _mentioned(user_id: str, text: str) -> bool:
        """``@ana:example.com``, or ``@ana`` for someone on this server."""
        localpart = user_id.split(":")[0]
        end = r"(?![\w-]|[.:]\w)"  # "@ana." ends a sentence; "@ana.b" and "@ana:x" are others
        return re.search(rf"(?<![\w@])(?:{re.escape(user_id)}|{re.escape(localpart)}){end}", text) is not None

    def message(self, handle: str, text: str, key: str) -> str:
        raise Refused("On Matrix, \"Say hi\" opens the person in your Matrix client.")

    def text_limit(self) -> int | None:
        return None  # Matrix sets no length; the server's event size cap (64 KB) is far beyond a post

    def react(self, post_id: str, key: str) -> str:
        self._refuse_if_encrypted("feed")  # a reaction in an encrypted room is encrypted too
        content = {"m.relates_to": {"rel_type": "m.annotation", "event_id": post_id, "key": "👍"}}
        sent = self._put(f"/rooms/{quote(self.room('everyone'))}/send/m.reaction/{quote(key)}", content)
        return as_text(sent.get("event_id"))

    def share(self, post_id: str, key: str) -> str:
        raise Refused("Matrix has no shares.")

    def in_office(self, day: date) -> list[Presence]:
        start = datetime.combine(day, time.min, tzinfo=UTC)
        found: dict[str, Presence] = {}
        token: str | None = None
        for _ in range(20):
            try:
                events, _, token = self._page(self.room("lobby"), token, "b", 50)
            except Refused as refused:
                if refused.status == 403:  # a laptop whose account never joined the lobby room
                    raise Refused(f"This account is not a member of the lobby room ({self.rooms['lobby']}), so "
                                  "Hallway cannot see who is in today: IT adds everyone to it (docs/admin.md).",
                                  403) from None
                raise
            for event in events:
                presence = check_in_of(event)
                if presence is not None and presence.day == day:  # a late one: the day it names
                    found[presence.colleague_id] = presence  # pages go back in time: the day's first is kept
            if not events or not token or moment(events[-1].get("origin_server_ts")) < start - timedelta(days=1):
                break
        return list(found.values())

    def check_ins(self, since: date) -> Iterator[Presence]:
        """Every check-in in the lobby room from ``since`` on, newest first, a person once a day."""
        start = datetime.combine(since, time.min, tzinfo=UTC) - timedelta(days=1)
        seen: set[tuple[str, date]] = set()
        token: str | None = None
        while True:
            events, _, token = self._page(self.room("lobby"), token, "b", 100)
            for event in events:
                presence = check_in_of(event)
                if presence is not None and presence.day is not None and presence.day >= since \
                        and (presence.colleague_id, presence.day) not in seen:
                    seen.add((presence.colleague_id, presence.day))
                    yield presence
            if not events or not token or moment(events[-1].get("origin_server_ts")) < start:
                return

    # ------------------------------------------------------------ live

    def close_stream(self) -> None:
        """End the open long poll at once (an app is quitting): its deadline shuts the request's
        socket, whether or not the server has sent its headers yet (hallway.deadline)."""
        self._closing.set()
        poll = self._poll
        if poll is not None:
            poll.expire()

    def _long_poll(self, params: Mapping[str, str | int], renewed: bool = False) -> Any:
        """One ``/sync`` on the stream's own thread, under a deadline ``close_stream`` can bring
        forward. Returns the body, None when closed, or raises Offline (Unauthorized when the
        sign-in is refused and cannot be renewed)."""
        sent = self.signin.header()
        try:
            # The server holds the answer for up to its timeout: the whole poll ends by then,
            # plus a margin, even on a server that trickles it.
            with WATCHDOG.deadline(SYNC_TIMEOUT_MS / 1000 + 30) as poll:
                self._poll = poll
                if self._closing.is_set():
                    return None  # closed before the poll began
                response = self.client.session.get(self._url("/sync"), params=params,
                                                   headers={"Authorization": sent},
                                                   timeout=(5, SYNC_TIMEOUT_MS / 1000 + 30), stream=True)
                body = read_capped(response, MAX_ANSWER_BYTES, self.server)
        except HttpError as refused:
            if self._closing.is_set():
                return None
            raise Offline(f"The live stream dropped ({refused.message}).") from None
        except (requests.RequestException, OSError, ValueError) as lost:
            if self._closing.is_set():
                return None
            raise Offline(f"The live stream dropped ({type(lost).__name__}).") from None
        finally:
            self._poll = None
        if response.status_code == 401:
            if not renewed and self.signin.renew(sent):
                return self._long_poll(params, renewed=True)  # an expired token, refreshed: poll again
            raise Unauthorized("The network no longer accepts Hallway's sign-in.", 401)
        if response.status_code != 200:
            raise Offline(f"The live stream is not available (HTTP {response.status_code}).")
        try:
            return Answer(200, response.headers, body).json()
        except (HttpError, ValueError):
            raise Offline("The live stream sent something that is not a sync answer.") from None

    def stream(self, stop: threading.Event) -> Iterator[StreamEvent]:
        """``/sync`` long-polls: the first call only takes the position, later ones bring what is new."""
        self._closing.clear()  # a stream opened again: nobody is quitting
        me = self._whoami()
        everyone, announcements = self.room("everyone"), self.room("announcements")
        for body in self._sync_answers(stop, (everyone, announcements)):
            joined = (body.get("rooms") or {}).get("join") or {}
            for room_id, room in joined.items() if isinstance(joined, dict) else ():
                if room_id == announcements:
                    if ((room or {}).get("timeline") or {}).get("events"):  # one re-read, however many
                        yield StreamEvent(announcements_changed=True)
                elif room_id == everyone:
                    yield from self._room_events(room_id, room or {}, HOME_FEED, me)

    def _sync_answers(self, stop: threading.Event, rooms: Sequence[str]) -> Iterator[dict[str, Any]]:
        """Each ``/sync`` answer after the first (which only takes the position), until ``stop``."""
        sync_filter = json.dumps({
            "presence": {"types": []}, "account_data": {"types": []},
            "room": {"rooms": list(rooms), "state": {"lazy_load_members": True},
                     "timeline": {"types": ["m.room.message", "m.room.redaction", "m.reaction"], "limit": 50},
                     "ephemeral": {"types": []}, "account_data": {"types": []}}})
        while not stop.is_set():
            params: dict[str, str | int] = {"filter": sync_filter,
                                            "timeout": 0 if self._since is None else SYNC_TIMEOUT_MS}
            if self._since:
                params["since"] = self._since
            try:
                body = self._long_poll(params)
            except Offline:
                if stop.is_set():
                    return
                raise
            if body is None or stop.is_set():
                return
            if not isinstance(body, dict):
                raise Offline("The live stream sent something that is not a sync answer.")
            first = self._since is None
            self._since = as_text(body.get("next_batch")) or self._since
            if not first:
                yield body

    def _room_events(self, room_id: str, room: Mapping[str, Any], feed: FeedRef, me: str) -> Iterator[StreamEvent]:
        """One room's part of a ``/sync`` answer: the senders' names first, then its timeline."""
        for state in (room.get("state") or {}).get("events") or []:
            if isinstance(state, dict) and state.get("type") == "m.room.member" and state.get("state_key"):
                self._members[as_text(state.get("state_key"))] = content_of(state)
        events = (room.get("timeline") or {}).get("events") or []
        for event in events if isinstance(events, list) else []:
            if isinstance(event, dict):  # unknown shapes are skipped, never fatal
                yield from self._timeline_event(room_id, event, feed, me)

    def _timeline_event(self, room_id: str, event: dict[str, Any], feed: FeedRef,
                        me: str) -> Iterator[StreamEvent]:
        if event.get("type") == "m.room.redaction":  # moderated away: gone from every laptop
            redacted = as_text(event.get("redacts")) or as_text(content_of(event).get("redacts"))
            if redacted:
                yield StreamEvent(deleted_post_id=redacted)
            return
        rel_type, target = relation_of(content_of(event))
        if rel_type == "m.replace" and target and feed:  # an edit: the message it changes, changed
            edit = self._edit(event, room_id)
            if edit is not None:
                yield StreamEvent(edit=edit, feed=feed)
            return
        if event.get("type") == "m.reaction":  # a 👍: the post's reactions, counted anew
            if rel_type == "m.annotation" and target and feed:
                yield StreamEvent(reactions=self._reactions(room_id, target), feed=feed)
            return
        self._learn_member(room_id, as_text(event.get("sender")))
        post = self.post(dict(event, room_id=room_id))
        if post and feed:
            yield StreamEvent(post=post, feed=feed)
            if post.mentions_me and post.author_id != me:
                yield StreamEvent(notice=Notice(
                    post.id, post.position, NoticeKind.MENTION, post.author_id, post.author_name,
                    post.text[:2000], post.created_at, post.id, post.url, post.reply_to_id))

    def _learn_member(self, room: str, user: str) -> None:
        """A sender's name and photo when the stream did not bring them: lazy loading sends a
        member event once per device, so another Hallway on this sign-in (or an earlier run) may
        have had it. Asked once; a failure leaves the id shown, never the stream stopped."""
        if not user or user in self._members:
            return
        self._members[user] = {}
        try:
            member = self._get(f"/rooms/{quote(room)}/state/m.room.member/{quote(user)}")
        except HttpError as failure:
            logging.getLogger(__name__).info("could not read the name of %s: %s", user[:80], failure.message)
            return
        if isinstance(member, dict):
            self._members[user] = {"displayname": member.get("displayname"), "avatar_url": member.get("avatar_url")}

    def photo(self, url: str) -> bytes:
        check_photo_host(url, self.server)  # authenticated media: the token goes to the homeserver only
        answer = self.client.request("GET", url, auth=self.signin, max_bytes=PHOTO_MAX_BYTES, conditional=False)
        if not answer.body.startswith((b"\x89PNG", b"\xff\xd8", b"GIF8", b"RIFF")):
            raise Refused("That profile photo is not an image Hallway can show.")
        return answer.body


def _escape(text: str) -> str:
    """Plain message text as HTML, for the same sanitiser every post goes through."""
    return "<p>" + text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br>") + "</p>"


def build(config: Config, signin: SignIn, kiosk: bool, client: HttpClient | None) -> MatrixNetwork:
    """From the settings (hallway/networks/registry.py): IT's own profile field keys over
    Matrix's defaults, the three rooms, the lobby accounts by their local part."""
    named = {name: str(config[f"fields.{name}"]) for name in FieldNames.__dataclass_fields__
             if config.sources[f"fields.{name}"] != "default"}  # IT's own keys; else Matrix's defaults
    fields = FieldNames(**{**FIELDS.__dict__, **named})
    rooms = {name: str(config[f"matrix.{name}_room"]) for name in ("everyone", "announcements", "lobby")}
    lobbies = tuple(h.strip().lstrip("@").split(":")[0] for h in config["network.lobby_accounts"].split(",")
                    if h.strip())
    return MatrixNetwork(config["network.server"], signin, client, fields, rooms, lobbies)


def probe(server: str, client: HttpClient) -> str:
    """The newest Matrix version the server speaks (doctor's "network reachable")."""
    versions = client.request("GET", f"{server.rstrip('/')}/_matrix/client/versions").json()
    spoken = versions.get("versions", []) if isinstance(versions, dict) else []
    return f"Matrix {spoken[-1]}" if isinstance(spoken, list) and spoken else "Matrix"
