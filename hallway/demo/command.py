"""The demo's commands: ``hallway demo-network`` serves the demo network, ``hallway demo`` also
starts the apps pointed at it (or at Synapse seeded with the same company). Only the demo names
the networks it plays (the product looks them up in hallway/networks/registry.py).
"""

from __future__ import annotations

import argparse
import signal
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hallway.demo.organisation import Organisation

DEFAULT_DEMO_PORT = 8731
MATRIX_PEOPLE = 40  # Synapse is seeded through its API: about 4 people a second


DEMO_HISTORY_WEEKS = 8  # the lobby's check-ins before today: the demo's `hallway report` shows real charts


def _whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


def _add_demo_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=_whole_number, default=DEFAULT_DEMO_PORT,
                        help=f"loopback port to serve on (default {DEFAULT_DEMO_PORT}; 0 picks a free one)")
    parser.add_argument("--seed", type=_whole_number, default=1,
                        help="the organisation is drawn from this seed (default 1)")
    parser.add_argument("--people", type=_whole_number, default=None,
                        help="how many people work there (default 300, or 40 on Matrix; 10000 for benchmarks)")
    parser.add_argument("--posts", type=_whole_number, default=None,
                        help="how many posts to start with (default: a few hundred)")
    parser.add_argument("--auto-approve", action="store_true",
                        help="approve OAuth sign-ins without showing the consent page")
    parser.add_argument("--rate-limit", type=_whole_number, default=300,
                        help="requests per token per 5 minutes before 429 (default 300, as Mastodon)")
    parser.add_argument("--fault", action="append", default=[], metavar="PATH=KIND[:ARG][xCOUNT]",
                        help="inject a fault, e.g. /api/v1/timelines/home=503x3 (repeatable); kinds: "
                             "500 502 503 429 slow drop truncated invalid-json html")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    parser.add_argument("--server", choices=("mastodon", "compatible"), default="mastodon",
                        help="behave as Mastodon (default) or as an independent Mastodon-compatible server: no "
                             "directory, no idempotency keys, exact redirect URIs, no streaming, no markers")


def add_parsers(commands: Any) -> None:
    """``demo-network`` and ``demo`` on the ``hallway`` command's subparsers."""
    network = commands.add_parser("demo-network", help="serve the demo network (Mastodon API) on loopback")
    _add_demo_options(network)
    demo = commands.add_parser("demo", help="start the demo network and the Hallway apps pointed at it")
    _add_demo_options(demo)
    demo.add_argument("--network", choices=("mastodon", "matrix", "viva-engage", "chatter"), default="mastodon",
                      help="the network's API: the demo network's Mastodon API (default), a Synapse Matrix "
                           "server seeded with the same organisation (needs matrix-synapse; ./run installs it), "
                           "the Viva Engage emulator (Microsoft Graph and Yammer, on loopback TLS), or the "
                           "Salesforce Chatter emulator (a login host and the org's instance)")
    demo.add_argument("--kiosk-size", default="1280x800", help="the kiosk window's size (default 1280x800)")
    demo.add_argument("--no-apps", action="store_true", help="serve the network only (as demo-network)")
    demo.add_argument("--apps", default="kiosk,desktop",
                      help="which apps to start: kiosk, desktop or both (default kiosk,desktop)")


