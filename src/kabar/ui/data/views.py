"""The views the feed list offers: All, Unread, Saved, a folder, a tag, a feed.

A view is what the reader picked; the query it becomes also depends on the reader's
toggles (hide read, oldest first), which apply to every view alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kabar.core.store import ViewQuery


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
