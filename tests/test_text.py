"""Hostile or odd HTML from the network becomes safe text, quickly."""

from __future__ import annotations

import pytest

from hallway.text import to_safe_html, to_text

pytestmark = pytest.mark.fast  # the fast tier: ./run test -m fast

HOSTILE = ('<p>Hi <a href="https://ok.example/a?b=1&amp;c=2" onclick="steal()">link</a>'
           '<script>alert(1)</script><iframe src="https://evil.example">x</iframe>'
           '<img src=x onerror=alert(1)><a href="javascript:alert(1)">js</a>'
           '<style>body{display:none}</style><b>bold</b></p>')


def test_scripts_and_unsafe_links_never_survive() -> None:
    safe = to_safe_html(HOSTILE)
    for bad in ("script", "alert", "iframe", "onerror", "onclick", "javascript:", "img", "style", "evil"):
        assert bad not in safe
    assert '<a href="https://ok.example/a?b=1&amp;c=2">link</a>' in safe
    assert "<b>bold</b>" in safe
    assert to_text(HOSTILE) == "Hi linkjsbold"


def test_text_keeps_paragraphs_and_decodes_entities() -> None:
    assert to_text("<p>Fish &amp; chips</p><p>line<br>break</p>") == "Fish & chips\n\nline\nbreak"


def test_bidi_overrides_and_zalgo_are_neutralised() -> None:
    assert to_text("<p>abc\u202edcba\u2066x\u2069</p>") == "abcdcbax"
    zalgo = "Z" + "\u0301\u0302\u0303\u0304\u0305\u0306" * 20 + "a"
    assert to_text(zalgo) == "Z\u0301\u0302a"


def test_a_huge_bio_is_capped_fast() -> None:
    text = to_text("<p>" + "word " * 2_000_000 + "</p>", limit=2000)
    assert len(text) <= 2000 and text.endswith("…")
    assert len(to_safe_html("<p>" + "x" * 5_000_000 + "</p>", limit=1000)) < 1100


def test_only_the_networks_own_or_allowed_https_links_become_a_kiosk_qr_code() -> None:
    from hallway.networks import shown_link
    server = "https://social.example.com"
    assert shown_link("https://social.example.com/@ana", server) == "https://social.example.com/@ana"
    assert shown_link("https://people.example.com/ana", server, ("people.example.com",)) == \
        "https://people.example.com/ana"
    for bad in ("javascript:alert(1)", "JavaScript:alert(document.cookie)", "http://social.example.com/@ana",
                "https://evil.example/@ana", "https://social.example.com@evil.example/", "data:text/html,hi",
                "https://user:pw@social.example.com/@ana", "", "   ", "file:///etc/passwd"):
        assert shown_link(bad, server, ("people.example.com",)) == "", bad
    assert shown_link("http://127.0.0.1:8731/@ana", "http://127.0.0.1:8731") == "http://127.0.0.1:8731/@ana", \
        "the demo's own address, as it is"
