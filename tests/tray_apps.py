"""The tray app as the tests make it: signed in (or not) on a demo network, with its own
profile folder, store and worker threads, and everything it opened recorded instead of opened.
Loaded by conftest (pytest_plugins): ``make_app`` is a fixture for every test module."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import pytest
import qasync
import requests
from conftest import Until
from PySide6.QtCore import QCoreApplication, QEvent, QUrl

from desktop.tray_app import TrayApp
from hallway import config as settings
from hallway import signin
from hallway.demo import server
from hallway.store import Store


class Opened(list[str]):
    """What the app asked the system to open (a browser tab, an .ics file)."""

    def __call__(self, url: QUrl) -> bool:
        self.append(url.toString())
        return True


@pytest.fixture
def make_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, loop: qasync.QEventLoop,
             until: Until) -> Iterator[Callable[..., TrayApp]]:
    made: list[tuple[TrayApp, ThreadPoolExecutor, Store]] = []

    def make(network: server.DemoNetwork, signed_in: bool = True, machine: str = "",
             now: Callable[[], datetime] | None = None, browser: Callable[[str], object] | None = None,
             start: bool = True, locked: tuple[str, ...] = (), tray_wait_s: float = 0) -> TrayApp:
        folder = tmp_path / f"profile{len(made)}"
        folder.mkdir()
        (folder / "machine.toml").write_text(
            f"locked = {list(locked)!r}\n".replace("'", '"') + f'[network]\nserver = "{network.url}"\n' + machine +
            ("" if "[office]" in machine else '\n[office]\nname = "Lisbon"\n') +
            ("" if "[desktop]" in machine else "\n[desktop]\nautostart = false\n") +
            ("" if "[quiet_hours]" in machine else "\n[quiet_hours]\nenabled = false\n") +
            ("" if "[notifications]" in machine else "\n[notifications]\ncolleague = false\n"))
        monkeypatch.setenv(settings.MACHINE_CONFIG_ENV, str(folder / "machine.toml"))
        monkeypatch.setenv(settings.USER_CONFIG_ENV, str(folder / "user.toml"))
        if signed_in:
            signin.save_token(network.url, network.token_for("demo"))
        store = Store(folder / "hallway.sqlite3", folder / "photos")
        executor = ThreadPoolExecutor(3, "test-network")
        loop.set_default_executor(executor)
        app = TrayApp(settings.load(), store, executor, open_url=Opened(), browser=browser or (lambda _url: False),
                      now=now or (lambda: datetime.now().astimezone()), tray_wait_s=tray_wait_s)
        made.append((app, executor, store))
        if start:
            app.start()
            app.start_sync()
            until(lambda: not app.session.opening, 10)  # the keyring is read off the GUI thread
        return app

    yield make
    for app, executor, store in made:
        app.stop()
        if app.session.sync_task is not None:
            until(app.session.sync_task.done, 10)
        executor.shutdown(wait=True)
        app.tray.icon.hide()
        for window in (app.feed_view.made(), app.card, app.preferences.window):
            if window is not None:
                window.hide()
                window.deleteLater()
        app.deleteLater()
        store.close()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    made.clear()
    gc.collect()


def synced(app: TrayApp, until: Until) -> None:
    until(lambda: not app.first_result and app.store.count_posts(app.feed) > 0, 20)


def post_as(network: server.DemoNetwork, username: str, text: str) -> str:
    answer = requests.post(f"{network.url}/api/v1/statuses", data={"status": text}, timeout=10,
                           headers={"Authorization": f"Bearer {network.token_for(username)}"})
    answer.raise_for_status()
    return str(answer.json()["id"])


def others(network: server.DemoNetwork, count: int) -> list[str]:
    return [a.username for a in network.org.accounts.values()
            if not a.bot and a.username not in ("demo", "lobby")][:count]
