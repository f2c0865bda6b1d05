"""One copy of the company directory for every laptop: a file IT exports (``hallway
export-directory``, or the kiosk after each of its directory reads: ``kiosk.export_directory``)
and serves from its own web server or a file share, so that 10,000 laptops each make one
conditional request a day (answered "304 Not Modified" on most days) instead of paging the
network's directory (124 requests and 14 MB each on a 10,000-person Mastodon).

The file is Hallway's own format, JSON (gzip-compressed when its name ends in ``.gz``)::

    {"format": "hallway-directory", "version": 1, "server": "https://social.example.com",
     "exported_at": "2026-12-05T06:00:00+00:00", "people": [{"id": "...", "name": "...", ...}]}

It is read as untrusted input, like any answer from a network: sizes capped, every field checked,
a copy for another server or older than ``STALE_AFTER_DAYS`` refused (then laptops read the
network's directory, and doctor and sync say why).
"""

from __future__ import annotations

import contextlib
import gzip
import json
import logging
import os
import tempfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from hallway.config import Config
from hallway.http import HttpClient
from hallway.model import Colleague

FORMAT = "hallway-directory"
VERSION = 1
STALE_AFTER_DAYS = 3  # the kiosk exports every six hours: three days old means the export stopped
MAX_COPY_BYTES = 64 * 1024 * 1024  # as sent (compressed or not)
MAX_PLAIN_BYTES = 256 * 1024 * 1024  # unpacked: a "zip bomb" stops here
log = logging.getLogger(__name__)

TEXT_FIELDS = ("name", "handle", "pronouns", "title", "team", "office", "ask_me_about", "bio", "photo_url",
               "profile_url", "email")


class BadCopy(Exception):
    """The copy cannot be used; the message says why, in words for IT."""


@dataclass(frozen=True)
class DirectoryCopy:
    server: str
    exported_at: datetime
    people: list[Colleague]
    skipped: int = 0  # entries that were not a person Hallway can show


@dataclass(frozen=True)
class CopySource:
    """Where this computer reads the company's copy (network.directory_copy) and of which server."""

    where: str
    server: str
    client: HttpClient

    def read(self, max_people: int) -> DirectoryCopy | None:
        return read(self.where, self.server, self.client, max_people)

    def words(self, copy: DirectoryCopy | None) -> str:
        when = f", exported {copy.exported_at.astimezone():%d %b %H:%M}" if copy else ""
        return f"the company's directory copy ({self.where}{when})"


def source(config: Config, client: HttpClient) -> CopySource | None:
    """The copy IT set in network.directory_copy, if any."""
    where = config["network.directory_copy"]
    return CopySource(where, config["network.server"], client) if where else None


def exporter(config: Config, people: Callable[[], list[Colleague]]) -> Callable[[], None] | None:
    """What the kiosk runs after each complete read of the network's directory
    (kiosk.export_directory); a failure is logged, never a failed pass."""
    to = config["kiosk.export_directory"]
    if not to:
        return None

    def write() -> None:
        try:
            count = export(people(), config["network.server"], Path(to))
            log.info("wrote the directory copy %s (%d people)", to, count)
        except OSError as failure:
            log.warning("could not write the directory copy %s: %s", to, failure.strerror or failure)
    return write


def is_web_address(where: str) -> bool:
    return urlsplit(where).scheme in ("http", "https")


def local_path(where: str) -> Path:
    parts = urlsplit(where)
    return Path(unquote(parts.path)) if parts.scheme == "file" else Path(where)


def to_bytes(people: Iterable[Colleague], server: str, now: datetime, packed: bool) -> bytes:
    rows = [_row(person) for person in people]
    text = json.dumps({"format": FORMAT, "version": VERSION, "server": server.rstrip("/"),
                       "exported_at": now.astimezone(UTC).isoformat(), "people": rows},
                      ensure_ascii=False, separators=(",", ":")).encode()
    return gzip.compress(text, 6, mtime=0) if packed else text


def export(people: list[Colleague], server: str, to: Path, now: datetime | None = None) -> int:
    """Write the copy in one step (a reader never sees half a file); returns how many people."""
    body = to_bytes(people, server, now or datetime.now(UTC), packed=to.name.endswith(".gz"))
    to.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=".hallway-directory-", dir=to.parent)
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(body)
            out.flush()
            os.fsync(out.fileno())
        temporary.chmod(0o644)  # the web server serving it is another user
        temporary.replace(to)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return len(people)


