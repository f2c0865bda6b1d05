"""The emulated Salesforce org: its users (as the User object and as Chatter's user), groups,
feed items with their comments and likes, group announcements and notifications, and the
limits an org differs in. Drawn from the demo's generated company; ids are Salesforce's:
15 characters with a 3-character case-safe suffix (18 in all), prefixed by object
(005 users, 0F9 groups, 0D5 feed items, 0D7 comments)."""

from __future__ import annotations

import html
import re
import threading
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from hallway.demo.organisation import Organisation, generate, team_posts
from hallway.networks.salesforce_ids import eighteen

BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def make_id(prefix: str, number: int) -> str:
    digits = ""
    for _ in range(12 - len(prefix) + 3):
        number, rest = divmod(number, 62)
        digits = BASE62[rest] + digits
    return eighteen((prefix + "000" + digits)[:3] + digits[-12:])


@dataclass(frozen=True)
class Limits:
    """What orgs differ in; each a switch (the tests turn them)."""

    daily_calls: int = 1_000_000  # the org's 24-hour allocation (100,000 + 1,000 per licence on Enterprise)
    hourly_chatter: int = 100_000  # per user per app per hour (Salesforce publishes no number): 503 past it
    session_s: float = 7200.0  # an access token's life (the org's session timeout, 2 hours by default)


@dataclass
class User:
    id: str
    username: str  # Salesforce's login name, an e-mail address
    name: str
    title: str
    department: str
    city: str
    about_me: str
    email: str
    is_active: bool
    user_type: str  # Standard; CspLitePortal and the like for community (external) users
    modified: datetime
    avatar_seed: str
    hobbies: str = ""
    ask_me_about: str = ""
    started: str = ""
    birthday: str = ""  # a custom field IT adds (Birthday__c): the company's own, as on the demo
    celebrate: str = ""
    pronouns: str = ""
    office_days: str = ""
    frozen: bool = False  # an admin froze the login (UserLogin.IsFrozen): still active, may not sign in

    @property
    def handle(self) -> str:
        return self.username.split("@")[0]


@dataclass
class Comment:
    id: str
    author: str
    segments: list[dict[str, str]]
    created: datetime


@dataclass
class FeedItem:
    id: str
    author: str  # user id
    parent: str  # where it was posted: a user id (their profile) or a group id
    segments: list[dict[str, str]]  # Text and Mention segments, as posted
    created: datetime
    comments: list[Comment] = field(default_factory=list)
    likes: set[str] = field(default_factory=set)


@dataclass
class Notification:
    """The bell's notification: one per mention, and one per comment on the person's own post."""

    id: str
    recipient: str
    kind: str  # chatter_mention, chatter_comment_on_post (the type names are a guess)
    target: str  # the feed item
    title: str
    body: str
    at: datetime
    read: bool = False
    seen: bool = False


@dataclass
class Group:
    id: str
    name: str
    visibility: str = "PublicAccess"  # or PrivateAccess
    members: set[str] = field(default_factory=set)
    announcements: list[tuple[str, str, datetime, datetime]] = field(default_factory=list)  # id, text, at, expires


