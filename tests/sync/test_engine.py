"""Two-way sync against a real FreshRSS: first sync, changes on either side, conflicts."""

from __future__ import annotations

from pathlib import Path

from kabar.core.config.profile import load_profile
from kabar.core.store import EntryQuery, Store
from kabar.core.sync import sync
from kabar.core.sync.client import READ, READING_LIST, STARRED
from tests.sync.conftest import FOLDERS, ServerSide


def _sync(home: Path) -> tuple[Store, str]:
    profile = load_profile()
    summary = sync(profile.paths.database, profile.config)
    assert summary.error == ""
    return profile.open_store(), summary.line()


def _by_title(store: Store) -> dict[str, tuple[bool, bool]]:
    rows = store.list_entries(EntryQuery(), limit=10_000)
    return {r.title: (r.read, r.saved) for r in rows}


def _server_item(side: ServerSide, title: str) -> int:
    ids = side.admin.item_ids(READING_LIST)
    for batch in side.admin.contents(ids):
        for item in batch:
            if item.entry.title == title:
                return item.id
    raise AssertionError(title)


def test_first_sync_brings_every_feed_folder_entry_and_state(
    server_side: ServerSide, sync_home: Path
) -> None:
    side = server_side
    side.admin.edit_tag([_server_item(side, "Feed 0 story 1")], add=READ)
    side.admin.edit_tag([_server_item(side, "Feed 2 story 3")], add=STARRED)
    store, line = _sync(sync_home)
    with store:
        feeds = store.list_feeds()
        assert sorted(f.url for f in feeds) == sorted(side.feeds.url(i) for i in FOLDERS)
        assert {f.url: f.folder for f in feeds} == {
            side.feeds.url(i): folder for i, folder in FOLDERS.items()
        }
        assert all(f.title.startswith("Fixture feed") for f in feeds)
        states = _by_title(store)
        assert len(states) == 12
        assert states["Feed 0 story 1"] == (True, False)
        assert states["Feed 2 story 3"] == (False, True)
        assert sum(read for read, _ in states.values()) == 1
        assert store.queue_length() == 0
    assert "12 new entries" in line


def test_server_side_changes_arrive_at_the_next_sync(
    server_side: ServerSide, sync_home: Path
) -> None:
    side = server_side
    store, _ = _sync(sync_home)
    store.close()
    side.admin.edit_tag([_server_item(side, "Feed 0 story 0")], add=READ)
    side.admin.edit_tag([_server_item(side, "Feed 1 story 2")], add=STARRED)
    gone = next(s for s in side.admin.subscriptions() if s.url == side.feeds.url(2))
    side.admin.edit_subscription(gone.stream_id, "unsubscribe")
    side.feeds.add_items(0, 2)
    side.freshrss.actualize()
    store, line = _sync(sync_home)
    with store:
        states = _by_title(store)
        assert states["Feed 0 story 0"] == (True, False)
        assert states["Feed 1 story 2"] == (False, True)
        assert states["Feed 0 story 5"] == (False, False)  # new after the server's refresh
        assert not any(t.startswith("Feed 2") for t in states)
        assert side.feeds.url(2) not in {f.url for f in store.list_feeds()}
        assert len(states) == 10
    assert "2 new entries" in line


def test_local_changes_reach_the_server_in_batches(
    server_side: ServerSide, sync_home: Path
) -> None:
    side = server_side
    store, _ = _sync(sync_home)
    with store:
        rows = {r.title: r for r in store.list_entries(EntryQuery(), limit=100)}
        store.set_read([rows["Feed 0 story 0"].id, rows["Feed 0 story 1"].id])
        store.set_saved([rows["Feed 1 story 0"].id])
        feed2 = next(f for f in store.list_feeds() if f.url == side.feeds.url(2))
        store.mark_view_read(EntryQuery(feed_id=feed2.id))
        assert store.queue_length() == 7  # queued at once, nothing sent yet
    assert len(side.admin.item_ids(READING_LIST, exclude=READ)) == 12
    store, _ = _sync(sync_home)
    with store:
        assert store.queue_length() == 0
        assert _by_title(store)["Feed 0 story 0"] == (True, False)  # the server agrees now
    unread = set(side.admin.item_ids(READING_LIST, exclude=READ))
    assert len(unread) == 12 - 2 - 4
    assert set(side.admin.item_ids(STARRED)) == {_server_item(side, "Feed 1 story 0")}


def test_a_queued_local_change_wins_over_the_server_state_it_was_based_on(
    server_side: ServerSide, sync_home: Path
) -> None:
    side = server_side
    store, _ = _sync(sync_home)
    item = _server_item(side, "Feed 0 story 2")
    other = _server_item(side, "Feed 0 story 3")
    # Meanwhile, another device marks both read; here, the first is saved and marked
    # unread again (queued, not yet sent).
    side.admin.edit_tag([item, other], add=READ)
    with store:
        rows = {r.title: r for r in store.list_entries(EntryQuery(), limit=100)}
        store.set_read([rows["Feed 0 story 2"].id], False)
        store.set_saved([rows["Feed 0 story 2"].id], True)
    store, _ = _sync(sync_home)
    with store:
        states = _by_title(store)
        assert states["Feed 0 story 2"] == (False, True)  # the local change won
        assert states["Feed 0 story 3"] == (True, False)  # no local change: server wins
    assert item in side.admin.item_ids(READING_LIST, exclude=READ)
    assert item in side.admin.item_ids(STARRED)


def test_server_down_the_queue_waits_and_drains_after_a_restart(
    server_side: ServerSide, sync_home: Path
) -> None:
    side = server_side
    store, _ = _sync(sync_home)
    side.freshrss.stop()
    with store:
        ids = [r.id for r in store.list_entries(EntryQuery(), limit=3)]
        store.set_saved(ids)
    profile = load_profile()
    down = sync(profile.paths.database, profile.config)
    assert "cannot reach sync server" in down.error
    assert "\n" not in down.error
    with profile.open_store() as store:
        assert store.queue_length() == 3
        assert store.sync_state()["last_error"] == down.error
        assert len(store.list_entries(EntryQuery(), limit=100)) == 12  # the cache is intact
    side.freshrss.start()  # same data folder, same port
    store, _ = _sync(sync_home)
    with store:
        assert store.queue_length() == 0
        assert store.sync_state()["last_error"] == ""
    assert len(side.admin.item_ids(STARRED)) == 3


def test_removing_the_sync_table_returns_to_local_feeds_keeping_saved(
    server_side: ServerSide, sync_home: Path, monkeypatch: object
) -> None:
    store, _ = _sync(sync_home)
    with store:
        first = store.list_entries(EntryQuery(), limit=1)[0]
        store.set_saved([first.id])
    (sync_home / "config" / "config.toml").write_text("", encoding="utf-8")
    with load_profile().open_store() as store:
        assert store.sync_state() == {}
        feeds = store.list_feeds()
        assert len(feeds) == 3  # now local feeds, fetched by Kabar itself
        assert store.local_feed_urls() == [f.url for f in sorted(feeds, key=lambda f: f.id)]
        kept = store.list_entries(EntryQuery(), limit=100)
        assert [(r.title, r.saved) for r in kept] == [(first.title, True)]
        assert store.queue_length() == 0
