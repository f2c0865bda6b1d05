"""The emulated Microsoft 365 tenant: its people as Microsoft Entra ID (Graph) and Viva Engage
(Yammer) each know them, its communities and their messages, and the switches a real tenant
differs in. Drawn from the demo's generated company (hallway.demo.organisation), so the same
seed gives the same people on every network; nothing here is copied from a vendor sample."""

from __future__ import annotations

import html
import re
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from hallway.celebrations import birthday as read_birthday
from hallway.demo.organisation import Organisation, generate, team_posts

TENANT_ID = "7c0f5f52-3b9a-4d55-a7d6-6a0b1f3b2c11"  # made up; any GUID does
YAMMER_BASE = 1_702_000_000_000  # Yammer's ids are large numbers; these are ours
GROUP_BASE = 150_000_000
CITIES = {"Lisbon": "Lisbon", "Berlin": "Berlin", "Singapore": "Singapore"}


@dataclass(frozen=True)
class Quirks:
    """What tenants differ in, each a switch (the tests turn them)."""

    user_read_all: bool = True  # admin consent for User.Read.All: job title, department, office
    presence_read_all: bool = True  # admin consent for Presence.Read.All: others' work location
    empty_titles: bool = False  # nobody filled in job titles (Entra leaves them null)
    token_lifetime_s: float = 3600.0  # Entra's default for access tokens is 60-90 minutes
    yammer_limit: int = 10  # requests per user per app per 30 s (Yammer's documented limit)
    graph_limit: int = 2000  # Graph's is far higher; 429 with Retry-After past it
    graph_retry_after_s: int = 2  # what Graph's 429 says to wait (a tenant throttled for minutes says more)


@dataclass
class Person:
    graph_id: str
    yammer_id: int
    username: str
    upn: str
    display_name: str
    job_title: str | None
    department: str | None
    office_location: str | None
    city: str | None
    mail: str | None
    about_me: str
    interests: list[str]
    skills: list[str]
    birthday: date | None
    hire_date: date | None
    avatar_seed: str
    account_enabled: bool = True
    user_type: str = "Member"
    show_in_address_list: bool = True
    has_photo: bool = True
    work_location: str = "unspecified"  # today's: unspecified, office, remote, timeOff
    location_source: str = "none"
    plan: dict[date, str] = field(default_factory=dict)  # their own work plan: day -> workLocationType
    changed: int = 0  # the tenant's change counter when this person last changed (/users/delta)


@dataclass
class Message:
    id: int
    sender_id: int
    body: str
    created_at: datetime
    thread_id: int
    group_id: int | None
    replied_to_id: int | None = None
    message_type: str = "update"  # "announcement": a community announcement (a guess: see yammer.py)
    liked_by: set[int] = field(default_factory=set)
    notified_user_ids: list[int] = field(default_factory=list)
    direct_to: list[int] = field(default_factory=list)  # a private message's people


@dataclass
class Group:
    id: int
    name: str
    description: str = ""
    privacy: str = "public"
    members: set[int] = field(default_factory=set)  # private groups: who may read it