class Org:
    """Users, groups and the feed, behind one lock (the servers' threads share it)."""

    def __init__(self, company: Organisation, limits: Limits = Limits()) -> None:
        self.company, self.limits = company, limits
        self.lock = threading.RLock()
        self.name, self.domain = company.name, company.domain
        self.users: dict[str, User] = {}
        self.groups: dict[str, Group] = {}
        self.items: dict[str, FeedItem] = {}
        self.notifications: list[Notification] = []
        self._numbers = iter(range(1, 10**9))
        self.all_company = self._group("All Company")
        self.lobby_group = self._group("Lobby check-ins")
        self._users()
        self.team_groups: dict[str, Group] = {}  # a group per team (its people members)
        for team in sorted({u.department for u in self.users.values() if u.department}):
            self.team_groups[team] = self._group(team)
            self.team_groups[team].members |= {u.id for u in self.users.values() if u.department == team}
        self.demo = self.by_handle(company.accounts[company.demo_user_id].username)
        self.kiosk = self.by_handle("lobby")
        self._posts()

    def new_id(self, prefix: str) -> str:
        return make_id(prefix, 100_000 + next(self._numbers) * 7919)

    def _group(self, name: str) -> Group:
        group = Group(self.new_id("0F9"), name)
        self.groups[group.id] = group
        return group

    def _users(self) -> None:
        now = datetime.now(UTC)
        for account in self.company.accounts.values():
            facts = dict(account.fields)
            user = User(self.new_id("005"), f"{account.username}@{self.domain}", account.display_name,
                        facts.get("Title", ""), facts.get("Team", ""), facts.get("Office", ""),
                        html.unescape(re.sub(r"<[^>]+>", "", account.note)), facts.get("Email", ""),
                        True, "Standard", now - timedelta(days=3),
                        account.avatar_seed or account.username, facts.get("Hobbies", ""),
                        facts.get("Ask me about", ""), facts.get("Started", ""), facts.get("Birthday", ""),
                        facts.get("Celebrate", ""), facts.get("Pronouns", ""), facts.get("Office days", ""))
            self.users[user.id] = user
            self.all_company.members.add(user.id)
        for username, name, kind, active in (("river.partner", "River Partner", "CspLitePortal", True),
                                             ("former.colleague", "Former Colleague", "Standard", False)):
            user = User(self.new_id("005"), f"{username}@{self.domain}", name, "", "", "", "", "", active, kind,
                        now, username)
            self.users[user.id] = user

    def _posts(self) -> None:
        ids: dict[str, str] = {}
        for status in sorted(self.company.statuses.values(), key=lambda s: s.created_at):
            author = self.company.accounts[status.account_id]
            if author.bot or status.reblog_of or status.visibility != "public":
                continue
            user = self.by_handle(author.username)
            segments = self.segments(status.text)
            parent = ids.get(status.in_reply_to_id or "")
            if parent and parent in self.items:
                self.comment(self.items[parent], user, segments, status.created_at)
                continue
            item = self.post(user, user.id, segments, status.created_at)
            item.likes = {self.by_handle(self.company.accounts[a].username).id for a in status.favourited_by}
            ids[status.id] = item.id
        for when, handle, team, text in team_posts(self.company):  # each team's own, in its group
            if team in self.team_groups:
                self.post(self.by_handle(handle), self.team_groups[team].id, [{"type": "Text", "text": text}], when)
        now = datetime.now(UTC)
        for announcement in self.company.announcements.values():
            self.all_company.announcements.append((self.new_id("0BT"), announcement.text, announcement.published_at,
                                                   now + timedelta(days=14)))

    def segments(self, text: str) -> list[dict[str, str]]:
        """``@username`` as Mention segments (the way the demo's posts name people)."""
        found: list[dict[str, str]] = []
        for part in re.split(r"(@[a-z0-9._]+)", text):
            if part.startswith("@") and part[1:] in self.handles():
                user = self.by_handle(part[1:])
                found.append({"type": "Mention", "id": user.id})
            elif part:
                found.append({"type": "Text", "text": part})
        return found

    def handles(self) -> set[str]:
        return {u.handle for u in self.users.values()}

    def by_handle(self, handle: str) -> User:
        for user in self.users.values():
            if user.handle == handle:
                return user
        raise KeyError(handle)

    def post(self, author: User, parent: str, segments: list[dict[str, str]], at: datetime | None = None) -> FeedItem:
        with self.lock:
            item = FeedItem(self.new_id("0D5"), author.id, parent, segments, at or datetime.now(UTC))
            self.items[item.id] = item
            self._notify(author, item, segments, item.created, None)
            return item

    def comment(self, item: FeedItem, author: User, segments: list[dict[str, str]],
                at: datetime | None = None) -> Comment:
        with self.lock:
            made = Comment(self.new_id("0D7"), author.id, segments, at or datetime.now(UTC))
            item.comments.append(made)
            self._notify(author, item, segments, made.created, item.author)
            return made

    def _notify(self, author: User, item: FeedItem, segments: list[dict[str, str]], at: datetime,
                post_author: str | None) -> None:
        """Each person mentioned is told; so is the post's author when someone comments on it."""
        words = "".join(s.get("text", "") for s in segments if s["type"] == "Text").strip()[:320]
        told: set[str] = {author.id}
        for segment in segments:
            if segment["type"] == "Mention" and segment["id"] not in told and segment["id"] in self.users:
                told.add(segment["id"])
                self.notifications.append(Notification(self.new_id("0Ml"), segment["id"], "chatter_mention",
                                                       item.id, f"{author.name} mentioned you", words, at))
        if post_author is not None and post_author not in told:
            self.notifications.append(Notification(self.new_id("0Ml"), post_author, "chatter_comment_on_post",
                                                   item.id, f"{author.name} commented on your post", words, at))

    def touch(self, user: User) -> None:
        user.modified = datetime.now(UTC)


def create(seed: int = 11, people: int = 40, limits: Limits = Limits(), today: date | None = None) -> Org:
    return Org(generate(seed=seed, people=people, today=today), limits)
