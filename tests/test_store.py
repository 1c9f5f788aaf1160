"""The SQLite store: migrations, entry identity and updates, flags, feed removal."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from kabar.core.errors import StoreError
from kabar.core.models import FeedUpdate, ParsedEntry, ParsedFeed
from kabar.core.store import EntryQuery, Store
from kabar.core.store import migrations as migrations_module
from kabar.core.store.migrations import SCHEMA_VERSION, migrate, schema_version


def feed_update(feed_id: int, *entries: ParsedEntry, title: str = "Feed") -> FeedUpdate:
    return FeedUpdate(
        feed_id=feed_id,
        fetched_at=1000.0,
        status=200,
        parsed=ParsedFeed("rss", title, entries=list(entries)),
    )


def test_new_database_is_migrated_and_in_wal_mode(tmp_path: Path) -> None:
    with Store(tmp_path / "k.db") as store:
        assert schema_version(store.conn) == SCHEMA_VERSION
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {
            r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        assert {"feeds", "entries", "articles"} <= tables


def test_existing_database_keeps_its_data_and_is_not_migrated_twice(tmp_path: Path) -> None:
    with Store(tmp_path / "k.db") as store:
        store.add_feed("https://a.example/feed")
    with Store(tmp_path / "k.db") as store:
        assert migrate(store.conn) == 0
        assert [f.url for f in store.list_feeds()] == ["https://a.example/feed"]


def test_pending_migration_applies_to_an_existing_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store(tmp_path / "k.db") as store:
        store.add_feed("https://a.example/feed")
    extra = [*migrations_module.MIGRATIONS, ["ALTER TABLE feeds ADD COLUMN note TEXT DEFAULT 'x'"]]
    monkeypatch.setattr(migrations_module, "MIGRATIONS", extra)
    monkeypatch.setattr(migrations_module, "SCHEMA_VERSION", len(extra))
    conn = sqlite3.connect(tmp_path / "k.db", isolation_level=None)
    assert migrate(conn) == 1
    assert schema_version(conn) == len(extra)
    assert conn.execute("SELECT url, note FROM feeds").fetchall() == [
        ("https://a.example/feed", "x")
    ]


def test_a_failing_migration_rolls_back_with_its_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store(tmp_path / "k.db"):
        pass
    bad = [*migrations_module.MIGRATIONS, ["CREATE TABLE half (x)", "THIS IS NOT SQL"]]
    monkeypatch.setattr(migrations_module, "MIGRATIONS", bad)
    monkeypatch.setattr(migrations_module, "SCHEMA_VERSION", len(bad))
    conn = sqlite3.connect(tmp_path / "k.db", isolation_level=None)
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn)
    assert schema_version(conn) == len(bad) - 1
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'half'").fetchone() is None


def test_corrupt_database_gives_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match=r"is damaged.*kabar recover"):
        Store(path)


def test_updated_entry_replaces_and_keeps_flags(store: Store) -> None:
    feed = store.add_feed("https://a.example/feed")
    entry = ParsedEntry(guid="g1", link="https://a.example/1", title="First", published=100.0)
    counts = store.apply_updates([feed_update(feed.id, entry)])
    assert (counts[feed.id].new, counts[feed.id].updated) == (1, 0)
    (row,) = store.list_entries()
    store.set_read([row.id])
    store.set_saved([row.id])

    edited = ParsedEntry(
        guid="g1", link="https://a.example/1", title="First (corrected)", published=100.0
    )
    counts = store.apply_updates([feed_update(feed.id, edited)])
    assert (counts[feed.id].new, counts[feed.id].updated) == (0, 1)
    (row,) = store.list_entries()
    assert (row.title, row.read, row.saved) == ("First (corrected)", True, True)

    counts = store.apply_updates([feed_update(feed.id, edited)])
    assert (counts[feed.id].new, counts[feed.id].updated) == (0, 0)


def test_identity_falls_back_to_link_then_hash(store: Store) -> None:
    feed = store.add_feed("https://a.example/feed")
    by_link = ParsedEntry(link="https://a.example/x", title="X")
    by_hash = ParsedEntry(title="No link", summary="s")
    store.apply_updates([feed_update(feed.id, by_link, by_hash)])
    store.apply_updates([feed_update(feed.id, by_link, by_hash)])
    assert store.count_entries() == 2
    keys = {r[0] for r in store.conn.execute("SELECT key FROM entries")}
    assert "https://a.example/x" in keys
    assert any(k.startswith("sha1:") for k in keys)


def test_duplicate_entries_in_one_document_are_stored_once(store: Store) -> None:
    feed = store.add_feed("https://a.example/feed")
    entry = ParsedEntry(guid="same", title="A")
    store.apply_updates([feed_update(feed.id, entry, ParsedEntry(guid="same", title="B"))])
    assert [r.title for r in store.list_entries()] == ["A"]


def test_entries_missing_from_the_feed_stay_cached(store: Store) -> None:
    feed = store.add_feed("https://a.example/feed")
    store.apply_updates([feed_update(feed.id, ParsedEntry(guid="1"), ParsedEntry(guid="2"))])
    store.apply_updates([feed_update(feed.id, ParsedEntry(guid="3"))])
    assert store.count_entries() == 3


def test_unread_counts_filters_and_order(store: Store) -> None:
    a = store.add_feed("https://a.example/feed")
    b = store.add_feed("https://b.example/feed", folder="News")
    store.apply_updates(
        [
            feed_update(
                a.id,
                ParsedEntry(guid="a1", title="old", published=10.0),
                ParsedEntry(guid="a2", title="new", published=30.0),
                title="A",
            ),
            feed_update(b.id, ParsedEntry(guid="b1", title="middle", published=20.0), title="B"),
        ]
    )
    assert [e.title for e in store.list_entries()] == ["new", "middle", "old"]
    store.set_read([store.list_entries()[0].id])
    feeds = {f.url: f for f in store.list_feeds()}
    assert (feeds[a.url].unread, feeds[a.url].total, feeds[a.url].title) == (1, 2, "A")
    assert [e.title for e in store.list_entries(EntryQuery(unread_only=True))] == ["middle", "old"]
    assert [e.title for e in store.list_entries(EntryQuery(folder="News"))] == ["middle"]
    assert store.view_position(EntryQuery(), store.list_entries()[2].id) == 2


def test_mark_all_read_returns_ids_for_undo(store: Store) -> None:
    feed = store.add_feed("https://a.example/feed")
    store.apply_updates([feed_update(feed.id, ParsedEntry(guid="1"), ParsedEntry(guid="2"))])
    ids = store.mark_view_read(EntryQuery(feed_id=feed.id))
    assert len(ids) == 2 and store.count_entries(EntryQuery(unread_only=True)) == 0
    store.set_read(ids, False)
    assert store.count_entries(EntryQuery(unread_only=True)) == 2


def test_removing_a_feed_keeps_its_saved_entries(store: Store) -> None:
    feed = store.add_feed("https://a.example/feed")
    store.apply_updates([feed_update(feed.id, ParsedEntry(guid="keep"), ParsedEntry(guid="drop"))])
    keep = next(r for r in store.list_entries() if r.id == 1)
    store.set_saved([keep.id])
    assert store.remove_feed(feed.url) == 1
    assert store.list_feeds() == []
    assert [r.id for r in store.list_entries(EntryQuery(saved_only=True))] == [keep.id]
    assert store.count_entries() == 1
    # adding it again brings the feed back
    assert store.add_feed(feed.url).id == feed.id


def test_removing_a_feed_without_saved_entries_deletes_it(store: Store) -> None:
    feed = store.add_feed("https://a.example/feed")
    store.apply_updates([feed_update(feed.id, ParsedEntry(guid="1"))])
    assert store.remove_feed(feed.url) == 0
    assert store.conn.execute("SELECT count(*) FROM entries").fetchone()[0] == 0
    with pytest.raises(StoreError):
        store.remove_feed(feed.url)


def test_fetch_errors_and_validators_are_recorded(store: Store) -> None:
    feed = store.add_feed("https://a.example/feed")
    ok = FeedUpdate(
        feed.id, 1.0, status=200, etag='"v1"', last_modified="Mon, 02 Nov 2026 10:00:00 GMT"
    )
    store.apply_updates([ok])
    failed = FeedUpdate(feed.id, 2.0, status=500, error="HTTP 500")
    store.apply_updates([failed])
    row = store.feed_by_url(feed.url)
    assert row is not None
    assert (row.etag, row.last_modified, row.last_error) == (
        '"v1"',
        "Mon, 02 Nov 2026 10:00:00 GMT",
        "HTTP 500",
    )
    # a 304 keeps the stored validators
    store.apply_updates([FeedUpdate(feed.id, 3.0, status=304, not_modified=True)])
    row = store.feed_by_url(feed.url)
    assert row is not None and row.etag == '"v1"' and row.last_error == ""


def test_permanent_move_updates_the_url(store: Store) -> None:
    feed = store.add_feed("https://a.example/old")
    store.apply_updates([FeedUpdate(feed.id, 1.0, status=200, new_url="https://a.example/new")])
    assert store.feed_by_url("https://a.example/new") is not None
    assert store.feed_by_url("https://a.example/old") is None


def test_a_snapshot_reads_agree_while_another_connection_commits(store: Store) -> None:
    """The headline list reads a view's count, an entry's position and its page in one
    snapshot: entries a refresh commits meanwhile (from its own connection) must not shift
    the rows under the cursor."""
    feed = store.add_feed("https://a.example/feed")
    older = ParsedEntry(guid="old", link="https://a.example/old", title="Old", published=100.0)
    store.apply_updates([feed_update(feed.id, older)])
    (row,) = store.list_entries()
    query = EntryQuery()
    with Store(Path(store.path)) as writer, store.snapshot():
        assert store.view_count(query) == 1
        newer = ParsedEntry(guid="new", link="https://a.example/new", title="New", published=200.0)
        writer.apply_updates([feed_update(feed.id, newer)])  # committed by another connection
        assert store.view_count(query) == 1
        assert store.view_position(query, row.id) == 0
    assert store.view_count(query) == 2
    assert store.view_position(query, row.id) == 1  # the newer entry sorts above it


def test_connections_setting_up_a_new_database_at_once_all_open(tmp_path: Path) -> None:
    """Switching a new database to WAL can answer "database is locked" at once (SQLite skips
    its busy wait where it could deadlock): the reader's threads on a first start, or two
    processes, must still all open it. Without the retry, 3 openers failed 9 times in 200."""
    for round_ in range(60):
        path = tmp_path / f"new{round_}.db"
        errors: list[Exception] = []

        def open_it(path: Path = path, errors: list[Exception] = errors) -> None:
            try:
                with Store(path) as store:
                    store.list_feeds()
            except Exception as exc:
                errors.append(exc)

        threads = [threading.Thread(target=open_it) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
