"""Negotiate (Kerberos) for the company's proxy, with the person's own sign-in ticket: no
password asked. A token is made for each new connection to the proxy (a ticket's authenticator
is good once: proxies keep a replay cache), for the service ``HTTP@<proxy host>``.

GSSAPI (MIT or Heimdal Kerberos, through the ``gssapi`` package) on Linux and macOS; on Windows
SSPI with the person's own sign-in (through pyspnego, which falls back to NTLM where Kerberos
cannot be had, as Windows' own programs do). The Windows path is written to pyspnego's
documentation and has not run here (no Windows machine): docs/admin.md says so. Where neither is
available, ``available()`` is False and the keyring's user name and password are the way left."""

from __future__ import annotations

import base64
import sys
from typing import Any

SPNEGO = "1.3.6.1.5.5.2"


class NegotiateTrouble(Exception):
    """No token could be made; ``message`` says why in words (no ticket, an expired one, a proxy
    the realm does not know)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _gssapi() -> Any:
    try:
        import gssapi
    except ImportError:
        return None
    return gssapi


def available() -> bool:
    return sys.platform == "win32" or _gssapi() is not None


def header(proxy_host: str) -> str:
    """``Negotiate <token>`` for a new connection to the proxy at ``proxy_host``."""
    if sys.platform == "win32":
        return _sspi(proxy_host)
    gssapi = _gssapi()
    if gssapi is None:
        raise NegotiateTrouble("Kerberos is not available to Hallway on this computer.")
    try:
        name = gssapi.Name(f"HTTP@{proxy_host}", gssapi.NameType.hostbased_service)
        context = gssapi.SecurityContext(name=name, usage="initiate", mech=gssapi.OID.from_int_seq(SPNEGO))
        token = context.step()
    except gssapi.exceptions.GSSError as failure:
        words = str(failure).lower()
        if "expired" in words:
            why = "your sign-in ticket has expired: lock and unlock the computer, or run kinit"
        elif "no credentials" in words or "ccache" in words or "credential cache" in words:
            why = "there is no sign-in ticket on this computer (sign in to the company's network, or run kinit)"
        elif "server not found" in words or "unknown server" in words:
            why = f"the company's Kerberos does not know the proxy as HTTP/{proxy_host}: ask IT"
        else:
            why = f"Kerberos said: {str(failure)[:160]}"
        raise NegotiateTrouble(why) from None
    return "Negotiate " + base64.b64encode(token or b"").decode()


def _sspi(proxy_host: str) -> str:
    """Windows: SSPI's Negotiate with the signed-in person's own credentials (no password)."""
    try:
        import spnego

        client = spnego.client(hostname=proxy_host, service="HTTP", protocol="negotiate")
        token = client.step()
    except Exception as failure:  # SSPI's errors come as many types: said in words, never a crash
        raise NegotiateTrouble(f"Windows' sign-in could not be used with the proxy ({str(failure)[:160]})") from None
    return "Negotiate " + base64.b64encode(token or b"").decode()
