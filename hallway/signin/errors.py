"""Why signing in did not work, in words for the person signing in; what signing out did."""

from __future__ import annotations

from enum import StrEnum


class SignInError(Exception):
    """``title`` and ``message`` are shown as they are."""

    def __init__(self, title: str, message: str) -> None:
        super().__init__(f"{title}: {message}")
        self.title, self.message = title, message


class Revoked(StrEnum):
    """What became of the sign-in at the server when Hallway signed out."""

    YES = "revoked"  # the server ended it
    REFUSED = "refused"  # the server would not: the token works until it expires or IT ends it
    OFFLINE = "offline"  # the server did not answer: forgotten here only
    NOT_OURS = "not ours"  # a token IT stored (set-token): Hallway holds no registration to end it with
    UNTIL_EXPIRY = "until expiry"  # the network has no way for one app to end its sign-in (Microsoft 365)
    NOTHING = "nothing"  # no sign-in here
