"""A tunnel through the company's proxy (HTTP CONNECT), signing in the way the proxy asks.

Python's own tunnel sends one CONNECT with fixed headers and gives up on a 407, which hides what
the proxy offers (``Proxy-Authenticate``) and cannot carry NTLM: NTLM signs in the connection
itself, in three steps on the same socket (negotiate, the proxy's challenge, the answer). So the
CONNECT is written here: the remembered way first (a fresh Kerberos token, the keyring's Basic,
or NTLM's steps), and on a 407 what the proxy offers is noted for the next try, and NTLM is
done at once where it is offered and the keyring holds a user name and password."""

from __future__ import annotations

import base64
import http.client
import socket
from collections.abc import Callable
from urllib.parse import urlsplit

from hallway.proxy import credentials

MOST_BODY = 64 * 1024  # a proxy's refusal page, read so the connection can be used again


def connect(sock: socket.socket, send: Callable[[bytes], None], proxy: str, target: str,
            headers: dict[str, str]) -> None:
    """CONNECT ``target`` (host:port) through ``proxy`` on ``sock``; OSError("Tunnel connection
    failed: <status> <reason>") when the proxy refuses, as Python's own tunnel says it."""
    def ask(sign_in: str | None) -> tuple[int, str, list[str], bool]:
        lines = [f"CONNECT {target} HTTP/1.1", f"Host: {target}",
                 *(f"{k}: {v}" for k, v in headers.items() if k.lower() != "proxy-authorization"),
                 *([f"Proxy-Authorization: {sign_in}"] if sign_in else [])]
        send(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        response = http.client.HTTPResponse(sock, method="CONNECT")
        response.begin()
        offered = response.headers.get_all("Proxy-Authenticate") or []
        if response.status != 200 and response.length is not None:
            response.read(MOST_BODY)
        return response.status, response.reason, offered, bool(response.will_close)

    if credentials.scheme(proxy) == "ntlm":
        status, reason, _, _ = _ntlm(ask, proxy)
    else:
        status, reason, offered, closing = ask(credentials.authorization(proxy))
        if status == 407:
            credentials.offered(proxy, offered)
            if not closing and _offers(offered, "ntlm") and credentials.scheme(proxy) != "negotiate" \
                    and credentials.prepare(proxy, credentials.scheme(proxy)) == "ntlm":
                status, reason, _, _ = _ntlm(ask, proxy)
    if status != 200:
        raise OSError(f"Tunnel connection failed: {status} {reason}")


def _ntlm(ask: Callable[[str | None], tuple[int, str, list[str], bool]],
          proxy: str) -> tuple[int, str, list[str], bool]:
    """NTLM's three steps on this connection, with the keyring's user name and password."""
    import spnego

    held = credentials.known(proxy) or credentials.look_up(proxy)
    if held is None:
        return 407, "Proxy Authentication Required", [], True
    user, password = held
    client = spnego.client(user, password, hostname=urlsplit(proxy).hostname or proxy, service="HTTP",
                           protocol="ntlm")
    first = client.step() or b""
    status, reason, offered, closing = ask("NTLM " + base64.b64encode(first).decode())
    challenge = next((v.split(" ", 1)[1] for v in offered if v.lower().startswith("ntlm ")), "")
    if status != 407 or not challenge or closing:
        return status, reason, offered, closing
    answer = client.step(base64.b64decode(challenge)) or b""
    return ask("NTLM " + base64.b64encode(answer).decode())


def _offers(offered: list[str], scheme: str) -> bool:
    return any(v.split(" ", 1)[0].lower() == scheme for v in offered)
