"""Where sign-ins live: the OS keyring, under one service name, and nowhere else.

There is no plaintext fallback: a machine without a keyring gets a clear message. The demo may
hand its apps a token in ``HALLWAY_TOKEN``, and systemd hands the kiosk service its credential.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

import keyring
import keyring.errors

from hallway.signin.errors import SignInError

SERVICE = "Hallway"
TOKEN_ENV = "HALLWAY_TOKEN"  # noqa: S105 (the name of a variable, not a secret)
CREDENTIALS_ENV = "CREDENTIALS_DIRECTORY"  # systemd's, for a service's credentials
KIOSK_CREDENTIAL = "kiosk-token"
REFUSED_BACKENDS = ("keyring.backends.fail", "keyring.backends.null", "keyring.backends.chainer")


def backend() -> Any:
    chosen = keyring.get_keyring()
    module = type(chosen).__module__
    if module.startswith(REFUSED_BACKENDS) and not getattr(chosen, "backends", None):
        raise SignInError("No secure place for the sign-in", "This computer has no keyring (such as the GNOME "
                          "keyring, KWallet, the macOS Keychain or the Windows Credential Manager). Hallway does "
                          "not store tokens in plain files; ask IT to set one up.")
    return chosen


def keyring_name() -> str:
    chosen = backend()
    return f"{type(chosen).__module__}.{type(chosen).__name__}"


def _account(server: str, kiosk: bool) -> str:
    return f"{'kiosk' if kiosk else 'user'}@{server.rstrip('/')}"


def save_token(server: str, token: str, kiosk: bool = False) -> None:
    try:
        backend().set_password(SERVICE, _account(server, kiosk), token)
    except keyring.errors.KeyringError as failure:
        raise SignInError("Could not save the sign-in", f"The keyring refused it ({failure}).") from None


def load_token(server: str, kiosk: bool = False) -> str | None:
    """From the keyring; or from ``HALLWAY_TOKEN`` in this process's environment, which the demo
    uses to hand its apps a token (a fresh machine may have no keyring yet); or, for the kiosk
    run by systemd, from the credential systemd hands the service alone (``LoadCredential``, in
    the hallway-kiosk unit). Never from a config file."""
    if os.environ.get(TOKEN_ENV):
        return os.environ[TOKEN_ENV]
    credentials = os.environ.get(CREDENTIALS_ENV)
    if kiosk and credentials and (Path(credentials) / KIOSK_CREDENTIAL).is_file():
        return (Path(credentials) / KIOSK_CREDENTIAL).read_text("utf-8").strip() or None
    try:
        value = backend().get_password(SERVICE, _account(server, kiosk))
    except keyring.errors.KeyringError as failure:
        raise SignInError("Could not read the sign-in", f"The keyring refused ({failure}).") from None
    return str(value) if value else None


def delete_token(server: str, kiosk: bool = False) -> None:
    with contextlib.suppress(keyring.errors.PasswordDeleteError):
        backend().delete_password(SERVICE, _account(server, kiosk))


def load_secret(name: str) -> str | None:
    """Something else Hallway keeps per server (an app registration), by its keyring name."""
    value = backend().get_password(SERVICE, name)
    return str(value) if value else None


def save_secret(name: str, value: str) -> None:
    backend().set_password(SERVICE, name, value)
