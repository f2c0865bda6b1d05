"""Who is in the office, written on Mastodon with Mastodon's own calls (docs/networks.md has the
format as a contract for other clients).

Each office has one **unlisted** status per day by the lobby account, the day's post; each
check-in is an unlisted reply in its thread that links the person's profile and never
mentions them. Unlisted statuses stay out of every local and public timeline and hashtag, and a
reply to one's own post reaches only the lobby account's followers' homes, so nobody's feed
fills with check-ins and nobody is notified. A line starting ``hallway:`` makes each status
machine-readable whatever the kiosk's language:

    hallway:day?v=1&office=Lisbon&day=2026-12-03
    hallway:in?v=1&office=Lisbon&day=2026-12-03&account=109283&at=2026-12-03T08:42:00%2B00:00&met=10442&k=3f9c...

(``met``, optional: the colleague of the day the kiosk showed, by account id.)

"Who is in" is read back from the lobby accounts' own statuses (a forged line from anyone else
is never counted), newest first and then only what is new, so 5,000 check-ins a day cost 125
requests once and one request a pass after that.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import parse_qs, urlencode

from hallway.model import CheckIn, Colleague, Place, Presence

MARK = re.compile(r"hallway:(?P<kind>day|in)\?(?P<query>[^\s<\"']+)")
VERSION = "1"


@dataclass(frozen=True)
class Marked:
    """What a status's ``hallway:`` line says."""

    kind: str  # "day" or "in"
    office: str
    day: date
    account: str = ""
    at: datetime | None = None
    met: str = ""
    key: str = ""  # which outbox item wrote it (a hash of its key), where the line says


def write_key(key: str) -> str:
    """An outbox item's key as the check-in line carries it: short, and saying nothing else."""
    return hashlib.sha256(key.encode()).hexdigest()[:16] if key else ""


def day_text(office: str, day: date) -> str:
    line = urlencode({"v": VERSION, "office": office, "day": day.isoformat()})
    return (f"Who is in the {office} office on {day.isoformat()}: one reply each, written by the lobby.\n"
            f"hallway:day?{line}")


def check_in_text(check_in: CheckIn, colleague: Colleague, profile_url: str, day: date, key: str = "") -> str:
    """``key``: the outbox item's, so a look before a resend finds this very check-in (a server
    that keeps no idempotency key cannot tell two of one person's check-ins apart otherwise)."""
    line = urlencode({"v": VERSION, "office": check_in.place.name, "day": day.isoformat(),
                      "account": colleague.id, "at": check_in.at.isoformat(timespec="seconds"),
                      **({"met": check_in.met} if check_in.met else {}), **({"k": write_key(key)} if key else {})})
    who = f"{colleague.name} {profile_url}".strip() if profile_url else colleague.name
    return f"✓ {who}\nhallway:in?{line}"


def read(text: str) -> Marked | None:
    """The ``hallway:`` line of a status's plain text, if it has a sound one."""
    found = MARK.search(text)
    if found is None:
        return None
    values = {k: v[0] for k, v in parse_qs(found["query"].replace("&amp;", "&")).items() if v}
    try:
        day = date.fromisoformat(values.get("day", ""))
        at = datetime.fromisoformat(values["at"]) if values.get("at") else None
    except ValueError:
        return None
    office = values.get("office", "")[:200]
    if values.get("v") != VERSION or not office:
        return None
    if found["kind"] == "in" and not values.get("account"):
        return None
    return Marked(found["kind"], office, day, values.get("account", "")[:200], at, values.get("met", "")[:200],
                  values.get("k", "")[:32])


def presence(marked: Marked, created_at: datetime) -> Presence:
    return Presence(marked.account, Place(marked.office), marked.at or created_at, marked.met, marked.day)
