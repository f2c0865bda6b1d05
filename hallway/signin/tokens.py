"""Where sign-ins live: the OS keyring, under one service name, and nowhere else.

There is no plaintext fallback: a machine without a keyring gets a clear message. The demo may
hand its apps a token in ``HALLWAY_TOKEN``, and systemd hands the kiosk service its credential.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import keyring.errors

from hallway.logs import forget_secret_later
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


@contextlib.contextmanager
def _keyring(doing: str) -> Iterator[None]:
    """Every keyring call: whatever the backend raises (a locked keyring, a dismissed unlock prompt,
    which keyring raises as InitError, not as a KeyringError; a D-Bus fault) becomes a SignInError
    that says what to do."""
    try:
        yield
    except SignInError:
        raise
    except keyring.errors.KeyringLocked:
        raise SignInError(f"Could not {doing}", "Your keyring is locked. Unlock it (your desktop asks for "
                          "your password), then try again.") from None
    except (keyring.errors.KeyringError, keyring.errors.InitError, OSError) as failure:
        detail = str(failure)[:200] or type(failure).__name__
        raise SignInError(f"Could not {doing}", f"The keyring refused ({detail}). If it asked to be "
                          "unlocked, unlock it and try again; if it keeps refusing, ask IT.") from None
    except Exception as failure:  # a backend's own exception type (secretstorage, D-Bus)
        raise SignInError(f"Could not {doing}", f"The keyring failed ({type(failure).__name__}: "
                          f"{str(failure)[:200]}). Try again; if it keeps failing, ask IT.") from None


def save_token(server: str, token: str, kiosk: bool = False) -> None:
    with _keyring("save the sign-in"):
        backend().set_password(SERVICE, _account(server, kiosk), token)
    forget_secret_later(token)


def load_token(server: str, kiosk: bool = False) -> str | None:
    """From the keyring; or from ``HALLWAY_TOKEN`` in this process's environment, which the demo
    uses to hand its apps a token (a fresh machine may have no keyring yet); or, for the kiosk
    run by systemd, from the credential systemd hands the service alone (``LoadCredential``, in
    the hallway-kiosk unit). Never from a config file."""
    value: str | None
    credentials = os.environ.get(CREDENTIALS_ENV)
    if os.environ.get(TOKEN_ENV):
        value = os.environ[TOKEN_ENV]
    elif kiosk and credentials and (Path(credentials) / KIOSK_CREDENTIAL).is_file():
        value = (Path(credentials) / KIOSK_CREDENTIAL).read_text("utf-8").strip() or None
    else:
        with _keyring("read the sign-in"):
            found = backend().get_password(SERVICE, _account(server, kiosk))
        value = str(found) if found else None
    if value:
        forget_secret_later(value)  # masked in every log line from now on
    return value


def delete_token(server: str, kiosk: bool = False) -> None:
    with contextlib.suppress(keyring.errors.PasswordDeleteError), _keyring("remove the sign-in"):
        backend().delete_password(SERVICE, _account(server, kiosk))


def load_secret(name: str) -> str | None:
    """Something else Hallway keeps per server (an app registration), by its keyring name."""
    with _keyring("read the app registration"):
        value = backend().get_password(SERVICE, name)
    return str(value) if value else None


def save_secret(name: str, value: str) -> None:
    with _keyring("save the app registration"):
        backend().set_password(SERVICE, name, value)
