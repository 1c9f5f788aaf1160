"""Failing feeds back off exponentially (capped at a day), `--due` honours it, success resets
it; "offline" is said only when the network is down."""

from __future__ import annotations

import time

import pytest

from kabar.core.config.profile import Profile
from kabar.core.feeds.refresh import Outcome, refresh_sync
from kabar.core.feeds.refresh.shard import BACKOFF_FIRST, BACKOFF_MAX, backoff
from kabar.core.store import Store
from tests.loopback import LoopbackServer, Reply

FEED = b"<rss version='2.0'><channel><title>t</title><item><guid>1</guid></item></channel></rss>"


def test_backoff_doubles_and_is_capped() -> None:
    assert [backoff(n) for n in (1, 2, 3)] == [BACKOFF_FIRST, 2 * BACKOFF_FIRST, 4 * BACKOFF_FIRST]
    assert backoff(50) == backoff(10_000) == BACKOFF_MAX == 24 * 3600


@pytest.mark.parametrize(
    "reply",
    [
        Reply(503),
        Reply(500),
        Reply(404),
        Reply(429, headers={"Retry-After": "whenever you like"}),
        Reply(200, b"<html><body>not a feed</body></html>", {"Content-Type": "text/html"}),
    ],
    ids=["503", "500", "404", "429-bad-retry-after", "not-a-feed"],
)
def test_a_failing_feed_backs_off_until_it_works_again(
    server: LoopbackServer, profile: Profile, store: Store, reply: Reply
) -> None:
    state = {"reply": reply}
    server.route("/feed", lambda _request: state["reply"])
    url = server.url("/feed")
    store.add_feed(url)
    db, config = profile.paths.database, profile.config
    waits = []
    for _ in range(3):  # forced refreshes fetch it anyway, and the wait doubles each time
        before = time.time()
        assert refresh_sync(db, config).results[0].outcome is Outcome.FAILED
        feed = store.feed_by_url(url)
        assert feed is not None and feed.next_fetch is not None
        waits.append(round((feed.next_fetch - before) / BACKOFF_FIRST))
    assert waits == [1, 2, 4]
    # --due (force=False) leaves it alone until then.
    assert refresh_sync(db, config, force=False).results[0].outcome is Outcome.SKIPPED
    assert len(server.hits("/feed")) == 3
    # A success resets the count and the wait.
    state["reply"] = Reply(200, FEED, {"Content-Type": "application/rss+xml"})
    assert refresh_sync(db, config).results[0].outcome is Outcome.OK
    feed = store.feed_by_url(url)
    assert feed is not None and feed.next_fetch is None and feed.error_count == 0
    assert refresh_sync(db, config, force=False).results[0].outcome is Outcome.OK


def test_a_valid_retry_after_wins_over_the_backoff(
    server: LoopbackServer, profile: Profile, store: Store
) -> None:
    server.route("/busy", Reply(429, headers={"Retry-After": "7200"}))
    store.add_feed(server.url("/busy"))
    before = time.time()
    refresh_sync(profile.paths.database, profile.config)
    feed = store.feed_by_url(server.url("/busy"))
    assert feed is not None and feed.next_fetch is not None
    assert 7190 < feed.next_fetch - before < 7210


def test_offline_feeds_do_not_back_off(profile: Profile, store: Store) -> None:
    store.add_feed("http://nowhere.invalid/feed")
    summary = refresh_sync(profile.paths.database, profile.config)
    assert summary.offline
    feed = store.feed_by_url("http://nowhere.invalid/feed")
    assert feed is not None and feed.next_fetch is None  # fetched as soon as we are back


def test_errors_that_are_not_the_network_are_not_offline(
    server: LoopbackServer, profile: Profile, store: Store
) -> None:
    """A size cap, a timeout and a broken server each fail without an HTTP status; none of
    them means the network is down, so each is listed."""
    big = b"<rss>" + b" " * 2_000_000 + b"</rss>"
    server.route("/big", Reply(200, big))
    server.route("/slow", lambda _r: Reply(200, FEED, delay=3))
    store.add_feed(server.url("/big"))
    store.add_feed(server.url("/slow"))
    store.add_feed("http://127.0.0.1:9/refused")
    config = profile.config
    config.network.max_feed_bytes = 1_000_000
    config.network.timeout = 1.0
    summary = refresh_sync(profile.paths.database, config)
    assert summary.count(Outcome.FAILED) == 3
    assert not summary.offline
    assert not summary.line().startswith("Offline")
