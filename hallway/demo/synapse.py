"""The demo organisation on a real Matrix homeserver: Synapse (the reference server, from PyPI,
in a venv of its own), on loopback with SQLite, for ``hallway demo --network matrix`` and the
tests of the Matrix connector.

Synapse's config is written as JSON (YAML reads JSON). Users are made with the shared-secret
admin registration API, as an admin's script would; their profiles carry MSC4133 extended fields
under the keys Hallway's Matrix connector reads by default; rooms hold the feed, the
announcements and the lobby's check-ins. Single sign-on goes to the company's sign-in, which in
the demo is the demo network's OAuth (Synapse's OIDC module speaks plain OAuth 2 with a userinfo
endpoint), so Hallway's ``m.login.sso`` sign-in runs against a real server. The server is
stopped by its PID.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import requests

from hallway.demo.avatars import portrait
from hallway.demo.organisation import Organisation
from hallway.demo.server import DemoNetwork

CHECKOUT = Path(__file__).resolve().parents[2]
PYTHON_ENV = "HALLWAY_SYNAPSE_PYTHON"  # a Python with matrix-synapse installed, if not .venv-synapse's
SERVER_NAME = "localhost"
SECRET = "hallway-demo-registration-secret"  # noqa: S105 (a loopback demo server's, by design)
PASSWORD = "correct horse battery staple"  # noqa: S105 every demo person's, for the password fallback
IDP_ID = "company"
MISSING = ("matrix-synapse is not installed. `./run demo --network matrix` installs it into .venv-synapse "
           f"(about 35 s, once); or set {PYTHON_ENV} to a Python that has it (pip install 'matrix-synapse[oidc]').")
FIELD_KEYS = {"Title": "title", "Team": "team", "Office": "office", "Hobbies": "hobbies",
              "Ask me about": "ask_me_about", "Pronouns": "pronouns", "Started": "started",
              "Email": "email", "Birthday": "birthday", "Celebrate": "celebrate"}
PREFIX = "com.hallway."  # MSC4133 keys are namespaced: com.hallway.title, ...
FACTS_EVENT = "com.hallway.profile"  # the same facts as a state event in the company room (no MSC4133)
OFFICE_DAYS_EVENT = "com.hallway.office_days"  # the days a person shared they plan to be in


class MissingSynapse(Exception):
    """matrix-synapse is not installed where Hallway looks for it."""

    def __init__(self) -> None:
        super().__init__(MISSING)


def synapse_python() -> Path | None:
    """$HALLWAY_SYNAPSE_PYTHON, else the checkout's .venv-synapse (which ./run makes), else this
    Python if it has Synapse."""
    if os.environ.get(PYTHON_ENV):
        candidate = Path(os.environ[PYTHON_ENV])
        return candidate if candidate.exists() else None
    venv = CHECKOUT / ".venv-synapse"
    for candidate in (venv / "bin" / "python", venv / "Scripts" / "python.exe"):
        if candidate.exists():
            return candidate
    return Path(sys.executable) if importlib.util.find_spec("synapse") else None


@dataclass(frozen=True)
class CompanySignIn:
    """The company's single sign-on as Synapse sees it: an OAuth 2 app registered there."""

    url: str
    client_id: str
    client_secret: str
    name: str  # as Synapse's sign-in page shows it

    def provider(self) -> dict[str, Any]:
        """Synapse's ``oidc_providers`` entry: plain OAuth 2 (no ``openid`` scope) with the
        Mastodon API's ``verify_credentials`` as the userinfo endpoint, mapped onto the people
        the seeding registered (``allow_existing_users``)."""
        return {
            "idp_id": IDP_ID, "idp_name": self.name, "discover": False, "issuer": self.url + "/",
            "client_id": self.client_id, "client_secret": self.client_secret,
            "client_auth_method": "client_secret_post", "scopes": ["read"],
            "authorization_endpoint": self.url + "/oauth/authorize", "token_endpoint": self.url + "/oauth/token",
            "userinfo_endpoint": self.url + "/api/v1/accounts/verify_credentials",
            "skip_verification": True,  # plain http on loopback
            "allow_existing_users": True,
            "user_mapping_provider": {"config": {
                "subject_claim": "id", "localpart_template": "{{ user.username }}",
                "display_name_template": "{{ user.display_name }}"}},
        }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def config(folder: Path, port: int, sign_in: CompanySignIn | None = None, as_run: bool = False) -> dict[str, Any]:
    """Synapse's settings. ``as_run``: as an admin leaves them, with Synapse's default rate limits
    (rc_message one event every 5 s after 10, rc_profile one lookup a second after 500, ...);
    otherwise the limits are raised so the tests' seeding and burst of checks never wait."""
    sso: dict[str, Any] = {}
    if sign_in is not None:  # loopback redirects (Hallway's) go straight back, without Synapse's "continue" page
        sso = {"oidc_providers": [sign_in.provider()], "sso": {"client_whitelist": ["http://127.0.0.1:"]}}
    return {
        "server_name": SERVER_NAME,
        "public_baseurl": f"http://127.0.0.1:{port}/",
        "pid_file": str(folder / "homeserver.pid"),
        "listeners": [{"port": port, "bind_addresses": ["127.0.0.1"], "type": "http", "tls": False,
                       "x_forwarded": False, "resources": [{"names": ["client"], "compress": False}]}],
        "database": {"name": "sqlite3", "args": {"database": str(folder / "homeserver.db")}},
        "media_store_path": str(folder / "media"),
        "signing_key_path": str(folder / "signing.key"),
        "registration_shared_secret": SECRET,
        "report_stats": False,
        "trusted_key_servers": [],
        "suppress_key_server_warning": True,
        "bcrypt_rounds": 4,
        "enable_registration": False,
        "user_directory": {"enabled": True, "search_all_users": True},
        "enable_authenticated_media": True,
        "max_upload_size": "60M",
        "url_preview_enabled": False,
        "presence": {"enabled": False},
        **({} if as_run else RAISED_LIMITS),
        **sso,
    }


