"""Negotiate (Kerberos) for the company's proxy, with the person's own sign-in ticket: no
password asked. A token is made for each new connection to the proxy (a ticket's authenticator
is good once: proxies keep a replay cache), for the service ``HTTP@<proxy host>``.

GSSAPI (MIT or Heimdal Kerberos, through the ``gssapi`` package) on Linux and macOS. Windows'
SSPI is not spoken yet; there, as where ``gssapi`` is missing, ``available()`` is False and the
proxy's Basic sign-in is the way left."""

from __future__ import annotations

import base64
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
    return _gssapi() is not None


def header(proxy_host: str) -> str:
    """``Negotiate <token>`` for a new connection to the proxy at ``proxy_host``."""
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
