"""Refresh: the one function both faces call.

A big refresh is split into shards, one per core: the feeds are dealt out round-robin
(grouped by host so each host's feeds are spread evenly), each shard runs in its own child
process with its own event loop, httpx client and SQLite connection, and the concurrency
caps are divided between them so the overall and per-host bounds still hold. httpx and the
parsers are CPU-bound Python, so a second process is what a second core buys. Results
stream back over a pipe to whoever shows progress.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

from kabar.core.config.settings import Config
from kabar.core.feeds.fetch import FetchLimits, limits_from
from kabar.core.feeds.refresh.children import run_processes
from kabar.core.feeds.refresh.results import FeedResult, ProgressCallback, RefreshSummary
from kabar.core.feeds.refresh.shard import refresh_shard
from kabar.core.models import FeedRow
from kabar.core.store import Store

MIN_FEEDS_PER_PROCESS = 50  # below this, one process is faster than forking another


def refresh_sync(
    db_path: Path,
    config: Config,
    urls: Sequence[str] | None = None,
    *,
    force: bool = True,
    jobs: int | None = None,
    on_progress: ProgressCallback | None = None,
    processes: int | None = 1,
) -> RefreshSummary:
    """Refresh the given feeds (all when `urls` is None) and wait for the result.

    With `force=False`, feeds are skipped until the time their server or config allows
    (Cache-Control, Expires, <ttl>, Retry-After, `refresh_minutes`). `processes=None`
    picks one process per core for big refreshes; forking is only used when this process
    has no other threads (the CLI), never under the TUI.
    """
    started = time.monotonic()
    feeds = refreshable_feeds(db_path, urls)
    collector = _Collector(len(feeds), on_progress)
    limits = limits_from(config, jobs)
    count = _process_count(processes, len(feeds))
    shards = deal(feeds, count)
    if len(shards) <= 1:
        asyncio.run(
            refresh_shard(db_path, config, feeds, limits, force=force, report=collector.add)
        )
    else:
        each = shard_limits(limits, len(shards))
        run_processes(db_path, config, shards, each, force, collector.add)
    return RefreshSummary(collector.results, time.monotonic() - started)


async def refresh_feeds(
    db_path: Path,
    config: Config,
    urls: Sequence[str] | None = None,
    *,
    force: bool = True,
    jobs: int | None = None,
    on_progress: ProgressCallback | None = None,
) -> RefreshSummary:
    """Refresh in the running event loop, in this process."""
    started = time.monotonic()
    feeds = refreshable_feeds(db_path, urls)
    collector = _Collector(len(feeds), on_progress)
    await refresh_shard(
        db_path, config, feeds, limits_from(config, jobs), force=force, report=collector.add
    )
    return RefreshSummary(collector.results, time.monotonic() - started)


def refreshable_feeds(db_path: Path, urls: Sequence[str] | None) -> list[FeedRow]:
    """The feeds to refresh: all (or those named), but never the "Saved pages" list."""
    with Store(db_path) as store:
        return [f for f in store.list_feeds(urls, counts=False) if f.kind != "pages"]


def _process_count(requested: int | None, feeds: int) -> int:
    if requested is not None:
        return max(1, requested)
    if threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(os.cpu_count() or 1, feeds // MIN_FEEDS_PER_PROCESS))


def deal(feeds: list[FeedRow], shards: int) -> list[list[FeedRow]]:
    """Deal feeds round-robin into `shards` lists, each host's feeds spread evenly."""
    ordered = sorted(feeds, key=lambda f: (_host(f.url), f.id))
    dealt: list[list[FeedRow]] = [[] for _ in range(max(1, shards))]
    for index, feed in enumerate(ordered):
        dealt[index % len(dealt)].append(feed)
    return [shard for shard in dealt if shard]


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:  # a stored URL that is not one (the fetch will say so, for that feed)
        return ""


def shard_limits(limits: FetchLimits, shards: int) -> FetchLimits:
    """Each shard's share of the caps, so that all shards together stay within them."""
    return replace(
        limits,
        max_connections=max(1, limits.max_connections // shards),
        max_per_host=max(1, limits.max_per_host // shards),
    )


class _Collector:
    """Gathers results from every shard (several threads) and reports progress in order."""

    def __init__(self, total: int, on_progress: ProgressCallback | None) -> None:
        self.total = total
        self.on_progress = on_progress
        self.results: list[FeedResult] = []
        self.lock = threading.Lock()

    def add(self, result: FeedResult) -> None:
        with self.lock:
            self.results.append(result)
            if self.on_progress is not None:
                self.on_progress(result, len(self.results), self.total)