RAISED_LIMITS: dict[str, Any] = {
    **{limit: {"per_second": 10_000, "burst_count": 10_000} for limit in (
        "rc_message", "rc_registration", "rc_joins_per_room", "rc_invites", "rc_3pid_validation",
        "rc_media_create", "rc_profile_updates")},
    "rc_login": {kind: {"per_second": 10_000, "burst_count": 10_000}
                 for kind in ("address", "account", "failed_attempts")},
    "rc_joins": {"local": {"per_second": 10_000, "burst_count": 10_000},
                 "remote": {"per_second": 10_000, "burst_count": 10_000}},
    "rc_admin_redaction": {"per_second": 10_000, "burst_count": 10_000},
    "rc_profile": {"per_second": 10_000, "burst_count": 10_000},
}


@dataclass
class Synapse:
    """A running Synapse: its address, and the calls the seeding and the tests need."""

    url: str
    folder: Path
    process: subprocess.Popen[bytes]
    http: requests.Session = field(default_factory=requests.Session)

    def call(self, method: str, path: str, token: str | None = None, body: Any = None,
             data: bytes | None = None, content_type: str = "") -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if content_type:
            headers["Content-Type"] = content_type
        for _ in range(20):
            answer = self.http.request(method, self.url + path, headers=headers, timeout=30,
                                       json=body if data is None else None, data=data)
            if answer.status_code != 429:
                break
            time.sleep(answer.json().get("retry_after_ms", 200) / 1000)
        if answer.status_code >= 400:
            raise AssertionError(f"{method} {path}: {answer.status_code} {answer.text[:300]}")
        return answer.json() if answer.content else {}

    def register(self, username: str, admin: bool = False) -> tuple[str, str]:
        """The shared-secret admin registration API: (user id, access token)."""
        nonce = self.call("GET", "/_synapse/admin/v1/register")["nonce"]
        mac = hmac.new(SECRET.encode(), digestmod=hashlib.sha1)
        mac.update(b"\x00".join([nonce.encode(), username.encode(), PASSWORD.encode(),
                                 b"admin" if admin else b"notadmin"]))
        made = self.call("POST", "/_synapse/admin/v1/register", body={
            "nonce": nonce, "username": username, "password": PASSWORD, "admin": admin, "mac": mac.hexdigest()})
        return made["user_id"], made["access_token"]

    def stop(self) -> None:
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()


def sso_callback(port: int) -> str:
    return f"http://127.0.0.1:{port}/_synapse/client/oidc/callback"


