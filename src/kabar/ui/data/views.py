"""The views the feed list offers: All, Unread, Saved, a folder, a tag, a feed.

A view is what the reader picked; the query it becomes also depends on the reader's
toggles (hide read, oldest first), which apply to every view alike.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum

from kabar.core.library import ViewQuery
from kabar.core.models import FeedRow


class ViewKind(StrEnum):
    ALL = "all"
    UNREAD = "unread"
    SAVED = "saved"
    FOLDER = "folder"
    TAG = "tag"
    FEED = "feed"


@dataclass(frozen=True, slots=True)
class View:
    key: str
    title: str
    kind: ViewKind
    feed_id: int | None = None
    folder: str | None = None
    feed_ids: tuple[int, ...] | None = None  # a tag's feeds

    @property
    def show_feed(self) -> bool:
        """Whether the headline list names each entry's feed (not in a one-feed view)."""
        return self.kind is not ViewKind.FEED

    def query(self, *, hide_read: bool = False, oldest_first: bool = False) -> ViewQuery:
        return ViewQuery(
            feed_id=self.feed_id,
            feed_ids=self.feed_ids,
            folder=self.folder,
            unread_only=hide_read or self.kind is ViewKind.UNREAD,
            saved_only=self.kind is ViewKind.SAVED,
            oldest_first=oldest_first,
        )


ALL = View("view:all", "All", ViewKind.ALL)
UNREAD = View("view:unread", "Unread", ViewKind.UNREAD)
SAVED = View("view:saved", "Saved", ViewKind.SAVED)


def feed_view(feed_id: int, title: str) -> View:
    return View(f"feed:{feed_id}", title, ViewKind.FEED, feed_id=feed_id)


def folder_view(folder: str) -> View:
    return View(f"folder:{folder}", folder, ViewKind.FOLDER, folder=folder)


def tag_view(tag: str, feed_ids: tuple[int, ...]) -> View:
    return View(f"tag:{tag}", f"#{tag}", ViewKind.TAG, feed_ids=feed_ids)


def view_feed_ids(view: View, feeds: Mapping[int, FeedRow]) -> list[int] | None:
    """The feeds a view covers (a feed, a tag's feeds, a folder's); None for the views
    over every feed (All, Unread, Saved)."""
    if view.kind in (ViewKind.ALL, ViewKind.UNREAD, ViewKind.SAVED):
        return None
    if view.feed_id is not None:
        return [view.feed_id]
    if view.feed_ids is not None:
        return list(view.feed_ids)
    return [feed.id for feed in feeds.values() if feed.folder == view.folder]


def view_shows_any(view: View, feed_ids: Collection[int], feeds: Mapping[int, FeedRow]) -> bool:
    """Whether new entries in these feeds can appear in the view, so a refresh that
    brought them is worth re-reading it for (Saved gains nothing from a refresh)."""
    if view.kind is ViewKind.SAVED:
        return False
    covered = view_feed_ids(view, feeds)
    return covered is None or any(feed_id in feed_ids for feed_id in covered)
