"""What Hallway shows, in the words its users use. Small, frozen, and free of any network's shape."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class Colleague:
    """A person in the organisation, as their profile on the network describes them."""

    id: str
    name: str
    handle: str = ""
    pronouns: str = ""
    title: str = ""
    team: str = ""
    office: str = ""
    hobbies: tuple[str, ...] = ()
    ask_me_about: str = ""
    started_on: date | None = None
    bio: str = ""
    photo_url: str = ""
    profile_url: str = ""
    discoverable: bool = True
    email: str = ""  # from the profile field IT names (fields.email): where invitations go
    office_days: tuple[date, ...] = ()  # the days they shared they plan to be in (hallway.office_week)
    birthday: tuple[int, int] | None = None  # (month, day), never the year (hallway.celebrations)
    celebrate: bool = False  # they said yes to being celebrated (fields.celebrate)
    # The connector's note of which version of the profile this is (Matrix: the member event and
    # the day the profile fields were read); handed back at the next directory pass, so only
    # what changed is asked for. Empty where the network sends whole profiles anyway (Mastodon).
    version: str = ""

    def is_new_joiner(self, today: date, days: int = 30) -> bool:
        return self.started_on is not None and 0 <= (today - self.started_on).days < days


@dataclass(frozen=True, slots=True)
class Post:
    """One post in a feed. ``html`` is already sanitised (see hallway.text); ``text`` is plain."""

    id: str
    # The server's order as text: plain string comparison sorts oldest to newest, whatever the
    # network's ids are (Mastodon's numbers, GoToSocial's ULIDs, Matrix timestamps); see sort_key.
    position: str
    author_id: str
    author_name: str
    author_handle: str
    author_photo_url: str
    text: str
    html: str
    created_at: datetime
    url: str = ""
    reply_to_id: str | None = None
    liked: bool = False
    likes: int = 0
    mentions_me: bool = False
    shared: bool = False  # the person shared it with their followers (Mastodon's boost; Matrix has none)
    shares: int = 0
    share_of: str | None = None  # this row is someone's share of that post: actions go to that one
    shared_by: str = ""  # who shared it into this feed, by name
    in_thread: bool = False  # a reply in a thread (Matrix's m.thread): ``reply_to_id`` is the thread's root
    mentioned: tuple[str, ...] = ()  # the ids of the people it mentions (the report's connections; not stored)
    liked_by: tuple[str, ...] | None = None  # who liked it, where the page said (Matrix); not stored

    @property
    def acts_on(self) -> str:
        """The post a like, share or reply is for: the original, when this row is a share."""
        return self.share_of or self.id


class NoticeKind(StrEnum):
    MENTION = "mention"
    REPLY = "reply"
    LIKE = "like"
    FOLLOW = "follow"
    ANNOUNCEMENT = "announcement"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Notice:
    """Something that happened to the signed-in person: a mention, a reply, a reaction."""

    id: str
    position: str  # as Post.position
    kind: NoticeKind
    from_id: str
    from_name: str
    text: str
    created_at: datetime
    post_id: str | None = None
    url: str = ""
    # The conversation it belongs to (the post it answers, or its thread's root; else its own
    # post): notifications of one thread are one notification, updated.
    thread_id: str | None = None

    @property
    def thread(self) -> str:
        return self.thread_id or self.post_id or self.id


@dataclass(frozen=True, slots=True)
class Announcement:
    """A message from the organisation, pinned until the person dismisses it."""

    id: str
    text: str
    html: str
    published_at: datetime | None
    dismissed: bool = False


@dataclass(frozen=True, slots=True)
class Place:
    """An office, where people check in."""

    name: str


@dataclass(frozen=True, slots=True)
class CheckIn:
    """A person arriving at an office. ``shared`` is their choice to tell colleagues they are in."""

    colleague_id: str
    place: Place
    at: datetime
    shared: bool = False
    by_badge: bool = False
    # The colleague of the day the kiosk showed (their id), so the person's laptop shows the same
    # one and the picker's record is the same everywhere (hallway.picker, ``shown``).
    met: str = ""


class FeedKind(StrEnum):
    """What a feed is, in any network's terms."""

    HOME = "home"  # the person's own: who they follow (Mastodon's home, Yammer's My Feed, Chatter's news)
    COMPANY = "company"  # everyone (Mastodon's local timeline, Matrix's company room, All Company, Chatter's)
    TAG = "tag"  # posts with a hashtag (Mastodon)
    GROUP = "group"  # a community or group (Viva Engage, Chatter)


