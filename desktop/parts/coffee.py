""""Invite for coffee": a real meeting request that reaches the calendar the company runs, so
Hallway needs no calendar access of its own.

``plan`` proposes a time (the next working day at 10:30, moved out of quiet hours) and a place
that fits: the coffee corner when both work in the same office, an online call when not.
``ics`` writes it as an RFC 5546 ``METHOD:REQUEST`` with the person as organiser and the
colleague as attendee (addresses from the profile field IT names, ``fields.email``); without the
colleague's address it is an event for one's own calendar, and says so. ``outlook_link`` and
``google_link`` are those calendars' public compose links with everything filled in.
``Invitations`` hands it over the way IT chose (``desktop.calendar``), and when nothing opens
it, says so and offers to copy it."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from urllib.parse import urlencode

from PySide6.QtCore import QObject, QStandardPaths, QUrl, Signal
from PySide6.QtGui import QGuiApplication

from desktop.parts.links import colleague_link
from desktop.parts.quiet import QuietHours
from hallway import config as settings
from hallway.model import Colleague
from ui.language import fill, translate

log = logging.getLogger(__name__)
WHEN = time(10, 30)
MINUTES = 15
CALENDARS = ("system", "outlook", "google")


def next_working_day(today: date) -> date:
    day = today + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


@dataclass(frozen=True)
class Coffee:
    """One proposed coffee: who, when, where, and what the invitation says."""

    me: Colleague | None
    colleague: Colleague
    start: datetime
    end: datetime
    place: str
    online: bool
    summary: str
    description: str

    @property
    def invites_someone(self) -> bool:
        """A meeting request needs both addresses: the organiser's and the attendee's."""
        return bool(self.colleague.email and self.me is not None and self.me.email)


def plan(me: Colleague | None, colleague: Colleague, now: datetime, quiet: QuietHours | None = None,
         my_office: str = "") -> Coffee:
    """The next working day at 10:30 in the person's own time zone, moved on by half hours
    while it falls in quiet hours; the coffee corner of a shared office, else an online call."""
    zone = now.tzinfo or now.astimezone().tzinfo
    start = datetime.combine(next_working_day(now.date()), WHEN, zone)
    for _ in range(7 * 48):
        if quiet is None or not (quiet.quiet_at(start) or quiet.quiet_at(start + timedelta(minutes=MINUTES - 1))):
            break
        start += timedelta(minutes=30)
    mine = (me.office if me is not None and me.office else my_office).strip()
    theirs = colleague.office.strip()
    together = bool(mine) and mine.casefold() == theirs.casefold()
    place = fill(translate("Coffee", "Coffee corner, %1 office"), mine) if together else \
        translate("Coffee", "Online call")
    summary = fill(translate("Coffee", "Coffee: %1 and %2"), me.name, colleague.name) if me is not None else \
        fill(translate("Coffee", "Coffee with %1"), colleague.name)
    lines = [fill(translate("Coffee", "%1 was your colleague of the day in Hallway."), colleague.name)]
    if not together:
        if mine and theirs:
            where = fill(translate("Coffee", "You are in %1 and %2 in %3"), mine, colleague.name, theirs)
        elif theirs:
            where = fill(translate("Coffee", "%1 works in %2"), colleague.name, theirs)
        else:
            where = translate("Coffee", "You work in different places")
        lines.append(fill(translate("Coffee", "%1: a 15-minute video call. Add the call link of your choice."), where))
    if colleague.ask_me_about:
        lines.append(fill(translate("Coffee", "Ask me about: %1"), colleague.ask_me_about))
    if not colleague.email:
        lines.append(fill(translate("Coffee", "Hallway has no email address for %1: add them to the invitation "
                                              "yourself."), colleague.name))
    links = [link for link in (colleague.profile_url, colleague_link(colleague.id)) if link]
    lines.append(fill(translate("Coffee", "Profile: %1"), " · ".join(links)))
    return Coffee(me, colleague, start, start + timedelta(minutes=MINUTES), place, not together, summary,
                  "\n".join(lines))


def _escape(text: str) -> str:
    """RFC 5545 TEXT: backslash, semicolon, comma and newline escaped; no other control characters."""
    text = "".join(ch for ch in text if ch == "\n" or ord(ch) >= 32)
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _name(text: str) -> str:
    """A CN parameter: quoted, and no quote, control character, comma-breaking or colon inside."""
    return '"' + "".join(ch for ch in text if ord(ch) >= 32 and ch not in '"')[:100] + '"'


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


def ics(coffee: Coffee, stamp: datetime | None = None) -> str:
    """The invitation as RFC 5545 text: a REQUEST to the colleague when both addresses are
    known (a calendar sends it on and tracks the answer), else a PUBLISH for one's own calendar."""
    stamp = (stamp or datetime.now(UTC)).astimezone(UTC)
    request = coffee.invites_someone
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Hallway//Colleague of the day//EN",
        f"METHOD:{'REQUEST' if request else 'PUBLISH'}", "CALSCALE:GREGORIAN",
        "BEGIN:VEVENT",
        f"UID:{secrets.token_hex(12)}@hallway",
        f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}",
        f"DTSTART:{coffee.start.astimezone(UTC):%Y%m%dT%H%M%SZ}",
        f"DTEND:{coffee.end.astimezone(UTC):%Y%m%dT%H%M%SZ}",
        "SEQUENCE:0", "STATUS:CONFIRMED", "TRANSP:OPAQUE",
        f"SUMMARY:{_escape(coffee.summary)}",
        f"DESCRIPTION:{_escape(coffee.description)}",
        f"LOCATION:{_escape(coffee.place)}",
    ]
    if request and coffee.me is not None:
        lines.append(f"ORGANIZER;CN={_name(coffee.me.name)}:mailto:{coffee.me.email}")
        lines.append(f"ATTENDEE;CN={_name(coffee.me.name)};ROLE=CHAIR;PARTSTAT=ACCEPTED:mailto:{coffee.me.email}")
        lines.append(f"ATTENDEE;CN={_name(coffee.colleague.name)};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;"
                     f"RSVP=TRUE:mailto:{coffee.colleague.email}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def outlook_link(coffee: Coffee, host: str = "outlook.office.com") -> str:
    """Outlook on the web's documented compose deep link (…/calendar/deeplink/compose)."""
    query = {"path": "/calendar/action/compose", "rru": "addevent", "subject": coffee.summary,
             "startdt": coffee.start.isoformat(timespec="seconds"), "enddt": coffee.end.isoformat(timespec="seconds"),
             "body": coffee.description, "location": coffee.place}
    if coffee.colleague.email:
        query["to"] = coffee.colleague.email
    if coffee.online:
        query["online"] = "true"
    return f"https://{host}/calendar/deeplink/compose?" + urlencode(query)


def google_link(coffee: Coffee) -> str:
    """Google Calendar's event template link (calendar/render?action=TEMPLATE)."""
    query = {"action": "TEMPLATE", "text": coffee.summary,
             "dates": f"{coffee.start.astimezone(UTC):%Y%m%dT%H%M%SZ}/{coffee.end.astimezone(UTC):%Y%m%dT%H%M%SZ}",
             "details": coffee.description, "location": coffee.place}
    if coffee.colleague.email:
        query["add"] = coffee.colleague.email
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


def invitations_folder() -> Path:
    """The person's own runtime folder (XDG_RUNTIME_DIR on Linux: private, emptied at logout),
    never a folder others share; else Hallway's own data folder."""
    runtime = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.RuntimeLocation)
    if runtime:
        return Path(runtime) / "hallway" / "invitations"
    from hallway.store import default_path
    return default_path().parent / "invitations"


