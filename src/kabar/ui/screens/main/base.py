"""What every part of the main screen shares: its panes, the store and the reader's state.

The main screen is split by subject into mixins (reading, feeds, refresh, search), each a
`MainBase`, so each file stays small and mypy sees the same attributes everywhere.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input

from kabar.core.config import Config
from kabar.core.errors import DiskFullError, ReadOnlyError, database_problem
from kabar.core.models import EntryRow
from kabar.core.store import Store
from kabar.ui.data.views import ALL, View, ViewKind
from kabar.ui.widgets.article_view import ArticleView
from kabar.ui.widgets.feed_list import FeedList
from kabar.ui.widgets.headline_list import Clock, HeadlineList
from kabar.ui.widgets.status_line import StatusLine


class MainBase(Screen[None]):
    def __init__(
        self,
        store: Store,
        db_path: Path,
        config: Config,
        *,
        clock: Clock,
        refresh_on_start: bool = False,
    ) -> None:
        super().__init__()
        self.store = store
        self.db_path = db_path
        self.config = config
        self.clock = clock
        self.refresh_on_start = refresh_on_start
        self.view: View = ALL
        self.hide_read = config.general.hide_read
        self.oldest_first = False
        self.article_row: EntryRow | None = None
        # A link no browser could open, and the entry it was offered on: y copies it.
        self.offered_link: tuple[int | None, str] = (None, "")
        self.index_ready = False
        self.warned: set[str] = set()  # problems already said, once each

    # -- changes -------------------------------------------------------------------------
    def kept(self, write: Callable[[], object]) -> bool:
        """Make a change the reader asked for; on a full disk or in a read-only folder it
        cannot be kept: say so (once per cause) and read on. Whether it was kept."""
        try:
            write()
        except (sqlite3.Error, OSError) as exc:
            problem = database_problem(str(self.db_path), exc)
            if not isinstance(problem, (DiskFullError, ReadOnlyError)):
                raise
            if str(problem) not in self.warned:
                self.warned.add(str(problem))
                self.notify(str(problem), title=problem.title, severity="error", timeout=20)
            return False
        return True

    # -- panes ---------------------------------------------------------------------------
    @property
    def feed_list(self) -> FeedList:
        return self.query_one(FeedList)

    @property
    def headlines(self) -> HeadlineList:
        return self.query_one(HeadlineList)

    @property
    def article(self) -> ArticleView:
        return self.query_one(ArticleView)

    @property
    def status(self) -> StatusLine:
        return self.query_one(StatusLine)

    @property
    def search_box(self) -> Input:
        return self.query_one("#search", Input)

    @property
    def searching(self) -> bool:
        return self.has_class("-searching")

    @property
    def pane(self) -> str:
        """The focused pane: 'feeds', 'headlines', 'article' or 'search'."""
        focused: Widget | None = self.focused
        if focused is self.feed_list:
            return "feeds"
        if focused is self.article:
            return "article"
        if focused is not None and focused.id == "search":
            return "search"
        return "headlines"

    def target_row(self) -> EntryRow | None:
        """The entry an entry key acts on: the one being read when the article pane has the
        focus, else the selected headline."""
        if self.pane == "article" and self.article_row is not None:
            return self.article_row
        return self.headlines.current

    def load_feeds(self) -> None:
        """Read every feed with its unread count (the one full count: at start, and after
        feeds are added or removed)."""
        self.feed_list.show_feeds(self.store.list_feeds(), self.store.saved_count())

    def update_counts(self, feed_ids: list[int]) -> None:
        """Fresh unread counts and errors for a few feeds (after a refresh batch)."""
        if not feed_ids:
            return
        self.feed_list.update_counts(
            self.store.unread_counts(feed_ids),
            self.store.saved_count(),
            self.store.feed_states(feed_ids),
        )

    # -- the headline list's view ----------------------------------------------------------
    def show_view(self, view: View, *, force: bool = False) -> None:
        """Point the headline list at a view with the reader's toggles applied."""
        if view == self.view and not force and self.headlines.view_query is not None:
            return
        self.view = view
        query = view.query(hide_read=self.hide_read, oldest_first=self.oldest_first)
        empty = "Nothing unread here." if query.unread_only else "No entries here yet."
        if view.kind is ViewKind.SAVED:
            empty = "Nothing saved yet: press s on an entry to keep it."
        self.headlines.show(query, show_feed=view.show_feed, empty=empty)
        self.describe_view()

    def describe_view(self) -> None:
        if self.searching:
            return
        parts = [self.view.title, f"{self.headlines.count:,}"]
        if self.hide_read and self.view.kind is not ViewKind.UNREAD:
            parts.append("unread only")
        if self.oldest_first:
            parts.append("oldest first")
        self.status.show_view(" · ".join(parts))

    def focus_pane(self, widget: Widget) -> None:
        """Focus a pane, showing the feed list first if it is folded away."""
        if widget is self.feed_list and not self.feed_list.display:
            self.set_feeds_shown(True)
        widget.focus()

    def set_feeds_shown(self, shown: bool) -> None:
        if self.has_class("-narrow"):
            self.set_class(shown, "-feeds-open")
            self.remove_class("-feeds-closed")
        else:
            self.set_class(not shown, "-feeds-closed")

    # -- provided by the refresh and search parts ----------------------------------------
    def refresh_urls(self, urls: list[str]) -> None:
        """Refresh these feeds now, or as soon as the running refresh ends."""
        raise NotImplementedError

    def catch_up_index(self) -> None:
        """Index what the search index lacks, in a worker."""
        raise NotImplementedError

    def close_search(self) -> None:
        raise NotImplementedError

    def rerun_search(self) -> None:
        raise NotImplementedError
