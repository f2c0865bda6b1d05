"""The demo company: people, posts, announcements and notifications, drawn from a seed.

The same seed on the same day gives the same company, so tests and screenshots
are repeatable; dates are relative to today so that "joined this month" and
"posted an hour ago" stay true whenever the demo runs.
"""

from __future__ import annotations

import hashlib
import random
import tomllib
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from html import escape
from typing import Any

from hallway.office_week import planning_days, write_days
from hallway.resources import resource

MIN_PEOPLE, MAX_PEOPLE = 10, 100_000
MAX_POSTS = 200_000


@dataclass
class Account:
    """One account on the demo network, with the profile facts Hallway reads."""

    id: str
    username: str
    display_name: str
    note: str
    fields: list[tuple[str, str]]
    created_at: datetime
    discoverable: bool = True
    bot: bool = False
    team: str = ""
    office: str = ""
    avatar_seed: str = ""


@dataclass
class Status:
    id: str
    account_id: str
    text: str
    created_at: datetime
    visibility: str = "public"
    in_reply_to_id: str | None = None
    mentions: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    media_seed: str | None = None
    favourited_by: set[str] = field(default_factory=set)
    reblogged_by: set[str] = field(default_factory=set)  # who boosted it (each has a wrapper status)
    reblog_of: str | None = None  # this status is a boost of that one (Mastodon's reblog_of_id)
    pinned: bool = False
    raw_html: str | None = None  # content exactly as a broken or hostile server would send it


@dataclass
class Notification:
    id: str
    account_id: str  # who receives it
    type: str
    from_account_id: str
    created_at: datetime
    status_id: str | None = None


@dataclass
class Announcement:
    id: str
    text: str
    published_at: datetime
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    read_by: set[str] = field(default_factory=set)


@dataclass
class Organisation:
    """Everything the demo network serves, generated once at start."""

    name: str
    domain: str
    offices: list[str]
    teams: list[str]
    accounts: dict[str, Account]
    statuses: dict[str, Status]
    notifications: dict[str, Notification]
    announcements: dict[str, Announcement]
    demo_user_id: str
    kiosk_account_id: str
    seed: int
    # Who follows whom (follower id -> followed ids): home timelines are built from it, as
    # Mastodon builds them. People follow their team and a few others; new joiners nobody yet.
    follows: dict[str, set[str]] = field(default_factory=dict)
    # The hashtags each person follows (Mastodon 4's followed tags: the settings window offers them
    # as feeds), in the order followed, each with the follow's own id (the list pages by it).
    followed_tags: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    string_ids: bool = False  # GoToSocial's ULIDs instead of Mastodon's numeric ids
    acct_domain: str = ""  # some servers give local accounts' acct with their domain: "ana@corp.test"
    _last_id: int = 0
    _notification_seq: int = 0
    _usernames: dict[str, Account] = field(default_factory=dict, repr=False)

    def next_id(self, when: datetime | None = None) -> str:
        """A Mastodon-style id: milliseconds since the epoch shifted left, so ids sort by time.
        With ``string_ids``, a ULID made from the same number (GoToSocial's ids)."""
        moment = when or datetime.now(UTC)
        candidate = int(moment.timestamp() * 1000) << 16
        self._last_id = max(candidate, self._last_id + 1)
        return ulid(self._last_id) if self.string_ids else str(self._last_id)

    def next_notification_id(self) -> str:
        """Notifications count up from 1, as Mastodon's notifications table does (GoToSocial:
        ULIDs, which sort the same way)."""
        self._notification_seq += 1
        return ulid(self._notification_seq) if self.string_ids else str(self._notification_seq)

    def following(self, account_id: str) -> set[str]:
        return self.follows.setdefault(account_id, set())

    def by_username(self, username: str) -> Account | None:
        """Found through an index (mentions are looked up for every post rendered), rebuilt when
        accounts are added or removed."""
        if len(self._usernames) != len(self.accounts):
            self._usernames = {a.username: a for a in self.accounts.values()}
        return self._usernames.get(username)


CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def ulid(number: int) -> str:
    """A 26-character ULID whose text order is ``number``'s order: the high 48 bits hold the
    milliseconds (as in a real ULID), the rest a fixed, seeded tail, so ids stay repeatable."""
    millis, sequence = number >> 16, number & 0xFFFF
    value = (millis << 80) | (sequence << 64) | (hash_tail(number) & 0xFFFFFFFFFFFFFFFF)
    return "".join(CROCKFORD[(value >> (5 * i)) & 31] for i in reversed(range(26)))


