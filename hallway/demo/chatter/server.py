"""Serving the emulated org: the login host (``/services/oauth2/...``) and, on another loopback
port as Salesforce's ``instance_url``, the org's REST API (``/services/data/vNN.0/...``: the
versions list, ``query`` on User, Chatter's feeds, feed elements, comments, likes, groups and
their announcements). Every answer carries ``Sforce-Limit-Info``; errors are Salesforce's list of
``{"message", "errorCode"}``."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from types import TracebackType
from typing import Any
from urllib.parse import urlencode

from hallway.demo.avatars import portrait
from hallway.demo.chatter.org import Comment, FeedItem, Notification, Org, User, create
from hallway.demo.faults import FaultPlan
from hallway.demo.organisation import Organisation
from hallway.demo.stream import StreamHub
from hallway.demo.viva.routes import Source
from hallway.demo.web import DemoHTTPServer, EventStream, Request, Response, json_response
from hallway.http import HttpClient
from hallway.networks.chatter import ChatterNetwork
from hallway.networks.salesforce_ids import eighteen
from hallway.signin import oauth
from hallway.signin.credentials import Credentials, SignIn, new_account, oauth_fields

LOOPBACK = "127.0.0.1"
VERSION = "68.0"
VERSIONS = (("Summer '26", "67.0"), ("Winter '27", "68.0"))
RETIRED = ("20.0", "21.0", "30.0")  # retired versions answer 410 (a secondary source; see vendor-apis.md)
CONSUMER_KEY = "3MVG9demoHallwayExternalClientApp.Kiosk.And.Laptops.0001"  # the demo's External Client App
# Hallway's callback ports (the same three its Mastodon sign-in registers): an External Client
# App's callback URLs are compared exactly, port and all (a guess: the docs show no loopback rule).
CALLBACKS = tuple(f"http://127.0.0.1:{port}/callback" for port in (42813, 42814, 42815))
PAGE_DEFAULT, PAGE_MAX = 25, 100  # feed element pages: the documented default and ceiling
QUERY_BATCH = 2000  # query's records per page before nextRecordsUrl
# What the emulator does beyond its endpoints' shapes, and where each came from (the endpoints
# carry their own: see ``route``). Every guess here and on a route is what doctor lists as never
# verified against a real org (hallway.networks.chatter.UNVERIFIED), word for word.
QUERY_ENVELOPE = "the query envelope's every field (totalSize, done, records, nextRecordsUrl)"
TWICE_LIKED = "liking a post twice answers as one like"
BEHAVIOUR: dict[str, tuple[Source, str]] = {
    "oauth": (Source.DOCS, "help.salesforce.com remoteaccess_oauth_web_server_flow (PKCE, public clients)"),
    "callback": (Source.GUESS, "an External Client App's callback compared exactly, port and all "
                               "(http://127.0.0.1:42813/callback)"),
    "versions": (Source.DOCS, "api_rest resources_versions"),
    "ids": (Source.DOCS, "15-character case-sensitive ids and their 18-character case-safe form, both accepted"),
    "mention segment": (Source.GUESS, "the Mention segment in answers (type, text, name, record)"),
    "limits": (Source.DOCS, "chatterapi intro_rate_limits: 503 per user per app per hour; 403 REQUEST_LIMIT_EXCEEDED"),
    "hourly body": (Source.GUESS, "the hourly Chatter limit's 503 body"),
    "notifications": (Source.GUESS, "whether the bell's notifications (/connect/notifications) include Chatter "
                                    "mentions for an External Client App: the read state Hallway shares"),
    "photos": (Source.GUESS, "profile photos (/profilephoto/) are not API calls: not counted against the org's "
                             "allocation"),
}


def sf_error(status: int, code: str, message: str) -> Response:
    return json_response([{"message": message, "errorCode": code}], status)


def stamp(moment: datetime) -> str:
    """Salesforce's dates: UTC to the millisecond."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


@dataclass
class Session:
    user: str
    expires: float
    client: str


