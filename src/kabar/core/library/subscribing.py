"""Subscribing (discovery's fetch is the feed's first update), unsubscribing, and the
subscriptions named or exported.

Discovery fetches and parses every feed it offers. Subscribing to one of them stores that
parse as the feed's first refresh, with the response's validators and freshness, so the
next refresh sends a conditional GET (or waits, when the server asked it to) instead of
fetching and parsing the same feed again.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kabar.core.errors import KabarError
from kabar.core.models import FeedRow, FeedUpdate
from kabar.core.textsafety import clean_line

if TYPE_CHECKING:
    from kabar.core.config.settings import Config
    from kabar.core.feeds.discovery import FeedCandidate
    from kabar.core.feeds.opml import OpmlImport
    from kabar.core.feeds.refresh import FeedResult
    from kabar.core.library.library import Library
    from kabar.core.sync import SyncSummary
    from kabar.core.sync.subscriptions import Subscribed as ServerSubscribed


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


def read_opml(path: Path, config: Config) -> OpmlImport:
    """The feeds an OPML file lists (read within the download limit) and what it skipped."""
    from kabar.core.feeds.opml import read_opml as parse
    from kabar.core.feeds.pagefile import read_page_file

    return parse(read_page_file(path, config.network.max_feed_bytes, "an OPML file"))


def subscribed_urls(library: Library, spellings: Sequence[str]) -> list[str]:
    """The stored URL of each feed named (any spelling); KabarError names the unknown."""
    from kabar.core.config.settings import normal_url
    from kabar.core.feeds.urls import shown

    known = {f.url for f in library.feeds(counts=False)}
    spelled = {normal_url(url): url for url in known}
    urls = [u if u in known else spelled.get(normal_url(u), "") for u in spellings]
    unknown = [shown(u) for u, stored in zip(spellings, urls, strict=True) if not stored]
    if unknown:
        raise KabarError(f"not subscribed: {', '.join(unknown)} (add it with `kabar add`)")
    return urls


def unsubscribe(library: Library, feed: FeedRow) -> int:
    """Remove a feed (on the sync server first, which may fail); returns how many of its
    saved entries stay, under Saved."""
    if feed.stream_id and library.syncing:
        from kabar.core.sync.subscriptions import unsubscribe as unsubscribe_on_server

        with library.sync_account.exclusive() as client:  # never beside a sync
            unsubscribe_on_server(library.config, feed.stream_id, client)
    return library.store.remove_feed(feed.url)


def export_opml(library: Library, warn: Callable[[str], None] | None = None) -> str:
    """The subscriptions as OPML. With a sync account, the server's list as it is now (one
    outline per label) beside the feeds Kabar fetches itself; when the server cannot be
    reached, the synced feeds as of the last sync, and `warn` says so."""
    from kabar.core.feeds.opml import OpmlFeed, export_opml

    rows = library.feeds(False)
    own = [OpmlFeed(f.url, f.display_title, f.folder, f.site_url) for f in rows]
    if not library.syncing:
        return export_opml(own)
    from kabar.core.sync.subscriptions import server_subscriptions

    local = [f for f, row in zip(own, rows, strict=True) if not row.stream_id]
    try:
        subs = server_subscriptions(library.config)
    except KabarError as exc:  # unreachable, refused, or no password at hand
        if warn is not None:
            warn(f"{exc}; exporting the subscriptions as of the last sync")
        synced = [f for f, row in zip(own, rows, strict=True) if row.stream_id]
        return export_opml(synced + local)
    titles = {f.url: f.display_title for f in rows}  # a title given in Kabar's config
    server = [
        OpmlFeed(s.url, titles.get(s.url) or s.title, label, s.site_url)
        for s in subs
        for label in (s.labels or [""])
    ]
    return export_opml(server + local)


def subscribe_on_server(
    library: Library, feeds: Sequence[tuple[str, str]], *, moves: bool
) -> tuple[ServerSubscribed, SyncSummary | None]:
    """Subscribe on the sync server (it finds a site's feed itself), then sync. With
    `moves`, a feed already synced is moved to the folder asked for, on the server."""
    from kabar.core.sync.subscriptions import subscribe

    known: dict[str, tuple[str, str]] = {}
    if moves:
        known = {f.url: (f.stream_id, f.folder) for f in library.feeds(False) if f.stream_id}
    account = library.sync_account
    with account.exclusive() as client:  # never beside a sync: see `syncaccount`
        done = subscribe(library.config, feeds, known, client)
        synced = account.sync_held(client) if done.added or done.moved else None
    return done, synced
