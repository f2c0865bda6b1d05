"""How Hallway signs in to the company's proxy when it asks (HTTP 407): first with the person's
own Kerberos ticket (Negotiate, hallway.proxy.negotiate: no password), else with a user name and
password kept in the OS keyring (Basic: the tray's form, ``hallway proxy-sign-in``), never in a
config file or a log, read once by the keyring helper and then held in memory. What worked is
remembered per proxy, and sent with each new connection from then on."""

from __future__ import annotations

import base64
import json
import re
import threading
from urllib.parse import urlsplit

_held: dict[str, tuple[str, str] | None] = {}
_schemes: dict[str, str] = {}  # proxy account -> "negotiate" or "basic"
_troubles: dict[str, str] = {}  # proxy account -> why Negotiate could not be used
_offered: dict[str, set[str]] = {}  # proxy account -> the schemes its last 407 offered
SCHEMES = re.compile(r"\b(negotiate|ntlm|basic|digest)\b", re.IGNORECASE)
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

    tokens.save_secret(account(proxy), json.dumps({"user": user, "password": password}),
                       "keep the proxy's user name and password")
    with _lock:
        _held[account(proxy)] = (user, password)
        _schemes[account(proxy)] = "basic"


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def authorization(proxy: str) -> str | None:
    """The ``Proxy-Authorization`` for one new connection (or one request) to ``proxy``: a fresh
    Negotiate token where Kerberos worked for it, else its Basic sign-in where one is held."""
    from hallway.proxy import negotiate

    with _lock:
        scheme, held = _schemes.get(account(proxy)), _held.get(account(proxy))
    if scheme == "negotiate":
        try:
            return negotiate.header(_host(proxy))
        except negotiate.NegotiateTrouble as trouble:
            with _lock:
                _troubles[account(proxy)] = trouble.message
            return None
    if scheme == "ntlm":
        return None  # NTLM signs in a connection, in steps: hallway.proxy.tunnel does it per tunnel
    return basic(*held) if held else None


def offered(proxy: str, challenges: list[str]) -> None:
    """What the proxy's 407 offered (``Proxy-Authenticate``), so the next try picks from it."""
    schemes = {found.lower() for value in challenges for found in SCHEMES.findall(value)}
    if schemes:
        with _lock:
            _offered[account(proxy)] = schemes


def prepare(proxy: str, tried: str | None) -> str | None:
    """After the proxy refused (``tried``: the scheme that was sent, if any): the scheme to try
    next, or None when none is left. Of those the proxy offered (where known): Kerberos first (no
    password), then NTLM and Basic with the keyring's user name and password."""
    from hallway.proxy import negotiate

    key = account(proxy)
    with _lock:
        known = _offered.get(key)

    def may(scheme: str) -> bool:
        return known is None or scheme in known
    if tried is None and may("negotiate") and negotiate.available():
        try:
            negotiate.header(_host(proxy))
        except negotiate.NegotiateTrouble as trouble:
            with _lock:
                _troubles[key] = trouble.message
        else:
            with _lock:
                _schemes[key] = "negotiate"
            return "negotiate"
    if tried != "ntlm" and known is not None and "ntlm" in known and look_up(proxy):
        with _lock:
            _schemes[key] = "ntlm"
        return "ntlm"
    if tried != "basic" and may("basic") and look_up(proxy):
        with _lock:
            _schemes[key] = "basic"
        return "basic"
    return None


def scheme(proxy: str) -> str | None:
    """How Hallway signs in to ``proxy`` now: negotiate, ntlm, basic (held), or None."""
    with _lock:
        chosen, held = _schemes.get(account(proxy)), _held.get(account(proxy))
    return chosen or ("basic" if held else None)


def trouble(proxy: str) -> str:
    """Why Kerberos could not be used with ``proxy`` (words), or ""."""
    with _lock:
        return _troubles.get(account(proxy), "")


def _host(proxy: str) -> str:
    return urlsplit(proxy if "://" in proxy else f"http://{proxy}").hostname or proxy
