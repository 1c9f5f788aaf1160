"""The main screen's decisions, without a screen: the next unread entry (within a view,
across feeds, round past the end), undo of mark-all-read, which feeds a view covers, the
refresh queue and the link y copies."""

from __future__ import annotations

from kabar.core.library import Headlines
from kabar.core.models import EntryRow, FeedRow
from kabar.core.store import Store
from kabar.core.store.navigation import ViewQuery
from kabar.ui.data.entry_pages import EntryPages, FixedRows
from kabar.ui.data.links import LinkOffer
from kabar.ui.data.refresh_run import RELOAD_EVERY, Again, LaneJob, RefreshRun
from kabar.ui.data.sync_line import failure, short_account
from kabar.ui.data.unread import Place, UnreadFinder, UnreadHit
from kabar.ui.data.views import (
    ALL,
    SAVED,
    UNREAD,
    View,
    feed_view,
    folder_view,
    tag_view,
    view_feed_ids,
    view_shows_any,
)
from tests.ui.data import Seeded, seed


def query_for(view: View) -> ViewQuery:
    return view.query()


def feeds_of(store: Store) -> dict[int, FeedRow]:
    return {feed.id: feed for feed in store.list_feeds()}


def place_in(store: Store, view: View, title: str | None) -> Place:
    """The reader in a view, the cursor on the entry with this title (or the first)."""
    query = view.query()
    rows = EntryPages(Headlines(lambda: store), query)
    cursor = 0
    if title is not None:
        titles = [row.title for row in store.list_entries(limit=100)]
        assert title in titles
        cursor = next(
            i for i in range(rows.count) if (r := rows.row(i)) is not None and r.title == title
        )
    return Place(view, query, rows, cursor)


def find(store: Store, place: Place, *, forward: bool = True) -> UnreadHit | None:
    feeds = feeds_of(store)
    order = sorted(feeds, key=lambda i: (not feeds[i].folder, i))
    unread = store.unread_counts()
    return UnreadFinder(Headlines(lambda: store)).find(
        place, forward=forward, feeds=feeds, order=order, unread=unread, query_for=query_for
    )


def test_next_unread_is_further_down_the_view(store: Store) -> None:
    seeded = seed(store)
    harbour = feed_view(seeded.harbour, "Harbour")
    hit = find(store, place_in(store, harbour, "Ferry timetable changes for winter"))
    assert hit is not None
    assert hit.row.title == "Lighthouse open day draws a crowd"
    assert (hit.view, hit.wrapped) == (None, False)


def test_past_the_last_unread_of_a_feed_goes_on_in_the_next_feed(store: Store) -> None:
    seeded = seed(store)
    harbour = feed_view(seeded.harbour, "Harbour")
    last = "Council delays decision on the quay car park charges, again, after a long meeting"
    hit = find(store, place_in(store, harbour, last))
    assert hit is not None
    assert hit.view is not None and hit.view.feed_id == seeded.terminal
    assert hit.row.feed_id == seeded.terminal
    assert hit.row.title == "Why some characters take two cells"
    assert not hit.wrapped


def test_past_the_last_feed_it_wraps_round_to_the_first(store: Store) -> None:
    seeded = seed(store)
    field = feed_view(seeded.field, "Field")
    hit = find(store, place_in(store, field, "Counting starlings at dusk"))
    assert hit is not None
    assert hit.view is not None and hit.view.feed_id == seeded.harbour
    assert hit.wrapped


def test_backwards_from_the_top_goes_to_the_previous_feed(store: Store) -> None:
    seeded = seed(store)
    terminal = feed_view(seeded.terminal, "Terminal")
    hit = find(store, place_in(store, terminal, None), forward=False)
    assert hit is not None
    assert hit.row.feed_id == seeded.harbour
    assert hit.row.title == (
        "Council delays decision on the quay car park charges, again, after a long meeting"
    )


def test_with_nothing_unread_elsewhere_it_wraps_within_the_view(store: Store) -> None:
    seeded = seed(store)
    others = [f.id for f in store.list_feeds() if f.id != seeded.harbour]
    for feed_id in others:
        store.mark_view_read(ViewQuery(feed_id=feed_id))
    harbour = feed_view(seeded.harbour, "Harbour")
    last = "Council delays decision on the quay car park charges, again, after a long meeting"
    hit = find(store, place_in(store, harbour, last))
    assert hit is not None
    assert hit.view is None and hit.wrapped
    assert hit.row.title == "Ferry timetable changes for winter"


def test_nothing_unread_anywhere_finds_nothing(store: Store) -> None:
    seed(store)
    store.mark_view_read(ViewQuery())
    assert find(store, place_in(store, ALL, None)) is None


def row(entry_id: int, read: bool) -> EntryRow:
    return EntryRow(
        id=entry_id, feed_id=1, feed_title="Feed", title=f"entry {entry_id}", link="",
        author="", published=None, sort_date=float(entry_id), read=read, saved=False,
    )  # fmt: skip


