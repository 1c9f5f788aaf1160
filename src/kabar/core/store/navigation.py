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
from kabar.core.store.entries import ENTRY_COLUMNS, entry_row

SortKey = tuple[float, int]
"""An entry's place in date order: (sort_date, id); id breaks ties between equal dates."""


@dataclass(frozen=True, slots=True)
class ViewQuery:
    """Which entries a headline view shows, and in which order.

    `keep` lists entries that stay in an unread-only view although they are read now: an
    entry the reader just opened must not vanish from under the cursor (it goes when the
    view is next entered afresh).
    """

    feed_id: int | None = None
    feed_ids: tuple[int, ...] | None = None  # a tag's feeds
    folder: str | None = None
    unread_only: bool = False
    saved_only: bool = False
    oldest_first: bool = False
    keep: frozenset[int] = frozenset()


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
        order = _order(query, reverse=from_end)
        rows = self._rows(f"{where} ORDER BY {order} LIMIT ? OFFSET ?", (*params, limit, offset))
        return rows[::-1] if from_end else rows

    def view_rows_after(self, query: ViewQuery, key: SortKey, limit: int) -> list[EntryRow]:
        """Up to `limit` rows that follow the entry at `key` in view order."""
        where, params = self._view_where(query, _after(query, forward=True), key)
        return self._rows(f"{where} ORDER BY {_order(query)} LIMIT ?", (*params, limit))

    def view_rows_before(self, query: ViewQuery, key: SortKey, limit: int) -> list[EntryRow]:
        """Up to `limit` rows that precede the entry at `key`, returned in view order."""
        where, params = self._view_where(query, _after(query, forward=False), key)
        order = _order(query, reverse=True)
        return self._rows(f"{where} ORDER BY {order} LIMIT ?", (*params, limit))[::-1]

    def view_position(self, query: ViewQuery, entry_id: int) -> int | None:
        """The entry's index in the view, or None when the view does not show it."""
        where, params = self._view_where(query)
        found = self.conn.execute(
            f"SELECT e.sort_date FROM entries e {where} AND e.id = ?", (*params, entry_id)
        ).fetchone()
        if found is None:
            return None
        where, params = self._view_where(query, _after(query, forward=False), (found[0], entry_id))
        return int(
            self.conn.execute(f"SELECT count(*) FROM entries e {where}", params).fetchone()[0]
        )

    def neighbour_unread(
        self, query: ViewQuery, key: SortKey | None, *, forward: bool = True
    ) -> EntryRow | None:
        """The first unread entry after (or before) `key` in the view; from the top (or the
        bottom) when `key` is None."""
        unread = ViewQuery(
            query.feed_id, query.feed_ids, query.folder, True, query.saved_only, query.oldest_first
        )
        if key is None:
            where, params = self._view_where(unread)
        else:
            where, params = self._view_where(unread, _after(unread, forward=forward), key)
        rows = self._rows(
            f"{where} ORDER BY {_order(unread, reverse=not forward)} LIMIT 1", (*params,)
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

    def mark_view_read(self, query: ViewQuery) -> list[int]:
        """Mark every unread entry of a view read; returns their ids (for undo)."""
        unread = ViewQuery(query.feed_id, query.feed_ids, query.folder, True, query.saved_only)
        where, params = self._view_where(unread)
        ids = [int(r[0]) for r in self.conn.execute(f"SELECT e.id FROM entries e {where}", params)]
        with self.transaction() as conn:
            conn.executemany("UPDATE entries SET read = 1 WHERE id = ?", [(i,) for i in ids])
        return ids

    def _rows(self, tail: str, params: tuple[object, ...]) -> list[EntryRow]:
        sql = f"SELECT {ENTRY_COLUMNS} FROM entries e JOIN feeds f ON f.id = e.feed_id {tail}"
        return [entry_row(r) for r in self.conn.execute(sql, params)]

    def _view_where(
        self, query: ViewQuery, extra: str = "", key: SortKey | None = None
    ) -> tuple[str, tuple[object, ...]]:
        clauses: list[str] = []
        params: list[object] = []
        if query.feed_id is not None:
            clauses.append("e.feed_id = ?")
            params.append(query.feed_id)
        if query.feed_ids is not None:
            clauses.append(f"e.feed_id IN ({','.join('?' * len(query.feed_ids))})")
            params.extend(query.feed_ids)
        if query.folder is not None:
            clauses.append("e.feed_id IN (SELECT id FROM feeds WHERE folder = ?)")
            params.append(query.folder)
        if query.unread_only:
            if query.keep:
                clauses.append(f"(e.read = 0 OR e.id IN ({','.join('?' * len(query.keep))}))")
                params.extend(sorted(query.keep))
            else:
                clauses.append("e.read = 0")
        if query.saved_only:
            clauses.append("e.saved = 1")
        if self._has_removed_feeds():
            clauses.append(
                "(e.saved = 1 OR e.feed_id NOT IN (SELECT id FROM feeds WHERE removed IS NOT NULL))"
            )
        if extra and key is not None:
            clauses.append(extra)
            params.extend((key[0], key[0], key[1]))
        return "WHERE " + (" AND ".join(clauses) or "1"), tuple(params)

    def _has_removed_feeds(self) -> bool:
        return (
            self.conn.execute("SELECT 1 FROM feeds WHERE removed IS NOT NULL LIMIT 1").fetchone()
            is not None
        )


def _order(query: ViewQuery, *, reverse: bool = False) -> str:
    ascending = query.oldest_first != reverse
    direction = "ASC" if ascending else "DESC"
    return f"e.sort_date {direction}, e.id {direction}"


def _after(query: ViewQuery, *, forward: bool) -> str:
    """The condition "comes after the key in view order" (or before, when not `forward`),
    written as a range on sort_date so that SQLite walks the date index."""
    later_in_time = query.oldest_first == forward
    if later_in_time:
        return "e.sort_date >= ? AND (e.sort_date > ? OR e.id > ?)"
    return "e.sort_date <= ? AND (e.sort_date < ? OR e.id < ?)"
