"""The child of the crash test: refreshes and saves in a loop until it is killed."""

from __future__ import annotations

from pathlib import Path

from kabar.core.config.settings import Config
from kabar.core.feeds.refresh import refresh_sync
from kabar.core.library.saving import save_entry, unsave_entry
from kabar.core.store import Store


def refresh_forever(db_path: Path, saved_ids: list[int]) -> None:
    config = Config()
    turn = 0
    while True:
        turn += 1
        refresh_sync(db_path, config)
        with Store(db_path) as store:
            rows = [r for r in store.list_entries(limit=20) if r.id not in saved_ids]
        if rows:
            # save and unsave entries the test did not save, to exercise those writes too
            entry = rows[turn % len(rows)]
            if turn % 2:
                save_entry(db_path, config, entry.id)
            else:
                unsave_entry(db_path, entry.id)
