"""The main screen: feed list, headline list and article pane, laid out for the width.

The headlines have the screen to themselves until an article is opened: then, below 200
columns, the article opens under them; from 200 columns beside them, at a readable measure.
Below 100 columns the feed list folds away (backslash or Ctrl+B brings it back).

The screen composes the panes and routes: keys to actions, the panes' messages and the
workers' past-tense messages to the small helpers that own each flow: `Reader` (open an
entry, full text, marks, links, next unread), `Refresher`, `Searcher` and `FeedActions`
(add, remove). Decisions live in `kabar.ui.data`, the work in `workers` and the core.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import suppress
from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input
from textual.worker import Worker, WorkerState

from kabar.core.errors import database_problem
from kabar.core.library import Library, ViewQuery
from kabar.core.models import EntryRow
from kabar.ui import messages as msg
from kabar.ui.data.sync_line import standing_status
from kabar.ui.data.views import ALL, View, ViewKind
from kabar.ui.dialogs.add_feed import AddRequest
from kabar.ui.keys import SCREEN_KEYS, bindings
from kabar.ui.screens.main import workers
from kabar.ui.screens.main.feed_actions import FeedActions
from kabar.ui.screens.main.reader import Reader
from kabar.ui.screens.main.refresher import Refresher
from kabar.ui.screens.main.searcher import Searcher
from kabar.ui.widgets.article_view import ArticleView
from kabar.ui.widgets.feed_list import FeedList
from kabar.ui.widgets.headline_list import Clock, HeadlineList
from kabar.ui.widgets.key_bar import KeyBar
from kabar.ui.widgets.search_box import SearchBox
from kabar.ui.widgets.status_line import StatusLine

SYNC_WAITS = "Waiting for another Kabar's sync of this profile to end…"


class MainScreen(Screen[None]):
    BINDINGS = bindings(SCREEN_KEYS)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-normal"), (200, "-wide")]

    def __init__(self, library: Library, *, clock: Clock, refresh_on_start: bool = False) -> None:
        super().__init__()
        self.library, self.clock = library, clock
        self.config = library.config
        self.refresh_on_start = refresh_on_start
        self.view: View = ALL
        self.hide_read = self.config.general.hide_read
        self.oldest_first = False
        self.reader = Reader(self)
        self.feed_actions = FeedActions(self)
        self.refresher = Refresher(self)
        self.searcher = Searcher(self)

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield FeedList(id="feeds")
            with Horizontal(id="reading"):
                with Vertical(id="headline-column"):
                    yield SearchBox(id="search")
                    yield HeadlineList(self.library.headlines, self.clock, id="headlines")
                yield ArticleView(id="article")
        yield StatusLine(id="status")
        yield KeyBar(id="keys")

    def on_mount(self) -> None:
        # The cache first, before any network: the reader sees yesterday's news at once.
        self.headlines.focus()
        self.show_view(ALL, force=True)
        self.call_after_refresh(self._after_first_paint)

    def _after_first_paint(self) -> None:
        self.load_feeds()
        self.work("warm-up", self.library.warm_up, exclusive=False)
        standing = self.library.sync_standing()  # the store's word: no network yet
        if standing is not None:
            line, warning = standing_status(standing, time.time())
            self.status.show_message(line, warning=warning)
        elif not self.feed_list.feeds:
            self.status.show_message("No feeds yet: press a to add one.")
        if standing is not None:  # a sync that waits for another Kabar's says so
            self.library.sync_account.on_wait = self._sync_waits
        # With a sync account, refresh on start syncs even with no feed stored yet (the
        # first start after [sync] was set up): the headlines come when the sync lands.
        if self.refresh_on_start and (self.feed_list.feeds or standing is not None):
            self.refresher.start(None, force=False)
        minutes = self.config.general.auto_refresh_minutes
        if minutes > 0:
            self.set_interval(minutes * 60, self.refresher.on_timer, name="auto-refresh")

    def _sync_waits(self) -> None:
        """From the sync's thread: another Kabar syncs this profile; this sync waits."""
        with suppress(RuntimeError):  # the app is closing
            self.app.call_from_thread(self.status.show_message, SYNC_WAITS)

    @property
    def refreshing(self) -> bool:
        return self.refresher.run.running

    def work(self, group: str, job: Callable[[], None], *, exclusive: bool = True) -> Worker[None]:
        """Run a job from `workers` in a thread (on the thread's own connection, closed
        after); a failure reaches `on_worker_state_changed`."""
        job = partial(workers.run, self.library, job)
        return self.run_worker(job, name=group, group=group, thread=True, exclusive=exclusive,
                               exit_on_error=False)  # fmt: skip

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
    def search_box(self) -> SearchBox:
        return self.query_one(SearchBox)

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
        return "search" if focused is not None and focused.id == "search" else "headlines"

    def target_row(self) -> EntryRow | None:
        """The entry an entry key acts on: the one being read when the article pane has the
        focus, else the selected headline."""
        if self.pane == "article" and self.article_row is not None:
            return self.article_row
        return self.headlines.current

    def on_resize(self) -> None:
        self.call_after_refresh(self._keep_focus_visible)

    def _keep_focus_visible(self) -> None:
        """A pane folded away by a resize loses the focus (Textual leaves none at all, and
        then only Tab answers): give it to the headlines."""
        focused = self.focused
        if self.app.screen is not self:
            return
        if focused is None or not focused.display or not focused.visible:
            self.headlines.focus()

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

    def action_back(self) -> None:
        """Esc: article -> headlines -> feed list; in a search, back to the box, then out."""
        pane = self.pane
        if pane == "article":
            self.headlines.focus()
        elif pane == "search":
            self.close_search()
        elif pane == "headlines":
            if self.searching:
                self.search_box.focus()
            else:
                self.focus_pane(self.feed_list)
        elif self.has_class("-narrow") and self.has_class("-feeds-open"):
            self.set_feeds_shown(False)
            self.headlines.focus()

    def action_toggle_feeds(self) -> None:
        shown = bool(self.feed_list.display)
        self.set_feeds_shown(not shown)
        if shown and self.focused is self.feed_list:
            self.headlines.focus()
        elif not shown:
            self.feed_list.focus()

    # -- feeds and views -----------------------------------------------------------------
    def load_feeds(self) -> None:
        """Read every feed with its unread count (the one full count: at start, and after
        feeds are added or removed)."""
        self.feed_list.show_feeds(self.library.feeds(), self.library.headlines.saved_count())

    def update_counts(self, feed_ids: list[int]) -> None:
        """Fresh unread counts and errors for a few feeds (after a refresh batch)."""
        if feed_ids:
            headlines = self.library.headlines
            self.feed_list.update_counts(
                headlines.unread_counts(feed_ids),
                headlines.saved_count(),
                headlines.feed_states(feed_ids),
            )

    def query_for(self, view: View) -> ViewQuery:
        """A view's query with the reader's toggles (hide read, oldest first) applied."""
        return view.query(hide_read=self.hide_read, oldest_first=self.oldest_first)

    def show_view(self, view: View, *, force: bool = False) -> None:
        """Point the headline list at a view with the reader's toggles applied."""
        if view == self.view and not force and self.headlines.view_query is not None:
            return
        self.view = view
        query = self.query_for(view)
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

    def reload_headlines(self) -> None:
        if not self.searching:
            self.headlines.reload()
            self.describe_view()

    @on(FeedList.ViewChanged)
    def view_changed(self, event: FeedList.ViewChanged) -> None:
        if not self.searching:  # the search results stay until the search is closed
            self.show_view(event.view)

    @on(FeedList.ViewChosen)
    def view_chosen(self, event: FeedList.ViewChosen) -> None:
        if self.searching:
            self.close_search()
        self.show_view(event.view)
        self.headlines.focus()

    def action_toggle_hide_read(self) -> None:
        self.hide_read = not self.hide_read
        self.show_view(self.view, force=True)
        shown = "Showing unread entries only." if self.hide_read else "Showing read entries too."
        self.notify(shown, timeout=2)

    def action_toggle_sort(self) -> None:
        self.oldest_first = not self.oldest_first
        self.show_view(self.view, force=True)
        self.notify("Oldest first." if self.oldest_first else "Newest first.", timeout=2)

    def action_mark_all_read(self) -> None:
        self.reader.mark_all_read()

    def action_undo(self) -> None:
        self.reader.undo()

    def action_feed_error(self) -> None:
        self.feed_actions.feed_error()

    def action_add_feed(self) -> None:
        self.feed_actions.add()

    def feed_chosen(self, request: AddRequest | None) -> None:
        self.feed_actions.chosen(request)

    def action_remove_feed(self) -> None:
        self.feed_actions.remove()

    # -- refresh: the `Refresher` runs one at a time and shows its progress --------------
    def action_refresh_all(self) -> None:
        self.refresher.start(None)

    def action_refresh_feed(self) -> None:
        self.refresher.refresh_feed()

    def on_refresh_progressed(self, message: msg.RefreshProgressed) -> None:
        self.refresher.progressed(message)

    def on_sync_progressed(self, message: msg.SyncProgressed) -> None:
        self.refresher.sync_progressed(message)

    def on_refresh_finished(self, message: msg.RefreshFinished) -> None:
        self.refresher.finished(message)

    def on_upkeep_done(self, message: msg.UpkeepDone) -> None:
        self.refresher.upkeep_done(message)

    def catch_up_index(self) -> None:
        """Index what the search index lacks, in a worker."""
        self.work("index", partial(workers.catch_up_index, self.post_message, self.library))

    def on_index_caught_up(self, message: msg.IndexCaughtUp) -> None:
        self.searcher.index_caught_up(message)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Any worker that failed with an unexpected error: say so, and recover its state."""
        if event.state is not WorkerState.ERROR:
            return
        error = event.worker.error
        if error is not None:  # a full disk or a damaged page: said as such, one line
            error = database_problem(str(self.library.database), error) or error
        self.refresher.failed(event.worker, error)
        self.notify(str(error), title=f"{event.worker.group.capitalize()} failed", severity="error")

    # -- search: the `Searcher` shows results in place of the headlines ---------------
    def action_search(self) -> None:
        self.searcher.open()

    def close_search(self) -> None:
        self.searcher.close()

    def action_focus_results(self) -> None:
        self.headlines.focus()

    @on(SearchBox.Paused)
    def search_paused(self) -> None:
        self.searcher.rerun()

    @on(Input.Submitted, "#search")
    def search_submitted(self) -> None:
        self.searcher.rerun()
        self.headlines.focus()

    def on_search_finished(self, message: msg.SearchFinished) -> None:
        self.searcher.finished(message)

    # -- reading: the `Reader` owns the entry being read, its full text, marks and links --
    @property
    def article_row(self) -> EntryRow | None:
        """The entry in the article pane."""
        return self.reader.row

    @on(HeadlineList.Opened)
    def entry_opened(self, event: HeadlineList.Opened) -> None:
        self.reader.open_entry(event.row)
        self.article.focus()

    def action_full_text(self) -> None:
        self.reader.full_text()

    def on_full_text_fetched(self, message: msg.FullTextFetched) -> None:
        self.reader.full_text_fetched(message)

    def on_full_text_failed(self, message: msg.FullTextFailed) -> None:
        self.reader.full_text_failed(message)

    def action_toggle_read(self) -> None:
        self.reader.toggle_read()

    def action_toggle_saved(self) -> None:
        self.reader.toggle_saved()

    def on_entry_saved(self, message: msg.EntrySaved) -> None:
        self.reader.entry_saved(message)

    def on_entry_unsaved(self, message: msg.EntryUnsaved) -> None:
        self.notify("Removed from Saved.", timeout=2)

    def on_save_failed(self, message: msg.SaveFailed) -> None:
        self.reader.save_failed(message)

    def action_open_link(self) -> None:
        self.reader.open_link()

    def action_copy_link(self) -> None:
        self.reader.copy_link()

    def action_follow_link(self, number: int) -> None:
        self.reader.follow_link(number)

    def action_read_on(self) -> None:
        self.reader.read_on()

    def action_next_unread(self) -> None:
        self.reader.goto_unread(forward=True)

    def action_prev_unread(self) -> None:
        self.reader.goto_unread(forward=False)
