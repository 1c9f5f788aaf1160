"""The fast XML path agrees with feedparser on every feed in the corpus, field by field.

tests/fixtures/feeds holds feeds of our own covering each format and the constructs that
make feedparser's reading subtle (see the file names); tests/fixtures/basic holds the feeds
the rest of the suite uses. Each is read with three Content-Type headers, since the header
decides the encoding feedparser picks. Documents the fast path should not take (malformed,
a DOCTYPE with entities, not a feed at all) must fall back to feedparser, and parse_feed
must then give feedparser's answer or its FeedParseError.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kabar.core.errors import FeedParseError
from kabar.core.feeds.parse import parse_feed
from kabar.core.feeds.parse.fastxml import parse_xml_fast
from tests.conftest import FIXTURES
from tests.parse.compare import differences, read_or_error, reference

FEEDS = sorted((FIXTURES / "feeds").iterdir()) + sorted(
    p for p in (FIXTURES / "basic").iterdir() if p.suffix in (".xml", ".rdf")
)
# Documents the fast path must leave to feedparser, and why.
FALLBACK = {
    "malformed-unclosed.xml": "not well-formed: feedparser's loose parser reads it",
    "malformed-undefined-entity.xml": "&nbsp; without a DTD is not well-formed XML",
    "entity-doctype.xml": "its entities live in the DOCTYPE xmlfeed removes",
    "not-a-feed.html": "an HTML page",
    "opml-not-a-feed.xml": "not a feed root",
    "malformed.xml": "the basic set's malformed document",
}
# ... and combinations of document and Content-Type that must fall back.
FALLBACK_WITH = {
    ("rss20-utf16-bom.xml", "text/xml; charset=utf-8"): "the header says UTF-8, feedparser "
    "decodes the UTF-16 bytes as UTF-8 and reads the result with its loose parser",
}
CONTENT_TYPES = ["", "application/rss+xml", "text/xml; charset=utf-8"]


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def test_the_corpus_covers_what_the_brief_lists() -> None:
    names = " ".join(p.name for p in FEEDS)
    for needle in (
        "rss091", "rss092", "rss20", "rss10", "rss090", "atom03", "atom10", "xhtml",
        "xml-base", "media", "windows-1252", "iso-8859-1", "gb2312", "shift-jis", "bom",
        "malformed", "odd-dates", "missing-guid", "entities", "namespaces",
    ):  # fmt: skip
        assert needle in names, needle
    assert len(FEEDS) >= 25


@pytest.mark.parametrize("content_type", CONTENT_TYPES)
@pytest.mark.parametrize("path", FEEDS, ids=_id)
def test_fast_path_agrees_with_feedparser(path: Path, content_type: str) -> None:
    data = path.read_bytes()
    url = f"https://fixtures.example/feeds/{path.name}"
    fast = parse_xml_fast(data, url, content_type)
    reason = FALLBACK.get(path.name) or FALLBACK_WITH.get((path.name, content_type))
    if reason:
        assert fast is None, reason
        return
    assert fast is not None, "this feed should take the fast path"
    assert differences(reference(data, url, content_type), fast) == []


@pytest.mark.parametrize("path", [p for p in FEEDS if p.name in FALLBACK], ids=_id)
def test_fallback_gives_feedparsers_answer(path: Path) -> None:
    data = path.read_bytes()
    expected = read_or_error(data, "https://fixtures.example/feed")
    try:
        got: object = parse_feed(data, "https://fixtures.example/feed")
    except FeedParseError as exc:
        got = f"FeedParseError: {exc}"
    assert got == expected


def test_encodings_are_decoded_as_declared() -> None:
    def titles(name: str) -> list[str]:
        feed = parse_feed((FIXTURES / "feeds" / name).read_bytes())
        return [feed.title, *(e.title for e in feed.entries)]

    assert titles("rss20-windows-1252.xml")[1] == "“Quoted” headline – with dashes"
    assert titles("rss20-iso-8859-1.xml")[1] == "Café reopens"
    assert titles("rss20-gb2312.xml")[0] == "华夏日报"
    assert titles("rss20-shift-jis.xml")[0] == "東京ニュース"
    assert titles("rss20-utf16-bom.xml")[0] == "UTF-16 feed"
    assert titles("rss20-utf8-bom.xml")[0] == "BOM at the start"
