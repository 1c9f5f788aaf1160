"""Entries the server no longer has (FreshRSS purged them): kept if saved, otherwise they
stay until Kabar's own retention removes them, and are never fetched twice."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kabar.cli.main import main
from kabar.core.config.profile import load_profile
from kabar.core.store import EntryQuery
from kabar.core.sync.client import STARRED
from tests.sync.conftest import ServerSide


def _purge_on_server(side: ServerSide, item_ids: list[int]) -> None:
    """Delete items from FreshRSS's own database, as its purge does."""
    with sqlite3.connect(side.freshrss.user_db) as db:
        db.executemany("DELETE FROM entry WHERE id = ?", [(i,) for i in item_ids])
    db.close()


def test_purged_entries_are_kept_if_saved_and_follow_retention_otherwise(
    server_side: ServerSide, sync_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    side = server_side
    assert main(["refresh", "-q"]) == 0
    profile = load_profile()
    with profile.open_store() as store:
        rows = {r.title: r for r in store.list_entries(EntryQuery(), limit=100)}
    with sqlite3.connect(profile.paths.database) as db:  # the server's id of each entry
        items = dict(db.execute("SELECT entry_id, item_id FROM sync_items").fetchall())
    db.close()
    kept, gone = rows["Feed 0 story 1"], rows["Feed 0 story 0"]
    assert main(["mark", "saved", str(kept.id)]) == 0
    assert main(["refresh", "-q"]) == 0
    assert side.admin.item_ids(STARRED) == [items[kept.id]]

    _purge_on_server(side, [items[kept.id], items[gone.id]])
    assert side.admin.item_ids(STARRED) == []
    assert main(["refresh", "-q"]) == 0
    with profile.open_store() as store:
        after = {r.id: r for r in store.list_entries(EntryQuery(), limit=100)}
        assert store.count_entries() == 12  # nothing removed, nothing fetched twice
    assert after[kept.id].saved and after[kept.id].read  # saved: still saved (and read)
    assert after[gone.id].read and not after[gone.id].saved  # not on the server: read

    # Retention: at most 3 entries per feed, unread and saved kept. Feed 0 has four; the
    # purged unsaved one (now read) goes, the saved one stays.
    config = sync_home / "config" / "config.toml"
    config.write_text(
        "[general]\nmax_entries_per_feed = 3\n" + config.read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    assert main(["refresh", "-q"]) == 0
    with load_profile().open_store() as store:
        left = {r.id: r for r in store.list_entries(EntryQuery(), limit=100)}
        assert store.count_entries() == 11
    assert gone.id not in left
    assert left[kept.id].saved
    assert main(["refresh", "-q"]) == 0  # and the next sync brings back neither
    with load_profile().open_store() as store:
        assert store.count_entries() == 11
        assert store.list_entries(EntryQuery(saved_only=True))[0].id == kept.id
