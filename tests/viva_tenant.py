"""The Viva Engage emulator as the tests use it: a tenant on loopback TLS whose CA this process
trusts (``SSL_CERT_FILE``: the OS trust store's own override on Linux, as a company's root would
be installed), and networks signed in as its people."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from hallway.demo.viva import server
from hallway.demo.viva.tenant import Quirks, Tenant, create
from hallway.http import HttpClient
from hallway.networks.viva_engage import VivaEngageNetwork
from hallway.signin.credentials import Credentials

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
    return tenant.signed_in(username)


def network(tenant: server.VivaTenant, username: str, client: HttpClient | None = None, url: str = "",
            pace: tuple[int, float] = WIDE_PACE, signed_in: Credentials | str | None = None) -> VivaEngageNetwork:
    return tenant.network_for(username, client, url, pace, signed_in)
