"""parse_feed sends XML to the fast path first and to feedparser only when it declines;
the fast path is safe to use from the refresh engine's worker threads."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from kabar.core.errors import FeedParseError
from kabar.core.feeds.parse import parse_feed
from kabar.core.feeds.parse.fastxml import parse_xml_fast
from kabar.core.feeds.parse.xmlfeed import parse_xml_feed
from kabar.core.models import ParsedFeed
from tests.conftest import FIXTURES

RSS = (FIXTURES / "feeds" / "rss20-content-encoded.xml").read_bytes()
MALFORMED = (FIXTURES / "feeds" / "malformed-unclosed.xml").read_bytes()


def _feedparser_must_not_run(data: bytes, url: str = "", content_type: str = "") -> ParsedFeed:
    raise AssertionError("feedparser was called")


def test_well_formed_xml_never_reaches_feedparser(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("kabar.core.feeds.parse.parse_xml_feed", _feedparser_must_not_run)
    feed = parse_feed(RSS, "https://metro.example/rss", "application/rss+xml")
    assert feed.title == "Metro Wire" and len(feed.entries) == 3


def test_what_the_fast_path_declines_goes_to_feedparser(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[bytes] = []

    def spy(data: bytes, url: str = "", content_type: str = "") -> ParsedFeed:
        calls.append(data)
        return parse_xml_feed(data, url, content_type)

    monkeypatch.setattr("kabar.core.feeds.parse.parse_xml_feed", spy)
    assert parse_xml_fast(MALFORMED) is None
    feed = parse_feed(MALFORMED, "https://broken.example/rss")
    assert calls == [MALFORMED] and feed.title == "Broken feed"


def test_json_and_garbage_are_not_its_business() -> None:
    assert parse_xml_fast(b'{"version": "https://jsonfeed.org/version/1.1", "items": []}') is None
    assert parse_xml_fast(b"") is None
    assert parse_xml_fast(b"\x00\xff garbage") is None
    with pytest.raises(FeedParseError):
        parse_feed(b"\x00\xff garbage")


def test_threads_get_the_same_answers() -> None:
    documents = [p.read_bytes() for p in sorted((FIXTURES / "feeds").glob("*.xml"))] * 4
    expected = [parse_xml_fast(d, "https://t.example/") for d in documents]
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(lambda d: parse_xml_fast(d, "https://t.example/"), documents))
    assert got == expected