def read(where: str, server: str, client: HttpClient, max_people: int, now: datetime | None = None,
         ) -> DirectoryCopy | None:
    """The copy at ``where`` (a web address or a file); None when a web server says it has not
    changed since this computer last read it (the answer kept in the store: store/kept.py)."""
    if is_web_address(where):
        answer = client.request("GET", where, max_bytes=MAX_COPY_BYTES)
        if not answer.fresh:
            return None
        body = answer.body
    else:
        try:
            with local_path(where).open("rb") as source:
                body = source.read(MAX_COPY_BYTES + 1)
        except OSError as failure:
            raise BadCopy(f"{where} cannot be read ({failure.strerror or failure}).") from None
        if len(body) > MAX_COPY_BYTES:
            raise BadCopy(f"{where} is larger than {MAX_COPY_BYTES // 1024 // 1024} MB.")
    return parse(body, server, max_people, now or datetime.now(UTC))


def parse(body: bytes, server: str, max_people: int, now: datetime) -> DirectoryCopy:  # noqa: C901
    if body[:2] == b"\x1f\x8b":
        unpack = zlib.decompressobj(wbits=31)
        try:
            body = unpack.decompress(body, MAX_PLAIN_BYTES)
        except zlib.error:
            raise BadCopy("The directory copy is a damaged gzip file.") from None
        if unpack.unconsumed_tail:
            raise BadCopy(f"The directory copy unpacks to more than {MAX_PLAIN_BYTES // 1024 // 1024} MB.")
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        raise BadCopy("The directory copy is not a Hallway directory file (not valid JSON).") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BadCopy("The directory copy is not a Hallway directory file.")
    if document.get("version") != VERSION:
        raise BadCopy(f"The directory copy is version {document.get('version')!r}; this Hallway reads version "
                      f"{VERSION}. Export it again with this Hallway.")
    if str(document.get("server", "")).rstrip("/") != server.rstrip("/"):
        raise BadCopy(f"The directory copy is of {str(document.get('server'))[:200]!r}, not of {server}.")
    try:
        exported = datetime.fromisoformat(str(document.get("exported_at")))
    except ValueError:
        raise BadCopy("The directory copy does not say when it was exported.") from None
    if exported.tzinfo is None:
        exported = exported.replace(tzinfo=UTC)
    age = now - exported
    if age.days >= STALE_AFTER_DAYS:
        raise BadCopy(f"The directory copy was exported {age.days} days ago: the export has stopped "
                      "(the kiosk's kiosk.export_directory, or IT's `hallway export-directory` job).")
    rows = document.get("people")
    if not isinstance(rows, list) or not rows:
        raise BadCopy("The directory copy lists nobody.")
    people: list[Colleague] = []
    seen: set[str] = set()
    for row in rows[:max_people]:
        person = _person(row)
        if person is not None and person.id not in seen:
            seen.add(person.id)
            people.append(person)
    if not people:
        raise BadCopy("The directory copy lists nobody Hallway can show.")
    return DirectoryCopy(server, exported, people, skipped=min(len(rows), max_people) - len(people))


def _row(person: Colleague) -> dict[str, Any]:
    row: dict[str, Any] = {field: getattr(person, field) for field in ("id", *TEXT_FIELDS) if getattr(person, field)}
    if person.hobbies:
        row["hobbies"] = list(person.hobbies)
    if person.started_on:
        row["started_on"] = person.started_on.isoformat()
    if person.office_days:
        row["office_days"] = [day.isoformat() for day in person.office_days]
    if person.birthday and person.celebrate:  # only of people who said yes to being celebrated
        row["birthday"] = f"{person.birthday[0]:02d}-{person.birthday[1]:02d}"
    if person.celebrate:
        row["celebrate"] = True
    return row


def _person(row: Any) -> Colleague | None:
    """One entry, every field checked (the store caps the lengths); None when it is no person."""
    if not isinstance(row, dict) or not isinstance(row.get("id"), str) or not row["id"]:
        return None
    text = {field: row[field] for field in TEXT_FIELDS if isinstance(row.get(field), str)}
    if not text.get("name"):
        return None
    hobbies = row.get("hobbies")
    birthday = None
    with contextlib.suppress(ValueError, TypeError, AttributeError):
        month, day = (int(part) for part in str(row.get("birthday", "")).split("-"))
        date(2000, month, day)  # a real day of the year (29 February included)
        birthday = (month, day)
    return Colleague(
        id=row["id"][:200], **text,
        hobbies=tuple(h for h in hobbies[:10] if isinstance(h, str)) if isinstance(hobbies, list) else (),
        started_on=_day(row.get("started_on")),
        office_days=tuple(d for d in (_day(v) for v in row.get("office_days") or [] if isinstance(v, str))
                          if d is not None)[:60] if isinstance(row.get("office_days"), list) else (),
        birthday=birthday, celebrate=row.get("celebrate") is True)


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
