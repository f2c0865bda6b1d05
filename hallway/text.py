"""Turning the network's HTML into something safe to show: plain text, or a small safe HTML.

Networks send HTML in posts, bios and profile fields, and a hostile or broken one can
send anything. Both functions keep only what a person should see, never run or load
anything, neutralise bidi overrides and piles of combining marks, and cap the length.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from html import escape, unescape
from html.parser import HTMLParser
from urllib.parse import urlsplit

SAFE_TAGS = {"p", "br", "a", "span", "strong", "b", "em", "i", "ul", "ol", "li", "code", "pre", "blockquote"}
DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "svg", "math", "head", "title",
                     "noscript", "textarea", "select"}
BLOCK_TAGS = {"p", "div", "li", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "tr"}
SAFE_SCHEMES = {"http", "https", "mailto"}
# Bidi embedding, override and isolate controls: a post must not reorder the text around it.
BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)], None)
MAX_MARKS = 2  # combining, spacing or enclosing marks in a row: enough for any script's stacked accents


def openable(url: str) -> bool:
    """Whether a link from a post may be opened (in the browser, or the mail program)."""
    return urlsplit(url).scheme.lower() in SAFE_SCHEMES


def clean(text: str) -> str:
    """Remove bidi controls, other control characters, lone surrogates (half a character, which
    can be neither stored nor drawn), and marks (combining, spacing, enclosing) past two in a row."""
    out: list[str] = []
    marks = 0
    for ch in text.translate(BIDI_CONTROLS):
        category = unicodedata.category(ch)
        if category[0] == "M":
            marks += 1
            if marks > MAX_MARKS:
                continue
        else:
            marks = 0
        if ch in "\n\t" or category not in ("Cc", "Cs"):
            out.append(ch)
    return "".join(out)


def cap(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(0, limit - 1)].rstrip() + "…"


class _Reader(HTMLParser):
    def __init__(self, safe: bool, limit: int) -> None:
        super().__init__(convert_charrefs=True)
        self.safe, self.limit = safe, limit
        self.out: list[str] = []
        self.length = 0
        self.skipping = 0
        self.open: list[str] = []
        self.tags = 0  # how many tags were read: past TAG_BUDGET the rest is read as words only

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags += 1
        if tag in DROP_WITH_CONTENT:
            self.skipping += 1
            return
        if self.skipping:
            return
        if not self.safe:
            if tag == "br":
                self.out.append("\n")
            elif tag in BLOCK_TAGS and self.out and not "".join(self.out[-2:]).endswith("\n\n"):
                self.out.append("\n\n")
            return
        if tag not in SAFE_TAGS or self.length >= self.limit:
            return
        if tag == "br":
            self.out.append("<br>")
            return
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if urlsplit(href).scheme.lower() not in SAFE_SCHEMES:
                return
            self.out.append(f'<a href="{escape(href, quote=True)}">')
        else:
            self.out.append(f"<{tag}>")
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in DROP_WITH_CONTENT:
            self.skipping = max(0, self.skipping - 1)
            return
        if self.skipping:
            return
        if not self.safe:
            if tag in BLOCK_TAGS:
                self.out.append("\n\n")
            return
        if tag in self.open:
            while self.open:
                closing = self.open.pop()
                self.out.append(f"</{closing}>")
                if closing == tag:
                    break

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag != "br":
            self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if self.skipping or self.length >= self.limit:
            return
        data = clean(data)
        if not self.safe:
            data = re.sub(r"[ \t\r\f\v]+", " ", data.replace("\n", " "))
        room = self.limit - self.length
        piece = cap(data, room) if len(data) > room else data
        self.length += len(piece)
        self.out.append(escape(piece, quote=False) if self.safe else piece)

    def result(self) -> str:
        if self.safe:
            self.out.extend(f"</{tag}>" for tag in reversed(self.open))
            return "".join(self.out).strip()
        text = "".join(self.out)
        text = re.sub(r" *\n *", "\n", text)
        return re.sub(r"\n{3,}", "\n\n", text).strip()


CHUNK = 512  # HTML is parsed half a kilobyte at a time, so a parse can stop early
TAG_BUDGET = 200  # a real post or bio has a few dozen tags
ANY_TAG = re.compile(r"<[^>]*>?")
DROPPED_BLOCK = re.compile(r"<(" + "|".join(sorted(DROP_WITH_CONTENT)) + r")\b.*?(?:</\1\s*>|\Z)", re.I | re.S)


def _read(html: str, safe: bool, limit: int) -> str:
    # The same names and bios come back with every post: short inputs are read once.
    return _read_short(html, safe, limit) if len(html) <= SHORT else _read_once(html, safe, limit)


SHORT = 16 * 1024


@functools.lru_cache(maxsize=512)
def _read_short(html: str, safe: bool, limit: int) -> str:
    return _read_once(html, safe, limit)


def _read_once(html: str, safe: bool, limit: int) -> str:
    # A 10 MB bio must not cost 10 MB of parsing: nothing past a generous multiple of the cap is
    # read, and the cut never falls inside a tag (the parser would give back "<b" as text).
    head = html[: limit * 8 + 1024]
    last_open = head.rfind("<")
    if last_open > head.rfind(">") and re.match(r"<[A-Za-z/!?]", head[last_open:last_open + 2]):
        head = head[:last_open]
    reader = _Reader(safe, limit)
    for start in range(0, len(head), CHUNK):
        reader.feed(head[start:start + CHUNK])
        if reader.length >= limit:
            break
        if reader.tags > TAG_BUDGET:
            # A post of a thousand nested tags is an attack on the parser, not formatting: what
            # follows is read as words without its tags (a regex, not a parser, so it stays fast).
            rest = reader.rawdata + head[start + CHUNK:]
            reader.rawdata = ""
            reader.handle_data(unescape(ANY_TAG.sub(" ", DROPPED_BLOCK.sub(" ", rest))))
            break
    reader.close()
    return reader.result()


def to_text(html: str, limit: int = 5000) -> str:
    """Plain text from the network's HTML: tags gone, entities decoded, paragraphs kept."""
    return _read(html or "", safe=False, limit=limit)


def to_safe_html(html: str, limit: int = 5000) -> str:
    """A small, safe HTML for rich text in Qt: paragraphs, emphasis, lists, http(s) and mailto links."""
    return _read(html or "", safe=True, limit=limit)


EMAIL = re.compile(r"[^@\s<>\"(),;:\[\]\\]{1,64}@[^@\s<>\"(),;:\[\]\\]{1,253}\.[^@\s<>\"(),;:\[\]\\.]{2,63}")


def email_address(text: str) -> str:
    """A work address from a profile field, or "" when the field holds none: a profile is
    anyone's to fill, and what it says goes into a calendar invitation's ATTENDEE line."""
    text = text.strip().removeprefix("mailto:").strip()
    return text if len(text) <= 320 and EMAIL.fullmatch(text) else ""
