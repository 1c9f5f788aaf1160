"""Hostile XML: parse_feed raises nothing but FeedParseError, and finishes quickly.

Entity bombs and external entities never get in: xmlfeed removes any DOCTYPE before
feedparser sees the bytes, and the fast path's lxml parser neither loads DTDs nor resolves
entities nor touches the network. Character references XML forbids make lxml refuse the
document (feedparser's loose parser then raises, which xmlfeed reports). Size limits keep a
10 MB document linear: lxml refuses a single text node over 10 MB and nesting deeper than
256, and the HTML slow path refuses fields too large for sgmllib to read in reasonable time.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kabar.core.errors import FeedParseError
from kabar.core.feeds.parse import parse_feed
from kabar.core.feeds.parse.fasthtml import SLOW_PATH_TAGS
from kabar.core.feeds.parse.fastxml import parse_xml_fast
from kabar.core.models import ParsedFeed

URL = "https://hostile.example/feed.xml"


def _rss(title: str = "t", body: str = "") -> bytes:
    return (
        '<?xml version="1.0"?>\n<rss version="2.0"><channel>'
        f"<title>{title}</title><link>https://hostile.example/</link>{body}</channel></rss>"
    ).encode()


def _parse(data: bytes, limit: float) -> ParsedFeed | None:
    """parse_feed's result, or None when it raised FeedParseError; fails if it took too long."""
    start = time.perf_counter()
    try:
        return parse_feed(data, URL)
    except FeedParseError:
        return None
    finally:
        assert time.perf_counter() - start < limit


@pytest.fixture
def secret_file(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "secret.txt"
    path.write_text("TOP-SECRET-MARKER")
    yield path


def test_billion_laughs_does_not_expand() -> None:
    levels = "".join(
        f'<!ENTITY lol{i} "{(f"&lol{i - 1};" if i > 1 else "&lol;") * 10}">\n' for i in range(1, 10)
    )
    data = (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY lol "lol">\n{levels}]>\n'
        '<rss version="2.0"><channel><title>&lol9;</title>'
        "<item><title>&lol9;</title><description>&lol9;</description></item></channel></rss>"
    ).encode()
    feed = _parse(data, 5)
    if feed is not None:
        assert len(feed.title) < 100
        assert all(len(e.title) + len(e.summary) < 200 for e in feed.entries)


def test_quadratic_blowup_does_not_expand() -> None:
    data = (
        b'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "' + b"x" * 50_000 + b'">]>\n'
        b'<rss version="2.0"><channel><title>q</title><item><title>'
        + b"&a;" * 50_000
        + b"</title></item></channel></rss>"
    )
    feed = _parse(data, 10)
    if feed is not None:
        assert all(len(e.title) < 1_000_000 for e in feed.entries)


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{path}">]>',
        '<!DOCTYPE rss SYSTEM "file://{path}">',
        '<!DOCTYPE rss [<!ENTITY % p SYSTEM "file://{path}"> %p;]>',
    ],
)
def test_external_entities_are_never_read(doctype: str, secret_file: Path) -> None:
    data = (
        '<?xml version="1.0"?>\n'
        + doctype.format(path=secret_file)
        + '\n<rss version="2.0"><channel><title>&xxe;</title><item><title>&xxe;</title>'
        "<description>&xxe;</description></item></channel></rss>"
    ).encode()
    for result in (parse_xml_fast(data, URL), _parse(data, 5)):
        assert "TOP-SECRET" not in repr(result)


@pytest.mark.parametrize(
    "reference", ["&#xD800;", "&#55296;", "&#xDFFF;", "&#x110000;", "&#1114112;", "&#0;", "&#x1;"]
)
def test_character_references_xml_forbids(reference: str) -> None:
    body = (
        f"<item><title>x {reference} y</title><description>{reference}</description>"
        f'<enclosure url="http://e.example/{reference}.mp3"/></item>'
    )
    assert parse_xml_fast(_rss(reference, body), URL) is None  # lxml refuses the document
    _parse(_rss(reference, body), 5)  # feedparser reads it or FeedParseError; nothing else


def test_deep_nesting() -> None:
    body = "<item><title>deep</title>" + "<x>" * 20_000 + "</x>" * 20_000 + "</item>"
    assert parse_xml_fast(_rss("deep", body), URL) is None  # beyond lxml's depth limit
    _parse(_rss("deep", body), 20)


def test_a_10_mb_feed_takes_the_fast_path() -> None:
    words = "word " * 300
    items = "".join(
        f"<item><title>Item {i}</title><link>https://hostile.example/{i}</link>"
        f"<description>&lt;p&gt;{words}&lt;/p&gt;</description></item>"
        for i in range(6_500)
    )
    data = _rss("big", items)
    assert len(data) > 10_000_000
    start = time.perf_counter()
    feed = parse_xml_fast(data, URL)
    assert feed is not None and len(feed.entries) == 6_500
    assert time.perf_counter() - start < 15


def test_a_10_mb_text_node_falls_back_and_finishes() -> None:
    data = _rss(
        "huge", "<item><title>t</title><description>" + "a" * 10_500_000 + "</description></item>"
    )
    assert parse_xml_fast(data, URL) is None  # lxml refuses text nodes over 10 MB
    _parse(data, 30)


def test_many_attributes_stay_linear() -> None:
    attributes = " ".join(f'a{i}="{i}"' for i in range(50_000))
    data = _rss(
        "attrs",
        f'<item><title>t</title><enclosure url="http://e.example/x.mp3" {attributes}/></item>',
    )
    start = time.perf_counter()
    feed = parse_xml_fast(data, URL)
    assert time.perf_counter() - start < 5
    assert feed is not None and feed.entries[0].enclosures[0].url == "http://e.example/x.mp3"


def test_markup_too_large_for_sgmllib_is_kept_as_text() -> None:
    # 300,000 unclosed tags: feedparser's sgmllib would take seconds; we escape the field.
    body = "<item><description>" + "&lt;a " * (SLOW_PATH_TAGS * 6) + "</description></item>"
    start = time.perf_counter()
    feed = parse_xml_fast(_rss("tags", body), URL)
    assert time.perf_counter() - start < 5
    assert feed is not None
    assert feed.entries[0].summary.startswith("&lt;a &lt;a ")


def test_many_entities_and_ampersands() -> None:
    body = (
        "<item><description>" + "&amp;amp;" * 300_000 + "&amp;" * 300_000 + "</description></item>"
    )
    start = time.perf_counter()
    feed = parse_xml_fast(_rss("amps", body), URL)
    assert time.perf_counter() - start < 5
    assert feed is not None