class Login:
    """The login host's OAuth 2.0: the web server flow with PKCE for a public client (a secret
    is refused), refresh tokens (not rotated, as Salesforce's default), revocation."""

    def __init__(self, org: Org) -> None:
        self.org = org
        self._lock = threading.Lock()
        self.codes: dict[str, tuple[str, str, str, float]] = {}  # code -> user, redirect, challenge, expires
        self.sessions: dict[str, Session] = {}
        self.refresh_tokens: dict[str, str] = {}  # refresh token -> user
        self.instance_url = ""
        self.granted: list[str] = []  # grant types, for the tests

    def authorize(self, request: Request) -> Response:
        if request.get("client_id") != CONSUMER_KEY:
            return json_response({"error": "invalid_client_id", "error_description": "client identifier invalid"},
                                 400)
        redirect = request.get("redirect_uri") or ""
        if redirect not in CALLBACKS:
            return json_response({"error": "redirect_uri_mismatch", "error_description": "redirect_uri must match "
                                  "configuration"}, 400)
        if not request.get("code_challenge"):
            return json_response({"error": "invalid_request", "error_description": "missing required code "
                                  "challenge"}, 400)
        hint = (request.get("login_hint") or "").lower()
        user = next((u for u in self.org.users.values() if u.username.lower() == hint), self.org.demo)
        code = "aPrx" + secrets.token_urlsafe(40)
        with self._lock:
            self.codes[code] = (user.id, redirect, request.get("code_challenge") or "", time.time() + 900)
        values = {"code": code} | ({"state": request.get("state") or ""} if request.get("state") else {})
        return Response(302, b"", "text/plain", {"Location": f"{redirect}?{urlencode(values)}"})

    def token(self, form: dict[str, str]) -> Response:
        if form.get("client_secret"):
            return json_response({"error": "invalid_client", "error_description": "invalid client credentials"}, 400)
        if form.get("client_id") != CONSUMER_KEY:
            return json_response({"error": "invalid_client_id", "error_description": "client identifier invalid"},
                                 400)
        if form.get("grant_type") == "authorization_code":
            with self._lock:
                held = self.codes.pop(form.get("code", ""), None)
            if held is None or held[3] < time.time() or held[1] != form.get("redirect_uri"):
                return json_response({"error": "invalid_grant", "error_description": "invalid authorization code"},
                                     400)
            digest = base64.urlsafe_b64encode(hashlib.sha256(form.get("code_verifier", "").encode()).digest())
            if not secrets.compare_digest(digest.rstrip(b"=").decode(), held[2]):
                return json_response({"error": "invalid_grant", "error_description": "invalid code verifier"}, 400)
            refresh = "5Aep" + secrets.token_urlsafe(60)
            with self._lock:
                self.refresh_tokens[refresh] = held[0]
            self.granted.append("authorization_code")
            return json_response(self._session(held[0]) | {"refresh_token": refresh})
        if form.get("grant_type") == "refresh_token":
            user = self.refresh_tokens.get(form.get("refresh_token", ""))
            if user is None:
                return json_response({"error": "invalid_grant", "error_description": "expired access/refresh token"},
                                     400)
            self.granted.append("refresh_token")
            return json_response(self._session(user))  # Salesforce keeps the refresh token: none in the answer
        return json_response({"error": "unsupported_grant_type", "error_description": "grant type not supported"},
                             400)

    def _session(self, user: str) -> dict[str, Any]:
        token = f"00D{secrets.token_hex(6)}!AQ" + secrets.token_urlsafe(70)
        with self._lock:
            self.sessions[token] = Session(user, time.time() + self.org.limits.session_s, CONSUMER_KEY)
        issued = str(int(time.time() * 1000))
        return {"access_token": token, "signature": base64.b64encode(hashlib.sha256(token.encode()).digest()).decode(),
                "scope": "chatter_api api refresh_token", "instance_url": self.instance_url,
                "id": f"https://login.salesforce.com/id/00Dxx0000001gPL/{user}", "token_type": "Bearer",
                "issued_at": issued}

    def mint(self, user: User) -> dict[str, Any]:
        """A sign-in without the browser, for the demo's apps and the tests (never on a real org)."""
        refresh = "5Aep" + secrets.token_urlsafe(60)
        with self._lock:
            self.refresh_tokens[refresh] = user.id
        return self._session(user.id) | {"refresh_token": refresh}

    def revoke(self, form: dict[str, str]) -> Response:
        token = form.get("token", "")
        with self._lock:
            user = self.refresh_tokens.pop(token, None) or (self.sessions.pop(token).user
                                                            if token in self.sessions else None)
            if user is not None:  # revoking a refresh token ends its sessions too
                for value in [v for v, s in self.sessions.items() if s.user == user]:
                    del self.sessions[value]
        return Response(200, b"")

    def session(self, value: str) -> Session | None:
        held = self.sessions.get(value)
        return held if held is not None and held.expires > time.time() else None

    def expire_all(self) -> None:
        with self._lock:
            for held in self.sessions.values():
                held.expires = 0.0


class Usage:
    """The org's 24-hour API allocation (``Sforce-Limit-Info: api-usage=n/m``) and Chatter's per
    user per app per hour limit."""

    def __init__(self, org: Org) -> None:
        self.org = org
        self._lock = threading.Lock()
        self.calls = 0
        self._hourly: dict[str, list[float]] = defaultdict(list)
        self.refused = {"daily": 0, "hourly": 0}

    def count(self, user: str, chatter: bool) -> str:
        """"" when allowed; else why not ("daily", "hourly")."""
        with self._lock:
            if self.calls >= self.org.limits.daily_calls:
                self.refused["daily"] += 1
                return "daily"
            now = time.time()
            if chatter:
                recent = [t for t in self._hourly[user] if now - t < 3600]
                if len(recent) >= self.org.limits.hourly_chatter:
                    self._hourly[user] = recent
                    self.refused["hourly"] += 1
                    return "hourly"
                recent.append(now)
                self._hourly[user] = recent
            self.calls += 1
            return ""

    def header(self) -> str:
        return f"api-usage={self.calls}/{self.org.limits.daily_calls}"


