"""Subscribing through the Library: discovery's fetch is the feed's first update."""

from __future__ import annotations

import pytest

from kabar.core.errors import KabarError
from kabar.core.feeds.refresh import Outcome
from kabar.core.library import Library
from tests.library.conftest import ETAG
from tests.loopback import LoopbackServer


def test_subscribe_then_refresh_fetches_the_feed_once(
    library: Library, site: LoopbackServer
) -> None:
    found = library.discover(site.url("/feed.xml"))
    assert [c.url for c in found] == [site.url("/feed.xml")]
    done = library.subscribe(found)
    assert done.added == [site.url("/feed.xml")]
    assert [(r.title, r.new) for r in done.results] == [("Harbour Wire", 2)]
    assert len(site.hits("/feed.xml")) == 1  # discovery's fetch, kept: no second one
    assert sorted(e.title for e in library.entries()) == ["Ferry timetable", "Lighthouse open day"]

    refreshed = library.refresh()
    assert refreshed.summary is not None
    (result,) = refreshed.summary.results
    assert result.outcome is Outcome.NOT_MODIFIED  # the validators from discovery were kept
    hits = site.hits("/feed.xml")
    assert len(hits) == 2 and hits[1].headers.get("If-None-Match") == ETAG
    assert sum(1 for h in hits if h.headers.get("If-None-Match") is None) == 1  # one full GET


def test_a_feed_whose_server_says_fresh_is_not_fetched_again_when_due(
    library: Library, server: LoopbackServer
) -> None:
    from tests.library.conftest import feed_xml
    from tests.loopback import Reply

    headers = {"Content-Type": "application/rss+xml", "Cache-Control": "max-age=3600"}
    server.route("/feed.xml", Reply(200, feed_xml(server.base), headers))
    library.subscribe(library.discover(server.url("/feed.xml")))
    refreshed = library.refresh(force=False)
    assert refreshed.summary is not None
    assert [r.outcome for r in refreshed.summary.results] == [Outcome.SKIPPED]
    assert len(server.hits("/feed.xml")) == 1


def test_subscribing_to_a_site_finds_its_feed_and_keeps_it(
    library: Library, site: LoopbackServer
) -> None:
    found = library.discover(site.url("/"))
    assert [c.url for c in found] == [site.url("/feed.xml")]
    done = library.subscribe(found, folder="News")
    assert done.results[0].new == 2
    (feed,) = library.feeds()
    assert (feed.folder, feed.unread, feed.total) == ("News", 2, 2)
    assert len(site.hits("/feed.xml")) == 1
    again = library.subscribe(library.discover(site.url("/")))
    assert again.added == [] and again.already == [site.url("/feed.xml")]


def test_a_bare_url_is_fetched_once_or_not_at_all(library: Library, site: LoopbackServer) -> None:
    done = library.subscribe([site.url("/feed.xml")], fetch=False)
    assert done.added == [site.url("/feed.xml")] and done.results == []
    assert site.hits("/feed.xml") == []
    library.unsubscribe(library.feeds()[0])
    done = library.subscribe([site.url("/feed.xml")])
    assert [(r.outcome, r.new) for r in done.results] == [(Outcome.OK, 2)]
    assert len(site.hits("/feed.xml")) == 1


def test_unsubscribe_keeps_saved_entries(library: Library, site: LoopbackServer) -> None:
    library.subscribe(library.discover(site.url("/feed.xml")))
    first = library.entries()[0]
    library.mark([first.id], "saved")
    feed = library.find_feed(site.url("/feed.xml").replace("http://", "HTTP://"))
    assert feed is not None
    assert library.unsubscribe(feed) == 1
    assert library.feeds() == []
    assert [e.id for e in library.entries(saved=True)] == [first.id]


def test_subscribed_urls_names_what_is_not_subscribed(
    library: Library, site: LoopbackServer
) -> None:
    library.subscribe([site.url("/feed.xml")], fetch=False)
    spelled = site.url("/feed.xml").replace("http://", "HTTP://")
    assert library.subscribed_urls([spelled]) == [site.url("/feed.xml")]
    with pytest.raises(KabarError, match=r"not subscribed: .*other"):
        library.subscribed_urls([site.url("/other.xml")])
    assert library.new_urls([site.url("/feed.xml"), site.url("/other.xml")]) == [
        site.url("/other.xml")
    ]
