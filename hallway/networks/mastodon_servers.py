"""Which server speaks the Mastodon API here: Mastodon itself, or one of the independent
implementations (GoToSocial, Akkoma, Pleroma, Takahē, Mitra, ...) that serve most of the client
API but not all of it, and keep some of its promises differently.

What Hallway changes by it: whether a write's ``Idempotency-Key`` is trusted (only where the
server is known to keep it: otherwise the outbox looks before any resend), and whose admin pages
advice may name (Mastodon's menus mean nothing on another server). Read once per connection from
``/api/v1/instance`` (its ``version``: Mastodon's own number, or "x.y (compatible; Name 1.2)")
and, where that says nothing, nodeinfo's ``software``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# Servers known to keep an Idempotency-Key as Mastodon does (an hour: PostStatusService). The demo
# network keeps keys exactly as Mastodon does (hallway/demo/api.py), so it is trusted the same.
KEEPS_KEYS = {"mastodon": 3600.0, "hallwaydemo": 3600.0}
COMPATIBLE = re.compile(r"\(compatible;\s*(?P<name>[\w.\- ]+?)\s+(?P<version>[\w.\-+]+)\)", re.IGNORECASE)
PLAIN = re.compile(r"^(?P<version>\d+\.\d+(?:\.\d+)?)(?P<rest>\S*)")
NAMES = {"gotosocial": "GoToSocial", "akkoma": "Akkoma", "pleroma": "Pleroma", "takahe": "Takahē",
         "mitra": "Mitra", "mastodon": "Mastodon", "hometown": "Hometown", "glitch-soc": "glitch-soc",
         "hallwaydemo": "the Hallway demo network"}


@dataclass(frozen=True)
class Software:
    """The server's software by name (lower case; "" when it does not say) and version."""

    name: str = ""
    version: str = ""

    @property
    def is_mastodon(self) -> bool:
        """Mastodon or a fork of it that keeps its admin pages (Hometown, glitch-soc)."""
        return self.name in ("mastodon", "hometown", "glitch-soc", "hallwaydemo")

    @property
    def keys_kept_s(self) -> float:
        """How long a write's Idempotency-Key surely holds here: 0 where the server is not known
        to keep keys (the outbox then looks for an earlier copy before any resend)."""
        return KEEPS_KEYS.get("mastodon" if self.name in ("hometown", "glitch-soc") else self.name, 0.0)

    def words(self) -> str:
        """For doctor and the admin panel: "GoToSocial 0.17.3", "a server that does not say"."""
        shown = NAMES.get(self.name, self.name.title() if self.name else "")
        return f"{shown} {self.version}".strip() if shown else "a server that does not say which it is"


def says_which(instance: Any) -> bool:
    """Whether the instance's own version names an implementation (no nodeinfo needed)."""
    return isinstance(instance, Mapping) and COMPATIBLE.search(str(instance.get("version", ""))) is not None


def identify(instance: Any, nodeinfo: Any = None) -> Software:
    """The software from ``/api/v1/instance`` and, where that is silent, nodeinfo 2.x (a bare
    number is Mastodon's only when nothing else says otherwise: GoToSocial's is "0.x")."""
    version = str(instance.get("version", "")) if isinstance(instance, Mapping) else ""
    compatible = COMPATIBLE.search(version)
    if compatible:
        return Software(compatible["name"].strip().lower().replace(" ", ""), compatible["version"])
    if isinstance(nodeinfo, Mapping) and isinstance(nodeinfo.get("software"), Mapping):
        software = nodeinfo["software"]
        name = str(software.get("name", "")).lower()
        if name:
            return Software(name, str(software.get("version", "")))
    plain = PLAIN.match(version)
    if plain and not plain["version"].startswith("0."):  # Mastodon's own: "4.3.0", glitch-soc's "4.3.0+glitch"
        return Software("glitch-soc" if "glitch" in plain["rest"] else "mastodon", plain["version"])
    return Software()