class Instance:
    """The org's REST API at ``instance_url``."""

    def __init__(self, org: Org, login: Login) -> None:
        self.org, self.login = org, login
        self.usage = Usage(org)
        self.base = ""
        self.requests: dict[str, int] = defaultdict(int)  # "query", "chatter", ... (the bench)

    def dispatch(self, request: Request) -> Response | EventStream:
        path = request.path.rstrip("/")
        if path == "/services/data":
            return json_response([{"label": label, "url": f"/services/data/v{v}", "version": v}
                                  for label, v in VERSIONS])
        photo = re.fullmatch(r"/profilephoto/(005\w{15})/M", path)
        if photo:
            user = self.org.users.get(photo[1])
            return Response(200, portrait(user.avatar_seed, 160), "image/png") if user else sf_error(
                404, "NOT_FOUND", "The requested resource does not exist")
        found = re.fullmatch(r"/services/data/v(\d+\.\d)(/.*)", path)
        if found is None:
            return sf_error(404, "NOT_FOUND", "The requested resource does not exist")
        version, rest = found[1], found[2]
        if version in RETIRED:
            return sf_error(410, "API_DISABLED_FOR_ORG", f"API version {version} has been retired.")
        if version not in {v for _, v in VERSIONS}:
            return sf_error(404, "NOT_FOUND", "The requested resource does not exist")
        header = request.headers.get("Authorization") or ""
        session = self.login.session(header[7:].strip()) if header.startswith("Bearer ") else None
        if session is None:
            return sf_error(401, "INVALID_SESSION_ID", "Session expired or invalid")
        chatter = rest.startswith("/chatter/")  # Connect's other resources "require Chatter: no"
        self.requests["chatter" if chatter else rest.split("/")[1].split("?")[0]] += 1
        why = self.usage.count(session.user, chatter)
        if why == "daily":
            return self._limited(sf_error(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."))
        if why == "hourly":
            return self._limited(sf_error(503, "SERVER_UNAVAILABLE", "You have exceeded the rate limit for Chatter "
                                          "REST API requests this hour. Try again later."))
        call = Call(self, request, self.org.users[session.user], f"/services/data/v{version}")
        for one in ROUTES:
            match = re.fullmatch(one.pattern, rest)
            if match and one.method == request.method:
                with self.org.lock:
                    return self._limited(one.handler(call, match))
        return self._limited(sf_error(404, "NOT_FOUND", "The requested resource does not exist"))

    def _limited(self, response: Response) -> Response:
        response.headers["Sforce-Limit-Info"] = self.usage.header()
        return response


@dataclass
class Call:
    instance: Instance
    request: Request
    me: User
    prefix: str

    @property
    def org(self) -> Org:
        return self.instance.org


Handler = Callable[[Call, "re.Match[str]"], Response]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: str
    handler: Handler
    source: Source
    where: str  # the page the shape came from, or (a guess) what was never verified


ROUTES: list[Route] = []


def route(method: str, pattern: str, source: Source, where: str) -> Callable[[Handler], Handler]:
    def add(handler: Handler) -> Handler:
        ROUTES.append(Route(method, pattern, handler, source, where))
        return handler
    return add


def record_id(match: re.Match[str]) -> str:
    """The path's id as the 18 the org keeps (Salesforce takes 15 or 18 characters alike)."""
    return _eighteen(match["id"])


def _eighteen(given: str) -> str:
    try:
        return eighteen(given)
    except ValueError:
        return given


def user_summary(call: Call, user: User) -> dict[str, Any]:
    photo = f"{call.instance.base}/profilephoto/{user.id}/M"
    return {"type": "User", "id": user.id, "name": user.name, "displayName": user.name, "title": user.title or None,
            "communityNickname": user.handle,
            "companyName": call.org.name, "isActive": user.is_active, "userType": "Internal"
            if user.user_type == "Standard" else "Portal",
            "photo": {"smallPhotoUrl": photo, "mediumPhotoUrl": photo, "largePhotoUrl": photo,
                      "photoVersionId": "729" + user.id[3:15]},
            "url": f"{call.prefix}/chatter/users/{user.id}"}


def _segments(call: Call, segments: list[dict[str, str]]) -> dict[str, Any]:
    out: list[dict[str, Any]] = []
    for segment in segments:
        if segment["type"] == "Mention":
            user = call.org.users.get(segment["id"])
            name = user.name if user else "Unknown"
            out.append({"type": "Mention", "text": f"@{name}", "name": name, "accessible": bool(user),
                        "record": user_summary(call, user) if user else None})
        else:
            out.append({"type": "Text", "text": segment.get("text", "")})
    return {"text": "".join(s["text"] for s in out), "messageSegments": out, "isRichText": False}


def comment_json(call: Call, item: FeedItem, comment: Comment) -> dict[str, Any]:
    return {"id": comment.id, "body": _segments(call, comment.segments),
            "user": user_summary(call, call.org.users[comment.author]), "createdDate": stamp(comment.created),
            "feedElement": {"id": item.id}, "url": f"{call.prefix}/chatter/comments/{comment.id}"}


def item_json(call: Call, item: FeedItem) -> dict[str, Any]:
    parent_user = call.org.users.get(item.parent)
    parent_group = call.org.groups.get(item.parent)
    parent = ({"id": item.parent, "type": "CollaborationGroup", "name": parent_group.name} if parent_group else
              {"id": item.parent, "type": "User", "name": parent_user.name if parent_user else ""})
    body = _segments(call, item.segments)
    return {"id": item.id, "feedElementType": "FeedItem", "type": "TextPost",
            "actor": user_summary(call, call.org.users[item.author]), "body": body,
            "header": {"text": call.org.users[item.author].name},
            "capabilities": {
                "comments": {"page": {"items": [comment_json(call, item, c) for c in item.comments],
                                      "total": len(item.comments), "nextPageUrl": None}},
                "chatterLikes": {"isLikedByCurrentUser": call.me.id in item.likes,
                                 "page": {"total": len(item.likes), "items": []}}},
            "createdDate": stamp(item.created),
            "modifiedDate": stamp(max([item.created, *(c.created for c in item.comments)])), "parent": parent,
            "url": f"{call.prefix}/chatter/feed-elements/{item.id}"}


def _page(call: Call, items: Iterable[FeedItem], path: str) -> Response:
    try:
        size = min(int(call.request.get("pageSize") or PAGE_DEFAULT), PAGE_MAX)
        start = int(call.request.get("page") or 0)
    except ValueError:
        return sf_error(400, "INVALID_INPUT", "Invalid page or pageSize.")
    ordered = sorted(items, key=lambda i: (max([i.created, *(c.created for c in i.comments)]), i.id), reverse=True)
    chosen = ordered[start:start + size]
    more = start + size < len(ordered)
    token = str(start + size) if more else None
    return json_response({
        "currentPageToken": str(start), "currentPageUrl": f"{call.prefix}{path}?page={start}&pageSize={size}",
        "elements": [item_json(call, i) for i in chosen], "isModifiedToken": None, "isModifiedUrl": None,
        "nextPageToken": token, "nextPageUrl": f"{call.prefix}{path}?page={token}&pageSize={size}" if more else None,
        "updatesToken": None, "updatesUrl": None})


def _may_read(call: Call, item: FeedItem) -> bool:
    group = call.org.groups.get(item.parent)
    return group is None or group.visibility == "PublicAccess" or call.me.id in group.members


@route("GET", r"/chatter/users/me", Source.DOCS,
       "chatterapi connect_resources_users_specific: User Detail")
def me(call: Call, _: re.Match[str]) -> Response:
    user = call.me
    return json_response(user_summary(call, user) | {"aboutMe": user.about_me, "email": user.email,
                                                      "username": user.username,
                                                      "address": {"city": user.city or None}})


@route("GET", r"/query", Source.GUESS,
       QUERY_ENVELOPE)
def query(call: Call, _: re.Match[str]) -> Response:
    """SOQL on User, as much of it as Hallway asks (a guess at the envelope's every detail)."""
    text = call.request.get("q") or ""
    frozen = re.fullmatch(r"\s*SELECT\s+UserId\s+FROM\s+UserLogin\s+WHERE\s+IsFrozen\s*=\s*true\s*", text,
                          re.IGNORECASE)
    if frozen:  # who an admin froze (documented object UserLogin; the envelope as query's)
        chosen = [u for u in call.org.users.values() if u.frozen]
        return json_response({"totalSize": len(chosen), "done": True, "records": [
            {"attributes": {"type": "UserLogin", "url": f"{call.prefix}/sobjects/UserLogin/{u.id}"}, "UserId": u.id}
            for u in chosen]})
    parsed = re.fullmatch(r"\s*SELECT\s+(.+?)\s+FROM\s+User(?:\s+WHERE\s+(.+?))?(?:\s+ORDER\s+BY\s+\w+)?\s*",
                          text, re.IGNORECASE | re.DOTALL)
    if parsed is None:
        return sf_error(400, "MALFORMED_QUERY", "unexpected token")
    fields = [f.strip() for f in parsed[1].split(",")]
    users = sorted(call.org.users.values(), key=lambda u: u.id)
    for clause in re.split(r"\s+AND\s+", parsed[2] or "", flags=re.IGNORECASE) if parsed[2] else []:
        condition = re.fullmatch(r"(\w+)\s*(=|>)\s*(.+)", clause.strip())
        if condition is None:
            return sf_error(400, "MALFORMED_QUERY", f"unexpected token: {clause[:40]}")
        name, operator, value = condition[1], condition[2], condition[3].strip().strip("'")
        if name == "IsActive":
            users = [u for u in users if u.is_active == (value.lower() == "true")]
        elif name == "UserType":
            users = [u for u in users if u.user_type == value]
        elif name == "Username":
            users = [u for u in users if u.username.lower() == value.lower()]
        elif name == "LastModifiedDate" and operator == ">":
            since = datetime.fromisoformat(value.replace("Z", "+00:00"))
            users = [u for u in users if u.modified > since]
        else:
            return sf_error(400, "INVALID_FIELD", f"No such column '{name}' on entity 'User'.")
    return _records(call, fields, users, 0)


@route("GET", r"/query/(?P<cursor>01g\w+)-(?P<start>\d+)", Source.GUESS,
       QUERY_ENVELOPE)
def query_more(call: Call, match: re.Match[str]) -> Response:
    held = QUERIES.get(match["cursor"])
    if held is None:
        return sf_error(400, "INVALID_QUERY_LOCATOR", "invalid query locator")
    return _records(call, held[0], held[1], int(match["start"]), match["cursor"])


QUERIES: dict[str, tuple[list[str], list[User]]] = {}


def _records(call: Call, fields: list[str], users: list[User], start: int, cursor: str = "") -> Response:
    values: dict[str, Callable[[User], Any]] = {
              "Id": lambda u: u.id, "Name": lambda u: u.name, "Username": lambda u: u.username,
              "CommunityNickname": lambda u: u.handle, "Pronouns__c": lambda u: u.pronouns or None,
              "Office_Days__c": lambda u: u.office_days or None,
              "Title": lambda u: u.title or None, "Department": lambda u: u.department or None,
              "City": lambda u: u.city or None, "AboutMe": lambda u: u.about_me or None,
              "Email": lambda u: u.email or None, "IsActive": lambda u: u.is_active, "UserType": lambda u: u.user_type,
              "SmallPhotoUrl": lambda u: f"{call.instance.base}/profilephoto/{u.id}/M",
              "FullPhotoUrl": lambda u: f"{call.instance.base}/profilephoto/{u.id}/M",
              "LastModifiedDate": lambda u: stamp(u.modified), "Hobbies__c": lambda u: u.hobbies or None,
              "Ask_Me_About__c": lambda u: u.ask_me_about or None, "Started__c": lambda u: u.started or None,
              "Birthday__c": lambda u: u.birthday or None, "Celebrate__c": lambda u: u.celebrate or None}
    unknown = [f for f in fields if f not in values]
    if unknown:
        return sf_error(400, "INVALID_FIELD", f"No such column '{unknown[0]}' on entity 'User'.")
    chunk = users[start:start + QUERY_BATCH]
    done = start + QUERY_BATCH >= len(users)
    if not done and not cursor:
        cursor = "01g" + secrets.token_hex(6)
        QUERIES[cursor] = (fields, users)
    records = [{"attributes": {"type": "User", "url": f"{call.prefix}/sobjects/User/{u.id}"},
                **{f: values[f](u) for f in fields}} for u in chunk]
    more = {} if done else {"nextRecordsUrl": f"{call.prefix}/query/{cursor}-{start + QUERY_BATCH}"}
    return json_response({"totalSize": len(users), "done": done, "records": records, **more})


@route("PATCH", r"/sobjects/User/(?P<id>005\w{12}(?:\w{3})?)", Source.DOCS,
       "api_rest dome_update_fields: PATCH a record, 204 No Content")
def update_user(call: Call, match: re.Match[str]) -> Response:
    """A person edits their own record (field-level security lets them edit Hallway's fields only)."""
    if record_id(match) != call.me.id:
        return sf_error(403, "INSUFFICIENT_ACCESS_OR_READONLY", "insufficient access rights on object id")
    body = call.request.json if isinstance(call.request.json, dict) else {}
    if set(body) - {"Office_Days__c"}:
        return sf_error(400, "INVALID_FIELD_FOR_INSERT_UPDATE", "Unable to create/update fields: "
                        f"{', '.join(sorted(set(body) - {'Office_Days__c'}))}.")
    call.me.office_days = str(body.get("Office_Days__c") or "")
    call.org.touch(call.me)
    return Response(204, b"")


@route("GET", r"/chatter/feeds/company/feed-elements", Source.DOCS,
       "chatterapi connect_resources_feeds, connect_responses_feed_element_page")
def company(call: Call, _: re.Match[str]) -> Response:
    return _page(call, (i for i in call.org.items.values() if _may_read(call, i)
                        and i.parent not in (call.org.lobby_group.id,)), "/chatter/feeds/company/feed-elements")


@route("GET", r"/chatter/feeds/news/me/feed-elements", Source.DOCS,
       "chatterapi connect_responses_feed_element_page (news feed)")
def news(call: Call, _: re.Match[str]) -> Response:
    mine = {g.id for g in call.org.groups.values() if call.me.id in g.members}
    return _page(call, (i for i in call.org.items.values() if i.parent in mine or i.parent in call.org.users),
                 "/chatter/feeds/news/me/feed-elements")


@route("GET", r"/chatter/feeds/record/(?P<id>0F9\w{12}(?:\w{3})?)/feed-elements", Source.DOCS,
       "chatterapi quickreference_get_feed_items_posted_to_record")
def record(call: Call, match: re.Match[str]) -> Response:
    group = call.org.groups.get(record_id(match))
    if group is None:
        return sf_error(404, "NOT_FOUND", "The requested resource does not exist")
    if group.visibility != "PublicAccess" and call.me.id not in group.members:
        return sf_error(403, "INSUFFICIENT_ACCESS", "You don't have access to this group.")
    return _page(call, (i for i in call.org.items.values() if i.parent == group.id),
                 f"/chatter/feeds/record/{group.id}/feed-elements")


@route("GET", r"/chatter/feeds/to/me/feed-elements", Source.DOCS,
       "chatterapi connect_resource_feeds_to: mentions and posts to the person")
def to_me(call: Call, _: re.Match[str]) -> Response:
    """Mentions of the person (in posts and in comments) and posts to their profile."""
    me_id = call.me.id

    def mentions(segments: list[dict[str, str]]) -> bool:
        return any(s["type"] == "Mention" and s.get("id") == me_id for s in segments)
    return _page(call, (i for i in call.org.items.values() if (i.parent == me_id and i.author != me_id)
                        or mentions(i.segments) or any(mentions(c.segments) for c in i.comments)),
                 "/chatter/feeds/to/me/feed-elements")


def _input_segments(call: Call, body: Any) -> list[dict[str, str]] | Response:
    segments = body.get("messageSegments") if isinstance(body, dict) else None
    if not isinstance(segments, list) or not segments:
        return sf_error(400, "JSON_PARSER_ERROR", "The request body needs messageSegments.")
    made: list[dict[str, str]] = []
    for segment in segments:
        kind = segment.get("type") if isinstance(segment, dict) else None
        if kind == "Text":
            made.append({"type": "Text", "text": str(segment.get("text", ""))})
        elif kind == "Mention":
            mentioned = _eighteen(str(segment.get("id", "")))
            if mentioned not in call.org.users:
                return sf_error(400, "INVALID_ID_FIELD", "Invalid identifier in the Mention segment.")
            made.append({"type": "Mention", "id": mentioned})
        else:
            return sf_error(400, "INVALID_INPUT", f"Unsupported message segment type: {kind}")
    if sum(s["type"] == "Mention" for s in made) > 25:
        return sf_error(400, "INVALID_INPUT", "You can mention at most 25 people.")
    if len("".join(s.get("text", "") for s in made)) > 10_000:
        return sf_error(400, "STRING_TOO_LONG", "The post is longer than 10,000 characters.")
    return made


@route("POST", r"/chatter/feed-elements", Source.DOCS,
       "chatterapi quickreference_post_comment_or_feed_item_with_mention (at most 25)")
def post(call: Call, _: re.Match[str]) -> Response:
    body = call.request.json if isinstance(call.request.json, dict) else {}
    if body.get("feedElementType") != "FeedItem":
        return sf_error(400, "INVALID_INPUT", "feedElementType must be FeedItem.")
    subject = str(body.get("subjectId") or "")
    subject = call.me.id if subject == "me" else _eighteen(subject)
    if subject not in call.org.users and subject not in call.org.groups:
        return sf_error(400, "INVALID_ID_FIELD", "Invalid subjectId.")
    segments = _input_segments(call, body.get("body"))
    if isinstance(segments, Response):
        return segments
    item = call.org.post(call.me, subject, segments)
    return json_response(item_json(call, item), 201)


@route("GET", r"/chatter/feed-elements/(?P<id>0D5\w{12}(?:\w{3})?)", Source.DOCS,
       "chatterapi connect_resources_feed_element_specific")
def one_item(call: Call, match: re.Match[str]) -> Response:
    item = call.org.items.get(record_id(match))
    if item is None or not _may_read(call, item):
        return sf_error(404, "NOT_FOUND", "The requested resource does not exist")
    return json_response(item_json(call, item))


@route("POST", r"/chatter/feed-elements/(?P<id>0D5\w{12}(?:\w{3})?)/capabilities/comments/items", Source.DOCS,
       "chatterapi connect_resources_feed_element_capability_comments_items")
def comment(call: Call, match: re.Match[str]) -> Response:
    item = call.org.items.get(record_id(match))
    if item is None or not _may_read(call, item):
        return sf_error(404, "NOT_FOUND", "The requested resource does not exist")
    segments = _input_segments(call, (call.request.json or {}).get("body") if isinstance(call.request.json, dict)
                               else None)
    if isinstance(segments, Response):
        return segments
    made = call.org.comment(item, call.me, segments)
    return json_response(comment_json(call, item, made), 201)


@route("GET", r"/chatter/feed-elements/(?P<id>0D5\w{12}(?:\w{3})?)/capabilities/comments/items", Source.DOCS,
       "chatterapi connect_resources_feed_element_capability_comments_items")
def comments(call: Call, match: re.Match[str]) -> Response:
    item = call.org.items.get(record_id(match))
    if item is None or not _may_read(call, item):
        return sf_error(404, "NOT_FOUND", "The requested resource does not exist")
    try:
        size = min(int(call.request.get("pageSize") or PAGE_DEFAULT), PAGE_MAX)
        start = int(call.request.get("page") or 0)
    except ValueError:
        return sf_error(400, "INVALID_INPUT", "Invalid page or pageSize.")
    chosen = item.comments[start:start + size]
    more = start + size < len(item.comments)
    path = f"{call.prefix}/chatter/feed-elements/{item.id}/capabilities/comments/items"
    return json_response({"items": [comment_json(call, item, c) for c in chosen], "total": len(item.comments),
                          "currentPageUrl": f"{path}?page={start}&pageSize={size}",
                          "nextPageUrl": f"{path}?page={start + size}&pageSize={size}" if more else None})


@route("GET", r"/chatter/feed-elements/(?P<id>0D5\w{12}(?:\w{3})?)/capabilities/chatter-likes/items", Source.DOCS,
       "chatterapi connect_resources_feed_element_capability_chatter_likes_items")
def likes(call: Call, match: re.Match[str]) -> Response:
    item = call.org.items.get(record_id(match))
    if item is None or not _may_read(call, item):
        return sf_error(404, "NOT_FOUND", "The requested resource does not exist")
    return json_response({"items": [{"user": user_summary(call, call.org.users[u])} for u in sorted(item.likes)
                                    if u in call.org.users], "total": len(item.likes), "nextPageUrl": None})


@route("POST", r"/chatter/feed-elements/(?P<id>0D5\w{12}(?:\w{3})?)/capabilities/chatter-likes/items", Source.GUESS,
       TWICE_LIKED)
def like(call: Call, match: re.Match[str]) -> Response:
    item = call.org.items.get(record_id(match))
    if item is None or not _may_read(call, item):
        return sf_error(404, "NOT_FOUND", "The requested resource does not exist")
    item.likes.add(call.me.id)  # liking again is the same like (a guess: the docs do not say)
    return json_response({"id": "0I0" + item.id[3:], "user": user_summary(call, call.me),
                          "likedItem": {"id": item.id}}, 201)


@route("GET", r"/chatter/groups", Source.DOCS,
       "chatterapi connect_resources_groups_list (q: a search)")
def groups(call: Call, _: re.Match[str]) -> Response:
    wanted = (call.request.get("q") or "").lower()
    found = [g for g in call.org.groups.values() if wanted in g.name.lower()
             and (g.visibility == "PublicAccess" or call.me.id in g.members)]
    return json_response({"groups": [{"id": g.id, "name": g.name, "visibility": g.visibility,
                                      "url": f"{call.prefix}/chatter/groups/{g.id}"} for g in found],
                          "currentPageUrl": f"{call.prefix}/chatter/groups", "nextPageUrl": None})


@route("GET", r"/chatter/users/me/groups", Source.DOCS,
       "chatterapi connect_resources_users_groups: a User Group Page, page numbers from 0, pageSize 1-250 "
       "(25 unless asked)")
def my_groups(call: Call, _: re.Match[str]) -> Response:
    try:
        size, page = int(call.request.get("pageSize") or 25), int(call.request.get("page") or 0)
    except ValueError:
        return sf_error(400, "INVALID_INPUT", "Invalid page or pageSize.")
    if not 1 <= size <= 250 or page < 0:
        return sf_error(400, "INVALID_INPUT", "Invalid page or pageSize.")
    mine = sorted((g for g in call.org.groups.values() if call.me.id in g.members), key=lambda g: g.name)
    chosen = mine[page * size:(page + 1) * size]
    path = f"{call.prefix}/chatter/users/me/groups"
    return json_response({
        "groups": [{"id": g.id, "name": g.name, "visibility": g.visibility, "memberCount": len(g.members),
                    "url": f"{call.prefix}/chatter/groups/{g.id}"} for g in chosen],
        "total": len(mine), "currentPageUrl": f"{path}?page={page}&pageSize={size}",
        "previousPageUrl": f"{path}?page={page - 1}&pageSize={size}" if page else None,
        "nextPageUrl": f"{path}?page={page + 1}&pageSize={size}" if (page + 1) * size < len(mine) else None})


@route("GET", r"/chatter/groups/(?P<id>0F9\w{12}(?:\w{3})?)/announcements", Source.DOCS,
       "chatterapi connect_resources_groups_GroupAnnouncements")
def announcements(call: Call, match: re.Match[str]) -> Response:
    group = call.org.groups.get(record_id(match))
    if group is None:
        return sf_error(404, "NOT_FOUND", "The requested resource does not exist")
    now = datetime.now(UTC)
    return json_response({"announcements": [
        {"expirationDate": stamp(expires), "sendEmails": False, "url": f"{call.prefix}/chatter/announcements/{aid}",
         "feedElement": {"id": "0D5" + aid[3:], "body": {"text": text, "messageSegments": [{"type": "Text",
                                                                                          "text": text}]},
                         "createdDate": stamp(at)}}
        for aid, text, at, expires in group.announcements if expires > now]})



def notification_json(call: Call, note: Notification) -> dict[str, Any]:
    return {"id": note.id, "type": note.kind, "target": note.target, "read": note.read, "seen": note.seen,
            "count": 1, "messageTitle": note.title, "messageBody": note.body, "recipientId": note.recipient,
            "mostRecentActivityDate": stamp(note.at), "lastModified": stamp(note.at),
            "organizationId": "00D" + call.org.all_company.id[3:], "communityId": None, "communityName": None,
            "additionalData": None, "url": f"{call.prefix}/connect/notifications/{note.id}"}


def _mine(call: Call) -> list[Notification]:
    return sorted((n for n in call.org.notifications if n.recipient == call.me.id), key=lambda n: n.at, reverse=True)


def _when(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@route("GET", r"/connect/notifications", Source.DOCS,
       "chatterapi connect_resources_notifications_list: size 1-50 (10 unless said), before or after")
def notifications(call: Call, _: re.Match[str]) -> Response:
    before, after = call.request.get("before"), call.request.get("after")
    if before and after:
        return sf_error(400, "INVALID_INPUT", "You can't use the before and after parameters together.")
    edge = _when(before or after)
    if (before or after) and edge is None:
        return sf_error(400, "INVALID_INPUT", "before and after take an ISO 8601 date.")
    try:
        size = max(1, min(int(call.request.get("size") or 10), 50))
    except ValueError:
        return sf_error(400, "INVALID_INPUT", "size must be a number.")
    found = [n for n in _mine(call) if edge is None or (n.at < edge if before else n.at > edge)]
    return json_response({"notifications": [notification_json(call, n) for n in found[:size]]})


@route("GET", r"/connect/notifications/status", Source.DOCS,
       "chatterapi connect_responses_notification_status")
def notifications_status(call: Call, _: re.Match[str]) -> Response:
    mine = _mine(call)
    now = stamp(datetime.now(UTC))
    unread = [n for n in mine if not n.read]
    unseen = [n for n in mine if not n.seen]
    return json_response({"lastActivity": stamp(mine[0].at) if mine else now,
                          "oldestUnread": stamp(unread[-1].at) if unread else now,
                          "oldestUnseen": stamp(unseen[-1].at) if unseen else now,
                          "unreadCount": len(unread), "unseenCount": len(unseen)})


def _mark(call: Call, chosen: list[Notification]) -> Response | None:
    body = call.request.json if isinstance(call.request.json, dict) else {}
    read, seen = body.get("read"), body.get("seen")
    read = read if isinstance(read, bool) else {"true": True, "false": False}.get(str(read)) if read else None
    seen = seen if isinstance(seen, bool) else {"true": True, "false": False}.get(str(seen)) if seen else None
    if read is None and seen is None:
        return sf_error(400, "INVALID_INPUT", "Specify read or seen.")
    if read is True and seen is False:
        return sf_error(400, "INVALID_INPUT", "A notification marked read is also seen.")
    for note in chosen:
        if read is not None:
            note.read = read
            note.seen = note.seen or read
        if seen is not None:
            note.seen = seen
    return None


@route("PATCH", r"/connect/notifications", Source.DOCS,
       "chatterapi connect_requests_notification_collection_input: notificationIds (at most 50) or before")
def mark_notifications(call: Call, _: re.Match[str]) -> Response:
    body = call.request.json if isinstance(call.request.json, dict) else {}
    ids, before = body.get("notificationIds"), body.get("before")
    if ids is not None and before is not None:
        return sf_error(400, "INVALID_INPUT", "You can't use notificationIds and before together.")
    if ids is not None and (not isinstance(ids, list) or len(ids) > 50):
        return sf_error(400, "INVALID_INPUT", "notificationIds takes a list of at most 50 ids.")
    edge = _when(before) if before is not None else datetime.now(UTC)
    if edge is None:
        return sf_error(400, "INVALID_INPUT", "before takes an ISO 8601 date.")
    wanted = {_eighteen(str(i)) for i in ids} if ids is not None else None
    chosen = [n for n in _mine(call) if (n.id in wanted if wanted is not None else n.at < edge)]
    refused = _mark(call, chosen)
    return refused or json_response({"notifications": [notification_json(call, n) for n in chosen]})


@route("PATCH", r"/connect/notifications/(?P<id>0Ml\w{12}(?:\w{3})?)", Source.DOCS,
       "chatterapi connect_resource_notifications_specific")
def mark_notification(call: Call, match: re.Match[str]) -> Response:
    note = next((n for n in _mine(call) if n.id == record_id(match)), None)
    if note is None:
        return sf_error(404, "NOT_FOUND", "The requested resource does not exist")
    return _mark(call, [note]) or json_response(notification_json(call, note))

@dataclass
class ChatterOrg:
    """A running emulated org: the login host and the instance, each on its own loopback port."""

    emulated: Org
    login: Login
    instance: Instance
    servers: tuple[DemoHTTPServer, DemoHTTPServer]
    threads: list[threading.Thread] = field(default_factory=list)

    @property
    def url(self) -> str:
        """The login host (what IT puts in network.server)."""
        return self.servers[0].base_url

    @property
    def instance_url(self) -> str:
        return self.servers[1].base_url

    @property
    def org(self) -> Organisation:
        """The demo's company the org was drawn from (the demo's apps' profiles read it)."""
        return self.emulated.company

    @property
    def company(self) -> Organisation:
        return self.emulated.company

    def user(self, handle: str) -> User:
        return self.emulated.by_handle(handle)

    def signed_in(self, handle: str) -> Credentials:
        """A whole sign-in for ``handle`` (for the demo's apps and the tests; never on a real org)."""
        answer = self.login.mint(self.user(handle))
        return Credentials(**oauth_fields(answer), token_url=f"{self.url}/services/oauth2/token",
                           client_id=CONSUMER_KEY, account=new_account())

    def network_for(self, handle: str, client: HttpClient | None = None, url: str = "",
                    signed_in: Credentials | str | None = None) -> ChatterNetwork:
        """Hallway's connector signed in as ``handle``; ``url``: another address in front of the
        instance (a proxy)."""
        client = client or HttpClient()
        held = signed_in if signed_in is not None else self.signed_in(handle)
        made = held if isinstance(held, Credentials) else Credentials.from_stored(held)
        if url:
            made = replace(made, api_base=url)
        signin = SignIn(made, refresh=lambda stale: oauth.refresh(stale, client))
        return ChatterNetwork(self.url, signin, client, is_lobby=handle == "lobby")

    def token_for(self, handle: str) -> str:
        return self.signed_in(handle).stored()

    def environment(self) -> dict[str, str]:
        return {}

    def machine_config(self) -> str:
        return (f'[network]\nkind = "chatter"\nserver = "{self.url}"\n\n[chatter]\n'
                f'consumer_key = "{CONSUMER_KEY}"\n')

    def stop(self) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()
        for thread in self.threads:
            thread.join(timeout=5)

    def __enter__(self) -> ChatterOrg:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.stop()


def _form(request: Request) -> dict[str, str]:
    return {k: v[-1] for k, v in request.form.items()} | {k: v[-1] for k, v in request.query.items()}


def start(org: Org | None = None) -> ChatterOrg:
    """The login host and the instance on two free ports of 127.0.0.1, serving."""
    org = org or create()
    login = Login(org)
    instance = Instance(org, login)

    def login_dispatch(request: Request) -> Response | EventStream:
        if request.path == "/services/oauth2/authorize" and request.method == "GET":
            return login.authorize(request)
        if request.path == "/services/oauth2/token" and request.method == "POST":
            return login.token(_form(request))
        if request.path == "/services/oauth2/revoke" and request.method == "POST":
            return login.revoke(_form(request))
        return sf_error(404, "NOT_FOUND", "The requested resource does not exist")

    servers = (DemoHTTPServer((LOOPBACK, 0), login_dispatch, FaultPlan(), StreamHub()),
               DemoHTTPServer((LOOPBACK, 0), instance.dispatch, FaultPlan(), StreamHub()))
    login.instance_url = instance.base = servers[1].base_url
    running = ChatterOrg(org, login, instance, servers)
    for server in servers:
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True,
                                  name="chatter-emulator")
        thread.start()
        running.threads.append(thread)
    return running
