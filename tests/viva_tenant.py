"""The Viva Engage emulator as the tests use it: a tenant on loopback TLS whose CA this process
trusts (``SSL_CERT_FILE``: the OS trust store's own override on Linux, as a company's root would
be installed), and networks signed in as its people."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from hallway.demo.viva import server
from hallway.demo.viva.login import CLIENT_ID, GRAPH
from hallway.demo.viva.tenant import TENANT_ID, Quirks, Tenant, create
from hallway.http import HttpClient
from hallway.networks.viva_engage import VivaEngageNetwork
from hallway.signin import oauth
from hallway.signin.credentials import Credentials, SignIn, new_account, oauth_fields

RELAXED = Quirks(yammer_limit=100_000)  # checks that are not about Yammer's limit
WIDE_PACE = (100_000, 30.0)


@contextmanager
def running(tenant: Tenant | None = None, **options: object) -> Iterator[server.VivaTenant]:
    """A tenant serving on 127.0.0.1, trusted by this process while it runs."""
    before = os.environ.get("SSL_CERT_FILE")
    emulated = server.start(tenant or create(quirks=RELAXED), **options)  # type: ignore[arg-type]
    os.environ["SSL_CERT_FILE"] = str(emulated.ca.ca_file)
    try:
        yield emulated
    finally:
        emulated.stop()
        if before is None:
            os.environ.pop("SSL_CERT_FILE", None)
        else:
            os.environ["SSL_CERT_FILE"] = before


def credentials(tenant: server.VivaTenant, username: str) -> Credentials:
    """A whole sign-in for ``username`` (a Graph token and a refresh token), as a device sign-in gives."""
    answer = tenant.authority.mint_sign_in(tenant.person(username))
    return Credentials(**oauth_fields(answer), token_url=f"{tenant.url}/{TENANT_ID}/oauth2/v2.0/token",
                       client_id=CLIENT_ID, scope=f"{GRAPH}/.default offline_access", account=new_account())


def network(tenant: server.VivaTenant, username: str, client: HttpClient | None = None, url: str = "",
            pace: tuple[int, float] = WIDE_PACE, signed_in: Credentials | str | None = None) -> VivaEngageNetwork:
    client = client or HttpClient()
    held = signed_in if signed_in is not None else credentials(tenant, username)
    made = held if isinstance(held, Credentials) else Credentials.from_stored(held)
    signin = SignIn(made, refresh=lambda stale: oauth.refresh(stale, client))
    return VivaEngageNetwork(url or tenant.url, signin, client, graph=url or tenant.url,
                             is_lobby=username == "lobby", pace=pace)
