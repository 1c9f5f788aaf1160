"""Refreshing from the main screen: start a refresh (or sync) in a worker, show its
progress and summary, queue what is asked for meanwhile, and re-read what it changed.

The screen routes its refresh keys and the refresh worker's messages here. A refresh, and
with a [sync] account every change of the server's subscriptions (`server_job`: an add, a
remove), take turns in one lane, so two syncs never run at once: a request made while one
runs waits for it, and requests for a whole refresh fold into one more after it. When to
reload the headlines and what to say about failures are decided in
`kabar.ui.data.refresh_run`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import suppress
from functools import partial
from typing import TYPE_CHECKING

from kabar.core.wording import plural
from kabar.ui.data.refresh_run import Again, LaneJob, RefreshRun, failures_note
from kabar.ui.data.views import view_feed_ids, view_shows_any
from kabar.ui.screens.main import workers

if TYPE_CHECKING:
    from textual.worker import Worker

    from kabar.ui import messages as msg
    from kabar.ui.screens.main.screen import MainScreen


class Refresher:
    """The refresh runs of a `MainScreen`: one at a time, later requests queued."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.run = RefreshRun()
        self.current: Worker[None] | None = None  # the lane's worker, until it is done

    def refresh_urls(self, urls: list[str]) -> None:
        """Refresh these feeds now, or after the refresh that is running."""
        if not self.run.queue(urls):
            self.start(urls)

    def refresh_feed(self) -> None:
        """Refresh what the feed list points at: a feed, a folder's or a tag's feeds."""
        view, feeds = self.screen.feed_list.current_view, self.screen.feed_list.feeds
        ids = view_feed_ids(view, feeds) if view is not None else None
        self.start(None if ids is None else [feeds[i].url for i in ids if i in feeds])

    def on_timer(self) -> None:
        if not self.run.running:
            self.start(None, force=False)

    def start(self, urls: list[str] | None, *, force: bool = True) -> None:
        """Refresh these feeds (None: all, and sync) now, or after what runs in the lane."""
        if urls is not None and not urls:
            return
        if self.run.running:
            if urls is not None:
                self.run.queue(urls)
            elif self.run.queue_again(force) and force:
                self.screen.notify("Already refreshing: one more refresh follows.", timeout=2)
            return
        self.run.running = True
        self.screen.status.show_message("Refreshing…")
        job = partial(workers.refresh, self.screen.post_message, self.screen.library, urls, force)
        self.current = self.screen.work("refresh", job)

    def server_job(self, name: str, job: Callable[[], None], status: str) -> None:
        """Run work on the sync server (an add, a remove; `job` runs in a thread) in the
        lane: now, or after the refresh or server job that runs."""
        lane_job = LaneJob(name, job, status)
        if self.run.queue_job(lane_job):
            self.screen.notify(f"{status} It waits for the sync that runs.", timeout=3)
            return
        self._run_job(lane_job)

    def _run_job(self, job: LaneJob) -> None:
        self.run.running = True
        self.screen.status.show_message(job.status)
        app = self.screen.app

        def body() -> None:
            try:
                job.run()
            finally:  # the lane is free again, however the job ended
                with suppress(RuntimeError):  # the app is closing
                    app.call_from_thread(self._lane_free)

        self.current = self.screen.work(job.name, body, exclusive=False)

    def _lane_free(self) -> None:
        """What ran in the lane is done: start what waited for it."""
        self.current = None
        following = self.run.finish()
        if isinstance(following, LaneJob):
            self._run_job(following)
        elif isinstance(following, Again):
            self.start(None, force=following.force)
        elif following:
            self.start(following)

    def failed(self, worker: Worker[None], error: object) -> bool:
        """A lane worker ended with an unexpected error: free the lane (a refresh's own
        end is its message; a server job frees it itself). True when it was the refresh."""
        if worker is not self.current or worker.group != "refresh":
            return False
        self.screen.status.show_message(f"Refresh failed: {error}", warning=True)
        self._lane_free()
        return True

    def progressed(self, message: msg.RefreshProgressed) -> None:
        from kabar.core.library import Outcome  # loaded by the worker already

        failed = self.run.progressed(sum(1 for r in message.results if r.error))
        self.screen.status.show_progress(message.done, message.total, failed)
        self.screen.update_counts(
            [r.feed_id for r in message.results if r.outcome is not Outcome.SKIPPED]
        )
        changed = {r.feed_id for r in message.results if r.new or r.updated}
        feeds = self.screen.feed_list.feeds
        if (
            changed
            and view_shows_any(self.screen.view, changed, feeds)
            and self.run.reload_due(time.monotonic())
        ):
            self.screen.reload_headlines()

    def sync_progressed(self, message: msg.SyncProgressed) -> None:
        """How far a sync's contents are. An empty list (the first start after `[sync]`
        is set up) fills in as they arrive; a list being read is left alone until the end,
        so that its keys do not wait for re-reads."""
        self.screen.status.show_sync_progress(message.done, message.total)
        if not self.screen.headlines.count and self.run.reload_due(time.monotonic()):
            self.screen.load_feeds()  # stored before the contents: listed with the first
            self.screen.reload_headlines()

    def finished(self, message: msg.RefreshFinished) -> None:
        summary = message.summary
        if message.sync_status is not None:  # a sync may add, remove or rename feeds
            self.screen.load_feeds()
        else:
            self.screen.update_counts([r.feed_id for r in summary.results])
        self.screen.reload_headlines()
        line, warning = message.sync_status or (summary.line(), bool(summary.failed))
        self.screen.status.show_message(line, warning=warning)
        if message.sync_status is not None and warning:  # the whole line, however narrow
            self.screen.notify(line, title="Sync failed", severity="error", timeout=8)
        if summary.offline:
            self.screen.notify(
                "No feed could be reached: you seem to be offline.", severity="warning"
            )
        elif summary.failed:
            note = failures_note(summary.failed)
            self.screen.notify(note, title="Some feeds failed", severity="error", timeout=8)
        self.screen.catch_up_index()
        self._lane_free()

    def synced(self, status: tuple[str, bool]) -> None:
        """A sync outside a refresh (after an add on the sync server) brought feeds."""
        self.screen.load_feeds()
        self.screen.reload_headlines()
        self.screen.status.show_message(status[0], warning=status[1])
        if status[1]:
            self.screen.notify(status[0], title="Sync failed", severity="error", timeout=8)
        self.screen.catch_up_index()

    def upkeep_done(self, message: msg.UpkeepDone) -> None:
        if message.removed:  # the retention limits let entries go: re-read what is shown
            self.screen.load_feeds()
            self.screen.reload_headlines()
        if message.prefetched:
            fetched = plural(message.prefetched, "article")
            self.screen.notify(f"Fetched {fetched} to read offline.", title="Prefetch")
