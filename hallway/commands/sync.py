"""`hallway sync --once` and `hallway export-directory`: the local copy brought up to date, and the
company's directory copy written for laptops."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hallway import config as settings
from hallway import directory_copy
from hallway.commands.common import store_and_network
from hallway.http import HttpError
from hallway.sync import Sync


def sync(args: argparse.Namespace) -> int:
    config = settings.load()
    opened = store_and_network("hallway sync", config, args.kiosk)
    if opened is None:
        return 1
    store, network, client = opened
    if store.recovered:
        saved = store.salvaged.words() if store.salvaged else ""
        print(f"hallway sync: the local copy was damaged; it is kept as {store.recovered}, and a fresh one "
              f"holds what could be read ({saved})", file=sys.stderr)
    sync = Sync(store, network, feed=network.feed_of(config["network.feed"]),
                max_people=config["sync.max_people"], directory_copy=directory_copy.source(config, client))
    try:
        result = sync.once(directory=True)
    except HttpError as failure:
        print(f"hallway sync: {failure.title}: {failure.message} (the local copy is unchanged)", file=sys.stderr)
        return 1
    finally:
        store.close()
    print(result.summary())
    if sync.people_from:
        print(f"people from {sync.people_from}")
    return 1 if result.problems else 0


def export_directory(args: argparse.Namespace) -> int:
    """Read the network's whole directory into this computer's local copy, then write the
    company's copy from it (hallway/directory_copy.py)."""
    config = settings.load()
    opened = store_and_network("hallway export-directory", config, args.kiosk)
    if opened is None:
        return 1
    store, network, _ = opened
    try:
        sync = Sync(store, network, feed=None, notices=False, stream=False, max_people=config["sync.max_people"])
        result = sync.read_directory()
        if result.problems:
            for failed in result.problems:
                print(f"hallway export-directory: {failed}", file=sys.stderr)
            print("hallway export-directory: the directory was not read whole; nothing was written",
                  file=sys.stderr)
            return 1
        count = directory_copy.export(store.people(), config["network.server"], Path(args.file))
    except HttpError as failure:
        print(f"hallway export-directory: {failure.title}: {failure.message}", file=sys.stderr)
        return 1
    except OSError as failure:
        print(f"hallway export-directory: cannot write {args.file}: {failure.strerror or failure}", file=sys.stderr)
        return 1
    finally:
        store.close()
    print(f"Wrote {args.file}: {count:,} people from {sync.people_from or 'the directory'}. Laptops read it "
          "with network.directory_copy set to where your web server or share offers it.")
    return 0


