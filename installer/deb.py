"""Builds the Debian package from the bundle with dpkg-deb: the program in /opt/hallway, commands
on PATH, menu entries and icons, the login entry for the tray app, IT's machine file (a conffile,
so upgrades keep IT's edits), the kiosk's systemd unit, and maintainer scripts that take the
server address and mode from the environment or debconf (see docs/admin.md)."""

from __future__ import annotations

import platform
import shutil
import subprocess
import tempfile
from pathlib import Path

from hallway import __version__
from installer.bundle import APPS, Bundle, folder_size
from installer.machine_config import template

HERE = Path(__file__).resolve().parent
LINUX = HERE / "linux"
ROOT = HERE.parent
PREFIX = "opt/hallway"
CONFFILES = ("/etc/hallway/hallway.toml", "/etc/xdg/autostart/hallway-desktop.desktop")
ICON_SIZES = (16, 32, 48, 64, 128, 256)
# What the maintainer scripts and the kiosk unit use, beyond the libraries the bundle links to.
ALWAYS = ("debconf (>= 0.5) | debconf-2.0", "adduser", "init-system-helpers (>= 1.52)")
RECOMMENDS = "gnome-keyring | kwalletmanager | keepassxc, dbus-user-session | dbus-x11"
SUGGESTS = "xinit, xserver-xorg-core"


def architecture() -> str:
    return {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())


def owners(libraries: tuple[str, ...]) -> list[str]:
    """The Debian packages that provide the system libraries the bundle leaves out, like
    dpkg-shlibdeps does for packages built the Debian way."""
    found: set[str] = set()
    for library in libraries:
        real = str(Path(library).resolve())
        for path in dict.fromkeys((library, real, real.removeprefix("/usr"), "/usr" + real.removeprefix("/usr"))):
            answer = subprocess.run(["dpkg-query", "-S", path], capture_output=True, text=True)
            if answer.returncode == 0:
                found.add(answer.stdout.split(":", 1)[0].strip())
                break
        else:
            raise RuntimeError(f"no Debian package provides {library}; install it from one, or bundle it")
    return sorted(found)


def control(depends: list[str], installed_kb: int) -> str:
    return "\n".join([
        "Package: hallway",
        f"Version: {__version__}",
        f"Architecture: {architecture()}",
        "Maintainer: Hallway <it@hallway.invalid>",
        f"Installed-Size: {installed_kb}",
        "Section: net",
        "Priority: optional",
        "Depends: " + ", ".join([*ALWAYS, *depends]),
        f"Recommends: {RECOMMENDS}",
        f"Suggests: {SUGGESTS}",
        "Homepage: https://hallway.invalid",
        "Description: your company's social network in the lobby and the system tray",
        " Hallway puts the company's internal network (Mastodon or Matrix) where people",
        " already are: a check-in kiosk at the office entrance that introduces a",
        " colleague of the day, and a tray app with the feed, mentions and",
        " announcements. Signs in through the network's own single sign-on.",
        "",
    ])


def _script(name: str) -> str:
    checks = (LINUX / "checks.sh").read_text("utf-8")
    return (LINUX / name).read_text("utf-8").replace("HALLWAY_CHECKS\n", checks)


def _put(stage: Path, path: str, text: str | bytes, mode: int = 0o644) -> None:
    target = stage / path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        target.write_bytes(text)
    else:
        target.write_text(text, "utf-8")
    target.chmod(mode)


def stage(bundle: Bundle, into: Path) -> Path:
    """Lay out the package's files under ``into``, as they land on the machine."""
    shutil.copytree(bundle.folder, into / PREFIX, symlinks=True)
    (into / "usr/bin").mkdir(parents=True)
    for command in ("hallway", *APPS):
        (into / "usr/bin" / command).symlink_to(f"/{PREFIX}/{command}")
    for entry in ("hallway-desktop.desktop", "hallway-kiosk.desktop"):
        _put(into, f"usr/share/applications/{entry}", (LINUX / entry).read_text("utf-8"))
    for size in ICON_SIZES:
        _put(into, f"usr/share/icons/hicolor/{size}x{size}/apps/hallway.png",
             (ROOT / "resources" / "icons" / f"hallway-{size}.png").read_bytes())
    _put(into, "etc/xdg/autostart/hallway-desktop.desktop", (LINUX / "autostart.desktop").read_text("utf-8"))
    _put(into, "etc/hallway/hallway.toml", template())
    _put(into, "lib/systemd/system/hallway-kiosk.service", (LINUX / "hallway-kiosk.service").read_text("utf-8"))
    _put(into, "usr/share/doc/hallway/admin.md", (ROOT / "docs" / "admin.md").read_text("utf-8"))
    _put(into, "usr/share/doc/hallway/copyright", (LINUX / "copyright").read_text("utf-8"))
    debian = into / "DEBIAN"
    debian.mkdir()
    _put(into, "DEBIAN/control", control(owners(bundle.system_libraries), folder_size(into) // 1024))
    _put(into, "DEBIAN/conffiles", "\n".join(CONFFILES) + "\n")
    _put(into, "DEBIAN/templates", (LINUX / "templates").read_text("utf-8"))
    for script in ("config", "preinst", "postinst", "prerm", "postrm"):
        _put(into, f"DEBIAN/{script}", _script(script), 0o755)
    return into


def build(bundle: Bundle, out: Path) -> Path:
    """The .deb in ``out``: xz at its strongest, since every laptop downloads it."""
    out.mkdir(parents=True, exist_ok=True)
    package = out / f"hallway_{__version__}_{architecture()}.deb"
    with tempfile.TemporaryDirectory(prefix="hallway-deb-") as scratch:
        root = stage(bundle, Path(scratch) / "root")
        subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", "-z9", "-Sextreme", "--build",
                        str(root), str(package)], check=True, capture_output=True)
    return package
