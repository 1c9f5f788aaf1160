"""The feed list: All, Unread and Saved, then folders (foldable) with their feeds, the
feeds outside any folder, and tags, each with its unread count.

Drawn with the line API like the headline list, so a thousand feeds cost nothing to show.
Counts are updated in place for the feeds a refresh touched; the whole list is rebuilt
only when feeds are added or removed.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.message import Message

from kabar.core.library import FeedState
from kabar.core.models import FeedRow
from kabar.ui.data.views import ALL, SAVED, UNREAD, View, ViewKind, feed_view, folder_view, tag_view
from kabar.ui.keys import pane_bindings
from kabar.ui.widgets.line_list import LineList, fit


@dataclass(slots=True)
class Item:
    view: View
    label: str
    unread: int = 0
    depth: int = 0
    error: bool = False
    folded: bool = False


class FeedList(LineList):
    """Moving the cursor onto an item switches the headline list to its view."""

    BINDINGS = pane_bindings("feeds")
    COMPONENT_CLASSES = {
        "feed-list--count",
        "feed-list--saved",
        "feed-list--folder",
        "feed-list--error",
        "feed-list--empty",
    }
    DEFAULT_CSS = """
    FeedList > .feed-list--count { color: $kabar-accent; }
    FeedList > .feed-list--saved { color: $kabar-warning; }
    FeedList > .feed-list--folder { color: $kabar-text; text-style: bold; }
    FeedList > .feed-list--error { color: $kabar-error; }
    FeedList > .feed-list--empty { color: $kabar-muted; }
    """

    class ViewChanged(Message):
        def __init__(self, view: View) -> None:
            super().__init__()
            self.view = view

    class ViewChosen(Message):
        """Enter (or a second click) on an item: the reader wants its headlines."""

        def __init__(self, view: View) -> None:
            super().__init__()
            self.view = view

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.feeds: dict[int, FeedRow] = {}
        self.unread: dict[int, int] = {}
        self.saved_total = 0
        self.folded: set[str] = set()
        self.items: list[Item] = []

    # -- data ----------------------------------------------------------------------------
    @property
    def item_count(self) -> int:
        return len(self.items)

    def show_feeds(self, feeds: list[FeedRow], saved_total: int) -> None:
        """Show a new list of feeds, keeping the cursor on the same view."""
        self.feeds = {feed.id: feed for feed in feeds}
        self.unread = {feed.id: feed.unread for feed in feeds}
        self.saved_total = saved_total
        self._rebuild()

    def update_counts(
        self, unread: dict[int, int], saved_total: int, states: dict[int, FeedState] | None = None
    ) -> None:
        """New unread counts (and titles, errors) for some feeds, e.g. those a refresh
        touched."""
        self.unread.update({k: v for k, v in unread.items() if k in self.feeds})
        for feed_id, state in (states or {}).items():
            feed = self.feeds.get(feed_id)
            if feed is not None:
                feed.title = state.title
                feed.last_error = state.last_error
                feed.disabled = state.disabled
        self.saved_total = saved_total
        self._rebuild()

    def change_unread(self, feed_id: int, delta: int) -> None:
        """An entry of this feed was marked read (-1) or unread (+1)."""
        if feed_id in self.unread:
            self.unread[feed_id] = max(0, self.unread[feed_id] + delta)
            self._rebuild()

    @property
    def current_view(self) -> View | None:
        if 0 <= self.cursor < len(self.items):
            return self.items[self.cursor].view
        return None

    @property
    def current_feed(self) -> FeedRow | None:
        view = self.current_view
        if view is None or view.feed_id is None:
            return None
        return self.feeds.get(view.feed_id)

    def feed_order(self) -> list[int]:
        """Feed ids in the order the list shows them (folded folders included)."""
        return [feed.id for feed in self._ordered()]

    def select_view(self, key: str) -> bool:
        """Move the cursor to the view with this key, unfolding its folder if need be."""
        view_feed = next((f for f in self.feeds.values() if f"feed:{f.id}" == key), None)
        if view_feed is not None and view_feed.folder in self.folded:
            self.folded.discard(view_feed.folder)
            self._rebuild()
        for index, item in enumerate(self.items):
            if item.view.key == key:
                self.move_cursor(index)
                return True
        return False

    def _ordered(self) -> list[FeedRow]:
        feeds = list(self.feeds.values())
        in_folders = [f for f in feeds if f.folder]
        loose = [f for f in feeds if not f.folder]
        return in_folders + loose

    def _rebuild(self) -> None:
        keep = self.current_view.key if self.current_view else ALL.key
        total = sum(self.unread.values())
        items = [
            Item(ALL, ALL.title, total),
            Item(UNREAD, UNREAD.title, total),
            Item(SAVED, SAVED.title, self.saved_total),
        ]
        folders: dict[str, list[FeedRow]] = {}
        for feed in self._ordered():
            if feed.folder:
                folders.setdefault(feed.folder, []).append(feed)
        for folder, members in folders.items():
            folded = folder in self.folded
            unread = sum(self.unread.get(f.id, 0) for f in members)
            items.append(Item(folder_view(folder), folder, unread, folded=folded))
            if not folded:
                items.extend(self._feed_item(f, depth=1) for f in members)
        items.extend(self._feed_item(f) for f in self.feeds.values() if not f.folder)
        tags: dict[str, list[int]] = {}
        for feed in self.feeds.values():
            for tag in feed.tags:
                tags.setdefault(tag, []).append(feed.id)
        for tag in sorted(tags, key=str.lower):
            unread = sum(self.unread.get(i, 0) for i in tags[tag])
            items.append(Item(tag_view(tag, tuple(tags[tag])), f"#{tag}", unread))
        old, self.items = self.items, items
        if [i.view.key for i in old] == [i.view.key for i in items]:
            for index, (before, after) in enumerate(zip(old, items, strict=True)):
                if before != after:
                    self.refresh_item(index)  # a count changed: redraw just its line
        else:
            self.resize_to_items()
        kept = next((i for i, item in enumerate(items) if item.view.key == keep), None)
        if kept is None:
            self.cursor = min(self.cursor, len(items) - 1)  # its view is gone: say so
        else:
            self.set_reactive(FeedList.cursor, kept)

    def _feed_item(self, feed: FeedRow, depth: int = 0) -> Item:
        view = feed_view(feed.id, feed.display_title)
        error = bool(feed.last_error or feed.disabled)
        return Item(view, feed.display_title, self.unread.get(feed.id, 0), depth, error)

    # -- events --------------------------------------------------------------------------
    def cursor_moved(self, index: int) -> None:
        view = self.current_view
        if view is not None:
            self.post_message(self.ViewChanged(view))

    def item_clicked(self, index: int, *, again: bool) -> None:
        if again:
            self.action_select()

    def action_select(self) -> None:
        view = self.current_view
        if view is not None:
            self.post_message(self.ViewChosen(view))

    def action_fold(self) -> None:
        view = self.current_view
        if view is None or view.kind is not ViewKind.FOLDER or view.folder is None:
            return
        self.folded ^= {view.folder}
        self._rebuild()

    # -- drawing -------------------------------------------------------------------------
    def item_key(self, index: int) -> object:
        item = self.items[index]
        return (item.view.key, item.label, item.unread, item.depth, item.error, item.folded)

    def render_item(self, index: int, width: int) -> Text | None:
        item = self.items[index]
        style = self.get_component_rich_style
        count_style = style(
            "feed-list--saved" if item.view is SAVED else "feed-list--count", partial=True
        )
        count = Text(f" {item.unread}" if item.unread else "", style=count_style)
        line = Text(no_wrap=True, end="")
        line.append("  " * item.depth + " ")
        if item.view.kind is ViewKind.FOLDER:
            line.append(
                "▸ " if item.folded else "▾ ", style=style("feed-list--folder", partial=True)
            )
        is_folder = item.view.kind is ViewKind.FOLDER
        label = Text(
            item.label, style=style("feed-list--folder", partial=True) if is_folder else ""
        )
        marker = Text(" ⚠" if item.error else "", style=style("feed-list--error", partial=True))
        room = max(1, width - line.cell_len - marker.cell_len - count.cell_len - 1)
        line.append_text(fit(label, room))
        line.append_text(marker)
        line.append_text(count)
        return fit(line, width)
