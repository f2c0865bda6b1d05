"""PySide6's import hook, made light: the same question, asked of the file's bytes.

From its first import, PySide6 (``shibokensupport.feature``, PYSIDE-2029:
https://bugreports.qt.io/browse/PYSIDE-2029) asks of every module imported after it whether
its source mentions "PySide6", through ``inspect.getsource``. That reads each module's source
into ``linecache`` and keeps it there for the life of the process: about 4.8 MB of text and
12 MB of resident memory in the tray app, which runs all day (docs/performance.md).

``install`` replaces that one function with a byte search of the module's file, which gives
the same answer (tests/test_pyside_import_scan.py compares the two) without keeping anything.
Modules without a ``.py`` file (built in, compiled, in a bundle's archive) are left to
upstream's function. Where a PySide6 release renames or drops the function, nothing is changed.
"""

from __future__ import annotations

import linecache
import sys
from collections.abc import Callable
from types import ModuleType

MARK = b"PySide6"


def install() -> bool:
    """Import PySide6 and lighten its import hook; True when it was (or already is)."""
    import PySide6.QtCore  # noqa: F401  # loads shibokensupport.feature

    feature = sys.modules.get("shibokensupport.feature")
    upstream: Callable[[ModuleType], bool] | None = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or upstream is None:
        return False
    if getattr(upstream, "hallway", False):
        return True

    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return upstream(module)
        try:
            with open(path, "rb") as source:  # noqa: PTH123  # the fastest read there is
                return MARK in source.read()
        except OSError:
            return upstream(module)

    uses_pyside.hallway = True  # type: ignore[attr-defined]
    uses_pyside.upstream = upstream  # type: ignore[attr-defined]  # for the test that compares them
    feature._mod_uses_pyside = uses_pyside  # type: ignore[attr-defined]
    linecache.clearcache()  # what the modules imported before PySide6 left there (tracebacks read it again)
    return True
