"""The main screen: feed list, headline list and article pane, laid out for the width.

The headlines have the screen to themselves until an article is opened: then, below 200
columns, the article opens under them; from 200 columns beside them, at a readable measure.
Below 100 columns the feed list folds away (backslash or Ctrl+B brings it back).

The screen composes the panes and routes: keys to actions, the panes' messages and the
workers' past-tense messages to the panes. Decisions live in `kabar.ui.data` (views, the
next unread entry, undo of mark-all-read), the work in `workers` and the core.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input
from textual.worker import Worker, WorkerState

from kabar.core.errors import DiskFullError, KabarError, ReadOnlyError, database_problem
from kabar.core.library import Library
from kabar.core.models import EntryRow, FeedRow
from kabar.core.store import ViewQuery
from kabar.core.textsafety import safe_link
from kabar.core.wording import noun, plural
from kabar.render.article import RenderOptions
from kabar.ui import messages as msg
from kabar.ui.browser import open_in_browser
from kabar.ui.data.links import LinkOffer
from kabar.ui.data.refresh_run import RefreshRun, failures_note
from kabar.ui.data.sync_line import standing_status
from kabar.ui.data.unread import Place, UnreadFinder
from kabar.ui.data.views import ALL, View, ViewKind, feed_view, view_feed_ids, view_shows_any
from kabar.ui.dialogs.add_feed import AddFeedDialog, AddRequest
from kabar.ui.dialogs.confirm import ConfirmDialog
from kabar.ui.keys import SCREEN_KEYS, bindings
from kabar.ui.screens.help import key_display
from kabar.ui.screens.main import workers
from kabar.ui.widgets.article_view import ArticleView
from kabar.ui.widgets.feed_list import FeedList
from kabar.ui.widgets.headline_list import Clock, HeadlineList
from kabar.ui.widgets.key_bar import KeyBar
from kabar.ui.widgets.search_box import SearchBox
from kabar.ui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from kabar.core.article.document import Article

FETCHING = "Fetching the full article…"
SEARCH_DELAY = 0.12  # seconds of typing pause before a search starts
SEARCH_LIMIT = 200


class MainScreen(Screen[None]):
    BINDINGS = bindings(SCREEN_KEYS)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-normal"), (200, "-wide")]

    def __init__(self, library: Library, *, clock: Clock, refresh_on_start: bool = False) -> None:
        super().__init__()
        self.library, self.clock = library, clock
        self.store, self.config = library.store, library.config  # the main thread's connection
        self.refresh_on_start = refresh_on_start
        self.view: View = ALL
        self.hide_read = self.config.general.hide_read
        self.oldest_first = False
        self.article_row: EntryRow | None = None
        self.offered_link = LinkOffer()
        self.index_ready = False
        self.warned: set[str] = set()  # problems already said, once each
        self.refresh_run = RefreshRun()
        self.search_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield FeedList(id="feeds")
            with Horizontal(id="reading"):
                with Vertical(id="headline-column"):
                    yield SearchBox(id="search")
                    yield HeadlineList(self.store, self.clock, id="headlines")
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
        self._work("warm-up", workers.warm_up, exclusive=False)
        standing = self.library.sync_standing()  # the store's word: no network yet
        if standing is not None:
            line, warning = standing_status(standing, time.time())
            self.status.show_message(line, warning=warning)
        elif not self.feed_list.feeds:
            self.status.show_message("No feeds yet: press a to add one.")
        elif self.refresh_on_start:
            self.start_refresh(None, force=False)
        minutes = self.config.general.auto_refresh_minutes
        if minutes > 0:
            self.set_interval(minutes * 60, self._refresh_on_timer, name="auto-refresh")

    @property
    def refreshing(self) -> bool:
        return self.refresh_run.running

    def _work(self, group: str, job: Callable[[], None], *, exclusive: bool = True) -> None:
        """Run a job from `workers` in a thread (on the thread's own connection, closed
        after); a failure reaches `on_worker_state_changed`."""
        job = partial(workers.run, self.library, job)
        self.run_worker(job, name=group, group=group, thread=True, exclusive=exclusive,
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
        return "search" if focused is not None and focused.id == "search" else "headlines"

    def target_row(self) -> EntryRow | None:
        """The entry an entry key acts on: the one being read when the article pane has the
        focus, else the selected headline."""
        if self.pane == "article" and self.article_row is not None:
            return self.article_row
        return self.headlines.current

    def kept(self, write: Callable[[], object]) -> bool:
        """Make a change the reader asked for; on a full disk or in a read-only folder it
        cannot be kept: say so (once per cause) and read on. Whether it was kept."""
        try:
            write()
        except (sqlite3.Error, OSError) as exc:
            problem = database_problem(str(self.library.database), exc)
            if not isinstance(problem, (DiskFullError, ReadOnlyError)):
                raise
            if str(problem) not in self.warned:
                self.warned.add(str(problem))
                self.notify(str(problem), title=problem.title, severity="error", timeout=20)
            return False
        return True

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
        self.feed_list.show_feeds(self.store.list_feeds(), self.store.saved_count())

    def update_counts(self, feed_ids: list[int]) -> None:
        """Fresh unread counts and errors for a few feeds (after a refresh batch)."""
        if feed_ids:
            self.feed_list.update_counts(
                self.store.unread_counts(feed_ids),
                self.store.saved_count(),
                self.store.feed_states(feed_ids),
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
        ids: list[int] = []
        if self.searching:
            rows = [self.headlines.row(i) for i in range(self.headlines.count)]
            shown = [row.id for row in rows if row is not None and not row.read]
            self.kept(lambda: ids.extend(self.library.mark_all_read(shown)))
        elif not self.kept(lambda: ids.extend(self.library.mark_all_read(self.view.query()))):
            return
        if not ids:
            self.notify("Nothing unread here.", timeout=2)
            return
        self._after_bulk_change()
        entries = plural(len(ids), "entry", "entries", grouped=True)
        self.notify(f"Marked {entries} read in {self.view.title}. Press u to undo.", timeout=8)

    def action_undo(self) -> None:
        ids: list[int] = []
        if not self.kept(lambda: ids.extend(self.library.undo_mark_all_read())):
            return
        if not ids:
            self.notify("Nothing to undo.", timeout=2)
            return
        self._after_bulk_change()
        entries = plural(len(ids), "entry", "entries", grouped=True)
        self.notify(f"Marked {entries} unread again.", timeout=3)

    def _after_bulk_change(self) -> None:
        self.feed_list.update_counts(self.store.unread_counts(), self.store.saved_count())
        if self.searching:
            self.rerun_search()
        else:
            self.headlines.reload()
            self.describe_view()

    def action_feed_error(self) -> None:
        feed = self.feed_list.current_feed
        if feed is None:
            self.notify("Select a feed to see its last error.", timeout=2)
        elif feed.disabled or feed.last_error:
            problem = feed.disabled or feed.last_error
            self.notify(problem, title=feed.display_title, severity="error", timeout=10)
        else:
            self.notify("Its last refresh worked.", title=feed.display_title, timeout=3)

    def action_add_feed(self) -> None:
        view = self.feed_list.current_view
        folder = view.folder or "" if view is not None else ""
        self.app.push_screen(AddFeedDialog(self.library, folder or ""), self.feed_chosen)

    def feed_chosen(self, request: AddRequest | None) -> None:
        if request is None:
            return
        if self.config.sync is not None:  # the server subscribes; a sync brings the feed
            from kabar.ui.server_add import subscribe_on_server

            subscribe_on_server(self, request)
            return
        # Discovery's parse is each feed's first update: only a bare URL is fetched after.
        feeds = request.candidates or request.urls
        done = self.library.subscribe(feeds, request.folder, fetch=False)
        self.load_feeds()
        first = self.store.feed_by_url(request.urls[0])
        if first is not None:
            self.feed_list.select_view(feed_view(first.id, first.display_title).key)
        if not done.added:
            self.notify("Already subscribed.", timeout=3)
            return
        stored = {result.url for result in done.results}
        to_fetch = [url for url in done.added if url not in stored]
        fetching = f"; fetching {noun(len(to_fetch), 'it', 'them')} now" if to_fetch else ""
        self.notify(f"Added {plural(len(done.added), 'feed')}{fetching}.", timeout=3)
        if to_fetch:
            self.refresh_urls(to_fetch)

    def refresh_urls(self, urls: list[str]) -> None:
        """Refresh these feeds now, or after the refresh that is running."""
        if not self.refresh_run.queue(urls):
            self.start_refresh(urls)

    def action_remove_feed(self) -> None:
        feed = self.feed_list.current_feed
        if feed is None:
            self.notify("Select a feed to remove it.", timeout=2)
            return
        message = Text("Unsubscribe from ")
        message.append(feed.display_title, style="bold")
        message.append("?\nIts saved entries are kept under Saved.")
        dialog = ConfirmDialog("Remove feed", message, confirm="Remove")
        remove = partial(self._remove, feed)
        self.app.push_screen(dialog, lambda yes: remove() if yes else None)

    def _remove(self, feed: FeedRow) -> None:
        """Unsubscribe; a synced feed on the sync server first, in a worker (the reader
        does not wait for the server)."""
        if feed.stream_id and self.library.syncing:
            self._work("remove", partial(self._remove_in_thread, feed), exclusive=False)
            return
        try:
            kept = self.library.unsubscribe(feed)
        except KabarError as exc:
            self.notify(str(exc), severity="error")
            return
        self._removed(feed, kept)

    def _remove_in_thread(self, feed: FeedRow) -> None:
        try:
            kept = self.library.unsubscribe(feed)
        except KabarError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
        else:
            self.app.call_from_thread(self._removed, feed, kept)

    def _removed(self, feed: FeedRow, kept: int) -> None:
        self.load_feeds()
        self.show_view(ALL)
        self.feed_list.select_view(ALL.key)
        note = f" ({plural(kept, 'saved entry', 'saved entries')} kept)" if kept else ""
        self.notify(f"Removed {feed.display_title}{note}.", timeout=4)

    # -- refresh -------------------------------------------------------------------------
    def action_refresh_all(self) -> None:
        self.start_refresh(None)

    def action_refresh_feed(self) -> None:
        """Refresh what the feed list points at: a feed, a folder's or a tag's feeds."""
        view, feeds = self.feed_list.current_view, self.feed_list.feeds
        ids = view_feed_ids(view, feeds) if view is not None else None
        self.start_refresh(None if ids is None else [feeds[i].url for i in ids if i in feeds])

    def _refresh_on_timer(self) -> None:
        if not self.refreshing:
            self.start_refresh(None, force=False)

    def start_refresh(self, urls: list[str] | None, *, force: bool = True) -> None:
        if self.refreshing:
            self.notify("A refresh is already running.", timeout=2)
            return
        if urls is not None and not urls:
            return
        self.refresh_run.running = True
        self.status.show_message("Refreshing…")
        job = partial(workers.refresh, self.post_message, self.library, urls, force)
        self._work("refresh", job)

    def on_refresh_progressed(self, message: msg.RefreshProgressed) -> None:
        from kabar.core.feeds.refresh import Outcome  # loaded by the worker already

        failed = self.refresh_run.progressed(sum(1 for r in message.results if r.error))
        self.status.show_progress(message.done, message.total, failed)
        self.update_counts([r.feed_id for r in message.results if r.outcome is not Outcome.SKIPPED])
        changed = {r.feed_id for r in message.results if r.new or r.updated}
        feeds = self.feed_list.feeds
        if (
            changed
            and view_shows_any(self.view, changed, feeds)
            and self.refresh_run.reload_due(time.monotonic())
        ):
            self.reload_headlines()

    def on_refresh_finished(self, message: msg.RefreshFinished) -> None:
        pending = self.refresh_run.finish()
        summary = message.summary
        self.update_counts([r.feed_id for r in summary.results])
        self.reload_headlines()
        line, warning = message.sync_status or (summary.line(), bool(summary.failed))
        self.status.show_message(line, warning=warning)
        if summary.offline:
            self.notify("No feed could be reached: you seem to be offline.", severity="warning")
        elif summary.failed:
            note = failures_note(summary.failed)
            self.notify(note, title="Some feeds failed", severity="error", timeout=8)
        self._work("index", partial(workers.catch_up_index, self.post_message, self.library))
        if pending:
            self.start_refresh(pending)

    def show_synced(self, status: tuple[str, bool]) -> None:
        """A sync outside a refresh (after an add on the sync server) brought feeds."""
        self.load_feeds()
        self.reload_headlines()
        self.status.show_message(status[0], warning=status[1])
        self._work("index", partial(workers.catch_up_index, self.post_message, self.library))

    def on_upkeep_done(self, message: msg.UpkeepDone) -> None:
        if message.removed:  # the retention limits let entries go: re-read what is shown
            self.load_feeds()
            self.reload_headlines()
        if message.prefetched:
            fetched = plural(message.prefetched, "article")
            self.notify(f"Fetched {fetched} to read offline.", title="Prefetch")

    def on_index_caught_up(self, message: msg.IndexCaughtUp) -> None:
        self.index_ready = True
        if message.indexed and self.searching:
            self.rerun_search()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Any worker that failed with an unexpected error: say so, and recover its state."""
        if event.state is not WorkerState.ERROR:
            return
        error = event.worker.error
        if error is not None:  # a full disk or a damaged page: said as such, one line
            error = database_problem(str(self.library.database), error) or error
        if event.worker.group == "refresh":
            self.refresh_run.running = False
            self.status.show_message(f"Refresh failed: {error}", warning=True)
        self.notify(str(error), title=f"{event.worker.group.capitalize()} failed", severity="error")

    # -- search: results replace the headlines while the box is open ---------------------
    def action_search(self) -> None:
        if not self.searching:
            self.add_class("-searching")
            self.search_box.value = ""
            self.status.show_view("Search: words, feed:NAME, saved:yes, unread:yes")
            if not self.index_ready:
                self._work(
                    "index", partial(workers.catch_up_index, self.post_message, self.library)
                )
        self.search_box.focus()

    def close_search(self) -> None:
        if not self.searching:
            return
        self.remove_class("-searching")
        if self.search_timer is not None:
            self.search_timer.stop()
        self.show_view(self.view, force=True)
        self.headlines.focus()

    @on(Input.Changed, "#search")
    def search_changed(self, event: Input.Changed) -> None:
        if self.search_timer is not None:
            self.search_timer.stop()
        self.search_timer = self.set_timer(SEARCH_DELAY, self.rerun_search)

    def action_focus_results(self) -> None:
        self.headlines.focus()

    @on(Input.Submitted, "#search")
    def search_submitted(self) -> None:
        self.rerun_search()
        self.headlines.focus()

    def rerun_search(self) -> None:
        query = self.search_box.value.strip()
        if query:
            job = partial(workers.search, self.post_message, self.library, query, SEARCH_LIMIT)
            self._work("search", job)
        else:
            self.headlines.show_rows([], empty="Type to search.")
            self.status.show_view("Search")

    def on_search_finished(self, message: msg.SearchFinished) -> None:
        if not self.searching or message.query != self.search_box.value.strip():
            return  # typed on since: a newer search is on its way
        rows = message.rows
        self.headlines.show_rows(rows, empty=f"No matches for {message.query}.")
        more = "+" if len(rows) >= SEARCH_LIMIT else ""
        self.status.show_view(f"Search · {len(rows)}{more} {noun(len(rows), 'result')}")

    # -- reading -------------------------------------------------------------------------
    @on(HeadlineList.Opened)
    def entry_opened(self, event: HeadlineList.Opened) -> None:
        self.open_entry(event.row)
        self.article.focus()

    def open_entry(self, row: EntryRow) -> None:
        """Show an entry in the article pane and mark it read; fetch its page if its feed
        only gives a teaser (the article shows the teaser meanwhile)."""
        library = self.library
        detail = library.entry(row.id)
        if detail is None:
            self.notify("This entry is no longer in the database.", severity="warning")
            return
        self.offered_link.clear()
        fetch = library.wants_full_text(detail)
        self.show(library.article(detail), row, FETCHING if fetch else "")
        if fetch:
            self._fetch_full_text(row.id)
        if not row.read:
            self.set_read(row, True)

    def show(
        self, article: Article, row: EntryRow, notice: str = "", *, keep_scroll: bool = False
    ) -> None:
        options = RenderOptions(feed_title=row.feed_title, notice=notice)
        self.article.show_article(article, row.id, options, keep_scroll=keep_scroll)
        self.article_row = row
        self.add_class("-article-open")  # the pane takes room only from now on

    def show_stored(self, row: EntryRow, notice: str = "", *, keep_scroll: bool = False) -> None:
        """Show the entry's stored text again (after its full text came or failed)."""
        detail = self.library.entry(row.id)
        if detail is not None:
            self.show(self.library.article(detail), row, notice, keep_scroll=keep_scroll)

    def set_read(self, row: EntryRow, read: bool) -> None:
        if not self.kept(lambda: self.library.set_read([row.id], read)):
            return
        row.read = read
        self.headlines.update_row(row)
        self.feed_list.change_unread(row.feed_id, -1 if read else 1)

    def action_full_text(self) -> None:
        row = self.target_row()
        if row is None or self.library.entry(row.id) is None:
            return
        if not safe_link(row.link):
            self.notify("This entry has no web page to fetch.", severity="warning")
            return
        self.show_stored(row, FETCHING)
        self._fetch_full_text(row.id)

    def _fetch_full_text(self, entry_id: int) -> None:
        job = partial(workers.full_text, self.post_message, self.library, entry_id)
        self._work("fulltext", job)

    def on_full_text_fetched(self, message: msg.FullTextFetched) -> None:
        row = self.article_row
        if row is not None and row.id == message.entry_id:  # else the reader has moved on
            self.show(message.article, row, keep_scroll=True)

    def on_full_text_failed(self, message: msg.FullTextFailed) -> None:
        row = self.article_row
        if row is None or row.id != message.entry_id:
            return
        if message.offline:
            notice = "Showing the feed's text: the full article needs the network."
        else:
            notice = f"Showing the feed's text: {message.error}"
        self.show_stored(row, notice, keep_scroll=True)

    def action_toggle_read(self) -> None:
        row = self.target_row()
        if row is not None:
            self.set_read(row, not row.read)

    def action_toggle_saved(self) -> None:
        """Save (fetching the full text first, in a worker) or unsave. The star changes at
        once; a failure puts it back and says why."""
        row = self.target_row()
        if row is None:
            return
        self._set_saved_flag(row, not row.saved)
        if row.saved:
            job = partial(workers.save, self.post_message, self.library, row.id)
        else:
            job = partial(workers.unsave, self.post_message, self.library, row.id)
        self._work("save", job, exclusive=False)

    def _set_saved_flag(self, row: EntryRow, saved: bool) -> None:
        if row.saved == saved:
            return
        row.saved = saved
        self.headlines.update_row(row)
        self.feed_list.saved_total = max(0, self.feed_list.saved_total + (1 if saved else -1))
        self.feed_list.update_counts({}, self.feed_list.saved_total)

    def on_entry_saved(self, message: msg.EntrySaved) -> None:
        result = message.result
        if result.warning:
            self.notify(result.warning, title="Saved", severity="warning")
        else:
            self.notify("Saved, full text included.", timeout=2)
        row = self.article_row
        if result.full_text and row is not None and row.id == result.entry_id:
            self.show_stored(row, keep_scroll=True)

    def on_entry_unsaved(self, message: msg.EntryUnsaved) -> None:
        self.notify("Removed from Saved.", timeout=2)

    def on_save_failed(self, message: msg.SaveFailed) -> None:
        index = self.headlines.position(message.entry_id)
        row = self.headlines.row(index) if index is not None else None
        if row is not None:
            self._set_saved_flag(row, not message.saved)
        self.notify(message.error, title="Could not save", severity="error")

    # -- links ---------------------------------------------------------------------------
    def action_open_link(self) -> None:
        row = self.target_row()
        link = safe_link(row.link) if row else ""
        if link:
            self._open(link, "the entry's page")
        else:
            self.notify("This entry has no web link.", severity="warning")

    def action_copy_link(self) -> None:
        """Copy the link a browser could not open just now, else the entry's link."""
        row = self.target_row()
        link = self.offered_link.take(row.id if row else None, safe_link(row.link) if row else "")
        if link:
            self.app.copy_to_clipboard(link)
            self.notify(f"Copied {link}", timeout=2)
        else:
            self.notify("This entry has no web link.", severity="warning")

    def action_follow_link(self, number: int) -> None:
        links = self.article.links
        if not 1 <= number <= len(links):
            self.notify(f"The article has no link {number}.", severity="warning", timeout=2)
            return
        link = safe_link(links[number - 1])
        if link:
            self._open(link, f"link {number}")

    def _open(self, link: str, what: str) -> None:
        """Start the browser, or say why not and offer `y` to copy the link instead."""
        problem = open_in_browser(link, self.config.general.browser)
        row = self.target_row()
        self.offered_link.clear()
        if problem:
            self.offered_link.offer(row.id if row else None, link)
            copy = key_display(self.config.keys.get("main.copy_link", "y"))
            self.notify(f"{problem}: press {copy} to copy {what}.", severity="warning")

    # -- next / previous unread ----------------------------------------------------------
    def action_read_on(self) -> None:
        """Space, as in mutt and slrn: a page of the open article; at its end, the next
        unread entry."""
        article = self.article
        if (
            self.article_row is not None
            and article.display
            and round(article.scroll_y) < article.max_scroll_y
        ):
            article.scroll_page_down(animate=False)
        else:
            self.goto_unread(forward=True)

    def action_next_unread(self) -> None:
        self.goto_unread(forward=True)

    def action_prev_unread(self) -> None:
        self.goto_unread(forward=False)

    def goto_unread(self, *, forward: bool) -> None:
        """Select and open the next unread entry in reading order (see `UnreadFinder`),
        saying so in one line past the end. An unread entry under the cursor that is not
        open yet comes first."""
        headlines = self.headlines
        current = headlines.current
        if forward and current is not None and not current.read and current is not self.article_row:
            self.open_entry(current)
            return
        query = None if self.searching else headlines.view_query
        place = Place(self.view, query, headlines.source, headlines.cursor)
        feeds = self.feed_list
        hit = UnreadFinder(self.store).find(
            place, forward=forward, feeds=feeds.feeds, order=feeds.feed_order(),
            unread=feeds.unread, query_for=self.query_for,
        )  # fmt: skip
        if hit is None:
            self.notify("No unread entries left here.", timeout=2)
            return
        if hit.view is not None:
            feeds.select_view(hit.view.key)
            self.show_view(hit.view)
        if hit.wrapped:
            where = "first" if forward else "last"
            self.notify(f"No unread entries past this one: back to the {where}.", timeout=2)
        row, index = hit.row, headlines.position(hit.row.id)
        if index is not None:
            headlines.move_cursor(index)
            row = headlines.current or row
        self.open_entry(row)
