"""The installer, as IT uses it: build the bundle and the .deb from this checkout, install it with
dpkg (with the server preseeded), run the installed commands and the installed tray app against
the demo network, then remove and purge it and check that nothing is left.

Installing changes the machine, so those tests run where that is wanted: in CI (CI=true, as
root), or anywhere with HALLWAY_TEST_INSTALL=1. Elsewhere they skip and say so; the package is
still built and its contents checked.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from desktop_host import embedded_icon
from pytestqt.qtbot import QtBot

from hallway.config import SETTINGS
from hallway.demo import server

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow
INSTALLED = ("/opt/hallway/hallway", "/usr/bin/hallway", "/usr/bin/hallway-desktop", "/usr/bin/hallway-kiosk",
             "/etc/hallway/hallway.toml", "/etc/xdg/autostart/hallway-desktop.desktop",
             "/lib/systemd/system/hallway-kiosk.service", "/usr/share/applications/hallway-desktop.desktop",
             "/usr/share/icons/hicolor/256x256/apps/hallway.png")


def may_install() -> str | None:
    """Why installing here is not allowed, or None when it is."""
    if not (os.environ.get("CI") == "true" or os.environ.get("HALLWAY_TEST_INSTALL") == "1"):
        return "installs a system package: runs in CI, or with HALLWAY_TEST_INSTALL=1"
    if os.geteuid() != 0:
        return "dpkg -i needs root"
    if installed_version():
        return "a Hallway package is already installed on this machine; not touching it"
    return None


def installed_version() -> str:
    answer = subprocess.run(["dpkg-query", "-W", "-f=${Status} ${Version}", "hallway"],
                            capture_output=True, text=True)
    return answer.stdout.split()[-1] if "install ok installed" in answer.stdout else ""


def dpkg(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["dpkg", *args], capture_output=True, text=True, timeout=600,
                          env={**os.environ, "DEBIAN_FRONTEND": "noninteractive", **env})


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`python -m installer deb`, from this checkout, as the README tells a developer."""
    out = tmp_path_factory.mktemp("installer")
    built = subprocess.run([sys.executable, "-m", "installer", "deb", "--out", str(out)], cwd=ROOT,
                           capture_output=True, text=True, timeout=1800)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    assert "bundle:" in built.stdout and "package:" in built.stdout
    [deb] = out.glob("hallway_*.deb")
    return deb


def test_the_bundles_pac_reader_runs_a_pac_file(package: Path, tmp_path: Path) -> None:
    """The company's PAC file is run by the bundle itself (``--pac-apart``), with its JavaScript
    engine's runtime files and the PAC functions, in a process of its own."""
    subprocess.run(["dpkg-deb", "-x", str(package), str(tmp_path)], check=True, timeout=120)
    request = {"pac": 'function FindProxyForURL(url, host) { return isInNet("10.1.2.3", "10.0.0.0", "255.0.0.0") '
                      '&& dnsDomainIs(host, ".corp") ? "PROXY proxy.corp:8080" : "DIRECT"; }',
               "queries": [["https://social.corp/", "social.corp"], ["https://example.org/", "example.org"]]}
    done = subprocess.run([str(tmp_path / "opt" / "hallway" / "hallway"), "--pac-apart"], input=json.dumps(request),
                          capture_output=True, text=True, timeout=60)
    assert json.loads(done.stdout) == {"answers": ["PROXY proxy.corp:8080", "DIRECT"]}, done.stdout + done.stderr


@pytest.fixture
def install_allowed() -> Iterator[None]:
    reason = may_install()
    if reason:
        pytest.skip(reason)
    yield
    if installed_version():  # a failed test leaves no package behind for the next one
        dpkg("--purge", "hallway")


def test_the_package_holds_both_apps_the_login_entry_and_the_kiosk_service(package: Path) -> None:
    contents = subprocess.run(["dpkg-deb", "--contents", str(package)], capture_output=True, text=True,
                              check=True).stdout
    paths = {line.split()[5].lstrip(".") for line in contents.splitlines()}
    assert set(INSTALLED) <= paths
    assert "/opt/hallway/_internal/PySide6/Qt/plugins/platforms/libqxcb.so" in paths
    assert not any("QtQuick" in p or "Qml" in p or "/translations/qt" in p for p in paths), "trimmed"
    assert not any(p.endswith(("libgtk-3.so.0", "libX11.so.6", "libssl.so.3")) for p in paths), \
        "system libraries come from Debian's packages"
    info = subprocess.run(["dpkg-deb", "-f", str(package), "Depends", "Package"], capture_output=True,
                          text=True, check=True).stdout
    assert "libx11-6" in info and "libxcb-cursor0" in info and "libegl1" in info and "Package: hallway" in info
    control = subprocess.run(["dpkg-deb", "--ctrl-tarfile", str(package)], capture_output=True, check=True).stdout
    listing = subprocess.run(["tar", "-t"], input=control, capture_output=True, check=True).stdout.decode()
    assert {"./conffiles", "./postinst", "./postrm", "./preinst", "./config", "./templates"} <= set(listing.split())
    conffiles = subprocess.run(["sh", "-c", f"dpkg-deb --ctrl-tarfile {package} | tar -xO ./conffiles"],
                               capture_output=True, text=True, check=True).stdout.split()
    assert conffiles == ["/etc/hallway/hallway.toml", "/etc/xdg/autostart/hallway-desktop.desktop"]
    machine_file = subprocess.run(
        ["sh", "-c", f"dpkg-deb --fsys-tarfile {package} | tar -xO ./etc/hallway/hallway.toml"],
        capture_output=True, text=True, check=True).stdout
    for setting in SETTINGS:  # every key, commented out at its default, for IT to uncomment
        assert f"# {setting.key.partition('.')[2]} = " in machine_file


