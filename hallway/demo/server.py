"""Starting and stopping the demo network, in this process (tests) or as a command."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from types import TracebackType

from hallway.demo.api import MastodonAPI
from hallway.demo.behaviour import MASTODON, Behaviour
from hallway.demo.faults import Fault
from hallway.demo.organisation import Organisation, follow_the_lobby, generate
from hallway.demo.web import DemoHTTPServer

LOOPBACK = "127.0.0.1"


@dataclass
class DemoNetwork:
    """A running demo network: its URL, its API state, and how to stop it."""

    api: MastodonAPI
    server: DemoHTTPServer
    thread: threading.Thread | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return self.server.base_url

    @property
    def org(self) -> Organisation:
        return self.api.org

    def token_for(self, username: str) -> str:
        """A bearer token for a demo account, as the admin endpoint would mint it."""
        account = self.org.by_username(username)
        if account is None:
            raise KeyError(username)
        return self.api.oauth.mint(account.id).value

    def environment(self) -> dict[str, str]:
        return {}

    def machine_config(self) -> str:
        """What IT would write in hallway.toml for this network."""
        return f'[network]\nserver = "{self.url}"\n'

    def serve_forever(self) -> None:
        self.server.serve_forever(poll_interval=0.2)

    def start_in_background(self) -> DemoNetwork:
        """Serve from a daemon thread; for tests and for ``hallway demo``."""
        self.thread = threading.Thread(target=self.serve_forever, name="demo-network", daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.api.hub.close()
        self.server.shutdown()
        self.server.server_close()
        if self.thread is not None:
            self.thread.join(timeout=5)

    def __enter__(self) -> DemoNetwork:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.stop()


def create(org: Organisation | None = None, *, port: int = 0, auto_approve: bool = False,
           rate_limit: int = 300, heartbeat_s: float = 15.0, faults: list[Fault] | None = None,
           verbose: bool = False, directory: bool | None = None, behaviour: Behaviour = MASTODON) -> DemoNetwork:
    """Bind the demo network to 127.0.0.1 (never another address); ``port=0`` picks a free one.
    ``behaviour`` is Mastodon's, or a compatible server's (hallway/demo/behaviour.py)."""
    org = org or generate(string_ids=behaviour.string_ids)
    if behaviour.full_acct:
        org.acct_domain = org.domain
    if behaviour.lobby_followed:
        follow_the_lobby(org)
    api = MastodonAPI(org, auto_approve=auto_approve, heartbeat_s=heartbeat_s,
                      rate_limit=rate_limit, directory=directory, behaviour=behaviour)
    for fault in faults or []:
        api.faults.add(fault)
    server = DemoHTTPServer((LOOPBACK, port), api.dispatch, api.faults, api.hub, verbose)
    return DemoNetwork(api, server)

