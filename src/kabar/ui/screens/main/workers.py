"""The main screen's thread workers: each is one call into the Library, then a past-tense
message.

They run in worker threads, so they touch no widget: `post` (the screen's `post_message`,
safe from a thread) is all they get. The Library gives each thread its own connection
(`library.store` inside the worker), closed when the worker ends (`run`). Fetching,
extraction, saving and refresh are imported where first used: at import time they would
add a third of a second to the first paint.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.message import Message

from kabar.core.errors import FetchError, KabarError
from kabar.core.library import Library
from kabar.ui.data.sync_line import sync_status
from kabar.ui.messages import (
    EntrySaved,
    EntryUnsaved,
    FullTextFailed,
    FullTextFetched,
    IndexCaughtUp,
    RefreshFinished,
    RefreshProgressed,
    SaveFailed,
    SearchFinished,
    SyncProgressed,
    UpkeepDone,
)

if TYPE_CHECKING:
    from kabar.core.library import FeedResult

Post = Callable[[Message], object]

PROGRESS_EVERY = 0.2  # seconds: refresh progress messages are coalesced to this rate


def run(library: Library, job: Callable[[], None]) -> None:
    """Run a job in this worker thread, then close the thread's connection."""
    try:
        job()
    finally:
        library.end_thread()


class _Pace:
    """Progress messages at most every PROGRESS_EVERY seconds, and the last one always: a
    burst of results (or batches) is one repaint, not one each."""

    def __init__(self) -> None:
        self.last = 0.0

    def due(self, final: bool) -> bool:
        now = time.monotonic()
        if final or now - self.last >= PROGRESS_EVERY:
            self.last = now
            return True
        return False


def refresh(post: Post, library: Library, urls: list[str] | None, force: bool) -> None:
    """Refresh from the profile's sources (a [sync] account syncs first), then keep up:
    retention and prefetch. One process: forking a threaded process is unsafe."""
    from kabar.core.library import RefreshSummary

    batch: list[FeedResult] = []
    feeds_pace, sync_pace = _Pace(), _Pace()

    def on_progress(result: FeedResult, done: int, total: int) -> None:
        batch.append(result)
        if feeds_pace.due(done == total):
            post(RefreshProgressed(batch.copy(), done, total))
            batch.clear()

    def on_synced(stored: int, total: int) -> None:
        if sync_pace.due(stored == total):
            post(SyncProgressed(stored, total))

    done = library.refresh(
        urls,
        force=force,
        on_progress=on_progress,
        processes=1,
        upkeep=False,
        on_synced=on_synced,
    )
    status = None if done.synced is None else sync_status(done.synced, library.queued_changes())
    summary = done.summary or RefreshSummary()
    post(RefreshFinished(summary, status))
    kept = library.upkeep(summary)
    if kept.removed or kept.prefetched:
        post(UpkeepDone(kept.removed, kept.prefetched))


def full_text(post: Post, library: Library, entry_id: int) -> None:
    try:
        article = library.fetch_full_text(entry_id)
    except FetchError as exc:
        post(FullTextFailed(entry_id, str(exc), offline=exc.status is None))
    except KabarError as exc:
        post(FullTextFailed(entry_id, str(exc)))
    else:
        post(FullTextFetched(entry_id, article))


def save(post: Post, library: Library, entry_id: int) -> None:
    """Save an entry, fetching its full text first."""
    try:
        result = library.save(entry_id)
    except KabarError as exc:
        post(SaveFailed(entry_id, True, str(exc)))
    else:
        post(EntrySaved(result))


def unsave(post: Post, library: Library, entry_id: int) -> None:
    try:
        library.unsave(entry_id)
    except KabarError as exc:
        post(SaveFailed(entry_id, False, str(exc)))
    else:
        post(EntryUnsaved(entry_id))


def search(post: Post, library: Library, query: str, limit: int) -> None:
    post(SearchFinished(query, library.search(query, limit, catch_up=False)))


def catch_up_index(post: Post, library: Library) -> None:
    """Index what the search index lacks."""
    post(IndexCaughtUp(library.index()))