def start(folder: Path, company: Callable[[str], CompanySignIn] | None = None, as_run: bool = False) -> Synapse:
    """Start Synapse on a free loopback port; ``company`` registers its SSO callback with the
    company's sign-in and says how to reach it; ``as_run``: Synapse's default rate limits."""
    python = synapse_python()
    if python is None:
        raise MissingSynapse()
    port = free_port()
    path = folder / "homeserver.yaml"
    sign_in = company(sso_callback(port)) if company else None
    path.write_text(json.dumps(config(folder, port, sign_in, as_run), indent=1), "utf-8")
    # The Python is the one IT or ./run chose ($HALLWAY_SYNAPSE_PYTHON or .venv-synapse), not input.
    subprocess.run([str(python), "-m", "synapse.app.homeserver", "-c", str(path), "--generate-keys"],  # noqa: S603
                   check=True, capture_output=True, timeout=120)
    log = (folder / "synapse.log").open("wb")
    process = subprocess.Popen([str(python), "-m", "synapse.app.homeserver", "-c", str(path)],  # noqa: S603
                               stdout=log, stderr=subprocess.STDOUT, cwd=folder)
    server = Synapse(f"http://127.0.0.1:{port}", folder, process)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Synapse stopped at start: {(folder / 'synapse.log').read_text()[-2000:]}")
        try:
            if server.http.get(server.url + "/_matrix/client/versions", timeout=2).ok:
                return server
        except requests.ConnectionError:
            time.sleep(0.1)
    server.stop()
    raise RuntimeError("Synapse did not answer within 60 s")


@dataclass
class SeededOrganisation:
    """The organisation as it stands on Synapse: who is who, and the rooms Hallway reads."""

    org: Organisation
    tokens: dict[str, str]  # username -> access token
    user_ids: dict[str, str]  # username -> @username:localhost
    everyone: str  # room id of #everyone (the directory and the feed)
    announcements: str  # room id of #announcements
    lobby: str  # room id of #lobby (check-ins)
    posts: list[str]  # event ids of the seeded feed, oldest first
    admin_token: str = ""  # IT's admin account, where the server was seeded as IT would (seed_as_admin)


def seed(server: Synapse, org: Organisation, posts: int = 60) -> SeededOrganisation:
    """Register everyone, fill in their profiles (with a photo and extended fields), create the
    three rooms, and post the organisation's first ``posts`` posts in #everyone."""
    tokens: dict[str, str] = {}
    user_ids: dict[str, str] = {}
    people = [a for a in org.accounts.values() if not a.bot or a.id == org.kiosk_account_id]
    admin = org.accounts[org.demo_user_id].username
    for account in people:
        user, token = server.register(account.username, admin=account.username == admin)
        tokens[account.username], user_ids[account.username] = token, user
        quoted = quote(user)
        server.call("PUT", f"/_matrix/client/v3/profile/{quoted}/displayname", token,
                    {"displayname": account.display_name})
        if account.id == org.kiosk_account_id:  # a service account, not a colleague
            server.call("PUT", f"/_matrix/client/v3/profile/{quoted}/{PREFIX}service", token,
                        {f"{PREFIX}service": True})
        else:
            mxc = server.call("POST", "/_matrix/media/v3/upload?filename=photo.png", token,
                              data=portrait(account.avatar_seed or account.username), content_type="image/png")
            server.call("PUT", f"/_matrix/client/v3/profile/{quoted}/avatar_url", token,
                        {"avatar_url": mxc["content_uri"]})
        for name, value in account.fields:
            key = FIELD_KEYS.get(name)
            if key:
                server.call("PUT", f"/_matrix/client/v3/profile/{quoted}/{PREFIX}{key}", token,
                            {f"{PREFIX}{key}": value})
    owner = tokens[admin]

    def room(alias: str, name: str) -> str:
        made = server.call("POST", "/_matrix/client/v3/createRoom", owner, {
            "room_alias_name": alias, "name": name, "preset": "public_chat", "visibility": "public",
            # people share their own office days (state keyed by their id), as docs/admin.md asks
            "power_level_content_override": {"events": {OFFICE_DAYS_EVENT: 0}}})
        for username, token in tokens.items():
            if username != admin:
                server.call("POST", f"/_matrix/client/v3/join/{quote(made['room_id'])}", token, {})
        return str(made["room_id"])

    everyone, announcements, lobby = room("everyone", "Everyone"), room("announcements", "Announcements"), \
        room("lobby", "Lobby")
    _share_office_days(server, org, tokens, user_ids, everyone)
    posted = _post_seed(server, org, tokens, everyone, announcements, owner, posts, encrypted=False)
    return SeededOrganisation(org, tokens, user_ids, everyone, announcements, lobby, posted)


