"""Refresh end to end: loopback server -> fetch -> parse -> store."""

from __future__ import annotations

import time

from kabar.core.config.profile import Profile
from kabar.core.config.settings import Config
from kabar.core.feeds.refresh import Outcome, refresh_sync
from kabar.core.store import Store
from tests.conftest import fixture_bytes
from tests.loopback import LoopbackServer, Reply, Request, Route


def etag_route(body: bytes, etag: str = '"r1"') -> Route:
    def route(request: Request) -> Reply:
        if request.headers.get("If-None-Match") == etag:
            return Reply(304, headers={"ETag": etag})
        return Reply(200, body, {"ETag": etag, "Content-Type": "application/rss+xml"})

    return route


def test_refresh_stores_entries_then_sends_conditional_requests(
    server: LoopbackServer, profile: Profile, store: Store
) -> None:
    server.route("/rss", etag_route(fixture_bytes("basic/rss20.xml")))
    store.add_feed(server.url("/rss"))
    first = refresh_sync(profile.paths.database, profile.config)
    assert [(r.outcome, r.new) for r in first.results] == [(Outcome.OK, 2)]
    assert first.line().startswith("1 feed: 1 ok, 0 not modified, 0 failed; 2 new entries")
    second = refresh_sync(profile.paths.database, profile.config)
    assert [r.outcome for r in second.results] == [Outcome.NOT_MODIFIED]
    assert server.hits("/rss")[1].headers["If-None-Match"] == '"r1"'
    feed = store.feed_by_url(server.url("/rss"))
    assert feed is not None and feed.title == "Harbour Wire" and feed.unread == 2


def test_a_failing_feed_records_its_error_and_the_others_go_on(
    server: LoopbackServer, profile: Profile, store: Store
) -> None:
    server.route("/good", Reply(200, fixture_bytes("basic/atom10.xml")))
    server.route("/page", Reply(200, fixture_bytes("basic/malformed.xml")))
    for path in ("/good", "/missing", "/page"):
        store.add_feed(server.url(path))
    summary = refresh_sync(profile.paths.database, profile.config)
    outcomes = {r.url.rsplit("/", 1)[1]: r for r in summary.results}
    assert outcomes["good"].outcome is Outcome.OK and outcomes["good"].new == 2
    assert outcomes["missing"].outcome is Outcome.FAILED
    assert "HTTP 404" in outcomes["missing"].error
    assert "web page, not a feed" in outcomes["page"].error
    missing = store.feed_by_url(server.url("/missing"))
    assert missing is not None and "HTTP 404" in missing.last_error
    assert not summary.offline


def test_offline_is_reported_once(profile: Profile, store: Store) -> None:
    # .invalid never resolves (RFC 6761): a DNS failure, which is what being offline gives.
    store.add_feed("http://a.invalid/feed")
    store.add_feed("http://b.invalid/feed")
    summary = refresh_sync(profile.paths.database, profile.config)
    assert summary.offline
    assert summary.line() == "Offline: none of 2 feeds could be reached."


def test_refused_connections_are_errors_not_offline(profile: Profile, store: Store) -> None:
    """A server that refuses (or times out, or fails TLS) means the network works."""
    store.add_feed("http://127.0.0.1:9/a")
    store.add_feed("http://127.0.0.1:9/b")
    summary = refresh_sync(profile.paths.database, profile.config)
    assert not summary.offline
    assert summary.line().startswith("2 feeds: 0 ok, 0 not modified, 2 failed")
    assert all("cannot connect to 127.0.0.1:9" in r.error for r in summary.failed)


def test_gone_feed_is_disabled(server: LoopbackServer, profile: Profile, store: Store) -> None:
    server.route("/gone", Reply(410))
    store.add_feed(server.url("/gone"))
    refresh_sync(profile.paths.database, profile.config)
    feed = store.feed_by_url(server.url("/gone"))
    assert feed is not None and "410" in feed.disabled
    again = refresh_sync(profile.paths.database, profile.config)
    assert [r.outcome for r in again.results] == [Outcome.SKIPPED]
    assert len(server.hits("/gone")) == 1


def test_permanent_redirect_updates_the_stored_url(
    server: LoopbackServer, profile: Profile, store: Store
) -> None:
    server.route("/old", Reply(301, headers={"Location": "/new"}))
    server.route("/new", Reply(200, fixture_bytes("basic/rss10.rdf")))
    store.add_feed(server.url("/old"))
    refresh_sync(profile.paths.database, profile.config)
    assert [f.url for f in store.list_feeds()] == [server.url("/new")]


def test_ttl_is_a_minimum_interval_unless_forced(
    server: LoopbackServer, profile: Profile, store: Store
) -> None:
    server.route("/rss", Reply(200, fixture_bytes("basic/rss20.xml")))  # <ttl>30</ttl>
    store.add_feed(server.url("/rss"))
    refresh_sync(profile.paths.database, profile.config)
    feed = store.feed_by_url(server.url("/rss"))
    assert feed is not None and feed.next_fetch is not None
    assert feed.next_fetch - time.time() > 29 * 60
    polite = refresh_sync(profile.paths.database, profile.config, force=False)
    assert [r.outcome for r in polite.results] == [Outcome.SKIPPED]
    refresh_sync(profile.paths.database, profile.config, force=True)
    assert len(server.hits("/rss")) == 2


