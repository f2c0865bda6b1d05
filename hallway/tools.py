"""The ``hallway`` commands for people and IT: sync, doctor, set-token, sign-in, sign-out.

Each prints plain words and returns an exit code; none prints a token.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import os
import sqlite3
import sys
import threading
import time
import webbrowser
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit

from hallway import config as settings
from hallway import directory_copy, logs, proxy, signin
from hallway.connect import Missing, NotConfigured, network_with, open_network
from hallway.http import BadAnswer, HttpClient, HttpError, Refused, Unauthorized, certificate_of
from hallway.networks import Network
from hallway.networks.registry import connector
from hallway.proxy import credentials as proxy_credentials
from hallway.store import RECOVERED_STATE, DiskFull, Store, StoreFault
from hallway.sync import EMPTY_DIRECTORY, Sync


def _say(ok: bool, text: str) -> bool:
    print(f"  {'✓' if ok else '✗'} {text}")
    return ok


def _store_and_network(prog: str, config: settings.Config, kiosk: bool) -> tuple[Store, Network, HttpClient] | None:
    """This computer's local copy and the network, its answers kept in that copy; None (said on
    stderr) where either cannot be opened."""
    for problem in config.problems:
        print(f"{prog}: {problem}", file=sys.stderr)
    try:
        store = Store(photo_cache_bytes=config["privacy.photo_cache_mb"] * 1024 * 1024)
    except StoreFault as fault:
        print(f"{prog}: {fault}", file=sys.stderr)
        return None
    client = HttpClient(kept=store)
    try:
        return store, open_network(config, kiosk=kiosk, client=client), client
    except NotConfigured as missing:
        print(f"{prog}: {missing}", file=sys.stderr)
        store.close()
        return None


def sync(args: argparse.Namespace) -> int:
    config = settings.load()
    opened = _store_and_network("hallway sync", config, args.kiosk)
    if opened is None:
        return 1
    store, network, client = opened
    if store.recovered:
        saved = store.salvaged.words() if store.salvaged else ""
        print(f"hallway sync: the local copy was damaged; it is kept as {store.recovered}, and a fresh one "
              f"holds what could be read ({saved})", file=sys.stderr)
    sync = Sync(store, network, feed=config["network.feed"], max_people=config["sync.max_people"],
                directory_copy=directory_copy.source(config, client))
    try:
        result = sync.once(directory=True)
    except HttpError as failure:
        print(f"hallway sync: {failure.title}: {failure.message} (the local copy is unchanged)", file=sys.stderr)
        return 1
    finally:
        store.close()
    print(result.summary())
    if sync.people_from or network.people_from:
        print(f"people from {sync.people_from or network.people_from}")
    return 1 if result.problems else 0


def export_directory(args: argparse.Namespace) -> int:
    """Read the network's whole directory into this computer's local copy, then write the
    company's copy from it (hallway/directory_copy.py)."""
    config = settings.load()
    opened = _store_and_network("hallway export-directory", config, args.kiosk)
    if opened is None:
        return 1
    store, network, _ = opened
    try:
        result = Sync(store, network, feed=None, notices=False, stream=False,
                      max_people=config["sync.max_people"]).read_directory()
        if result.problems:
            for failed in result.problems:
                print(f"hallway export-directory: {failed}", file=sys.stderr)
            print("hallway export-directory: the directory was not read whole; nothing was written",
                  file=sys.stderr)
            return 1
        count = directory_copy.export(store.people(), config["network.server"], Path(args.file))
    except HttpError as failure:
        print(f"hallway export-directory: {failure.title}: {failure.message}", file=sys.stderr)
        return 1
    except OSError as failure:
        print(f"hallway export-directory: cannot write {args.file}: {failure.strerror or failure}", file=sys.stderr)
        return 1
    finally:
        store.close()
    print(f"Wrote {args.file}: {count:,} people from {network.people_from or 'the directory'}. Laptops read it "
          "with network.directory_copy set to where your web server or share offers it.")
    return 0


