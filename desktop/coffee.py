""""Invite for coffee": a calendar invitation (RFC 5545 .ics) that the person's own calendar or
mail app opens, so Hallway needs no calendar access of its own. It proposes the next working
day at 10:30 for 15 minutes; the person changes what they like before sending."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from hallway.model import Colleague

WHEN = time(10, 30)
MINUTES = 15


def next_working_day(today: date) -> date:
    day = today + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _escape(text: str) -> str:
    """RFC 5545 TEXT: backslash, semicolon, comma and newline escaped; no other control characters."""
    text = "".join(ch for ch in text if ch == "\n" or ord(ch) >= 32)
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1)."""
    out, current = [], b""
    for ch in line:
        encoded = ch.encode()
        if len(current) + len(encoded) > 75:
            out.append(current.decode())
            current = b" "
        current += encoded
    out.append(current.decode())
    return "\r\n".join(out)


def invitation(me: Colleague | None, colleague: Colleague, today: date, office: str = "",
               now: datetime | None = None) -> str:
    day = next_working_day(today)
    start = datetime.combine(day, WHEN).astimezone()
    end = start + timedelta(minutes=MINUTES)
    stamp = (now or datetime.now(UTC)).astimezone(UTC)
    place = office or colleague.office
    about = f"Ask me about: {colleague.ask_me_about}" if colleague.ask_me_about else ""
    summary = f"Coffee: {me.name} and {colleague.name}" if me else f"Coffee with {colleague.name}"
    description = " ".join(p for p in (f"{colleague.name} was your colleague of the day in Hallway.", about,
                                       colleague.profile_url) if p)
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Hallway//Colleague of the day//EN", "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{secrets.token_hex(12)}@hallway",
        f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}",
        f"DTSTART:{start.astimezone(UTC):%Y%m%dT%H%M%SZ}",
        f"DTEND:{end.astimezone(UTC):%Y%m%dT%H%M%SZ}",
        f"SUMMARY:{_escape(summary)}",
        f"DESCRIPTION:{_escape(description)}",
    ]
    if place:
        lines.append(f"LOCATION:{_escape(place)}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def write_invitation(folder: Path, text: str, colleague: Colleague) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    safe = "".join(ch for ch in colleague.name if ch.isalnum() or ch in " -")[:40].strip() or "colleague"
    path = folder / f"Coffee with {safe}.ics"
    path.write_text(text, "utf-8", newline="")
    return path
