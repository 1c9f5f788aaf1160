"""Bad input inside feeds (issue 10): character references, dates, JSON Feed, and the three
bugs feedparser's own suite found in our clean-up."""

from __future__ import annotations

import json

import pytest

from kabar.core.article.htmldoc import html_to_blocks
from kabar.core.feeds.parse import parse_feed
from kabar.core.feeds.parse.fastxml import parse_xml_fast
from kabar.core.feeds.parse.xmlfeed import parse_xml_feed, strip_doctype
from kabar.core.models import FeedUpdate, ParsedEntry, ParsedFeed
from kabar.core.store import Store
from kabar.core.textsafety import clean_line, clean_text


def rss(items: str, channel: str = "<title>t</title>") -> bytes:
    return f'<rss version="2.0"><channel>{channel}{items}</channel></rss>'.encode()


def text_of(markup: str) -> str:
    return " | ".join(
        "".join(s.text for s in getattr(b, "spans", [])) for b in html_to_blocks(markup)
    )


# 5. character references past U+10FFFF


@pytest.mark.parametrize(
    "ref",
    ["&#99999999999;", "&#x99999999999;", "&#" + "9" * 5000 + ";"],
    ids=["11-digits", "hex", "5000-digits"],
)
def test_a_huge_character_reference_costs_one_character_not_the_feed(ref: str) -> None:
    data = rss(f"<item><guid>g</guid><title>a {ref} b</title></item>")
    for parse in (parse_feed, parse_xml_feed):
        feed = parse(data)
        assert [e.title for e in feed.entries] == ["a \ufffd b"]


def test_a_huge_reference_in_feed_html_is_read_alike_by_both_paths() -> None:
    data = rss(
        "<item><guid>g</guid><title>t</title>"
        "<description>&lt;p&gt;x &amp;#99999999999; y&lt;/p&gt;</description></item>"
    )
    fast = parse_xml_fast(data)
    assert fast is not None
    assert fast == parse_xml_feed(data)
    assert text_of(fast.entries[0].summary) == "x \ufffd y"


def test_references_inside_cdata_are_left_to_the_html_on_the_feedparser_path() -> None:
    # A raw &#1; outside CDATA sends the document to feedparser; the CDATA text must come
    # out as the fast path reads it (it used to lose the "<" after an &#27;).
    data = rss(
        "<item><guid>g</guid><title>a&#1;</title>"
        "<description><![CDATA[<p>x &#27; y &#99999999999;</p>]]></description></item>"
    )
    entry = parse_feed(data).entries[0]
    assert entry.summary == "<p>x &#27; y &#99999999999;</p>"
    assert text_of(entry.summary) == "x y \ufffd"


# 4. control character references in HTML


@pytest.mark.parametrize("ref", ["&#27;", "&#7;", "&#x1b;", "&#0;", "&#127;"])
def test_control_references_in_feed_html_are_dropped_and_the_text_kept(ref: str) -> None:
    assert text_of(f"<p>before {ref} after</p><p>next</p>") == "before after | next"


def test_a_control_reference_in_feed_text_keeps_the_words_after_it() -> None:
    data = rss(
        "<item><guid>g</guid><title>Prices &#27; rise &#7; again</title>"
        "<description>x &#27; more text</description></item>"
    )
    entry = parse_feed(data).entries[0]
    assert (entry.title, entry.summary) == ("Prices rise again", "x  more text")


def test_html_references_in_the_c1_range_read_as_windows_1252() -> None:
    assert text_of("<p>a &#150; b&#157;c</p>") == "a \u2013 bc"


# the three bugs feedparser's suite found


def test_a_doctype_inside_cdata_is_text() -> None:
    data = b"<rss>\n<item>\n<description><![CDATA[ <!DOCTYPE ]]></description>\n</item>\n</rss>"
    assert strip_doctype(data) == data
    assert parse_feed(data).entries[0].summary == "<!DOCTYPE"


