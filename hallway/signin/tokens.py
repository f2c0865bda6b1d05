"""Where sign-ins live: the OS keyring, under one service name, and nowhere else.

There is no plaintext fallback: a machine without a keyring gets a clear message. The demo may
hand its apps a token in ``HALLWAY_TOKEN``, and systemd hands the kiosk service its credential.
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from hallway.logs import forget_secret_later
from hallway.signin.credentials import Credentials
from hallway.signin.errors import SignInError

SERVICE = "Hallway"
TOKEN_ENV = "HALLWAY_TOKEN"  # noqa: S105 (the name of a variable, not a secret)
CREDENTIALS_ENV = "CREDENTIALS_DIRECTORY"  # systemd's, for a service's credentials
KIOSK_CREDENTIAL = "kiosk-token"
REFUSED_BACKENDS = ("keyring.backends.fail", "keyring.backends.null", "keyring.backends.chainer")
# A keyring that never answers (a hung Secret Service, an unlock prompt nobody sees) must not
# hold an app: each call gets this long, then counts as refused. Long enough to type a password.
KEYRING_WAIT_S = 20.0
T = TypeVar("T")


def backend() -> Any:
    import keyring  # here, not at the top: the tray app reads its sign-in apart (keyring_apart.py)

    chosen = keyring.get_keyring()
    module = type(chosen).__module__
    if module.startswith(REFUSED_BACKENDS) and not getattr(chosen, "backends", None):
        raise SignInError("No secure place for the sign-in", "This computer has no keyring (such as the GNOME "
                          "keyring, KWallet, the macOS Keychain or the Windows Credential Manager). Hallway does "
                          "not store tokens in plain files; ask IT to set one up.")
    return chosen


def _account(server: str, kiosk: bool) -> str:
    return f"{'kiosk' if kiosk else 'user'}@{server.rstrip('/')}"


@contextlib.contextmanager
def _keyring(doing: str) -> Iterator[None]:
    """Every keyring call: whatever the backend raises (a locked keyring, a dismissed unlock prompt,
    which keyring raises as InitError, not as a KeyringError; a D-Bus fault) becomes a SignInError
    that says what to do."""
    import keyring.errors

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


class KeyringSilent(SignInError):
    """The keyring did not answer in time: worth trying again later, unlike a refusal."""


def _answer(call: Callable[[], T], doing: str) -> T:
    """One keyring call, in a thread of its own, waited for at most ``KEYRING_WAIT_S``: a call that
    never returns leaves only a parked daemon thread behind, never a frozen app."""
    box: queue.SimpleQueue[tuple[bool, Any]] = queue.SimpleQueue()

    def run() -> None:
        try:
            with _keyring(doing):
                box.put((True, call()))
        except BaseException as failure:  # handed to the caller, whatever it is
            box.put((False, failure))

    threading.Thread(target=run, name="hallway-keyring", daemon=True).start()
    try:
        done, value = box.get(timeout=KEYRING_WAIT_S)
    except queue.Empty:
        raise KeyringSilent(f"Could not {doing}", f"The keyring did not answer within {KEYRING_WAIT_S:g} s. If "
                            "it is waiting to be unlocked, unlock it; Hallway tries again by itself.") from None
    if not done:
        raise value
    return value  # type: ignore[no-any-return]


def keyring_name() -> str:
    def name() -> str:
        chosen = backend()
        return f"{type(chosen).__module__}.{type(chosen).__name__}"
    return _answer(name, "reach the keyring")


def save_token(server: str, token: str | Credentials, kiosk: bool = False, apart: bool = False) -> None:
    """Into the keyring, as one item (a bare token, or the credentials as one line of JSON).
    ``apart``: written by the keyring helper process (the tray app, keeping a refreshed sign-in)."""
    credentials = Credentials(token) if isinstance(token, str) else token
    for secret in (credentials.access_token, credentials.refresh_token, credentials.client_secret):
        if secret:
            forget_secret_later(secret)
    if apart:
        from hallway.signin import keyring_apart
        keyring_apart.write(_account(server, kiosk), credentials.stored())
        return
    _answer(lambda: backend().set_password(SERVICE, _account(server, kiosk), credentials.stored()), "save the sign-in")


def handed_over(kiosk: bool = False) -> bool:
    """Whether the sign-in comes from the environment (the demo) or systemd, not the keyring: a
    refreshed token then lives in memory only (docs/admin.md)."""
    folder = os.environ.get(CREDENTIALS_ENV)
    return bool(os.environ.get(TOKEN_ENV)) or bool(kiosk and folder and (Path(folder) / KIOSK_CREDENTIAL).is_file())


def load_credentials(server: str, kiosk: bool = False, apart: bool = False) -> Credentials | None:
    """From the keyring; or from ``HALLWAY_TOKEN`` in this process's environment, which the demo
    uses to hand its apps a token (a fresh machine may have no keyring yet); or, for the kiosk
    run by systemd, from the credential systemd hands the service alone (``LoadCredential``, in
    the hallway-kiosk unit). Never from a config file. ``apart``: the keyring is read by a
    process of its own (the tray app: keyring_apart.py)."""
    value: str | None
    credentials = os.environ.get(CREDENTIALS_ENV)
    if os.environ.get(TOKEN_ENV):
        value = os.environ[TOKEN_ENV]
    elif kiosk and credentials and (Path(credentials) / KIOSK_CREDENTIAL).is_file():
        value = (Path(credentials) / KIOSK_CREDENTIAL).read_text("utf-8").strip() or None
    else:
        if apart:
            from hallway.signin import keyring_apart
            found = keyring_apart.read(_account(server, kiosk))
        else:
            found = _answer(lambda: backend().get_password(SERVICE, _account(server, kiosk)), "read the sign-in")
        value = str(found) if found else None
    if not value:
        return None
    forget_secret_later(value)
    read = Credentials.from_stored(value)
    for secret in (read.access_token, read.refresh_token, read.client_secret):
        if secret:
            forget_secret_later(secret)  # masked in every log line from now on
    return read


def load_token(server: str, kiosk: bool = False, apart: bool = False) -> str | None:
    """The access token alone (doctor, sign-out): see ``load_credentials``."""
    read = load_credentials(server, kiosk, apart)
    return read.access_token if read else None


def delete_token(server: str, kiosk: bool = False) -> None:
    def delete() -> None:
        import keyring.errors

        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            backend().delete_password(SERVICE, _account(server, kiosk))
    _answer(delete, "remove the sign-in")


def load_secret(name: str) -> str | None:
    """Something else Hallway keeps per server (an app registration), by its keyring name."""
    value = _answer(lambda: backend().get_password(SERVICE, name), "read the app registration")
    return str(value) if value else None


def save_secret(name: str, value: str, doing: str = "save the app registration") -> None:
    _answer(lambda: backend().set_password(SERVICE, name, value), doing)


def delete_secret(name: str) -> None:
    def delete() -> None:
        import keyring.errors

        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            backend().delete_password(SERVICE, name)
    _answer(delete, "forget the app registration")