def test_a_preseeded_server_that_is_not_an_address_stops_the_install(package: Path, install_allowed: None) -> None:
    refused = dpkg("-i", str(package), HALLWAY_SERVER="social.example.com")
    assert refused.returncode != 0
    assert '"social.example.com" is not a web address: it must start with https://' in refused.stderr
    assert not installed_version() and not Path("/opt/hallway").exists(), "nothing half-installed"
    refused = dpkg("-i", str(package), HALLWAY_SERVER="https://social.example.com", HALLWAY_MODE="lobby")
    assert refused.returncode != 0 and '"lobby" is not a mode' in refused.stderr


@pytest.fixture
def desktop_session(tmp_path: Path, session_bus: str, x_server: str) -> Iterator[dict[str, str]]:
    """A person's session for the installed programs: their own home, the tests' X server and
    session bus, and a real GNOME keyring (the Secret Service) unlocked on that bus. No Python
    and nothing from this checkout on the way: the programs are the installed ones."""
    if shutil.which("gnome-keyring-daemon") is None:
        pytest.skip("needs gnome-keyring (./run test installs it)")
    home = tmp_path / "person"
    home.mkdir()
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8", "DISPLAY": x_server,
           "DBUS_SESSION_BUS_ADDRESS": session_bus, "XDG_RUNTIME_DIR": str(home), "QT_QPA_PLATFORM": "xcb"}
    keyring = subprocess.Popen(["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
                               stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    assert keyring.stdin is not None
    keyring.stdin.write(b"person's login password")
    keyring.stdin.close()
    for _ in range(100):
        owner = subprocess.run(["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus", "/",
                                "org.freedesktop.DBus.NameHasOwner", "string:org.freedesktop.secrets"],
                               capture_output=True, text=True, env=env, timeout=5)
        if "boolean true" in owner.stdout:
            break
        time.sleep(0.1)
    yield env
    keyring.terminate()
    keyring.wait(10)


def run(command: list[str], env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, input=stdin, capture_output=True, text=True, env=env, timeout=120)


def test_installed_on_a_laptop_it_signs_in_syncs_in_the_tray_and_leaves_nothing_behind(
        package: Path, install_allowed: None, demo: server.DemoNetwork, demo_token: str,
        desktop_session: dict[str, str], tray_host: None, qtbot: QtBot) -> None:
    done = dpkg("-i", str(package), HALLWAY_SERVER=demo.url)
    assert done.returncode == 0, done.stderr
    for path in INSTALLED:
        assert Path(path).exists(), path
    assert f'network.server = "{demo.url}"' in Path("/etc/hallway/hallway.d/00-install.toml").read_text()
    login = Path("/etc/xdg/autostart/hallway-desktop.desktop").read_text()
    assert "Exec=hallway-desktop --autostart" in login and "X-GNOME-Autostart-enabled=true" in login
    unit = Path("/lib/systemd/system/hallway-kiosk.service").read_text()
    assert "ExecStart=/usr/bin/xinit /usr/bin/hallway-kiosk" in unit and "Restart=always" in unit
    assert "LoadCredential=kiosk-token:/etc/hallway/kiosk-token" in unit
    assert not list(Path("/etc/systemd/system").rglob("hallway-kiosk.service")), "a laptop runs no kiosk"
    env = desktop_session

    # The token IT or the sign-in puts in the person's keyring: the real Secret Service, through the bundle.
    stored = run(["hallway", "set-token"], env, stdin=demo_token + "\n")
    assert stored.returncode == 0 and "keyring.backends.SecretService.Keyring" in stored.stdout, stored.stderr
    doctor = run(["hallway", "doctor"], env)
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    assert "✓ settings (/etc/hallway/hallway.toml, /etc/hallway/hallway.d/00-install.toml" in doctor.stdout
    assert f"✓ server: {demo.url}" in doctor.stdout and "your sign-in: signed in as @demo" in doctor.stdout
    assert "All good." in doctor.stdout and demo_token not in doctor.stdout + doctor.stderr

    # A broken machine file: the app still starts on the defaults below it, and doctor names file and line.
    machine = Path("/etc/hallway/hallway.toml")
    it_wrote = machine.read_text()
    machine.write_text(it_wrote + '\n[office]\nname = "Lisbon\n')
    broken = run(["hallway", "doctor"], env)
    assert broken.returncode == 1 and "/etc/hallway/hallway.toml, line" in broken.stdout
    assert "is not valid TOML" in broken.stdout and "signed in as @demo" in broken.stdout

    # The installed tray app: in trayer's panel, synced as the demo person over the network's API.
    calls_before = demo.api.api_calls.get("demo", 0)
    tray = subprocess.Popen(["hallway-desktop", "--autostart"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        qtbot.waitUntil(lambda: embedded_icon("Hallway") is not None, timeout=30_000)
        qtbot.waitUntil(lambda: demo.api.api_calls.get("demo", 0) >= calls_before + 3, timeout=30_000)
        assert tray.poll() is None
    finally:
        tray.send_signal(signal.SIGTERM)
        out, err = tray.communicate(timeout=30)
    assert tray.returncode == 0, err
    assert "/etc/hallway/hallway.toml, line" in err, "the broken file was named, and the app ran anyway"
    assert demo_token not in out + err
    assert not (Path(env["HOME"]) / ".config/autostart/hallway-desktop.desktop").exists(), \
        "IT's login entry starts it; no per-person copy"

    # Missing machine file: doctor says so; reinstalling (an upgrade) restores nothing IT removed on purpose,
    # but keeps IT's edits: dpkg keeps a changed conffile.
    machine.unlink()
    missing = run(["hallway", "doctor"], env)
    assert missing.returncode == 1
    assert "machine settings: /etc/hallway/hallway.toml is missing, so the built-in defaults apply" in missing.stdout
    machine.write_text(it_wrote + '\n[office]\nname = "Lisbon"\n')
    again = dpkg("-i", "--force-confold", str(package))
    assert again.returncode == 0, again.stderr
    assert 'name = "Lisbon"' in machine.read_text(), "the upgrade kept IT's edit"

    # Remove keeps IT's settings for a reinstall; purge takes everything.
    files = [line.split()[5].lstrip(".") for line in subprocess.run(
        ["dpkg-deb", "--contents", str(package)], capture_output=True, text=True, check=True).stdout.splitlines()]
    assert dpkg("-r", "hallway").returncode == 0
    assert not Path("/opt/hallway").exists() and not Path("/usr/bin/hallway").exists()
    assert machine.exists(), "removing keeps IT's machine file"
    assert dpkg("--purge", "hallway").returncode == 0
    left = [f for f in files if f.rstrip("/") and not f.endswith("/") and os.path.lexists(f)]
    assert left == []
    assert not Path("/etc/hallway").exists()
    debconf = subprocess.run(["debconf-show", "hallway"], capture_output=True, text=True)
    assert debconf.stdout.strip() == "", "the install answers are forgotten"


def test_installed_on_a_kiosk_it_enables_the_service_and_keeps_the_tray_app_away(
        package: Path, install_allowed: None, demo: server.DemoNetwork) -> None:
    # This time the answers come the Debian way, preseeded in debconf (an image build, or apt with a preseed file).
    answers = f"hallway hallway/server string {demo.url}\nhallway hallway/mode select kiosk\n"
    subprocess.run(["debconf-set-selections"], input=answers, text=True, check=True, timeout=60)
    done = dpkg("-i", str(package))
    assert done.returncode == 0, done.stderr
    wants = Path("/etc/systemd/system/graphical.target.wants/hallway-kiosk.service")
    assert wants.is_symlink() and wants.resolve() == Path("/lib/systemd/system/hallway-kiosk.service").resolve()
    assert subprocess.run(["getent", "passwd", "hallway-kiosk"], capture_output=True).returncode == 0
    answers = Path("/etc/hallway/hallway.d/00-install.toml").read_text()
    assert f'network.server = "{demo.url}"' in answers
    assert "desktop.autostart = false" in answers and 'locked = ["desktop.autostart"]' in answers
    env = {"PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "LANG": "C.UTF-8"}
    login = run(["hallway-desktop", "--autostart"], env)
    assert (login.returncode, login.stdout, login.stderr) == (0, "", ""), "no tray app on the kiosk"

    # The kiosk's token: root-only, handed to the service by systemd (LoadCredential), never in a config file.
    token = demo.token_for("lobby")
    stored = run(["hallway", "set-token", "--kiosk", "--for-service"], env, stdin=token + "\n")
    assert stored.returncode == 0, stored.stderr
    credential = Path("/etc/hallway/kiosk-token")
    assert stat.S_IMODE(credential.stat().st_mode) == 0o600 and credential.stat().st_uid == 0
    doctor = run(["hallway", "doctor"], {**env, "CREDENTIALS_DIRECTORY": "/etc/hallway"})
    assert "kiosk service token: signed in as @lobby" in doctor.stdout, doctor.stdout
    assert token not in doctor.stdout + doctor.stderr

    assert dpkg("--purge", "hallway").returncode == 0
    assert not wants.exists() and not Path("/etc/hallway").exists()
    assert subprocess.run(["getent", "passwd", "hallway-kiosk"], capture_output=True).returncode != 0
