"""Matrix events read without a server (hallway/networks/matrix/events.py), on a recorded /sync
timeline (tests/data/matrix/company_room_timeline.json, written in Synapse's shape for these
tests): what a post shows, what it answers, its reactions, a check-in, and events that are not
what they should be."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from hallway.model import Post
from hallway.networks.matrix.events import answers, check_in_of, content_of, moment, shown, with_reactions

pytestmark = pytest.mark.fast  # the fast tier: ./run test -m fast

TIMELINE = Path(__file__).parent / "data" / "matrix" / "company_room_timeline.json"


@pytest.fixture(scope="module")
def events() -> dict[str, dict[str, Any]]:
    body = json.loads(TIMELINE.read_text("utf-8"))
    timeline = body["rooms"]["join"]["!company:hallway.test"]["timeline"]["events"]
    return {event["event_id"]: event for event in timeline}


def test_a_message_shows_its_words(events: dict[str, dict[str, Any]]) -> None:
    assert (shown(events["$lunch"]) or {})["body"] == "Lunch at noon?"


def test_a_reply_shows_its_own_words_without_the_quote_and_answers_the_message(
        events: dict[str, dict[str, Any]]) -> None:
    content = shown(events["$yes"]) or {}
    assert content["body"] == "Count me in"
    assert content["formatted_body"] == "Count me in", "the <mx-reply> quote is the client's fallback, not the words"
    assert answers(content_of(events["$yes"])) == "$lunch"


def test_an_edit_is_no_message_of_its_own(events: dict[str, dict[str, Any]]) -> None:
    assert shown(events["$fix"]) is None


def test_a_message_shows_the_latest_edit_the_server_bundled(events: dict[str, dict[str, Any]]) -> None:
    assert (shown(events["$bike"]) or {})["body"] == "Who has the key to the bike shed?"


def test_a_thread_reply_answers_the_threads_root_not_the_message_before_it(
        events: dict[str, dict[str, Any]]) -> None:
    assert answers(content_of(events["$crackers"])) == "$snacks"


def test_reactions_count_on_the_post_they_react_to_and_a_removed_one_does_not(
        events: dict[str, dict[str, Any]]) -> None:
    lunch = Post(id="$lunch", position="1", author_id="@ana:hallway.test", author_name="Ana Lima",
                 author_handle="ana:hallway.test", author_photo_url="", text="Lunch at noon?", html="",
                 created_at=datetime(2025, 12, 5, tzinfo=UTC))
    reactions = [e for e in events.values() if e["type"] == "m.reaction"]
    (counted,) = with_reactions((lunch,), reactions, me="@demo:hallway.test")
    assert (counted.likes, counted.liked) == (2, True)
    assert counted.liked_by == ("@demo:hallway.test", "@kwame:hallway.test")


def test_a_check_in_names_who_where_and_the_colleague_they_met(events: dict[str, dict[str, Any]]) -> None:
    presence = check_in_of(events["$in"])
    assert presence is not None
    assert (presence.colleague_id, presence.place.name, presence.met) == ("@ana:hallway.test", "Lisbon",
                                                                           "@ines:hallway.test")
    assert presence.day == date(2025, 12, 5), "the day it was sent, where it names none"
    assert check_in_of(events["$lunch"]) is None


def test_an_event_that_is_not_what_it_should_be_reads_as_nothing(events: dict[str, dict[str, Any]]) -> None:
    odd = events["$odd"]
    assert content_of(odd) == {}
    assert answers(content_of(odd)) is None and check_in_of(odd) is None
    assert moment(odd["origin_server_ts"]).tzinfo is UTC, "a time that is not a time is now, never a crash"