class Tenant:
    """People, communities and messages, behind one lock (the server's threads share it)."""

    def __init__(self, org: Organisation, quirks: Quirks = Quirks()) -> None:
        self.org, self.quirks = org, quirks
        self.lock = threading.RLock()
        self.name, self.domain = org.name, org.domain
        self.people: dict[str, Person] = {}
        self.by_yammer: dict[int, Person] = {}
        self.messages: dict[int, Message] = {}
        self.groups: dict[int, Group] = {}
        self.team_communities: dict[str, Group] = {}  # a community per team (its people members)
        self.change = 1
        self._next_message = YAMMER_BASE
        self.all_company = self._group("All Company", "Everyone in the company")
        self.lobby_group = self._group("Lobby check-ins", "Who is in which office today, written by the lobby kiosk")
        self._people()
        self._team_communities()
        self.demo = self.by_username(org.accounts[org.demo_user_id].username)
        self.kiosk = self.by_username("lobby")
        self._messages()

    # ------------------------------------------------------------ drawing

    def _group(self, name: str, description: str) -> Group:
        group = Group(GROUP_BASE + 17 * (len(self.groups) + 1), name, description)
        self.groups[group.id] = group
        return group

    def _people(self) -> None:
        for number, account in enumerate(self.org.accounts.values()):
            facts = dict(account.fields)
            started = facts.get("Started", "")
            hobbies = [h.strip() for h in facts.get("Hobbies", "").split(",") if h.strip()]
            day = read_birthday(facts.get("Birthday", "")) if facts.get("Celebrate") == "yes" else None
            person = Person(
                graph_id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"hallway-demo:{self.org.seed}:{account.username}")),
                yammer_id=YAMMER_BASE // 1000 + 7919 * (number + 1),
                username=account.username, upn=f"{account.username}@{self.org.domain}",
                display_name=account.display_name,
                job_title=None if self.quirks.empty_titles else facts.get("Title"),
                department=facts.get("Team"), office_location=facts.get("Office"),
                city=CITIES.get(facts.get("Office", ""), facts.get("Office")),
                mail=facts.get("Email") or (None if account.bot else f"{account.username}@{self.org.domain}"),
                about_me=html.unescape(re.sub(r"<[^>]+>", "", account.note)),
                interests=hobbies, skills=[facts["Ask me about"]] if facts.get("Ask me about") else [],
                birthday=date(2000, *day) if day else None,
                hire_date=date.fromisoformat(started) if started else None,
                avatar_seed=account.avatar_seed or account.username,
                show_in_address_list=account.discoverable and not account.bot,
                has_photo=number % 17 != 5,  # a few never uploaded one: Graph answers 404
            )
            if account.bot:  # the lobby's service account: a member, not in the address book
                person.user_type, person.job_title = "Member", None
            self.people[person.graph_id] = person
            self.by_yammer[person.yammer_id] = person
            self.all_company.members.add(person.yammer_id)
        # Two people every real directory holds: a guest from a partner company, and a leaver.
        for username, name, guest in (("river.partner", "River Partner", True), ("former.colleague",
                                                                                  "Former Colleague", False)):
            person = Person(str(uuid.uuid5(uuid.NAMESPACE_URL, f"hallway-demo:{self.org.seed}:{username}")),
                            YAMMER_BASE // 1000 + 7919 * (len(self.people) + 1), username,
                            f"{username}@{'partner.example' if guest else self.org.domain}", name, None, None, None,
                            None, None, "", [], [], None, None, username, account_enabled=guest,
                            user_type="Guest" if guest else "Member", has_photo=False)
            self.people[person.graph_id] = person
            self.by_yammer[person.yammer_id] = person

    def _team_communities(self) -> None:
        """A community per team, its people members: what the settings window offers as feeds."""
        for team in sorted({p.department for p in self.people.values() if p.department}):
            community = self._group(team, f"The {team} team's community")
            community.members |= {p.yammer_id for p in self.people.values() if p.department == team}
            self.team_communities[team] = community

    def _messages(self) -> None:
        """The company's posts, oldest first, as All Company threads, with each team's own posts
        in its community among them (ids follow time, as Yammer's do); its announcements as
        announcements in All Company."""
        ids: dict[str, int] = {}
        notes = team_posts(self.org)
        for status in sorted(self.org.statuses.values(), key=lambda s: s.created_at):
            while notes and notes[0][0] <= status.created_at:
                when, username, team, text = notes.pop(0)
                if team in self.team_communities:
                    self.add(self.by_username(username), text, self.team_communities[team].id, at=when)
            author = self.org.accounts[status.account_id]
            sender = self.by_username(author.username)
            if sender is None or author.bot or status.reblog_of or status.visibility != "public":
                continue
            replied = ids.get(status.in_reply_to_id or "")
            thread = self.messages[replied].thread_id if replied else None
            text = re.sub(r"@([a-z0-9._]+)", lambda m: self._mention(m[1]), status.text)
            made = self.add(sender, text, self.all_company.id, replied, at=status.created_at, thread_id=thread)
            made.liked_by = {p.yammer_id for p in (self.by_username(self.org.accounts[a].username)
                                                   for a in status.favourited_by) if p}
            ids[status.id] = made.id
        # Announcements come from the people team (a community admin), as in most companies.
        speaker = next((p for p in self.people.values() if p.department == "People & Culture"
                        and p.username != self.demo.username), self.demo)
        for announcement in sorted(self.org.announcements.values(), key=lambda a: a.published_at):
            self.add(speaker, announcement.text, self.all_company.id, at=announcement.published_at,
                     message_type="announcement")

    def _mention(self, username: str) -> str:
        person = self.by_username(username)
        return f"[[user:{person.yammer_id}]]" if person else f"@{username}"

    # ------------------------------------------------------------ reading and writing

    def by_username(self, username: str) -> Person:
        for person in self.people.values():
            if person.username == username:
                return person
        raise KeyError(username)

    def add(self, sender: Person, body: str, group_id: int | None, replied_to_id: int | None = None,
            at: datetime | None = None, thread_id: int | None = None, message_type: str = "update",
            direct_to: list[int] | None = None) -> Message:
        """A message; mentions in Yammer's markup ``[[user:ID]]`` notify the people they name."""
        with self.lock:
            self._next_message += 1 + len(self.messages) % 7
            number = self._next_message
            if replied_to_id is not None and thread_id is None:
                thread_id = self.messages[replied_to_id].thread_id
            notified = [int(n) for n in re.findall(r"\[\[user:(\d+)\]\]", body) if int(n) in self.by_yammer]
            message = Message(number, sender.yammer_id, body, at or datetime.now(UTC), thread_id or number, group_id,
                              replied_to_id, message_type, notified_user_ids=notified, direct_to=direct_to or [])
            self.messages[number] = message
            return message

    def touch(self, person: Person) -> None:
        """A change to a person, for /users/delta."""
        with self.lock:
            self.change += 1
            person.changed = self.change


def create(seed: int = 11, people: int = 40, quirks: Quirks = Quirks(), today: date | None = None) -> Tenant:
    return Tenant(generate(seed=seed, people=people, today=today), quirks)
