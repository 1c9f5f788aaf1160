"""Refreshing in the background: the worker, its progress, auto refresh and the search index.

`refresh_sync` runs in a thread worker (one process: forking a threaded process is
unsafe), after a sync when a [sync] account is configured. Its progress is coalesced to a
few messages a second; each one updates the counts of the feeds it names and, at most
twice a second, re-reads the headline list, which keeps the reader's selection where it is.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from textual import work
from textual.worker import Worker, WorkerState

from kabar.core.errors import database_problem
from kabar.core.store import Store
from kabar.core.wording import plural
from kabar.ui.data.views import View, ViewKind
from kabar.ui.messages import IndexCaughtUp, RefreshFinished, RefreshProgressed, UpkeepDone
from kabar.ui.screens.main.base import MainBase

if TYPE_CHECKING:
    from kabar.core.refresh import FeedResult

PROGRESS_EVERY = 0.2  # seconds: refresh progress messages are coalesced to this rate
RELOAD_EVERY = 0.5  # seconds: the headline list is re-read at most this often in a refresh


class RefreshMixin(MainBase):
    refreshing = False
    pending_urls: list[str] | None = None
    last_reload = 0.0
    failed_so_far = 0
    sync_status: tuple[str, bool] | None = None  # the last sync's status line and warning

    def action_refresh_all(self) -> None:
        self.start_refresh(None)

    def action_refresh_feed(self) -> None:
        """Refresh what the feed list points at: a feed, a folder's or a tag's feeds."""
        view = self.feed_list.current_view
        feeds = self.feed_list.feeds
        if view is None or view.kind in (ViewKind.ALL, ViewKind.UNREAD, ViewKind.SAVED):
            self.start_refresh(None)
            return
        if view.feed_id is not None:
            ids = [view.feed_id]
        elif view.feed_ids is not None:
            ids = list(view.feed_ids)
        else:
            ids = [f.id for f in feeds.values() if f.folder == view.folder]
        self.start_refresh([feeds[i].url for i in ids if i in feeds])

    def refresh_urls(self, urls: list[str]) -> None:
        if self.refreshing:
            self.pending_urls = [*(self.pending_urls or []), *urls]
        else:
            self.start_refresh(urls)

    def start_auto_refresh(self) -> None:
        minutes = self.config.general.auto_refresh_minutes
        if minutes > 0:
            self.set_interval(minutes * 60, self._refresh_on_timer, name="auto-refresh")

    def _refresh_on_timer(self) -> None:
        if not self.refreshing:
            self.start_refresh(None, force=False)

    def start_refresh(self, urls: list[str] | None, *, force: bool = True) -> None:
        if self.refreshing:
            self.notify("A refresh is already running.", timeout=2)
            return
        if urls is not None and not urls:
            return
        self.refreshing = True
        self.status.show_message("Refreshing…")
        self._refresh_worker(urls, force)

    @work(thread=True, exclusive=True, group="refresh", exit_on_error=False)
    def _refresh_worker(self, urls: list[str] | None, force: bool) -> None:
        from kabar.core.refresh import refresh_sync  # httpx and the parsers: not at start

        batch: list[FeedResult] = []
        last = 0.0

        def on_progress(result: FeedResult, done: int, total: int) -> None:
            nonlocal last
            batch.append(result)
            now = time.monotonic()
            if done == total or now - last >= PROGRESS_EVERY:
                last = now
                self.post_message(RefreshProgressed(batch.copy(), done, total))
                batch.clear()

        if self.config.sync is not None:
            # The sync server fetches its feeds: sync, then fetch only Kabar's own feeds.
            urls = self._sync_then_local(urls)
        if urls is not None and not urls:
            from kabar.core.refresh import RefreshSummary

            summary = RefreshSummary()
        else:
            summary = refresh_sync(
                self.db_path, self.config, urls, force=force, on_progress=on_progress, processes=1
            )
        self.post_message(RefreshFinished(summary))
        from kabar.core.upkeep import after_refresh

        done = after_refresh(self.db_path, self.config, summary)
        if done.removed or done.prefetched:
            self.post_message(UpkeepDone(done.removed, done.prefetched))

    def _sync_then_local(self, urls: list[str] | None) -> list[str]:
        """Sync with the [sync] server (in this worker thread); returns the local feeds
        still to refresh. The status line then shows the account, the time of the last
        sync, the changes still queued and the error, if any."""
        from kabar.core.sync import sync

        summary = sync(self.db_path, self.config)
        with Store(self.db_path) as store:
            local = store.local_feed_urls()
            queued = store.queue_length()
        when = time.strftime("%H:%M", time.localtime())
        if summary.error:
            self.sync_status = (f"{summary.line()} · {queued} changes queued", True)
        else:
            self.sync_status = (
                f"{summary.account}: synced at {when}, {summary.new} new"
                + (f" · {queued} changes queued" if queued else ""),
                False,
            )
        return [u for u in (urls or local) if u in local]

    def on_upkeep_done(self, message: UpkeepDone) -> None:
        if message.removed:  # the retention limits let entries go: re-read what is shown
            self.load_feeds()
            self.reload_headlines()
        if message.prefetched:
            fetched = plural(message.prefetched, "article")
            self.notify(f"Fetched {fetched} to read offline.", title="Prefetch")

    def on_refresh_progressed(self, message: RefreshProgressed) -> None:
        from kabar.core.refresh import Outcome  # loaded by the worker already

        errors = sum(1 for r in message.results if r.error)
        self.failed_so_far += errors
        self.status.show_progress(message.done, message.total, self.failed_so_far)
        touched = [r.feed_id for r in message.results if r.outcome is not Outcome.SKIPPED]
        self.update_counts(touched)
        changed = {r.feed_id for r in message.results if r.new or r.updated}
        if changed and self._view_shows(self.view, changed):
            now = time.monotonic()
            if now - self.last_reload >= RELOAD_EVERY:
                self.last_reload = now
                self.reload_headlines()

    def reload_headlines(self) -> None:
        if not self.searching:
            self.headlines.reload()
            self.describe_view()

    def _view_shows(self, view: View, feed_ids: set[int]) -> bool:
        if view.kind is ViewKind.FEED:
            return view.feed_id in feed_ids
        if view.kind is ViewKind.TAG:
            return bool(feed_ids.intersection(view.feed_ids or ()))
        if view.kind is ViewKind.FOLDER:
            feeds = self.feed_list.feeds
            return any(feeds[i].folder == view.folder for i in feed_ids if i in feeds)
        return view.kind is not ViewKind.SAVED

    def on_refresh_finished(self, message: RefreshFinished) -> None:
        self.refreshing = False
        self.failed_so_far = 0
        summary = message.summary
        self.update_counts([r.feed_id for r in summary.results])
        self.reload_headlines()
        line, warning = summary.line(), bool(summary.failed)
        if self.sync_status is not None:
            (line, warning), self.sync_status = self.sync_status, None
        self.status.show_message(line, warning=warning)
        if summary.offline:
            self.notify("No feed could be reached: you seem to be offline.", severity="warning")
        elif summary.failed:
            lines = [f"{r.title}: {r.error}" for r in summary.failed[:5]]
            more = len(summary.failed) - len(lines)
            if more:
                lines.append(f"… and {more} more (e on a feed shows its error)")
            self.notify("\n".join(lines), title="Some feeds failed", severity="error", timeout=8)
        self.catch_up_index()
        pending, self.pending_urls = self.pending_urls, None
        if pending:
            self.start_refresh(pending)

    # -- the search index --------------------------------------------------------------------
    def catch_up_index(self) -> None:
        self._index_worker()

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def _index_worker(self) -> None:
        with Store(self.db_path) as store:
            indexed = store.index_all()
        self.post_message(IndexCaughtUp(indexed))

    def on_index_caught_up(self, message: IndexCaughtUp) -> None:
        self.index_ready = True
        if message.indexed and self.searching:
            self.rerun_search()

    # -- failures ------------------------------------------------------------------------
    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Any worker that failed with an unexpected error: say so, and recover its state."""
        if event.state is not WorkerState.ERROR:
            return
        error = event.worker.error
        if error is not None:  # a full disk or a damaged page: said as such, one line
            error = database_problem(str(self.db_path), error) or error
        if event.worker.group == "refresh":
            self.refreshing = False
            self.status.show_message(f"Refresh failed: {error}", warning=True)
        self.notify(str(error), title=f"{event.worker.group.capitalize()} failed", severity="error")