def test_a_doctype_mentioned_in_a_comment_before_the_root_is_not_cut() -> None:
    data = b'<!-- says "<!DOCTYPE" -->\n<rss><item><title>x</title></item></rss>'
    assert strip_doctype(data) == data
    assert [e.title for e in parse_feed(data).entries] == ["x"]


def test_the_prolog_doctype_is_still_removed() -> None:
    data = b'<?xml version="1.0"?>\n<!-- c -->\n<!DOCTYPE rss [<!ENTITY a "b">]>\n<rss/>'
    assert strip_doctype(data) == b'<?xml version="1.0"?>\n<!-- c -->\n\n<rss/>'


def test_no_break_spaces_survive_line_clean_up() -> None:
    data = rss("", "<title>testing &#160; entity</title>")
    assert parse_feed(data).title == "testing \xa0 entity"
    assert parse_xml_feed(data).title == "testing \xa0 entity"
    assert clean_line("  a \t b\n ") == "a b"
    for space in "\u2002\u2003\u2009\u3000":  # entities/ensp.xml, emsp.xml, thinsp.xml
        assert clean_line(f"testing {space} entity") == f"testing {space} entity"


def test_a_c1_character_does_not_take_the_next_letter() -> None:
    # encoding/bozo_linenoise.xml: UTF-8 read as Latin-1 leaves U+009D before "Š"
    assert clean_text("\xe2\u20ac\x9d\u0160") == "\xe2\u20ac\u0160"
    assert clean_text("\u00c5\x9bwiat") == "\u00c5wiat"  # "świat" as mojibake
    assert clean_text("a\x1b]52;c;aGk=\x07b") == "ab"  # real escape sequences still go


# 6. dates


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [("1736157600", 1736157600.0), ("1736157600123", 1736157600.123)],
)
def test_a_bare_number_date_is_a_unix_time_on_both_paths(spelling: str, expected: float) -> None:
    data = rss(f"<item><guid>g</guid><pubDate>{spelling}</pubDate></item>")
    fast = parse_xml_fast(data)
    assert fast is not None
    assert fast.entries[0].published == pytest.approx(expected)
    assert parse_xml_feed(data).entries[0].published == pytest.approx(expected)


def test_json_dates_may_be_unix_numbers() -> None:
    doc = {
        "version": "1.1",
        "items": [
            {"id": "a", "date_published": 1736157600},
            {"id": "b", "date_published": "1736157600"},
            {"id": "c", "date_published": 1e400},
        ],
    }
    published = [e.published for e in parse_feed(json.dumps(doc).encode()).entries]
    assert published == [1736157600.0, 1736157600.0, None]


def test_an_eight_digit_date_is_still_a_calendar_date() -> None:
    data = rss("<item><guid>g</guid><pubDate>20040105</pubDate></item>")
    assert parse_feed(data).entries[0].published == 1073260800.0


def test_future_dates_are_clamped_to_when_the_entry_was_first_seen(store: Store) -> None:
    feed = store.add_feed("https://a.example/feed")
    now = 1_800_000_000.0
    year_9999 = parse_feed(
        rss("<item><guid>far</guid><pubDate>Fri, 31 Dec 9999 00:00:00 GMT</pubDate></item>")
    ).entries[0]
    entries = [
        year_9999,
        ParsedEntry(guid="2099", published=4_070_908_800.0),
        ParsedEntry(guid="soon", published=now + 3600),  # within the day's tolerance
        ParsedEntry(guid="past", published=now - 3600),
    ]

    def update(at: float, *items: ParsedEntry) -> None:
        store.apply_updates(
            [FeedUpdate(feed.id, at, 200, parsed=ParsedFeed("rss", "F", entries=list(items)))]
        )

    update(now, *entries)
    dates = dict(store.conn.execute("SELECT key, published FROM entries"))
    assert dates == {"far": now, "2099": now, "soon": now + 3600, "past": now - 3600}
    order = [k for (k,) in store.conn.execute("SELECT key FROM entries ORDER BY sort_date DESC")]
    assert order[0] == "soon"
    # a later edit of the entry keeps the first-seen time, not the new fetch time
    edited = ParsedEntry(guid="2099", title="edited", published=4_070_908_800.0)
    update(now + 86_400 * 30, edited)
    assert store.conn.execute(
        "SELECT published, sort_date FROM entries WHERE key = '2099'"
    ).fetchone() == (now, now)