def doctor(args: argparse.Namespace) -> int:
    print("Hallway doctor")
    config = settings.load()
    healthy = True
    if config.machine_file and not config.machine_file.exists():
        # Installed, the package puts IT's file there; run from source, there may be none.
        installed = bool(getattr(sys, "frozen", False))
        healthy &= _say(not installed, f"machine settings: {config.machine_file} is missing, so the built-in "
                                       "defaults apply" + (" (reinstall Hallway to restore it)" if installed else ""))
    where = ", ".join([*config.read_from, str(config.user_file)])
    healthy &= _say(not config.problems, f"settings ({where})")
    for problem in config.problems:
        print(f"      {problem}")
    try:
        healthy &= _say(True, f"keyring: {signin.keyring_name()}")
    except signin.SignInError as failure:
        healthy &= _say(False, f"keyring: {failure.message}")
    server = config["network.server"]
    if _say(bool(server), f"server: {server or 'not set (network.server)'}"):
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
        return _say(False, f"directory copy {source.where}: {words} Laptops read the network's directory meanwhile.")
    assert copy is not None  # a first request is never "not modified"
    skipped = f"; {copy.skipped} entries skipped" if copy.skipped else ""
    return _say(True, f"people: read from {source.words(copy)}: {len(copy.people):,} people{skipped}")