def hash_tail(number: int) -> int:
    return (number * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF


class OrganisationError(ValueError):
    """A request for an organisation that cannot be generated; the message is one line."""


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum() or ch == " ").strip().replace(" ", "")


def generate(seed: int = 1, people: int = 300, posts: int | None = None,
             today: date | None = None, string_ids: bool = False, history_weeks: int = 0) -> Organisation:
    """Draw a company of ``people`` people and about ``posts`` posts from ``seed``; with
    ``string_ids``, every id is a ULID, as on GoToSocial; with ``history_weeks``, that many weeks
    of the lobby's check-ins before today (the demo's `hallway report` has something to show)."""
    if not MIN_PEOPLE <= people <= MAX_PEOPLE:
        raise OrganisationError(f"--people must be between {MIN_PEOPLE} and {MAX_PEOPLE}, not {people}")
    posts = max(400, people // 2) if posts is None else posts
    if not 0 <= posts <= MAX_POSTS:
        raise OrganisationError(f"--posts must be between 0 and {MAX_POSTS}, not {posts}")
    data: dict[str, Any] = tomllib.loads(resource("demo", "organisation.toml").read_text("utf-8"))
    rng = random.Random(seed)
    today = today or datetime.now(UTC).date()
    now = datetime.now(UTC)
    org = Organisation(
        name=data["name"], domain=data["domain"], offices=list(data["offices"]),
        teams=[t["name"] for t in data["teams"]], accounts={}, statuses={}, notifications={},
        announcements={}, demo_user_id="", kiosk_account_id="", seed=seed, string_ids=string_ids,
    )
    _people(org, data, rng, people, today, now)
    _follows(org, rng, today)
    _posts(org, data, rng, posts, now)
    _announcements(org, data, now)
    _check_in_history(org, random.Random(seed * 7919 + 1), today, history_weeks)
    return org


MET_AT_THE_KIOSK = ("the kiosk said we should meet: coffee on Thursday?",
                    "nice to meet you at the lobby this morning!",
                    "you were my colleague of the day: can I ask you about that migration?")


def _check_in_history(org: Organisation, rng: random.Random, today: date, weeks: int) -> None:
    """The lobby's working days before today, as a kiosk writes them: a day post per office and
    a reply per person who shared their check-in (some regulars, and a tenth to a fifth of the
    office besides), each naming the colleague of the day the kiosk showed them. Its own generator, so
    the rest of the company is the one the seed always drew."""
    from hallway.model import CheckIn, Colleague, Place
    from hallway.networks.mastodon_presence import check_in_text, day_text

    lobby = org.accounts[org.kiosk_account_id]
    people = [a for a in org.accounts.values() if not a.bot]
    by_office = {office: [a for a in people if dict(a.fields).get("Office") == office] for office in org.offices}
    # Seven in ten ever share a check-in; a quarter of those come most days.
    by_office = {office: rng.sample(here, len(here) * 7 // 10) for office, here in by_office.items()}
    regulars = {office: {a.id for a in rng.sample(here, len(here) // 4)} for office, here in by_office.items()}
    for back in range(weeks * 7, 0, -1):
        day = today - timedelta(days=back)
        if day.weekday() >= 5:
            continue
        for office, here in by_office.items():
            if not here:
                continue
            opened = datetime(day.year, day.month, day.day, 7, 30, tzinfo=UTC)
            post = Status(id=org.next_id(opened), account_id=lobby.id, text=day_text(office, day), created_at=opened,
                          visibility="unlisted")
            org.statuses[post.id] = post
            came = {a.id for a in here if a.id in regulars[office] and rng.random() < 0.7}
            came |= {a.id for a in rng.sample(here, max(1, int(len(here) * rng.uniform(0.1, 0.2))))}
            for person in (org.accounts[i] for i in sorted(came)):
                at = opened + timedelta(minutes=rng.randint(15, 150))
                met = rng.choice(people).id
                check_in = CheckIn(person.id, Place(office), at, shared=True, met=met if met != person.id else "")
                reply = Status(id=org.next_id(at), account_id=lobby.id, created_at=at, visibility="unlisted",
                               text=check_in_text(check_in, Colleague(id=person.id, name=person.display_name), "",
                                                  day), in_reply_to_id=post.id)
                if check_in.met and back <= 12 and rng.random() < 0.03:  # now and then, they talk afterwards
                    later = min(at + timedelta(hours=rng.randint(2, 30)), datetime.now(UTC))
                    them = org.accounts[check_in.met]
                    note = Status(id=org.next_id(later), account_id=person.id, created_at=later, mentions=[them.id],
                                  text=f"@{them.username} {rng.choice(MET_AT_THE_KIOSK)}")
                    org.statuses[note.id] = note
                org.statuses[reply.id] = reply


ANNIVERSARIES_TODAY = {4: 3, 9: 7}  # person number -> years
BIRTHDAYS_TODAY = 2  # in the first office, so the demo's kiosk celebrates someone today
BIRTHDAY_AT_THE_WEEKEND = 13  # on the coming Saturday: shown on the Friday
BIRTHDAY_WAYS = ("{d} {mon}", "{m:02d}-{d:02d}", "{y}-{m:02d}-{d:02d}", "{mon} {d}", "{d:02d}.{m:02d}.")
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _digits(values: Any) -> str:
    return ",".join(str(v) for v in values) if isinstance(values, list) else ""


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _celebration_fields(number: int, username: str, today: date, birthday_today: bool) -> list[tuple[str, str]]:
    """Birthday and Celebrate, from the username's hash and not the generator, so the rest of the
    company stays as it was: four in five write a birthday, each their own way (the year too,
    sometimes, which Hallway drops); five in six say yes to being celebrated."""
    marks = hashlib.blake2b(username.encode(), digest_size=8).digest()
    fields: list[tuple[str, str]] = []
    if marks[0] % 5 or birthday_today or number == BIRTHDAY_AT_THE_WEEKEND:
        month, day = 1 + marks[1] % 12, 1 + marks[2] % 28
        if birthday_today:
            month, day = today.month, today.day
        elif number == BIRTHDAY_AT_THE_WEEKEND:
            saturday = today + timedelta(days=(5 - today.weekday()) % 7)
            month, day = saturday.month, saturday.day
        way = BIRTHDAY_WAYS[marks[3] % len(BIRTHDAY_WAYS)]
        fields.append(("Birthday", way.format(d=day, m=month, mon=MONTH_NAMES[month - 1], y=1970 + marks[4] % 35)))
    celebrates = marks[5] % 6 != 0 or birthday_today or number in (BIRTHDAY_AT_THE_WEEKEND, *ANNIVERSARIES_TODAY)
    fields.append(("Celebrate", "yes" if celebrates else "no"))
    if marks[6] % 3 == 0:  # one in three shared the days they plan to be in (the office week)
        ahead = planning_days(today)
        fields.append(("Office days", write_days(d for n, d in enumerate(ahead) if (n + marks[7]) % 3 == 0)))
    return fields


def _people(org: Organisation, data: dict[str, Any], rng: random.Random, count: int,
            today: date, now: datetime) -> None:
    facts, pronoun_sets = data["facts"], data["pronouns"]
    taken: set[str] = set()
    names: set[str] = set()  # no two people share a full name, as in a real company's directory
    birthdays_today = 0
    base = int((now - timedelta(days=3650)).timestamp() * 1000) << 16
    for i in range(count):
        culture = rng.choice(data["cultures"])
        kind = rng.choice(["f", "m", "f", "m", "any"])
        given_pool = culture["given_f"] + culture["given_m"] if kind == "any" else culture[f"given_{kind}"]
        given, family = rng.choice(given_pool), rng.choice(culture["family"])
        given, family = _unique_name(given, family, culture["family"], names)
        names.add(f"{given} {family}")
        username = "demo" if i == 0 else f"{_ascii(given)}.{_ascii(family)}"
        stem, n = username, 2
        while username in taken:
            username, n = f"{stem}{n}", n + 1
        taken.add(username)
        team = rng.choice(data["teams"])
        office = org.offices[0] if i == 0 else rng.choices(org.offices, weights=[5, 3, 2])[0]
        # About 4% joined in the last month; the rest over the last eight years.
        days_ago = rng.randint(0, 27) if rng.random() < 0.04 else rng.randint(30, 8 * 365)
        started = today - timedelta(days=days_ago)
        if i in ANNIVERSARIES_TODAY:  # a few work anniversaries today, so the demo celebrates some
            started = _years_before(today, ANNIVERSARIES_TODAY[i])
        hobbies = ", ".join(rng.sample(facts["hobbies"], rng.choice([1, 2, 2, 3])))
        ask = rng.choice(facts["ask_me_about"])
        pronouns = rng.choice(pronoun_sets[kind])
        title = rng.choice(team["titles"])
        bio = rng.choice(facts["bios"]).format(hobby=hobbies.split(", ")[0], ask=ask, team=team["name"])
        fields = [("Title", title), ("Team", team["name"]), ("Office", office),
                  ("Hobbies", hobbies), ("Ask me about", ask)]
        if pronouns:
            fields.append(("Pronouns", pronouns))
        fields.append(("Started", started.isoformat()))
        if i % 23 != 7:  # a few keep their address off the profile: their invitations say so
            fields.append(("Email", f"{username}@hallway.example"))
        birthday_today = i > 0 and office == org.offices[0] and birthdays_today < BIRTHDAYS_TODAY
        birthdays_today += birthday_today
        fields += _celebration_fields(i, username, today, birthday_today)
        account_id = ulid(base + i) if org.string_ids else str(base + i)
        org.accounts[account_id] = Account(
            id=account_id, username=username, display_name=f"{given} {family}",
            note=f"<p>{escape(bio)}</p>", fields=fields,
            created_at=datetime(started.year, started.month, started.day, 9, tzinfo=UTC),
            discoverable=i == 0 or rng.random() >= 0.1, team=team["name"], office=office,
            avatar_seed=f"{org.seed}:{username}|skin={_digits(culture.get('skin'))}|hair={_digits(culture.get('hair'))}"
                        f"|kind={'f' if given in culture['given_f'] else 'm'}",
        )
    org.demo_user_id = ulid(base) if org.string_ids else str(base)
    kiosk_id = ulid(base + count) if org.string_ids else str(base + count)
    org.accounts[kiosk_id] = Account(
        id=kiosk_id, username="lobby", display_name="Lobby kiosk",
        note="<p>The check-in screen at the entrance. Say hi when you pass by!</p>", fields=[],
        created_at=now - timedelta(days=30), discoverable=False, bot=True, avatar_seed="lobby",
    )
    org.kiosk_account_id = kiosk_id


def _follows(org: Organisation, rng: random.Random, today: date) -> None:
    """A plausible follow graph: everyone follows their team (up to 30 of it) and a handful of
    others; people who joined this week follow nobody yet (their home timeline is empty, as on
    Mastodon)."""
    people = [a for a in org.accounts.values() if not a.bot]
    by_team: dict[str, list[str]] = {}
    for person in people:
        by_team.setdefault(person.team, []).append(person.id)
    for person in people:
        if person.id != org.demo_user_id and (today - person.created_at.date()).days < 7:
            continue
        team = [i for i in by_team[person.team] if i != person.id]
        chosen = set(rng.sample(team, min(30, len(team))))
        chosen.update(a.id for a in rng.sample(people, min(5, len(people))) if a.id != person.id)
        org.following(person.id).update(chosen)


TEAM_NOTES = (
    "Stand-up moves to 10:30 on Thursday, same room.",
    "Notes from today's retro are in the team folder. Thanks, everyone!",
    "Who is in on Friday? Team lunch at the place round the corner.",
    "Reminder: the planning board closes at 5 today. Add what is missing.",
    "Nice work on this week's release, all of you.",
)


def team_posts(org: Organisation) -> list[tuple[datetime, str, str, str]]:
    """What each team writes in its own space, where a network has one (a Viva Engage community,
    a Chatter group): two posts a team from its members, within the span of the company's posts,
    oldest first, as (when, author's username, team, text). The same for the same seed."""
    people = [a for a in org.accounts.values() if not a.bot and dict(a.fields).get("Team")]
    moments = [s.created_at for s in org.statuses.values()] or [datetime.now(UTC)]
    start, end = min(moments), max(moments)
    rng = random.Random(org.seed * 7919 + 5)
    found: list[tuple[datetime, str, str, str]] = []
    for team in sorted({dict(a.fields)["Team"] for a in people}):
        members = [a for a in people if dict(a.fields)["Team"] == team]
        for text in rng.sample(TEAM_NOTES, 2):
            when = start + (end - start) * rng.random()
            found.append((when, rng.choice(members).username, team, text))
    return sorted(found)


def follow_the_lobby(org: Organisation) -> None:
    """Everyone listed follows the lobby account, as a company asks of people where the lobby's
    followers are the kiosk's people (docs/admin.md): it is each person's own opt-in."""
    for person in org.accounts.values():
        if not person.bot and person.discoverable:
            org.following(person.id).add(org.kiosk_account_id)


def _unique_name(given: str, family: str, families: list[str], names: set[str]) -> tuple[str, str]:
    """A full name nobody has yet: the next family name of the same culture, else a middle
    initial. Deterministic and without drawing again, so the rest of the company stays as drawn."""
    if f"{given} {family}" not in names:
        return given, family
    start = families.index(family) if family in families else 0
    for step in range(1, len(families)):
        other = families[(start + step) % len(families)]
        if f"{given} {other}" not in names:
            return given, other
    for initial in "ABCDEFGHJKLMNPRSTVW":
        if f"{given} {initial}. {family}" not in names:
            return f"{given} {initial}.", family
    return given, f"{family}-{len(names)}"


def _posts(org: Organisation, data: dict[str, Any], rng: random.Random, count: int, now: datetime) -> None:
    people = [a for a in org.accounts.values() if not a.bot]
    demo = org.accounts[org.demo_user_id]
    templates, mention_templates = data["posts"]["templates"], data["posts"]["mentions"]
    span = timedelta(days=14).total_seconds()
    moments = sorted(now - timedelta(seconds=rng.uniform(60, span)) for _ in range(count))
    demo_posts: list[Status] = []
    pending: list[tuple[datetime, str, str, str | None]] = []  # when, kind, from, status
    for moment in moments:
        author = rng.choice(people)
        mentions: list[str] = []
        reply_to: str | None = None
        roll = rng.random()
        if roll < 0.04 and author.id != demo.id:
            text = rng.choice(mention_templates).format(user=demo.username, office=author.office)
            mentions = [demo.id]
        elif roll < 0.07 and demo_posts and author.id != demo.id:
            reply_to = rng.choice(demo_posts).id
            text = f"@{demo.username} " + rng.choice(["Totally agree!", "Count me in.", "Great point.",
                                                       "Thanks for sharing this!"])
            mentions = [demo.id]
        else:
            if roll > 0.97:
                author = demo
            text = rng.choice(templates).format(office=author.office, team=author.team)
        status = Status(
            id=org.next_id(moment), account_id=author.id, text=text, created_at=moment,
            in_reply_to_id=reply_to, mentions=mentions,
            tags=[w[1:].strip(".,!?").lower() for w in text.split() if w.startswith("#")],
            media_seed=f"media{len(org.statuses)}" if rng.random() < 0.05 else None,
        )
        org.statuses[status.id] = status
        if author.id == demo.id:
            demo_posts.append(status)
            for fan in rng.sample(people, 3):
                if fan.id != demo.id:
                    status.favourited_by.add(fan.id)
                    pending.append((moment + timedelta(minutes=5), "favourite", fan.id, status.id))
        elif mentions:
            pending.append((moment, "mention", author.id, status.id))
    org.followed_tags[demo.id] = [(str(n + 1), tag) for n, tag in enumerate(("lunch", "welcome"))]
    for follower in rng.sample(people[1:], min(3, len(people) - 1)):
        pending.append((now - timedelta(hours=rng.randint(1, 96)), "follow", follower.id, None))
    for when, kind, source, status_id in sorted(pending, key=lambda p: p[0]):
        _notify(org, demo.id, kind, source, min(when, now), status_id)


def _notify(org: Organisation, to: str, kind: str, source: str, when: datetime,
            status_id: str | None = None) -> Notification:
    notification = Notification(id=org.next_notification_id(), account_id=to, type=kind,
                                from_account_id=source, created_at=when, status_id=status_id)
    org.notifications[notification.id] = notification
    return notification


def notify(org: Organisation, to: str, kind: str, source: str, status_id: str | None = None) -> Notification:
    """Record a new notification now (used by the server when someone posts a mention)."""
    return _notify(org, to, kind, source, datetime.now(UTC), status_id)


def _announcements(org: Organisation, data: dict[str, Any], now: datetime) -> None:
    for i, item in enumerate(data["announcements"]):
        published = now - timedelta(days=2 - i, hours=3)
        announcement = Announcement(id=str(i + 1), text=item["text"].format(office=org.offices[0]),
                                    published_at=published, starts_at=published,
                                    ends_at=now + timedelta(days=30))
        org.announcements[announcement.id] = announcement
