"""The source seam: where entries come from, behind one small protocol.

A refresh asks each source of the profile to bring the store up to date. Local HTTP feeds
(Kabar fetches and parses them) are the first source; a Google Reader API account (the
server fetches the feeds, Kabar syncs with it) is the second. A face never needs to know
which are in use: `Library.refresh` picks them from the config.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from kabar.core.config.settings import Config

if TYPE_CHECKING:
    from kabar.core.feeds.refresh import ProgressCallback, RefreshSummary
    from kabar.core.library.library import Library
    from kabar.core.library.outcomes import Refreshed, SyncStanding
    from kabar.core.sync import SyncSummary
    from kabar.core.sync.syncer import StoredCallback


@dataclass(slots=True)
class SourceReport:
    """What one source's refresh did: feeds Kabar fetched itself, or a sync's summary."""

    source: str
    summary: RefreshSummary | None = None  # None: this source fetched no feed itself
    synced: SyncSummary | None = None


class Source(Protocol):
    """Something that brings the store up to date."""

    name: str

    def refresh(
        self,
        library: Library,
        urls: Sequence[str] | None,
        *,
        force: bool,
        jobs: int | None,
        on_progress: ProgressCallback | None,
        processes: int | None,
        on_synced: StoredCallback | None = None,
    ) -> SourceReport: ...


class HttpFeeds:
    """Feeds Kabar fetches itself. With a sync account, only those that are Kabar's own
    (added before sync was set up); the server fetches the rest."""

    name = "feeds"

    def __init__(self, only_local: bool = False) -> None:
        self.only_local = only_local

    def refresh(
        self,
        library: Library,
        urls: Sequence[str] | None,
        *,
        force: bool,
        jobs: int | None,
        on_progress: ProgressCallback | None,
        processes: int | None,
        on_synced: StoredCallback | None = None,
    ) -> SourceReport:
        if self.only_local:
            local = library.store.local_feed_urls()
            urls = [u for u in (urls or local) if u in local]
            if not urls:  # a profile that only syncs never loads the refresh engine
                return SourceReport(self.name)
        from kabar.core.feeds.refresh import refresh_sync  # httpx and the parsers: on first use

        summary = refresh_sync(
            library.paths.database,
            library.config,
            urls,
            force=force,
            jobs=jobs,
            on_progress=on_progress,
            processes=processes,
        )
        return SourceReport(self.name, summary)


class GReaderSync:
    """A Google Reader API account ([sync] kind = "greader"): one sync, any feeds named."""

    name = "sync"

    def refresh(
        self,
        library: Library,
        urls: Sequence[str] | None,
        *,
        force: bool,
        jobs: int | None,
        on_progress: ProgressCallback | None,
        processes: int | None,
        on_synced: StoredCallback | None = None,
    ) -> SourceReport:
        # Through the Library's account: one sync at a time, the login kept between syncs.
        return SourceReport(self.name, synced=library.sync_account.sync(on_synced))


def sources_for(config: Config) -> list[Source]:
    """The sources a config asks for, in the order a refresh runs them."""
    if config.sync is None:
        return [HttpFeeds()]
    return [GReaderSync(), HttpFeeds(only_local=True)]


def refresh_from(
    library: Library,
    sources: Sequence[Source],
    urls: Sequence[str] | None,
    force: bool,
    jobs: int | None,
    on_progress: ProgressCallback | None,
    processes: int | None,
    on_synced: StoredCallback | None = None,
) -> Refreshed:
    """Ask each source in turn to bring the store up to date (`Library.refresh`)."""
    from kabar.core.library.outcomes import Refreshed

    done = Refreshed()
    for source in sources:
        report = source.refresh(
            library,
            urls,
            force=force,
            jobs=jobs,
            on_progress=on_progress,
            processes=processes,
            on_synced=on_synced,
        )
        done.summary = report.summary or done.summary
        done.synced = report.synced or done.synced
    return done


def refresh_count(library: Library, urls: Sequence[str] | None) -> int:
    """How many feeds a refresh of `urls` fetches itself (with [sync], only Kabar's own)."""
    if library.syncing:
        local = library.store.local_feed_urls()
        return len([u for u in (urls or local) if u in local])
    return len(set(urls)) if urls else len(library.feeds(counts=False))


def sync_standing(library: Library) -> SyncStanding | None:
    """The [sync] account's state from the store, as the last sync left it (None without
    [sync]). Reads only the store: the reader shows it before any network."""
    sync = library.config.sync
    if sync is None:
        return None
    from kabar.core.library.outcomes import SyncStanding
    from kabar.core.sync.account import account_name

    state = library.store.sync_state()
    last = state.get("last_sync", "")
    return SyncStanding(
        account=state.get("account") or account_name(sync),
        last_sync=float(last) if last.replace(".", "", 1).isdigit() else None,
        last_error=state.get("last_error", ""),
        queued=library.queued_changes(),
    )