def _check_network(config: settings.Config, server: str) -> bool:
    healthy = True
    parts = urlsplit(server)
    if parts.scheme != "https" and parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        healthy &= _say(False, "TLS: the server address is not https://, so sign-ins could be read on the way")
    client = HttpClient(attempts=1)
    proxy.configure(config)
    try:
        title = connector(config["network.kind"]).probe(server, client)
        healthy &= _say(True, f"network reachable{' over TLS' if parts.scheme == 'https' else ''}: {title}")
    except HttpError as failure:
        healthy &= _say(False, f"network: {failure.title}: {failure.message}")
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
            healthy &= _say(True, f"{who}: signed in as @{me.handle}{_renewal(network.signin.credentials)}")
            signed_in = True
        except NotConfigured as missing:
            if missing.missing is Missing.SIGN_IN:  # one of the two is enough: a laptop or a kiosk
                print(f"  - {who}: {missing}")
            else:  # the keyring refused or did not answer: nothing can sign in
                healthy &= _say(False, f"{who}: {missing}")
            continue
        except Unauthorized:
            fix = ("IT stores a working one with `hallway set-token --kiosk`" if kiosk else
                   "sign in again with `hallway sign-in` (or from the tray app)")
            healthy &= _say(False, f"{who}: the server no longer accepts it: {fix}")
            continue
        except HttpError as failure:
            healthy &= _say(False, f"{who}: {failure.title}: {failure.message}")
            continue
        healthy &= _check_apis(network, config, kiosk, said)
    if not signed_in:
        healthy &= _say(False, "nobody is signed in on this computer: `hallway sign-in` (a laptop) or "
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
        return _say(False, f"the way to {urlsplit(address).netloc}: {trouble.message}")
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
    healthy = _say(True, f"the way to {urlsplit(address).netloc}: {route.words}{signed}")
    try:
        seen = certificate_of(HttpClient(attempts=1), address)
    except HttpError as failure:
        return _say(False, f"  TLS: {failure.message}") and healthy
    if seen is not None:
        shown = proxy.router().client_certificate
        mine = f"; this computer shows its client certificate {shown if isinstance(shown, str) else shown[0]}" \
            if shown else ""
        print(f"  -   TLS: {seen.words}{mine}")
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
        checks += [(f"feed ({feed})", lambda: network.feed(feed, limit=1)),
                   ("notifications", network.notices), ("announcements", network.announcements),
                   ("read positions", lambda: network.read_marker("notices")),
                   ("live stream", lambda: _stream_opens(network))]
    healthy = True
    for name, check in checks:
        try:
            check()
        except Refused as failure:
            if name == "live stream":  # optional: the apps check every few minutes instead
                print(f"  -   {name}: {failure.message} The apps check every few minutes instead.")
                continue
            healthy &= _say(False, f"  {name}: {failure.message}")
            continue
        except HttpError as failure:
            healthy &= _say(False, f"  {name}: {failure.message}")
            continue
        absent = [words for path, words in network.missing.items() if name.startswith(MISSING_NAMES.get(path, path))]
        if absent:
            print(f"  -   {name}: {absent[0]}")
        else:
            _say(True, f"  {name}")
        if name == "directory" and network.facts_from:
            later = "" if network.directory_complete else (
                "; some profiles wait for the server's profile rate limit and follow a minute later")
            print(f"  -   profile facts from {network.facts_from}{later}")
        if name == "directory" and network.people_from:
            print(f"  -   people from {network.people_from}")
    checked = [name for name, _ in checks]
    for path, words in network.missing.items():  # what else the server keeps from Hallway
        if not any(name.startswith(MISSING_NAMES.get(path, path)) for name in checked):
            print(f"  -   {words}")
    try:
        for fine, words in network.set_up(kiosk):
            if fine is None:
                if words not in said:  # a note both sign-ins share is said once
                    print(f"  -   {words}")
                said.add(words)
            else:
                healthy &= _say(fine, f"  {words}")
    except HttpError as failure:
        healthy &= _say(False, f"  the server's set-up: {failure.message}")
    return healthy


MISSING_NAMES = {"/api/v1/announcements": "announcements", "/api/v1/markers": "read positions"}


def _lists_someone(network: Network) -> None:
    if not next(iter(network.directory()), []):
        raise BadAnswer(EMPTY_DIRECTORY)


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
        return _say(False, f"local copy: {fault}")
    try:
        healthy = True
        integrity = store.integrity()
        healthy &= _say(integrity == "ok", f"local copy: {store.path} ({store.count_people()} people)"
                        + ("" if integrity == "ok" else f": damaged ({integrity})"))
        if store.disk_full:
            healthy &= _say(False, f"disk: {DiskFull(store.path)}")
        waiting, refused = store.count_queued_writes(), store.refused_writes()
        if waiting or refused:
            print(f"  - writes waiting for the network: {waiting}; refused by it: {len(refused)}")
        healthy &= _recovery(store)
        return healthy
    except StoreFault as fault:
        return _say(False, f"local copy: {fault}")
    except sqlite3.Error as broken:
        return _say(False, f"local copy: {broken}")
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
        return _say(False, words)
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


def set_token(args: argparse.Namespace) -> int:
    config = settings.load()
    server = config["network.server"]
    if not server:
        print("hallway set-token: set network.server in the config first", file=sys.stderr)
        return 1
    if args.device:
        return _device_token(config, args)
    token = sys.stdin.readline().strip()
    if not token or any(ch.isspace() for ch in token) or len(token) > 4096:
        print("hallway set-token: give the token on standard input, on one line", file=sys.stderr)
        return 2
    if not args.no_check:
        refusal = _token_refusal(config, token, args.kiosk)
        if refusal:
            print(f"hallway set-token: {refusal} The token stored before (if any) is kept.", file=sys.stderr)
            return 1
    return _keep_token(server, token, args, f"Stored the {'kiosk service' if args.kiosk else 'user'} token for "
                                            f"{server} in {{keyring}}.")


def _keep_token(server: str, token: str | signin.Credentials, args: argparse.Namespace, done: str) -> int:
    """Where ``set-token`` keeps what it was given: the service's file, or the keyring."""
    if args.for_service:
        return _service_token(token if isinstance(token, str) else token.stored(), args.kiosk)
    try:
        signin.save_token(server, token, kiosk=args.kiosk)
    except signin.SignInError as failure:
        print(f"hallway set-token: {failure.message}", file=sys.stderr)
        return 1
    print(done.format(keyring=signin.keyring_name()))
    return 0


def _device_token(config: settings.Config, args: argparse.Namespace) -> int:
    """The network's sign-in by code: the address and the code printed, the sign-in waited for
    (15 minutes at most), then kept where ``set-token`` keeps a token."""
    server = config["network.server"]

    def show(address: str, code: str) -> None:
        print(f"On a phone or another computer, open {address} and enter the code {code}, then sign in as the "
              f"{'kiosk' if args.kiosk else 'person'}'s account. Waiting...", flush=True)
    try:
        made = connector(config["network.kind"]).device_sign_in(config, show, 900.0)
    except signin.SignInError as failure:
        print(f"hallway set-token: {failure.title}: {failure.message}", file=sys.stderr)
        return 1
    return _keep_token(server, made, args, f"Signed in; stored for {server} in {{keyring}}. It renews itself.")


def _token_refusal(config: settings.Config, token: str, kiosk: bool) -> str:
    """Why this token should not replace the one stored ("" when the server accepts it): a
    token the server refuses, or one that could not be checked, never replaces a working one."""
    try:
        me = network_with(config, token, kiosk, HttpClient(attempts=2)).me()
    except Unauthorized:
        return "the network does not accept this token (verify_credentials answered that it is not valid)."
    except HttpError as failure:
        return (f"could not check the token with the network ({failure.title}: {failure.message}). Run it again "
                "when the server answers, or add --no-check.")
    print(f"The network accepts the token: it signs in as @{me.handle}.")
    return ""


def _service_token(token: str, kiosk: bool) -> int:
    """The kiosk service has no one to unlock a keyring: its token is a root-only file beside
    the machine config, which systemd hands to the service alone (LoadCredential)."""
    if not kiosk:
        print("hallway set-token: --for-service is for the kiosk's token (add --kiosk)", file=sys.stderr)
        return 2
    path = settings.machine_config_path().parent / signin.KIOSK_CREDENTIAL
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            os.fchmod(file.fileno(), 0o600)
            file.write(token + "\n")
    except PermissionError:
        print(f"hallway set-token: writing {path} needs root (sudo)", file=sys.stderr)
        return 1
    print(f"Stored the kiosk service token in {path} (readable by root only). "
          "Restart the kiosk: sudo systemctl restart hallway-kiosk")
    return 0


def _ask_password(server: str) -> tuple[str, str] | None:
    """For a Matrix server without single sign-on: asked in the terminal, never echoed."""
    if not sys.stdin.isatty():
        return None
    print(f"{server} has no single sign-on: sign in with your name and password there.")
    try:
        user = input("Name (such as ada or @ada:example.org): ").strip()
        password = getpass.getpass("Password: ")
    except (EOFError, KeyboardInterrupt):
        return None
    return (user, password) if user and password else None


def _ask_code(server: str) -> str | None:
    """For a server that shows a code instead of returning to Hallway: pasted in the terminal."""
    if not sys.stdin.isatty():
        return None
    print(f"{server} shows a code once you have signed in there. Paste it here.")
    try:
        return input("Code: ").strip() or None
    except (EOFError, KeyboardInterrupt):
        return None


def sign_in(args: argparse.Namespace) -> int:
    config = settings.load()
    server = config["network.server"]
    if not server:
        print("hallway sign-in: set network.server in the config first", file=sys.stderr)
        return 1
    def open_browser(url: str) -> None:
        print("Opening the sign-in page in your browser...")
        webbrowser.open(url)

    try:
        signin.sign_in(server, kind=config["network.kind"], open_browser=open_browser, ask_password=_ask_password,
                       ask_code=_ask_code, config=config, kiosk=getattr(args, "kiosk", False))
    except signin.SignInError as failure:
        print(f"hallway sign-in: {failure.title}: {failure.message}", file=sys.stderr)
        return 1
    print("Signed in as the kiosk's account." if getattr(args, "kiosk", False) else "Signed in.")
    return 0


def sign_out(args: argparse.Namespace) -> int:
    """Forgotten here always; at the server only if it agrees, and said plainly when it does not
    (exit 1: the sign-in still works there)."""
    config = settings.load()
    revoked = signin.Revoked.NOTHING
    if config["network.server"]:
        try:
            revoked = signin.sign_out(config["network.server"], kind=config["network.kind"])
        except signin.SignInError as failure:
            print(f"hallway sign-out: {failure.message}", file=sys.stderr)
            return 1
    print(signin.REVOKED_WORDS[revoked])
    return 1 if revoked is signin.Revoked.REFUSED else 0


def report(args: argparse.Namespace) -> int:
    """`hallway report`: read the network once and write the figures (hallway.report)."""
    from datetime import date, timedelta

    from hallway import report as figures

    if not 1 <= args.days <= 366:
        print("hallway report: --days must be 1 to 366", file=sys.stderr)
        return 2
    config = settings.load()
    bar = ProgressLine(sys.stderr)
    try:  # a report waits out the server's rate limit, and says so, instead of failing a part
        network = open_network(config, kiosk=args.kiosk, client=HttpClient(patient=bar.waiting))
    except NotConfigured as missing:
        print(f"hallway report: {missing}", file=sys.stderr)
        return 1
    end = date.today()
    start = end - timedelta(days=args.days - 1)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from hallway.report_cache import ReportCache
    from hallway.report_cache import default_path as cache_path
    try:
        cache = ReportCache(None if args.fresh else cache_path(config["network.server"]))
    except (OSError, sqlite3.Error) as failure:  # a broken cache costs time, never the report
        print(f"hallway report: the last report's copy cannot be used ({failure}); reading everything",
              file=sys.stderr)
        cache = ReportCache(None)
    cover = cache.check_ins_cover()
    if cover is None or cover[0] > start:
        print(f"hallway report: this is the first report of this period on this computer, so it reads the whole "
              f"period from the network. On a large company that takes a while: {args.days} days of a "
              f"10,000-person company is about {88 * args.days:,} requests, about {1.5 * args.days:.0f} minutes at "
              "Mastodon's default limit of 300 requests per 5 minutes. Later reports read only what is new.",
              file=sys.stderr)
    try:
        tally = figures.read(network, start, end, bar.show, cache)
    except HttpError as failure:
        bar.done()
        print(f"hallway report: {failure.title}: {failure.message}", file=sys.stderr)
        return 1
    finally:
        cache.close()
    bar.done()
    if not tally.read_anything:  # no page of empty figures
        print(f"hallway report: nothing could be read ({tally.unread[0][1]})", file=sys.stderr)
        return 1
    from hallway.store import default_path
    for day, plays, right in figures.kiosk_quiz_plays(default_path(), start, end):
        tally.quiz_plays(day, plays, right)
    cells = tally.cells()
    stem = out / f"hallway-report-{start.isoformat()}-{end.isoformat()}"
    figures.write_csv(cells, stem.with_suffix(".csv"))
    figures.write_html(cells, stem.with_suffix(".html"), config["office.name"] or "the company", start, end,
                       tally.unread)
    written = [stem.with_suffix(".csv"), stem.with_suffix(".html")]
    if args.announcement:
        draft = stem.with_name(stem.name + "-announcement.txt")
        draft.write_text(figures.announcement(cells, start, end), encoding="utf-8")
        written.append(draft)
    print(f"Read {tally.people} people, {sum(len(p) for p in tally.in_office.values())} check-ins and the posts "
          f"from {start.isoformat()} to {end.isoformat()}.")
    for path in written:
        print(f"  {path}")
    for what, why in tally.unread:
        print(f"hallway report: could not read {what}, so its figures are incomplete: {why}", file=sys.stderr)
    return 0


class ProgressLine:
    """How far a long read is, on one line that rewrites itself (a line per stage when not a
    terminal), with an estimate of the time left where a stage says how far through it is."""

    def __init__(self, stream: TextIO) -> None:
        self.stream, self.terminal = stream, stream.isatty()
        self.counts: dict[str, int] = {}
        self._last_stage = ""
        self._began: dict[str, float] = {}
        self._left = ""

    def show(self, stage: str, count: int, share: float | None = None) -> None:
        if not self.terminal and self._last_stage and stage != self._last_stage:
            self.stream.write(f"  {self._last_stage}: {self.counts[self._last_stage]:,}\n")
        self._began.setdefault(stage, time.monotonic())
        self.counts[stage], self._last_stage = count, stage
        self._left = ""
        if share is not None and 0.02 < share < 1.0:
            seconds = (time.monotonic() - self._began[stage]) * (1 - share) / share
            self._left = f" · {share:.0%} of the period, about {_duration(seconds)} left"
        if self.terminal:
            self.stream.write("\rReading the network: " + " · ".join(f"{n:,} {s}" for s, n in self.counts.items())
                              + self._left + "   ")
            self.stream.flush()

    def waiting(self, seconds: float) -> None:
        """The server asked Hallway to slow down: said, then waited out (HttpClient's ``patient``)."""
        self.stream.write(("\n" if self.terminal else "") + f"  the network asks Hallway to slow down (its rate "
                          f"limit): waiting {_duration(seconds)}, then going on\n")
        self.stream.flush()

    def done(self) -> None:
        if self.terminal:
            self.stream.write("\n")
        elif self._last_stage:
            self.stream.write(f"  {self._last_stage}: {self.counts[self._last_stage]:,}\n")
        self.stream.flush()


def _duration(seconds: float) -> str:
    minutes = round(seconds / 60)
    return f"{seconds:.0f} s" if seconds < 90 else f"{minutes} min" if minutes < 90 else f"{minutes / 60:.1f} h"


def proxy_sign_in(args: argparse.Namespace) -> int:
    """The proxy's user name and password into the keyring, for the proxy requests to the
    network go through (so the words name it); the password from standard input, never an
    argument (a process list shows those)."""
    config = settings.load()
    server = config["network.server"]
    try:
        route = proxy.configure(config).route(server or "https://example.invalid")
    except proxy.ProxyTrouble as trouble:
        print(f"Hallway cannot tell which proxy to sign in to: {trouble.message}", file=sys.stderr)
        return 1
    if route.proxy is None:
        print(f"Requests to {server or 'the network'} go {route.words}: there is no proxy to sign in to.",
              file=sys.stderr)
        return 1
    if sys.stdin.isatty():
        import getpass

        password = getpass.getpass(f"Password for {args.user} at the proxy {route.proxy}: ")
    else:
        password = sys.stdin.readline().rstrip("\n")
    if not password:
        print("No password given: nothing was kept.", file=sys.stderr)
        return 1
    try:
        proxy_credentials.save(route.proxy, args.user, password)
    except signin.SignInError as failure:
        print(f"{failure.title}: {failure.message}", file=sys.stderr)
        return 1
    print(f"Kept in the keyring for the proxy at {route.proxy} ({route.source}).")
    return 0
