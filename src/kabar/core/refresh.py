"""Refresh: fetch feeds concurrently, parse them off the event loop, store them in batches.

This is the one function both faces call: `kabar refresh` runs it with a progress bar, the TUI
runs it in a worker thread and turns the progress callback into messages. It never raises
for a single feed: a feed that fails records its error and the others go on.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from kabar.core.config import Config
from kabar.core.errors import FeedParseError, FetchError
from kabar.core.fetch import Fetcher, FetchLimits, HTTPStatusError, Response
from kabar.core.models import FeedRow, FeedUpdate, ParsedFeed
from kabar.core.parse import parse_feed
from kabar.core.store import Store

_FLUSH_EVERY = 0.25  # seconds between batched writes while a refresh runs
_FLUSH_SIZE = 64  # or this many feeds, whichever comes first


class Outcome(StrEnum):
    OK = "ok"
    NOT_MODIFIED = "not modified"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(slots=True)
class FeedResult:
    feed_id: int
    url: str
    title: str
    outcome: Outcome
    new: int = 0
    updated: int = 0
    error: str = ""
    unreachable: bool = False


@dataclass(slots=True)
class RefreshSummary:
    results: list[FeedResult] = field(default_factory=list)
    elapsed: float = 0.0

    def count(self, outcome: Outcome) -> int:
        return sum(1 for r in self.results if r.outcome is outcome)

    @property
    def new_entries(self) -> int:
        return sum(r.new for r in self.results)

    @property
    def failed(self) -> list[FeedResult]:
        return [r for r in self.results if r.outcome is Outcome.FAILED]

    @property
    def offline(self) -> bool:
        """True when no feed could be reached at all: report "offline" once, not per feed."""
        tried = [r for r in self.results if r.outcome is not Outcome.SKIPPED]
        return bool(tried) and all(r.unreachable for r in tried)

    def line(self) -> str:
        if self.offline:
            return f"Offline: none of {len(self.results)} feeds could be reached."
        return (
            f"{len(self.results)} feeds: {self.count(Outcome.OK)} ok, "
            f"{self.count(Outcome.NOT_MODIFIED)} not modified, {self.count(Outcome.FAILED)} failed"
            + (f", {self.count(Outcome.SKIPPED)} skipped" if self.count(Outcome.SKIPPED) else "")
            + f"; {self.new_entries} new entries in {self.elapsed:.1f} s"
        )


ProgressCallback = Callable[[FeedResult, int, int], None]


def limits_from(config: Config, jobs: int | None = None) -> FetchLimits:
    net = config.network
    return FetchLimits(
        timeout=net.timeout,
        connect_timeout=net.connect_timeout,
        max_connections=jobs or net.max_connections,
        max_per_host=jobs or net.max_per_host,
        max_bytes=net.max_feed_bytes,
    )


def refresh_sync(
    db_path: Path,
    config: Config,
    urls: Sequence[str] | None = None,
    *,
    force: bool = True,
    jobs: int | None = None,
    on_progress: ProgressCallback | None = None,
) -> RefreshSummary:
    """Run a whole refresh on a fresh event loop (for the CLI and worker threads)."""
    return asyncio.run(
        refresh_feeds(db_path, config, urls, force=force, jobs=jobs, on_progress=on_progress)
    )


async def refresh_feeds(
    db_path: Path,
    config: Config,
    urls: Sequence[str] | None = None,
    *,
    force: bool = True,
    jobs: int | None = None,
    on_progress: ProgressCallback | None = None,
) -> RefreshSummary:
    """Refresh the given feeds (all when `urls` is None).

    With `force=False`, feeds are skipped until the time their server or config allows
    (Cache-Control, Expires, <ttl>, Retry-After, `refresh_minutes`).
    """
    started = time.monotonic()
    writer = ThreadPoolExecutor(1, thread_name_prefix="kabar-store")
    loop = asyncio.get_running_loop()
    store = await loop.run_in_executor(writer, Store, db_path)
    try:
        feeds = await loop.run_in_executor(writer, store.list_feeds, urls)
        job = _RefreshJob(store, writer, config, feeds, force, on_progress)
        async with Fetcher(limits_from(config, jobs)) as fetcher:
            await asyncio.gather(*(job.refresh_one(fetcher, feed) for feed in feeds))
        await job.flush()
        summary = RefreshSummary(job.results, time.monotonic() - started)
    finally:
        await loop.run_in_executor(writer, store.close)
        writer.shutdown(wait=True)
    return summary


class _RefreshJob:
    """The state of one refresh run: pending writes and results so far."""

    def __init__(
        self,
        store: Store,
        writer: ThreadPoolExecutor,
        config: Config,
        feeds: list[FeedRow],
        force: bool,
        on_progress: ProgressCallback | None,
    ) -> None:
        self.store = store
        self.writer = writer
        self.config = config
        self.total = len(feeds)
        self.force = force
        self.on_progress = on_progress
        self.results: list[FeedResult] = []
        self.pending: list[tuple[FeedUpdate, FeedResult]] = []
        self.last_flush = time.monotonic()
        self.lock = asyncio.Lock()

    async def refresh_one(self, fetcher: Fetcher, feed: FeedRow) -> None:
        now = time.time()
        result = FeedResult(feed.id, feed.url, feed.display_title, Outcome.SKIPPED)
        if not self._due(feed, now):
            self._report(result)
            return
        update = await self._fetch_and_parse(fetcher, feed, now)
        result.outcome = (
            Outcome.FAILED
            if update.error
            else Outcome.NOT_MODIFIED
            if update.not_modified
            else Outcome.OK
        )
        result.error = update.error
        result.unreachable = update.status is None and bool(update.error)
        if update.parsed is not None and update.parsed.title and not feed.title:
            result.title = update.parsed.title
        self.pending.append((update, result))
        if len(self.pending) >= _FLUSH_SIZE or time.monotonic() - self.last_flush > _FLUSH_EVERY:
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
            response = await fetcher.get(feed.url, feed.etag, feed.last_modified)
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
            parsed = await asyncio.to_thread(_parse, response)
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
            counts = await loop.run_in_executor(
                self.writer, self.store.apply_updates, [u for u, _ in batch]
            )
            for update, result in batch:
                stored = counts.get(update.feed_id)
                if stored is not None:
                    result.new, result.updated = stored.new, stored.updated
                self._report(result)

    def _report(self, result: FeedResult) -> None:
        self.results.append(result)
        if self.on_progress is not None:
            self.on_progress(result, len(self.results), self.total)


def _parse(response: Response) -> ParsedFeed:
    return parse_feed(response.content, response.final_url, response.content_type)
