"""Refreshing from the main screen: start a refresh (or sync) in a worker, show its
progress and summary, queue feeds asked for meanwhile, and re-read what it changed.

The screen routes its refresh keys and the refresh worker's messages here. When to reload
the headlines and what to say about failures are decided in `kabar.ui.data.refresh_run`.
"""

from __future__ import annotations

import time
from functools import partial
from typing import TYPE_CHECKING

from kabar.core.wording import plural
from kabar.ui.data.refresh_run import RefreshRun, failures_note
from kabar.ui.data.views import view_feed_ids, view_shows_any
from kabar.ui.screens.main import workers

if TYPE_CHECKING:
    from kabar.ui import messages as msg
    from kabar.ui.screens.main.screen import MainScreen


class Refresher:
    """The refresh runs of a `MainScreen`: one at a time, later requests queued."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.run = RefreshRun()

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
        if self.run.running:
            self.screen.notify("A refresh is already running.", timeout=2)
            return
        if urls is not None and not urls:
            return
        self.run.running = True
        self.screen.status.show_message("Refreshing…")
        job = partial(workers.refresh, self.screen.post_message, self.screen.library, urls, force)
        self.screen.work("refresh", job)

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

    def finished(self, message: msg.RefreshFinished) -> None:
        pending = self.run.finish()
        summary = message.summary
        self.screen.update_counts([r.feed_id for r in summary.results])
        self.screen.reload_headlines()
        line, warning = message.sync_status or (summary.line(), bool(summary.failed))
        self.screen.status.show_message(line, warning=warning)
        if summary.offline:
            self.screen.notify(
                "No feed could be reached: you seem to be offline.", severity="warning"
            )
        elif summary.failed:
            note = failures_note(summary.failed)
            self.screen.notify(note, title="Some feeds failed", severity="error", timeout=8)
        self.screen.catch_up_index()
        if pending:
            self.start(pending)

    def synced(self, status: tuple[str, bool]) -> None:
        """A sync outside a refresh (after an add on the sync server) brought feeds."""
        self.screen.load_feeds()
        self.screen.reload_headlines()
        self.screen.status.show_message(status[0], warning=status[1])
        self.screen.catch_up_index()

    def upkeep_done(self, message: msg.UpkeepDone) -> None:
        if message.removed:  # the retention limits let entries go: re-read what is shown
            self.screen.load_feeds()
            self.screen.reload_headlines()
        if message.prefetched:
            fetched = plural(message.prefetched, "article")
            self.screen.notify(f"Fetched {fetched} to read offline.", title="Prefetch")
