"""The SQLite store: feeds, entries, read/saved state and extracted articles."""

from kabar.core.store.database import EntryFilter, Store, open_store

__all__ = ["EntryFilter", "Store", "open_store"]
