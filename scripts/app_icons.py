"""Draws Hallway's application icon (the tray icon's mark, all read) into resources/icons/:
PNGs for the Linux desktop entries (hicolor sizes) and hallway.ico for Windows. Run again when
desktop/views/tray_icon.py changes its mark: `QT_QPA_PLATFORM=offscreen python scripts/app_icons.py`."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from desktop.views.tray_icon import TrayState, pixmap  # noqa: E402

SIZES = (16, 32, 48, 64, 128, 256)


def main() -> int:
    app = QApplication.instance() or QApplication([])
    out = ROOT / "resources" / "icons"
    out.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        if not pixmap(TrayState(), size).save(str(out / f"hallway-{size}.png")):
            raise SystemExit(f"could not write hallway-{size}.png")
    if not pixmap(TrayState(), 256).save(str(out / "hallway.ico"), "ICO"):
        raise SystemExit("could not write hallway.ico")
    print(f"wrote {len(SIZES)} PNGs and hallway.ico to {out}")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
