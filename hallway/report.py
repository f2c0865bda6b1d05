"""`hallway report`: figures for the communications team, measuring whether the network does
what it is for. Read from the network with the kiosk's or an admin's token, in one pass:

- check-ins per office per day, and the people who checked in each week and every week;
- the share of the company who shared a check-in at all;
- active posters per week;
- connections made: pairs where one was the other's colleague of the day at a kiosk (the
  check-in names the colleague shown, ``met``) and the two then mentioned, answered or
  favourited each other on the network within 14 days.

Aggregates only: every figure counts people, and a figure of fewer than 5 people is suppressed
(as Viva Insights does), never shown as its number. No row is about a person; no message text
is kept; posts are read a page at a time and only their authors, mentions, reply targets and
days are looked at, so memory stays bounded however large the company."""

from __future__ import annotations

import contextlib
import csv
import math
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from pathlib import Path

from hallway.http import HttpError, Unauthorized
from hallway.model import COMPANY_FEED, Post, Presence
from hallway.networks import Network
from hallway.report_cache import ReportCache

SMALLEST = 5  # a figure about fewer people than this is suppressed
CONNECTION_DAYS = 14
MOST_FAVOURITE_LOOKUPS = 5_000  # favourited posts by people who met someone, asked who favourited them
SUPPRESSED = f"fewer than {SMALLEST}"
LABEL_ROOM = 40.0  # pixels a chart's label needs ("12-04", "W49") beside the next


@dataclass(frozen=True)
class Cell:
    """One figure: ``value`` is None where it is suppressed (fewer than 5 people)."""

    metric: str
    period: str  # a day (2026-12-04), a week (2026-W49) or the whole period (2026-10-06/2026-12-04)
    group: str  # an office, or "" for the company
    value: float | None
    unit: str = "people"


