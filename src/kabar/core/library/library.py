"""The Library: one object that owns a profile's store connections and HTTP client
(`connections`) and offers every operation a face (the CLI, the reader) needs, each one
call, delegating the work to the modules beside it. So a face never opens a store, never
passes a database path, and never knows whether entries come from local feeds or a sync
server (`sources`). Close it (or use it as a context manager) to close what it holds."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from kabar.core.config.paths import Paths, default_paths
from kabar.core.config.settings import Config, load_config, normal_url
from kabar.core.library.connections import Connections
from kabar.core.library.outcomes import ExportItem, Refreshed, SyncStanding
from kabar.core.models import EntryDetail, EntryRow, FeedRow
from kabar.core.store import Store, ViewQuery

if TYPE_CHECKING:
    from collections.abc import Mapping

    from kabar.core.article.document import Article
    from kabar.core.article.picturedata import PictureSource
    from kabar.core.feeds.discovery import FeedCandidate
    from kabar.core.feeds.fetch.httpsession import FetchSession
    from kabar.core.feeds.opml import OpmlImport
    from kabar.core.feeds.refresh import ProgressCallback, RefreshSummary
    from kabar.core.library.headlines import Headlines
    from kabar.core.library.imagecache import ImageCache
    from kabar.core.library.recovery import RecoveryReport
    from kabar.core.library.retention import CleanupResult
    from kabar.core.library.saving import SaveResult
    from kabar.core.library.sources import Source
    from kabar.core.library.subscribing import Subscribed
    from kabar.core.library.syncaccount import SyncAccount
    from kabar.core.library.upkeep import Upkeep
    from kabar.core.sync import SyncSummary
    from kabar.core.sync.subscriptions import Subscribed as ServerSubscribed
    from kabar.core.sync.syncer import StoredCallback


class Library:
    """A profile's data and the operations on it; `sources` replaces the ones the config
    names (`sources.sources_for`), for a test or a face that brings its own."""

    def __init__(
        self, paths: Paths, config: Config | None = None, sources: Sequence[Source] | None = None
    ) -> None:
        self.paths = paths
        self._config = config
        self._sources = list(sources) if sources is not None else None
        self._connections = Connections(paths, lambda: self.config)
        self._undo: list[int] = []

    @classmethod
    def open(cls, environ: Mapping[str, str] | None = None) -> Library:
        """The profile the environment names (KABAR_HOME or the usual folders)."""
        return cls(default_paths(environ))

    # -- what it owns ------------------------------------------------------------------------
    @property
    def config(self) -> Config:
        """The profile's config, read on first use (a broken one must not stop `recover`)."""
        if self._config is None:
            self._config = load_config(self.paths.config_file)
        return self._config

    @property
    def database(self) -> Path:
        """The database file (for messages: operations go through the Library)."""
        return self.paths.database

    @property
    def syncing(self) -> bool:
        """Whether a [sync] account is configured (the server owns the subscriptions)."""
        return self.config.sync is not None

    @property
    def store(self) -> Store:
        """This thread's connection, opened on first use (see `connections`)."""
        return self._connections.store()

    @property
    def sync_account(self) -> SyncAccount:
        """The [sync] account: every sync and server change goes through it, one at a time
        (`syncaccount`); ConfigError without a [sync] table."""
        return self._connections.sync_account()

    @property
    def web(self) -> FetchSession:
        """The one HTTP client of the Library (made on first use)."""
        return self._connections.web()

    def connect(self) -> bool:
        """Open this thread's connection now (a bad database fails before a face starts);
        returns whether it is read-only (a damaged file)."""
        return self.store.read_only

    def close(self) -> None:
        """Close the HTTP client and the store connections."""
        self._connections.close()

    def end_thread(self) -> None:
        """Close this thread's connection, if it has one (a worker thread that is done)."""
        self._connections.end_thread()

    def __enter__(self) -> Library:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def start_logging(self) -> Path:
        """Log to this profile's cache folder; returns the log file."""
        from kabar.core.logs import setup_logging

        return setup_logging(self.paths)

    def save_theme(self, theme: str) -> None:
        """Write the reader's theme choice to config.toml (its comments kept)."""
        from kabar.core.config.writer import save_theme  # tomlkit: only when it changes

        save_theme(self.paths.config_file, theme)

    def warm_up(self) -> None:
        """Import what opening and saving need: after a first paint, not before it."""
        import kabar.core.article.entryarticle
        import kabar.core.library.fulltext
        import kabar.core.library.saving  # noqa: F401

    # -- feeds -------------------------------------------------------------------------------
    def feeds(self, counts: bool = True) -> list[FeedRow]:
        """Every subscribed feed, with unread and total counts unless `counts=False`."""
        return self.store.list_feeds(counts=counts)

    def find_feed(self, url: str) -> FeedRow | None:
        """The feed subscribed at `url`, in any spelling of it."""
        return self.store.feed_by_url(url) or self.store.feed_by_url(normal_url(url))

    def subscribed_urls(self, spellings: Sequence[str]) -> list[str]:
        """The stored URL of each feed named (any spelling); KabarError names the unknown."""
        from kabar.core.library.subscribing import subscribed_urls

        return subscribed_urls(self, spellings)

    def new_urls(self, urls: Sequence[str]) -> list[str]:
        """Those of `urls` (stored spellings) that are not subscribed yet."""
        return [url for url in urls if self.store.feed_by_url(url) is None]

    def discover(self, url: str) -> list[FeedCandidate]:
        """The feeds at `url`, best first, each fetched and parsed (kept for `subscribe`)."""
        from kabar.core.feeds.discovery import discover_sync

        return discover_sync(url, self.config, self.web)

    def subscribe(
        self, feeds: Sequence[FeedCandidate | str], folder: str = "", *, fetch: bool = True
    ) -> Subscribed:
        """Add feeds. A candidate from `discover` is stored with the feed it fetched as its
        first update (no second fetch); a bare URL is fetched now unless `fetch=False`."""
        from kabar.core.library.subscribing import subscribe

        return subscribe(self, feeds, folder, fetch=fetch)

    def subscribe_on_server(
        self, feeds: Sequence[tuple[str, str]], *, moves: bool = False
    ) -> tuple[ServerSubscribed, SyncSummary | None]:
        """Subscribe on the sync server, then sync (`moves`: a synced feed moves to the folder
        asked for); what the server did, and the sync's summary (None: nothing changed)."""
        from kabar.core.library.subscribing import subscribe_on_server

        return subscribe_on_server(self, feeds, moves=moves)

    def move_feed(self, feed: FeedRow, folder: str) -> None:
        """List a feed Kabar fetches itself under another folder."""
        self.store.set_feed_folder(feed.id, folder)

    def unsubscribe(self, feed: FeedRow) -> int:
        """Remove a feed (on the sync server first, which may fail); returns how many of its
        saved entries stay, under Saved."""
        from kabar.core.library.subscribing import unsubscribe

        return unsubscribe(self, feed)

    def import_feeds(self, feeds: Sequence[tuple[str, str, str, str]]) -> int:
        """Add (url, title, folder, site) feeds not subscribed yet, all in one transaction
        (a full disk adds none); returns how many were added."""
        return self.store.add_feeds([f for f in feeds if self.store.feed_by_url(f[0]) is None])

    def read_opml(self, path: Path) -> OpmlImport:
        """The feeds an OPML file lists, and the outlines left out (read like a download)."""
        from kabar.core.library.subscribing import read_opml

        return read_opml(path, self.config)

    def export_opml(self, warn: Callable[[str], None] | None = None) -> str:
        """The subscriptions as an OPML document (with a sync account, the server's list;
        `warn` says when only the last sync's copy of it could be had)."""
        from kabar.core.library.subscribing import export_opml

        return export_opml(self, warn)

    @property
    def image_cache(self) -> ImageCache:
        """The profile's picture cache: the reader fills it, a save takes from it."""
        from kabar.core.library.imagecache import ImageCache

        cap = self.config.network.image_cache_bytes
        return ImageCache.in_cache_dir(self.paths.cache_dir, cap)

    def picture_source(self) -> PictureSource:
        """Where an article's pictures come from: saved files, the image cache, the web."""
        from kabar.core.article.picturedata import PictureSource

        connections = self._connections
        store = connections.store if self.paths.database.exists() else None  # none saved
        return PictureSource(store, self.image_cache, self.config, connections.web, self.end_thread)

    # -- refreshing --------------------------------------------------------------------------
    def refresh(
        self,
        urls: Sequence[str] | None = None,
        *,
        force: bool = True,
        jobs: int | None = None,
        on_progress: ProgressCallback | None = None,
        processes: int | None = 1,
        upkeep: bool = True,
        on_synced: StoredCallback | None = None,
    ) -> Refreshed:
        """Bring the store up to date from every source the config names, then the upkeep
        unless `upkeep=False`. `processes=None` lets a big local refresh fork one process
        per core (only safe in a process with no other threads: the CLI). `on_progress`
        follows the feeds Kabar fetches, `on_synced(done, total)` a sync's contents."""
        from kabar.core.library.sources import refresh_from, sources_for

        sources = self._sources if self._sources is not None else sources_for(self.config)
        done = refresh_from(self, sources, urls, force, jobs, on_progress, processes, on_synced)
        if upkeep:
            done.upkeep = self.upkeep(done.summary)
        return done

    def refresh_count(self, urls: Sequence[str] | None = None) -> int:
        """How many feeds `refresh(urls)` fetches itself (where a progress bar starts)."""
        from kabar.core.library.sources import refresh_count

        return refresh_count(self, urls)

    def upkeep(self, summary: RefreshSummary | None = None) -> Upkeep:
        """Retention limits, then (when enabled and online) prefetch for offline reading."""
        from kabar.core.feeds.refresh import RefreshSummary
        from kabar.core.library.upkeep import after_refresh

        return after_refresh(self.store, self.config, summary or RefreshSummary())

    def queued_changes(self) -> int:
        """Changes waiting for the next sync."""
        return self.store.queue_length()

    def sync_standing(self) -> SyncStanding | None:
        """The [sync] account's state from the store, as the last sync left it (None
        without [sync]). Reads only the store: the reader shows it before any network."""
        if self.config.sync is None:
            return None  # (and the reader's first paint imports no sync code)
        from kabar.core.library.sources import sync_standing

        return sync_standing(self)

    # -- entries -----------------------------------------------------------------------------
    def entries(
        self,
        *,
        unread: bool = False,
        saved: bool = False,
        feed: FeedRow | None = None,
        limit: int = 0,
    ) -> list[EntryRow]:
        """Entries, newest first; `limit=0` means all of them."""
        from kabar.core.library.entryreads import entries

        return entries(self, unread=unread, saved=saved, feed=feed, limit=limit)

    def search(self, query: str, limit: int = 200, *, catch_up: bool = True) -> list[EntryRow]:
        """Entries matching a query, best first; the index catches up first unless
        `catch_up=False` (the reader keeps it caught up in a worker of its own: `index`)."""
        if catch_up:
            self.index()
        return self.store.search(query, limit=limit)

    def index(self) -> int:
        """Bring the search index up to date; returns how many entries it added."""
        return self.store.index_all()

    def feed_urls(self, entries: Sequence[EntryRow]) -> dict[int, str]:
        """The feed URL of each entry's feed, removed feeds and the saved-pages row included."""
        rows = (self.store.feed_by_id(feed_id) for feed_id in {e.feed_id for e in entries})
        return {row.id: row.url for row in rows if row is not None}

    def entry(self, entry_id: int) -> EntryDetail | None:
        """An entry with everything the reader shows of it (None when it is gone)."""
        return self.store.get_entry(entry_id)

    def article(self, detail: EntryDetail) -> Article:
        """The article to show for an entry: its full text when fetched, else the feed's."""
        from kabar.core.article.entryarticle import entry_article

        return entry_article(detail)

    def wants_full_text(self, detail: EntryDetail) -> bool:
        """Whether opening this entry should fetch its page (the feed's full_text mode)."""
        from kabar.core.library.fulltext import wants_fetch

        return wants_fetch(detail, self.config)

    def fetch_full_text(self, entry_id: int) -> Article:
        """Fetch, extract and keep an entry's page (KabarError says why it failed)."""
        from kabar.core.library.fulltext import fetch_entry_text

        return fetch_entry_text(self.store, self.config, entry_id, self.web)

    def read_url(self, url: str) -> Article:
        """Fetch and extract any web page."""
        from kabar.core.library.fulltext import read_url

        return read_url(url, self.config, self.web)

    def read_file(self, path: Path, url: str = "") -> Article:
        """The article in a local HTML file, read within the download limit."""
        from kabar.core.library.fulltext import read_file

        return read_file(path, url, self.config)

    def stored_copy(self, url: str) -> Article | None:
        """What the store holds of this page (a saved entry's article first)."""
        from kabar.core.library.entryreads import stored_copy

        return stored_copy(self, url)

    def articles(self, *, saved_only: bool) -> Iterator[ExportItem]:
        """Every article (or every saved one) with its stored images, for an export."""
        from kabar.core.library.entryreads import articles

        return articles(self, saved_only=saved_only)

    # -- the reader's views ------------------------------------------------------------------
    @property
    def headlines(self) -> Headlines:
        """The reader's views, read a page at a time on this thread's connection."""
        from kabar.core.library.headlines import Headlines

        return Headlines(self._connections.store)

    # -- keeping -----------------------------------------------------------------------------
    def save(self, entry_id: int) -> SaveResult:
        """Save an entry for good: its full text, then its images, on one HTTP client."""
        from kabar.core.library.saving import keep_entry

        return keep_entry(self.store, self.config, entry_id, self.web, self.image_cache)

    def unsave(self, entry_id: int) -> None:
        """Unsave an entry and drop its second copy."""
        from kabar.core.library.saving import unkeep_entry

        unkeep_entry(self.store, entry_id)

    def save_url(self, url: str) -> SaveResult:
        """Save any web page (the entry that already is it, when a feed has it)."""
        from kabar.core.library.saving import keep_url

        return keep_url(self.store, self.config, url, self.web, self.image_cache)

    # -- marking -----------------------------------------------------------------------------
    def mark(self, entry_ids: Sequence[int], state: str) -> None:
        """Set read, unread, saved or unsaved (queued for the sync server in the same
        transaction); KabarError names ids that are not in the store, and nothing changes."""
        from kabar.core.library.entrymarks import mark

        mark(self.store, entry_ids, state)

    def set_read(self, entry_ids: Sequence[int], read: bool = True) -> None:
        self.store.set_read(entry_ids, read)

    def set_saved(self, entry_ids: Sequence[int], saved: bool = True) -> None:
        self.store.set_saved(entry_ids, saved)

    def mark_all_read(self, view: ViewQuery | Sequence[int]) -> list[int]:
        """Mark a view's unread entries (or those of the ids given that are unread) read;
        returns them, and remembers them for `undo_mark_all_read`."""
        from kabar.core.library.entrymarks import mark_all_read

        ids = mark_all_read(self.store, view)
        self._undo = ids or self._undo
        return ids

    def undo_mark_all_read(self) -> list[int]:
        """Mark the entries of the last mark-all-read unread again (once); returns them."""
        ids, self._undo = self._undo, []
        self.store.set_read(ids, False)
        return ids

    # -- the database ------------------------------------------------------------------------
    def vacuum(self) -> tuple[CleanupResult, int, int]:
        """Retention clean-up, then compact the database: (result, bytes before, after).
        Refused up front, before anything changes, when the disk cannot hold a copy."""
        from kabar.core.library.retention import vacuum

        return vacuum(self.store, self.config)

    def check(self) -> list[str]:
        """The problems an integrity check finds in the database (empty: it is sound)."""
        from kabar.core.library.recovery import check_database

        return check_database(self.paths.database)

    def emptied(self) -> str:
        """What to say of a database that was emptied (0 bytes) while saved copies beside it
        can restore it; "" when it was not."""
        from kabar.core.emptied import emptied_message, emptied_with_copies

        copies = emptied_with_copies(self.paths.database)
        return emptied_message(self.paths.database, copies) if copies else ""

    def recover(self) -> RecoveryReport:
        """Rebuild a damaged database from what can be read, saved articles first."""
        from kabar.core.library.recovery import recover_profile

        return recover_profile(self)
