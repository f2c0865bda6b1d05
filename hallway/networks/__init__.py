"""What the apps need from a social network, whichever one the company runs.

Each connector (``mastodon.py``, later ``matrix.py``) implements ``Network`` in the
apps' words. Failures are the exceptions of hallway.http (Offline, Unauthorized,
RateLimited, Refused, BadAnswer, UntrustedServer), so sync treats every network alike.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit

from hallway.http import BadAnswer, HttpError, Offline, RateLimited, Refused, Unauthorized, UntrustedServer
from hallway.model import (
    Announcement,
    CheckIn,
    Colleague,
    Edit,
    FeedPage,
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
    "FieldNames",
    "HttpError",
    "Network",
    "Offline",
    "RateLimited",
    "Refused",
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
class StreamEvent:
    """Something the network pushed: a new post (with the feed it belongs to), a notice, a deletion."""

    post: Post | None = None
    feed: str = ""
    notice: Notice | None = None
    deleted_post_id: str | None = None
    announcements_changed: bool = False
    edit: Edit | None = None  # a post's words changed
    reactions: Reactions | None = None  # a post's reactions, counted anew
    # The stream (re)connected and brings only what happens from now on: what came while it was
    # down must be fetched (Mastodon's streams do not replay; Matrix's /sync resumes and never sends it).
    opened: bool = False


class Network(Protocol):
    kind: str
    # The feeds whose new posts the live stream brings (their events say the first name); the
    # others are polled. Mastodon's user stream is the home feed; Matrix's /sync, the room.
    stream_feeds: tuple[str, ...]
    # Whether the streamed feeds are different feeds (Mastodon's home and local) or one feed under
    # two names (Matrix's room), so a pushed post is kept under its own feed or the app's.
    feeds_apart: bool
    # APIs this server does not have, found on the way (path -> what it means, in words): the
    # apps go on without them, and doctor lists them.
    missing: dict[str, str]
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

    # False after a directory pass that listed everyone but left some profiles for later (a rate
    # limit on profile requests): sync comes back for them soon, not in six hours.
    directory_complete: bool
    # Where the network can list only who changed since a complete pass (Graph's delta link):
    # that pass's cursor, kept by sync with the people and set again before the next pass; ""
    # where every pass lists everyone (Mastodon, Matrix).
    directory_cursor: str
    # How long a write's idempotency key surely holds, whatever happens to the sign-in: an item
    # tried before and older than this is looked for before it is sent again (see Outbox).
    keys_kept_s: float
    # Where the directory's profile facts (title, team, office, ...) come from, in words, for
    # doctor and the kiosk's admin panel; empty until the directory has been read.
    facts_from: str
    # Where the last directory pass found the people, and how many from each, in words ("the
    # lobby account's followers (212)"), for doctor and the kiosk's admin panel.
    people_from: str
    # Where following an account is how a person joins (the lobby's followers are a source of
    # people): that account's handle, which the kiosk names; "" where joining works otherwise.
    join_by_following: str

    def directory(self, known: Mapping[str, Colleague] | None = None) -> Iterator[list[Colleague]]:
        """Everyone the network lists as discoverable, a page at a time. ``known``: the people
        the store holds (with the ``version`` the connector gave them), so a connector that pays
        a request per profile asks only for what changed."""

    def feed(self, feed: str, *, newer_than: str | None = None, older_than: str | None = None,
             limit: int = 40) -> FeedPage:
        """A page of ``feed`` ("home", "local" or "#tag"): the newest, or just newer/older than a post."""

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
        """The last item read in ``feed`` (or "notices"), shared with the person's other clients."""

    def set_read_marker(self, feed: str, post_id: str) -> None: ...

    def check_in(self, check_in: CheckIn, colleague: Colleague, key: str) -> str:
        """Tell colleagues this person is in today; ``key`` makes a retry a no-op. Returns the remote id."""

    def react(self, post_id: str, key: str) -> str: ...

    def share_office_days(self, days: Sequence[date]) -> None:
        """Tell colleagues which days this person plans to be in (none: take the plan back), with
        the network's own calls (docs/networks.md); called only for people who chose to share."""

    def boost(self, post_id: str, key: str) -> str:
        """Share a post with one's own followers (Mastodon's reblog); only where ``boosts``."""

    def favourited_by(self, post_id: str) -> list[str]:
        """Who favourited a post, where the feed's pages do not say (``Post.favourited_by``)."""

    def find_post(self, text: str, reply_to: str | None, since: datetime) -> str | None:
        """The id of this person's post with these words (answering ``reply_to``) made since
        ``since``, or None: asked before sending again a post older than the server's
        idempotency window, whose first answer may have been lost."""

    def publish(self, text: str, key: str, reply_to: str | None = None, warning: str = "") -> str:
        """Post ``text`` as the person wrote it (plain text: nothing typed becomes markup), as a
        reply to ``reply_to`` if given, behind a content ``warning`` where the network has them;
        ``key`` makes a retry a no-op. Returns the post's id."""

    # Whether a private message to one colleague can be written here ("Say hi": Mastodon's direct
    # visibility, Yammer's private messages); where not, "Say hi" opens the person's own profile.
    private_messages: bool

    def message(self, handle: str, text: str, key: str) -> str:
        """A private message to the colleague ``handle``: only they (and the person) see it; the
        words are sent as typed. Returns its id; found again before a resend with ``find_post``."""

    def text_limit(self) -> int | None:
        """How many characters a post may have, as the server says; None where it sets none."""

    def write_refusal(self, into: str) -> str:
        """Why Hallway will not write ``into`` ("feed": posts, replies, reactions; "check-ins": the
        kiosk's), in words, or "" when it may: an end-to-end encrypted Matrix room is never
        written in plain text. Asked each sync pass: an answer is remembered for minutes."""

    # Whether posts can carry a content warning (Mastodon's spoiler_text; Matrix has none).
    warnings: bool
    # Whether posts can be boosted (Mastodon's reblogs; Matrix has no such thing).
    boosts: bool
    # Whether a reply names the people it answers in its own words to notify them (Mastodon, whose
    # clients start a reply with "@author", and nobody is notified otherwise); False where the
    # network carries mentions beside the words (Matrix's m.mentions, which ``publish`` fills with
    # the sender of the message answered).
    mentions_in_text: bool

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

    def set_up(self, kiosk: bool) -> list[tuple[bool | None, str]]:
        """What the server's set-up means for Hallway, a line each, for doctor: (True: fine,
        False: Hallway cannot work so, None: worth knowing; the words say what to change)."""