def write(folder: Path, text: str, colleague: Colleague) -> Path:
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    safe = "".join(ch for ch in colleague.name if ch.isalnum() or ch in " -")[:40].strip() or "colleague"
    path = folder / f"Coffee with {safe}.ics"
    path.write_text(text, "utf-8", newline="")
    path.chmod(0o600)  # the person's own: an invitation names who meets whom
    return path


class Invitations(QObject):
    """Hands a coffee invitation to the calendar IT chose; when nothing takes it, ``unopened``
    carries what to say and the invitation, for the app to offer a copy."""

    unopened = Signal(str, str)  # what to tell the person, and the invitation's text to copy
    sent = Signal(str, str)  # how it went out ("outlook", "google", "system") and the link or file

    def __init__(self, calendar: str, outlook_host: str, quiet: Callable[[], QuietHours],
                 now: Callable[[], datetime], open_url: Callable[[QUrl], object], my_office: str = "") -> None:
        super().__init__()
        self.calendar = calendar if calendar in CALENDARS else "system"
        self.outlook_host, self.quiet, self.now, self._open_url = outlook_host, quiet, now, open_url
        self.my_office = my_office
        self.last: Coffee | None = None

    def reconfigure(self, config: settings.Config) -> None:
        self.calendar = config["desktop.calendar"] if config["desktop.calendar"] in CALENDARS else "system"

    def send(self, me: Colleague | None, colleague: Colleague) -> Coffee:
        coffee = plan(me, colleague, self.now(), self.quiet(), self.my_office)
        self.last = coffee
        text = ics(coffee)
        if self.calendar in ("outlook", "google"):
            link = outlook_link(coffee, self.outlook_host) if self.calendar == "outlook" else google_link(coffee)
            if self._open_url(QUrl(link)):
                self.sent.emit(self.calendar, link)
                return coffee
            log.warning("the browser did not open the %s link; handing the .ics to the system instead", self.calendar)
        path = write(invitations_folder(), text, colleague)
        if self._open_url(QUrl.fromLocalFile(str(path))):
            self.sent.emit("system", str(path))
            return coffee
        log.warning("nothing opened the coffee invitation %s", path)
        self.unopened.emit(fill(self.tr("No calendar app opened the invitation. It is saved as %1; copy it and "
                                        "paste it into your calendar, or attach the file to an email."), path), text)
        return coffee


def copy_to_clipboard(text: str) -> None:
    QGuiApplication.clipboard().setText(text)
