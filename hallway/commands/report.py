"""`hallway report`: the communications team's figures, with a progress line and an estimate."""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from pathlib import Path
from typing import TextIO

from hallway import config as settings
from hallway.connect import NotConfigured, open_network
from hallway.http import HttpClient, HttpError


def report(args: argparse.Namespace) -> int:
    """`hallway report`: read the network once and write the figures (hallway.report)."""
    from datetime import date, timedelta

    from hallway import report as figures

    if not 1 <= args.days <= 366:
        print("hallway report: --days must be 1 to 366", file=sys.stderr)
        return 2
    config = settings.load()
    bar = ProgressLine(sys.stderr)
    try:  # a report waits out the server's rate limit, and says so, instead of failing a part
        network = open_network(config, kiosk=args.kiosk, client=HttpClient(patient=bar.waiting))
    except NotConfigured as missing:
        print(f"hallway report: {missing}", file=sys.stderr)
        return 1
    end = date.today()
    start = end - timedelta(days=args.days - 1)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from hallway.report_cache import ReportCache
    from hallway.report_cache import default_path as cache_path
    try:
        cache = ReportCache(None if args.fresh else cache_path(config["network.server"]))
    except (OSError, sqlite3.Error) as failure:  # a broken cache costs time, never the report
        print(f"hallway report: the last report's copy cannot be used ({failure}); reading everything",
              file=sys.stderr)
        cache = ReportCache(None)
    cover = cache.check_ins_cover()
    if cover is None or cover[0] > start:
        print(f"hallway report: this is the first report of this period on this computer, so it reads the whole "
              f"period from the network. On a large company that takes a while: {args.days} days of a "
              f"10,000-person company is about {88 * args.days:,} requests, about {1.5 * args.days:.0f} minutes at "
              "Mastodon's default limit of 300 requests per 5 minutes. Later reports read only what is new.",
              file=sys.stderr)
    try:
        tally = figures.read(network, start, end, bar.show, cache)
    except HttpError as failure:
        bar.done()
        print(f"hallway report: {failure.title}: {failure.message}", file=sys.stderr)
        return 1
    finally:
        cache.close()
    bar.done()
    if not tally.read_anything:  # no page of empty figures
        print(f"hallway report: nothing could be read ({tally.unread[0][1]})", file=sys.stderr)
        return 1
    from hallway.store import default_path
    for day, plays, right in figures.kiosk_quiz_plays(default_path(), start, end):
        tally.quiz_plays(day, plays, right)
    cells = tally.cells()
    stem = out / f"hallway-report-{start.isoformat()}-{end.isoformat()}"
    figures.write_csv(cells, stem.with_suffix(".csv"))
    figures.write_html(cells, stem.with_suffix(".html"), config["office.name"] or "the company", start, end,
                       tally.unread)
    written = [stem.with_suffix(".csv"), stem.with_suffix(".html")]
    if args.announcement:
        draft = stem.with_name(stem.name + "-announcement.txt")
        draft.write_text(figures.announcement(cells, start, end), encoding="utf-8")
        written.append(draft)
    print(f"Read {tally.people} people, {sum(len(p) for p in tally.in_office.values())} check-ins and the posts "
          f"from {start.isoformat()} to {end.isoformat()}.")
    for path in written:
        print(f"  {path}")
    for what, why in tally.unread:
        print(f"hallway report: could not read {what}, so its figures are incomplete: {why}", file=sys.stderr)
    return 0


class ProgressLine:
    """How far a long read is, on one line that rewrites itself (a line per stage when not a
    terminal), with an estimate of the time left where a stage says how far through it is."""

    def __init__(self, stream: TextIO) -> None:
        self.stream, self.terminal = stream, stream.isatty()
        self.counts: dict[str, int] = {}
        self._last_stage = ""
        self._began: dict[str, float] = {}
        self._left = ""

    def show(self, stage: str, count: int, share: float | None = None) -> None:
        if not self.terminal and self._last_stage and stage != self._last_stage:
            self.stream.write(f"  {self._last_stage}: {self.counts[self._last_stage]:,}\n")
        self._began.setdefault(stage, time.monotonic())
        self.counts[stage], self._last_stage = count, stage
        self._left = ""
        if share is not None and 0.02 < share < 1.0:
            seconds = (time.monotonic() - self._began[stage]) * (1 - share) / share
            self._left = f" · {share:.0%} of the period, about {_duration(seconds)} left"
        if self.terminal:
            self.stream.write("\rReading the network: " + " · ".join(f"{n:,} {s}" for s, n in self.counts.items())
                              + self._left + "   ")
            self.stream.flush()

    def waiting(self, seconds: float) -> None:
        """The server asked Hallway to slow down: said, then waited out (HttpClient's ``patient``)."""
        self.stream.write(("\n" if self.terminal else "") + f"  the network asks Hallway to slow down (its rate "
                          f"limit): waiting {_duration(seconds)}, then going on\n")
        self.stream.flush()

    def done(self) -> None:
        if self.terminal:
            self.stream.write("\n")
        elif self._last_stage:
            self.stream.write(f"  {self._last_stage}: {self.counts[self._last_stage]:,}\n")
        self.stream.flush()


def _duration(seconds: float) -> str:
    minutes = round(seconds / 60)
    return f"{seconds:.0f} s" if seconds < 90 else f"{minutes} min" if minutes < 90 else f"{minutes / 60:.1f} h"


