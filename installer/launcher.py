"""The one program in the bundle. Its name picks the app, like busybox: ``hallway-kiosk`` and
``hallway-desktop`` are links to it (Linux, macOS) or shortcuts with ``kiosk``/``desktop`` as
the first argument (Windows), so both apps and the ``hallway`` command share one runtime."""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path

APPS = ("kiosk", "desktop")
LOG_CAP_BYTES = 1_000_000


def keep_a_log(app: str) -> None:
    """A windowed program on Windows has no stderr, and one launchd starts on macOS writes it
    nowhere: there, what the apps say goes to a small log file IT can ask for (docs/admin.md).
    On Linux stderr already reaches the journal (systemd) or the session's log."""
    if sys.platform not in ("win32", "darwin") or (sys.stderr is not None and sys.stderr.isatty()):
        return
    import platformdirs

    folder = Path(platformdirs.user_log_dir("Hallway", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / f"hallway-{app}.log"
    if log.exists() and log.stat().st_size > LOG_CAP_BYTES:
        log.replace(log.with_suffix(".log.1"))
    sys.stderr = sys.stdout = log.open("a", encoding="utf-8", buffering=1)


def main() -> int:
    # The bundle leaves out requests' character-set guessing (installer/hallway.spec): Hallway
    # decodes every answer itself, so the warning requests gives at import would say nothing.
    warnings.filterwarnings("ignore", message="Unable to find acceptable character detection")
    name = Path(sys.argv[0]).name.lower().removesuffix(".exe")
    args = sys.argv[1:]
    if args[:1] == ["--keyring-apart"]:  # the tray app's keyring reader (hallway/signin/keyring_apart.py)
        from hallway.signin.keyring_apart import main as keyring_apart
        code = keyring_apart()
        os._exit(code)
    if args[:1] == ["--pac-apart"]:  # the PAC file's own process (hallway/proxy/pac.py)
        from hallway.proxy.pac_apart import main as pac_apart
        os._exit(pac_apart())
    app = name.removeprefix("hallway-") if name.startswith("hallway-") else ""
    if app not in APPS and args[:1] and args[0] in APPS:
        app, args = args[0], args[1:]
    elif app not in APPS and not args and ".app/Contents/MacOS" in sys.executable:
        app = "desktop"  # Hallway.app opened from the Finder or the Dock
    if app in APPS:
        keep_a_log(app)
    if app == "kiosk":
        from kiosk.app import main as kiosk
        return kiosk(args)
    if app == "desktop":
        from desktop.app import main as desktop
        return desktop(args)
    from hallway.cli import main as command
    return command(args)


if __name__ == "__main__":
    sys.exit(main())
