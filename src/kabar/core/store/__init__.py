"""The SQLite store: feeds, entries, read/saved state and extracted articles.

What the rest of Kabar uses is exported here; the modules beside it are private. Every list
of entries (the CLI's, the reader's views, search's filters) is one `EntryQuery`, turned
into SQL by one builder, `entry_where`.
"""

from kabar.core.store.database import Store, StoredCounts, open_store
from kabar.core.store.navigation import FeedState, ViewQuery
from kabar.core.store.query import EntryQuery, SortKey, entry_where

__all__ = [
    "EntryQuery",
    "FeedState",
    "SortKey",
    "Store",
    "StoredCounts",
    "ViewQuery",
    "entry_where",
    "open_store",
]
