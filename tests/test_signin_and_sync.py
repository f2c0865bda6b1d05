"""Sign-in end to end (PKCE, loopback redirect, a real keyring backend), sync, and the commands."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest
import requests

from hallway import signin
from hallway.demo.server import DemoNetwork
from hallway.http import HttpClient
from hallway.model import COMPANY_FEED
from hallway.networks.mastodon import MastodonNetwork
from hallway.store import Store
from hallway.sync import Connection, Sync, SyncResult

BIN = Path(sys.executable).parent


def browser(url: str) -> None:
    """The demo approves at once and redirects to Hallway's loopback callback, as a browser would."""
    assert requests.get(url, timeout=10).ok


def test_sign_in_with_pkce_stores_the_token_only_in_the_keyring(demo: DemoNetwork, isolated_home: Path) -> None:
    token = signin.sign_in(demo.url, open_browser=browser)
    assert signin.load_token(demo.url) == token
    assert "keyrings.alt.file.PlaintextKeyring" in signin.keyring_name()
    assert MastodonNetwork(demo.url, token).me().handle == "demo"
    on_disk = [p for p in isolated_home.rglob("*") if p.is_file()]
    assert any("keyring" in p.name for p in on_disk)
    signin.sign_out(demo.url)
    assert signin.load_token(demo.url) is None
    answer = requests.get(f"{demo.url}/api/v1/accounts/verify_credentials",
                          headers={"Authorization": f"Bearer {token}"}, timeout=5)
    assert answer.status_code == 401  # revoked at the network, not only forgotten here


def test_no_keyring_means_no_sign_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keyring, "get_keyring", lambda: keyring.backends.fail.Keyring())  # type: ignore[no-untyped-call]
    with pytest.raises(signin.SignInError, match="no keyring"):
        signin.save_token("https://x.example", "secret")


def test_first_and_incremental_sync(demo: DemoNetwork, tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db", tmp_path / "photos")
    network = MastodonNetwork(demo.url, demo.token_for("demo"), HttpClient(sleep=lambda s: None))
    first = Sync(store, network, feed=COMPANY_FEED).once()  # the company's feed: the apps' default
    assert first.people_changed == store.count_people() > 250
    assert first.posts_new == 200 and first.notices_new and len(first.announcements_new) == 2
    again = Sync(store, network, feed=COMPANY_FEED).once()
    assert (again.people_changed, again.posts_new, again.notices_new, again.announcements_new) == (0, 0, [], [])
    MastodonNetwork(demo.url, demo.token_for("lobby")).client.request(
        "POST", f"{demo.url}/api/v1/statuses", data={"status": "New coffee beans! @demo"},
        headers={"Authorization": f"Bearer {demo.token_for('lobby')}"})
    later = Sync(store, network, feed=COMPANY_FEED).once()
    assert later.posts_new == 1 and [n.text for n in later.notices_new] == ["New coffee beans! @demo"]


def test_faults_keep_the_last_good_state_and_sync_recovers(demo: DemoNetwork, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("hallway.sync.jitter", lambda seconds, spread=0.2: 0.05)
    store = Store(tmp_path / "s.db", tmp_path / "photos")
    network = MastodonNetwork(demo.url, demo.token_for("demo"), HttpClient(sleep=lambda s: None, attempts=2))
    Sync(store, network).once()
    people, posts = store.count_people(), store.count_posts("home")
    requests.post(f"{demo.url}/_demo/faults", json={"path": "/api/v1/directory", "kind": "truncated",
                                                    "count": 6}, timeout=5)
    requests.post(f"{demo.url}/_demo/faults", json={"path": "/api/v1/timelines/*", "kind": "503",
                                                    "count": 6}, timeout=5)
    sync = Sync(store, network)
    states: list[Connection] = []
    sync.on_connection = states.append
    results: list[SyncResult] = []

    def recovered(result: SyncResult) -> None:
        results.append(result)
        sync.stop()

    sync.on_result = recovered

    async def run() -> None:
        await asyncio.wait_for(sync.run(interval_s=0.1), timeout=30)

    asyncio.run(run())
    assert states[0] is Connection.OFFLINE and states[-1] is Connection.ONLINE
    assert results, "sync recovered by itself once the faults passed"
    assert store.count_people() == people and store.count_posts("home") >= posts


def test_sync_once_doctor_and_set_token_commands(demo: DemoNetwork, isolated_home: Path, tmp_path: Path) -> None:
    machine = tmp_path / "machine.toml"
    machine.write_text(f'[network]\nserver = "{demo.url}"\n')
    env = os.environ | {"HALLWAY_MACHINE_CONFIG": str(machine)}
    stored = subprocess.run([BIN / "hallway", "set-token", "--kiosk"], input=demo.token_for("lobby") + "\n",
                            capture_output=True, text=True, env=env, timeout=60)
    assert stored.returncode == 0 and "kiosk service token" in stored.stdout
    assert demo.token_for("lobby")[:8] not in stored.stdout + stored.stderr
    synced = subprocess.run([BIN / "hallway", "sync", "--once", "--kiosk"], capture_output=True, text=True,
                            env=env, timeout=120)
    assert synced.returncode == 0, synced.stderr
    assert "people updated" in synced.stdout
    doctor = subprocess.run([BIN / "hallway", "doctor"], capture_output=True, text=True, env=env, timeout=60)
    assert "✓ kiosk service token: signed in as @lobby" in doctor.stdout
    assert "your sign-in: Not signed in" in doctor.stdout
    machine.write_text('[network]\nserver = "not a url"\n[kiosk\n')
    broken = subprocess.run([BIN / "hallway", "doctor"], capture_output=True, text=True, env=env, timeout=60)
    assert broken.returncode == 1 and "not valid TOML" in broken.stdout and "Traceback" not in broken.stderr
