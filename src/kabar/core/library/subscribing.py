"""Subscribing: discovery's fetch is the feed's first update.

Discovery fetches and parses every feed it offers. Subscribing to one of them stores that
parse as the feed's first refresh, with the response's validators and freshness, so the
next refresh sends a conditional GET (or waits, when the server asked it to) instead of
fetching and parsing the same feed again.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kabar.core.models import FeedUpdate
from kabar.core.textsafety import clean_line

if TYPE_CHECKING:
    from kabar.core.feeds.discovery import FeedCandidate
    from kabar.core.feeds.refresh import FeedResult
    from kabar.core.library.library import Library


@dataclass(slots=True)
class Subscribed:
    """What a subscribe did, in the order the feeds were given."""

    added: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)  # subscribed before
    results: list[FeedResult] = field(default_factory=list)  # the first update of each added


def subscribe(
    library: Library,
    feeds: Sequence[FeedCandidate | str],
    folder: str = "",
    *,
    fetch: bool = True,
) -> Subscribed:
    """Add the feeds not subscribed yet, each with its first update (see the module)."""
    from kabar.core.feeds.refresh import FeedResult, Outcome

    store = library.store
    done = Subscribed()
    kept: list[tuple[FeedUpdate, FeedResult]] = []
    to_fetch: list[str] = []
    for feed in feeds:
        url = feed if isinstance(feed, str) else feed.url
        if url in done.added or store.feed_by_url(url) is not None:
            done.already.append(url)
            continue
        row = store.add_feed(url, folder=folder)
        done.added.append(url)
        if isinstance(feed, str) or feed.parsed is None or feed.response is None:
            to_fetch.append(url)
            continue
        now = time.time()
        response, parsed = feed.response, feed.parsed
        fresh = max(response.fresh_for, (parsed.ttl_minutes or 0) * 60.0)
        update = FeedUpdate(
            row.id,
            now,
            status=response.status,
            etag=response.etag,
            last_modified=response.last_modified,
            parsed=parsed,
            next_fetch=now + fresh if fresh else None,
        )
        title = clean_line(parsed.title) or row.display_title
        kept.append((update, FeedResult(row.id, url, title, Outcome.OK)))
    if kept:
        counts = store.apply_updates([update for update, _ in kept])
        for update, result in kept:
            stored = counts.get(update.feed_id)
            if stored is not None:
                result.new, result.updated = stored.new, stored.updated
            done.results.append(result)
    if fetch and to_fetch:
        from kabar.core.feeds.refresh import refresh_sync

        summary = refresh_sync(library.paths.database, library.config, to_fetch)
        done.results.extend(summary.results)
    return done
