"""The tray app's weight: start-up, memory, idle cost and scrolling.

Run: python bench/tray.py [--idle-seconds 60] [--posts 10000]
Ends with: ``tray: start_s=... rss_mb=... idle_ticks_60s=... idle_requests_per_min=... scroll_frame_ms=...
compose_to_server_ms=...``

It starts its own Xvfb and a real tray host (trayer) and the demo network (300 people, about
1,000 posts), and runs ``python -m desktop --hidden`` as login would, signed in as the demo
person with the token in a GNOME keyring on a D-Bus session bus of its own (as a laptop runs
it), with a store that already holds the 1,000 posts and 300 people (a first sync only fetches
the newest 200). Beside it, the same start's memory with PySide6's own import scan and with the
keyring read in the app itself (what hallway/pyside_import_scan.py and keyring_apart.py spare).

- start_s: process start to the icon embedded in the tray (read from the X window tree).
- rss_mb: resident memory once it has synced and settled.
- idle_ticks_60s: CPU clock ticks (user + system, /proc/PID/stat) over the idle period.
- idle_requests_per_min: signed-in API requests the demo network counted from the app while
  idle (the open stream is one request, made before the period starts).
- scroll_frame_ms: in this process, the feed window over 10,000 stored posts, scrolled by a
  screenful at a time: the median time from the scroll to the repaint done (p95 in the details).
- compose_to_server_ms: in this process, the tray app signed in to the demo network on loopback:
  from pressing Post in the compose box to the post being on the server (median of 20 posts;
  p95 in the details). It goes through the outbox and a sync pass, as every write does.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

SENTENCE = "the quarterly review went well and the new coffee machine on the third floor is a hit"
ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

if TYPE_CHECKING:
    from hallway.demo.server import DemoNetwork


def start_x() -> subprocess.Popen[bytes] | None:
    if shutil.which("Xvfb") is None or shutil.which("trayer") is None:
        return None
    read, write = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
                            pass_fds=(write,), stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as pipe:
        os.environ["DISPLAY"] = f":{pipe.readline().strip()}"
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    return xvfb


def embedded() -> bool:
    tree = subprocess.run(["xwininfo", "-root", "-tree"], capture_output=True, text=True, timeout=10).stdout
    in_panel = False
    for line in tree.splitlines():
        if '"panel"' in line and '"trayer"' in line:
            in_panel = True
        elif in_panel and '"Hallway"' in line:
            return True
    return False


@contextlib.contextmanager
def desktop_with_a_tray(bench: str) -> Iterator[DemoNetwork]:
    """A desktop of the bench's own, Xvfb with a tray host (trayer), and the demo network
    (300 people, 1,000 posts); all stopped afterwards."""
    xvfb = start_x()
    if xvfb is None:
        raise SystemExit(f"{bench}: needs Xvfb, trayer and xwininfo (./run test installs them)")
    tray_host = subprocess.Popen(["trayer", "--edge", "top", "--align", "right", "--height", "28"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    from hallway.demo import server
    from hallway.demo.organisation import generate

    network = server.create(generate(seed=3, people=300, posts=1000), rate_limit=1_000_000).start_in_background()
    try:
        yield network
    finally:
        network.stop()
        tray_host.terminate()
        xvfb.terminate()


@contextlib.contextmanager
def keyring_session(home: Path) -> Iterator[dict[str, str]]:
    """A laptop's session keyring: a D-Bus session bus of the bench's own and the GNOME keyring
    (the Secret Service) unlocked on it, as at a person's login. The environment to run in."""
    for tool in ("dbus-daemon", "gnome-keyring-daemon"):
        if shutil.which(tool) is None:
            raise SystemExit(f"tray: needs {tool} (./run test installs it)")
    run = home / "run"
    run.mkdir(parents=True, mode=0o700)
    env = {**os.environ, "HOME": str(home), "XDG_RUNTIME_DIR": str(run), "XDG_DATA_HOME": str(home / "data"),
           "XDG_CONFIG_HOME": str(home / "config")}
    env.pop("PYTHON_KEYRING_BACKEND", None)
    bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"], stdout=subprocess.PIPE,
                           text=True, env=env)
    assert bus.stdout is not None
    env["DBUS_SESSION_BUS_ADDRESS"] = bus.stdout.readline().strip()
    keyring = subprocess.Popen(["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
                               stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    assert keyring.stdin is not None
    keyring.stdin.write(b"the person's login password")
    keyring.stdin.close()
    try:
        for _ in range(100):
            owner = subprocess.run(["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus", "/",
                                    "org.freedesktop.DBus.NameHasOwner", "string:org.freedesktop.secrets"],
                                   capture_output=True, text=True, env=env, timeout=5)
            if "boolean true" in owner.stdout:
                break
            time.sleep(0.1)
        else:
            raise SystemExit("tray: the GNOME keyring never came up on the session bus")
        yield env
    finally:
        keyring.terminate()
        keyring.wait(10)
        bus.terminate()
        bus.wait(10)


def thread_wakeups(pid: int) -> dict[str, int]:
    """Each thread's name and how often it has gone to sleep and woken (voluntary context
    switches): the idle app's wake-ups, even those too short to cost a clock tick."""
    found: dict[str, int] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):
            name = (task / "comm").read_text().strip()
            switches = int(re.search(r"voluntary_ctxt_switches:\s+(\d+)", (task / "status").read_text())[1])  # type: ignore[index]
            found[f"{name} ({task.name})"] = switches
    return found


def proc_stat(pid: int) -> tuple[int, float]:
    """CPU ticks so far, and resident MB."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])
    rss_kb = int(re.search(r"VmRSS:\s+(\d+)", Path(f"/proc/{pid}/status").read_text())[1])  # type: ignore[index]
    return ticks, rss_kb / 1024


def scroll_frames(posts: int) -> tuple[float, float]:
    from datetime import UTC, datetime, timedelta

    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QApplication

    from desktop.views.feed_window import FeedWindow
    from hallway.model import Post, sort_key
    from hallway.store import Store

    app = QApplication.instance() or QApplication(sys.argv[:1])
    folder = Path(tempfile.mkdtemp(prefix="hallway-bench-"))
    store = Store(folder / "hallway.sqlite3", folder / "photos")
    start = datetime.now(UTC)
    words = SENTENCE.split()
    store.save_posts("home", [Post(
        str(i), sort_key(i), f"a{i % 300}", f"Person {i % 300}", f"person{i % 300}", "",
        " ".join(words[: 6 + i % 12]), "<p>" + " ".join(words[: 6 + i % 12]) + ' <a href="https://x.example">#tag</a></p>',
        start - timedelta(minutes=posts - i), f"https://x.example/{i}") for i in range(posts)])
    window = FeedWindow(store, "home", QColor("#2f6f5e"))
    window.resize(420, 640)
    window.show()
    view = window.lists["feed"]
    bar = view.verticalScrollBar()
    for _ in range(30):
        app.processEvents()
    times: list[float] = []
    for _ in range(400):
        began = time.perf_counter()
        if bar.value() >= bar.maximum():
            window.posts.fetchMore()  # what reaching the end does: the next page from the store
        bar.setValue(bar.value() + view.viewport().height())
        view.viewport().repaint()
        app.processEvents()
        times.append((time.perf_counter() - began) * 1000)
    rows = view.model().rowCount()
    window.close()
    store.close()
    print(f"  scrolled through {rows} of {posts} posts", flush=True)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95)]


def compose_to_server(network: DemoNetwork, folder: Path, count: int = 20) -> tuple[float, float]:
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    import qasync
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from desktop.tray_app import TrayApp
    from hallway import config as settings
    from hallway.demo_apps import desktop_profile
    from hallway.store import Store

    os.environ.update(desktop_profile(network, folder))
    data = Path(os.environ["HALLWAY_DATA_DIR"])
    app = QApplication.instance() or QApplication(sys.argv[:1])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    executor = ThreadPoolExecutor(3, "bench-network")
    loop.set_default_executor(executor)
    store = Store(data / "hallway.sqlite3", data / "photos")
    tray = TrayApp(settings.load(), store, executor, tray_wait_s=0)
    statuses = network.api.org.statuses
    times: list[float] = []

    def arrived(marker: str) -> bool:
        with contextlib.suppress(RuntimeError):  # the server's threads add to the dict meanwhile
            return any(marker in s.text for s in list(statuses.values())[-5:])
        return False

    async def run() -> None:
        tray.start()
        tray.start_sync()
        while tray.first_result:
            await asyncio.sleep(0.05)
        compose = tray.window.compose
        for i in range(count):
            marker = f"bench-compose-{i}-{time.time_ns()}"
            compose.editor.setPlainText(f"{marker} {SENTENCE}")
            began = time.perf_counter()
            QTest.mouseClick(compose.send, Qt.MouseButton.LeftButton)
            while not arrived(marker):
                await asyncio.sleep(0.001)
                if time.perf_counter() - began > 20:
                    raise SystemExit("tray: a post from the compose box never reached the server")
            times.append((time.perf_counter() - began) * 1000)
            await asyncio.sleep(0.3)

    with loop:
        loop.run_until_complete(run())
        tray.stop()
    executor.shutdown(wait=True)
    tray.window.close()
    store.close()
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95)]


UPSTREAM_SCAN = ("import ui.pyside_import_scan as scan; scan.install = lambda: False; import runpy; "
                 "runpy.run_module('desktop', run_name='__main__')")
KEYRING_IN_PROCESS = ("import hallway.connect as connect; opened = connect.open_network; "
                      "connect.open_network = lambda *a, **k: opened(*a, **{**k, 'keyring_apart': False}); "
                      "import desktop.parts.session as session; session.open_network = connect.open_network; "
                      "import runpy; runpy.run_module('desktop', run_name='__main__')")


def settled_rss(env: dict[str, str], command: list[str], settle_s: float = 20.0) -> float:
    """Resident MB of a tray app started with ``command``, once it has synced and settled."""
    app = subprocess.Popen([sys.executable, *command], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    try:
        time.sleep(settle_s)
        return proc_stat(app.pid)[1]
    finally:
        app.terminate()
        try:
            app.wait(10)
        except subprocess.TimeoutExpired:
            app.kill()
            app.wait(10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--idle-seconds", type=int, default=60)
    parser.add_argument("--posts", type=int, default=10_000)
    args = parser.parse_args()
    from hallway.demo_apps import desktop_profile
    from hallway.networks.mastodon import MastodonNetwork
    from hallway.signin.tokens import TOKEN_ENV
    from hallway.store import Store
    from hallway.sync import Sync

    with desktop_with_a_tray("tray") as network:
        app: subprocess.Popen[bytes] | None = None
        try:
            with tempfile.TemporaryDirectory(prefix="hallway-bench-") as tmp, \
                    keyring_session(Path(tmp) / "home") as session:
                env = {**session, **desktop_profile(network, Path(tmp))}
                token = env.pop(TOKEN_ENV)  # as a laptop runs it: the sign-in is in the keyring
                subprocess.run([sys.executable, "-c", "import sys; from hallway.signin import save_token; "
                                "save_token(sys.argv[1], sys.stdin.read())", network.url], input=token, text=True,
                               env=env, cwd=ROOT, check=True, timeout=60)
                data = Path(env["HALLWAY_DATA_DIR"])
                store = Store(data / "hallway.sqlite3", data / "photos")
                Sync(store, MastodonNetwork(network.url, network.token_for("demo")), backfill=1000,
                     photos_per_pass=300).once(directory=True)
                posts, people = store.count_posts("home"), store.count_people()
                store.close()
                print(f"  store: {posts} posts, {people} people", flush=True)
                time.sleep(1)
                began = time.monotonic()
                app = subprocess.Popen([sys.executable, "-m", "desktop", "--hidden"], env=env, cwd=ROOT)
                while not embedded():
                    if time.monotonic() - began > 30 or app.poll() is not None:
                        raise SystemExit("tray: the icon never appeared in the tray")
                    time.sleep(0.01)
                start_s = time.monotonic() - began
                time.sleep(15)  # its first sync pass, the stream opened, photos checked
                calls_before = network.api.api_calls.get("demo", 0)
                ticks_before, _ = proc_stat(app.pid)
                woken_before = thread_wakeups(app.pid)
                time.sleep(args.idle_seconds)
                ticks_after, rss_mb = proc_stat(app.pid)
                woken = {name: count - woken_before.get(name, 0) for name, count in thread_wakeups(app.pid).items()}
                calls = network.api.api_calls.get("demo", 0) - calls_before
                app.terminate()
                app.wait(10)
                # Side by side: the same start with PySide6's own import scan (PYSIDE-2029), and
                # with the keyring read in the app itself (what hallway/signin/keyring_apart.py spares).
                upstream = settled_rss(env, ["-c", UPSTREAM_SCAN, "--hidden"])
                in_process = settled_rss(env, ["-c", KEYRING_IN_PROCESS, "--hidden"])
                frame_p50, frame_p95 = scroll_frames(args.posts)
                compose_p50, compose_p95 = compose_to_server(network, Path(tmp) / "compose")
        finally:
            if app is not None and app.poll() is None:
                app.kill()
    ticks = round((ticks_after - ticks_before) * 60 / args.idle_seconds)
    print(f"  resident memory beside: {upstream:.0f} MB with PySide6's own import scan, {in_process:.0f} MB with "
          "the keyring read in the app", flush=True)
    print("  wake-ups while idle, by thread: " + (", ".join(f"{name} {count}" for name, count in woken.items() if count)
                                                   or "none"), flush=True)
    print(f"  idle: {ticks_after - ticks_before} ticks and {calls} requests in {args.idle_seconds} s; "
          f"scroll p95 {frame_p95:.1f} ms; compose to server p95 {compose_p95:.0f} ms", flush=True)
    print(f"tray: start_s={start_s:.2f} rss_mb={rss_mb:.0f} idle_ticks_60s={ticks} "
          f"idle_requests_per_min={calls * 60 / args.idle_seconds:.1f} scroll_frame_ms={frame_p50:.1f} "
          f"compose_to_server_ms={compose_p50:.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
