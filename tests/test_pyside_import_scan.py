"""PySide6's import hook made light (hallway/pyside_import_scan.py, #33): the same answer as
upstream's, without keeping every module's source in memory."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

from ui import pyside_import_scan

ROOT = Path(__file__).resolve().parents[1]


def test_it_answers_as_upstream_does_for_every_module_loaded() -> None:
    assert pyside_import_scan.install()
    feature = sys.modules["shibokensupport.feature"]
    ours = feature._mod_uses_pyside
    upstream = ours.upstream
    importlib.import_module("desktop.views.feed_window")  # modules that use PySide6 and many that do not
    modules = [m for m in list(sys.modules.values()) if getattr(m, "__file__", None)]
    answers = {m.__name__: ours(m) for m in modules}
    assert answers == {m.__name__: upstream(m) for m in modules}
    assert answers["desktop.views.feed_window"] and not answers["hallway.model"] and not answers["json"]


def test_the_tray_app_keeps_no_source_text_after_its_imports() -> None:
    script = ("import linecache, desktop.app, desktop.tray_app; "
              "print(sum(len(''.join(v[2])) for v in linecache.cache.values() if len(v) > 2))")
    kept = int(subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT,
                              check=True, timeout=120).stdout)
    assert kept < 100_000, f"{kept} characters of source kept in memory"