def _share_office_days(server: Synapse, org: Organisation, tokens: dict[str, str], user_ids: dict[str, str],
                       everyone: str) -> None:
    """The office days people shared, as Hallway writes them on Matrix: each person's own state."""
    for account in org.accounts.values():
        days = dict(account.fields).get("Office days")
        if days and account.username in tokens:
            server.call("PUT", f"/_matrix/client/v3/rooms/{quote(everyone)}/state/{OFFICE_DAYS_EVENT}/"
                               f"{quote(user_ids[account.username])}", tokens[account.username],
                        {"days": [d.strip() for d in days.split(",")]})


def _post_seed(server: Synapse, org: Organisation, tokens: dict[str, str], everyone: str, announcements: str,
               owner: str, posts: int, encrypted: bool) -> list[str]:
    """The organisation's first ``posts`` public posts in the company room, each by its author,
    and the announcements by ``owner``. ``encrypted``: a third of the posts are ciphertext, as an
    Element user's messages look to Hallway in an encrypted room. Returns the posts' event ids."""
    posted: list[str] = []
    by_id = {a.id: a for a in org.accounts.values() if a.username in tokens}
    for number, status in enumerate(sorted(org.statuses.values(), key=lambda s: int(s.id))):
        author = by_id.get(status.account_id)
        if author is None or status.visibility != "public" or len(posted) >= posts:
            continue
        kind, content = "m.room.message", {"msgtype": "m.text", "body": status.text}
        if encrypted and number % 3 == 0:
            kind, content = "m.room.encrypted", {"algorithm": "m.megolm.v1.aes-sha2", "ciphertext": "AwgAEnAc",
                                                 "sender_key": "k", "device_id": "ELEMENT", "session_id": "s"}
        sent = server.call("PUT", f"/_matrix/client/v3/rooms/{quote(everyone)}/send/{kind}/seed{number}",
                           tokens[author.username], content)
        posted.append(sent["event_id"])
    for number, announcement in enumerate(org.announcements.values()):
        server.call("PUT", f"/_matrix/client/v3/rooms/{quote(announcements)}/send/m.room.message/ann{number}",
                    owner, {"msgtype": "m.notice", "body": announcement.text})
    return posted


IT_ADMIN = "it-admin"  # the admin account of a server seeded as IT would (seed_as_admin)


