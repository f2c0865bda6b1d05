"""Reads an app the way a screen reader does: through the AT-SPI accessibility bus, with
pyatspi (Debian's python3-pyatspi, the library Orca itself uses). Run by the system's Python,
which has it, from tests/test_accessibility.py:

    python3 atspi_reader.py tree Hallway       every object of the app: role, name, showing
    python3 atspi_reader.py listen SECONDS     announcements, one JSON line each

Nothing of Hallway is imported here: this is the screen reader's side."""

from __future__ import annotations

import json
import sys
import threading
import time
from typing import Any

import pyatspi  # type: ignore[import-not-found]


def _walk(node: Any, depth: int, found: list[dict[str, Any]]) -> None:
    if node is None or depth > 40:
        return
    states = node.getState()
    found.append({"role": node.getRoleName(), "name": node.name or "", "depth": depth,
                  "showing": states.contains(pyatspi.STATE_SHOWING),
                  "text": _text(node)})
    for index in range(node.childCount):
        _walk(node.getChildAtIndex(index), depth + 1, found)


def _text(node: Any) -> str:
    try:
        text = node.queryText()
    except NotImplementedError:
        return ""
    return str(text.getText(0, -1))


def tree(app_name: str, seconds: float = 20) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for app in pyatspi.Registry.getDesktop(0):
            if app is not None and app.name == app_name:
                found: list[dict[str, Any]] = []
                _walk(app, 0, found)
                print(json.dumps(found))
                return 0
        time.sleep(0.2)
    print(json.dumps([]))
    return 1


def listen(seconds: float) -> int:
    def heard(event: Any) -> None:
        print(json.dumps({"type": event.type, "text": str(event.any_data),
                          "app": event.host_application.name if event.host_application else ""}), flush=True)

    pyatspi.Registry.registerEventListener(heard, "object:announcement")
    threading.Timer(seconds, pyatspi.Registry.stop).start()
    print(json.dumps({"listening": True}), flush=True)
    pyatspi.Registry.start()
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "tree":
        raise SystemExit(tree(sys.argv[2]))
    raise SystemExit(listen(float(sys.argv[2])))
