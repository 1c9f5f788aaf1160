"""The rows behind the headline list: a view read from SQLite a page at a time, or a
fixed list of search results.

Pages are kept in a small LRU cache. A page next to a cached one is read by key from its
neighbour's edge row (cheap at any depth); a page reached by a jump is read by offset
from the nearer end. Nothing here knows about Textual.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import replace
from typing import Protocol

from kabar.core.library import Headlines, SortKey, ViewQuery
from kabar.core.models import EntryRow

PAGE = 200
MAX_PAGES = 64


def sort_key(row: EntryRow) -> SortKey:
    return (row.sort_date, row.id)


class EntrySource(Protocol):
    """What the headline list needs from its rows."""

    @property
    def count(self) -> int: ...

    def row(self, index: int) -> EntryRow | None: ...

    def position(self, entry_id: int) -> int | None: ...

    def replace_row(self, row: EntryRow) -> int | None: ...


class EntryPages:
    """One view's rows, by index, fetched on demand."""

    def __init__(self, headlines: Headlines, query: ViewQuery) -> None:
        self.headlines = headlines
        self.query = query
        self.count = headlines.count(query)
        self.cache: OrderedDict[int, list[EntryRow]] = OrderedDict()

    def row(self, index: int) -> EntryRow | None:
        if not 0 <= index < self.count:
            return None
        page, offset = divmod(index, PAGE)
        rows = self._page(page)
        return rows[offset] if offset < len(rows) else None

    def position(self, entry_id: int) -> int | None:
        for page, rows in self.cache.items():
            for offset, row in enumerate(rows):
                if row.id == entry_id:
                    return page * PAGE + offset
        return self.headlines.position(self.query, entry_id)

    def replace_row(self, row: EntryRow) -> int | None:
        """Put a changed row (read or saved flag) in place; returns its index if cached.

        A row read in an unread-only view is kept in the view (see `ViewQuery.keep`), so
        the pages still to be read line up with the ones already cached.
        """
        if row.read and self.query.unread_only and row.id not in self.query.keep:
            self.query = replace(self.query, keep=self.query.keep | {row.id})
        for page, rows in self.cache.items():
            for offset, cached in enumerate(rows):
                if cached.id == row.id:
                    rows[offset] = row
                    return page * PAGE + offset
        return None

    def _page(self, page: int) -> list[EntryRow]:
        rows = self.cache.get(page)
        if rows is not None:
            self.cache.move_to_end(page)
            return rows
        rows = self._fetch(page)
        self.cache[page] = rows
        if len(self.cache) > MAX_PAGES:
            self.cache.popitem(last=False)
        return rows

    def _fetch(self, page: int) -> list[EntryRow]:
        start = page * PAGE
        size = min(PAGE, self.count - start)
        before, after = self.cache.get(page - 1), self.cache.get(page + 1)
        if before and len(before) == PAGE:
            return self.headlines.after(self.query, sort_key(before[-1]), size)
        if after:
            return self.headlines.before(self.query, sort_key(after[0]), size)
        if start > self.count // 2:
            from_end = self.count - start - size
            return self.headlines.page(self.query, size, from_end, from_end=True)
        return self.headlines.page(self.query, size, start)


class FixedRows:
    """Search results: a short list already in memory."""

    def __init__(self, rows: list[EntryRow]) -> None:
        self.rows = rows

    @property
    def count(self) -> int:
        return len(self.rows)

    def row(self, index: int) -> EntryRow | None:
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def position(self, entry_id: int) -> int | None:
        return next((i for i, row in enumerate(self.rows) if row.id == entry_id), None)

    def replace_row(self, row: EntryRow) -> int | None:
        index = self.position(row.id)
        if index is not None:
            self.rows[index] = row
        return index
