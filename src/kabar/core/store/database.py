"""The Store: one SQLite connection and the queries Kabar needs.

One Store (one connection) per thread. Writes happen in short explicit transactions; a
refresh writes all its feeds in one batch so SQLite syncs once, not once per entry. WAL
mode lets the TUI keep reading while a refresh writes. The queries live in mixins by
subject: feeds, entries, refresh updates, articles.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from kabar.core.emptied import emptied_message, emptied_with_copies
from kabar.core.errors import StoreError, database_error, is_damage
from kabar.core.store.entries import EntryQueries
from kabar.core.store.extracts import ArticleQueries
from kabar.core.store.feedrows import FeedQueries
from kabar.core.store.keeping import KeepingQueries
from kabar.core.store.migrations import SCHEMA_VERSION, migrate, schema_version
from kabar.core.store.navigation import NavigationQueries
from kabar.core.store.search import SearchQueries
from kabar.core.store.syncing import SyncQueries
from kabar.core.store.updates import StoredCounts, UpdateWriter

__all__ = ["Store", "StoredCounts", "open_store"]

BUSY_TIMEOUT = 15.0  # seconds a connection waits for another's write lock


def open_store(path: Path | str) -> Store:
    """Open (creating and migrating as needed) the database at `path`."""
    return Store(path)


def _read_only_folder(path: Path) -> bool:
    folder = path.parent if str(path.parent) else Path(".")
    return path.exists() and not os.access(folder, os.W_OK)


class Store(
    FeedQueries,
    EntryQueries,
    UpdateWriter,
    ArticleQueries,
    SearchQueries,
    KeepingQueries,
    NavigationQueries,
    SyncQueries,
):
    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        copies = emptied_with_copies(Path(path))
        if copies:  # a lost database, not a new profile: never build over it silently
            raise StoreError(emptied_message(Path(path), copies))
        self.read_only = False
        try:
            conn = self._open()
        except sqlite3.DatabaseError as exc:
            if is_damage(exc) or not _read_only_folder(Path(path)):
                raise database_error(self.path, exc) from exc
            conn = self._open_read_only(exc)
        self.conn = conn

    def _open(self) -> sqlite3.Connection:
        """Connect, switch to WAL and migrate. Two connections setting up a new database at
        once can get "database is locked" at once, without SQLite's busy wait (it would
        risk a deadlock): the later one tries again for as long as the busy timeout."""
        deadline = time.monotonic() + BUSY_TIMEOUT
        pause = 0.005
        while True:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT, isolation_level=None)
            try:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                conn.execute("PRAGMA foreign_keys = ON")
                migrate(conn)
                return conn
            except sqlite3.OperationalError as exc:
                conn.close()
                if "locked" not in str(exc) or time.monotonic() + pause > deadline:
                    raise
            except BaseException:
                conn.close()
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.2)

    def _open_read_only(self, cause: sqlite3.DatabaseError) -> sqlite3.Connection:
        """In a folder Kabar cannot write, the database can still be read: reading works,
        and each write fails with the one-line read-only message."""
        uri = Path(self.path).absolute().as_uri()
        for mode in ("mode=ro", "immutable=1"):  # immutable: no WAL index can be made here
            conn = sqlite3.connect(f"{uri}?{mode}", uri=True, isolation_level=None)
            try:
                if schema_version(conn) == SCHEMA_VERSION:
                    self.read_only = True
                    return conn
            except sqlite3.DatabaseError:
                pass
            conn.close()
        raise database_error(self.path, cause) from cause

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
