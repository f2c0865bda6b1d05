"""How long the colleague of the day takes to pick, cold (no cached pick), in a large company.

Run: python bench/picker.py [--people 10000] [--picks 200]
Ends with: ``picker: people=... picks=... p50_ms=... p95_ms=... population_ms=...``
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import UTC, datetime

from hallway.demo import entities
from hallway.demo.organisation import generate
from hallway.networks.mastodon import MastodonNetwork
from hallway.picker import Population, colleague_of_the_day


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--picks", type=int, default=200)
    args = parser.parse_args()
    org = generate(seed=1, people=args.people, posts=0)
    connector = MastodonNetwork("http://127.0.0.1", "unused")
    people = [connector.colleague(entities.account(org, a, "http://127.0.0.1"))
              for a in org.accounts.values() if not a.bot]
    started = time.perf_counter()
    population = Population.of(people)
    population_ms = (time.perf_counter() - started) * 1000
    today = datetime.now(UTC).date()
    times = []
    for person in people[: args.picks]:
        started = time.perf_counter()
        colleague_of_the_day(person, today, population)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    print(f"picker: people={len(people)} picks={len(times)} p50_ms={statistics.median(times):.1f} "
          f"p95_ms={times[int(len(times) * 0.95) - 1]:.1f} population_ms={population_ms:.1f}")


if __name__ == "__main__":
    main()
