"""The feed list: views (All, Unread, Saved), then folders and feeds with unread counts."""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from kabar.core.models import FeedRow
from kabar.core.store import EntryFilter


@dataclass(frozen=True, slots=True)
class View:
    """What the headline list shows: a filter and a title."""

    key: str
    title: str
    flt: EntryFilter
    show_feed: bool = True


ALL = View("view:all", "All", EntryFilter())
UNREAD = View("view:unread", "Unread", EntryFilter(unread_only=True))
SAVED = View("view:saved", "Saved", EntryFilter(saved_only=True))


class FeedList(OptionList):
    """Selecting an item (moving onto it) switches the headline list to it."""

    BINDINGS = [
        Binding("j,down", "cursor_down", "Down", id="feeds.down", show=False),
        Binding("k,up", "cursor_up", "Up", id="feeds.up", show=False),
        Binding("g,home", "first", "Top", id="feeds.top", show=False),
        Binding("G,end", "last", "Bottom", id="feeds.bottom", show=False),
        Binding("enter", "select", "Open", id="feeds.open"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.views: dict[str, View] = {}
        self.feeds: dict[str, FeedRow] = {}

    def show_feeds(self, feeds: list[FeedRow], unread_total: int, saved_total: int) -> None:
        """Rebuild the list, keeping the highlighted item where it was."""
        keep = self.current_view.key if self.current_view else ALL.key
        views = [ALL, UNREAD, SAVED]
        options: list[Option] = [
            Option(_label(ALL.title, unread_total), id=ALL.key),
            Option(_label(UNREAD.title, unread_total), id=UNREAD.key),
            Option(_label(SAVED.title, saved_total, count_style="yellow"), id=SAVED.key),
        ]
        self.feeds = {}
        folder = None
        for feed in feeds:
            if feed.folder and feed.folder != folder:
                folder = feed.folder
                unread = sum(f.unread for f in feeds if f.folder == folder)
                view = View(f"folder:{folder}", folder, EntryFilter(folder=folder))
                views.append(view)
                options.append(Option(_label(f"▾ {folder}", unread, bold=True), id=view.key))
            elif not feed.folder:
                folder = None
            view = View(f"feed:{feed.id}", feed.display_title, EntryFilter(feed_id=feed.id), False)
            views.append(view)
            self.feeds[view.key] = feed
            indent = "  " if feed.folder else ""
            label = _label(indent + feed.display_title, feed.unread, error=bool(feed.last_error))
            options.append(Option(label, id=view.key))
        self.views = {view.key: view for view in views}
        highlighted = self.highlighted
        self.clear_options()
        self.add_options(options)
        keys = [o.id for o in options]
        self.highlighted = (
            keys.index(keep) if keep in keys else min(highlighted or 0, len(keys) - 1)
        )

    @property
    def current_view(self) -> View | None:
        if self.highlighted is None:
            return None
        option = self.get_option_at_index(self.highlighted)
        return self.views.get(option.id or "")

    @property
    def current_feed(self) -> FeedRow | None:
        view = self.current_view
        return self.feeds.get(view.key) if view else None


def _label(
    title: str, count: int, *, bold: bool = False, error: bool = False, count_style: str = "cyan"
) -> Table:
    """A title on the left and its unread count right-aligned, on one line."""
    text = Text(title, style="bold" if bold else "", no_wrap=True, overflow="ellipsis")
    if error:
        text.append(" ⚠", style="red")
    grid = Table.grid(expand=True)
    grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    grid.add_column(justify="right", no_wrap=True)
    grid.add_row(text, Text(str(count) if count else "", style=count_style))
    return grid
