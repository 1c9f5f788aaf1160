"""One shard of a refresh: fetch a set of feeds, parse them, store them in batches.

A shard runs on one event loop with one httpx client. Parsing runs in a thread so the
loop keeps fetching; all SQLite work runs on one writer thread with its own connection,
in batched transactions (a fraction of a second or 32 feeds each).

The rule: anything raised while fetching, decoding, parsing or storing one feed becomes
that feed's recorded error, and the others go on. Only a database that cannot be written
at all stops the shard (every later write would fail the same way): a full disk raises
DiskFullError once; a locked, read-only or damaged database raises StoreError once.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from kabar.core.config.settings import Config
from kabar.core.errors import (
    DiskFullError,
    FeedParseError,
    FetchError,
    StoreError,
    damaged_message,
    is_disk_full,
)
from kabar.core.feeds.fetch import Fetcher, FetchLimits, HTTPStatusError, Response
from kabar.core.feeds.refresh.faults import inject
from kabar.core.feeds.refresh.results import FeedResult, Outcome
from kabar.core.models import FeedRow, FeedUpdate, ParsedFeed
from kabar.core.store import Store
from kabar.core.store.updates import StoredCounts

FLUSH_EVERY = 0.25  # seconds between batched writes while a refresh runs
FLUSH_SIZE = 32  # or this many feeds, whichever comes first

BACKOFF_FIRST = 300.0  # a failing feed waits 5 minutes, then 10, 20, ... (failures in a row)
BACKOFF_MAX = 24 * 3600.0  # and never more than a day

Report = Callable[[FeedResult], None]
Started = Callable[[int], None]
log = logging.getLogger(__name__)


async def refresh_shard(
    db_path: Path,
    config: Config,
    feeds: list[FeedRow],
    limits: FetchLimits,
    *,
    force: bool,
    report: Report,
    started: Started | None = None,
) -> None:
    """Refresh `feeds`, calling `report` once per feed after its result is stored.

    `started` is called with a feed's id as its fetch begins, so that whoever runs this
    shard in a child process knows which feeds were in flight if the child dies.
    Raises DiskFullError (once) when the disk is full, StoreError when the database cannot
    be written at all; nothing else.
    """
    writer = ThreadPoolExecutor(1, thread_name_prefix="kabar-store")
    loop = asyncio.get_running_loop()
    store = await loop.run_in_executor(writer, Store, db_path)
    try:
        job = _ShardJob(store, writer, config, force, report, limits.max_connections)
        job.started = started
        try:
            async with Fetcher(limits) as fetcher, asyncio.TaskGroup() as group:
                for feed in feeds:
                    group.create_task(job.refresh_one(fetcher, feed))
        except BaseExceptionGroup as exc:
            raise _first(exc) from None
        await job.flush()
    finally:
        await loop.run_in_executor(writer, store.close)
        writer.shutdown(wait=True)


def _first(group: BaseExceptionGroup[BaseException]) -> BaseException:
    """The error to raise for a failed task group: a full disk if any task saw one."""
    full = group.subgroup(DiskFullError) or group.subgroup(StoreError)
    leaf: BaseException = full if full is not None else group
    while isinstance(leaf, BaseExceptionGroup):
        leaf = leaf.exceptions[0]
    return leaf


class _ShardJob:
    """The state of one shard: pending writes waiting for the next batch."""

    def __init__(
        self,
        store: Store,
        writer: ThreadPoolExecutor,
        config: Config,
        force: bool,
        report: Report,
        connections: int,
    ) -> None:
        # Backpressure: at most this many feeds between "fetch started" and "written".
        # Fetching and parsing outrun SQLite on a fast network; without a bound, a cold
        # refresh of 1,000 feeds would hold every parsed feed in memory at once.
        self.window = asyncio.Semaphore(FLUSH_SIZE + connections)
        self.store = store
        self.writer = writer
        self.config = config
        self.force = force
        self.report = report
        self.pending: list[tuple[FeedUpdate, FeedResult]] = []
        self.last_flush = time.monotonic()
        self.lock = asyncio.Lock()
        self.started: Started | None = None

    async def refresh_one(self, fetcher: Fetcher, feed: FeedRow) -> None:
        now = time.time()
        result = FeedResult(feed.id, feed.url, feed.display_title, Outcome.SKIPPED)
        if not self._due(feed, now):
            self.report(result)
            return
        await self.window.acquire()  # released by the flush that writes this feed
        if self.started is not None:
            self.started(feed.id)
        try:
            update = await self._fetch_and_parse(fetcher, feed, now)
        except Exception as exc:  # the rule: one feed's error, never the run's
            log.warning("refresh of %s raised", feed.url, exc_info=True)
            update = FeedUpdate(feed_id=feed.id, fetched_at=now, error=_unexpected(exc))
        if update.error and update.next_fetch is None and not update.unreachable:
            update.next_fetch = now + backoff(feed.error_count + 1)
        result.outcome = (
            Outcome.FAILED
            if update.error
            else Outcome.NOT_MODIFIED
            if update.not_modified
            else Outcome.OK
        )
        result.error = update.error
        if update.error:
            log.warning("refresh failed: %s: %s", feed.url, update.error)
        result.unreachable = update.unreachable
        if update.parsed is not None and update.parsed.title and not feed.title:
            result.title = update.parsed.title
        self.pending.append((update, result))
        if len(self.pending) >= FLUSH_SIZE or time.monotonic() - self.last_flush > FLUSH_EVERY:
            await self.flush()

    def _due(self, feed: FeedRow, now: float) -> bool:
        if feed.disabled:
            return False
        if self.force:
            return True
        if feed.next_fetch is not None and now < feed.next_fetch:
            return False
        minimum = self.config.feed(feed.url).refresh_minutes * 60
        return not (minimum and feed.last_fetched and now - feed.last_fetched < minimum)

    async def _fetch_and_parse(self, fetcher: Fetcher, feed: FeedRow, now: float) -> FeedUpdate:
        update = FeedUpdate(feed_id=feed.id, fetched_at=now)
        try:
            inject("fetch", feed.url)
            response = await fetcher.get(feed.url, feed.etag, feed.last_modified)
            inject("decode", feed.url)
        except HTTPStatusError as exc:
            update.status = exc.status
            update.error = str(exc)
            if exc.status == 410:
                update.disabled = "gone: the server says this feed was removed (HTTP 410)"
            if exc.retry_after is not None:
                update.next_fetch = now + exc.retry_after
            return update
        except FetchError as exc:
            update.error = str(exc)
            update.unreachable = exc.unreachable
            return update
        update.status = response.status
        update.new_url = response.permanent_url
        update.etag = response.etag
        update.last_modified = response.last_modified
        if response.not_modified:
            update.not_modified = True
            fresh = max(response.fresh_for, feed.min_interval)
            update.next_fetch = now + fresh if fresh else None
            return update
        try:
            # Parsed on the loop's own thread: the fetches are waiting on the network or on
            # this same core anyway, and extra threads only add GIL handoffs and malloc
            # arenas (memory) on top.
            inject("parse", feed.url)
            parsed = _parse(response)
        except FeedParseError as exc:
            update.error = f"{exc} ({feed.url})"
            return update
        update.parsed = parsed
        fresh = max(response.fresh_for, (parsed.ttl_minutes or 0) * 60.0)
        update.next_fetch = now + fresh if fresh else None
        return update

    async def flush(self) -> None:
        async with self.lock:
            batch, self.pending = self.pending, []
            self.last_flush = time.monotonic()
            if not batch:
                return
            loop = asyncio.get_running_loop()
            try:
                counts = await loop.run_in_executor(self.writer, self._write, batch)
            finally:
                for _ in batch:
                    self.window.release()
            for update, result in batch:
                stored = counts.get(update.feed_id)
                if stored is not None:
                    result.new, result.updated = stored.new, stored.updated
                self.report(result)

    def _write(self, batch: list[tuple[FeedUpdate, FeedResult]]) -> dict[int, StoredCounts]:
        """Write a batch in one transaction; when that fails, each feed on its own, so a
        feed that cannot be stored fails alone (on the writer thread)."""
        try:
            for _, result in batch:
                inject("store", result.url)
            return self.store.apply_updates([u for u, _ in batch])
        except Exception as exc:  # retried feed by feed below
            stop_if_unwritable(exc, self.store.path)
        counts: dict[int, StoredCounts] = {}
        for update, result in batch:
            try:
                inject("store", result.url)
                counts.update(self.store.apply_updates([update]))
            except Exception as exc:  # this feed's error
                stop_if_unwritable(exc, self.store.path)
                log.warning("storing %s failed", result.url, exc_info=True)
                error = f"could not store this feed's entries: {_unexpected(exc)}"
                result.outcome, result.error = Outcome.FAILED, error
                failed = FeedUpdate(update.feed_id, update.fetched_at, update.status, error=error)
                failed.next_fetch = update.fetched_at + backoff(1)
                try:
                    self.store.apply_updates([failed])
                except Exception as again:  # reported, not stored
                    stop_if_unwritable(again, self.store.path)
        return counts


def backoff(failures: int) -> float:
    """Seconds to wait before fetching a feed that failed `failures` times in a row:
    BACKOFF_FIRST doubling each time, at most BACKOFF_MAX. `--due` and the reader's
    automatic refreshes respect it; a forced refresh does not."""
    return float(min(BACKOFF_MAX, BACKOFF_FIRST * 2 ** min(max(failures, 1) - 1, 20)))


def stop_if_unwritable(exc: BaseException, path: str) -> None:
    """Raise the run's error when `exc` says the database cannot be written at all (a full
    disk, a lock held too long, a read-only or damaged file): retrying feed by feed would
    only fail the same way. Errors about one feed's data return, to fail that feed alone."""
    if is_disk_full(exc):
        raise DiskFullError(disk_full_message(path)) from exc
    if isinstance(exc, sqlite3.OperationalError):
        raise StoreError(f"cannot write to the database {path}: {exc}") from exc
    if type(exc) is sqlite3.DatabaseError:  # not Integrity/Interface/DataError: damage
        raise StoreError(damaged_message(path, exc)) from exc


def disk_full_message(path: str) -> str:
    return (
        f"the disk is full: Kabar cannot write to {path}. Refresh stopped; nothing stored "
        "was lost. Free some space and run it again."
    )


def _unexpected(exc: BaseException) -> str:
    """One line for an error nobody planned for (a bug, or a library's surprise)."""
    if isinstance(exc, MemoryError):
        return "ran out of memory on this feed"
    text = " ".join(str(exc).split())[:300]
    return f"{exc.__class__.__name__}: {text}" if text else exc.__class__.__name__


def _parse(response: Response) -> ParsedFeed:
    # Imported on first use: a refresh where every feed answers 304 never parses, and the
    # parsers (feedparser included) are a tenth of a second of start-up.
    from kabar.core.feeds.parse import parse_feed

    return parse_feed(response.content, response.final_url, response.content_type)
