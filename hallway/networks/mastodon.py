"""The Mastodon client API (and compatible servers: GoToSocial, Akkoma, ...) in Hallway's words.

Profile facts come from account ``fields`` matched by name, case-insensitively, with the
HTML stripped. Servers differ, so every optional field may be missing or null.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import logging
import queue
import re
import socket
import threading
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from time import monotonic
from typing import Any
from urllib.parse import urlsplit

import requests

from hallway.celebrations import birthday, wants_celebrating
from hallway.config import Config
from hallway.http import BadAnswer, HttpClient, HttpError, Offline, Refused, TooBig, Unauthorized, read_lines_capped
from hallway.model import (
    COMPANY_FEED,
    HOME_FEED,
    PEOPLE_SOURCES,
    Announcement,
    CheckIn,
    Colleague,
    Edit,
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
    FieldNames,
    NoteKind,
    ServerNotes,
    SetUpLine,
    StreamEvent,
    check_photo_host,
    sort_key,
)
from hallway.networks import mastodon_presence as presence_format
from hallway.networks.mastodon_presence import Marked
from hallway.networks.mastodon_servers import Software, identify, says_which
from hallway.office_week import read_days, write_days
from hallway.signin.credentials import SignIn
from hallway.text import cap, clean, email_address, to_safe_html, to_text

DIRECTORY_PAGE = 80
PHOTO_MAX_BYTES = 5 * 1024 * 1024
STREAM_SILENCE_S = 45.0  # Mastodon's streaming server sends a heartbeat comment far more often than this
CHECK_IN_TAG = "inoffice"
log = logging.getLogger(__name__)
CHECK_IN_TEXT = re.compile(r"(?:is|was) in the (?P<office>.+?) office (?:today|on (?P<day>\d{4}-\d{2}-\d{2}))")
# What a Mastodon admin switches on when an API Hallway uses is refused (the admin pages' words).
SERVER_SETTINGS = {
    "/api/v1/directory": "The server's profile directory is switched off: a Mastodon admin switches it on under "
                         "Administration > Server settings > Discovery > \"Enable profile directory\".",
    "/api/v1/announcements": "This server has no announcements (older Mastodon, or GoToSocial): "
                             "Hallway shows none.",
    "/api/v1/markers": "This server does not keep read positions (markers): they stay on this computer.",
    "/api/v1/timelines/public": "The server does not show its local timeline to apps: a Mastodon admin allows it "
                                "under Administration > Server settings > Discovery (live feeds), or set "
                                "network.feed = \"home\".",
    "/api/v1/timelines/tag/": "The server does not show hashtag timelines to apps: a Mastodon admin allows it "
                              "under Administration > Server settings > Discovery.",
}


def server_setting(path: str, status: int | None, software: Software | None = None) -> str:
    """The admin setting behind a refused API, in words, or "" when it is not one of those. Only
    Mastodon's admin pages are named by their menus; another server is told what is missing."""
    if status not in (401, 403, 404, 410, 422):
        return ""
    if software is not None and not software.is_mastodon:
        return next((f"{software.words()} {words}" for prefix, words in ELSEWHERE.items() if path.startswith(prefix)),
                    "")
    return next((words for prefix, words in SERVER_SETTINGS.items() if path.startswith(prefix)), "")


# What is missing on a server that is not Mastodon, and what Hallway does instead (after its name).
ELSEWHERE = {
    "/api/v1/directory": "has no profile directory (or it is off), so the kiosk's people come from the "
                         "sources network.people_from names (docs/admin.md).",
    "/api/v1/announcements": "has no announcements: Hallway shows none.",
    "/api/v1/markers": "keeps no read positions: they stay on this computer.",
    "/api/v1/timelines/public": "does not show its local timeline to apps: set network.feed = \"home\".",
    "/api/v1/timelines/tag/": "does not show hashtag timelines to apps.",
}
SOURCE_WORDS = {"directory": "the profile directory", "admin": "the admin accounts API",
                "followers": "the lobby account's followers", "posters": "people seen posting in the company feed"}
POSTER_PAGES = 5  # 200 statuses of the company feed: who posts there
MAX_PEOPLE_PAGES = 700  # 56,000 people at 80 a page (sync.max_people stops sooner)
FOLLOWED_TAG_PAGES = 5  # 400 followed hashtags: more than a settings list can offer


SOFTWARE_DEADLINE_S = 5.0  # asking which server this is: never the slow part of a first request
# What rarely changes is taken from the kept answer (store/kept.py) without asking, at each start:
# which server this is and the lobby accounts, for a day; who is signed in, six hours. 10,000
# laptops starting at 9:00 then skip three requests each (docs/performance.md, the herd).
SETTLED_S = 24 * 3600.0
ME_FRESH_S = 6 * 3600.0
SOFTWARE_AGAIN_S = 600.0
ASK_AGAIN_S = 6 * 3600  # a missing API is asked for again this often (an admin may switch it on)
OPTIONAL_APIS = {"/api/v1/announcements": NoteKind.ANNOUNCEMENTS, "/api/v1/markers": NoteKind.READ_POSITIONS}
FIND_PAGES = 10  # the lobby's last 400 statuses: a morning's check-ins of a large office
FIND_SKEW = timedelta(minutes=10)  # a status is looked for back to its own moment, less this
PRESENCE_PAGES = 200  # 8,000 statuses a day per lobby account, read once; after that only what is new


def is_check_in(text: str) -> bool:
    return presence_format.MARK.search(text) is not None or (
        f"#{CHECK_IN_TAG}" in text and CHECK_IN_TEXT.search(text) is not None)


def legacy_check_in_text(check_in: CheckIn, colleague: Colleague) -> str:
    """The check-in text of the version before (a public #inoffice status that mentioned the
    person): still recognised, never written."""
    day = check_in.at.date()  # in the office's zone, as the kiosk made it
    if day == datetime.now(check_in.at.tzinfo).date():
        return f"👋 @{colleague.handle} is in the {check_in.place.name} office today. #{CHECK_IN_TAG}"
    return f"👋 @{colleague.handle} was in the {check_in.place.name} office on {day.isoformat()}. #{CHECK_IN_TAG}"
NOTICE_TYPES = ("mention", "favourite", "follow", "status", "update")
NOTICE_PAGES = 50  # 4,000 notifications caught up at most after a gap; the rest is older news
MARKER_TIMELINES = {"home": "home", "notices": "notifications"}  # Hallway's names -> Mastodon's
LINK = re.compile(r'<([^>]+)>;\s*rel="(\w+)"')


