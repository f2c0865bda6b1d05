"""A proxy's user name and password, for a proxy that asks for Basic authentication and where
the computer's own sign-in cannot answer: kept in the OS keyring (``hallway proxy-sign-in``),
never in a config file or a log, read once by the keyring helper and then held in memory."""

from __future__ import annotations

import base64
import json
import threading
from urllib.parse import urlsplit

_held: dict[str, tuple[str, str] | None] = {}
_lock = threading.Lock()


def account(proxy: str) -> str:
    parts = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
    return f"proxy:{parts.hostname}:{parts.port or 8080}"


def known(proxy: str) -> tuple[str, str] | None:
    """What is held in memory for ``proxy`` (never a keyring read: this runs per connection)."""
    with _lock:
        return _held.get(account(proxy))


def look_up(proxy: str) -> tuple[str, str] | None:
    """The keyring's user name and password for ``proxy``, read once (a refusal by the proxy
    asks again: the person may have just saved them)."""
    from hallway.signin import keyring_apart
    from hallway.signin.errors import SignInError

    try:
        value = keyring_apart.read(account(proxy))
    except SignInError:
        return None
    try:
        found = json.loads(value) if value else None
        held = (str(found["user"]), str(found["password"])) if isinstance(found, dict) else None
    except (ValueError, KeyError):
        held = None
    with _lock:
        _held[account(proxy)] = held
    return held


def save(proxy: str, user: str, password: str) -> None:
    from hallway.signin import tokens

    tokens.save_secret(account(proxy), json.dumps({"user": user, "password": password}))
    with _lock:
        _held[account(proxy)] = (user, password)


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
