"""What a fleet of laptops costs the company's server: 10,000 tray apps booting at 9:00.

Run: python bench/herd.py [--people 10000] [--laptops 10000] [--boot-window 600]
Ends with: ``herd: laptops=... boot_window_s=... morning_requests_per_laptop=... morning_mb_per_laptop=...
peak_rps=... peak_mbps=... idle_rps=... rollout_photo_rps=...``

It runs the real tray app (``python -m desktop --hidden``, as login starts it, with Xvfb and a
tray host of its own) against the demo network at 10,000 people, counts every request and body
byte at the server, and goes through four phases:

1. **rollout day**: a fresh install, first sync, then photos as the app fetches them
   (``rollout_photo_rps``: photo requests a second for the whole fleet rolling out at once);
2. **warm restart**: the same laptop started again an hour later (nothing due);
3. **morning**: started the next morning, its directory a day old (due);
4. **idle**: the same laptop left alone (``idle_rps``: requests a second for the whole fleet,
   its photo backlog apart: ``rollout_photo_rps`` is the pace of photo requests over every
   phase after the first pass, while a laptop still lacks faces it shows).

One laptop is measured; the fleet is that laptop's timeline replayed for each of ``--laptops``
laptops, each booting at a random moment in ``--boot-window`` seconds and reading the directory
at the moment hallway/schedule.py gives its installation (drawn per laptop as the app draws
its own). ``peak_rps`` and ``peak_mbps`` are the busiest minute of the morning, averaged per
second. Beside them the same morning as it was before the schedule (every laptop reading the
directory on its first pass) is printed for comparison.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

Event = tuple[float, str, int]  # seconds after the app started, kind of path, body bytes


def record(served: object, seconds: float, since: float) -> list[Event]:
    log: list[tuple[float, str, int]] = []
    served.log = log  # type: ignore[attr-defined]
    time.sleep(seconds)
    served.log = None  # type: ignore[attr-defined]
    return [(t - since, kind, size) for t, kind, size in log]


def start_app(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], float]:
    began = time.monotonic()
    return subprocess.Popen([sys.executable, "-m", "desktop", "--hidden"], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL), began


def stop_app(app: subprocess.Popen[bytes]) -> None:
    app.send_signal(signal.SIGTERM)
    try:
        app.wait(10)
    except subprocess.TimeoutExpired:
        app.kill()
        app.wait(10)


def paths_since(served: object, before: Counter[str]) -> str:
    now: Counter[str] = Counter(served.paths)  # type: ignore[attr-defined]
    return ", ".join(f"{path} {n}" for path, n in (now - before).most_common(12))


def summary(events: list[Event]) -> str:
    requests = Counter(kind for _, kind, _ in events)
    size = sum(s for _, _, s in events)
    return f"{len(events)} requests ({', '.join(f'{k} {n}' for k, n in requests.most_common())}), {size / 1e6:.2f} MB"


def fleet_peak(boot: list[Event], idle_rate: float, idle_bytes: float, directory: list[Event], laptops: int,
               window_s: float, spread: bool) -> tuple[float, float]:
    """The busiest minute (requests/s, MB/s) of ``laptops`` replaying ``boot`` from their start,
    then idling, each reading the directory at its own scheduled moment (``spread``) or on its
    first pass (as before the schedule)."""
    from hallway import schedule

    horizon = int(window_s + schedule.LAPTOP_QUIET_S + schedule.LAPTOP_SPREAD_S + 3600)
    requests = [0.0] * horizon
    volume = [0.0] * horizon
    boot_end = max((t for t, _, _ in boot), default=0.0)
    rng = __import__("random").Random(33)
    for _ in range(laptops):
        start = rng.uniform(0, window_s)
        for t, _, size in boot:
            second = int(start + t)
            requests[second] += 1
            volume[second] += size
        at = start + (schedule.laptop(secrets.token_hex(8)).offset_s + schedule.LAPTOP_QUIET_S if spread else 1.0)
        for t, _, size in directory:
            second = int(at + t)
            if second < horizon:
                requests[second] += 1
                volume[second] += size
        for second in range(int(start + boot_end), horizon, 60):  # idle requests, a minute's worth at a time
            requests[second] += idle_rate * 60
            volume[second] += idle_bytes * 60
    minute = 60
    rps = max(sum(requests[i:i + minute]) / minute for i in range(0, horizon - minute, 10))
    mbps = max(sum(volume[i:i + minute]) / minute for i in range(0, horizon - minute, 10)) / 1e6
    return rps, mbps


def exported_copy_bytes(data: Path, server: str) -> int:
    """The company's directory copy (hallway export-directory) of the people this laptop read,
    compressed as IT would serve it: what a laptop downloads on a day it changed."""
    from hallway import directory_copy
    from hallway.store import Store

    store = Store(data / "hallway.sqlite3", data / "photos")
    try:
        to = data / "people.json.gz"
        directory_copy.export(store.people(), server, to)
        return to.stat().st_size
    finally:
        store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--laptops", type=int, default=10_000)
    parser.add_argument("--boot-window", type=float, default=600.0)
    parser.add_argument("--rollout-seconds", type=float, default=240.0)
    parser.add_argument("--boot-seconds", type=float, default=120.0)
    parser.add_argument("--idle-seconds", type=float, default=300.0)
    args = parser.parse_args()

    from bench.tray import start_x
    from hallway.demo import server
    from hallway.demo.organisation import generate
    from hallway.demo_apps import desktop_profile

    xvfb = start_x()
    if xvfb is None:
        raise SystemExit("herd: needs Xvfb and trayer (./run test installs them)")
    tray_host = subprocess.Popen(["trayer", "--edge", "top", "--align", "right", "--height", "28"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    network = server.create(generate(seed=3, people=args.people), rate_limit=1_000_000).start_in_background()
    served = network.server.served
    app: subprocess.Popen[bytes] | None = None
    try:
        with tempfile.TemporaryDirectory(prefix="hallway-herd-") as tmp:
            env = {**os.environ, **desktop_profile(network, Path(tmp))}
            data = Path(env["HALLWAY_DATA_DIR"])

            app, began = start_app(env)
            rollout = record(served, args.rollout_seconds, began)
            print(f"  rollout day, first {args.rollout_seconds:.0f} s: {summary(rollout)}", flush=True)
            directory = [e for e in rollout if e[1] == "directory"]
            first = min((t for t, _, _ in directory), default=0.0)
            directory = [(t - first, kind, size) for t, kind, size in directory]
            stop_app(app)

            app, began = start_app(env)
            warm = record(served, args.boot_seconds, began)
            print(f"  warm restart, first {args.boot_seconds:.0f} s: {summary(warm)}", flush=True)
            stop_app(app)

            with sqlite3.connect(data / "hallway.sqlite3") as db:  # the next morning: a day-old directory
                db.execute("UPDATE state SET value = ? WHERE name = 'directory_synced_at'",
                           (str(time.time() - 90_000),))
            before: Counter[str] = Counter(served.paths)
            app, began = start_app(env)
            boot = record(served, args.boot_seconds, began)
            print(f"  morning boot, first {args.boot_seconds:.0f} s: {summary(boot)}", flush=True)
            print(f"    {paths_since(served, before)}", flush=True)
            before = Counter(served.paths)
            idle = record(served, args.idle_seconds, began)
            print(f"  idle, {args.idle_seconds:.0f} s: {summary(idle)}", flush=True)
            print(f"    {paths_since(served, before)}", flush=True)
            stop_app(app)
            app = None
            copy_bytes = exported_copy_bytes(data, network.url)
    finally:
        if app is not None and app.poll() is None:
            app.kill()
        network.stop()
        tray_host.terminate()
        xvfb.terminate()

    # Idle: what the measured minutes brought, plus what comes on timers longer than a bench can
    # wait (hallway/sync.py): "who is in" (one request) every PRESENCE_IDLE_S, and a full pass (the
    # morning boot's own requests, streams and photos left out) every FULL_PASS_EVERY_S.
    from hallway.sync import FULL_PASS_EVERY_S, PRESENCE_IDLE_S
    full_pass = [e for e in boot if e[1] == "api" and e[0] < 30.0]  # the first pass (streams are their own kind)
    # Photos come apart: a laptop fetches the faces it is about to show one a pass until it has
    # them (a backlog of a few hundred on its first day, a few a day after). rollout_photo_rps is
    # that pace over every phase recorded after the first pass; idle_rps is the rest.
    photos = [e for phase in (rollout, warm, boot, idle) for e in phase if e[1] == "photos" and e[0] > 30.0]
    photo_rate = len(photos) / (args.rollout_seconds + 2 * args.boot_seconds + args.idle_seconds - 3 * 30.0)
    idle = [e for e in idle if e[1] != "photos"]
    idle_rate = len(idle) / args.idle_seconds + 1 / PRESENCE_IDLE_S + len(full_pass) / FULL_PASS_EVERY_S
    idle_bytes = (sum(s for _, _, s in idle) / args.idle_seconds
                  + sum(s for _, _, s in full_pass) / FULL_PASS_EVERY_S)
    print(f"  idle on timers: 'who is in' every {PRESENCE_IDLE_S / 60:.0f} min, a full pass of "
          f"{len(full_pass)} requests every {FULL_PASS_EVERY_S / 3600:.0f} h", flush=True)
    boot_dir = [e for e in boot if e[1] == "directory"]
    boot_rest = [e for e in boot if e[1] != "directory"]
    # The morning's directory read, at each laptop's own moment: the company's copy (one request;
    # counted whole, as on a day it changed), or the network's directory paged (every page counted
    # whole: on a real Mastodon a page changes whenever someone on it posts).
    copy: list[Event] = [(0.0, "copy", copy_bytes)]
    net_rps, net_mbps = fleet_peak(boot_rest, idle_rate, idle_bytes, directory, args.laptops, args.boot_window, True)
    old_rps, old_mbps = fleet_peak(boot_rest, idle_rate, idle_bytes, directory, args.laptops, args.boot_window, False)
    peak_rps, peak_mbps = fleet_peak(boot_rest, idle_rate, idle_bytes, copy, args.laptops, args.boot_window, True)
    idle_morning = idle_rate * max(0.0, args.boot_window - args.boot_seconds)
    morning = len(boot_rest) + len(copy) + idle_morning
    morning_mb = (sum(s for _, _, s in boot_rest) + copy_bytes) / 1e6
    print(f"  directory paged from the network: {len(directory)} requests, "
          f"{sum(s for _, _, s in directory) / 1e6:.1f} MB a laptop; read in the morning's first "
          f"{args.boot_seconds:.0f} s: {len(boot_dir)} requests (0: the schedule waits); the company's copy: "
          f"1 request, {copy_bytes / 1e6:.2f} MB", flush=True)
    print(f"  the morning reading the network's directory (spread): peak {net_rps:.0f} requests/s, "
          f"{net_mbps:.1f} MB/s; with the directory on every first pass (before the schedule): "
          f"{old_rps:.0f} requests/s, {old_mbps:.1f} MB/s", flush=True)
    print(f"herd: laptops={args.laptops} boot_window_s={args.boot_window:.0f} directory=copy "
          f"morning_requests_per_laptop={morning:.0f} morning_mb_per_laptop={morning_mb:.2f} "
          f"peak_rps={peak_rps:.0f} peak_mbps={peak_mbps:.1f} idle_rps={idle_rate * args.laptops:.0f} "
          f"rollout_photo_rps={photo_rate * args.laptops:.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