def _date(text: str) -> date | None:
    text = text.strip()
    for pattern in ("%Y-%m-%d", "%Y-%m", "%d.%m.%Y", "%d/%m/%Y", "%B %Y", "%b %Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _moment(text: Any) -> datetime:
    if isinstance(text, str):
        try:
            return datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            pass
    return datetime.now(UTC)


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _name(account: Mapping[str, Any]) -> str:
    """Display names are plain text in the Mastodon API (not HTML): cleaned and capped, not parsed."""
    return cap(clean(_str(account.get("display_name"))).strip(), 200) or _str(account.get("username"))[:200]


def _max_characters(instance: Any) -> int | None:
    configuration = instance.get("configuration") if isinstance(instance, dict) else None
    statuses = configuration.get("statuses") if isinstance(configuration, dict) else None
    limit = statuses.get("max_characters") if isinstance(statuses, dict) else None
    return limit if isinstance(limit, int) and not isinstance(limit, bool) and limit > 0 else None


def _cursor(link_header: str, rel: str, name: str) -> str | None:
    for url, found in LINK.findall(link_header or ""):
        if found == rel:
            match = re.search(rf"[?&]{name}=(\w+)", url)
            return match[1] if match else None
    return None


class MastodonNetwork:
    """One signed-in connection to a Mastodon-API server."""
    photos_move = True  # a new photo comes at a new address (hallway.networks.Network)

    kind = "mastodon"
    stream_feeds: tuple[FeedRef, ...] = (HOME_FEED,)
    feeds_apart = True  # home and local are two feeds, each with its own stream

    def __init__(self, server: str, signin: SignIn | str, client: HttpClient | None = None,
                 fields: FieldNames | None = None, media_hosts: tuple[str, ...] = (),
                 lobby_accounts: tuple[str, ...] = ("lobby",), is_lobby: bool = False,
                 people_from: tuple[str, ...] = PEOPLE_SOURCES, local_stream: bool = False) -> None:
        self.server = server.rstrip("/")
        self.media_hosts = media_hosts
        self.client = client or HttpClient()
        self.fields = fields or FieldNames()
        self.signin = signin if isinstance(signin, SignIn) else SignIn(signin)  # refreshed where tokens expire
        self._me: Colleague | None = None
        self._live: list[requests.Response] = []  # the open streams, so close_stream() can end them
        # A laptop showing the company feed also streams it (public:local), so it polls nothing.
        self.local_stream = local_stream
        # What the stream will bring, until it says otherwise (a server without the local stream):
        # the first pass then does not plan a poll of a feed the stream is about to carry.
        self.stream_feeds = (HOME_FEED, COMPANY_FEED) if local_stream else (HOME_FEED,)
        self.notes = ServerNotes()  # the APIs this server does not have, in words (for doctor)
        self.backfill_posts = 200  # five pages
        # Idempotency-Key: an hour on Mastodon (per account; a new token keeps them), none trusted
        # elsewhere; 0 (look before any resend) until the server has said which it is (software()).
        self.keys_kept_s = 0.0
        self._software: Software | None = None
        self._software_again = 0.0  # after a failed ask: not before this (monotonic)
        self._instance: Any = None  # /api/v1/instance, as software() read it
        self._domain = urlsplit(self.server).netloc  # the accounts' own domain (instance uri), once read
        self.people_order = tuple(s for s in people_from if s in PEOPLE_SOURCES) or PEOPLE_SOURCES
        self.people_sources: dict[str, int] = {}  # where the last directory pass found people: how many
        self._text_limit: int | None = None
        self.lobby_accounts = lobby_accounts  # whose check-ins count (network.lobby_accounts)
        self.is_lobby = is_lobby  # signed in as a kiosk: its own check-ins count too
        self._lobby_ids: list[str] | None = None
        self._day_posts: dict[tuple[str, date], str] = {}
        self._day_post_lock = threading.Lock()
        self._presence_read: dict[tuple[str, date], tuple[str | None, dict[str, Presence]]] = {}
        self._missing_since: dict[NoteKind, float] = {}

    def close_stream(self) -> None:
        """End the open streams now, from any thread: their readers are blocked in reads that would
        otherwise last until the next heartbeat (and an app quitting would wait for them)."""
        for live in list(self._live):
            with contextlib.suppress(Exception):
                sock = live.raw.connection.sock  # type: ignore[union-attr]
                sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(Exception):
                live.close()

    # ------------------------------------------------------------ plumbing

    def software(self) -> Software:
        """Which server this is (Mastodon, or another that speaks its API), asked once: it decides
        whether write keys are trusted and whose admin pages advice may name."""
        if self._software is None:
            if monotonic() < self._software_again:
                return Software()
            try:  # a short deadline: a server that trickles must not double every first request's wait
                instance, _ = self.client.get_json(f"{self.server}/api/v1/instance", auth=self.signin,
                                                   deadline_s=SOFTWARE_DEADLINE_S, fresh_for_s=SETTLED_S)
            except HttpError:
                self._software_again = monotonic() + SOFTWARE_AGAIN_S
                return Software()  # unknown: keys untrusted, Mastodon's menus not named
            self._instance = instance  # its text limit too: no second request for it
            nodeinfo = None if says_which(instance) else self._nodeinfo()
            self._software = identify(instance, nodeinfo)
            if isinstance(instance, dict) and _str(instance.get("uri")):
                self._domain = _str(instance.get("uri")).lower()
            self.keys_kept_s = self._software.keys_kept_s
            log.info("the server is %s (write keys trusted for %.0f s)", self._software.words(), self.keys_kept_s)
        return self._software

    def _nodeinfo(self) -> Any:
        """nodeinfo 2.x, followed only on the server's own host."""
        try:
            index, _ = self.client.get_json(f"{self.server}/.well-known/nodeinfo", deadline_s=SOFTWARE_DEADLINE_S,
                                            fresh_for_s=SETTLED_S)
            links = index.get("links") if isinstance(index, dict) else None
            for link in links if isinstance(links, list) else []:
                href = _str(link.get("href")) if isinstance(link, dict) else ""
                if "nodeinfo" in _str(link.get("rel")) and urlsplit(href).netloc == urlsplit(self.server).netloc:
                    return self.client.get_json(href, deadline_s=SOFTWARE_DEADLINE_S, fresh_for_s=SETTLED_S)[0]
        except HttpError:
            return None
        return None

    def _get(self, path: str, params: Mapping[str, Any] | None = None, fresh_for_s: float = 0.0) -> tuple[Any, Any]:
        try:
            body, answer = self.client.get_json(f"{self.server}{path}", params=params, auth=self.signin,
                                                fresh_for_s=fresh_for_s)
        except Refused as refused:
            advice = server_setting(path, refused.status, self._software)
            if advice:
                raise Refused(f"{advice} ({refused.message})", refused.status) from None
            raise
        return body, answer

    def _post(self, path: str, data: Mapping[str, Any] | None = None, key: str | None = None) -> Any:
        headers = {"Idempotency-Key": key} if key else {}
        # Where the server keeps no keys, a write that may have arrived is not sent again here:
        # the outbox looks for it first (keys_kept_s = 0).
        return self.client.request("POST", f"{self.server}{path}", data=data, headers=headers, auth=self.signin,
                                   resend=self.keys_kept_s > 0).json()

    def _list(self, body: Any) -> list[dict[str, Any]]:
        if not isinstance(body, list):
            raise BadAnswer("The server sent something other than a list.")
        return [item for item in body if isinstance(item, dict)]

    # ------------------------------------------------------------ people

    def _handle(self, account: Mapping[str, Any]) -> str:
        """``acct`` as people here say it: a colleague on this server by name alone ("ana", though
        some servers send "ana@corp.test"), someone elsewhere with their server."""
        acct = _str(account.get("acct")) or _str(account.get("username"))
        name, _, domain = acct.partition("@")
        return name if domain.lower() in (self._domain, urlsplit(self.server).netloc.lower()) else acct

    def colleague(self, account: Mapping[str, Any]) -> Colleague:
        """An account as a Colleague, reading facts from profile fields by (case-insensitive) name."""
        facts: dict[str, str] = {}
        for entry in account.get("fields") or []:
            if isinstance(entry, dict):
                facts[to_text(_str(entry.get("name")), 100).casefold()] = to_text(_str(entry.get("value")), 500)
        names = self.fields

        def fact(name: str) -> str:
            return facts.get(name.casefold(), "")

        hobbies = tuple(h.strip() for h in re.split(r"[,;·•]|\band\b", fact(names.hobbies)) if h.strip())
        discoverable = account.get("discoverable")
        return Colleague(
            id=str(account.get("id", "")),
            name=_name(account),
            handle=self._handle(account),
            pronouns=fact(names.pronouns)[:40], title=fact(names.title), team=fact(names.team),
            office=fact(names.office), hobbies=hobbies[:10], ask_me_about=fact(names.ask_me_about),
            started_on=_date(fact(names.started)) if fact(names.started) else None,
            bio=to_text(_str(account.get("note")), 2000), photo_url=_str(account.get("avatar")),
            profile_url=_str(account.get("url")), discoverable=discoverable is not False,
            email=email_address(fact(names.email)),
            office_days=read_days(fact(names.office_days)),
            birthday=birthday(fact(names.birthday)), celebrate=wants_celebrating(fact(names.celebrate)),
        )

    def me(self) -> Colleague:
        self.software()  # once: which keys hold, and whose advice fits
        # At each start, from what the server said within six hours (a kept answer): a revoked
        # sign-in still shows at the first request that needs it.
        body, _ = self._get("/api/v1/accounts/verify_credentials", fresh_for_s=ME_FRESH_S)
        if not isinstance(body, dict) or "id" not in body:
            raise BadAnswer("The server did not say who is signed in.")
        self._me = self.colleague(body)
        return self._me

    def set_up(self, kiosk: bool) -> list[SetUpLine]:
        """Mastodon's settings show in the API checks themselves (doctor names each one off)."""
        return []

    def directory(self, known: Mapping[str, Colleague] | None = None, since: str = "") -> DirectoryPass:
        """Whole profiles come with every page (``known`` saves nothing here), and every pass lists
        everyone (no ``since``)."""
        return DirectoryPass.reading(self._people)

    def _people(self, found: DirectoryPass) -> Iterator[list[Colleague]]:  # noqa: C901
        """The company's people, from the places ``people_from`` names, in that order: the profile
        directory first (whole profiles, 80 a request, so ``known`` saves nothing here); where it
        is missing or switched off, the admin accounts API (a token with admin:read:accounts),
        the lobby account's followers (following the lobby is the person's opt-in) and the people
        seen posting in the company feed. Each is filtered by the account's own discoverable flag;
        a source this server or token lacks is skipped, and ``people_sources`` says what came from
        where. A directory page that cannot be read (garbled, or larger than Hallway takes) is read
        again in smaller pieces around the one profile that breaks it, which is skipped and
        logged: one person's 10 MB bio never costs the kiosk its whole directory."""
        self.software()  # whose acct carries which domain
        self.people_sources = {}
        found.facts_from = "each account's profile fields, with the directory (80 people a request)"
        seen: set[str] = set()
        refused: Refused | None = None
        for source in self.people_order:
            if source != "directory" and self.people_sources.get("directory"):
                break  # the directory lists people: it is the company, as people chose to list themselves
            try:
                listed: set[str] = set()  # this source's people, also those another source gave first
                for accounts in self._people_pages(source):
                    people = []
                    for account in accounts:
                        # Following the lobby is that person's own opt-in, whatever their profile's
                        # discoverable flag says; every other source honours the flag.
                        opted_in = source == "followers"
                        if not account.get("id") or account.get("bot") \
                                or (account.get("discoverable") is False and not opted_in) \
                                or "@" in self._handle(account):
                            continue  # a bot, someone unlisted, or another server's
                        listed.add(str(account["id"]))
                        if str(account["id"]) in seen:
                            continue
                        try:
                            person = self.colleague(account)
                            people.append(dataclasses.replace(person, discoverable=True) if opted_in else person)
                        except Exception:  # one profile this version cannot read: that one, not the page
                            log.exception("skipped a profile (id %s)", str(account.get("id"))[:40])
                            continue
                        seen.add(people[-1].id)
                    self.people_sources[source] = len(listed)
                    found.people_from = ", ".join(f"{SOURCE_WORDS[s]} ({n})"
                                                 for s, n in self.people_sources.items() if n)
                    if people or accounts:
                        yield people
            except Refused as missing:  # not on this server, switched off, or not for this token
                log.info("people from %s: %s", SOURCE_WORDS[source], missing.message)
                refused = refused or missing
                if source == "directory":
                    self.notes.say(NoteKind.DIRECTORY, missing.message)
                continue
            if source == "directory":
                self.notes.clear(NoteKind.DIRECTORY)
        if "followers" in self.people_sources and self.lobby_accounts:
            found.join_by_following = "@" + self.lobby_accounts[0]
        if not self.people_sources and refused is not None:
            raise refused  # nowhere to read people from: said, with the first reason
        if NoteKind.DIRECTORY in self.notes and found.people_from:
            self.notes.say(NoteKind.DIRECTORY, f"{self.notes.about(NoteKind.DIRECTORY)} Hallway reads people from "
                                               f"{found.people_from} instead.")

    def _people_pages(self, source: str) -> Iterator[list[dict[str, Any]]]:
        """One source's accounts, a page at a time (each as Mastodon's Account entity)."""
        if source == "directory":
            offset = 0
            read: set[str] = set()
            while True:
                accounts, ended = self._directory_page(offset, DIRECTORY_PAGE)
                ids = {str(a.get("id")) for a in accounts}
                if accounts and ids <= read:  # a server whose next page is one already read
                    raise BadAnswer("The directory kept sending the same people again; Hallway stopped reading it.")
                read |= ids
                offset += DIRECTORY_PAGE
                yield accounts
                if ended:
                    return
        elif source == "admin":
            for page in self._linked_pages("/api/v2/admin/accounts", {"origin": "local", "status": "active"}):
                yield [a["account"] for a in page if isinstance(a.get("account"), dict)
                       and not a.get("suspended") and not a.get("disabled")]
        elif source == "followers":
            for lobby in self.lobby_ids():
                yield from self._linked_pages(f"/api/v1/accounts/{lobby}/followers", {})
        else:
            for page in self._linked_pages("/api/v1/timelines/public", {"local": "true"}, POSTER_PAGES):
                yield [s["account"] for s in page if isinstance(s.get("account"), dict)]

    def _linked_pages(self, path: str, params: Mapping[str, Any], most: int = MAX_PEOPLE_PAGES,
                      ) -> Iterator[list[dict[str, Any]]]:
        """A list the server pages with Link headers (max_id), 80 at a time, ``most`` pages at most."""
        cursor: str | None = None
        for _ in range(most):
            body, answer = self._get(path, {**params, "limit": "80", **({"max_id": cursor} if cursor else {})})
            page = self._list(body)
            yield page
            following = _cursor(answer.headers.get("Link", ""), "next", "max_id")
            if not page or following is None or following == cursor:
                return
            cursor = following

    def _directory_page(self, offset: int, limit: int) -> tuple[list[dict[str, Any]], bool]:
        """Up to ``limit`` accounts from ``offset``, and whether the directory ends there."""
        try:
            body, _ = self._get("/api/v1/directory", {"local": "true", "order": "new", "offset": offset,
                                                      "limit": limit})
            accounts = self._list(body)
            return accounts, len(accounts) < limit
        except (BadAnswer, TooBig) as broken:
            if limit == 1:
                log.warning("skipped the directory's profile at %d, which cannot be read: %s", offset, broken.message)
                return [], False
            step = max(1, limit // 8)
            found: list[dict[str, Any]] = []
            readable = False
            for start in range(offset, offset + limit, step):
                # A piece with nothing readable at all is not one person's profile: the directory
                # itself is broken, and that ends the pass (a dozen requests, not a walk).
                part, ended = self._directory_page(start, min(step, offset + limit - start))
                readable = readable or bool(part) or ended
                found += part
                if ended:
                    return found, True
            if not readable:
                raise
            return found, False

    # ------------------------------------------------------------ posts

    def post(self, status: Mapping[str, Any]) -> Post:
        shown = status.get("reblog") if isinstance(status.get("reblog"), dict) else status
        assert isinstance(shown, dict)
        author = shown.get("account") if isinstance(shown.get("account"), dict) else {}
        assert isinstance(author, dict)
        my_id = self._me.id if self._me else None
        mentions = [m.get("id") for m in shown.get("mentions") or [] if isinstance(m, dict)]
        status_id = str(status.get("id", ""))
        likes, shares = shown.get("favourites_count"), shown.get("reblogs_count")
        booster = status.get("account") if shown is not status and isinstance(status.get("account"), dict) else None
        return Post(
            id=status_id, position=sort_key(status_id),
            author_id=str(author.get("id", "")),
            author_name=_name(author),
            author_handle=_str(author.get("acct")), author_photo_url=_str(author.get("avatar")),
            text=to_text(_str(shown.get("content")), 20_000), html=to_safe_html(_str(shown.get("content")), 20_000),
            created_at=_moment(shown.get("created_at")), url=_str(shown.get("url")),
            reply_to_id=shown.get("in_reply_to_id") if isinstance(shown.get("in_reply_to_id"), str) else None,
            liked=bool(shown.get("favourited")),
            likes=likes if isinstance(likes, int) else 0,
            mentions_me=my_id is not None and my_id in mentions,
            shared=bool(shown.get("reblogged")),
            shares=shares if isinstance(shares, int) and not isinstance(shares, bool) else 0,
            share_of=str(shown.get("id")) if booster is not None and shown.get("id") else None,
            shared_by=_name(booster) if booster is not None else "",
            mentioned=tuple(str(m) for m in mentions if m)[:50],
        )

    def feed_of(self, setting: str) -> FeedRef:
        return FeedRef.of(setting, FeedKind.TAG)

    def feeds(self) -> list[FeedRef]:
        """The hashtags the person follows (Mastodon 4.0's followed tags; none before it)."""
        try:
            found = [tag for page in self._linked_pages("/api/v1/followed_tags", {}, FOLLOWED_TAG_PAGES)
                     for tag in page]
        except Refused as refused:
            if refused.status in (404, 410):  # an older server, or a compatible one without them
                return []
            raise
        names = {str(t["name"]).lower() for t in found if isinstance(t.get("name"), str)}
        return [FeedRef(FeedKind.TAG, name) for name in sorted(names) if re.fullmatch(r"\w{1,100}", name)]

    def _feed_path(self, feed: FeedRef) -> tuple[str, dict[str, str]]:
        if feed.kind is FeedKind.HOME:
            return "/api/v1/timelines/home", {}
        if feed.kind is FeedKind.COMPANY:
            return "/api/v1/timelines/public", {"local": "true"}
        if feed.kind is FeedKind.TAG and re.fullmatch(r"\w+", feed.id):
            return f"/api/v1/timelines/tag/{feed.id}", {}
        raise ValueError(f"no such feed on Mastodon: {feed.key!r} (home, local or #hashtag)")

    def feed(self, feed: FeedRef, *, newer_than: str | None = None, older_than: str | None = None,
             limit: int = 40) -> FeedPage:
        path, params = self._feed_path(feed)
        params["limit"] = str(limit)
        if newer_than:
            params["min_id"] = newer_than
        if older_than:
            params["max_id"] = older_than
        body, answer = self._get(path, params)
        # Check-ins are presence, never posts in a feed (this version's and the one before's).
        posts = tuple(post for post in (self.post(s) for s in self._list(body) if s.get("id"))
                      if not is_check_in(post.text))
        link = answer.headers.get("Link", "")
        return FeedPage(posts, older=_cursor(link, "next", "max_id"), newer=_cursor(link, "prev", "min_id"))

    # ------------------------------------------------------------ notices, announcements, markers

    def notice(self, item: Mapping[str, Any]) -> Notice:
        kind = str(item.get("type", ""))
        status = item.get("status") if isinstance(item.get("status"), dict) else None
        account = item.get("account") if isinstance(item.get("account"), dict) else {}
        assert isinstance(account, dict)
        my_id = self._me.id if self._me else None
        if kind == "mention" and status and my_id and status.get("in_reply_to_account_id") == my_id:
            notice_kind = NoticeKind.REPLY
        else:
            notice_kind = {"mention": NoticeKind.MENTION, "favourite": NoticeKind.LIKE,
                           "follow": NoticeKind.FOLLOW}.get(kind, NoticeKind.OTHER)
        notice_id = str(item.get("id", ""))
        return Notice(
            id=notice_id, position=sort_key(notice_id), kind=notice_kind,
            from_id=str(account.get("id", "")),
            from_name=_name(account),
            text=to_text(_str(status.get("content")), 2000) if status else "",
            created_at=_moment(item.get("created_at")), post_id=str(status["id"]) if status else None,
            url=_str(status.get("url")) if status else _str(account.get("url")),
            thread_id=_str(status.get("in_reply_to_id")) or None if status else None,
        )

    def notices(self, newer_than: str | None = None) -> list[Notice]:
        """Newest first. The first time, the newest page; after that everything since
        ``newer_than``, page by page upwards with ``min_id`` (a laptop that slept through 300
        notifications gets all of them), at most NOTICE_PAGES pages."""
        if self._me is None:
            self.me()
        params: dict[str, Any] = {"types[]": list(NOTICE_TYPES), "limit": "40"}
        if not newer_than:
            body, _ = self._get("/api/v1/notifications", params)
            return [self.notice(n) for n in self._list(body) if n.get("id")]
        found: list[Notice] = []
        cursor, seen = newer_than, {newer_than}
        for _ in range(NOTICE_PAGES):
            body, _ = self._get("/api/v1/notifications", params | {"min_id": cursor, "limit": "80"})
            page = [self.notice(n) for n in self._list(body) if n.get("id")]
            fresh = [n for n in page if n.id not in seen]
            if not fresh:
                break
            seen.update(n.id for n in fresh)
            found = fresh + found
            cursor = max(fresh, key=lambda n: n.position).id
            if len(page) < 40:  # asked for 80 (Mastodon's most); some servers give at most 40 a page
                break
        return sorted(found, key=lambda n: n.position, reverse=True)

    def _optional(self, path: str, params: Mapping[str, Any]) -> Any:
        """An API some servers do not have (announcements, markers on GoToSocial or older
        Mastodon): a 404 there is the server's shape, not a fault. It is said once, kept in
        ``notes`` for doctor, and the caller goes on without it."""
        kind = OPTIONAL_APIS[path]
        if kind in self.notes and monotonic() - self._missing_since[kind] < ASK_AGAIN_S:
            return None
        try:
            body, _ = self._get(path, params)
        except Refused as absent:
            if absent.status not in (404, 410):
                raise
            self._absent(path)
            return None
        self.notes.clear(kind)
        return body

    def _absent(self, path: str) -> None:
        """An API this server does not have: said once, kept for doctor, asked again in hours."""
        kind = OPTIONAL_APIS[path]
        if kind not in self.notes:
            log.info("%s: %s", path, SERVER_SETTINGS[path])
        self.notes.say(kind, SERVER_SETTINGS[path])
        self._missing_since[kind] = monotonic()

    def announcements(self) -> list[Announcement]:
        body = self._optional("/api/v1/announcements", {"with_dismissed": "true"})
        if body is None:
            return []
        return [Announcement(str(a.get("id")), to_text(_str(a.get("content")), 5000),
                             to_safe_html(_str(a.get("content")), 5000),
                             _moment(a.get("published_at")) if a.get("published_at") else None,
                             bool(a.get("read"))) for a in self._list(body) if a.get("id")]

    def dismiss_announcement(self, announcement_id: str) -> None:
        self._post(f"/api/v1/announcements/{announcement_id}/dismiss")

    def capabilities(self) -> Capabilities:
        """Content warnings (spoiler_text), boosts, direct statuses, and a reply that notifies only
        the accounts its text @mentions; markers where the server has them."""
        return Capabilities(warnings=True, shares=True, private_messages=True, mentions_in_text=True,
                            read_markers=NoteKind.READ_POSITIONS not in self.notes, live_stream=True)

    def read_marker(self, feed: str) -> str | None:
        timeline = MARKER_TIMELINES.get(feed)
        if timeline is None:
            return None  # Mastodon keeps markers for home and notifications only
        body = self._optional("/api/v1/markers", {"timeline[]": timeline})
        marker = body.get(timeline) if isinstance(body, dict) else None
        return str(marker["last_read_id"]) if isinstance(marker, dict) and marker.get("last_read_id") else None

    def set_read_marker(self, feed: str, post_id: str) -> None:
        timeline = MARKER_TIMELINES.get(feed)
        if timeline is not None and NoteKind.READ_POSITIONS not in self.notes:
            try:
                self._post("/api/v1/markers", {f"{timeline}[last_read_id]": post_id})
            except Refused as absent:  # a server without markers: the position stays on this computer
                if absent.status not in (404, 410):
                    raise
                self._absent("/api/v1/markers")

    # ------------------------------------------------------------ writes

    def check_in(self, check_in: CheckIn, colleague: Colleague, key: str) -> str:
        """An unlisted reply in the office's day post (made first if need be); see
        mastodon_presence for why this notifies nobody and fills no feed."""
        day = check_in.at.date()  # in the office's zone, as the kiosk made it
        root = self._day_post(check_in.place.name, day)
        profile = self._profile_link(colleague)
        text = presence_format.check_in_text(check_in, colleague, profile, day, key)
        return str(self._post("/api/v1/statuses", {"status": text, "visibility": "unlisted",
                                                   "in_reply_to_id": root}, key=key)["id"])

    def _profile_link(self, colleague: Colleague) -> str:
        """On Mastodon, /users/NAME: the profile page, and unlike /@NAME never read as a mention
        (some servers that call themselves Mastodon do). Elsewhere that path may not exist, so
        the account's own ``url``, on this server's host. Never a link to another host."""
        own = colleague.profile_url if urlsplit(colleague.profile_url).netloc == urlsplit(self.server).netloc else ""
        if self.software().is_mastodon or not own:
            return f"{self.server}/users/{colleague.handle}" if colleague.handle and "@" not in colleague.handle else ""
        return own

    def _day_post(self, office: str, day: date) -> str:
        """The id of the office's post for ``day``: remembered, found among the lobby's own
        statuses, or written now (its key is the office and the day, so a retry makes one)."""
        remembered = self._day_posts.get((office, day))
        if remembered:
            return remembered
        with self._day_post_lock:  # check-ins go a few at once: one of them makes the day's post
            return self._day_post_found_or_made(office, day)

    def _day_post_found_or_made(self, office: str, day: date) -> str:
        remembered = self._day_posts.get((office, day))
        if remembered:
            return remembered
        for status, marked in self._own_marked(since=datetime.combine(day, time.min, tzinfo=UTC) - timedelta(hours=15)):
            if marked.kind == "day" and marked.office == office and marked.day == day:
                self._day_posts[(office, day)] = str(status.get("id"))
                return self._day_posts[(office, day)]
        key = "hallway-day-" + hashlib.sha256(f"{office}\n{day.isoformat()}".encode()).hexdigest()[:32]
        made = self._post("/api/v1/statuses", {"status": presence_format.day_text(office, day),
                                               "visibility": "unlisted"}, key=key)
        self._day_posts[(office, day)] = str(made["id"])
        return self._day_posts[(office, day)]

    def _own_marked(self, since: datetime, pages: int = FIND_PAGES) -> Iterator[tuple[dict[str, Any], Marked]]:
        """The signed-in account's own statuses with a ``hallway:`` line, newest first, back to ``since``."""
        me = self._me or self.me()
        for status in self._statuses_of(me.id, since, pages):
            marked = presence_format.read(to_text(_str(status.get("content")), 2000))
            if marked is not None:
                yield status, marked

    def _statuses_of(self, account_id: str, since: datetime, pages: int,
                     newer_than: str | None = None) -> Iterator[dict[str, Any]]:
        """An account's statuses: newest first back to ``since``; or, with ``newer_than``, all
        that are newer (page by page upwards)."""
        cursor = newer_than
        older: str | None = None
        for _ in range(pages):
            params: dict[str, Any] = {"limit": "40", "exclude_reblogs": "true"}
            if newer_than:
                params["min_id"] = cursor
            elif older:
                params["max_id"] = older
            body, answer = self._get(f"/api/v1/accounts/{account_id}/statuses", params)
            statuses = self._list(body)
            if not statuses:
                return
            yield from statuses
            if newer_than:
                cursor = max((str(s.get("id", "")) for s in statuses), key=sort_key)
                continue
            older = _cursor(answer.headers.get("Link", ""), "next", "max_id")
            if older is None or _moment(statuses[-1].get("created_at")) < since or len(statuses) < 40:
                return  # past ``since``, or a short page: the account has no older statuses

    def can_write(self) -> bool | None:
        """From the token's scopes (/api/v1/apps/verify_credentials, Mastodon 4.3 and later)."""
        try:
            body, _ = self._get("/api/v1/apps/verify_credentials")
        except Refused:
            return None
        scopes = body.get("scopes") if isinstance(body, dict) else None
        if not isinstance(scopes, list):
            return None
        return bool({"write", "write:statuses"} & {str(s) for s in scopes})

    def find_check_in(self, check_in: CheckIn, colleague: Colleague, key: str) -> str | None:
        """Mastodon forgets an Idempotency-Key after an hour, and a status cannot carry a hidden
        one: the lobby's own statuses are searched for this person, office and day (in the
        format of this version, or the #inoffice text of the one before)."""
        day = check_in.at.date()  # in the office's zone, as the kiosk made it
        legacy = legacy_check_in_text(check_in, colleague).strip()
        me = self._me or self.me()  # who the lobby is does not change between retries
        # Back to the check-in's own moment (less the servers' clocks' skew): usually one request.
        for status in self._statuses_of(me.id, check_in.at - FIND_SKEW, FIND_PAGES):
            text = to_text(_str(status.get("content")), 2000)
            marked = presence_format.read(text)
            # This very check-in: the outbox item's key where the line carries it (another check-in
            # of the same person that day is another item); else the person, office, day, moment.
            moment = check_in.at.replace(microsecond=0)
            same = (marked.key == presence_format.write_key(key) if marked and marked.key else
                    marked is not None and marked.at in (None, moment))
            if marked is not None and marked.kind == "in" and same and (marked.account, marked.office, marked.day) == (
                    colleague.id, check_in.place.name, day):
                return str(status.get("id"))
            if text.strip() == legacy:
                return str(status.get("id"))
        return None

    def liked_by(self, post_id: str) -> list[str]:
        """Who favourited a post (the report's connections), the first 80."""
        body, _ = self._get(f"/api/v1/statuses/{post_id}/favourited_by", {"limit": "80"})
        return [str(a.get("id")) for a in self._list(body) if a.get("id")]

    def find_post(self, text: str, reply_to: str | None, since: datetime) -> str | None:
        """The person's own statuses since ``since``, compared as words (the server renders
        links and mentions as HTML; their text is what was typed)."""
        wanted = " ".join(text.split())
        for status in self._statuses_of((self._me or self.me()).id, since - FIND_SKEW, FIND_PAGES):
            if " ".join(to_text(_str(status.get("content")), 20_000).split()) == wanted and \
                    (status.get("in_reply_to_id") or None) == reply_to:
                return str(status.get("id"))
        return None

    def publish(self, text: str, key: str, reply_to: str | None = None, warning: str = "") -> str:
        """A status: Mastodon takes plain text and links and resolves @mentions itself, so what
        the person typed is sent as typed."""
        data = {"status": text, **({"in_reply_to_id": reply_to} if reply_to else {}),
                **({"spoiler_text": warning} if warning else {})}
        return str(self._post("/api/v1/statuses", data, key=key)["id"])

    def message(self, handle: str, text: str, key: str) -> str:
        """A direct status: visible to the people it mentions, so it names them first if the
        words do not already."""
        named = f"@{handle}"
        words = text if re.search(rf"(?<![\w@]){re.escape(named)}(?![\w@.-])", text) else f"{named} {text}"
        return str(self._post("/api/v1/statuses", {"status": words, "visibility": "direct"}, key=key)["id"])

    def text_limit(self) -> int | None:
        """``configuration.statuses.max_characters`` of the instance software() read (then v2's,
        then v1's asked again); 500, the Mastodon default, where none says."""
        if self._text_limit is None:
            self.software()
            limit = _max_characters(self._instance)
            for path in ("/api/v2/instance", "/api/v1/instance") if limit is None else ():
                with contextlib.suppress(Refused):
                    limit = _max_characters(self._get(path)[0])
                if limit is not None:
                    break
            self._text_limit = limit or 500
        return self._text_limit

    def react(self, post_id: str, key: str) -> str:
        return str(self._post(f"/api/v1/statuses/{post_id}/favourite", key=key).get("id", post_id))

    def write_refusal(self, into: str) -> str:
        return ""  # nothing on the Mastodon API is end-to-end encrypted

    def share_office_days(self, days: Sequence[date]) -> None:
        """The profile field IT names (``fields.office_days``, "Office days"): the person's other
        fields are written back as they are (Mastodon replaces them all at once), the field is
        left out when there is no plan, and a server whose field limit is reached says so."""
        body, _ = self._get("/api/v1/accounts/verify_credentials")
        source = body.get("source") if isinstance(body, dict) else None
        fields = source.get("fields") if isinstance(source, dict) else None
        if not isinstance(fields, list):
            raise BadAnswer("The server did not send the profile's fields to keep.")
        wanted = self.fields.office_days
        kept = [(_str(f.get("name")), _str(f.get("value"))) for f in fields
                if isinstance(f, dict) and _str(f.get("name")).casefold() != wanted.casefold()]
        if days:
            kept.append((wanted, write_days(days)))
        form: dict[str, str] = {}
        for index, (name, value) in enumerate(kept):
            form[f"fields_attributes[{index}][name]"] = name
            form[f"fields_attributes[{index}][value]"] = value
        if not kept:  # no field left: an empty name and value clear the last one, as Mastodon's form does
            form = {"fields_attributes[0][name]": "", "fields_attributes[0][value]": ""}
        try:
            self.client.request("PATCH", f"{self.server}/api/v1/accounts/update_credentials", data=form,
                                auth=self.signin)
        except Refused as refused:
            if refused.status == 422:
                raise Refused("Your profile has no room for another field (Mastodon allows 4 unless IT sets "
                              "MAX_PROFILE_FIELDS): ask IT, or remove a field in your profile.", 422) from None
            raise

    def share(self, post_id: str, key: str) -> str:
        """A boost: Mastodon answers a second boost with the first, so a retry is one boost."""
        return str(self._post(f"/api/v1/statuses/{post_id}/reblog", key=key).get("id", post_id))

    def lobby_ids(self) -> list[str]:
        """The accounts whose check-ins count: the lobby accounts IT named, found by handle
        (a line from any other account is never counted), and this one if it is a lobby."""
        if self._lobby_ids is None:
            found: list[str] = [self.me().id] if self.is_lobby else []
            for handle in self.lobby_accounts:
                try:
                    body, _ = self._get("/api/v1/accounts/lookup", {"acct": handle}, fresh_for_s=SETTLED_S)
                except Refused:
                    log.warning("the lobby account @%s is not on this server", handle)
                    continue
                if isinstance(body, dict) and body.get("id") and str(body["id"]) not in found:
                    found.append(str(body["id"]))
            self._lobby_ids = found
        return self._lobby_ids

    def in_office(self, day: date) -> list[Presence]:
        """Who is in on ``day``, keyed by account id: from the lobby accounts' own statuses, the
        first time back to the day's start, then only what is new since."""
        start = datetime.combine(day, time.min, tzinfo=UTC) - timedelta(hours=15)  # any office's midnight
        found: dict[str, Presence] = {}
        for lobby in self.lobby_ids():
            newest, seen = self._presence_read.get((lobby, day), (None, {}))
            statuses = list(self._statuses_of(lobby, start, PRESENCE_PAGES, newer_than=newest))
            for status in statuses:
                marked = presence_format.read(to_text(_str(status.get("content")), 2000))
                if marked is not None and marked.kind == "in" and marked.day == day:
                    earlier = seen.get(marked.account)
                    fresh = presence_format.presence(marked, _moment(status.get("created_at")))
                    if earlier is None or fresh.at < earlier.at:
                        seen[marked.account] = fresh
            ids = [str(s.get("id", "")) for s in statuses] + ([newest] if newest else [])
            self._presence_read[(lobby, day)] = (max(ids, key=sort_key) if ids else None, seen)
            for account, presence in seen.items():
                found.setdefault(account, presence)
        # The #inoffice posts of the release before are no longer read: a request a minute on every
        # laptop, for a format nothing has written since that release.
        return list(found.values())

    def check_ins(self, since: date) -> Iterator[Presence]:
        """Every shared check-in from ``since`` to now, newest first, read once (the report):
        the lobby accounts' statuses, page by page, a person counted once a day."""
        start = datetime.combine(since, time.min, tzinfo=UTC) - timedelta(hours=15)
        for lobby in self.lobby_ids():
            seen: set[tuple[str, date]] = set()
            for status in self._statuses_of(lobby, start, 1_000_000):
                marked = presence_format.read(to_text(_str(status.get("content")), 2000))
                if marked is None or marked.kind != "in" or marked.day < since or (marked.account, marked.day) in seen:
                    continue
                seen.add((marked.account, marked.day))
                yield presence_format.presence(marked, _moment(status.get("created_at")))

    # ------------------------------------------------------------ live

    def stream(self, stop: threading.Event) -> Iterator[StreamEvent]:
        """Server-Sent Events from /api/v1/streaming/user (the home feed, notifications) and, for
        a laptop showing the company feed, /api/v1/streaming/public/local beside it: two readers,
        one iterator, so an idle laptop polls nothing. Offline when either cannot stay open; a
        server without the local stream leaves it polled (``stream_feeds`` says which)."""
        if self._me is None:
            self.me()
        user = self._open_stream("user")
        local = None
        if self.local_stream:
            try:
                local = self._open_stream("public/local")
                self.stream_feeds = (HOME_FEED, COMPANY_FEED)
            except Refused as missing:
                log.info("no local stream here (%s): the company feed is checked every minute", missing.message)
                self.stream_feeds = (HOME_FEED,)
        self._live = [r for r in (user, local) if r is not None]
        arrived: queue.SimpleQueue[StreamEvent | HttpError | None] = queue.SimpleQueue()
        readers = [threading.Thread(target=self._read_stream, args=(response, feed, stop, arrived),
                                    name=f"stream-{feed}", daemon=True)
                   for response, feed in ((user, HOME_FEED), (local, COMPANY_FEED)) if response is not None]
        for reader in readers:
            reader.start()
        try:
            yield StreamEvent(opened=True)
            while not stop.is_set():
                try:  # Sync.stop closes the streams, which wakes this at once; the timeout is a net
                    item = arrived.get(timeout=STREAM_SILENCE_S)  # (an idle laptop wakes for nothing)
                except queue.Empty:
                    continue
                if item is None or stop.is_set():
                    return
                if isinstance(item, HttpError):
                    raise item
                yield item
        finally:
            self.close_stream()
            self._live = []

    def _open_stream(self, channel: str, renewed: bool = False) -> requests.Response:
        sent = self.signin.header()
        try:
            # The read timeout is the watchdog: Mastodon sends a heartbeat every few seconds, so a
            # stream silent for longer is a hung connection, ended here and reopened by sync.
            response = self.client.session.get(f"{self.server}/api/v1/streaming/{channel}",
                                               headers={"Authorization": sent}, stream=True,
                                               timeout=(5, STREAM_SILENCE_S))
        except requests.RequestException as lost:
            raise Offline(f"The live stream could not open ({type(lost).__name__}).") from None
        if response.status_code == 200:
            return response
        response.close()
        if response.status_code == 401:
            if not renewed and self.signin.renew(sent):  # an expired token, refreshed: open again
                return self._open_stream(channel, renewed=True)
            raise Unauthorized("The network no longer accepts Hallway's sign-in.", 401)
        software = self.software()
        if response.status_code in (404, 410) and not software.is_mastodon:  # none at all, not off
            raise Refused(f"This server ({software.words()}) has no live stream for apps "
                          f"(HTTP {response.status_code}).", response.status_code)
        if 400 <= response.status_code < 500 and response.status_code != 429:  # streaming is off here
            raise Refused(f"The live stream is switched off on this server (HTTP {response.status_code}).",
                          response.status_code)
        raise Offline(f"The live stream is not available (HTTP {response.status_code}).")

    def _read_stream(self, response: requests.Response, feed: FeedRef, stop: threading.Event,
                     arrived: queue.SimpleQueue[StreamEvent | HttpError | None]) -> None:
        """One stream's events onto ``arrived``; its end (or fault) ends the whole stream."""
        event = ""
        try:
            for raw in read_lines_capped(response):
                if stop.is_set():
                    break
                line = raw or ""
                if line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:") and event:
                    happened = self._event(event, line[5:].strip(), feed)
                    if happened:
                        arrived.put(happened)
                    event = ""
            arrived.put(None if stop.is_set() else Offline("The live stream ended."))
        except (requests.RequestException, OSError, AttributeError) as lost:
            arrived.put(None if stop.is_set() else Offline(f"The live stream dropped ({type(lost).__name__})."))
        except HttpError as failure:  # a line past the cap
            arrived.put(failure)
        except Exception:  # a broken event must not leave the iterator waiting for ever
            log.exception("a live stream reader failed")
            arrived.put(Offline("The live stream failed."))
        finally:
            response.close()

    def _event(self, event: str, data: str, feed: FeedRef = HOME_FEED) -> StreamEvent | None:
        if event == "delete":
            return StreamEvent(deleted_post_id=data)
        if event == "announcement" or event == "announcement.delete":
            return StreamEvent(announcements_changed=True)
        try:
            payload = json.loads(data)
        except ValueError:
            return None
        if not isinstance(payload, dict):
            return None
        if event == "update":
            return StreamEvent(post=self.post(payload), feed=feed)
        if event == "status.update":  # an edit: the words change, the post stays where it is
            edited = self.post(payload)
            return StreamEvent(edit=Edit(edited.acts_on, edited.text, edited.html), feed=feed)
        if event == "notification":
            return StreamEvent(notice=self.notice(payload))
        return None

    def photo(self, url: str) -> bytes:
        check_photo_host(url, self.server, self.media_hosts)
        answer = self.client.request("GET", url, max_bytes=PHOTO_MAX_BYTES, conditional=False)
        if not answer.body.startswith((b"\x89PNG", b"\xff\xd8", b"GIF8", b"RIFF")):
            raise Refused("That profile photo is not an image Hallway can show.")
        return answer.body


def build(config: Config, signin: SignIn, kiosk: bool, client: HttpClient | None) -> MastodonNetwork:
    """From the settings (hallway/networks/registry.py): IT's lists split, the company feed
    streamed beside the person's own on a laptop that shows it."""
    from hallway.connect import field_names

    return MastodonNetwork(config["network.server"], signin, client, field_names(config),
                           config.listed("network.media_hosts"), config.listed("network.lobby_accounts"),
                           is_lobby=kiosk, people_from=config.listed("network.people_from"),
                           local_stream=not kiosk and config["network.feed"] == "local")


def probe(server: str, client: HttpClient) -> str:
    """The server's own title, from /api/v1/instance (doctor's "network reachable")."""
    instance = client.request("GET", f"{server.rstrip('/')}/api/v1/instance").json()
    return str(instance.get("title", "?")) if isinstance(instance, dict) else "?"