def test_a_fixed_list_is_searched_in_memory_with_wrap(store: Store) -> None:
    rows = FixedRows([row(1, False), row(2, True), row(3, True)])
    finder = UnreadFinder(Headlines(lambda: store))
    place = Place(ALL, None, rows, cursor=0)
    assert finder.in_view(place, forward=True) is None
    wrapped = finder.in_view(place, forward=True, wrap=True)
    assert wrapped is not None and wrapped.id == 1
    backwards = finder.in_view(Place(ALL, None, rows, cursor=2), forward=False)
    assert backwards is not None and backwards.id == 1


def test_a_search_list_does_not_go_on_to_other_feeds(store: Store) -> None:
    seeded = seed(store)
    rows = FixedRows([row(1, True)])
    hit = find(store, Place(feed_view(seeded.harbour, "Harbour"), None, rows, cursor=0))
    assert hit is None


def test_the_feeds_a_view_covers(store: Store) -> None:
    seeded: Seeded = seed(store)
    feeds = feeds_of(store)
    assert view_feed_ids(ALL, feeds) is None
    assert view_feed_ids(UNREAD, feeds) is None
    assert view_feed_ids(SAVED, feeds) is None
    assert view_feed_ids(feed_view(seeded.field, "Field"), feeds) == [seeded.field]
    assert view_feed_ids(folder_view("Local"), feeds) == [seeded.harbour]
    assert view_feed_ids(tag_view("news", (seeded.field, seeded.broken)), feeds) == [
        seeded.field,
        seeded.broken,
    ]


def test_which_views_a_refresh_of_some_feeds_changes(store: Store) -> None:
    seeded = seed(store)
    feeds = feeds_of(store)
    changed = {seeded.terminal}
    assert view_shows_any(ALL, changed, feeds)
    assert view_shows_any(UNREAD, changed, feeds)
    assert not view_shows_any(SAVED, changed, feeds)
    assert view_shows_any(folder_view("Tech"), changed, feeds)
    assert not view_shows_any(folder_view("Local"), changed, feeds)
    assert view_shows_any(feed_view(seeded.terminal, "Terminal"), changed, feeds)
    assert not view_shows_any(feed_view(seeded.field, "Field"), changed, feeds)
    assert view_shows_any(tag_view("t", (seeded.terminal,)), changed, feeds)
    assert not view_shows_any(tag_view("t", (seeded.field,)), changed, feeds)


def test_feeds_added_during_a_refresh_wait_for_the_next() -> None:
    run = RefreshRun()
    assert not run.queue(["http://a/feed"])  # none running: the caller starts one
    run.running = True
    assert run.queue(["http://a/feed"]) and run.queue(["http://b/feed"])
    assert run.progressed(2) == 2 and run.progressed(1) == 3
    assert run.finish() == ["http://a/feed", "http://b/feed"]
    assert (run.running, run.failed, run.finish()) == (False, 0, None)


def test_the_lane_runs_server_jobs_first_and_folds_whole_refreshes_into_one() -> None:
    run = RefreshRun()
    add = LaneJob("server-add", lambda: None, "Adding on the sync server…")
    assert not run.queue_job(add) and not run.queue_again(True)  # none running: start now
    run.running = True
    assert run.queue(["http://a/feed"]) and run.queue_job(add)
    assert run.queue_again(False) and run.queue_again(True) and run.queue_again(False)
    assert run.finish() is add  # the server job first; the rest wait on
    run.running = True
    assert run.finish() == Again(force=True)  # three asked: one more, forced if any was
    assert (run.finish(), run.pending, run.again) == (None, None, None)  # it covered the feed


def test_the_sync_line_shortens_a_long_account_and_names_the_host_once() -> None:
    assert short_account("alice@rss.example.net") == "alice@rss.example.net"
    long = "alexandra.longname-for-testing@rss.a-rather-long-hostname.example.net"
    short = short_account(long)
    assert len(short) == 32 and short.startswith("alexandra.") and short.endswith(".net")
    error = f"sync server {long.split('@')[1]} answered HTTP 500 to token"
    assert failure(error, long) == "Sync failed: the server answered HTTP 500 to token"
    assert failure("disk full", long) == "Sync failed: disk full"


def test_the_headlines_are_reread_at_a_bounded_rate() -> None:
    run = RefreshRun()
    assert run.reload_due(100.0)
    assert not run.reload_due(100.0 + RELOAD_EVERY / 2)
    assert run.reload_due(100.0 + RELOAD_EVERY)


def test_a_link_offered_on_an_entry_is_copied_only_there_and_once() -> None:
    offer = LinkOffer()
    offer.offer(7, "https://example.org/unopened")
    assert offer.take(8, "https://example.org/own") == "https://example.org/own"
    offer.offer(7, "https://example.org/unopened")
    assert offer.take(7, "https://example.org/own") == "https://example.org/unopened"
    assert offer.take(7, "https://example.org/own") == "https://example.org/own"