def test_an_entry_stored_with_a_future_date_earlier_is_clamped_at_the_next_refresh(
    store: Store,
) -> None:
    feed = store.add_feed("https://a.example/feed")
    store.conn.execute(
        "INSERT INTO entries (feed_id, key, fingerprint, title, link, author, published, "
        "updated, summary, content, enclosures, sort_date, first_seen) "
        "VALUES (?, 'old', '', 'Pinned', '', '', 4e9, NULL, '', '', '[]', 4e9, 1000)",
        (feed.id,),
    )
    store.apply_updates([FeedUpdate(feed.id, 2000.0, 200, parsed=ParsedFeed("rss", "F"))])
    assert store.conn.execute("SELECT published, sort_date FROM entries").fetchone() == (
        1000.0,
        1000.0,
    )


# 8. JSON Feed


@pytest.mark.parametrize(
    "version",
    [
        "https://jsonfeed.org/version/1",
        "https://jsonfeed.org/version/1.1",
        "http://jsonfeed.org/version/1",
        "http://jsonfeed.org/version/1.1",
        "1.0",
        "1.1",
    ],
)
def test_json_feed_versions_real_feeds_use(version: str) -> None:
    doc = {"version": version, "title": "J", "items": [{"id": "1", "content_text": "x"}]}
    feed = parse_feed(json.dumps(doc).encode())
    assert (feed.kind, feed.title, len(feed.entries)) == ("json", "J", 1)


def test_json_items_without_an_id_are_known_as_rss_items_are() -> None:
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "items": [
            {"id": "", "url": "https://j.example/a", "title": "A"},
            {"url": "https://j.example/b", "title": "B"},
            {"id": True, "title": "C", "content_text": "c"},
            {"id": None, "title": "D", "content_text": "d"},
        ],
    }
    entries = parse_feed(json.dumps(doc).encode(), "https://j.example/feed.json").entries
    assert [e.guid for e in entries] == ["", "", "", ""]
    keys = [e.identity() for e in entries]
    assert keys[:2] == ["https://j.example/a", "https://j.example/b"]
    assert keys[2].startswith("sha1:") and keys[3].startswith("sha1:") and keys[2] != keys[3]
    same = ParsedEntry(title="C")
    assert keys[2] == same.identity()  # as an RSS item with only a title


def test_json_content_html_is_sanitised_as_the_xml_path_does() -> None:
    html = '<p onclick="x()">a <a href="/b">b</a></p><script>alert(1)</script><img src="i.png">'
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "items": [{"id": "1", "content_html": html}],
    }
    content = parse_feed(json.dumps(doc).encode(), "https://j.example/feed.json").entries[0].content
    atom = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>1</id>'
        f'<content type="html"><![CDATA[{html}]]></content></entry></feed>'
    ).encode()
    expected = parse_feed(atom, "https://j.example/feed.json").entries[0].content
    assert "script" not in content and "onclick" not in content
    assert content == expected


@pytest.mark.parametrize("field", ["home_page_url", "url", "image", "banner_image", "attachment"])
def test_a_json_url_that_is_not_a_url_costs_that_link_not_the_feed(field: str) -> None:
    item: dict[str, object] = {"id": "1", "title": "T", "url": "/a"}
    doc: dict[str, object] = {"version": "1.1", "items": [item]}
    if field == "home_page_url":
        doc[field] = "http://[oops/"
    elif field == "attachment":
        item["attachments"] = [{"url": "http://[oops/"}]
    else:
        item[field] = "http://[oops/"
    feed = parse_feed(json.dumps(doc).encode(), "https://j.example/feed.json")
    assert [e.title for e in feed.entries] == ["T"]
    assert "oops" not in feed.link + feed.entries[0].link
    assert all("oops" not in e.url for e in feed.entries[0].enclosures)
