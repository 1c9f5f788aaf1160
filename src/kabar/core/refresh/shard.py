"""One shard of a refresh: fetch a set of feeds, parse them, store them in batches.

A shard runs on one event loop with one httpx client. Parsing runs in a thread so the
loop keeps fetching; all SQLite work runs on one writer thread with its own connection,
in batched transactions (a fraction of a second or 64 feeds each). A feed that fails
records its error and the others go on.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from kabar.core.config import Config
from kabar.core.errors import FeedParseError, FetchError
from kabar.core.fetch import Fetcher, FetchLimits, HTTPStatusError, Response
from kabar.core.models import FeedRow, FeedUpdate, ParsedFeed
from kabar.core.refresh.results import FeedResult, Outcome
from kabar.core.store import Store

FLUSH_EVERY = 0.25  # seconds between batched writes while a refresh runs
FLUSH_SIZE = 32  # or this many feeds, whichever comes first

Report = Callable[[FeedResult], None]
log = logging.getLogger(__name__)


async def refresh_shard(
    db_path: Path,
    config: Config,
    feeds: list[FeedRow],
    limits: FetchLimits,
    *,
    force: bool,
    report: Report,
) -> None:
    """Refresh `feeds`, calling `report` once per feed after its result is stored."""
    writer = ThreadPoolExecutor(1, thread_name_prefix="kabar-store")
    loop = asyncio.get_running_loop()
    store = await loop.run_in_executor(writer, Store, db_path)
    try:
        job = _ShardJob(store, writer, config, force, report, limits.max_connections)
        async with Fetcher(limits) as fetcher:
            await asyncio.gather(*(job.refresh_one(fetcher, feed) for feed in feeds))
        await job.flush()
    finally:
        await loop.run_in_executor(writer, store.close)
        writer.shutdown(wait=True)


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

    async def refresh_one(self, fetcher: Fetcher, feed: FeedRow) -> None:
        now = time.time()
        result = FeedResult(feed.id, feed.url, feed.display_title, Outcome.SKIPPED)
        if not self._due(feed, now):
            self.report(result)
            return
        await self.window.acquire()  # released by the flush that writes this feed
        update = await self._fetch_and_parse(fetcher, feed, now)
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
        result.unreachable = update.status is None and bool(update.error)
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
            # Parsed on the loop's own thread: the fetches are waiting on the network or on
            # this same core anyway, and extra threads only add GIL handoffs and malloc
            # arenas (memory) on top.
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
            counts = await loop.run_in_executor(
                self.writer, self.store.apply_updates, [u for u, _ in batch]
            )
            for update, result in batch:
                stored = counts.get(update.feed_id)
                if stored is not None:
                    result.new, result.updated = stored.new, stored.updated
                self.report(result)
                self.window.release()


def _parse(response: Response) -> ParsedFeed:
    # Imported on first use: a refresh where every feed answers 304 never parses, and the
    # parsers (feedparser included) are a tenth of a second of start-up.
    from kabar.core.parse import parse_feed

    return parse_feed(response.content, response.final_url, response.content_type)