def week_of(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def shown(count: int) -> int | None:
    return count if count >= SMALLEST else None


class Tally:
    """The counting, fed check-ins first (they say who met whom) and then posts, newest first."""

    def __init__(self, start: date, end: date) -> None:
        self.start, self.end = start, end
        self.people = 0  # in the directory
        self.in_office: dict[tuple[str, date], set[str]] = defaultdict(set)
        self.weekly: dict[str, set[str]] = defaultdict(set)
        self.sharers: set[str] = set()
        self.posters: dict[str, set[str]] = defaultdict(set)
        self.met: dict[frozenset[str], list[date]] = defaultdict(list)  # a pair -> the days they met
        self.connected: set[frozenset[str]] = set()
        self.quiz: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # week -> [plays, right answers]
        self._authors: dict[str, str] = {}  # post id -> author, for the replies read before their post
        self._replies: list[tuple[str, str, date]] = []  # (author, answered post id, day)
        self._by_person: dict[str, list[frozenset[str]]] | None = None
        self.to_ask: list[tuple[str, str, date]] = []  # (post id, author, day): favourited, not yet said by whom
        # What could not be read (what, why in words): the figures that depend on it are partial,
        # and the page says so. Partial beats nothing.
        self.unread: list[tuple[str, str]] = []
        self.read_anything = False

    def check_in(self, presence: Presence) -> None:
        day = presence.day or presence.at.date()
        if not self.start <= day <= self.end:
            return
        self.in_office[(presence.place.name, day)].add(presence.colleague_id)
        self.weekly[week_of(day)].add(presence.colleague_id)
        self.sharers.add(presence.colleague_id)
        if presence.met and presence.met != presence.colleague_id:
            self.met[frozenset((presence.colleague_id, presence.met))].append(day)

    def quiz_plays(self, day: date, plays: int, right: int) -> None:
        """A kiosk's anonymous count for a day (its store's head counts: nobody's name)."""
        if self.start <= day <= self.end:
            self.quiz[week_of(day)][0] += plays
            self.quiz[week_of(day)][1] += right

    def post(self, post: Post) -> None:
        day = post.created_at.date()
        if not self.start <= day <= self.end:
            return
        self.posters[week_of(day)].add(post.author_id)
        for other in post.mentioned:
            self._interacted(post.author_id, other, day)
        if post.reply_to_id:
            self._replies.append((post.author_id, post.reply_to_id, day))
        if post.liked_by is not None:
            for fan in post.liked_by:
                self._interacted(fan, post.author_id, day)
        elif post.likes and any(pair not in self.connected for pair in self._met_people(post.author_id)):
            self.to_ask.append((post.id, post.author_id, day))  # a favourite might be the one who met them
        if self.met:  # only replies between people who met need their post's author
            self._authors[post.id] = post.author_id

    def _met_people(self, person: str) -> list[frozenset[str]]:
        """The pairs ``person`` is in (worked out once, when the posts begin: check-ins come first)."""
        if self._by_person is None:
            self._by_person = defaultdict(list)
            for pair in self.met:
                for someone in pair:
                    self._by_person[someone].append(pair)
        return self._by_person.get(person, [])

    def liked(self, post_author: str, fans: Iterable[str], day: date) -> None:
        for fan in fans:
            self._interacted(fan, post_author, day)

    def _interacted(self, one: str, other: str, day: date) -> None:
        pair = frozenset((one, other))
        if len(pair) == 2 and pair not in self.connected and any(
                met <= day <= met + timedelta(days=CONNECTION_DAYS) for met in self.met.get(pair, ())):
            self.connected.add(pair)

    def finish(self) -> None:
        for author, answered, day in self._replies:
            if answered in self._authors:
                self._interacted(author, self._authors[answered], day)
        self._replies.clear()
        self._authors.clear()

    # ------------------------------------------------------------ the figures

    def cells(self) -> list[Cell]:
        whole = f"{self.start.isoformat()}/{self.end.isoformat()}"
        cells = [Cell("check-ins", day.isoformat(), office, shown(len(people)))
                 for (office, day), people in sorted(self.in_office.items(), key=lambda item: (item[0][1], item[0][0]))]
        weeks = sorted({week_of(self.start + timedelta(days=n)) for n in range((self.end - self.start).days + 1)})
        cells += [Cell("people checking in", week, "", shown(len(self.weekly.get(week, ())))) for week in weeks]
        full_weeks = [w for w in weeks if w not in (week_of(self.start), week_of(self.end))] or weeks
        regular = set.intersection(*(self.weekly.get(w, set()) for w in full_weeks)) if full_weeks else set()
        cells.append(Cell("people checking in every week", whole, "", shown(len(regular))))
        # The directory lists only those who chose to be listed: a sharer it leaves out still works
        # here, so the company is at least as large as the people who shared (never over 100 %).
        company = max(self.people, len(self.sharers))
        share = len(self.sharers) / company * 100 if company else 0.0
        cells.append(Cell("share who shared a check-in", whole, "",
                          round(share, 1) if len(self.sharers) >= SMALLEST else None, "percent"))
        cells += [Cell("active posters", week, "", shown(len(self.posters.get(week, ())))) for week in weeks]
        if self.quiz:  # where the report runs on a kiosk (its own plays; nobody's name is kept)
            for week in weeks:
                plays, right = self.quiz.get(week, [0, 0])
                cells.append(Cell("quiz plays", week, "", plays if plays >= SMALLEST else None, "plays"))
                cells.append(Cell("quiz right answers", week, "", right if plays >= SMALLEST else None, "plays"))
        cells.append(_pairs("colleague-of-the-day pairs", whole, self.met.keys()))
        cells.append(_pairs("connections made", whole, self.connected))
        return cells


def _pairs(metric: str, period: str, pairs: Iterable[frozenset[str]]) -> Cell:
    """How many pairs, shown only when they are 5 people or more."""
    pairs = list(pairs)
    people = len(set().union(*pairs)) if pairs else 0
    return Cell(metric, period, "", len(pairs) if people >= SMALLEST else None, "pairs")


Progress = Callable[[str, int, float | None], None]  # stage, how many read, the share of the period done


def read(network: Network, start: date, end: date,  # noqa: C901
         progress: Progress = lambda _stage, _count, _share: None,
         cache: ReportCache | None = None) -> Tally:
    """The network, once: the directory (a count), the check-ins, then the company feed back to
    ``start``; with ``cache``, only what the last run did not read (hallway/report_cache.py).
    ``progress`` hears each stage, how much of it is read and, where the stage goes back in time
    (check-ins, posts), the share of the period it has reached: a progress line with an estimate. Everything is
    counted from the cache, where people are salted hashes: the tally never sees who."""
    cache = cache or ReportCache()
    tally = Tally(start, end)

    def people() -> None:
        count = cache.people_count()
        if count is None:
            count = 0
            for page in network.directory():
                count += len(page)
                progress("people", count, None)
            cache.keep_people_count(count)
        tally.people = count

    def check_ins() -> None:
        cover = cache.check_ins_cover()
        since = cover[1] if cover and cover[0] <= start else start  # the last day read is read again
        fresh: list[Presence] = []
        for number, presence in enumerate(network.check_ins(since), 1):
            fresh.append(presence)
            if number % 200 == 0:
                progress("check-ins", number, _reached(presence.day or presence.at.date(), since, end))
        cache.keep_check_ins(fresh, (min(start, cover[0]) if cover and cover[0] <= start else start, end))

    def posts() -> None:
        count = 0
        for batch in _new_posts(network, start, cache):
            cache.keep_posts(batch)
            count += len(batch)
            progress("posts", count, _reached(batch[-1].created_at.date(), start, end) if batch else None)

    def likes() -> None:
        for number, (post_id, author, day) in enumerate(tally.to_ask[:MOST_FAVOURITE_LOOKUPS], 1):
            fans = network.liked_by(post_id)  # Mastodon: a request each
            cache.keep_fans(post_id, fans)
            tally.liked(author, [cache.person(fan) for fan in fans], day)
            if number % 50 == 0:
                progress("favourites", number, number / min(len(tally.to_ask), MOST_FAVOURITE_LOOKUPS))

    for what, stage in (("the people", people), ("the check-ins", check_ins), ("the company feed", posts)):
        try:
            stage()
            tally.read_anything = True
        except Unauthorized:
            raise  # nothing can be read: the sign-in is gone
        except HttpError as failure:  # that part is missing; the rest is still worth having
            tally.unread.append((what, failure.message))
    for presence in cache.check_ins(start):  # check-ins first: they say who met whom
        tally.check_in(presence)
    for post in cache.posts(start):
        tally.post(post)
    try:
        likes()
    except Unauthorized:
        raise
    except HttpError as failure:
        tally.unread.append(("who favourited posts", failure.message))
    tally.finish()
    return tally


def kiosk_quiz_plays(store_file: Path, start: date, end: date) -> Iterator[tuple[date, int, int]]:
    """The quiz plays a kiosk counted (day, plays, right answers), read from its store without
    locking it: the kiosk keeps running while IT runs the report on it."""
    if not store_file.exists():
        return
    with contextlib.closing(sqlite3.connect(f"file:{store_file}?mode=ro", uri=True, timeout=5)) as db, \
            contextlib.suppress(sqlite3.Error):
        rows = db.execute("SELECT day, sum(quiz_plays), sum(quiz_right) FROM head_counts WHERE day >= ? AND day <= ? "
                          "GROUP BY day", (start.isoformat(), end.isoformat())).fetchall()
        for day, plays, right in rows:
            yield date.fromisoformat(day), int(plays or 0), int(right or 0)


def _reached(day: date, start: date, end: date) -> float:
    """How far back in the period a read that goes from ``end`` back to ``start`` has come (0 to 1)."""
    span = max(1, (end - start).days + 1)
    return min(1.0, max(0.0, ((end - day).days + 1) / span))


def _new_posts(network: Network, start: date, cache: ReportCache) -> Iterator[list[Post]]:
    """The company feed's posts the cache lacks, a page at a time: the newest down to the newest
    kept (or to ``start``), then, where the kept ones do not reach back to ``start``, on from the
    oldest kept."""
    newest = cache.newest_post()
    oldest = cache.oldest_post()
    page = network.feed(COMPANY_FEED, limit=40)
    while page.posts:
        fresh = [post for post in page.posts if newest is None or post.position > newest]
        yield fresh
        if len(fresh) < len(page.posts) or page.older is None or page.posts[-1].created_at.date() < start:
            if page.older is None and newest is None:
                cache.mark_feed_ended()
            break
        page = network.feed(COMPANY_FEED, older_than=page.older, limit=40)
    if oldest is None or oldest[1] < start or cache.feed_ended:
        return
    page = network.feed(COMPANY_FEED, older_than=oldest[0], limit=40)  # back to ``start`` from the oldest kept
    while page.posts:
        yield list(page.posts)
        if page.older is None:
            cache.mark_feed_ended()
            return
        if page.posts[-1].created_at.date() < start:
            return
        page = network.feed(COMPANY_FEED, older_than=page.older, limit=40)


# ------------------------------------------------------------ writing it out


def write_csv(cells: Iterable[Cell], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["metric", "period", "office", "value", "unit"])
        for cell in cells:
            writer.writerow([cell.metric, cell.period, cell.group,
                             SUPPRESSED if cell.value is None else _number(cell.value), cell.unit])


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def write_html(cells: list[Cell], path: Path, company: str, start: date, end: date,
               unread: Iterable[tuple[str, str]] = ()) -> None:
    """One self-contained page: the headline figures and a bar chart each, drawn as inline SVG
    by Hallway itself (no script, no font or file to fetch); a suppressed bar is drawn hatched."""
    def metric(name: str) -> list[Cell]:
        return [c for c in cells if c.metric == name]

    headline = {c.metric: c for c in cells if "/" in c.period}
    tiles = "".join(
        f'<div class="tile"><div class="value">{_tile_value(headline[name])}</div>'
        f'<div class="label">{escape(label)}</div></div>'
        for name, label in (("connections made", "pairs who met at a kiosk and then talked on the network"),
                            ("share who shared a check-in", "of the company shared a check-in"),
                            ("people checking in every week", "people checked in every week"))
        if name in headline)
    missing = "".join(f"<li><b>{escape(what)}</b>: {escape(why)}</li>" for what, why in unread)
    partial = (f'<div class="partial"><b>Part of the network could not be read</b>, so the figures that depend on it '
               f"are incomplete:<ul>{missing}</ul></div>") if missing else ""
    offices = sorted({c.group for c in metric("check-ins")})
    per_office = "".join(f"<h3>{escape(office)}</h3>" + _bars([c for c in metric("check-ins") if c.group == office],
                                                               label=lambda c: c.period[5:])
                         for office in offices) or _bars([], label=str)
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Hallway report: {escape(company)}</title>
<style>
 body {{ font-family: "Inter", "DejaVu Sans", sans-serif; margin: 32px auto; max-width: 980px; color: #1c211f;
        background: #f5f4ef; }}
 h1 {{ font-size: 28px; margin: 0 0 4px; }} h2 {{ font-size: 19px; margin: 36px 0 8px; }}
 h3 {{ font-size: 14px; margin: 18px 0 4px; color: #5b625f; font-weight: 600; }}
 .sub {{ color: #5b625f; margin: 0 0 24px; }}
 .tiles {{ display: flex; gap: 16px; }}
 .tile {{ flex: 1; background: white; border: 1px solid #e2e0d8; border-radius: 14px; padding: 18px 20px; }}
 .value {{ font-size: 34px; font-weight: 700; color: #2f6f5e; }} .label {{ color: #5b625f; font-size: 14px; }}
 .partial {{ background: #fff4e0; border: 1px solid #e8c98f; border-radius: 12px; padding: 12px 18px;
             margin: 0 0 20px; }} .partial ul {{ margin: 6px 0 0; }}
 svg text {{ font-size: 11px; fill: #5b625f; }} .note {{ color: #5b625f; font-size: 13px; margin-top: 28px; }}
</style></head><body>
<h1>Hallway report: {escape(company)}</h1>
<p class="sub">{start.isoformat()} to {end.isoformat()}. Aggregates only: a figure about fewer than {SMALLEST}
people is not shown (hatched bars).</p>
{partial}<div class="tiles">{tiles}</div>
<h2>Check-ins per day</h2>{per_office}
<h2>People checking in, per week</h2>{_bars(metric("people checking in"), label=lambda c: c.period[5:])}
<h2>Active posters, per week</h2>{_bars(metric("active posters"), label=lambda c: c.period[5:])}
{"<h2>Quiz plays at the kiosk, per week</h2>" + _bars(metric("quiz plays"), label=lambda c: c.period[5:])
 if metric("quiz plays") else ""}
<p class="note">Connections made: pairs where one was the other's colleague of the day at a kiosk and the two
then mentioned, answered or favourited each other within {CONNECTION_DAYS} days. Read from the network with
Hallway's own token; nothing about any one person is in this page.</p>
</body></html>
"""
    path.write_text(page, encoding="utf-8")


def _tile_value(cell: Cell) -> str:
    if cell.value is None:
        return escape(SUPPRESSED)
    return f"{_number(cell.value)}%" if cell.unit == "percent" else _number(cell.value)


def _bars(cells: list[Cell], label: Callable[[Cell], str], height: int = 120) -> str:
    """A bar chart as SVG; each bar's number above it, a suppressed one hatched and marked "<5"."""
    if not cells:
        return '<p class="sub">No data in this period.</p>'
    top = max((c.value or 0) for c in cells) or 1
    step = max(6.0, min(48.0, 900 / len(cells)))
    width = int(step * len(cells)) + 40
    parts = [f'<svg width="{width}" height="{height + 36}" role="img" xmlns="http://www.w3.org/2000/svg">',
             '<defs><pattern id="h" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
             '<rect width="6" height="6" fill="#ebe9e1"/><line x1="0" y1="0" x2="0" y2="6" stroke="#c9c6bb" '
             'stroke-width="3"/></pattern></defs>']
    for n, cell in enumerate(cells):
        x = 20 + n * step
        bar = (cell.value or 0) / top * height if cell.value is not None else height * 0.25
        fill = "url(#h)" if cell.value is None else "#2f6f5e"
        parts.append(f'<rect x="{x:.1f}" y="{height - bar + 16:.1f}" width="{step * 0.72:.1f}" height="{bar:.1f}" '
                     f'rx="2" fill="{fill}"><title>{escape(cell.period)} {escape(cell.group)}: '
                     f'{escape(SUPPRESSED if cell.value is None else _number(cell.value))}</title></rect>')
        if step >= 18:
            shown_value = "<5" if cell.value is None else _number(cell.value)
            parts.append(f'<text x="{x + step * 0.36:.1f}" y="{height - bar + 12:.1f}" text-anchor="middle">'
                         f'{escape(shown_value)}</text>')
        if n % max(1, math.ceil(LABEL_ROOM / step)) == 0:  # as many labels as fit side by side
            parts.append(f'<text x="{x + step * 0.36:.1f}" y="{height + 30}" text-anchor="middle">'
                         f'{escape(label(cell))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def announcement(cells: list[Cell], start: date, end: date) -> str:
    """A draft for IT to edit and publish: the period's headline figures, suppressed ones left out."""
    headline = {c.metric: c for c in cells if "/" in c.period and c.value is not None}
    lines = [f"Hallway from {start:%d %B} to {end:%d %B}:"]
    if "connections made" in headline:
        lines.append(f"- {_number(headline['connections made'].value or 0)} pairs of colleagues met at the lobby "
                     "kiosk and then talked on the network.")
    if "share who shared a check-in" in headline:
        lines.append(f"- {_number(headline['share who shared a check-in'].value or 0)}% of us shared a check-in.")
    if "people checking in every week" in headline:
        lines.append(f"- {_number(headline['people checking in every week'].value or 0)} people came in every week.")
    if len(lines) == 1:
        lines.append("- Too few people in this period to share figures about.")
    return "\n".join(lines) + "\n"
