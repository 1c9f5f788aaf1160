"""Feed parsing: every format we read, a malformed document, entries without guid or date."""

from __future__ import annotations

import pytest

from kabar.core.errors import FeedParseError
from kabar.core.feeds.parse import parse_feed
from kabar.core.feeds.parse.dates import parse_date
from kabar.core.models import Enclosure
from tests.conftest import fixture_bytes


def test_rss20_items_content_media_and_ttl() -> None:
    feed = parse_feed(fixture_bytes("basic/rss20.xml"), "https://harbour.example/feed.xml")
    assert (feed.kind, feed.title, feed.link, feed.language) == (
        "rss",
        "Harbour Wire",
        "https://harbour.example/",
        "en",
    )
    assert feed.ttl_minutes == 30
    first, second = feed.entries
    assert first.guid == "harbour-1001"
    assert first.link == "https://harbour.example/ferry-winter"
    assert first.title == "Ferry timetable changes for winter"
    assert first.author == "Ana Lima"
    assert first.published == parse_date("2026-11-02T09:30:00Z")
    assert first.summary == "The ferry will run every 40 minutes from December."
    assert "<figcaption>The morning ferry leaves the north pier.</figcaption>" in first.content
    # relative URLs in content are resolved against the feed
    assert 'href="https://harbour.example/timetable"' in first.content
    assert first.enclosures == [
        Enclosure(
            "https://harbour.example/img/ferry-big.jpg", "image/jpeg", None, "", "Photo: Ana Lima"
        )
    ]
    assert first.tags == ["Transport"]
    assert second.author == "Tom Reed"  # from "desk@harbour.example (Tom Reed)"
    assert second.enclosures[0].length == 123456


def test_rss091_latin1() -> None:
    feed = parse_feed(fixture_bytes("basic/rss091.xml"))
    assert feed.kind == "rss"
    assert feed.entries[0].title == "Café reopens"
    assert feed.entries[0].summary == "The café on the corner is back."


def test_rss10_rdf() -> None:
    feed = parse_feed(fixture_bytes("basic/rss10.rdf"))
    assert feed.kind == "rdf"
    (entry,) = feed.entries
    assert entry.guid == entry.link == "https://notes.example/swifts"
    assert entry.author == "Mira Holt"
    assert entry.published == parse_date("2026-11-03T07:15:00Z")
    assert entry.content == "<p>First swifts seen over the marsh, <i>three weeks early</i>.</p>"


def test_atom10_html_title_is_plain_text_and_xhtml_content() -> None:
    feed = parse_feed(fixture_bytes("basic/atom10.xml"))
    assert (feed.kind, feed.title, feed.link) == ("atom", "Terminal Notes", "https://term.example/")
    html_entry, xhtml_entry = feed.entries
    assert html_entry.title == "Why monospace still matters"
    assert html_entry.published == parse_date("2026-11-04T08:00:00Z")
    assert html_entry.updated == parse_date("2026-11-04T10:00:00Z")
    assert html_entry.content.startswith("<h2>Grids</h2>")
    assert html_entry.summary == "A short defence of fixed-width type."
    assert xhtml_entry.content == "<p>An <strong>xhtml</strong> body.</p>"
    assert xhtml_entry.published == parse_date("2026-11-03T10:00:00Z")


def test_atom03() -> None:
    feed = parse_feed(fixture_bytes("basic/atom03.xml"))
    assert feed.kind == "atom"
    (entry,) = feed.entries
    assert (entry.title, entry.author, entry.link) == (
        "An Atom 0.3 entry",
        "Old Timer",
        "https://legacy.example/one",
    )
    assert entry.published == parse_date("2026-11-01T09:00:00Z")


def test_json_feed_11_authors_attachments_and_relative_urls() -> None:
    feed = parse_feed(fixture_bytes("basic/jsonfeed11.json"), "https://elsewhere.example/f.json")
    assert (feed.kind, feed.title, feed.language) == ("json", "Kabar Nusantara", "id")
    first, second = feed.entries
    assert first.author == "Siti Rahma, Budi"
    assert first.published == parse_date("2026-11-04T23:00:00Z")
    assert first.content == "<p>Pedagang kembali ke <b>pasar apung</b> setiap pagi.</p>"
    assert first.summary == "Pedagang kembali."
    assert [e.url for e in first.enclosures] == [
        "https://nusantara.example/img/pasar.jpg",
        "https://nusantara.example/audio/pasar.mp3",
    ]
    assert first.enclosures[1].caption == "Liputan audio"
    # numeric ids become strings; relative URLs resolve against feed_url; feed author fills in
    assert (second.guid, second.link, second.author) == (
        "42",
        "https://nusantara.example/teks",
        "Redaksi",
    )
    assert second.content == "Baris pertama.\n\nParagraf kedua."
    assert second.published == parse_date("2026-11-04T06:00:00Z")


def test_json_feed_10_single_author() -> None:
    feed = parse_feed(fixture_bytes("basic/jsonfeed10.json"))
    first, second = feed.entries
    assert first.author == "Item Author"
    assert second.author == "Single Author"
    assert second.title == ""


def test_wordpress_rest_posts() -> None:
    feed = parse_feed(
        fixture_bytes("basic/wp-posts.json"), "https://blog.example/wp-json/wp/v2/posts"
    )
    assert feed.kind == "wpjson"
    (post,) = feed.entries
    assert post.title == "Rumah adat – warisan"
    assert post.guid == "https://blog.example/?p=7"
    assert post.published == parse_date("2026-11-06T03:00:00Z")
    assert post.content == "<p>Isi lengkap artikel.</p>"


def test_entries_without_guid_or_date_get_stable_identities() -> None:
    feed = parse_feed(fixture_bytes("basic/no-guid-no-date.xml"))
    bare, linked = feed.entries
    assert bare.guid == bare.link == ""
    assert bare.published is None
    assert bare.identity().startswith("sha1:")
    assert (
        bare.identity()
        == parse_feed(fixture_bytes("basic/no-guid-no-date.xml")).entries[0].identity()
    )
    assert linked.identity() == "https://bare.example/linked"


def test_web_page_is_refused_with_a_clear_message() -> None:
    with pytest.raises(FeedParseError, match="web page, not a feed"):
        parse_feed(fixture_bytes("basic/malformed.xml"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "not an RSS, Atom or JSON feed"),
        (b"{not json", "invalid JSON"),
        (b'{"version": "https://jsonfeed.org/version/1.1"}', "no 'items' list"),
        (b'{"hello": 1}', "neither a JSON Feed"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (
            b'{"version": "https://jsonfeed.org/version/1", "items": [' + b"9" * 5000 + b"]}",
            "invalid JSON",
        ),
        (b"\xff\xfe{}", "not valid UTF-8"),
    ],
)
def test_bad_documents_raise_feed_parse_error(data: bytes, message: str) -> None:
    with pytest.raises(FeedParseError, match=message):
        parse_feed(data, content_type="application/json" if data else "")


def test_control_characters_and_escapes_are_removed_from_titles() -> None:
    data = (
        b'<rss version="2.0"><channel><title>T</title><item><title>Bad \x1b]52;c;aGk=\x07title'
        b"\xe2\x80\xae</title><guid>g</guid></item></channel></rss>"
    )
    (entry,) = parse_feed(data).entries
    assert entry.title == "Bad title"
