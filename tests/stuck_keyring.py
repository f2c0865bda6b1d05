"""Keyrings that misbehave, as ``PYTHON_KEYRING_BACKEND=stuck_keyring.Silent`` (the tests put this
folder on the path): one that never answers (a hung Secret Service, an unlock prompt nobody
sees), one that is locked."""

from __future__ import annotations

import threading

import keyring.errors
from keyring.backend import KeyringBackend


class Silent(KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        """Typed, so a test may make one (KeyringBackend's own is not)."""

    def get_password(self, service: str, username: str) -> str | None:
        threading.Event().wait()  # for ever
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        threading.Event().wait()

    def delete_password(self, service: str, username: str) -> None:
        threading.Event().wait()


class Locked(KeyringBackend):
    priority = 1

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("the collection is locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringLocked("the collection is locked")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.KeyringLocked("the collection is locked")


class Gate(KeyringBackend):
    """Silent until ``opened`` is set, then it answers with ``token`` (a keyring unlocked late)."""

    priority = 1
    opened = threading.Event()
    token = ""

    def __init__(self) -> None:
        """Typed, so a test may make one."""

    def get_password(self, service: str, username: str) -> str | None:
        Gate.opened.wait()
        return Gate.token or None

    def set_password(self, service: str, username: str, password: str) -> None:
        Gate.opened.wait()
        Gate.token = password

    def delete_password(self, service: str, username: str) -> None:
        Gate.opened.wait()
        Gate.token = ""
