"""Reading entries out for a face: lists, an export's articles, a stored copy of a page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kabar.core.library.outcomes import ExportItem
from kabar.core.models import EntryRow, FeedRow
from kabar.core.store import EntryQuery

if TYPE_CHECKING:
    from kabar.core.article.document import Article
    from kabar.core.library.library import Library


def entries(
    library: Library, *, unread: bool, saved: bool, feed: FeedRow | None, limit: int
) -> list[EntryRow]:
    """Entries, newest first; `limit=0` means all of them."""
    store = library.store
    flt = EntryQuery(None if feed is None else feed.id, unread_only=unread, saved_only=saved)
    return store.list_entries(flt, limit=limit or store.count_entries(flt) or 1)


def stored_copy(library: Library, url: str) -> Article | None:
    """What the store holds of this page: a saved entry's article first, then any entry
    whose full text was fetched, then the feed's own text of the entry."""
    if not library.paths.database.exists():
        return None
    store = library.store
    details = [store.get_entry(entry_id) for entry_id, _ in store.entries_with_link(url)]
    found = [d for d in details if d is not None]
    if not found:
        return None
    return library.article(max(found, key=lambda d: (d.row.saved, d.full_text is not None)))


def articles(library: Library, *, saved_only: bool) -> Iterator[ExportItem]:
    """Every article (or every saved one) with its stored images, for an export."""
    flt = EntryQuery(saved_only=saved_only)
    store = library.store
    for row in store.list_entries(flt, limit=max(1, store.count_entries(flt))):
        detail = store.get_entry(row.id)
        if detail is not None:
            yield ExportItem(row, library.article(detail), store.article_images(row.id))
