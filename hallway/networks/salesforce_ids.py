"""Salesforce's record ids: 15 characters, case-sensitive (what the classic web pages and reports
show, and what IT may paste), or the same 15 with a 3-character suffix that encodes the case of
its letters (what the APIs answer, case-insensitive). Hallway keeps every id as the 18, so a
group IT names by its 15-character id, or a person written either way, is one and the same."""

from __future__ import annotations

import re

SUFFIX = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
SHAPE = re.compile(r"[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?")


def eighteen(record_id: str) -> str:
    """The 18-character id of ``record_id`` (15 or 18 characters); ValueError for anything else.
    An 18-character id's own suffix decides the case of its letters, as Salesforce's does."""
    if not SHAPE.fullmatch(record_id):
        raise ValueError(f"not a Salesforce id: {record_id[:40]!r}")
    fifteen = record_id[:15]
    if len(record_id) == 18:
        fifteen = _cased(fifteen, record_id[15:].upper())
    suffix = ""
    for chunk in range(3):
        bits = sum(1 << i for i, ch in enumerate(fifteen[chunk * 5:chunk * 5 + 5]) if "A" <= ch <= "Z")
        suffix += SUFFIX[bits]
    return fifteen + suffix


def _cased(fifteen: str, suffix: str) -> str:
    letters = list(fifteen)
    for chunk, mark in enumerate(suffix):
        bits = SUFFIX.index(mark) if mark in SUFFIX else 0
        for i in range(5):
            at = chunk * 5 + i
            letters[at] = letters[at].upper() if bits & (1 << i) else letters[at].lower()
    return "".join(letters)


def same(one: str, other: str) -> bool:
    """Whether two ids (15 or 18 characters each) name the same record."""
    try:
        return eighteen(one) == eighteen(other)
    except ValueError:
        return one == other


def is_id(text: str, prefix: str = "") -> bool:
    """Whether ``text`` is shaped as a record id (of the object ``prefix`` names, e.g. 0F9 a group)."""
    return bool(SHAPE.fullmatch(text)) and text[:len(prefix)].upper() == prefix.upper()
