"""What IT ships and what a laptop starts: the bundle, the package, and the bundled tray app.

Run: python bench/bundle.py [--rebuild] [--runs 5]
Ends with: ``bundle: dir_mb=... deb_mb=... start_s=... rss_mb=...``

It reads the bundle and package in dist/ (``python -m installer deb`` makes them), or builds them
when they are missing or with --rebuild.

- dir_mb: the bundle on disk (dist/hallway, what lands in /opt/hallway); the details say what
  PyInstaller collected before installer/trim.py.
- deb_mb: the .deb, the download for every laptop (goal: 45 MB or less).
- start_s: the bundled ``hallway-desktop --hidden`` (the same program the package installs), from
  process start to its icon embedded in a real tray (trayer on Xvfb), signed in to the demo
  network; the median of --runs starts, the first one with a cold page cache for the bundle.
- rss_mb: the bundled app's resident memory once it has synced and settled (10 s).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from bench.tray import desktop_with_a_tray, embedded, proc_stat  # noqa: E402
from installer import bundle as bundles  # noqa: E402


def built(dist: Path, rebuild: bool) -> tuple[bundles.Bundle, Path]:
    packages = sorted(dist.glob("hallway_*.deb"))
    if rebuild or not packages or not (dist / "hallway-trim.json").exists():
        subprocess.run([sys.executable, "-m", "installer", "deb", "--out", str(dist)], cwd=ROOT, check=True)
        packages = sorted(dist.glob("hallway_*.deb"))
    return bundles.read(dist), packages[-1]


def drop_page_cache(folder: Path) -> None:
    """Ask the kernel to forget the bundle's pages, as after a reboot (best effort, needs root)."""
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as file:
                os.posix_fadvise(file.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rebuild", action="store_true", help="build the bundle and package again")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    args = parser.parse_args()
    bundle, package = built(args.dist, args.rebuild)
    dir_mb = bundle.size_bytes / 1e6
    deb_mb = package.stat().st_size / 1e6
    print(f"  bundle {bundle.folder}: {dir_mb:.1f} MB on disk (PyInstaller collected "
          f"{bundle.collected_bytes / 1e6:.1f} MB; {len(bundle.system_libraries)} system libraries left to "
          "Debian's packages)", flush=True)
    print(f"  package {package.name}: {deb_mb:.1f} MB", flush=True)

    from hallway.demo_apps import desktop_profile

    starts: list[float] = []
    rss_mb = 0.0
    with desktop_with_a_tray("bundle") as network, tempfile.TemporaryDirectory(prefix="hallway-bench-") as tmp:
        env = {**os.environ, **desktop_profile(network, Path(tmp))}
        env.pop("PYTHONPATH", None)
        time.sleep(1)
        for run in range(args.runs):
            if run == 0:
                drop_page_cache(bundle.folder)
            began = time.monotonic()
            app = subprocess.Popen([str(bundle.folder / "hallway-desktop"), "--hidden"], env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                while not embedded():
                    if time.monotonic() - began > 30 or app.poll() is not None:
                        raise SystemExit("bundle: the bundled tray app's icon never appeared in the tray")
                    time.sleep(0.01)
                starts.append(time.monotonic() - began)
                if run == args.runs - 1:
                    time.sleep(10)
                    _, rss_mb = proc_stat(app.pid)
            finally:
                app.terminate()
                app.wait(10)
            while embedded():
                time.sleep(0.05)
            print(f"  start {run + 1}: {starts[-1]:.2f} s{' (cold cache)' if run == 0 else ''}", flush=True)
    print(f"bundle: dir_mb={dir_mb:.0f} deb_mb={deb_mb:.1f} start_s={statistics.median(starts):.2f} "
          f"rss_mb={rss_mb:.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