def seed_as_admin(server: Synapse, org: Organisation, posts: int = 60, facts: str = "state",
                  encrypted: bool = False) -> SeededOrganisation:
    """Seed a Synapse that runs at its default rate limits the way IT would: one admin account
    whose own limits are lifted (``override_ratelimit``); people registered with the shared-secret
    admin API (which hands each a sign-in of their own), their profiles set with
    ``PUT /_synapse/admin/v2/users/...`` and joined with ``POST /_synapse/admin/v1/join/...``.
    The people themselves keep Synapse's default limits, as on a company server.

    ``facts``: "state" puts each person's facts in a ``com.hallway.profile`` state event in the
    company room, sent by that person (only they may send state keyed by their id); "profile"
    puts them in profile fields (MSC4133), set by the admin. ``encrypted``: the company room
    has end-to-end encryption switched on, as many company rooms do, and some of its posts
    are encrypted (ciphertext Hallway cannot read)."""
    admin_id, admin_token = server.register(IT_ADMIN, admin=True)
    server.call("POST", f"/_synapse/admin/v1/users/{quote(admin_id)}/override_ratelimit", admin_token,
                {"messages_per_second": 0, "burst_count": 0})
    if facts == "profile":
        server.call("PUT", f"/_matrix/client/v3/profile/{quote(admin_id)}/{PREFIX}service", admin_token,
                    {f"{PREFIX}service": True})
    people = [a for a in org.accounts.values() if not a.bot or a.id == org.kiosk_account_id]
    tokens: dict[str, str] = {}
    user_ids: dict[str, str] = {}
    profiles: dict[str, dict[str, Any]] = {}
    for account in people:
        details: dict[str, Any] = {"displayname": account.display_name}  # a password here would sign them out
        if account.id != org.kiosk_account_id:
            details["avatar_url"] = server.call(
                "POST", "/_matrix/media/v3/upload?filename=photo.png", admin_token,
                data=portrait(account.avatar_seed or account.username), content_type="image/png")["content_uri"]
        # The shared-secret registration gives the person a sign-in of their own. (A token from
        # the admin's "log in as" API would count against the admin's lifted limits, not theirs.)
        user, tokens[account.username] = server.register(account.username)
        server.call("PUT", f"/_synapse/admin/v2/users/{quote(user)}", admin_token, details)
        user_ids[account.username] = user
        profile: dict[str, Any] = {f"{PREFIX}{FIELD_KEYS[name]}": value for name, value in account.fields
                                   if name in FIELD_KEYS}
        if account.id == org.kiosk_account_id:
            profile = {f"{PREFIX}service": True}
        profiles[account.username] = profile
        if facts == "profile":
            for key, value in profile.items():
                server.call("PUT", f"/_matrix/client/v3/profile/{quote(user)}/{key}", admin_token, {key: value})

    def room(alias: str, name: str, members: list[str], initial: list[dict[str, Any]] | None = None) -> str:
        made = server.call("POST", "/_matrix/client/v3/createRoom", admin_token, {
            "room_alias_name": alias, "name": name, "preset": "public_chat", "visibility": "public",
            "initial_state": initial or [],
            # people send their own facts and office days (state keyed by their id); the rest stays IT's
            "power_level_content_override": {"events": {FACTS_EVENT: 0, OFFICE_DAYS_EVENT: 0}}})
        for username in members:
            server.call("POST", f"/_synapse/admin/v1/join/{quote(made['room_id'])}", admin_token,
                        {"user_id": user_ids[username]})
        return str(made["room_id"])

    everybody = [a.username for a in people]  # every account joins all three rooms (docs/admin.md)
    lock = [{"type": "m.room.encryption", "state_key": "", "content": {"algorithm": "m.megolm.v1.aes-sha2"}}]
    everyone = room("everyone", "Everyone", everybody, lock if encrypted else None)
    announcements, lobby = room("announcements", "Announcements", everybody), room("lobby", "Lobby", everybody)
    service = {f"{PREFIX}service": True}  # IT's own account is no colleague either
    if facts == "state":
        server.call("PUT", f"/_matrix/client/v3/rooms/{quote(everyone)}/state/{FACTS_EVENT}/{quote(admin_id)}",
                    admin_token, service)
        for username, profile in profiles.items():
            server.call("PUT", f"/_matrix/client/v3/rooms/{quote(everyone)}/state/{FACTS_EVENT}/"
                               f"{quote(user_ids[username])}", tokens[username], profile)
    _share_office_days(server, org, tokens, user_ids, everyone)
    posted = _post_seed(server, org, tokens, everyone, announcements, admin_token, posts, encrypted)
    return SeededOrganisation(org, tokens, user_ids, everyone, announcements, lobby, posted, admin_token)


def company_sign_in(network: DemoNetwork) -> Callable[[str], CompanySignIn]:
    """The demo network as the company's sign-in: Synapse registered there as an OAuth app."""
    def register(callback: str) -> CompanySignIn:
        app = network.api.oauth.register("Matrix (Synapse)", [callback], {"read"})
        return CompanySignIn(network.url, app.client_id, app.client_secret, f"{network.org.name} sign-in")
    return register


@dataclass
class MatrixDemo:
    """``hallway demo --network matrix``: the company's sign-in (the demo network) and Synapse
    seeded with the same organisation, in a folder that goes when the demo stops."""

    network: DemoNetwork
    homeserver: Synapse
    seeded: SeededOrganisation

    @property
    def url(self) -> str:
        return self.homeserver.url

    @property
    def org(self) -> Organisation:
        return self.seeded.org

    def token_for(self, username: str) -> str:
        """A sign-in of its own for each app (a device in the person's session list), as IT's
        provisioned kiosk token or a laptop's sign-in would be."""
        return str(self.homeserver.call("POST", "/_matrix/client/v3/login", body={
            "type": "m.login.password", "identifier": {"type": "m.id.user", "user": username},
            "password": PASSWORD, "initial_device_display_name": "Hallway demo"})["access_token"])

    def environment(self) -> dict[str, str]:
        return {}

    def machine_config(self) -> str:
        """What IT would write in hallway.toml for this server."""
        return f'[network]\nkind = "matrix"\nserver = "{self.url}"\n'

    def stop(self) -> None:
        self.homeserver.stop()
        self.network.stop()


def run_demo(org: Organisation, folder: Path, posts: int = 60) -> MatrixDemo:
    """Start the company's sign-in and Synapse, and seed Synapse with ``org``."""
    from hallway.demo import server

    network = server.create(org).start_in_background()
    try:
        homeserver = start(folder, company_sign_in(network))
    except BaseException:
        network.stop()
        raise
    try:
        return MatrixDemo(network, homeserver, seed(homeserver, org, posts))
    except BaseException:
        homeserver.stop()
        network.stop()
        raise
