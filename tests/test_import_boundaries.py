"""Which way imports go (docs/architecture.md, #30 item 4): the core (``hallway``) never loads Qt,
so the commands, a server-side export and the tests of the core run without a screen or
PySide6's memory; the Qt helpers both apps share live in ``ui``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.fast  # the fast tier: ./run test -m fast

ROOT = Path(__file__).resolve().parents[1]


def test_every_core_module_loads_without_qt() -> None:
    modules = sorted(".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
                     for p in (ROOT / "hallway").rglob("*.py") if p.name != "__main__.py")
    assert len(modules) > 50
    script = ("import importlib, sys\n"
              f"for name in {modules!r}:\n"
              "    importlib.import_module(name)\n"
              "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'ui', "
              "'kiosk', 'desktop'))\n"
              "print(' '.join(loaded))\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "", f"the core loaded {done.stdout.strip()[:300]}"


def test_the_shared_qt_helpers_import_nothing_from_the_apps() -> None:
    for path in (ROOT / "ui").glob("*.py"):
        text = path.read_text("utf-8")
        assert "from kiosk" not in text and "from desktop" not in text and "import kiosk" not in text, path
