"""``hallway://`` links: a colleague's card, a post, today's colleague, who is in today. They
open the tray app from an email, a chat or the kiosk's QR code; the installer registers the
scheme on each OS (installer/linux, installer/windows, installer/macos). A link is anyone's to
write, so it is parsed strictly: a malformed one is refused with a message, never guessed at."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import quote, unquote, urlsplit

from ui.language import fill, translate

SCHEME = "hallway"
LONGEST = 2048


class LinkKind(StrEnum):
    """What a link opens; its value is the link's host part (``hallway://in-today``)."""

    COLLEAGUE = "colleague"
    POST = "post"
    TODAY = "today"
    IN_TODAY = "in-today"


KINDS = tuple(kind.value for kind in LinkKind)


class BadLink(ValueError):
    """Not a link Hallway can open; the message says why in plain words."""


@dataclass(frozen=True)
class Link:
    kind: LinkKind
    id: str = ""  # the colleague's or the post's id on the network

    def __str__(self) -> str:
        return f"{SCHEME}://{self.kind}" + (f"/{quote(self.id, safe='')}" if self.id else "")


def colleague_link(colleague_id: str) -> str:
    return str(Link(LinkKind.COLLEAGUE, colleague_id)) if colleague_id else ""


def parse(text: str) -> Link:
    """``hallway://colleague/<id>``, ``hallway://post/<id>``, ``hallway://today``,
    ``hallway://in-today``; anything else raises BadLink."""
    text = text.strip()
    if len(text) > LONGEST:
        raise BadLink(translate("Links", "That Hallway link is too long to be one."))
    parts = urlsplit(text)
    if parts.scheme.lower() != SCHEME:
        raise BadLink(translate("Links", "That is not a Hallway link."))
    kind = parts.netloc.lower()
    path = parts.path.strip("/")
    if kind not in KINDS:
        raise BadLink(fill(translate("Links", "Hallway does not know links to “%1”."), kind[:40]) if kind else
                      translate("Links", "That Hallway link is empty."))
    if kind in (LinkKind.COLLEAGUE, LinkKind.POST):
        item = unquote(path)
        if not item or "/" in path or any(ord(ch) < 32 for ch in item) or len(item) > 500:
            raise BadLink(translate("Links", "That Hallway link does not say which colleague.") if kind == "colleague"
                          else translate("Links", "That Hallway link does not say which post."))
        return Link(LinkKind(kind), item)
    if path:
        raise BadLink(translate("Links", "That Hallway link has more in it than Hallway understands."))
    return Link(LinkKind(kind))
