"""Where the next unread entry is, in reading order: the decision behind Space, n and p.

Further down the view first; then, in a one-feed view, the first unread entry of the next
feed that has one (round to the first feed); past the end, from the view's start again.
Plain code over the Library's view reads and the rows shown, so it is tested without a screen.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from kabar.core.library import Headlines, ViewQuery
from kabar.core.models import EntryRow, FeedRow
from kabar.ui.data.entry_pages import EntrySource, sort_key
from kabar.ui.data.views import View, ViewKind, feed_view


@dataclass(frozen=True, slots=True)
class Place:
    """Where the reader is: the view, the query behind the rows shown (None for a fixed
    list such as search results), those rows and the cursor's index in them."""

    view: View
    query: ViewQuery | None
    rows: EntrySource
    cursor: int


@dataclass(frozen=True, slots=True)
class UnreadHit:
    """The entry to open; `view` is another feed's view to switch to first, and `wrapped`
    says the search went past the end and round to the start."""

    row: EntryRow
    view: View | None = None
    wrapped: bool = False


class UnreadFinder:
    """Finds the next (or previous) unread entry from a place, across feeds."""

    def __init__(self, headlines: Headlines) -> None:
        self.headlines = headlines

    def find(
        self,
        place: Place,
        *,
        forward: bool,
        feeds: Mapping[int, FeedRow],
        order: list[int],
        unread: Mapping[int, int],
        query_for: Callable[[View], ViewQuery],
    ) -> UnreadHit | None:
        """The next unread entry; `order` is the feeds as the feed list shows them,
        `unread` their unread counts, `query_for` a view's query with the reader's toggles."""
        row = self.in_view(place, forward=forward)
        if row is not None:
            return UnreadHit(row)
        if place.view.kind is ViewKind.FEED and place.query is not None:
            hit = self.in_other_feeds(
                place.view, forward=forward, feeds=feeds, order=order, unread=unread,
                query_for=query_for,
            )  # fmt: skip
            if hit is not None:
                return hit
        row = self.in_view(place, forward=forward, wrap=True)
        return UnreadHit(row, wrapped=True) if row is not None else None

    def in_view(self, place: Place, *, forward: bool, wrap: bool = False) -> EntryRow | None:
        """The next unread entry after the cursor, or with `wrap` from the view's start."""
        rows = place.rows
        if place.query is None:
            step = 1 if forward else -1
            index = place.cursor + step
            if wrap:
                index = 0 if forward else rows.count - 1
            while 0 <= index < rows.count:
                candidate = rows.row(index)
                if candidate is not None and not candidate.read:
                    return candidate
                index += step
            return None
        current = None if wrap else rows.row(place.cursor)
        key = sort_key(current) if current is not None else None
        return self.headlines.next_unread(place.query, key, forward=forward)

    def in_other_feeds(
        self,
        view: View,
        *,
        forward: bool,
        feeds: Mapping[int, FeedRow],
        order: list[int],
        unread: Mapping[int, int],
        query_for: Callable[[View], ViewQuery],
    ) -> UnreadHit | None:
        """The first unread entry of the next feed with unread entries after this feed's
        view, round to the first feed (then `wrapped`)."""
        order = list(order) if forward else order[::-1]
        start = order.index(view.feed_id) + 1 if view.feed_id in order else 0
        for position, feed_id in enumerate(order[start:] + order[: max(0, start - 1)]):
            feed = feeds.get(feed_id)
            if feed is None or unread.get(feed_id, 0) <= 0:
                continue
            other = feed_view(feed.id, feed.display_title)
            found = self.headlines.next_unread(query_for(other), None, forward=forward)
            if found is not None:
                return UnreadHit(found, other, wrapped=position >= len(order) - start)
        return None