def test_max_age_sets_next_fetch(server: LoopbackServer, profile: Profile, store: Store) -> None:
    server.route(
        "/a", Reply(200, fixture_bytes("basic/atom10.xml"), {"Cache-Control": "max-age=600"})
    )
    store.add_feed(server.url("/a"))
    refresh_sync(profile.paths.database, Config())
    feed = store.feed_by_url(server.url("/a"))
    assert feed is not None and feed.next_fetch is not None
    assert 590 < feed.next_fetch - time.time() <= 600


def test_progress_callback_sees_every_feed(
    server: LoopbackServer, profile: Profile, store: Store
) -> None:
    for index in range(5):
        server.route(f"/f{index}", Reply(200, fixture_bytes("basic/jsonfeed11.json")))
        store.add_feed(server.url(f"/f{index}"))
    seen: list[tuple[int, int]] = []
    refresh_sync(
        profile.paths.database, profile.config, on_progress=lambda r, d, t: seen.append((d, t))
    )
    assert seen == [(n, 5) for n in range(1, 6)]


def test_two_processes_share_the_caps_and_store_everything(
    server: LoopbackServer, profile: Profile, store: Store
) -> None:
    for index in range(12):
        server.route(f"/f{index}", Reply(200, fixture_bytes("basic/rss10.rdf"), delay=0.05))
        store.add_feed(server.url(f"/f{index}"))
    seen: list[int] = []
    summary = refresh_sync(
        profile.paths.database,
        profile.config,
        jobs=4,
        processes=2,
        on_progress=lambda r, done, total: seen.append(done),
    )
    assert [r.outcome for r in summary.results] == [Outcome.OK] * 12
    assert seen == list(range(1, 13))
    assert server.max_in_flight <= 4  # --jobs 4 over two processes: 2 + 2
    assert store.count_entries() == 12


def test_deal_spreads_each_host_over_the_shards() -> None:
    from kabar.core.feeds.refresh import deal
    from kabar.core.models import FeedRow

    feeds = [FeedRow(i, f"https://{'a' if i % 3 else 'b'}.example/{i}", "") for i in range(9)]
    shards = deal(feeds, 2)
    assert sorted(f.id for shard in shards for f in shard) == list(range(9))
    for host in ("a.example", "b.example"):
        per_shard = [sum(host in f.url for f in shard) for shard in shards]
        assert max(per_shard) - min(per_shard) <= 1


def test_429_retry_after_is_honoured_unless_forced(
    server: LoopbackServer, profile: Profile, store: Store
) -> None:
    server.route("/busy", Reply(429, headers={"Retry-After": "3600"}))
    store.add_feed(server.url("/busy"))
    summary = refresh_sync(profile.paths.database, profile.config)
    assert "HTTP 429" in summary.results[0].error
    feed = store.feed_by_url(server.url("/busy"))
    assert feed is not None and feed.next_fetch is not None
    assert 3590 < feed.next_fetch - time.time() <= 3600
    polite = refresh_sync(profile.paths.database, profile.config, force=False)
    assert [r.outcome for r in polite.results] == [Outcome.SKIPPED]
    assert len(server.hits("/busy")) == 1


def test_etag_and_last_modified_are_stored_on_the_first_fetch_and_sent_back(
    server: LoopbackServer, profile: Profile, store: Store
) -> None:
    modified = "Mon, 02 Nov 2026 10:00:00 GMT"

    def route(request: Request) -> Reply:
        if request.headers.get("If-None-Match") == '"e1"' and (
            request.headers.get("If-Modified-Since") == modified
        ):
            return Reply(304)
        return Reply(
            200, fixture_bytes("basic/atom10.xml"), {"ETag": '"e1"', "Last-Modified": modified}
        )

    server.route("/a", route)
    store.add_feed(server.url("/a"))
    refresh_sync(profile.paths.database, profile.config)
    feed = store.feed_by_url(server.url("/a"))
    assert feed is not None and (feed.etag, feed.last_modified) == ('"e1"', modified)
    second = refresh_sync(profile.paths.database, profile.config)
    assert [r.outcome for r in second.results] == [Outcome.NOT_MODIFIED]


def test_an_edited_entry_updates_in_place_and_keeps_its_flags(
    server: LoopbackServer, profile: Profile, store: Store
) -> None:
    original = fixture_bytes("basic/rss10.rdf")
    server.route("/f", Reply(200, original))
    store.add_feed(server.url("/f"))
    refresh_sync(profile.paths.database, profile.config)
    (entry,) = store.list_entries()
    store.set_read([entry.id])
    store.set_saved([entry.id])
    server.route(
        "/f", Reply(200, original.replace(b"The swifts are back", b"The swifts are back early"))
    )
    summary = refresh_sync(profile.paths.database, profile.config)
    assert (summary.results[0].new, summary.results[0].updated) == (0, 1)
    (edited,) = store.list_entries()
    assert (edited.id, edited.title, edited.read, edited.saved) == (
        entry.id,
        "The swifts are back early",
        True,
        True,
    )
