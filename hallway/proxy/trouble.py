"""What goes wrong on the way to the server, in words for IT."""

from __future__ import annotations


class ProxyTrouble(Exception):
    """The way to the server could not be decided; ``message`` says why, in words for IT."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PacTrouble(ProxyTrouble):
    """The PAC file could not be fetched, or did not say which way."""


class NoPacFound(PacTrouble):
    """Automatic detection (WPAD) found no PAC file on this network: where the computer's own
    settings asked for it (not IT), Hallway goes on as the computer's browsers do."""
