"""The ``hallway`` command: the demo, and the tools IT and developers use.

Imports stay inside each command so that ``hallway --version`` and the demo
network start without loading Qt or the network stack they do not need.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

from hallway import __version__
from hallway.demo import command as demo_command


class OneLineParser(argparse.ArgumentParser):
    """Bad arguments get one line on stderr, not a usage block: easier to read in IT's logs."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="hallway",
        description="Hallway: your company's social network in the lobby and the system tray.",
    )
    parser.add_argument("--version", action="version", version=f"hallway {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)
    demo_command.add_parsers(commands)
    sync = commands.add_parser("sync", help="bring the local copy up to date and say what changed")
    sync.add_argument("--once", action="store_true", required=True, help="one pass, then exit")
    sync.add_argument("--kiosk", action="store_true", help="use the kiosk's service token")
    doctor = commands.add_parser("doctor", help="check settings, keyring, network, TLS and sign-in, in plain words")
    doctor.add_argument("--bundle", metavar="PATH",
                        help="also write a zip for IT (logs, settings, versions; never a token) to PATH "
                             "(a file, or a folder to put it in)")
    token = commands.add_parser("set-token", help="store a token IT provisioned (read from stdin) in the keyring")
    token.add_argument("--kiosk", action="store_true", help="the lobby kiosk's service account token")
    token.add_argument("--for-service", action="store_true",
                       help="with --kiosk, as root: write it for the hallway-kiosk service (a root-only "
                            "file systemd hands the service) instead of to your keyring")
    token.add_argument("--no-check", action="store_true",
                       help="store it without first asking the network whether it accepts it")
    token.add_argument("--device", action="store_true",
                       help="sign in with a code typed on another device (a phone) instead of a token on standard "
                            "input: Viva Engage's way for the kiosk's account")
    report = commands.add_parser("report", help="figures for the communications team: a CSV and an HTML page "
                                               "(aggregates only; fewer than 5 people is never shown)")
    report.add_argument("--days", type=int, default=60, help="how many days back from today (default 60)")
    report.add_argument("--out", default=".", help="the folder to write the report to (default: here)")
    report.add_argument("--kiosk", action="store_true", help="read with the kiosk's service token")
    report.add_argument("--fresh", action="store_true", help="read everything from the network again, not only "
                        "what the last report did not read")
    report.add_argument("--announcement", action="store_true",
                        help="also write a draft announcement with the headline figures, for IT to publish")
    sign_in = commands.add_parser("sign-in", help="sign in through the network's page in your browser")
    sign_in.add_argument("--kiosk", action="store_true", help="sign in the kiosk's account (its integration user) "
                         "and keep it as the kiosk's sign-in (Chatter; where a token is provisioned, set-token)")
    commands.add_parser("sign-out", help="revoke the sign-in and remove it from the keyring")
    proxy_sign_in = commands.add_parser("proxy-sign-in", help="keep the user name and password the company's "
                                        "proxy asks for in the keyring (where the computer's own sign-in cannot "
                                        "answer it); the password is read from standard input")
    proxy_sign_in.add_argument("user", help="the user name the proxy knows you by")
    commands.add_parser("certificate-passphrase", help="keep the passphrase of the client certificate IT names "
                        "(tls.client_certificate) in the keyring; read from standard input")
    export = commands.add_parser("export-directory", help="read the network's directory and write the company's "
                                 "copy for laptops (network.directory_copy; see docs/admin.md)")
    export.add_argument("file", help="where to write it (a .gz name compresses it), for IT's web server or a share")
    export.add_argument("--kiosk", action="store_true", help="read with the kiosk's service token")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command in ("demo-network", "demo"):
        return demo_command.run(args)
    from hallway.commands import COMMANDS
    if args.command in COMMANDS:
        from hallway import commands, logs
        logs.start(f"hallway {args.command}", stderr=False)  # the commands say their problems themselves
        return commands.run(args.command, args)
    parser.print_help()
    return 0


if __name__ == "__main__":
    sys.exit(main())
