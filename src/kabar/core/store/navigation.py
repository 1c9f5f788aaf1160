"""Queries the reader's movement needs beyond plain lists (owned by the TUI work).

The headline list is a window onto views of up to hundreds of thousands of entries, so
these queries are shaped for SQLite's indexes rather than for brevity:

- counting and positioning touch only the `entries` table (its date index covers them);
  the join to `feeds` is made only to fetch the rows a page shows, and the "removed
  feed" condition is added only when some feed is in fact removed;
- pages next to a page already read are fetched by key (`sort_date, id` after or before
  the neighbour's edge row), never by a deep OFFSET, so j/k costs the same at row 90,000
  as at row 10; a jump (G, a scrollbar drag) counts from whichever end is nearer.
"""

from __future__ import annotations

from dataclasses import dataclass

from kabar.core.models import EntryRow
from kabar.core.store.base import StoreBase
from kabar.core.store.query import (
    ENTRY_COLUMNS,
    EntryQuery,
    SortKey,
    entry_row,
    entry_where,
    order_after,
    order_by,
)

ViewQuery = EntryQuery
"""The entry query's name in the reader (one type: `query.EntryQuery`)."""

__all__ = ["FeedState", "NavigationQueries", "SortKey", "ViewQuery"]


@dataclass(frozen=True, slots=True)
class FeedState:
    title: str
    last_error: str
    disabled: str


class NavigationQueries(StoreBase):
    """Counts, pages, positions and next/previous unread for `ViewQuery` views."""

    def view_count(self, query: ViewQuery) -> int:
        where, params = self._view_where(query)
        return int(
            self.conn.execute(f"SELECT count(*) FROM entries e {where}", params).fetchone()[0]
        )

    def view_rows(
        self, query: ViewQuery, limit: int, offset: int = 0, *, from_end: bool = False
    ) -> list[EntryRow]:
        """Rows by offset in view order; `from_end` counts the offset from the last row (a
        jump near the bottom then costs as little as one near the top)."""
        where, params = self._view_where(query)
        order = order_by(query, reverse=from_end)
        rows = self._rows(f"{where} ORDER BY {order} LIMIT ? OFFSET ?", (*params, limit, offset))
        return rows[::-1] if from_end else rows

    def view_rows_after(self, query: ViewQuery, key: SortKey, limit: int) -> list[EntryRow]:
        """Up to `limit` rows that follow the entry at `key` in view order."""
        where, params = self._view_where(query, order_after(query, forward=True), key)
        return self._rows(f"{where} ORDER BY {order_by(query)} LIMIT ?", (*params, limit))

    def view_rows_before(self, query: ViewQuery, key: SortKey, limit: int) -> list[EntryRow]:
        """Up to `limit` rows that precede the entry at `key`, returned in view order."""
        where, params = self._view_where(query, order_after(query, forward=False), key)
        order = order_by(query, reverse=True)
        return self._rows(f"{where} ORDER BY {order} LIMIT ?", (*params, limit))[::-1]

    def view_position(self, query: ViewQuery, entry_id: int) -> int | None:
        """The entry's index in the view, or None when the view does not show it."""
        where, params = self._view_where(query)
        found = self.conn.execute(
            f"SELECT e.sort_date FROM entries e {where} AND e.id = ?", (*params, entry_id)
        ).fetchone()
        if found is None:
            return None
        where, params = self._view_where(
            query, order_after(query, forward=False), (found[0], entry_id)
        )
        return int(
            self.conn.execute(f"SELECT count(*) FROM entries e {where}", params).fetchone()[0]
        )

    def neighbour_unread(
        self, query: ViewQuery, key: SortKey | None, *, forward: bool = True
    ) -> EntryRow | None:
        """The first unread entry after (or before) `key` in the view; from the top (or the
        bottom) when `key` is None."""
        unread = query.unread()
        if key is None:
            where, params = self._view_where(unread)
        else:
            where, params = self._view_where(unread, order_after(unread, forward=forward), key)
        rows = self._rows(
            f"{where} ORDER BY {order_by(unread, reverse=not forward)} LIMIT 1", (*params,)
        )
        return rows[0] if rows else None

    def unread_counts(self, feed_ids: list[int] | None = None) -> dict[int, int]:
        """Unread entries per feed (all feeds, or only these), from the partial unread index:
        a fraction of the cost of `list_feeds`, so the feed list can follow a refresh."""
        if feed_ids is None:
            rows = self.conn.execute(
                "SELECT f.id, (SELECT count(*) FROM entries e "
                "WHERE e.feed_id = f.id AND e.read = 0) FROM feeds f"
            )
        else:
            marks = ",".join("?" * len(feed_ids))
            rows = self.conn.execute(
                f"SELECT feed_id, count(*) FROM entries WHERE read = 0 AND feed_id IN ({marks}) "
                "GROUP BY feed_id",
                feed_ids,
            )
        counts = {int(feed_id): 0 for feed_id in feed_ids or []}
        counts.update({int(feed_id): int(count) for feed_id, count in rows})
        return counts

    def saved_count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM entries WHERE saved = 1").fetchone()[0])

    def feed_states(self, feed_ids: list[int]) -> dict[int, FeedState]:
        """What a refresh may change about these feeds besides their entries."""
        marks = ",".join("?" * len(feed_ids))
        rows = self.conn.execute(
            f"SELECT id, title, last_error, disabled FROM feeds WHERE id IN ({marks})", feed_ids
        )
        return {int(r[0]): FeedState(str(r[1]), str(r[2]), str(r[3])) for r in rows}

    def _rows(self, tail: str, params: tuple[object, ...]) -> list[EntryRow]:
        sql = f"SELECT {ENTRY_COLUMNS} FROM entries e JOIN feeds f ON f.id = e.feed_id {tail}"
        return [entry_row(r) for r in self.conn.execute(sql, params)]

    def _view_where(
        self, query: ViewQuery, after: str = "", key: SortKey | None = None
    ) -> tuple[str, tuple[object, ...]]:
        return entry_where(query, removed_feeds=self._has_removed_feeds(), after=after, key=key)

    def _has_removed_feeds(self) -> bool:
        return (
            self.conn.execute("SELECT 1 FROM feeds WHERE removed IS NOT NULL LIMIT 1").fetchone()
            is not None
        )
