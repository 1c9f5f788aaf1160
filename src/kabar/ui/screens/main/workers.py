"""The main screen's thread workers: each calls the core and posts a past-tense message.

They run in worker threads, so they touch no widget: `post` (the screen's `post_message`,
safe from a thread) is all they get. Each opens what it needs on its own connection (one
per thread). Fetching, extraction, saving and refresh are imported where first used: at
import time they would add a third of a second to the first paint.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

from kabar.core.config import Config
from kabar.core.errors import FetchError, KabarError
from kabar.core.store import Store
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
    UpkeepDone,
)

if TYPE_CHECKING:
    from kabar.core.refresh import FeedResult

Post = Callable[[Message], object]

PROGRESS_EVERY = 0.2  # seconds: refresh progress messages are coalesced to this rate


def refresh(post: Post, db_path: Path, config: Config, urls: list[str] | None, force: bool) -> None:
    """Refresh (after a sync when a [sync] account is configured), then keep up: retention
    and prefetch. One process: forking a threaded process is unsafe."""
    from kabar.core.refresh import RefreshSummary, refresh_sync

    batch: list[FeedResult] = []
    last = 0.0

    def on_progress(result: FeedResult, done: int, total: int) -> None:
        nonlocal last
        batch.append(result)
        now = time.monotonic()
        if done == total or now - last >= PROGRESS_EVERY:
            last = now
            post(RefreshProgressed(batch.copy(), done, total))
            batch.clear()

    status = None
    if config.sync is not None:
        # The sync server fetches its feeds: sync, then fetch only Kabar's own feeds.
        urls, status = sync_then_local(db_path, config, urls)
    if urls is not None and not urls:
        summary = RefreshSummary()
    else:
        summary = refresh_sync(
            db_path, config, urls, force=force, on_progress=on_progress, processes=1
        )
    post(RefreshFinished(summary, status))
    from kabar.core.upkeep import after_refresh

    done = after_refresh(db_path, config, summary)
    if done.removed or done.prefetched:
        post(UpkeepDone(done.removed, done.prefetched))


def sync_then_local(
    db_path: Path, config: Config, urls: list[str] | None
) -> tuple[list[str], tuple[str, bool]]:
    """Sync with the [sync] server; the local feeds still to refresh, and the status line
    to show after: the account, the time of the last sync, the changes still queued and
    the error, if any (and whether it is a warning)."""
    from kabar.core.sync import sync

    summary = sync(db_path, config)
    with Store(db_path) as store:
        local = store.local_feed_urls()
        queued = store.queue_length()
    when = time.strftime("%H:%M", time.localtime())
    if summary.error:
        status = (f"{summary.line()} · {queued} changes queued", True)
    else:
        status = (
            f"{summary.account}: synced at {when}, {summary.new} new"
            + (f" · {queued} changes queued" if queued else ""),
            False,
        )
    return [u for u in (urls or local) if u in local], status


def full_text(post: Post, db_path: Path, config: Config, entry_id: int) -> None:
    from kabar.core.fulltext import fetch_full_text

    try:
        article = fetch_full_text(db_path, config, entry_id)
    except FetchError as exc:
        post(FullTextFailed(entry_id, str(exc), offline=exc.status is None))
    except KabarError as exc:
        post(FullTextFailed(entry_id, str(exc)))
    else:
        post(FullTextFetched(entry_id, article))


def save(post: Post, db_path: Path, config: Config, entry_id: int) -> None:
    """Save an entry, fetching its full text first."""
    from kabar.core.saving import save_entry

    try:
        result = save_entry(db_path, config, entry_id)
    except KabarError as exc:
        post(SaveFailed(entry_id, True, str(exc)))
    else:
        post(EntrySaved(result))


def unsave(post: Post, db_path: Path, entry_id: int) -> None:
    from kabar.core.saving import unsave_entry

    try:
        unsave_entry(db_path, entry_id)
    except KabarError as exc:
        post(SaveFailed(entry_id, False, str(exc)))
    else:
        post(EntryUnsaved(entry_id))


def search(post: Post, db_path: Path, query: str, limit: int) -> None:
    with Store(db_path) as store:
        rows = store.search(query, limit=limit)
    post(SearchFinished(query, rows))


def catch_up_index(post: Post, db_path: Path) -> None:
    """Index what the search index lacks."""
    with Store(db_path) as store:
        indexed = store.index_all()
    post(IndexCaughtUp(indexed))


def warm_up() -> None:
    """Import what opening, fetching and saving need, just after the first paint, so the
    first article opens at once."""
    import kabar.core.fulltext
    import kabar.core.reading
    import kabar.core.saving  # noqa: F401
