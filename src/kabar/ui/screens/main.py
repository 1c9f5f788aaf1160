"""The main screen: feed list, headline list and article pane, plus the refresh worker."""

from __future__ import annotations

import time
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, OptionList
from textual.worker import Worker, WorkerState

from kabar.core.config import Config
from kabar.core.document import Article
from kabar.core.errors import FetchError, KabarError
from kabar.core.fulltext import fetch_full_text, wants_fetch
from kabar.core.models import EntryRow
from kabar.core.reading import entry_article
from kabar.core.refresh import FeedResult, refresh_sync
from kabar.core.store import EntryFilter, Store
from kabar.core.textsafety import safe_link
from kabar.render.article import RenderOptions
from kabar.ui.messages import (
    FullTextFailed,
    FullTextFetched,
    RefreshFinished,
    RefreshProgressed,
)
from kabar.ui.widgets.article_view import ArticleView
from kabar.ui.widgets.feed_list import ALL, FeedList
from kabar.ui.widgets.headline_list import HeadlineList
from kabar.ui.widgets.status_line import StatusLine

_PROGRESS_EVERY = 0.2  # seconds: refresh progress messages are coalesced to this rate


class MainScreen(Screen[None]):
    BINDINGS = [
        Binding("r", "refresh_feed", "Refresh", id="main.refresh_feed"),
        Binding("R", "refresh_all", "Refresh all", id="main.refresh_all"),
        Binding("o", "open_link", "Browser", id="main.open_link"),
        Binding("f", "full_text", "Full text", id="main.full_text"),
        Binding("escape", "back", "Back", id="main.back", show=False),
    ]

    def __init__(
        self, store: Store, db_path: Path, config: Config, *, refresh_on_start: bool = False
    ) -> None:
        super().__init__()
        self.store = store
        self.db_path = db_path
        self.config = config
        self.refresh_on_start = refresh_on_start
        self.refreshing = False
        self.article_row: EntryRow | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield FeedList(id="feeds")
            yield HeadlineList(self.store, id="headlines")
            yield ArticleView(id="article")
        yield StatusLine(id="status")
        yield Footer()

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

    def on_mount(self) -> None:
        # The cache first, before any network: the reader sees yesterday's news at once.
        self.load_feeds()
        self.headlines.show(ALL.flt)
        self.headlines.focus()
        if not self.feed_list.feeds:
            self.status.show_message("No feeds yet: add one with `kabar add URL`, then press R.")
        elif self.refresh_on_start:
            self.start_refresh(None, force=False)

    def load_feeds(self) -> None:
        feeds = self.store.list_feeds()
        unread = sum(f.unread for f in feeds)
        saved = self.store.count_entries(EntryFilter(saved_only=True))
        self.feed_list.show_feeds(feeds, unread, saved)

    # -- navigation ----------------------------------------------------------------------
    @on(OptionList.OptionHighlighted, "#feeds")
    def feed_highlighted(self) -> None:
        view = self.feed_list.current_view
        if view is not None and view.flt != self.headlines.pages.flt:
            self.headlines.show(view.flt, show_feed=view.show_feed)

    @on(OptionList.OptionSelected, "#feeds")
    def feed_selected(self) -> None:
        self.headlines.focus()

    @on(HeadlineList.Opened)
    def entry_opened(self, event: HeadlineList.Opened) -> None:
        self.open_entry(event.row)
        self.article.focus()

    def open_entry(self, row: EntryRow) -> None:
        detail = self.store.get_entry(row.id)
        if detail is None:
            return
        fetch = wants_fetch(detail, self.config)
        notice = "Fetching the full article…" if fetch else ""
        self.show(entry_article(detail), row, notice)
        if fetch:
            self._full_text_worker(row.id)
        if not row.read:
            self.store.set_read([row.id], True)
            row.read = True
            self.headlines.update_row(row)
            self.load_feeds()

    def show(self, article: Article, row: EntryRow, notice: str = "") -> None:
        options = RenderOptions(feed_title=row.feed_title, notice=notice)
        self.article.show_article(article, row.id, options)
        self.article_row = row

    def action_full_text(self) -> None:
        row = self._selected_row()
        if row is None:
            return
        if self.article.entry_id != row.id:
            self.open_entry(row)
        detail = self.store.get_entry(row.id)
        if detail is not None:
            self.show(entry_article(detail), row, "Fetching the full article…")
            self._full_text_worker(row.id)

    @work(thread=True, exclusive=True, group="fulltext", exit_on_error=False)
    def _full_text_worker(self, entry_id: int) -> None:
        try:
            article = fetch_full_text(self.db_path, self.config, entry_id)
        except FetchError as exc:
            self.post_message(FullTextFailed(entry_id, str(exc), offline=exc.status is None))
        except KabarError as exc:
            self.post_message(FullTextFailed(entry_id, str(exc)))
        else:
            self.post_message(FullTextFetched(entry_id, article))

    def on_full_text_fetched(self, message: FullTextFetched) -> None:
        row = self.article_row
        if row is None or row.id != message.entry_id:
            return  # the reader has moved on: drop the stale result
        self.show(message.article, row)

    def on_full_text_failed(self, message: FullTextFailed) -> None:
        row = self.article_row
        if row is None or row.id != message.entry_id:
            return
        detail = self.store.get_entry(row.id)
        if detail is None:
            return
        if message.offline:
            notice = "Showing the feed's text: the full article needs the network."
        else:
            notice = f"Showing the feed's text: {message.error}"
        self.show(entry_article(detail), row, notice)

    def action_back(self) -> None:
        if self.focused is self.article:
            self.headlines.focus()
        elif self.focused is self.headlines:
            self.feed_list.focus()

    def action_open_link(self) -> None:
        row = self._selected_row()
        link = safe_link(row.link) if row else ""
        if link:
            self.app.open_url(link)
        else:
            self.notify("This entry has no web link.", severity="warning")

    def _selected_row(self) -> EntryRow | None:
        if self.article.entry_id is not None and self.focused is self.article:
            detail = self.store.get_entry(self.article.entry_id)
            return detail.row if detail else None
        return self.headlines.current

    # -- refresh -------------------------------------------------------------------------
    def action_refresh_all(self) -> None:
        self.start_refresh(None)

    def action_refresh_feed(self) -> None:
        feed = self.feed_list.current_feed
        if feed is None:
            self.start_refresh(None)
        else:
            self.start_refresh([feed.url])

    def start_refresh(self, urls: list[str] | None, *, force: bool = True) -> None:
        if self.refreshing:
            self.notify("A refresh is already running.", timeout=2)
            return
        self.refreshing = True
        self.status.show_message("Refreshing…")
        self._refresh_worker(urls, force)

    @work(thread=True, exclusive=True, group="refresh", exit_on_error=False)
    def _refresh_worker(self, urls: list[str] | None, force: bool) -> None:
        batch: list[FeedResult] = []
        last = 0.0

        def on_progress(result: FeedResult, done: int, total: int) -> None:
            nonlocal last
            batch.append(result)
            now = time.monotonic()
            if done == total or now - last >= _PROGRESS_EVERY:
                last = now
                self.post_message(RefreshProgressed(batch.copy(), done, total))
                batch.clear()

        summary = refresh_sync(
            self.db_path, self.config, urls, force=force, on_progress=on_progress
        )
        self.post_message(RefreshFinished(summary))

    def on_refresh_progressed(self, message: RefreshProgressed) -> None:
        errors = sum(1 for r in message.results if r.error)
        self.status.show_progress(message.done, message.total, errors)
        if any(r.new or r.updated for r in message.results):
            self.load_feeds()
            self.headlines.reload()

    def on_refresh_finished(self, message: RefreshFinished) -> None:
        self.refreshing = False
        summary = message.summary
        self.load_feeds()
        self.headlines.reload()
        self.status.show_message(summary.line(), warning=bool(summary.failed))
        if summary.offline:
            self.notify("No feed could be reached: you seem to be offline.", severity="warning")
        elif summary.failed:
            lines = [f"{r.title}: {r.error}" for r in summary.failed[:5]]
            more = len(summary.failed) - len(lines)
            if more:
                lines.append(f"… and {more} more")
            self.notify("\n".join(lines), title="Some feeds failed", severity="error")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.group == "refresh":
            self.refreshing = False
            error = event.worker.error
            self.status.show_message(f"Refresh failed: {error}", warning=True)
            self.notify(str(error), title="Refresh failed", severity="error")
