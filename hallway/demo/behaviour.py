"""How the demo network behaves: as Mastodon, or as one of the independent servers that speak
Mastodon's client API and keep some of its promises differently (``hallway demo --compatible``,
and the contract suite's "compatible" server).

The compatible set is what such servers document of themselves (docs/networks.md has the table,
with its sources): GoToSocial, Akkoma/Pleroma, Takahē and Mitra each lack some of it. The demo
puts all of it together, so one server checks every way Hallway copes. Its name is made up: no
vendor's behaviour is copied as a whole.
"""

from __future__ import annotations

from dataclasses import dataclass

from hallway import __version__


@dataclass(frozen=True)
class Behaviour:
    """Each switch is one documented difference from Mastodon."""

    name: str = "mastodon"
    version: str = f"4.3.0 (compatible; HallwayDemo {__version__})"  # /api/v1/instance's version
    directory: bool = True  # /api/v1/directory (Mastodon: an admin setting, on here)
    keeps_keys: bool = True  # Idempotency-Key on POST /api/v1/statuses, an hour (Mastodon)
    loopback_any_port: bool = True  # RFC 8252 7.3: a loopback redirect matches on any port (Doorkeeper)
    loopback_redirects: bool = True  # an app may register http://127.0.0.1 redirects at all
    bad_token_status: int = 401  # a token the server does not know (Mastodon: 401 "The access token is invalid")
    streaming: bool = True  # /api/v1/streaming
    markers: bool = True  # /api/v1/markers (read positions kept on the server)
    dismissed: bool = True  # announcements remember who dismissed them
    revokes: bool = True  # /oauth/revoke ends a token (RFC 7009)
    string_ids: bool = False  # ULIDs rather than Mastodon's numbers
    full_acct: bool = False  # local accounts' acct carries the domain: "ana@corp.test", not "ana"
    lobby_followed: bool = False  # the company asked people to follow the lobby (its people, no directory)
    # Seconds a person's sign-in lasts, refreshed with a refresh token (0: for good, as Mastodon's).
    # Off by default: on, the demo's tokens behave as Microsoft's and Salesforce's do.
    token_lifetime_s: float = 0.0


MASTODON = Behaviour()
COMPATIBLE = Behaviour(
    name="compatible", version="3.2.1 (compatible; Lanternfish 3.2.1)", directory=False, keeps_keys=False,
    loopback_any_port=False, bad_token_status=400, streaming=False, markers=False, dismissed=False,
    revokes=False, string_ids=True, full_acct=True, lobby_followed=True,
)
KINDS = {"mastodon": MASTODON, "compatible": COMPATIBLE}