def run(args: argparse.Namespace) -> int:
    """Serve the demo network until Ctrl+C; ``hallway demo`` also opens the lobby kiosk (in a
    window) pointed at it, and stops when the kiosk is closed."""
    from hallway.demo import server
    from hallway.demo.behaviour import KINDS
    from hallway.demo.faults import Fault, FaultError
    from hallway.demo.organisation import OrganisationError, generate

    prog = f"hallway {args.command}"
    matrix = getattr(args, "network", "mastodon") == "matrix"
    if getattr(args, "network", "mastodon") != "mastodon" and (args.fault or args.port != DEFAULT_DEMO_PORT):
        print(f"{prog}: --fault and --port are for the demo network, not Synapse or the Viva Engage emulator",
              file=sys.stderr)
        return 2
    try:
        faults = [Fault.parse(spec) for spec in args.fault]
        behaviour = KINDS[args.server]
        org = generate(seed=args.seed, people=args.people or (MATRIX_PEOPLE if matrix else 300), posts=args.posts,
                       string_ids=behaviour.string_ids, history_weeks=DEMO_HISTORY_WEEKS)
    except (FaultError, OrganisationError) as bad:
        print(f"{prog}: {bad}", file=sys.stderr)
        return 2
    if not 0 <= args.port <= 65535 or args.rate_limit < 1:
        print(f"{prog}: --port must be 0-65535 and --rate-limit at least 1", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    if matrix:
        return _matrix_demo(args, org)
    if getattr(args, "network", "mastodon") == "viva-engage":
        return _viva_demo(args, org)
    if getattr(args, "network", "mastodon") == "chatter":
        return _chatter_demo(args, org)
    try:
        network = server.create(org, port=args.port, auto_approve=args.auto_approve,
                                rate_limit=args.rate_limit, faults=faults, verbose=args.verbose, behaviour=behaviour)
    except OSError as busy:
        print(f"{prog}: cannot listen on 127.0.0.1:{args.port} ({busy.strerror}); "
              "try another --port", file=sys.stderr)
        return 1
    people = sum(1 for a in org.accounts.values() if not a.bot)
    print(f"{org.name} demo network: {people} people, {len(org.statuses)} posts, at {network.url}",
          flush=True)
    print(f"  sign in as @{org.accounts[org.demo_user_id].username}; the lobby kiosk is @lobby; "
          "Ctrl+C stops it", flush=True)
    if args.command == "demo-network" or args.no_apps:
        try:
            network.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            network.stop()
        return 0
    from hallway import demo_apps
    network.start_in_background()
    try:
        return demo_apps.run(network, kiosk_size=args.kiosk_size, apps=_chosen_apps(args))
    except KeyboardInterrupt:
        return 0
    finally:
        network.stop()


def _matrix_demo(args: argparse.Namespace, org: Organisation) -> int:
    """Synapse seeded with the organisation, its single sign-on going to the demo network (the
    company's sign-in), and the apps pointed at Synapse; all of it in a folder that goes at the end."""
    import tempfile
    from pathlib import Path

    from hallway.demo import synapse

    if synapse.synapse_python() is None:
        print(f"hallway demo: {synapse.MISSING}", file=sys.stderr)
        return 1
    people = sum(1 for a in org.accounts.values() if not a.bot)
    print(f"Starting Synapse and seeding it with {org.name}: {people} people (about {people // 4 + 5} s)...",
          flush=True)
    with tempfile.TemporaryDirectory(prefix="hallway-synapse-") as folder:
        try:
            site = synapse.run_demo(org, Path(folder), posts=args.posts or 60)
        except KeyboardInterrupt:
            return 0
        except (OSError, RuntimeError, AssertionError) as failed:
            print(f"hallway demo: Synapse did not start: {failed}", file=sys.stderr)
            return 1
        return _until_stopped(args, site, (
            f"{org.name} on Matrix: Synapse at {site.url} (#everyone, #announcements, #lobby); the company's "
            f"sign-in at {site.network.url}",
            f"  sign in as @{org.accounts[org.demo_user_id].username}:{synapse.SERVER_NAME} (single sign-on, or the "
            f"password \"{synapse.PASSWORD}\"); the lobby kiosk is @{org.accounts[org.kiosk_account_id].username}; "
            "Ctrl+C stops it"))


def _viva_demo(args: argparse.Namespace, org: Organisation) -> int:
    """The Viva Engage emulator (Entra ID, Graph, Yammer) with the organisation, and the apps on it."""
    from hallway.demo.viva import server as viva
    from hallway.demo.viva.tenant import Tenant

    tenant = viva.start(Tenant(org))
    people = sum(1 for p in tenant.tenant.people.values() if p.user_type == "Member" and p.account_enabled
                 and p is not tenant.tenant.kiosk)
    return _until_stopped(args, tenant, (
        f"{org.name} on Viva Engage (the emulator): {people} people at {tenant.url} (Microsoft's sign-in, Graph "
        "and Yammer on one loopback address, with a CA of this run's own)",
        f"  signed in as @{tenant.tenant.demo.username}; the lobby kiosk is @lobby; Ctrl+C stops it"))


def _chatter_demo(args: argparse.Namespace, org: Organisation) -> int:
    """The Salesforce Chatter emulator with the organisation, and the apps on it."""
    from hallway.demo.chatter import server as chatter
    from hallway.demo.chatter.org import Org

    site = chatter.start(Org(org))
    people = sum(1 for u in site.emulated.users.values() if u.is_active and u.user_type == "Standard"
                 and u is not site.emulated.kiosk)
    return _until_stopped(args, site, (
        f"{org.name} on Salesforce Chatter (the emulator): {people} people; the login host at {site.url}, the "
        f"org's instance at {site.instance_url}",
        f"  signed in as @{site.emulated.demo.handle}; the lobby kiosk is @lobby; Ctrl+C stops it"))


def _until_stopped(args: argparse.Namespace, site: Any, said: tuple[str, ...]) -> int:
    """Say where the site is, start the apps on it (or only serve), and stop the site at the end."""
    from hallway import demo_apps

    try:
        for line in said:
            print(line, flush=True)
        if args.no_apps:
            return demo_apps.serve_until_stopped()
        return int(demo_apps.run(site, kiosk_size=args.kiosk_size, apps=_chosen_apps(args)))
    except KeyboardInterrupt:
        return 0
    finally:
        site.stop()


def _chosen_apps(args: argparse.Namespace) -> tuple[str, ...]:
    return tuple(a.strip() for a in args.apps.split(",") if a.strip())


def _stop_on_sigterm(signum: int, frame: object) -> None:
    """systemd and the test harness stop the demo with SIGTERM; treat it as Ctrl+C."""
    raise KeyboardInterrupt
