"""Two-way sync against a real FreshRSS: first sync, changes on either side, conflicts."""

from __future__ import annotations

from pathlib import Path

from kabar.core.profile import load_profile
from kabar.core.store import EntryFilter, Store
from kabar.core.sync import sync
from kabar.core.sync.client import READ, READING_LIST, STARRED
from tests.sync.conftest import FOLDERS, ServerSide


def _sync(home: Path) -> tuple[Store, str]:
    profile = load_profile()
    summary = sync(profile.paths.database, profile.config)
    assert summary.error == ""
    return profile.open_store(), summary.line()


def _by_title(store: Store) -> dict[str, tuple[bool, bool]]:
    rows = store.list_entries(EntryFilter(), limit=10_000)
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
