"""Marking a whole view read, with one step of undo (u).

The store does the writing; this remembers which entries the last mark-all-read changed,
so undo puts back exactly those and nothing the reader read one by one.
"""

from __future__ import annotations

from collections.abc import Iterable

from kabar.core.models import EntryRow
from kabar.core.store import Store, ViewQuery


class ReadMarks:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.undo_ids: list[int] | None = None

    def mark_view(self, query: ViewQuery) -> list[int]:
        """Mark every unread entry of a view read; the ids it changed."""
        return self._remember(self.store.mark_view_read(query))

    def mark_rows(self, rows: Iterable[EntryRow | None]) -> list[int]:
        """Mark these rows read (a list shown from memory, such as search results)."""
        unread = [row.id for row in rows if row is not None and not row.read]
        self.store.set_read(unread, True)
        return self._remember(unread)

    def undo(self) -> list[int]:
        """Mark the last batch unread again, once; the ids (none when nothing to undo).
        The batch is forgotten first: a write that fails is not offered again."""
        ids, self.undo_ids = self.undo_ids or [], None
        if ids:
            self.store.set_read(ids, False)
        return ids

    def _remember(self, ids: list[int]) -> list[int]:
        if ids:
            self.undo_ids = ids
        return ids
