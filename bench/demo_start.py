"""How long ``hallway demo-network`` takes from launch to answering its first request.

Run: python bench/demo_start.py [--people N] [--runs N]
Ends with one line: ``demo_start: people=... runs=... median_s=... max_s=...``
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def once(people: int) -> float:
    started = time.perf_counter()
    command = [str(Path(sys.executable).parent / "hallway"), "demo-network", "--port", "0", "--people", str(people)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        url = process.stdout.readline().rsplit(" at ", 1)[1].strip()
        with urllib.request.urlopen(f"{url}/api/v1/instance", timeout=10) as answer:  # noqa: S310 (loopback)
            answer.read()
        return time.perf_counter() - started
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    times = [once(args.people) for _ in range(args.runs)]
    print(f"demo_start: people={args.people} runs={args.runs} median_s={statistics.median(times):.3f} "
          f"max_s={max(times):.3f}")


if __name__ == "__main__":
    main()
