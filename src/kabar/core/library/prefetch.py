"""Prefetch: after a refresh, fetch the full text of new unread entries for offline reading.

Off by default (`general.prefetch`). Bounded three ways: the per-host cap of the fetch
engine (sites are not hammered), a daily total (`general.prefetch_per_day`), and only
entries whose feed does not say `full_text = "never"`, newest first.
"""

from __future__ import annotations

import asyncio
import logging
import time

from kabar.core.config.settings import Config
from kabar.core.errors import DiskFullError, KabarError, is_disk_full
from kabar.core.feeds.fetch import Fetcher, limits_from
from kabar.core.library.fulltext import fetch_page, keep_article
from kabar.core.models import FullTextMode
from kabar.core.store import EntryQuery, Store
from kabar.core.textsafety import safe_link

log = logging.getLogger(__name__)


def _day_key(now: float) -> str:
    return "prefetch:" + time.strftime("%Y-%m-%d", time.gmtime(now))


def prefetch(store: Store, config: Config, now: float | None = None) -> int:
    """Fetch and store the full text of unread entries that have none; returns how many.

    `store` is the calling thread's connection: the pages are fetched on an event loop in
    this thread, so each article is written through it as it comes."""
    now = time.time() if now is None else now
    left = config.general.prefetch_per_day - store.counter(_day_key(now))
    if left <= 0:
        return 0
    candidates: list[tuple[int, str]] = []
    for row in store.list_entries(EntryQuery(unread_only=True), limit=left * 4):
        detail = store.get_entry(row.id)
        link = safe_link(row.link)
        if detail is None or detail.full_text or not link:
            continue
        if config.full_text_mode(detail.feed_url) is FullTextMode.NEVER:
            continue
        candidates.append((row.id, link))
        if len(candidates) >= left:
            break
    if not candidates:
        return 0
    done = asyncio.run(_fetch_all(store, config, candidates))
    store.add_to_counter(_day_key(now), len(candidates))
    return done


async def _fetch_all(store: Store, config: Config, candidates: list[tuple[int, str]]) -> int:
    done = 0
    async with Fetcher(limits_from(config)) as fetcher:

        async def one(entry_id: int, link: str) -> None:
            nonlocal done
            # One page that fails, however it fails, costs that page: not the others, and
            # not the refresh that ran before (only a full disk stops everything).
            try:
                article, response = await fetch_page(fetcher, link)
                if article is None:
                    return
                detail = store.get_entry(entry_id)  # a short write, on the loop's thread
                if detail is not None:
                    keep_article(store, detail, link, article, response)
            except KabarError:
                return
            except Exception as exc:
                if is_disk_full(exc):
                    raise DiskFullError(f"the disk is full: cannot write to {store.path}") from exc
                log.warning("prefetching %s failed", link, exc_info=True)
                return
            done += 1

        await asyncio.gather(*(one(entry_id, link) for entry_id, link in candidates))
    return done
