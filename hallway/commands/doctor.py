"""`hallway doctor`: settings, keyring, network, the way to each server, TLS, sign-in, every API
the apps use and the local copy, in plain words; "All good." only when every check passed."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sqlite3
import sys
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from hallway import config as settings
from hallway import directory_copy, logs, proxy, signin
from hallway.commands.common import say
from hallway.connect import Missing, NotConfigured, network_with, open_network
from hallway.http import BadAnswer, HttpClient, HttpError, Refused, Unauthorized, certificate_of
from hallway.networks import DirectoryPass, Network, NoteKind, SetUp
from hallway.networks.registry import connector
from hallway.proxy import certificate
from hallway.proxy import credentials as proxy_credentials
from hallway.store import RECOVERED_STATE, DiskFull, Store, StoreFault
from hallway.sync import EMPTY_DIRECTORY


def doctor(args: argparse.Namespace) -> int:
    print("Hallway doctor")
    config = settings.load()
    healthy = True
    if config.machine_file and not config.machine_file.exists():
        # Installed, the package puts IT's file there; run from source, there may be none.
        installed = bool(getattr(sys, "frozen", False))
        healthy &= say(not installed, f"machine settings: {config.machine_file} is missing, so the built-in "
                                       "defaults apply" + (" (reinstall Hallway to restore it)" if installed else ""))
    where = ", ".join([*config.read_from, str(config.user_file)])
    healthy &= say(not config.problems, f"settings ({where})")
    for problem in config.problems:
        print(f"      {problem}")
    try:
        healthy &= say(True, f"keyring: {signin.keyring_name()}")
    except signin.SignInError as failure:
        healthy &= say(False, f"keyring: {failure.message}")
    server = config["network.server"]
    if say(bool(server), f"server: {server or 'not set (network.server)'}"):
        healthy &= _check_network(config, server)
        healthy &= _check_directory_copy(config)
    else:
        healthy = False
    healthy &= _check_store()
    problems = logs.last_problems(8)
    if problems:
        print(f"  Last problems in the log ({logs.log_file()}):")
        for line in problems:
            print(f"      {line}")
    print("All good." if healthy else "Something needs attention (see ✗ above).")
    if args.bundle:
        print(f"Wrote {write_bundle(Path(args.bundle), config)}: send it to IT.")
    return 0 if healthy else 1


def _check_directory_copy(config: settings.Config) -> bool:
    """Which directory laptops read: the company's copy (said with its age and size) or the network's."""
    source = directory_copy.source(config, HttpClient(attempts=1))
    if source is None:
        print("  - people: read from the network's directory (no network.directory_copy is set)")
        return True
    try:
        copy = source.read(config["sync.max_people"])
    except (directory_copy.BadCopy, HttpError) as failure:
        words = failure.message if isinstance(failure, HttpError) else str(failure)
        return say(False, f"directory copy {source.where}: {words} Laptops read the network's directory meanwhile.")
    assert copy is not None  # a first request is never "not modified"
    skipped = f"; {copy.skipped} entries skipped" if copy.skipped else ""
    return say(True, f"people: read from {source.words(copy)}: {len(copy.people):,} people{skipped}")


def _check_network(config: settings.Config, server: str) -> bool:
    healthy = True
    parts = urlsplit(server)
    if parts.scheme != "https" and parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        healthy &= say(False, "TLS: the server address is not https://, so sign-ins could be read on the way")
    client = HttpClient(attempts=1)
    proxy.configure(config)
    try:
        title = connector(config["network.kind"]).probe(server, client)
        healthy &= say(True, f"network reachable{' over TLS' if parts.scheme == 'https' else ''}: {title}")
    except HttpError as failure:
        healthy &= say(False, f"network: {failure.title}: {failure.message}")
    signed_in = False
    said: set[str] = set()
    for kiosk in (False, True):
        who = "kiosk service token" if kiosk else "your sign-in"
        try:
            service = _service_credential(config) if kiosk else None
            if service is not None and service[1] is None:  # stored for the service; not ours to read
                print(f"  - {who}: stored for the kiosk service in {service[0]} (root only); run "
                      "`sudo hallway doctor` to check it with the network")
                signed_in = True
                continue
            network = (network_with(config, service[1], kiosk, client) if service is not None and service[1]
                       else open_network(config, kiosk=kiosk, client=client))
            if service is not None:
                who = f"kiosk service token ({service[0]})"
            me = network.me()
            healthy &= say(True, f"{who}: signed in as @{me.handle}{_renewal(network.signin.credentials)}")
            signed_in = True
        except NotConfigured as missing:
            if missing.missing is Missing.SIGN_IN:  # one of the two is enough: a laptop or a kiosk
                print(f"  - {who}: {missing}")
            else:  # the keyring refused or did not answer: nothing can sign in
                healthy &= say(False, f"{who}: {missing}")
            continue
        except Unauthorized:
            fix = ("IT stores a working one with `hallway set-token --kiosk`" if kiosk else
                   "sign in again with `hallway sign-in` (or from the tray app)")
            healthy &= say(False, f"{who}: the server no longer accepts it: {fix}")
            continue
        except HttpError as failure:
            healthy &= say(False, f"{who}: {failure.title}: {failure.message}")
            continue
        healthy &= _check_apis(network, config, kiosk, said)
    if not signed_in:
        healthy &= say(False, "nobody is signed in on this computer: `hallway sign-in` (a laptop) or "
                               "`hallway set-token --kiosk` (a kiosk)")
    here = f"{parts.scheme}://{parts.netloc}"
    for address in [here, *sorted(client.addresses - {here})]:  # and the APIs' own hosts (Salesforce's instance)
        healthy &= _check_way(address)
    return healthy


def _check_way(address: str) -> bool:
    """Which way requests to ``address`` go (direct, or the proxy), why, and how Hallway signs in
    to that proxy."""
    try:
        route = proxy.router().route(address)
    except proxy.ProxyTrouble as trouble:
        return say(False, f"the way to {urlsplit(address).netloc}: {trouble.message}")
    signed = ""
    if route.proxy:
        scheme = proxy_credentials.scheme(route.proxy)
        held = proxy_credentials.known(route.proxy) or proxy_credentials.look_up(route.proxy)
        if scheme == "negotiate":
            signed = "; signs in to it with Kerberos (your sign-in ticket, no password)"
        elif scheme == "ntlm" and held:
            signed = f"; signs in to it with NTLM as {held[0]} (kept in the keyring)"
        elif held:
            signed = f"; signs in to it with Basic as {held[0]} (kept in the keyring)"
        else:
            signed = "; it asked for no sign-in"
    healthy = say(True, f"the way to {urlsplit(address).netloc}: {route.words}{signed}")
    try:
        seen = certificate_of(HttpClient(attempts=1), address)
    except HttpError as failure:
        return say(False, f"  TLS: {failure.message}") and healthy
    if seen is not None:
        print(f"  -   TLS: {seen.words}")
    named = proxy.router().client_certificate
    if named:
        path = named if isinstance(named, str) else named[0]
        try:
            made = certificate.shown(named) if isinstance(named, str) else certificate.shown(*named)
        except certificate.CertificateTrouble as trouble:
            return say(False, f"  the client certificate: {trouble.message}") and healthy
        words, good = certificate.describe(made)
        healthy &= say(good, f"  this computer shows its client certificate {path} ({words})")
    return healthy


def _renewal(credentials: signin.Credentials) -> str:
    """For a sign-in whose tokens expire: that Hallway renews it, and when this token ends."""
    if not credentials.expires_at:
        return ""
    left = credentials.expires_at - time.time()
    when = f"this token expires in {left / 60:.0f} min" if left > 0 else "this token has expired"
    return f" (renews itself; {when})" if credentials.refreshable else f" ({when}, and it cannot be renewed)"


def _service_credential(config: settings.Config) -> tuple[Path, str | None] | None:
    """The kiosk token `set-token --kiosk --for-service` stored beside the machine config (what
    systemd hands the kiosk service): its path and the token, None as the token where this user
    may not read it; None where there is none (the keyring or HALLWAY_TOKEN hold it, if anything)."""
    if os.environ.get(signin.TOKEN_ENV) or os.environ.get(signin.CREDENTIALS_ENV):
        return None  # handed over as the service is (systemd): read where the kiosk reads it
    path = settings.machine_config_path().parent / signin.KIOSK_CREDENTIAL
    try:
        token = path.read_text("utf-8").strip()
    except FileNotFoundError:
        return None
    except OSError:
        return path, None
    return (path, token) if token else None


def _check_apis(network: Network, config: settings.Config, kiosk: bool, said: set[str]) -> bool:  # noqa: C901
    """Every API the app on this side uses, one line each; a refusal names the server setting
    behind it (the connector's words)."""
    feed = config["network.feed"]
    checks: list[tuple[str, Callable[[], object]]] = [("directory", lambda: _lists_someone(network))]
    if kiosk:
        checks.append(("who is in today", lambda: network.in_office(datetime.now().astimezone().date())))
        checks.append(("may post check-ins", lambda: _may_post(network)))
    else:
        checks += [(f"feed ({feed})", lambda: network.feed(network.feed_of(feed), limit=1)),
                   ("notifications", network.notices), ("announcements", network.announcements),
                   ("read positions", lambda: network.read_marker("notices")),
                   ("live stream", lambda: _stream_opens(network))]
    healthy = True
    for name, check in checks:
        try:
            answer = check()
        except Refused as failure:
            if name == "live stream":  # optional: the apps check every few minutes instead
                print(f"  -   {name}: {failure.message} The apps check every few minutes instead.")
                continue
            healthy &= say(False, f"  {name}: {failure.message}")
            continue
        except HttpError as failure:
            healthy &= say(False, f"  {name}: {failure.message}")
            continue
        absent = network.notes.about(NOTE_OF_CHECK[name]) if name in NOTE_OF_CHECK else ""
        if absent:
            print(f"  -   {name}: {absent}")
        else:
            say(True, f"  {name}")
        if isinstance(answer, DirectoryPass):
            _say_where_people_come_from(answer)
    on_a_line = {NOTE_OF_CHECK[name] for name, _ in checks if name in NOTE_OF_CHECK}
    for note in network.notes:  # what else the server keeps from Hallway
        if note.kind not in on_a_line:
            print(f"  -   {note.words}")
    try:
        for line in network.set_up(kiosk):
            if line.status is SetUp.WORTH_KNOWING:
                if line.words not in said:  # a note both sign-ins share is said once
                    print(f"  -   {line.words}")
                said.add(line.words)
            else:
                healthy &= say(line.status is SetUp.FINE, f"  {line.words}")
    except HttpError as failure:
        healthy &= say(False, f"  the server's set-up: {failure.message}")
    return healthy


# The checks whose line is the server's note where it has one (the others' notes follow them).
NOTE_OF_CHECK = {"announcements": NoteKind.ANNOUNCEMENTS, "read positions": NoteKind.READ_POSITIONS}


def _lists_someone(network: Network) -> DirectoryPass:
    """The directory's first page, and what reading it found out."""
    found = network.directory()
    if not next(iter(found), []):
        raise BadAnswer(EMPTY_DIRECTORY)
    return found


def _say_where_people_come_from(found: DirectoryPass) -> None:
    if found.facts_from:
        later = "" if found.complete else (
            "; some profiles wait for the server's profile rate limit and follow a minute later")
        print(f"  -   profile facts from {found.facts_from}{later}")
    if found.people_from:
        print(f"  -   people from {found.people_from}")


def _may_post(network: Network) -> None:
    """A kiosk token without write access would queue every check-in for ever."""
    if network.can_write() is False:
        raise Refused("The kiosk's token may not post: make it with the write:statuses scope.", 403)


def _stream_opens(network: Network) -> None:
    """The live stream answers within a few seconds (Mastodon); streaming switched off is said."""
    if not network.stream_feeds:
        raise Refused("This network has no live stream for apps.")
    if not connector(network.kind).live_stream:  # Matrix's is a long poll: its reads are the check
        return
    stop = threading.Event()
    try:
        for event in network.stream(stop):
            if event.opened:
                return
    finally:
        stop.set()
        network.close_stream()


def _check_store() -> bool:
    """The local copy as it is, looked at from outside: a damaged one is named, never moved (the
    app that owns it repairs it, and may be running right now)."""
    try:
        store = Store(lock_wait_s=2.0, repair=False)
    except StoreFault as fault:
        return say(False, f"local copy: {fault}")
    try:
        healthy = True
        integrity = store.integrity()
        healthy &= say(integrity == "ok", f"local copy: {store.path} ({store.count_people()} people)"
                        + ("" if integrity == "ok" else f": damaged ({integrity})"))
        if store.disk_full:
            healthy &= say(False, f"disk: {DiskFull(store.path)}")
        waiting, refused = store.count_queued_writes(), store.refused_writes()
        if waiting or refused:
            print(f"  - writes waiting for the network: {waiting}; refused by it: {len(refused)}")
        healthy &= _recovery(store)
        return healthy
    except StoreFault as fault:
        return say(False, f"local copy: {fault}")
    except sqlite3.Error as broken:
        return say(False, f"local copy: {broken}")
    finally:
        store.close()


def _recovery(store: Store) -> bool:
    """A repair in the store's past: when, where the damaged file is kept, what was saved. Not a
    fault once done, unless part of it could not be read (check-ins may be lost: IT should know)."""
    recorded = store.get_state(RECOVERED_STATE)
    if not recorded:
        return True
    try:
        record = json.loads(recorded)
    except ValueError:  # an older version's note: a date and where it was kept
        print(f"  ! the local copy was damaged once and started afresh ({recorded})")
        return True
    from hallway.store.salvage import Salvaged
    salvaged = Salvaged(dict(record.get("saved") or {}), tuple(record.get("unreadable") or ()))
    words = (f"the local copy was damaged on {record.get('at')} ({record.get('why', '')[:120]}); kept as "
             f"{record.get('kept_as')}; {salvaged.words()}")
    if salvaged.unreadable:
        return say(False, words)
    print(f"  ! {words}")
    return True


def write_bundle(path: Path, config: settings.Config) -> Path:
    """A zip for IT: the logs, the settings files (they hold no secrets: secret-like keys are
    refused), the versions, and nothing else. Every text is masked once more on the way in."""
    import platform
    import zipfile

    from hallway import __version__
    if path.is_dir():
        path = path / f"hallway-report-{time.strftime('%Y%m%d-%H%M%S')}.zip"
    versions = [f"hallway {__version__}", f"python {platform.python_version()}", f"os {platform.platform()}"]
    with contextlib.suppress(ImportError):
        import PySide6
        versions.append(f"pyside6 {PySide6.__version__}")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("versions.txt", "\n".join(versions) + "\n")
        settings_files = [Path(p) for p in config.read_from if Path(p).is_file()]
        if config.user_file and config.user_file.is_file():
            settings_files.append(config.user_file)
        for index, file in enumerate(settings_files):
            with contextlib.suppress(OSError, UnicodeDecodeError):
                bundle.writestr(f"settings/{index}-{file.name}",
                                f"# {file}\n" + logs.mask(settings.read_settings_file(file)))
        bundle.writestr("settings/effective.txt", "\n".join(
            f"{key} = {config[key]!r}  ({config.sources[key]})" for key in sorted(config.sources)) + "\n")
        for log_path in sorted(logs.log_dir().glob(logs.FILE_NAME + "*")):
            with contextlib.suppress(OSError):
                bundle.writestr(f"logs/{log_path.name}", logs.mask(log_path.read_text("utf-8", errors="replace")))
    return path


