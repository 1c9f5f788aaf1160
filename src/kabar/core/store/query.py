"""The one entry query: which entries a list, a view or a search shows, as one WHERE.

The CLI's lists, the reader's headline views and search's filters all ask for the same
rows, so they share one type (`EntryQuery`) and one builder (`entry_where`). The WHERE
touches only `entries` (aliased `e`): counting and positioning then walk the date index
without a join, and the rows a page shows join `feeds` (aliased `f`) afterwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kabar.core.models import EntryRow

SortKey = tuple[float, int]
"""An entry's place in date order: (sort_date, id); id breaks ties between equal dates."""

ENTRY_COLUMNS = (
    "e.id, e.feed_id, COALESCE(NULLIF(f.custom_title, ''), f.title), e.title, e.link, "
    "e.author, e.published, e.sort_date, e.read, e.saved"
)
"""The columns `entry_row` reads, from `entries e JOIN feeds f`."""


@dataclass(frozen=True, slots=True)
class EntryQuery:
    """Which entries to show, and in which order.

    Entries of removed feeds are shown only when saved. `keep` lists entries that stay in
    an unread-only view although they are read now: an entry the reader just opened must
    not vanish from under the cursor (it goes when the view is next entered afresh).
    `feed_match` (search's `feed:`) matches a feed's title or URL by substring.
    """

    feed_id: int | None = None
    feed_ids: tuple[int, ...] | None = None  # a tag's feeds
    folder: str | None = None
    unread_only: bool = False
    saved_only: bool = False
    oldest_first: bool = False
    keep: frozenset[int] = frozenset()
    feed_match: str = ""
    read_only: bool = False
    unsaved_only: bool = False

    def unread(self) -> EntryQuery:
        """The same entries, unread only, in the same order (without `keep`)."""
        return EntryQuery(
            self.feed_id,
            self.feed_ids,
            self.folder,
            True,
            self.saved_only,
            self.oldest_first,
            frozenset(),
            self.feed_match,
            self.read_only,
            self.unsaved_only,
        )


def entry_where(
    query: EntryQuery,
    *,
    removed_feeds: bool = True,
    after: str = "",
    key: SortKey | None = None,
) -> tuple[str, tuple[object, ...]]:
    """The WHERE clause (and its parameters) for `query` over `entries e`.

    `removed_feeds` False leaves out the removed-feed condition (the caller knows no feed
    is removed, which keeps the date index usable); `after` with `key` adds a range
    condition written by `order_after`.
    """
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
    if query.feed_match:
        clauses.append("e.feed_id IN (SELECT id FROM feeds WHERE title LIKE ? OR url LIKE ?)")
        params += [f"%{query.feed_match}%", f"%{query.feed_match}%"]
    if query.unread_only:
        if query.keep:
            clauses.append(f"(e.read = 0 OR e.id IN ({','.join('?' * len(query.keep))}))")
            params.extend(sorted(query.keep))
        else:
            clauses.append("e.read = 0")
    if query.read_only:
        clauses.append("e.read = 1")
    if query.saved_only:
        clauses.append("e.saved = 1")
    if query.unsaved_only:
        clauses.append("e.saved = 0")
    if removed_feeds:
        clauses.append(
            "(e.saved = 1 OR e.feed_id NOT IN (SELECT id FROM feeds WHERE removed IS NOT NULL))"
        )
    if after and key is not None:
        clauses.append(after)
        params.extend((key[0], key[0], key[1]))
    return "WHERE " + (" AND ".join(clauses) or "1"), tuple(params)


def order_by(query: EntryQuery, *, reverse: bool = False) -> str:
    """The ORDER BY terms of the query's order (or its reverse)."""
    ascending = query.oldest_first != reverse
    direction = "ASC" if ascending else "DESC"
    return f"e.sort_date {direction}, e.id {direction}"


def order_after(query: EntryQuery, *, forward: bool) -> str:
    """The condition "comes after the key in the query's order" (or before, when not
    `forward`), written as a range on sort_date so that SQLite walks the date index."""
    later_in_time = query.oldest_first == forward
    if later_in_time:
        return "e.sort_date >= ? AND (e.sort_date > ? OR e.id > ?)"
    return "e.sort_date <= ? AND (e.sort_date < ? OR e.id < ?)"


def entry_row(r: Sequence[object]) -> EntryRow:
    """An EntryRow from a row of `ENTRY_COLUMNS`."""
    return EntryRow(
        id=int(r[0]),  # type: ignore[call-overload]
        feed_id=int(r[1]),  # type: ignore[call-overload]
        feed_title=str(r[2]),
        title=str(r[3]),
        link=str(r[4]),
        author=str(r[5]),
        published=r[6],  # type: ignore[arg-type]
        sort_date=float(r[7]),  # type: ignore[arg-type]
        read=bool(r[8]),
        saved=bool(r[9]),
    )
