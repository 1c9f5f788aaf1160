"""The child of the crash test: refreshes and saves in a loop until it is killed."""

from __future__ import annotations

from kabar.core.config.paths import Paths
from kabar.core.config.settings import Config
from kabar.core.feeds.refresh import refresh_sync
from kabar.core.library import Library
from kabar.core.store import Store


def refresh_forever(paths: Paths, saved_ids: list[int]) -> None:
    config = Config()
    db_path = paths.database
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
                with Library(paths, config) as library:
                    library.save(entry.id)
            else:
                with Library(paths, config) as library:
                    library.unsave(entry.id)
