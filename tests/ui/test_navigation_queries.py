"""The store queries behind the headline list: pages by key and by offset agree, positions,
next/previous unread, a view marked read, and the "removed feed" rule."""

from __future__ import annotations

from kabar.core.library import Headlines
from kabar.core.models import FeedUpdate, ParsedEntry, ParsedFeed
from kabar.core.store import EntryQuery, Store, ViewQuery
from kabar.ui.data.entry_pages import PAGE, EntryPages, sort_key


def fill(store: Store, feeds: int = 3, per_feed: int = 250) -> list[int]:
    ids = []
    for number in range(feeds):
        feed = store.add_feed(f"http://127.0.0.1:9/{number}.xml", folder="F" if number else "")
        entries = [
            # every third entry shares a date with the next: the id breaks the tie
            ParsedEntry(
                guid=f"{number}-{i}", title=f"{number}-{i}", published=1e9 + (i // 3) * 60 + number
            )
            for i in range(per_feed)
        ]
        store.apply_updates(
            [
                FeedUpdate(
                    feed.id, 1e9, 200, parsed=ParsedFeed("rss", f"Feed {number}", entries=entries)
                )
            ]
        )
        ids.append(feed.id)
    return ids


def test_pages_by_key_and_by_offset_agree(store: Store) -> None:
    fill(store)
    for query in (ViewQuery(), ViewQuery(oldest_first=True), ViewQuery(folder="F")):
        expected = [r.id for r in store.view_rows(query, 10_000)]
        old = [r.id for r in store.list_entries(EntryQuery(folder=query.folder), limit=10_000)]
        assert sorted(expected) == sorted(old)
        pages = EntryPages(Headlines(lambda: store), query)
        assert pages.count == len(expected)
        forward = [pages.row(i).id for i in range(pages.count)]  # type: ignore[union-attr]
        assert forward == expected
        backward = EntryPages(Headlines(lambda: store), query)
        rows = [backward.row(i) for i in reversed(range(backward.count))]
        assert [r.id for r in reversed(rows) if r] == expected  # pages from the end, by key
        jump = EntryPages(Headlines(lambda: store), query)
        assert jump.row(pages.count - 1).id == expected[-1]  # type: ignore[union-attr]
        assert jump.row(PAGE + 5).id == expected[PAGE + 5]  # type: ignore[union-attr]
        for index in (0, 7, PAGE, len(expected) - 1):
            assert store.view_position(query, expected[index]) == index


def test_next_unread_and_keep(store: Store) -> None:
    fill(store, feeds=1, per_feed=10)
    rows = store.view_rows(ViewQuery(), 100)
    store.set_read([r.id for r in rows[1:5]])
    query = ViewQuery()
    found = store.neighbour_unread(query, sort_key(rows[0]), forward=True)
    assert found is not None and found.id == rows[5].id
    back = store.neighbour_unread(query, sort_key(rows[5]), forward=False)
    assert back is not None and back.id == rows[0].id
    assert store.neighbour_unread(query, sort_key(rows[-1]), forward=True) is None
    unread = ViewQuery(unread_only=True, keep=frozenset({rows[1].id}))
    assert [r.id for r in store.view_rows(unread, 100)][:2] == [rows[0].id, rows[1].id]


def test_mark_view_read_and_counts(store: Store) -> None:
    first, second, _ = fill(store, per_feed=5)
    ids = store.mark_view_read(ViewQuery(feed_id=first))
    assert len(ids) == 5
    assert store.unread_counts() == {first: 0, second: 5, 3: 5}
    assert store.unread_counts([first, second]) == {first: 0, second: 5}
    store.set_read(ids, False)
    assert store.unread_counts([first]) == {first: 5}


def test_removed_feeds_keep_only_saved_entries(store: Store) -> None:
    fill(store, feeds=2, per_feed=5)
    feed = store.feed_by_url("http://127.0.0.1:9/0.xml")
    assert feed is not None
    saved = store.view_rows(ViewQuery(feed_id=feed.id), 1)[0]
    store.set_saved([saved.id])
    store.remove_feed(feed.url)
    assert store.view_count(ViewQuery()) == 6
    assert store.view_count(ViewQuery(saved_only=True)) == 1
