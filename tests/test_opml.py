"""OPML import and export."""

from __future__ import annotations

import pytest

from kabar.core.errors import OpmlError
from kabar.core.feeds.opml import export_opml, parse_opml
from kabar.core.store import Store

OPML = b"""<?xml version="1.0"?>
<opml version="2.0"><head><title>x</title></head><body>
  <outline text="News" title="News">
    <outline type="rss" text="Harbour" xmlUrl="https://harbour.example/feed" htmlUrl="https://harbour.example/"/>
    <outline text="World">
      <outline type="rss" text="Globe &amp; Mail" xmlUrl="https://globe.example/rss"/>
    </outline>
  </outline>
  <outline type="rss" title="Loose" xmlUrl="https://loose.example/atom"/>
  <outline type="rss" title="Duplicate" xmlUrl="https://loose.example/atom"/>
  <outline type="rss" title="Evil" xmlUrl="javascript:alert(1)"/>
</body></opml>"""


def test_parse_opml_folders_and_duplicates() -> None:
    feeds = parse_opml(OPML)
    assert [(f.url, f.title, f.folder) for f in feeds] == [
        ("https://harbour.example/feed", "Harbour", "News"),
        ("https://globe.example/rss", "Globe & Mail", "News/World"),
        ("https://loose.example/atom", "Loose", ""),
    ]
    assert feeds[0].site_url == "https://harbour.example/"


def test_round_trip_through_the_store(store: Store) -> None:
    for feed in parse_opml(OPML):
        store.add_feed(feed.url, feed.title, feed.folder, feed.site_url)
    exported = export_opml(store.list_feeds())
    again = parse_opml(exported.encode())
    assert sorted((f.url, f.title, f.folder, f.site_url) for f in again) == sorted(
        (f.url, f.title, f.folder, f.site_url) for f in parse_opml(OPML)
    )
    assert exported.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">')


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not xml", "invalid OPML"),
        (b"<rss/>", "root element is <rss>"),
        (b"<opml version='2.0'><head/></opml>", "no <body>"),
    ],
)
def test_bad_opml(data: bytes, message: str) -> None:
    with pytest.raises(OpmlError, match=message):
        parse_opml(data)
