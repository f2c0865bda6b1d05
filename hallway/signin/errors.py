"""Why signing in did not work, in words for the person signing in."""

from __future__ import annotations


class SignInError(Exception):
    """``title`` and ``message`` are shown as they are."""

    def __init__(self, title: str, message: str) -> None:
        super().__init__(f"{title}: {message}")
        self.title, self.message = title, message
