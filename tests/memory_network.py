"""A network in memory, for the fast tier: what was written to it, and faults scripted call by
call. ``faults`` holds one word per coming write: "refuse" (nothing arrives: the connection is
refused), "lose" (it arrives, and its answer is lost on the way back, the case exactly-once is
about), or "" (it goes through). ``keys_kept_s`` > 0 makes it honour idempotency keys for that
long, as Mastodon does; 0 makes it ignore them, as Matrix and most compatible servers do.

Its read side (people, posts, notices, who is in) serves what a test puts in it, counts every
call by name in ``asked`` and raises what ``failing`` names for a call, so sync's schedule and
its steps are checked without HTTP."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from hallway.http import HttpError, Offline
from hallway.model import Announcement, CheckIn, Colleague, FeedPage, FeedRef, Notice, Post, Presence
from hallway.networks import Capabilities, DirectoryPass, ServerNotes


@dataclass
class Written:
    kind: str  # "check-in", "post", "message", "reaction", "share", "dismissal", "office days"
    key: str
    text: str = ""
    target: str = ""  # the colleague, the post answered or acted on, the announcement
    id: str = ""


@dataclass
class MemoryNetwork:
    keys_kept_s: float = 0.0
    faults: list[str] = field(default_factory=list)
    written: list[Written] = field(default_factory=list)
    calls: int = 0
    # The read side: what the network holds, what was asked of it, and what a call raises.
    people: list[Colleague] = field(default_factory=list)
    posts: dict[str, list[Post]] = field(default_factory=dict)  # feed key ("home", "local") -> newest first
    inbox: list[Notice] = field(default_factory=list)
    present: dict[date, list[Presence]] = field(default_factory=dict)
    asked: Counter[str] = field(default_factory=Counter)
    failing: dict[str, HttpError] = field(default_factory=dict)
    # What Sync reads of a network besides its calls.
    kind: str = "memory"
    stream_feeds: tuple[FeedRef, ...] = ()
    feeds_apart: bool = True
    backfill_posts: int = 100
    photos_move: bool = True
    notes: ServerNotes = field(default_factory=ServerNotes)

    def _ask(self, call: str) -> None:
        self.asked[call] += 1
        failure = self.failing.get(call)
        if failure is not None:
            raise failure

    def capabilities(self) -> Capabilities:
        return Capabilities(read_markers=True)

    def directory(self, known: Mapping[str, Colleague] | None = None, since: str = "") -> DirectoryPass:
        self._ask("directory")
        return DirectoryPass.reading(lambda _found: (self.people[start:start + 50]
                                                     for start in range(0, len(self.people), 50)))

    def feed_of(self, setting: str) -> FeedRef:
        return FeedRef.of(setting)

    def feeds(self) -> list[FeedRef]:
        return [FeedRef.of(key) for key in self.posts if key.startswith("#")]

    def feed(self, feed: FeedRef, *, newer_than: str | None = None, older_than: str | None = None,
             limit: int = 40) -> FeedPage:
        self._ask("feed")
        posts = self.posts.get(feed.key, [])
        ids = [p.id for p in posts]
        if newer_than is not None:
            posts = posts[:ids.index(newer_than)] if newer_than in ids else posts
        elif older_than is not None:
            posts = posts[ids.index(older_than) + 1:] if older_than in ids else []
        page = posts[:limit]
        return FeedPage(tuple(page), older=page[-1].id if len(posts) > limit else None)

    def notices(self, newer_than: str | None = None) -> list[Notice]:
        self._ask("notices")
        return list(self.inbox)

    def announcements(self) -> list[Announcement]:
        self._ask("announcements")
        return []

    def read_marker(self, feed: str) -> str | None:
        self._ask("read_marker")
        return None

    def set_read_marker(self, feed: str, post_id: str) -> None:
        self._ask("set_read_marker")

    def in_office(self, day: date) -> list[Presence]:
        self._ask("in_office")
        return list(self.present.get(day, []))

    def write_refusal(self, into: str) -> str:
        return ""

    def photo(self, url: str) -> bytes:
        self._ask("photo")
        return b""

    def _write(self, made: Written) -> str:
        self.calls += 1
        fault = self.faults.pop(0) if self.faults else ""
        if fault == "refuse":
            raise Offline("memory network: the connection was refused")
        same_key = next((w for w in self.written if w.key == made.key and w.kind == made.kind), None)
        if same_key is not None and made.key and self.keys_kept_s > 0:
            found = same_key  # the key is honoured: the first one's answer again, nothing new
        else:
            made.id = str(len(self.written) + 1)
            self.written.append(made)
            found = made
        if fault == "lose":
            raise Offline("memory network: the answer was lost on its way back")
        return found.id

    def of(self, kind: str) -> list[Written]:
        return [w for w in self.written if w.kind == kind]

    # ------------------------------------------------------------ what the outbox calls

    def check_in(self, check_in: CheckIn, colleague: Colleague, key: str) -> str:
        return self._write(Written("check-in", key, target=colleague.id))

    def find_check_in(self, check_in: CheckIn, colleague: Colleague, key: str) -> str | None:
        """As the real ones look: this very check-in (its key is in what it wrote), not an earlier one."""
        self.calls += 1
        return next((w.id for w in self.of("check-in") if w.key == key), None)

    def publish(self, text: str, key: str, reply_to: str | None = None, warning: str = "") -> str:
        return self._write(Written("post", key, text, reply_to or ""))

    def message(self, handle: str, text: str, key: str) -> str:
        return self._write(Written("message", key, text, handle))

    def find_post(self, text: str, reply_to: str | None, since: datetime) -> str | None:
        self.calls += 1
        return next((w.id for w in self.written if w.kind in ("post", "message") and w.text == text), None)

    def react(self, post_id: str, key: str) -> str:
        if any(w.target == post_id for w in self.of("reaction")):
            self.calls += 1
            return "liked"  # liking twice is one like
        return self._write(Written("reaction", key, target=post_id))

    def share(self, post_id: str, key: str) -> str:
        if any(w.target == post_id for w in self.of("share")):
            self.calls += 1
            return "shared"  # Mastodon answers a second share with the first
        return self._write(Written("share", key, target=post_id))

    def dismiss_announcement(self, announcement_id: str) -> None:
        if not any(w.target == announcement_id for w in self.of("dismissal")):
            self._write(Written("dismissal", "", target=announcement_id))

    def share_office_days(self, days: Sequence[date]) -> None:
        self._write(Written("office days", "", ",".join(d.isoformat() for d in days)))
