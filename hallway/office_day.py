"""An office's clock: days are cut at the office's midnight, not UTC's and not the kiosk
computer's (appliances often run on UTC). A Tokyo check-in at 08:30 is Tokyo's day; a Toronto
one at 19:30 is still Toronto's. ``office.timezone`` names the zone; empty means the computer's."""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone_problem(name: str) -> str | None:
    """Why ``name`` is not a time zone this computer knows, or None (for the settings check)."""
    if not name:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return "must be a time zone such as Europe/Lisbon or Asia/Tokyo"
    return None


class OfficeClock:
    def __init__(self, zone_name: str = "") -> None:
        self.zone: tzinfo | None = ZoneInfo(zone_name) if zone_name and not zone_problem(zone_name) else None

    def now(self) -> datetime:
        """Now, in the office's zone (the computer's when none is set)."""
        return datetime.now(self.zone) if self.zone is not None else datetime.now().astimezone()

    def today(self) -> date:
        return self.now().date()
