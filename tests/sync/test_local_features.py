"""Full text, saving and search work on synced entries exactly as on local ones: each
goes through the same core path (and a save made here stars the item on the server)."""

from __future__ import annotations

from pathlib import Path

from kabar.core.config.profile import load_profile
from kabar.core.library import Library
from kabar.core.store import EntryQuery
from kabar.core.sync import sync
from kabar.core.sync.client import STARRED
from tests.sync.conftest import ServerSide


def _synced_entry(side: ServerSide, title: str) -> int:
    profile = load_profile()
    assert sync(profile.paths.database, profile.config).error == ""
    with profile.open_store() as store:
        rows = store.list_entries(EntryQuery(), limit=100)
    return next(r.id for r in rows if r.title == title)


def test_full_text_of_a_synced_entry(server_side: ServerSide, sync_home: Path) -> None:
    server_side.feeds.story_page(1, 2)
    entry_id = _synced_entry(server_side, "Feed 1 story 2")
    profile = load_profile()
    with Library(profile.paths, profile.config) as library:
        article = library.fetch_full_text(entry_id)
    text = " ".join(str(block) for block in article.blocks)
    assert "Paragraph 5 of the full story 2 of feed 1" in text
    with profile.open_store() as store:
        detail = store.get_entry(entry_id)
        assert detail is not None and detail.full_text  # stored beside the entry


def test_saving_a_synced_entry_keeps_images_and_stars_it_on_the_server(
    server_side: ServerSide, sync_home: Path
) -> None:
    server_side.feeds.story_page(0, 3)
    entry_id = _synced_entry(server_side, "Feed 0 story 3")
    profile = load_profile()
    with Library(profile.paths, profile.config) as library:
        result = library.save(entry_id)
    assert result.saved and result.full_text and result.images == 1
    with profile.open_store() as store:
        assert store.queue_length() == 1
    assert sync(profile.paths.database, profile.config).error == ""
    assert len(server_side.admin.item_ids(STARRED)) == 1
    with profile.open_store() as store:
        assert store.list_entries(EntryQuery(saved_only=True))[0].id == entry_id


def test_search_finds_synced_entries(server_side: ServerSide, sync_home: Path) -> None:
    entry_id = _synced_entry(server_side, "Feed 2 story 3")
    with load_profile().open_store() as store:
        store.index_all()
        found = store.search("lanterns glow3 feed:Fixture")
    assert [r.id for r in found if r.title == "Feed 2 story 3"] == [entry_id]
