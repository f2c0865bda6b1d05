"""One place that isolates everything a test could touch, and starts the demo network.

Every test gets its own HOME, XDG and APPDATA folders under tmp_path (so config,
the store, autostart files and the file keyring never reach the real home). Qt
draws on a real X server: the session starts its own Xvfb (never the developer's
display) and falls back to Qt's offscreen platform only where Xvfb is missing,
where the tests that need real X input skip.
"""

from __future__ import annotations

import asyncio
import copy
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import qasync
import requests
from hypothesis import settings
from PySide6.QtWidgets import QApplication

from hallway.demo import server
from hallway.demo.organisation import Organisation, generate
from hallway.networks.mastodon import MastodonNetwork
from hallway.store import Store
from hallway.sync import Sync
from ui.language import install_translator

pytest_plugins = ["desktop_host", "synapse_server", "tray_apps"]

_xvfb: subprocess.Popen[bytes] | None = None


@pytest.fixture(scope="session")
def english(qapp: QApplication) -> QApplication:
    """The apps' own English catalogue, as hallway-kiosk and hallway-desktop install it (English
    plural forms live there: "1 new mention", "2 new mentions")."""
    install_translator(qapp, "en")
    return qapp


def pytest_configure(config: pytest.Config) -> None:
    """Before any QApplication exists: one Xvfb for the whole session, 1920x1080 like a lobby screen
    (one per worker where the files run side by side; the process that hands them out needs none)."""
    global _xvfb
    if getattr(config.option, "numprocesses", None) and not hasattr(config, "workerinput"):
        return
    if shutil.which("Xvfb") is None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        os.environ.pop("DISPLAY", None)
        return
    read, write = os.pipe()
    _xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1920x1080x24", "-nolisten", "tcp",
                              "-noreset"], pass_fds=(write,), stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    os.environ["DISPLAY"] = f":{number}"
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    os.environ.pop("WAYLAND_DISPLAY", None)


@pytest.fixture(scope="session", autouse=True)
def tidy_qt_at_the_end() -> Iterator[None]:
    """Before Python's own teardown: delete every window still alive and collect, so PySide does
    not have to destroy widgets in an arbitrary order while the interpreter shuts down."""
    yield
    import gc

    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return
    for widget in QApplication.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()
    gc.unfreeze()  # the kiosk freezes its directory (kiosk.window.settle_memory)
    gc.collect()


# The files that take a minute or more go out first when the files run side by side, so none of
# them starts last and holds the run up on its own (test_installer.py builds the whole bundle).
LONGEST_FIRST = ("test_installer.py", "test_supervised_sync.py", "test_desktop_app.py", "test_apps_hang.py",
                 "test_kiosk_faults.py", "test_kiosk_killed.py", "test_matrix_connector.py", "test_network_contract.py",
                 "test_viva_engage.py")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)
    items.sort(key=rank)  # stable: each file's own order stays


def pytest_unconfigure(config: pytest.Config) -> None:
    if _xvfb is not None:
        _xvfb.terminate()
        _xvfb.wait(10)


@pytest.fixture
def loop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    loop = qasync.QEventLoop(qapp, already_running=False)
    asyncio.set_event_loop(loop)
    yield loop
    loop.close()


Until = Callable[[Callable[[], bool], float], None]


@pytest.fixture
def until(loop: qasync.QEventLoop) -> Until:
    """Run the app's event loop until ``condition`` holds."""
    def run(condition: Callable[[], bool], timeout: float) -> None:
        async def wait() -> None:
            end = time.monotonic() + timeout
            while not condition():
                assert time.monotonic() < end, "timed out"
                await asyncio.sleep(0.05)
        loop.run_until_complete(wait())
    return run


@pytest.fixture
def x_server() -> str:
    """The session's X display, for tests that send real X input (xdotool)."""
    if os.environ.get("QT_QPA_PLATFORM") != "xcb" or shutil.which("xdotool") is None:
        pytest.skip("needs Xvfb and xdotool (./run test installs them)")
    return os.environ["DISPLAY"]
# CI explores the same examples every run (a red CI must be reproducible); locally hypothesis roams.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A store of the test's own, closed at the end."""
    opened = Store(tmp_path / "hallway.sqlite3", tmp_path / "photos")
    yield opened
    opened.close()


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    for name, sub in (("HOME", ""), ("XDG_CONFIG_HOME", ".config"), ("XDG_DATA_HOME", ".local/share"),
                      ("XDG_CACHE_HOME", ".cache"), ("XDG_STATE_HOME", ".local/state"),
                      ("XDG_CONFIG_DIRS", "etc-xdg"), ("APPDATA", "AppData/Roaming"),
                      ("LOCALAPPDATA", "AppData/Local")):
        path = home / sub
        path.mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(name, str(path))
    # A real keyring backend, storing in a file under the isolated XDG_DATA_HOME.
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    return home


@pytest.fixture(scope="session")
def organisation() -> Organisation:
    return generate(seed=7, people=300)


@pytest.fixture(scope="session")
def seed_organisation(organisation: Organisation) -> Organisation:
    """The company as the seed made it, before any test wrote to it."""
    return copy.deepcopy(organisation)


@pytest.fixture(scope="session")
def shared_network(organisation: Organisation, seed_organisation: Organisation) -> Iterator[server.DemoNetwork]:
    network = server.create(organisation, auto_approve=True, rate_limit=1_000_000,
                            heartbeat_s=1.0).start_in_background()
    yield network
    network.stop()


@pytest.fixture
def demo(shared_network: server.DemoNetwork, seed_organisation: Organisation) -> Iterator[server.DemoNetwork]:
    """The session's demo network as its seed made it (a copy, in 20 ms): what an earlier test
    posted, checked in, followed or changed is gone, so no test depends on which ran before it
    on the same worker. No faults left over either."""
    api = shared_network.api
    with api.lock:
        api.org = copy.deepcopy(seed_organisation)
        api.idempotency.clear()
        api.markers.clear()
        api.clock_offset_s = 0.0
        api.faults.clear()
    yield shared_network
    api.faults.clear()


@pytest.fixture
def fresh_demo() -> Iterator[server.DemoNetwork]:
    """A demo network of its own, for tests that change server-wide state."""
    network = server.create(generate(seed=11, people=40), heartbeat_s=1.0).start_in_background()
    yield network
    network.stop()


@pytest.fixture
def demo_token(demo: server.DemoNetwork) -> str:
    return demo.token_for("demo")


@pytest.fixture
def api(demo: server.DemoNetwork, demo_token: str) -> Iterator[requests.Session]:
    """A plain HTTP session signed in as the demo user, with the network's URL as ``.base``."""
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {demo_token}"
    session.base = demo.url  # type: ignore[attr-defined]
    yield session
    session.close()


@pytest.fixture(scope="session")
def synced_lobby(shared_network: server.DemoNetwork, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One sync of the demo organisation into a lobby store; each test gets a copy."""
    folder = tmp_path_factory.mktemp("lobby")
    store = Store(folder / "hallway.sqlite3", folder / "photos")
    network = MastodonNetwork(shared_network.url, shared_network.token_for("lobby"))
    # As the kiosk syncs (photos_per_pass=400): every face is there, as on a kiosk that has synced.
    Sync(store, network, feed=None, notices=False, stream=False, photos_per_pass=400).once(directory=True)
    store.close()
    return folder
