"""mastodon-mock (PyPI, MIT), a Mastodon API server written by someone else, seeded with a demo
organisation: the contract suite's second Mastodon and `bench/sync.py --server mastodon-mock`.

It runs in a process of its own (uvicorn) on a free loopback port, in memory. The organisation
goes in through its seed file (accounts with tokens, follows, statuses, announcements) and its
public API (profile fields and discoverability, as a person would set them). Installed with
the test extras; nothing here is used by the apps.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from hallway.demo.organisation import Organisation

MISSING = "needs mastodon-mock (pip install -e '.[test]'; ./run test installs it)"


def mock_command() -> str | None:
    found = Path(sys.executable).with_name("mastodon_mock")
    return str(found) if found.exists() else shutil.which("mastodon_mock")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _toml(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


@dataclass
class MastodonMock:
    """A running mastodon-mock with ``org`` on it; ``token_for`` gives each person's token."""

    url: str
    org: Organisation
    process: subprocess.Popen[bytes]
    tokens: dict[str, str] = field(default_factory=dict)

    def token_for(self, username: str) -> str:
        return self.tokens[username]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


def start(org: Organisation, folder: Path, statuses: int = 200) -> MastodonMock:
    command = mock_command()
    if command is None:
        raise RuntimeError(MISSING)
    port = _free_port()
    people = list(org.accounts.values())
    tokens = {a.username: f"mock-{a.username}" for a in people}
    lines = ['[database]', 'path = ":memory:"', '[streaming]', "heartbeat_seconds = 1.0",
             "[rate_limit]", "enabled = false"]
    for account in people:
        lines += ["[[seed.accounts]]", f"username = {_toml(account.username)}",
                  f"display_name = {_toml(account.display_name)}", f"note = {_toml(account.note)}",
                  f"bot = {'true' if account.bot else 'false'}", f"access_token = {_toml(tokens[account.username])}"]
    by_id = {a.id: a.username for a in people}
    for follower, followed in org.follows.items():
        for target in sorted(followed):
            lines += ["[[seed.follows]]", f"follower = {_toml(by_id[follower])}",
                      f"following = {_toml(by_id[target])}"]
    public = [s for s in org.statuses.values() if s.visibility == "public" and s.raw_html is None][-statuses:]
    for status in public:
        lines += ["[[seed.statuses]]", f"account = {_toml(by_id[status.account_id])}", f"text = {_toml(status.text)}"]
    for announcement in org.announcements.values():
        lines += ["[[seed.announcements]]", f"content = {_toml(announcement.text)}"]
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "mastodon-mock.toml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    log = (folder / "mastodon-mock.log").open("wb")
    arguments = [command, "serve", "--config", str(config), "--host", "127.0.0.1", "--port", str(port),
                 "--domain", f"127.0.0.1:{port}", "--log-level", "warning"]
    process = subprocess.Popen(arguments, stdout=log, stderr=subprocess.STDOUT)
    mock = MastodonMock(f"http://127.0.0.1:{port}", org, process, tokens)
    deadline = time.monotonic() + 60 + len(people) * 0.5  # it seeds follows one by one: minutes for thousands
    while True:
        try:
            if requests.get(f"{mock.url}/api/v1/instance", timeout=2).ok:
                break
        except requests.RequestException:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            mock.stop()
            raise RuntimeError(f"mastodon-mock did not start; see {folder / 'mastodon-mock.log'}")
        time.sleep(0.2)
    with requests.Session() as http:
        for account in people:  # profile fields and discoverability, as each person sets them
            form = {"discoverable": "false" if account.bot or not account.discoverable else "true"}
            for index, (name, value) in enumerate(account.fields):
                form[f"fields_attributes[{index}][name]"] = name
                form[f"fields_attributes[{index}][value]"] = value
            http.patch(f"{mock.url}/api/v1/accounts/update_credentials", data=form, timeout=10,
                       headers={"Authorization": f"Bearer {tokens[account.username]}"}).raise_for_status()
    return mock
