"""The shared mapping's shortcuts give what the functions they stand in for give."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kabar.core.article.htmlparts import without_data_images
from kabar.core.feeds.parse import parse_feed
from kabar.core.feeds.parse.mapping import quick_data_images
from kabar.core.feeds.parse.xmlfeed import parse_xml_feed

PIECES = [
    ' src="data:image/png;base64,AAAA"',
    " SRC='DaTa:image/gif;base64,R0lG'",
    ' srcset = " data:x"',
    ' src="https://example.org/a.png"',
    "data:",
    "DATA:",
    "dat",
    "a:",
    ":",
    " ",
    "<img",
    ">",
    "10:30",
    "İ",
    "\u212a",
    "é",
    "text",
]


@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_quick_data_images_is_without_data_images(pieces: list[str]) -> None:
    markup = "".join(pieces)
    assert quick_data_images(markup) == without_data_images(markup)


def test_a_data_image_after_many_colons_is_still_removed() -> None:
    markup = "<p>" + "at 10:30, " * 80 + '<img src="data:image/png;base64,AAAA" alt="x"></p>'
    assert quick_data_images(markup) == without_data_images(markup)
    assert "data:" not in quick_data_images(markup)
    assert quick_data_images("no colon at all") == "no colon at all"


def test_both_paths_drop_data_image_sources() -> None:
    rss = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        b"<item><title>A</title><guid>a</guid><description>&lt;p&gt;Hi "
        b"&lt;img src=&quot;data:image/png;base64,AAAA&quot; alt=&quot;x&quot;&gt;&lt;/p&gt;"
        b"</description></item></channel></rss>"
    )
    for parsed in (parse_feed(rss), parse_xml_feed(rss)):
        summary = parsed.entries[0].summary
        assert "Hi" in summary and "data:" not in summary and "<img" in summary
