"""The commands that keep sign-ins: `hallway set-token`, `sign-in`, `sign-out`,
`proxy-sign-in` and `certificate-passphrase`. None prints a token or a passphrase."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import webbrowser

from hallway import config as settings
from hallway import proxy, signin
from hallway.commands.common import configured
from hallway.connect import network_with
from hallway.http import HttpClient, HttpError, Unauthorized
from hallway.networks.registry import connector
from hallway.proxy import certificate
from hallway.proxy import credentials as proxy_credentials


def set_token(args: argparse.Namespace) -> int:
    found = configured("set-token")
    if found is None:
        return 1
    config, server = found
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
    found = configured("sign-in")
    if found is None:
        return 1
    config, server = found
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


def certificate_passphrase(args: argparse.Namespace) -> int:
    """The passphrase of the client certificate IT names (tls.client_certificate, a PKCS#12 file
    or a PEM key with a passphrase) into the keyring, once it opens the file; from standard input,
    never an argument."""
    config = settings.load()
    named, key = config["tls.client_certificate"], config["tls.client_key"]
    if not named:
        print("No client certificate is set (tls.client_certificate): there is no passphrase to keep.",
              file=sys.stderr)
        return 1
    passphrase = (getpass.getpass(f"Passphrase of {key or named}: ") if sys.stdin.isatty()
                  else sys.stdin.readline().rstrip("\n"))
    if not passphrase:
        print("No passphrase given: nothing was kept.", file=sys.stderr)
        return 1
    try:
        certificate.save_passphrase(named, passphrase, key)
    except certificate.CertificateTrouble as trouble:
        print(trouble.message if not trouble.needs_passphrase else
              f"That passphrase does not open {key or named}: nothing was kept.", file=sys.stderr)
        return 1
    except signin.SignInError as failure:
        print(f"{failure.title}: {failure.message}", file=sys.stderr)
        return 1
    print(f"Kept in the keyring for the client certificate {key or named}.")
    return 0
