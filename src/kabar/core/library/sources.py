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
    from kabar.core.sync import SyncSummary


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
    ) -> SourceReport:
        from kabar.core.feeds.refresh import refresh_sync  # httpx and the parsers: on first use

        if self.only_local:
            local = library.store.local_feed_urls()
            urls = [u for u in (urls or local) if u in local]
            if not urls:
                return SourceReport(self.name)
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
    ) -> SourceReport:
        # Through the Library's account: one sync at a time, the login kept between syncs.
        return SourceReport(self.name, synced=library.sync_account.sync())


def sources_for(config: Config) -> list[Source]:
    """The sources a config asks for, in the order a refresh runs them."""
    if config.sync is None:
        return [HttpFeeds()]
    return [GReaderSync(), HttpFeeds(only_local=True)]