@dataclass(frozen=True, slots=True)
class FeedRef:
    """A feed the network offers: its kind, and for a hashtag, community or group, its name.
    ``key`` is how settings and the store spell it ("home", "local", "#name"), unchanged since
    Hallway had only Mastodon's feeds, so IT's machine files and the stored posts still hold."""

    kind: FeedKind
    id: str = ""

    @property
    def key(self) -> str:
        if self.kind is FeedKind.HOME:
            return "home"
        if self.kind is FeedKind.COMPANY:
            return "local"
        return f"#{self.id}"

    @classmethod
    def of(cls, key: str, named: FeedKind = FeedKind.TAG) -> FeedRef:
        """The feed a setting or the store names; ``named``: what "#name" is on this network (a
        hashtag on Mastodon, a community or group elsewhere)."""
        if key == "home":
            return HOME_FEED
        if key in ("local", "company"):
            return COMPANY_FEED
        return cls(named, key.removeprefix("#"))

    def __str__(self) -> str:
        return self.key


HOME_FEED = FeedRef(FeedKind.HOME)
COMPANY_FEED = FeedRef(FeedKind.COMPANY)


@dataclass(frozen=True, slots=True)
class FeedPage:
    """A page of posts, newest first, with the cursors to go further."""

    posts: tuple[Post, ...]
    older: str | None = None  # cursor for the next page back in time
    newer: str | None = None  # cursor for what is newer than this page
    removed: tuple[str, ...] = ()  # posts taken down meanwhile (Matrix redactions seen in the page)
    # Posts before this page changed meanwhile: their words edited, their reactions counted anew.
    edits: tuple[Edit, ...] = ()
    reactions: tuple[Reactions, ...] = ()


@dataclass(frozen=True, slots=True)
class Edit:
    """A post's words, changed after it was sent (Matrix's m.replace, Mastodon's edit): its place
    in the feed and its reactions stay."""

    post_id: str
    text: str
    html: str


@dataclass(frozen=True, slots=True)
class Reactions:
    """The reactions to a post as the network counts them now (absolute, so reading them twice is
    harmless), and whether one of them is the person's own."""

    post_id: str
    count: int
    mine: bool


@dataclass(frozen=True, slots=True)
class Presence:
    """Someone who shared that they are in an office today."""

    colleague_id: str
    place: Place
    at: datetime
    met: str = ""  # the colleague of the day the kiosk showed them, where the check-in says
    day: date | None = None  # the day the check-in names (a late one keeps its own), where known


SORT_WIDTH = 32
# Where a Mastodon-API network's people may be read from, in the order IT prefers them
# (network.people_from): the profile directory, the admin accounts API, the lobby account's
# followers, people seen posting in the company feed.
PEOPLE_SOURCES = ("directory", "admin", "followers", "posters")


def sort_key(value: str | int) -> str:
    """A position that sorts as text in the server's order. Numbers are padded so "10" follows
    "9"; fixed-width sortable ids (ULIDs, Pleroma's FlakeIds) keep their own order. Anything
    longer than the width, or empty, sorts first: it is never trusted to be newest."""
    text = str(value)
    if not text or len(text) > SORT_WIDTH:
        return ""
    return text.rjust(SORT_WIDTH, "0")
