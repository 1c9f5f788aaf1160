"""The reader's views read out a page at a time: what the headline list, the feed list's
counts and the next-unread search need, on the calling thread's connection.

A view is a `ViewQuery` (a feed, a folder, a tag's feeds, unread or saved only, oldest
first); rows are read by offset or, next to a page already read, by the sort key of its
edge row (cheap at any depth). Reads that must agree (a count and the page at the cursor)
go inside one `snapshot`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager

from kabar.core.models import EntryRow
from kabar.core.store import FeedState, SortKey, Store, ViewQuery


class Headlines:
    """The view reads of one Library (`Library.headlines`)."""

    def __init__(self, store: Callable[[], Store]) -> None:
        self._store = store  # this thread's connection, as the Library hands it out

    def snapshot(self) -> AbstractContextManager[sqlite3.Connection]:
        """One read transaction: the reads inside it see the same rows (a refresh that
        commits meanwhile is seen by the next snapshot)."""
        return self._store().snapshot()

    def count(self, query: ViewQuery) -> int:
        return self._store().view_count(query)

    def page(
        self, query: ViewQuery, limit: int, offset: int = 0, *, from_end: bool = False
    ) -> list[EntryRow]:
        """`limit` rows of a view from `offset` (counted from the last row with `from_end`)."""
        return self._store().view_rows(query, limit, offset, from_end=from_end)

    def after(self, query: ViewQuery, key: SortKey, limit: int) -> list[EntryRow]:
        """The rows after the row with this sort key (the next page, read by key)."""
        return self._store().view_rows_after(query, key, limit)

    def before(self, query: ViewQuery, key: SortKey, limit: int) -> list[EntryRow]:
        """The rows before the row with this sort key (the page before, read by key)."""
        return self._store().view_rows_before(query, key, limit)

    def position(self, query: ViewQuery, entry_id: int) -> int | None:
        """Where an entry is in a view (None: not in it)."""
        return self._store().view_position(query, entry_id)

    def next_unread(
        self, query: ViewQuery, after: SortKey | None, *, forward: bool = True
    ) -> EntryRow | None:
        """The first unread entry of a view after (or before) a sort key, or from its start."""
        return self._store().neighbour_unread(query, after, forward=forward)

    def unread_counts(self, feed_ids: list[int] | None = None) -> dict[int, int]:
        """Unread entries per feed (of these feeds, or of every feed)."""
        return self._store().unread_counts(feed_ids)

    def saved_count(self) -> int:
        return self._store().saved_count()

    def feed_states(self, feed_ids: list[int]) -> dict[int, FeedState]:
        """How each feed's last refresh went (for the feed list's marks)."""
        return self._store().feed_states(feed_ids)
