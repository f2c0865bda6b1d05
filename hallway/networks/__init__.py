"""What the apps need from a social network, whichever one the company runs.

Each connector (``mastodon.py``, later ``matrix.py``) implements ``Network`` in the
apps' words. Failures are the exceptions of hallway.http (Offline, Unauthorized,
RateLimited, Refused, BadAnswer, UntrustedServer), so sync treats every network alike.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum, StrEnum
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit

from hallway.http import BadAnswer, HttpError, Offline, RateLimited, Refused, Unauthorized, UntrustedServer
from hallway.model import (
    Announcement,
    CheckIn,
    Colleague,
    Edit,
    FeedPage,
    FeedRef,
    Notice,
    Post,
    Presence,
    Reactions,
    sort_key,
)

if TYPE_CHECKING:
    from hallway.signin.credentials import SignIn

__all__ = [
    "BadAnswer",
    "Capabilities",
    "DirectoryPass",
    "FieldNames",
    "HttpError",
    "Network",
    "NoteKind",
    "Offline",
    "RateLimited",
    "Refused",
    "ServerNote",
    "ServerNotes",
    "SetUp",
    "SetUpLine",
    "StreamEvent",
    "Unauthorized",
    "UntrustedServer",
    "check_photo_host",
    "shown_link",
    "sort_key",  # positions: the connectors make them, the store sorts by them
]


@dataclass(frozen=True)
class FieldNames:
    """Which profile fields hold which facts; set by IT to match how profiles are filled in."""

    title: str = "Title"
    team: str = "Team"
    office: str = "Office"
    hobbies: str = "Hobbies"
    ask_me_about: str = "Ask me about"
    pronouns: str = "Pronouns"
    started: str = "Started"
    email: str = "Email"
    office_days: str = "Office days"
    birthday: str = "Birthday"
    celebrate: str = "Celebrate"


def check_photo_host(url: str, server: str, media_hosts: tuple[str, ...] = ()) -> None:
    """Photos come only from the network's own host and the media hosts IT lists
    (``network.media_hosts``): a profile may name any address, and fetching it would let a
    server (or a person's profile) make every laptop call into the company's internal network."""
    wanted, own = urlsplit(url), urlsplit(server)
    if wanted.scheme not in ("https", "http"):
        raise Refused("That profile photo is not a web address.")
    if wanted.netloc.lower() == own.netloc.lower():
        return
    allowed = {host.strip().lower() for host in media_hosts if host.strip()}
    if wanted.netloc.lower() in allowed or (wanted.port is None and (wanted.hostname or "") in allowed):
        return
    raise Refused(f"That profile photo is on {wanted.netloc}, which is not a media host IT has allowed "
                  "(network.media_hosts).")


def shown_link(url: str, server: str, hosts: tuple[str, ...] = ()) -> str:
    """A profile's address if it may be offered to people's phones (the kiosk's QR code), else "":
    https on the network's own host or a host IT allows (``network.link_hosts``), or the network's
    own address as it is. A profile may hold any text: a ``javascript:`` or another site's
    address must never reach a code people scan in the lobby."""
    wanted, own = urlsplit(url.strip()), urlsplit(server)
    host = (wanted.hostname or "").lower()
    if not host or wanted.username or wanted.password:
        return ""
    allowed = {h.strip().lower() for h in hosts if h.strip()}
    if wanted.netloc.lower() == own.netloc.lower() and wanted.scheme in ("https", own.scheme):
        return url.strip()
    if wanted.scheme == "https" and (host == (own.hostname or "").lower() or host in allowed):
        return url.strip()
    return ""


@dataclass(frozen=True)
class Capabilities:
    """What a network offers beyond reading, posting and liking, so each screen offers only what
    works there (docs/networks.md has the table)."""

    # Posts can carry a content warning (Mastodon's spoiler_text).
    warnings: bool = False
    # A post can be shared with one's own followers (Mastodon's boost): the ⇄ under posts.
    shares: bool = False
    # "Say hi" can write to one colleague alone (Mastodon's direct visibility, Yammer's private
    # messages); where not, it opens the person's own profile.
    private_messages: bool = False
    # A reply names the people it answers in its own words to notify them (Mastodon, whose clients
    # start a reply with "@author", and nobody is notified otherwise); False where mentions travel
    # beside the words (Matrix's m.mentions, Yammer's markup, Chatter's segments), which
    # ``publish`` fills with the author answered.
    mentions_in_text: bool = False
    # The read position is shared with the person's other clients (Mastodon's markers, Matrix's
    # m.fully_read, Salesforce's notifications): reading here reads there.
    read_markers: bool = False
    # New posts are pushed as they happen (Mastodon's streaming API, Matrix's /sync); else every
    # feed is polled (Viva Engage, Chatter), at most once a minute.
    live_stream: bool = False


class NoteKind(StrEnum):
    """What a server keeps from Hallway, named as doctor names its checks."""

    DIRECTORY = "directory"
    ANNOUNCEMENTS = "announcements"
    READ_POSITIONS = "read positions"
    PROFILE_FACTS = "profile facts"
    WHO_IS_IN = "who is in by work location"
    WORK_LOCATION = "setting one's work location"
    UNREADABLE = "messages Hallway cannot read"  # an encrypted room's: the tray says so too


@dataclass(frozen=True)
class ServerNote:
    kind: NoteKind
    words: str  # what it means and what IT can change, in words


class ServerNotes:
    """What the server keeps from Hallway, found on the way (an API it lacks, a permission IT has
    not granted, messages Hallway cannot read), a note of each kind: the apps go on without it,
    and doctor and the kiosk's admin panel say it. Written by the sync thread, read by others."""

    def __init__(self) -> None:
        self._notes: dict[NoteKind, ServerNote] = {}

    def say(self, kind: NoteKind, words: str) -> None:
        self._notes[kind] = ServerNote(kind, words)

    def clear(self, kind: NoteKind) -> None:
        self._notes.pop(kind, None)

    def about(self, kind: NoteKind) -> str:
        """The note's words, or "" when the server keeps nothing of that kind from Hallway."""
        note = self._notes.get(kind)
        return note.words if note is not None else ""

    def __contains__(self, kind: NoteKind) -> bool:
        return kind in self._notes

    def __iter__(self) -> Iterator[ServerNote]:
        return iter(list(self._notes.values()))


class SetUp(Enum):
    """How one part of a server's set-up stands for Hallway, as doctor marks it."""

    FINE = "✓"
    WRONG = "✗"  # Hallway cannot work so: the words say what to change
    WORTH_KNOWING = "-"


@dataclass(frozen=True)
class SetUpLine:
    status: SetUp
    words: str

    @classmethod
    def fine(cls, words: str) -> SetUpLine:
        return cls(SetUp.FINE, words)

    @classmethod
    def wrong(cls, words: str) -> SetUpLine:
        return cls(SetUp.WRONG, words)

    @classmethod
    def worth_knowing(cls, words: str) -> SetUpLine:
        return cls(SetUp.WORTH_KNOWING, words)

    @classmethod
    def fine_if(cls, fine: bool, words: str) -> SetUpLine:
        return cls(SetUp.FINE if fine else SetUp.WRONG, words)


@dataclass(frozen=True)
class StreamEvent:
    """Something the network pushed: a new post (with the feed it belongs to), a notice, a deletion."""

    post: Post | None = None
    feed: FeedRef | None = None
    notice: Notice | None = None
    deleted_post_id: str | None = None
    announcements_changed: bool = False
    edit: Edit | None = None  # a post's words changed
    reactions: Reactions | None = None  # a post's reactions, counted anew
    # The stream (re)connected and brings only what happens from now on: what came while it was
    # down must be fetched (Mastodon's streams do not replay; Matrix's /sync resumes and never sends it).
    opened: bool = False


@dataclass(eq=False)
class DirectoryPass:
    """One reading of the company's people: iterated once, a page at a time; what it found out
    on the way is final once every page has been read."""

    since: str = ""  # the cursor the pass started from ("": list everyone)
    # False: everyone is listed but some profiles were left for later (a rate limit on profile
    # requests): sync comes back for them soon, not in six hours.
    complete: bool = True
    # Where the network can list only who changed since a complete pass (Graph's delta link): the
    # cursor to start the next one from, which sync keeps with the people; "" where every pass
    # lists everyone (Mastodon, Matrix).
    cursor: str = ""
    # Where the people came from, and how many from each, in words ("the lobby account's
    # followers (212)"), and where their profile facts (title, team, office, ...) came from: for
    # doctor and the kiosk's admin panel.
    people_from: str = ""
    facts_from: str = ""
    # Where following an account is how a person joins (the lobby's followers were a source):
    # that account's handle, which the kiosk names; "" where joining works otherwise.
    join_by_following: str = ""
    _pages: Iterator[list[Colleague]] = field(default_factory=lambda: iter(()), repr=False)

    @classmethod
    def reading(cls, pages: Callable[[DirectoryPass], Iterator[list[Colleague]]], since: str = "") -> DirectoryPass:
        """A pass whose pages ``pages`` yields, writing what it finds into the pass it is given."""
        found = cls(since=since)
        found._pages = pages(found)
        return found

    def __iter__(self) -> Iterator[list[Colleague]]:
        return self._pages


class Network(Protocol):
    kind: str
    # The feeds whose new posts the live stream brings (their events say the first); the others
    # are polled. Mastodon's user stream is the home feed; Matrix's /sync, the room.
    stream_feeds: tuple[FeedRef, ...]
    # Whether the streamed feeds are different feeds (Mastodon's home and local) or one feed under
    # two names (Matrix's room), so a pushed post is kept under its own feed or the app's.
    feeds_apart: bool
    # What this server keeps from Hallway, found on the way: the apps go on without it, and
    # doctor lists it.
    notes: ServerNotes
    # The sign-in every request carries, refreshed where the network's tokens expire.
    signin: SignIn
    # How far back a first sync reads a feed: as far as the network serves cheaply (a few pages).
    backfill_posts: int
    # Whether a new photo comes at a new address (Mastodon's, Matrix's mxc:, Salesforce's photo
    # ids), so a cached one never goes stale; False where the address stays (Microsoft Graph's
    # /users/{id}/photo/$value): sync fetches those again after a while.
    photos_move: bool

    def me(self) -> Colleague:
        """The signed-in account (for the kiosk, its service account)."""

    def capabilities(self) -> Capabilities:
        """What this network offers beyond reading, posting and liking; known without a request
        (what the server turned out to lack on the way counts: Mastodon's markers)."""

    # How long a write's idempotency key surely holds, whatever happens to the sign-in: an item
    # tried before and older than this is looked for before it is sent again (see Outbox). A
    # network with no idempotency keys (Viva Engage, Chatter, a Mastodon-compatible server that
    # ignores them) says 0: every resend is looked for first, with ``find_check_in`` and
    # ``find_post``, which is what keeps its writes exactly once.
    keys_kept_s: float

    def directory(self, known: Mapping[str, Colleague] | None = None, since: str = "") -> DirectoryPass:
        """Everyone the network lists as discoverable, a page at a time, and what the reading
        found out on the way. ``known``: the people the store holds (with the ``version`` the
        connector gave them), so a connector that pays a request per profile asks only for what
        changed. ``since``: the cursor of the last complete pass (``DirectoryPass.cursor``), where
        the network can list only who changed since (Graph's delta link)."""

    def feed_of(self, setting: str) -> FeedRef:
        """The feed a setting names ("home", "local", "#name") in this network's kinds: "#name"
        is a hashtag on Mastodon, a community on Viva Engage, a group on Chatter."""

    def feeds(self) -> list[FeedRef]:
        """The hashtags the person follows, or the communities or groups they belong to: what the
        settings window offers beside the company's feed and their own (none where the network
        has no such feeds)."""

    def feed(self, feed: FeedRef, *, newer_than: str | None = None, older_than: str | None = None,
             limit: int = 40) -> FeedPage:
        """A page of ``feed``: the newest, or just newer/older than a post."""

    def notices(self, newer_than: str | None = None) -> list[Notice]:
        """Mentions, replies and reactions for the signed-in person, newest first."""

    def can_write(self) -> bool | None:
        """Whether this sign-in may post; None when the server does not say."""

    def find_check_in(self, check_in: CheckIn, colleague: Colleague, key: str) -> str | None:
        """The id of this check-in if it already reached the network, else None: asked before
        sending again an item older than the server's idempotency window (Mastodon's hour)."""

    def announcements(self) -> list[Announcement]: ...

    def dismiss_announcement(self, announcement_id: str) -> None: ...

    def read_marker(self, feed: str) -> str | None:
        """The last item read in the feed whose key is ``feed`` (or "notices"), shared with the
        person's other clients."""

    def set_read_marker(self, feed: str, post_id: str) -> None: ...

    def check_in(self, check_in: CheckIn, colleague: Colleague, key: str) -> str:
        """Tell colleagues this person is in today; ``key`` makes a retry a no-op. Returns the remote id."""

    def react(self, post_id: str, key: str) -> str: ...

    def share_office_days(self, days: Sequence[date]) -> None:
        """Tell colleagues which days this person plans to be in (none: take the plan back), with
        the network's own calls (docs/networks.md); called only for people who chose to share."""

    def share(self, post_id: str, key: str) -> str:
        """Share a post with one's own followers (Mastodon's boost); only where ``capabilities().shares``."""

    def liked_by(self, post_id: str) -> list[str]:
        """Who liked a post, where the feed's pages do not say (``Post.liked_by``)."""

    def find_post(self, text: str, reply_to: str | None, since: datetime) -> str | None:
        """The id of this person's post with these words (answering ``reply_to``) made since
        ``since``, or None: asked before sending again a post older than the server's
        idempotency window, whose first answer may have been lost."""

    def publish(self, text: str, key: str, reply_to: str | None = None, warning: str = "") -> str:
        """Post ``text`` as the person wrote it (plain text: nothing typed becomes markup), as a
        reply to ``reply_to`` if given, behind a content ``warning`` where the network has them;
        ``key`` makes a retry a no-op. Returns the post's id."""

    def message(self, handle: str, text: str, key: str) -> str:
        """A private message to the colleague ``handle``: only they (and the person) see it; the
        words are sent as typed. Returns its id; found again before a resend with ``find_post``."""

    def text_limit(self) -> int | None:
        """How many characters a post may have, as the server says; None where it sets none."""

    def write_refusal(self, into: str) -> str:
        """Why Hallway will not write ``into`` ("feed": posts, replies, reactions; "check-ins": the
        kiosk's), in words, or "" when it may: an end-to-end encrypted Matrix room is never
        written in plain text. Asked each sync pass: an answer is remembered for minutes."""

    def in_office(self, day: date) -> list[Presence]:
        """Who shared their check-in on ``day``."""

    def check_ins(self, since: date) -> Iterator[Presence]:
        """Every shared check-in from ``since`` on, read once (``hallway report``)."""

    def stream(self, stop: threading.Event) -> Iterator[StreamEvent]:
        """Live events until ``stop`` is set; raises Offline when the stream cannot be kept open."""

    def close_stream(self) -> None:
        """End an open stream at once, from any thread (an app is quitting)."""

    def photo(self, url: str) -> bytes:
        """A profile photo, size-capped."""

    def set_up(self, kiosk: bool) -> list[SetUpLine]:
        """What the server's set-up means for Hallway, a line each, for doctor."""
