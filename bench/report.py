"""How long `hallway report` takes, and how much memory, over a large company: 10,000 people,
100,000 posts and 60 days of check-ins (a quarter of the company in each working day, each shown
a colleague of the day; one in 25 of those then mentions that colleague within a week).

Run: python bench/report.py [--people 10000] [--posts 100000] [--days 60]
Ends with: ``report: people=... posts=... days=... seconds=... peak_rss_mb=... connections_made=...
first_requests=... second_requests=... second_run_share=...``

The company is drawn in this process; the report runs in a child process of its own (so its
peak memory is its own), with `hallway report`'s own reading (hallway.report.read), the company
served as Mastodon's JSON from a file, a page at a time, in place of HTTP (each page counted as
the request it would be): the connector's parsing, the report's counting, its cache and its
files are all measured; the demo server's own pagination is not (it scans every status for each
page, which at this size would measure the demo server, not the report). The report then runs
again over the same period, with what the first run kept (second_run_share: its requests as a
share of the first run's).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def company(args: argparse.Namespace, out: Path) -> int:
    """Write the company's directory, check-ins and posts as JSON lines; returns the staged pairs."""
    from hallway.demo import entities
    from hallway.demo.organisation import Status, generate

    org = generate(seed=3, people=args.people, posts=0)
    base = "http://127.0.0.1"
    people = [a for a in org.accounts.values() if not a.bot]
    rng = random.Random(3)
    today = datetime.now(UTC).date()
    start = today - timedelta(days=args.days - 1)
    staged: set[frozenset[str]] = set()
    mentions: list[tuple[str, str, datetime]] = []
    with out.open("w", encoding="utf-8") as lines:
        for page in range(0, len(people), 80):
            lines.write(json.dumps({"people": [entities.account(org, a, base) for a in people[page:page + 80]]}) + "\n")
        day = today
        while day >= start:
            if day.weekday() < 5:
                for person in rng.sample(people, len(people) // 4):
                    met = rng.choice(people)
                    if met.id == person.id:
                        continue
                    lines.write(json.dumps({"in": [person.id, person.office, day.isoformat(), met.id]}) + "\n")
                    if rng.random() < 0.04:
                        when = datetime.combine(day, datetime.min.time(), UTC) + timedelta(days=rng.randint(0, 6),
                                                                                            hours=11)
                        if when.date() <= today:
                            mentions.append((person.id, met.id, when))
                            staged.add(frozenset((person.id, met.id)))
            day -= timedelta(days=1)
        # posts, newest first: the staged mentions among ordinary posts over the period
        ordinary = args.posts - len(mentions)
        span = (today - start).days * 86400 + 86399
        moments = sorted((datetime.combine(start, datetime.min.time(), UTC) + timedelta(seconds=rng.randint(0, span))
                          for _ in range(max(0, ordinary))), reverse=True)
        posts = [(rng.choice(people).id, "", moment) for moment in moments] + mentions
        posts.sort(key=lambda item: item[2], reverse=True)
        batch = []
        for number, (author, mentioned, moment) in enumerate(posts):
            status = Status(id=str(10**12 - number), account_id=author, created_at=moment,
                            text=(f"@{org.accounts[mentioned].username} good to meet you" if mentioned
                                  else "Lunch at the new place on Friday, anyone? #lunch"),
                            mentions=[mentioned] if mentioned else [])
            batch.append(entities.status(org, status, base, None))
            if len(batch) == 40:
                lines.write(json.dumps({"posts": batch}) + "\n")
                batch = []
        if batch:
            lines.write(json.dumps({"posts": batch}) + "\n")
    return len(staged)


class FileNetwork:
    """The company as a network: pages of Mastodon's JSON read from the file on demand (never all
    of it in memory), each page counted as the request it would be."""

    def __init__(self, path: Path) -> None:
        from hallway.networks.mastodon import MastodonNetwork

        self.path, self.requests = path, 0
        self.connector = MastodonNetwork("http://127.0.0.1", "unused")
        self.people: list[int] = []  # file offsets of the directory's pages
        self.check_ins_at: list[int] = []  # the offset of each check-in, newest first
        self.post_pages: list[int] = []  # the offsets of the feed's pages, newest first
        with path.open("rb") as lines:
            while True:
                at = lines.tell()
                line = lines.readline()
                if not line:
                    break
                kind = line[2:6]
                {b"peop": self.people, b"in\":": self.check_ins_at, b"post": self.post_pages}[kind].append(at)

    def _line(self, at: int) -> Any:
        with self.path.open("rb") as lines:
            lines.seek(at)
            return json.loads(lines.readline())

    def directory(self, held: object = None) -> Iterator[list[object]]:
        for at in self.people:
            self.requests += 1
            yield [self.connector.colleague(a) for a in self._line(at)["people"]]

    def check_ins(self, since: date) -> Iterator[object]:
        from hallway.model import Place, Presence

        for number, at in enumerate(self.check_ins_at):
            if number % 40 == 0:
                self.requests += 1  # the lobby's statuses, 40 a page
            who, office, day, met = self._line(at)["in"]
            if date.fromisoformat(day) < since:
                return
            yield Presence(who, Place(office), datetime.now(UTC), met, date.fromisoformat(day))

    def feed(self, name: str, older_than: str | None = None, limit: int = 40) -> object:
        from hallway.model import FeedPage

        self.requests += 1
        index = 0 if older_than is None else (10**12 - int(older_than)) // 40 + 1
        if index >= len(self.post_pages):
            return FeedPage(())
        posts = tuple(self.connector.post(s) for s in self._line(self.post_pages[index])["posts"])
        return FeedPage(posts, older=posts[-1].id if index + 1 < len(self.post_pages) else None)

    def liked_by(self, post_id: str) -> tuple[str, ...]:
        self.requests += 1
        return ()


def child(path: Path, days: int, folder: Path) -> None:
    """The report's side: `hallway report`'s own reading (hallway.report.read) of the file as a
    network, counting and writing the files; then the same report again over the same period,
    with what the first kept (hallway/report_cache.py)."""
    from hallway.report import read, write_csv, write_html
    from hallway.report_cache import ReportCache

    today = datetime.now(UTC).date()
    start = today - timedelta(days=days - 1)
    requests, seconds = [], []
    for _ in range(2):
        began = time.perf_counter()
        network = FileNetwork(path)
        cache = ReportCache(folder / "report-cache.sqlite3")
        tally = read(network, start, today, cache=cache)  # type: ignore[arg-type]
        cache.close()
        requests.append(network.requests)
        seconds.append(time.perf_counter() - began)
    cells = tally.cells()
    write_csv(cells, folder / "report.csv")
    write_html(cells, folder / "report.html", "Bench", tally.start, tally.end)
    made = next(c.value for c in cells if c.metric == "connections made")
    print(json.dumps({"connections_made": made, "pairs": len(tally.connected), "requests": requests,
                      "seconds": seconds}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--keep", help="a folder to copy the report's CSV and HTML page to")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child), args.days, Path(args.folder))
        return
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "company.jsonl"
        staged = company(args, data)
        done = subprocess.run([sys.executable, __file__, "--child", str(data), "--folder", tmp, "--days",
                               str(args.days)], capture_output=True, text=True, check=True)
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        result = json.loads(done.stdout.strip().splitlines()[-1])
        if args.keep:
            Path(args.keep).mkdir(parents=True, exist_ok=True)
            for name in ("report.csv", "report.html"):
                shutil.copy(Path(tmp) / name, Path(args.keep) / name)
    assert result["pairs"] == staged, f"the report found {result['pairs']} of the {staged} staged pairs"
    first, second = result["requests"]
    seconds, again_s = result["seconds"]
    print(f"  staged pairs {staged}, found {result['pairs']}; the report's files written; requests: {first} the "
          f"first time, {second} the second (at Mastodon's 300 per 5 minutes: {first / 60:.0f} and "
          f"{second / 60:.1f} minutes); the second run took {again_s:.1f} s", file=sys.stderr)
    print(f"report: people={args.people} posts={args.posts} days={args.days} seconds={seconds:.1f} "
          f"peak_rss_mb={peak_mb:.0f} connections_made={result['pairs']} first_requests={first} "
          f"second_requests={second} second_run_share={second / first * 100:.1f}%")


if __name__ == "__main__":
    main()
