"""The Store: one SQLite connection and the queries Kabar needs.

One Store (one connection) per thread. Writes happen in short explicit transactions; a
refresh writes all its feeds in one batch so SQLite syncs once, not once per entry. WAL
mode lets the TUI keep reading while a refresh writes. The queries live in mixins by
subject: feeds, entries, refresh updates, articles.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kabar.core.errors import StoreError, database_error
from kabar.core.savedcopies import emptied_message, emptied_with_copies
from kabar.core.store.articles import ArticleQueries
from kabar.core.store.entries import EntryFilter, EntryQueries
from kabar.core.store.feeds import FeedQueries
from kabar.core.store.keeping import KeepingQueries
from kabar.core.store.migrations import migrate
from kabar.core.store.navigation import NavigationQueries
from kabar.core.store.search import SearchQueries
from kabar.core.store.updates import StoredCounts, UpdateWriter

__all__ = ["EntryFilter", "Store", "StoredCounts", "open_store"]


def open_store(path: Path | str) -> Store:
    """Open (creating and migrating as needed) the database at `path`."""
    return Store(path)


class Store(
    FeedQueries,
    EntryQueries,
    UpdateWriter,
    ArticleQueries,
    SearchQueries,
    KeepingQueries,
    NavigationQueries,
):
    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        copies = emptied_with_copies(Path(path))
        if copies:  # a lost database, not a new profile: never build over it silently
            raise StoreError(emptied_message(Path(path), copies))
        try:
            self.conn = sqlite3.connect(self.path, timeout=15.0, isolation_level=None)
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
            self.conn.execute("PRAGMA foreign_keys = ON")
            migrate(self.conn)
        except sqlite3.DatabaseError as exc:
            raise database_error(self.path, exc) from exc

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
