"""How a kiosk's disk fails, made on purpose for the tests: another process holding the store's
write lock, a disk filled to the last block, a page of a table overwritten with garbage."""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def lock_held(path: Path, seconds: float = 30) -> Iterator[subprocess.Popen[str]]:
    """Another process takes the store's write lock, holds it for ``seconds`` (or until the block
    ends), then lets go."""
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sqlite3, sys, time\n"
        f"db = sqlite3.connect({str(path)!r}, isolation_level=None)\n"
        f"db.execute('BEGIN EXCLUSIVE')\nprint('locked', flush=True)\ntime.sleep({seconds})\n")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        yield holder
    finally:
        if holder.poll() is None:
            holder.kill()
        holder.wait(30)


def fill(disk: Path) -> Path:
    """Everything left on ``disk`` taken by one file (ENOSPC at the end)."""
    filler = disk / "filler"
    for block in (65536, 512):  # then the last few blocks, a little at a time
        with contextlib.suppress(OSError), filler.open("ab", buffering=0) as out:
            while True:
                out.write(b"\0" * block)
    return filler


def damaged_copies(folder: Path) -> list[Path]:
    """The stores set aside (each with its -wal and -shm beside it)."""
    return sorted(p for p in folder.glob("*.damaged-*") if not p.name.endswith(("-wal", "-shm")))


def corrupt_a_leaf(path: Path, table: str) -> int:
    """Garbage over one of ``table``'s leaf pages (one in the middle); returns its number."""
    db = sqlite3.connect(path)
    try:
        size = int(db.execute("PRAGMA page_size").fetchone()[0])
        leaves = [int(r[0]) for r in db.execute("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' "
                                                "ORDER BY pageno", (table,))]
    finally:
        db.close()
    assert len(leaves) >= 3, f"{table} spans several pages"
    page = leaves[len(leaves) // 2]
    with path.open("r+b") as file:
        file.seek((page - 1) * size)
        file.write(bytes([0x5A]) * size)
    return page


@contextlib.contextmanager
def small_disk(folder: Path, megabytes: int = 32) -> Iterator[Path | None]:
    """A tmpfs of the test's own where this machine lets it mount one (root), else None."""
    mount = folder / "disk"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", str(mount)],
                          capture_output=True)
    if made.returncode:
        yield None
        return
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)
